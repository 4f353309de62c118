"""The briefing packet: one self-contained HTML page (plus Markdown and a zip) for candidates.

Everything here works from readiness.json (already free of personal data) and the settings'
[share] section, which hides or renames tables and columns before anything is rendered.
Templates are Jinja2 with autoescape on; nothing from the data is marked safe.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from readiness.checks import explain
from readiness.history.runs import copy_json
from readiness.profile.names import json_text, map_strings, replacer, visible
from readiness.report import brief as project_brief
from readiness.report import maintenance, trial, verdict
from readiness.report.mdtext import md_code, plain, wrap
from readiness.report.mdtext import (
    md_escape as md_escape,  # the Markdown filter lives in readiness.report.mdtext
)
from readiness.report.pdf import (
    CHROMIUM_NAMES as CHROMIUM_NAMES,  # --pdf lives in readiness.report.pdf
)
from readiness.report.pdf import PAPERS
from readiness.report.pdf import find_chromium as find_chromium
from readiness.report.pdf import write_pdf as write_pdf
from readiness.settings import Settings, ShareSettings

TEMPLATES = Path(__file__).parent / "templates"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
SEVERITY_ORDER = {"blocker": 0, "major": 1, "minor": 2, "info": 3}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- the redacted view -----------------------------------------------------------------------


def redact(document: dict[str, Any], share: ShareSettings) -> dict[str, Any]:
    """readiness.json as the packet shows it: [share] hides and renames applied everywhere."""
    doc = copy_json(document)
    hidden_tables = set(share.hide_tables)
    renames: dict[str, str] = {}
    tables = []
    for table in doc["tables"]:
        name = table["name"]
        if name in hidden_tables:
            continue
        table["name"] = share.table_name(name)
        table["source"] = share.table_name(table.get("source", name))
        renames[name] = table["name"]
        columns = []
        for column in table["columns"]:
            if share.column_hidden(name, column["name"]):
                continue
            shown = share.column_name(name, column["name"])
            renames[column["name"]] = shown
            column["name"] = shown
            if not share.examples:
                column["examples"], column["examples_kind"] = [], None
            columns.append(column)
        table["columns"] = columns
        if table.get("time"):
            table["time"] = {share.column_name(name, c): v for c, v in table["time"].items()
                             if not share.column_hidden(name, c)}
        tables.append(table)
    doc["tables"] = tables
    hidden_files = {f["path"] for f in doc["files"] if f.get("tables") and set(f["tables"]) <= hidden_tables}
    doc["files"] = [
        {**f, "path": share.table_name(f["path"]), "tables": [share.table_name(t) for t in f.get("tables", [])]}
        for f in doc["files"] if f["path"] not in hidden_files
    ]
    hidden_names = set(hidden_tables) | {c.split(":", 1)[-1] for c in share.hide_columns}
    scrub = replacer({name: "[hidden]" for name in hidden_names})
    rename = replacer(renames)  # built once: thousands of tables make thousands of names to look for
    findings = []
    for finding in doc["findings"]:
        table, column = finding.get("table"), finding.get("column")
        if table in hidden_tables or (table and column and share.column_hidden(table, column)):
            continue
        if table is None and column is not None and share.column_hidden("", column):
            continue
        finding["message"] = rename(scrub(finding["message"]))
        finding["details"] = map_strings(finding.get("details") or {}, lambda text: rename(scrub(text)))
        finding["id"] = rename(finding["id"])
        if table:
            finding["table"] = share.table_name(table)
        if table and column:
            finding["column"] = share.column_name(table, column)
        findings.append(finding)
    doc["findings"] = findings
    label = doc.get("label")
    if label:
        if label["table"] in hidden_tables or share.column_hidden(label["table"], label["column"]):
            doc["label"] = None
        else:
            label["column"] = share.column_name(label["table"], label["column"])
            label["table"] = share.table_name(label["table"])
    validation = doc.get("validation") or {}
    kept = []
    for entry in validation.get("tables", []):
        if entry["table"] in hidden_tables:
            continue
        original = entry["table"]
        entry["table"] = share.table_name(original)
        entry["results"] = [
            {**r, "column": share.column_name(original, r["column"]) if r.get("column") else r.get("column")}
            for r in entry["results"] if not (r.get("column") and share.column_hidden(original, r["column"]))
        ]
        kept.append(entry)
    if validation:
        validation["tables"] = kept
    guess = doc.get("label_guess")
    if guess:
        def named(text: str | None) -> str | None:
            return None if text is None else rename(scrub(text))
        if guess.get("column") and share.column_hidden(label["table"] if label else "", guess["column"]):
            doc["label_guess"] = None
        else:
            doc["label_guess"] = {**guess, "column": named(guess.get("column")), "notice": named(guess.get("notice")),
                                  "candidates": [named(c) for c in guess.get("candidates") or []]}
    if "headline" in doc:
        doc["headline"] = verdict.headline(doc)  # from the findings the packet shows
    doc["dataset"]["path"] = share.rename.get(doc["dataset"]["path"], Path(doc["dataset"]["path"]).name)
    doc["volume_guidance"] = [rename(note) for note in doc.get("volume_guidance") or []
                              if not any(re.search(rf"(?<![\w]){re.escape(h)}(?![\w])", note) for h in hidden_tables)]
    return doc


# --- content built from the findings ----------------------------------------------------------------


def enrich(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for finding in findings:
        if finding.get("waived"):
            continue
        out.append({
            **finding,
            "why": explain.WHY.get(finding["check"], ""),
            "fix": explain.fix(finding),
            "effort": explain.effort_days(finding["check"], finding["count"], finding["fraction"],
                                          finding.get("details") or {}),
            "effort_range": explain.effort_range(finding["check"], finding["count"], finding["fraction"],
                                                 finding.get("details") or {}),
        })
    return sorted(out, key=lambda f: (SEVERITY_ORDER[f["severity"]], -f["fraction"], f["id"]))


RESERVED_QUESTIONS = ("grouping_column", "label_drift")  # asked whatever their severity: they shape the split


def questions(findings: list[dict[str, Any]], limit: int = 8) -> list[str]:
    reserved: list[str] = []
    for finding in findings:
        text = explain.question(finding) if finding["check"] in RESERVED_QUESTIONS else None
        if text and text not in reserved and len(reserved) < 3:
            reserved.append(text)
    asked: list[str] = []
    for finding in findings:
        if len(asked) >= limit - len(reserved):
            break
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
         paper: str = "a4") -> dict[str, Any]:
    """Everything the templates render, already redacted. ``holdout``: the frozen hold-out's
    summary (trial.write_holdout, names as shared), or None."""
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
        "class_bars": class_bars,
        "class_chart_height": 24 * len(class_bars) + 8,
        "small_classes": small,
        "balance_note": balance_note(classes, settings, bool(small or imbalance)),
        "imbalance": imbalance,
        "questions": questions(findings),
        "trial": trial.kit(findings, label, doc.get("task") or "ML", settings.brief,
                           trial.shared_summary(holdout, settings.share)),
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


# --- rendering -----------------------------------------------------------------------------------------


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_visible,
    )
    env.filters["pct"] = lambda x: "-" if x is None else f"{x * 100:.1f}%"
    env.filters["num"] = lambda x: f"{x:,}" if isinstance(x, int) else f"{x:,.2f}"
    env.filters["human_bytes"] = human_bytes
    env.filters["md"] = md_escape
    env.filters["md_code"] = md_code
    env.filters["plain"] = plain
    env.filters["wrap"] = wrap
    env.filters["days"] = lambda d: f"{d:g} day" + ("" if d == 1 else "s")
    env.filters["day_range"] = lambda r: f"{r[0]:g}-{r[1]:g} days"
    return env


def _visible(value: Any) -> Any:
    """Every value a template prints: control characters in client text written out (``\\x1b``)."""
    from markupsafe import Markup

    if isinstance(value, Markup):
        return Markup(visible(str(value)))
    return visible(value) if isinstance(value, str) else value


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def render_html(context: dict[str, Any]) -> str:
    return str(_environment().get_template("briefing.html.j2").render(**context))


def render_markdown(context: dict[str, Any]) -> str:
    env = _environment()
    env.autoescape = False  # Markdown: every client string goes through the md filter instead
    return str(env.get_template("briefing.md.j2").render(**context))


def render_text(context: dict[str, Any]) -> str:
    """briefing.txt: the Markdown briefing's sections as plain text, to paste where Markdown is not read."""
    env = _environment()
    env.autoescape = False  # plain text: nothing is markup; control characters are written out (finalize)
    return str(env.get_template("briefing.txt.j2").render(**context))


def formula_safe(value: Any) -> str:
    """A cell of the data dictionary: never a formula, control characters written out."""
    text = "" if value is None else str(value)
    return "'" + visible(text) if text.startswith(FORMULA_START) else visible(text)


def dictionary_csv(context: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["table", "column", "type", "missing", "missing_pct", "distinct", "personal_data",
                     "format", "format_conformance_pct", "examples"])
    for table in context["doc"]["tables"]:
        for column in table["columns"]:
            conformance = column.get("format_conformance")
            writer.writerow([formula_safe(v) for v in (
                table["name"], column["name"], column["type"], column["missing"],
                f"{column['missing_fraction'] * 100:.2f}", column["distinct"], column["pii"] or "",
                column.get("format") or "", "" if conformance is None else f"{conformance * 100:.2f}",
                "; ".join(column.get("examples") or []),
            )])
    return buffer.getvalue()


def redact_suite(suite: dict[str, Any], personal_columns: set[str], share: ShareSettings | None = None,
                 table: str = "") -> dict[str, Any]:
    """A suite as shared: [share] applied, value sets on personal-data columns removed."""
    share = share or ShareSettings()
    out = dict(suite)  # copied as deep as it is changed: a folder of 10,000 tables has 10,000 suites
    out["name"] = share.table_name(table) if table else out.get("name")
    if isinstance(out.get("meta"), dict) and "table" in out["meta"]:
        out["meta"] = {**out["meta"], "table": share.table_name(table)}
    kept = []
    for original in out.get("expectations", []):
        expectation = dict(original)
        kwargs = expectation["kwargs"] = dict(expectation.get("kwargs") or {})
        columns = [kwargs["column"]] if isinstance(kwargs.get("column"), str) else []
        if isinstance(kwargs.get("column_list"), list):
            columns += [c for c in kwargs["column_list"] if isinstance(c, str)]
            kwargs["column_list"] = [share.column_name(table, c) for c in kwargs["column_list"]
                                     if isinstance(c, str) and not share.column_hidden(table, c)]
        if any(share.column_hidden(table, c) for c in columns[:1]):
            continue
        kept.append(expectation)
        if isinstance(kwargs.get("column"), str):
            kwargs["column"] = share.column_name(table, kwargs["column"])
        if columns[:1] and columns[0] in personal_columns:
            for key in ("value_set", "regex", "regex_list", "min_value", "max_value"):
                if key in kwargs:
                    kwargs[key] = "[redacted: personal data]"
    out["expectations"] = kept
    return out


DISCLOSED_NAMES = 30  # names listed in a disclosure line; the packet itself lists them all


def _first(names: list[str], count: int) -> str:
    """The first ``count`` names, and how many more there are (a folder can hold 10,000 tables)."""
    shown = ", ".join(names[:count])
    return shown + (f" ... and {len(names) - count:,} more (all are in briefing.html)" if len(names) > count else "")


def disclosure(context: dict[str, Any]) -> list[str]:
    """What the packet discloses, for the client to check before sending it."""
    doc = context["doc"]
    tables = [t["name"] for t in doc["tables"]]
    columns = sum(len(t["columns"]) for t in doc["tables"])
    lines = [f"tables ({len(tables)}): {_first(tables, DISCLOSED_NAMES) if tables else 'none'}",
             f"column names: {columns}"]
    label = doc.get("label")
    if label and label.get("classes"):
        lines.append(f"label classes of {label['column']} ({len(label['classes'])}): "
                     f"{_first([distinguishable(c, list(label['classes'])) for c in label['classes']], DISCLOSED_NAMES)}")
    with_examples = [f"{t['name']}:{c['name']}" for t in doc["tables"] for c in t["columns"] if c.get("examples")]
    lines.append(f"example values from {len(with_examples)} columns"
                 + (f": {', '.join(with_examples[:8])}{' ...' if len(with_examples) > 8 else ''}" if with_examples else ""))
    return lines


def _render_texts(context: dict[str, Any]) -> tuple[str, str]:
    return render_markdown(context), render_text(context)


def write_packet(run_dir: Path, document: dict[str, Any], settings: Settings,
                 trend: list[tuple[str, float]] | None = None, changes: dict[str, Any] | None = None,
                 suites: dict[str, dict[str, Any]] | None = None,
                 holdout: dict[str, Any] | None = None, paper: str = "a4",
                 pdf: Callable[[Path, Path], str | None] | None = None) -> dict[str, Any]:
    """Write briefing.html, briefing.md, briefing.txt and packet.zip into the (staging) run folder.

    ``paper``: a4 or letter. ``pdf(html_path, pdf_path)`` prints briefing.pdf before the zip is
    made, so the zip holds it; what it returns (why no PDF, or None) is the context's ``pdf_problem``.

    ``holdout``: the frozen hold-out (trial.write_holdout, names as shared); its kit (trial/score.py,
    the hold-out's row numbers, a README; never its labels) goes into the zip and the run folder.

    ``suites``: each table's GX suite by table name as ``document`` names it; the shared copies
    ([share] applied, personal value sets removed) go into the zip and the run folder's suites/.
    Without it, the suites are read from the run folder's suites/."""
    from readiness.base import parallel
    from readiness.history.runs import dumps_indented, dumps_suite, write_atomic
    from readiness.validate.suites import slug

    context = view(document, settings, trend, changes, holdout, paper=paper)
    # many tables: the Markdown and the text are rendered on the second core while the HTML is here
    texts = parallel.Background(_render_texts, context, fork=len(document["tables"]) >= parallel.PARALLEL_TABLES)
    html = render_html(context)
    markdown, plain_text = texts.result()
    write_atomic(run_dir / "briefing.html", html)
    write_atomic(run_dir / "briefing.md", markdown)
    write_atomic(run_dir / "briefing.txt", plain_text)
    context["pdf_problem"] = pdf(run_dir / "briefing.html", run_dir / "briefing.pdf") if pdf else None
    personal = {c["name"] for t in document["tables"] for c in t["columns"] if c["pii"]}
    hidden_tables = set(settings.share.hide_tables)
    shared_suites: dict[str, dict[str, Any]] = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("briefing.html", html)
        archive.writestr("briefing.md", markdown)
        archive.writestr("briefing.txt", plain_text)
        if pdf and context["pdf_problem"] is None:
            archive.write(run_dir / "briefing.pdf", "briefing.pdf")
        archive.writestr("readiness.json", json_text(dumps_indented(context["doc"])) + "\n")
        archive.writestr("data_dictionary.csv", dictionary_csv(context))
        for trial_name, trial_text in trial.packet_files(context["trial"], holdout, document.get("task") or "").items():
            archive.writestr(trial_name, trial_text)
            write_atomic(run_dir / trial_name, trial_text, durable=False)  # beside internal/: score.py finds the labels
        suites_dir = run_dir / "suites"
        for table in document["tables"]:
            if table["name"] in hidden_tables:
                continue
            suite_file = suites_dir / f"{slug(table['name'])}.json"
            if suites is not None:
                original = suites.get(table["name"])
            else:
                original = json.loads(suite_file.read_text(encoding="utf-8")) if suite_file.is_file() else None
            if original is None:
                continue
            suite = redact_suite(original, personal, settings.share, table["name"])
            text = json_text(dumps_suite(suite)) + "\n"
            shared_name = f"suites/{slug(settings.share.table_name(table['name']))}.json"
            archive.writestr(shared_name, text)
            shared_suites[settings.share.table_name(table["name"])] = suite
            if suites is not None:
                write_atomic(run_dir / shared_name, text, durable=False)  # flushed when the run is published
        monitoring = maintenance.monitoring_suites(shared_suites, context["doc"])
        for file_name, monitoring_suite in monitoring.items():
            archive.writestr(f"monitoring/{file_name}", json_text(dumps_suite(monitoring_suite)) + "\n")
        archive.writestr("monitoring/README.txt", maintenance.monitoring_readme(
            context["maintenance"], sorted(monitoring), context["doc"]["dataset"]["name"]))
    write_atomic(run_dir / "packet.zip", buffer.getvalue())
    return context
