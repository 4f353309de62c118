"""``readiness diff``: pick the two runs to compare and render what changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readiness.base.errors import UsageError
from readiness.history import compare
from readiness.history import store as history
from readiness.settings.environment import OUT_VARIABLE


def between(out: Path, run_a: str | None, run_b: str | None, name: str | None) -> dict[str, Any]:
    db = out / "history.sqlite"
    if not db.exists():
        raise UsageError(f"{db}: no history yet; run readiness audit first, or pass --out (or set {OUT_VARIABLE}) "
                         "to the folder the audits were written to")
    if run_a and run_b:
        older, newer = history.get_run(db, run_a), history.get_run(db, run_b)
        for run_id, row in ((run_a, older), (run_b, newer)):
            if row is None:
                raise UsageError(f"run {run_id!r} is not in {db}; readiness history lists the runs")
        assert older is not None and newer is not None
        if older["finished_at"] > newer["finished_at"]:
            older, newer = newer, older
        return compare.diff(older, newer)
    datasets = history.datasets(db)
    if name is None:
        if run_a:
            row = history.get_run(db, run_a)
            if row is None:
                raise UsageError(f"run {run_a!r} is not in {db}; readiness history lists the runs")
            name = row["dataset"]
        elif len(datasets) == 1:
            name = datasets[0]
        else:
            raise UsageError(f"the history holds several datasets; name one with --name: {', '.join(datasets)}")
    rows = history.latest_runs(db, name, count=2)
    if run_a:
        newer = history.get_run(db, run_a)
        if newer is None:
            raise UsageError(f"run {run_a!r} is not in {db}; readiness history lists the runs")
        earlier = history.latest_runs(db, name, count=1, before=(newer["finished_at"], newer["run_id"]))
        if not earlier:
            raise UsageError(f"run {run_a!r} is the first audit of {name}; there is nothing before it to compare")
        return compare.diff(earlier[0], newer)
    if len(rows) < 2:
        raise UsageError(f"{name} has {len(rows)} recorded audit{'s' if len(rows) != 1 else ''}; diff needs two")
    return compare.diff(rows[1], rows[0])


def render(result: dict[str, Any]) -> str:
    older, newer = result["older"], result["newer"]
    lines = [
        f"{result['dataset']}: {older['run_id']} -> {newer['run_id']}",
        f"score {older['score']:.2f} -> {newer['score']:.2f} ({result['score_change']:+.2f})",
    ]
    if result["formula_changed"] or result["config_changed"]:
        what = " and ".join(w for w, on in (("score formula", result["formula_changed"]),
                                            ("configuration", result["config_changed"])) if on)
        lines.append(f"  the {what} changed: {result['score_change_from_data']:+.2f} from the data, "
                     f"{result['score_change_from_rules']:+.2f} from the rules")
    for dimension, change in result["dimensions"].items():
        if abs(change) >= 0.005:
            lines.append(f"  {dimension:<16} {change:+.2f}")
    lines.append(f"findings: {len(result['findings_new'])} new, {len(result['findings_resolved'])} resolved, "
                 f"{len(result['findings_worse'])} worse"
                 + (f", {len(result['findings_severity_raised'])} judged more severe"
                    if result.get("findings_severity_raised") else ""))
    lines += [f"  new      {i}" for i in result["findings_new"]]
    lines += [f"  resolved {i}" for i in result["findings_resolved"]]
    lines += [f"  worse    {w['id']} ({w['from']} -> {w['to']})" for w in result["findings_worse"]]
    lines += [f"  severity {w['id']} ({w['from']} -> {w['to']}; the count did not grow: {w['count']:,})"
              for w in result.get("findings_severity_raised") or []]
    schema = result["schema"]
    for table in schema["tables_added"]:
        lines.append(f"table added: {table}")
    for table in schema["tables_removed"]:
        lines.append(f"table removed: {table}")
    for table, change in schema["tables"].items():
        for column in change["added"]:
            lines.append(f"schema: {table}: column added {column}")
        for column in change["removed"]:
            lines.append(f"schema: {table}: column removed {column}")
        for retyped in change["retyped"]:
            lines.append(f"schema: {table}: column retyped {retyped['column']} ({retyped['from']} -> {retyped['to']})")
    for table, rows in result["rows"].items():
        lines.append(f"rows: {table}: {rows['from']} -> {rows['to']}")
    if result["label_shift"]:
        lines.append(f"label distribution: PSI {result['label_shift']['psi']:.3f}")
    for moved in result["distribution"]:
        if moved["drifted"]:
            lines.append(f"drift: {moved['table']}:{moved['column']} PSI {moved['psi']:.2f}")
    return "\n".join(lines)
