"""The briefing packet: one self-contained HTML page (plus Markdown and a zip) for candidates.

Everything here works from readiness.json (already free of personal data) and the settings'
[share] section, which hides or renames tables and columns before anything is rendered.
Templates are Jinja2 with autoescape on; nothing from the data is marked safe.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from pathlib import Path
from typing import Any

from readiness import explain
from readiness.names import json_text, map_strings, replacer, visible
from readiness.pdf import CHROMIUM_NAMES as CHROMIUM_NAMES  # --pdf lives in readiness.pdf
from readiness.pdf import find_chromium as find_chromium
from readiness.pdf import write_pdf as write_pdf
from readiness.settings import Settings, ShareSettings

TEMPLATES = Path(__file__).parent / "templates"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
SEVERITY_ORDER = {"blocker": 0, "major": 1, "minor": 2, "info": 3}
BRIEF_FIELDS = (("goal", "Goal"), ("task", "Task"), ("success_metric", "Success metric"),
                ("timeline", "Timeline"), ("deliverables", "Deliverables"))
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- the redacted view -----------------------------------------------------------------------


def redact(document: dict[str, Any], share: ShareSettings) -> dict[str, Any]:
    """readiness.json as the packet shows it: [share] hides and renames applied everywhere."""
    doc = json.loads(json.dumps(document))
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


def split_advice(findings: list[dict[str, Any]], table: str | None) -> str:
    """How train and test should be split, given grouping columns and label drift: "" when nothing says."""
    grouping = [f for f in findings if f["check"] == "grouping_column" and f.get("column")]
    mine = [f for f in grouping if table is None or f["table"] == table] or grouping
    advice = []
    if mine:
        column = mine[0]["column"]
        advice.append(f"split by {column} (a group split: no {column} in both train and test)")
    if any(f["check"] == "label_drift" and (table is None or f["table"] == table) for f in findings):
        advice.append("hold out the latest period for testing (the class mix moves over time)")
    return " and ".join(advice)


def trial_task(findings: list[dict[str, Any]], label: dict[str, Any] | None, task: str) -> dict[str, Any]:
    """A paid trial of 3 to 7 days built from the top findings."""
    steps = []
    for finding in [f for f in findings if f["severity"] in ("blocker", "major", "minor")][:3]:
        steps.append({"text": f"Fix or work around: {finding['message']}. {finding['fix']}", "days": finding["effort"]})
    advice = split_advice(findings, label["table"] if label else None)
    if label:
        steps.append({"text": f"Train a simple baseline {task} model on the labeled rows of {label['table']} "
                              f"(target {label['column']})" + (f"; {advice}; report per-class results." if advice
                                                                else " and report per-class results."),
                      "days": 1.5})
    else:
        steps.append({"text": "Explore the data and propose how to frame the ML task, with a first baseline"
                              + (f"; {advice}." if advice else "."), "days": 1.5})
    steps.append({"text": "Write a short report: what was done, what remains, the risks you see.", "days": 0.5})
    total = sum(s["days"] for s in steps)
    days = int(min(7, max(3, math.ceil(total))))
    return {"days": days, "steps": steps, "raw_days": total}


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


def view(document: dict[str, Any], settings: Settings, trend: list[tuple[str, float]] | None = None,
         changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the templates render, already redacted."""
    doc = redact(document, settings.share)
    findings = enrich(doc["findings"])
    brief = settings.brief
    brief_items = []
    for key, title in BRIEF_FIELDS:
        value = getattr(brief, key)
        if key == "task" and not value:
            value = doc.get("task")
        if isinstance(value, tuple):
            value = list(value)
        brief_items.append({"title": title, "value": value or None})
    label = doc.get("label")
    classes = sorted((label or {}).get("classes", {}) .items(), key=lambda kv: (-kv[1], kv[0])) if label and label.get("classes") else []
    class_bars = _bars([(k, float(v)) for k, v in classes], max((v for _, v in classes), default=0))
    small = [f for f in findings if f["check"] == "class_too_small"]
    imbalance = [f for f in findings if f["check"] == "class_imbalance"]
    dims = [{"name": name.replace("_", " "), "key": name, **d} for name, d in doc["dimensions"].items()]
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITY_ORDER}
    rows = sum(t["rows"] for t in doc["tables"])
    validation = doc.get("validation") or {"tables": [], "evaluated": 0, "successful": 0}
    sampled = [t for t in doc["tables"] if (t.get("visual_profile") or {}).get("sampled_rows")]
    return {
        "doc": doc,
        "title": f"Data briefing: {doc['dataset']['name']}",
        "brief": brief_items,
        "findings": findings,
        "waived": [f for f in doc["findings"] if f.get("waived")],
        "blockers": [f for f in findings if f["severity"] == "blocker"],
        "severity_counts": counts,
        "dimensions": dims,
        "label": label,
        "class_bars": class_bars,
        "class_chart_height": 24 * len(class_bars) + 8,
        "small_classes": small,
        "imbalance": imbalance,
        "questions": questions(findings),
        "trial": trial_task(findings, label, doc.get("task") or "ML"),
        "rows": rows,
        "table_rows": {t["name"]: t["rows"] for t in doc["tables"]},
        "validation": validation,
        "sampled_tables": sampled,
        "csp": CSP,
        "examples_on": settings.share.examples,
        "trend": trend_points(trend or []),
        "changes": _renamed_changes(changes, doc, settings.share),
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
    env.filters["days"] = lambda d: f"{d:g} day" + ("" if d == 1 else "s")
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


def md_escape(text: Any) -> str:
    """Client text for Markdown: no HTML, no links, no emphasis it did not ask for."""
    value = visible(str(text).replace("\n", " ").replace("\r", " "))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", value)
    return value.replace("\n", " ").replace("\r", " ")


def render_html(context: dict[str, Any]) -> str:
    return str(_environment().get_template("briefing.html.j2").render(**context))


def render_markdown(context: dict[str, Any]) -> str:
    env = _environment()
    env.autoescape = False  # Markdown: every client string goes through the md filter instead
    return str(env.get_template("briefing.md.j2").render(**context))


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
    out = json.loads(json.dumps(suite))
    out["name"] = share.table_name(table) if table else out.get("name")
    if isinstance(out.get("meta"), dict) and "table" in out["meta"]:
        out["meta"]["table"] = share.table_name(table)
    kept = []
    for expectation in out.get("expectations", []):
        kwargs = expectation.get("kwargs", {})
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
                     f"{_first(list(label['classes']), DISCLOSED_NAMES)}")
    with_examples = [f"{t['name']}:{c['name']}" for t in doc["tables"] for c in t["columns"] if c.get("examples")]
    lines.append(f"example values from {len(with_examples)} columns"
                 + (f": {', '.join(with_examples[:8])}{' ...' if len(with_examples) > 8 else ''}" if with_examples else ""))
    return lines


def write_packet(run_dir: Path, document: dict[str, Any], settings: Settings,
                 trend: list[tuple[str, float]] | None = None, changes: dict[str, Any] | None = None,
                 suites: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Write briefing.html, briefing.md and packet.zip into the (staging) run folder.

    ``suites``: each table's GX suite by table name as ``document`` names it; the shared copies
    ([share] applied, personal value sets removed) go into the zip and the run folder's suites/.
    Without it, the suites are read from the run folder's suites/."""
    from readiness.runs import dumps_indented, dumps_suite, write_atomic
    from readiness.suites import slug

    context = view(document, settings, trend, changes)
    html = render_html(context)
    markdown = render_markdown(context)
    write_atomic(run_dir / "briefing.html", html)
    write_atomic(run_dir / "briefing.md", markdown)
    personal = {c["name"] for t in document["tables"] for c in t["columns"] if c["pii"]}
    hidden_tables = set(settings.share.hide_tables)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("briefing.html", html)
        archive.writestr("briefing.md", markdown)
        archive.writestr("readiness.json", json_text(dumps_indented(context["doc"])) + "\n")
        archive.writestr("data_dictionary.csv", dictionary_csv(context))
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
            if suites is not None:
                write_atomic(run_dir / shared_name, text, durable=False)  # flushed when the run is published
    write_atomic(run_dir / "packet.zip", buffer.getvalue())
    return context
