"""Comparing two audits: schema drift, distribution drift, finding changes and the score change.

Works on history rows (see history.py), so no old data file is ever needed. A change of the
score formula or of the config is told apart from a change in the data by re-scoring the older
run's stored counts with the newer run's rules.
"""

from __future__ import annotations

from typing import Any

from readiness.history.rescore import SEVERITY_RANK, rescore
from readiness.models import Finding
from readiness.profile import drift


def schema_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, Any]:
    """Tables and columns added, removed or retyped between two runs."""
    old = {t["name"]: {c["name"]: c["type"] for c in t["columns"]} for t in before}
    new = {t["name"]: {c["name"]: c["type"] for c in t["columns"]} for t in after}
    tables: dict[str, Any] = {}
    for name in sorted(set(old) & set(new)):
        added = [c for c in new[name] if c not in old[name]]
        removed = [c for c in old[name] if c not in new[name]]
        retyped = [{"column": c, "from": old[name][c], "to": new[name][c]}
                   for c in new[name] if c in old[name] and old[name][c] != new[name][c]
                   and "empty" not in (old[name][c], new[name][c])]
        if added or removed or retyped:
            tables[name] = {"added": added, "removed": removed, "retyped": retyped}
    return {"tables_added": sorted(set(new) - set(old)), "tables_removed": sorted(set(old) - set(new)),
            "tables": tables}


def distribution_changes(before: dict[str, Any], after: dict[str, Any], threshold: float) -> list[dict[str, Any]]:
    """Columns whose distribution moved (PSI above the threshold), from the stored summaries. An
    audit computes them once (10,000 tables' summaries take seconds to compare) and hands them to
    both drift_findings and diff."""
    moved = []
    for table, columns in (after or {}).items():
        for column, summary in columns.items():
            result = drift.compare((before or {}).get(table, {}).get(column), summary)
            if result is None:
                continue
            moved.append({"table": table, "column": column, **result, "drifted": result["psi"] > threshold})
    return moved


def drift_findings(previous: dict[str, Any] | None, tables: list[dict[str, Any]], moved: list[dict[str, Any]],
                   threshold: float) -> list[Finding]:
    """``schema_drift`` and ``distribution_drift`` findings of a run against the previous one;
    ``moved``: the run's distribution_changes against it."""
    if previous is None:
        return []
    found: list[Finding] = []
    rows = {t["name"]: t["rows"] for t in tables}
    changes = schema_changes(previous.get("tables") or [], tables)
    for table, change in changes["tables"].items():
        count = len(change["added"]) + len(change["removed"]) + len(change["retyped"])
        parts = []
        if change["added"]:
            parts.append(f"added {', '.join(change['added'])}")
        if change["removed"]:
            parts.append(f"removed {', '.join(change['removed'])}")
        if change["retyped"]:
            parts.append("retyped " + ", ".join(f"{r['column']} ({r['from']} to {r['to']})" for r in change["retyped"]))
        found.append(Finding(
            check="schema_drift", severity="minor", dimension="consistency", table=table, column=None,
            count=count, fraction=0.0, expectation="expect_table_columns_to_match_set",
            message=f"{table} changed since the previous audit: {'; '.join(parts)}",
            details={**change, "previous_run": previous["run_id"]},
        ))
    for column_moved in moved:
        if not column_moved["drifted"]:
            continue
        table, column = column_moved["table"], column_moved["column"]
        found.append(Finding(
            check="distribution_drift", severity="minor", dimension="consistency", table=table, column=column,
            count=rows.get(table, 0), fraction=1.0 if rows.get(table) else 0.0, expectation=None,
            message=f"the distribution of {column} moved since the previous audit (PSI {column_moved['psi']:.2f}, "
                    f"threshold {threshold:g})",
            details={"psi": column_moved["psi"], "ks": column_moved.get("ks"), "threshold": threshold,
                     "previous_run": previous["run_id"]},
        ))
    return found


# --- re-scoring and the diff --------------------------------------------------------------------


def diff(older: dict[str, Any], newer: dict[str, Any], drift_threshold: float = 0.2,
         moved: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Everything that changed between two history rows of one dataset (``moved``: their
    distribution_changes, when the caller has them already)."""
    old_findings = {f["id"]: f for f in older.get("findings") or [] if not f.get("waived")}
    new_findings = {f["id"]: f for f in newer.get("findings") or [] if not f.get("waived")}
    worse = [  # more affected rows: an unchanged count is never "worse"
        {"id": i, "from": old_findings[i]["count"], "to": f["count"], "severity": f["severity"]}
        for i, f in new_findings.items() if i in old_findings and f["count"] > old_findings[i]["count"]
    ]
    # the same count judged more severe (by the data around it, or by a new formula)
    raised = [
        {"id": i, "count": f["count"], "from": old_findings[i]["severity"], "to": f["severity"]}
        for i, f in new_findings.items()
        if i in old_findings and f["count"] <= old_findings[i]["count"]
        and SEVERITY_RANK[f["severity"]] < SEVERITY_RANK[old_findings[i]["severity"]]
    ]
    better = [
        {"id": i, "from": old_findings[i]["count"], "to": f["count"]}
        for i, f in new_findings.items() if i in old_findings and f["count"] < old_findings[i]["count"]
    ]
    rescored = rescore(older, newer)
    formula_changed = older.get("score_version") != newer.get("score_version")
    config_changed = older.get("config_hash") != newer.get("config_hash")
    score_change = round(newer["score"] - older["score"], 2)
    data_change = round(newer["score"] - rescored, 2) if rescored is not None else score_change
    old_rows = {t["name"]: t["rows"] for t in older.get("tables") or []}
    new_rows = {t["name"]: t["rows"] for t in newer.get("tables") or []}
    old_label = (older.get("label") or {}).get("classes")
    new_label = (newer.get("label") or {}).get("classes")
    return {
        "dataset": newer["dataset"],
        "older": {k: older[k] for k in ("run_id", "finished_at", "score", "grade", "band", "score_version")},
        "newer": {k: newer[k] for k in ("run_id", "finished_at", "score", "grade", "band", "score_version")},
        "score_change": score_change,
        "score_change_from_data": data_change,
        "score_change_from_rules": round(score_change - data_change, 2),
        "formula_changed": formula_changed,
        "config_changed": config_changed,
        "dimensions": {
            name: round(dim["score"] - (older.get("dimensions") or {}).get(name, {}).get("score", 0.0), 4)
            for name, dim in (newer.get("dimensions") or {}).items()
        },
        "findings_new": sorted(i for i in new_findings if i not in old_findings),
        "findings_resolved": sorted(i for i in old_findings if i not in new_findings),
        "findings_worse": sorted(worse, key=lambda w: w["id"]),
        "findings_better": sorted(better, key=lambda w: w["id"]),
        "findings_severity_raised": sorted(raised, key=lambda w: w["id"]),
        "schema": schema_changes(older.get("tables") or [], newer.get("tables") or []),
        "rows": {name: {"from": old_rows.get(name), "to": new_rows.get(name)}
                 for name in sorted(set(old_rows) | set(new_rows)) if old_rows.get(name) != new_rows.get(name)},
        "label_shift": drift.label_shift(old_label, new_label),
        "distribution": moved if moved is not None else distribution_changes(
            older.get("summaries") or {}, newer.get("summaries") or {}, drift_threshold),
    }
