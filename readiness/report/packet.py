"""The briefing packet written: one self-contained HTML page (plus Markdown, text, a data
dictionary and a zip) for candidates.

Everything here works from readiness.json (already free of personal data) and the settings'
[share] section, which hides or renames tables and columns before anything is rendered
(redact.py); view.py builds what the templates show and render.py renders it.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from readiness.base.files import dumps_indented, dumps_suite, json_text, write_atomic
from readiness.profile.names import visible
from readiness.report import maintenance, relations_export, trial_files
from readiness.report.redact import redact_suite
from readiness.report.render import render_html, render_markdown, render_text
from readiness.report.view import distinguishable, view
from readiness.settings import Settings

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
                 pdf: Callable[[Path, Path], str | None] | None = None,
                 thumbnails: dict[str, list[dict[str, str]]] | None = None) -> dict[str, Any]:
    """Write briefing.html, briefing.md, briefing.txt and packet.zip into the (staging) run folder.

    ``paper``: a4 or letter. ``pdf(html_path, pdf_path)`` prints briefing.pdf before the zip is
    made, so the zip holds it; what it returns (why no PDF, or None) is the context's ``pdf_problem``.

    ``holdout``: the frozen hold-out (holdout.write_holdout, names as shared); its kit (trial/score.py,
    the hold-out's row numbers, a README; never its labels) goes into the zip and the run folder.

    ``suites``: each table's GX suite by table name as ``document`` names it; the shared copies
    ([share] applied, personal value sets removed) go into the zip and the run folder's suites/.
    Without it, the suites are read from the run folder's suites/."""
    from readiness.base import parallel
    from readiness.base.text import slug

    context = view(document, settings, trend, changes, holdout, paper=paper, thumbnails=thumbnails)
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
        for trial_name, trial_text in trial_files.packet_files(context["trial"], holdout, document.get("task") or "").items():
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
        for relations_name, relations_text in relations_export.packet_files(context["doc"]).items():
            archive.writestr(relations_name, relations_text)
        monitoring = maintenance.monitoring_suites(shared_suites, context["doc"])
        for file_name, monitoring_suite in monitoring.items():
            archive.writestr(f"monitoring/{file_name}", json_text(dumps_suite(monitoring_suite)) + "\n")
        archive.writestr("monitoring/README.txt", maintenance.monitoring_readme(
            context["maintenance"], sorted(monitoring), context["doc"]["dataset"]["name"]))
    write_atomic(run_dir / "packet.zip", buffer.getvalue())
    return context
