"""The briefing's view: everything the templates render, built from readiness.json as shared
(redact.py) and the settings, for the HTML, Markdown and text briefings alike."""

from __future__ import annotations

from typing import Any

from readiness.checks import explain
from readiness.report import brief as project_brief
from readiness.report import maintenance, media, relations, trial, verdict
from readiness.report.holdout import shared_summary
from readiness.report.pdf import PAPERS
from readiness.report.redact import redact
from readiness.settings import Settings, ShareSettings

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
SEVERITY_ORDER = {"blocker": 0, "major": 1, "minor": 2, "info": 3}


def enrich(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for finding in findings:
        if finding.get("waived"):
            continue
        out.append({
            **finding,
            "why": explain.why(finding["check"]),
            "fix": explain.fix(finding),
            "effort": explain.effort_days(finding["check"], finding["count"], finding["fraction"],
                                          finding.get("details") or {}),
            "effort_range": explain.effort_range(finding["check"], finding["count"], finding["fraction"],
                                                 finding.get("details") or {}),
        })
    return sorted(out, key=lambda f: (SEVERITY_ORDER[f["severity"]], -f["fraction"], f["id"]))


RESERVED_QUESTIONS = ("grouping_column", "label_drift")  # asked whatever their severity: they shape the split
KEY_CHECKS = ("orphan_rows", "duplicate_parent_keys")  # asked once, with the counts, by the relations question


def questions(findings: list[dict[str, Any]], limit: int = 8, media_kind: str | None = None,
              keys_question: str | None = None) -> list[str]:
    """``keys_question``: the one question on orphan rows and repeated parent keys (relations.question)."""
    reserved: list[str] = [text] if (text := media.question(media_kind)) else []
    if keys_question:
        reserved.append(keys_question)
    for finding in findings:
        text = explain.question(finding) if finding["check"] in RESERVED_QUESTIONS else None
        if text and text not in reserved and len(reserved) < 3 + bool(media_kind) + bool(keys_question):
            reserved.append(text)
    asked: list[str] = []
    for finding in findings:
        if len(asked) >= limit - len(reserved):
            break
        if keys_question and finding["check"] in KEY_CHECKS:
            continue
        text = explain.question(finding)
        if text and text not in asked and text not in reserved:
            asked.append(text)
    asked += reserved
    asked.append("What would you deliver in the first week, and how would we know it is working?")
    return asked


def _bars(items: list[tuple[str, float]], maximum: float) -> list[dict[str, Any]]:
    width = 100.0
    return [{"label": label, "value": value, "width": 0 if maximum <= 0 else width * value / maximum}
            for label, value in items]


def trend_points(trend: list[tuple[str, float]], width: int = 600, height: int = 120) -> dict[str, Any]:
    """An SVG polyline of the score over the audits (0..100 on the y axis)."""
    if len(trend) < 2:
        return {"points": "", "dots": [], "width": width, "height": height}
    step = (width - 40) / (len(trend) - 1)
    dots = []
    for index, (when, value) in enumerate(trend):
        x = 30 + index * step
        y = 10 + (height - 30) * (1 - value / 100)
        dots.append({"x": round(x, 1), "y": round(y, 1), "label": f"{when[:10]}: {value:.2f}", "value": value})
    return {"points": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots, "width": width, "height": height}


def _renamed_changes(changes: dict[str, Any] | None, doc: dict[str, Any], share: ShareSettings) -> dict[str, Any] | None:
    """The diff against the previous audit, limited to what the packet may show."""
    if not changes:
        return None
    shown_ids = {f["id"] for f in doc["findings"]}
    schema = []
    for table, change in changes["schema"]["tables"].items():
        if table in share.hide_tables:
            continue
        visible = [c for c in change["added"] + change["removed"] if not share.column_hidden(table, c)]
        retyped = [r for r in change["retyped"] if not share.column_hidden(table, r["column"])]
        if visible or retyped:
            schema.append({"table": share.table_name(table),
                           "added": [share.column_name(table, c) for c in change["added"] if not share.column_hidden(table, c)],
                           "removed": [share.column_name(table, c) for c in change["removed"] if not share.column_hidden(table, c)],
                           "retyped": [{**r, "column": share.column_name(table, r["column"])} for r in retyped]})
    return {
        "previous_run": changes["older"]["run_id"],
        "previous_date": changes["older"]["finished_at"][:10],
        "previous_score": changes["older"]["score"],
        "score_change": changes["score_change"],
        "from_data": changes["score_change_from_data"],
        "from_rules": changes["score_change_from_rules"],
        "formula_changed": changes["formula_changed"],
        "config_changed": changes["config_changed"],
        "new": [i for i in changes["findings_new"] if i in shown_ids],
        "resolved": len(changes["findings_resolved"]),
        "worse": [w for w in changes["findings_worse"] if w["id"] in shown_ids],
        "schema": schema,
    }


WHITESPACE_SHOWN = {" ": "\u2420", "\t": "\u21e5", "\n": "\u21b5", "\u00a0": "\u237d"}


def distinguishable(name: str, names: list[str]) -> str:
    """A label class as drawn: one that differs from another only by spacing or case is quoted, its
    edge spaces shown ('positive\u2420'), so the chart never shows two bars that read the same."""
    stripped = name.strip()
    clash = any(other != name and other.strip().casefold() == stripped.casefold() for other in names)
    if name == stripped and not clash:
        return name
    edges = len(name) - len(name.lstrip()), len(name) - len(name.rstrip())
    middle = name[edges[0]:len(name) - edges[1]] if name.strip() else ""
    shown = ("".join(WHITESPACE_SHOWN.get(c, "\u2420") for c in name[:edges[0]]) + middle
             + ("".join(WHITESPACE_SHOWN.get(c, "\u2420") for c in name[len(name) - edges[1]:]) if middle else ""))
    return f"'{shown}'"


def balance_note(classes: list[tuple[str, int]], settings: Settings, findings_say: bool) -> str | None:
    """What the labels section says about class sizes, from the same counts the chart draws."""
    if not classes or findings_say:
        return None
    minimum, threshold = settings.label.min_class_count, settings.label.max_imbalance_ratio
    below = [(k, v) for k, v in classes if v < minimum]
    ratio = classes[0][1] / classes[-1][1] if classes[-1][1] else float("inf")
    if below:
        return (f"{len(below)} of the {len(classes)} values drawn have fewer than {minimum} rows; they are not "
                "counted as classes of their own (see the findings on label values), so no class-size finding stands.")
    if len(classes) < 2:
        return "There is only one class: nothing to learn to tell apart."
    if ratio > threshold:
        return (f"The largest class has {ratio:.1f} times the rows of the smallest, above the threshold "
                f"{threshold:g} (accepted by the client).")
    return (f"Every class has at least {minimum} rows, and the largest has {ratio:.1f} times the rows of the "
            f"smallest (threshold {threshold:g}).")


RELATED_CHECKS = {"format": ("format", "mixed_formats")}
GX_UNIT_NOTES = {
    "expect_compound_columns_to_be_unique": "GX counts every row of a repeated group; the finding counts the "
                                            "repeats after the first",
    "expect_column_values_to_be_unique": "GX counts every row of a repeated value; the finding counts the "
                                         "repeats after the first",
    "expect_column_values_to_match_regex": "the findings split these by kind (another layout, not a value of the "
                                           "kind) and also count what the pattern lets through (2023-02-30)",
}


def appendix_notes(validation: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any]:
    """Each failed expectation beside the findings' count for the same table and column: where
    they differ, the appendix says why instead of showing two numbers that disagree."""
    by_key: dict[tuple[Any, Any, str], int] = {}
    for finding in findings:
        if not finding.get("waived"):
            key = (finding.get("table"), finding.get("column"), finding["check"])
            by_key[key] = by_key.get(key, 0) + finding["count"]
    tables = []
    for entry in validation.get("tables", []):
        results = []
        for result in entry.get("results", []):
            result = dict(result)
            check = result.get("check")
            if not result.get("success") and check and result.get("unexpected_count") is not None:
                counted = [(c, by_key[(entry["table"], result.get("column"), c)])
                           for c in RELATED_CHECKS.get(check, (check,))
                           if (entry["table"], result.get("column"), c) in by_key]
                total = sum(n for _, n in counted)
                if counted and total != result["unexpected_count"]:
                    parts = " + ".join(f"{n:,} {c}" for c, n in counted)
                    why = GX_UNIT_NOTES.get(result["type"], "the finding counts values after normalising them "
                                                             "(blank and NA tokens are missing)")
                    result["note"] = f"findings: {parts}; {why}"
            results.append(result)
        tables.append({**entry, "results": results})
    return {**validation, "tables": tables}


def _note_stale(findings: list[dict[str, Any]]) -> None:
    """A freshness finding's evidence is a date, not a number of rows."""
    for finding in findings:
        details = finding.get("details") or {}
        if finding["check"] == "stale_data" and details.get("newest"):
            finding["evidence"] = (f"newest {finding.get('column')} on {details['newest']}, "
                                   f"{details.get('days_since_newest', 0):,} days before this audit")


def view(document: dict[str, Any], settings: Settings, trend: list[tuple[str, float]] | None = None,
         changes: dict[str, Any] | None = None, holdout: dict[str, Any] | None = None,
         paper: str = "a4", thumbnails: dict[str, list[dict[str, str]]] | None = None) -> dict[str, Any]:
    """Everything the templates render, already redacted. ``holdout``: the frozen hold-out's
    summary (holdout.write_holdout, names as shared), or None; ``thumbnails``: the contact sheet
    by media dataset (report/media.py), when the client allows it."""
    doc = redact(document, settings.share)
    findings = enrich(doc["findings"])
    brief_items = project_brief.items(settings.brief, doc.get("task"))
    brief_filled, brief_total = project_brief.completeness(settings.brief, doc.get("task"))
    label = doc.get("label")
    classes = sorted((label or {}).get("classes", {}) .items(), key=lambda kv: (-kv[1], kv[0])) if label and label.get("classes") else []
    names_of_classes = [k for k, _ in classes]
    class_bars = _bars([(distinguishable(k, names_of_classes), float(v)) for k, v in classes],
                       max((v for _, v in classes), default=0))
    small = [f for f in findings if f["check"] == "class_too_small"]
    imbalance = [f for f in findings if f["check"] == "class_imbalance"]
    _note_stale(findings)
    examples_shown = {}  # categories that differ only by spacing or case, drawn apart (doc stays as is)
    for table in doc["tables"]:
        for column in table["columns"]:
            examples = column.get("examples") or []
            if examples and column.get("examples_kind") not in ("range", "masked text") \
                    and all(isinstance(e, str) for e in examples):
                shown_examples = [distinguishable(e, examples) for e in examples]
                if shown_examples != examples:
                    examples_shown[f"{table['name']}\x00{column['name']}"] = shown_examples
    dims = [{"name": name.replace("_", " "), "key": name, **d} for name, d in doc["dimensions"].items()]
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITY_ORDER}
    rows = sum(t["rows"] for t in doc["tables"])
    validation = appendix_notes(doc.get("validation") or {"tables": [], "evaluated": 0, "successful": 0},
                                doc["findings"])
    sampled = [t for t in doc["tables"] if (t.get("visual_profile") or {}).get("sampled_rows")]
    return {
        "doc": doc,
        "headline": verdict.headline(doc),
        "examples_shown": examples_shown,
        "cap_line": (settings.thresholds.grade_needs_work if (doc.get("score_cap") or {}).get("by") == "blocker"
                     else settings.thresholds.grade_ready),
        "cap_factor": ((settings.thresholds.grade_needs_work if (doc.get("score_cap") or {}).get("by") == "blocker"
                        else settings.thresholds.grade_ready) - 0.01) / 100,
        "label_notice": (doc.get("label_guess") or {}).get("notice"),
        "title": f"Data briefing: {doc['dataset']['name']}",
        "brief": brief_items,
        "brief_complete": {"filled": brief_filled, "total": brief_total},
        "findings": findings,
        "waived": [f for f in doc["findings"] if f.get("waived")],
        "blockers": [f for f in findings if f["severity"] == "blocker"],
        "severity_counts": counts,
        "dimensions": dims,
        "label": label,
        # a folder of 100,000 photos lists its problem files, not every photo (readiness.json lists all)
        "inventory_files": [f for f in doc["files"] if not media.decoded(f)],
        "media_ok": sum(1 for f in doc["files"] if media.decoded(f)),
        "label_unit": "files" if label and label.get("table") in {m["name"] for m in doc.get("media") or []} else "rows",
        "class_bars": class_bars,
        "class_chart_height": 24 * len(class_bars) + 8,
        "small_classes": small,
        "balance_note": balance_note(classes, settings, bool(small or imbalance)),
        "imbalance": imbalance,
        "questions": questions(findings, media_kind=media.main_kind(doc),
                               keys_question=relations.question(doc.get("relations") or {})),
        "trial": trial.kit(findings, label, doc.get("task") or "ML", settings.brief,
                           shared_summary(holdout, settings.share), media.main_kind(doc)),
        "media": media.view(doc, thumbnails),
        "relations": relations.view(doc),
        "thumbnails_on": settings.share.thumbnails,
        "rows": rows,
        "table_rows": {t["name"]: t["rows"] for t in doc["tables"]},
        "validation": validation,
        "sampled_tables": sampled,
        "csp": CSP,
        "paper": PAPERS.get(paper, "A4"),  # the printed page's CSS @page size (a4 or letter)
        "examples_on": settings.share.examples,
        "trend": trend_points(trend or []),
        "changes": _renamed_changes(changes, doc, settings.share),
        "maintenance": maintenance.plan(doc, settings),
    }
