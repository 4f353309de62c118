"""Gates for schedulers: when an audit should end with exit code 1.

Pure functions of the new run and the previous one. Waived findings trip nothing; a change of the
score formula or of the config does not count as a regression (the previous run is re-scored
under the new rules first, see rescore.rescore).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from readiness.history.rescore import SEVERITY_RANK, rescore


@dataclass(frozen=True)
class Gates:
    fail_under: float | None = None
    fail_on_regression: float | None = None
    fail_on_new: str | None = None  # "blocker" or "major"
    fail_on_grade: str | None = None  # "not-ready" or "needs-work": that grade or worse fails


GRADE_RANK = {"ready": 0, "needs-work": 1, "not-ready": 2}


def failures(gates: Gates, current: dict[str, Any], previous: dict[str, Any] | None) -> tuple[list[str], list[str]]:
    """(why the run fails, notes) for the configured gates."""
    failed: list[str] = []
    notes: list[str] = []
    if gates.fail_under is not None and current["score"] < gates.fail_under:
        failed.append(f"score {current['score']:.2f} is below --fail-under {gates.fail_under:g}")
    if gates.fail_on_grade is not None and GRADE_RANK.get(current["grade"], 0) >= GRADE_RANK[gates.fail_on_grade]:
        failed.append(f"grade {current['grade']} is {gates.fail_on_grade} or worse (--fail-on-grade {gates.fail_on_grade})")
    if previous is None and gates.fail_on_regression is not None:
        notes.append("no previous audit of this dataset: --fail-on-regression has nothing to compare with yet")
    if previous is None and gates.fail_on_new is not None:
        # no baseline: every finding at the level counts as new (a first scheduled audit of bad data fails)
        notes.append(f"no previous audit of this dataset: every {gates.fail_on_new}-or-worse finding counts as new")
    if gates.fail_on_regression is not None and previous is not None:
        baseline = rescore(previous, current)
        if baseline is None:
            baseline = previous["score"]
        if baseline != previous["score"]:
            notes.append(f"the previous score {previous['score']:.2f} is {baseline:.2f} under this run's rules "
                         "(formula or config changed); the gate compares with that")
        drop = baseline - current["score"]
        if drop > gates.fail_on_regression:
            failed.append(f"score fell {drop:.2f} points since run {previous['run_id']} "
                          f"(more than --fail-on-regression {gates.fail_on_regression:g})")
    if gates.fail_on_new is not None:
        limit = SEVERITY_RANK[gates.fail_on_new]
        before = {f["id"] for f in (previous or {}).get("findings") or []
                  if not f.get("waived") and SEVERITY_RANK[f["severity"]] <= limit}
        new = [f["id"] for f in current["findings"]
               if not f.get("waived") and SEVERITY_RANK[f["severity"]] <= limit and f["id"] not in before]
        if new:
            since = f"since run {previous['run_id']}" if previous is not None else "(first audit: no baseline)"
            failed.append(f"{len(new)} new {gates.fail_on_new}-or-worse finding{'s' if len(new) > 1 else ''} "
                          f"{since}: {', '.join(new[:5])}{' ...' if len(new) > 5 else ''}")
    return failed, notes
