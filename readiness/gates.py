"""Gates for schedulers: when an audit should end with exit code 1.

Pure functions of the new run and the previous one. Waived findings trip nothing; a change of the
score formula or of the config does not count as a regression (the previous run is re-scored
under the new rules first, see compare.rescore).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from readiness.compare import SEVERITY_RANK, rescore


@dataclass(frozen=True)
class Gates:
    fail_under: float | None = None
    fail_on_regression: float | None = None
    fail_on_new: str | None = None  # "blocker" or "major"


def failures(gates: Gates, current: dict[str, Any], previous: dict[str, Any] | None) -> tuple[list[str], list[str]]:
    """(why the run fails, notes) for the configured gates."""
    failed: list[str] = []
    notes: list[str] = []
    if gates.fail_under is not None and current["score"] < gates.fail_under:
        failed.append(f"score {current['score']:.2f} is below --fail-under {gates.fail_under:g}")
    if gates.fail_on_regression is not None or gates.fail_on_new is not None:
        if previous is None:
            notes.append("no previous audit of this dataset: the regression and new-finding gates have nothing "
                         "to compare with")
            return failed, notes
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
    if gates.fail_on_new is not None and previous is not None:
        limit = SEVERITY_RANK[gates.fail_on_new]
        before = {f["id"] for f in previous.get("findings") or []
                  if not f.get("waived") and SEVERITY_RANK[f["severity"]] <= limit}
        new = [f["id"] for f in current["findings"]
               if not f.get("waived") and SEVERITY_RANK[f["severity"]] <= limit and f["id"] not in before]
        if new:
            failed.append(f"{len(new)} new {gates.fail_on_new}-or-worse finding{'s' if len(new) > 1 else ''} "
                          f"since run {previous['run_id']}: {', '.join(new[:5])}{' ...' if len(new) > 5 else ''}")
    return failed, notes
