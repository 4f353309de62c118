"""Reports: readiness.json (validated against the shipped JSON Schema) and the terminal summary."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from readiness import SCHEMA_VERSION, SCORE_VERSION, __version__
from readiness.models import (
    ExpectationOutcome,
    FileEntry,
    Finding,
    LabelSummary,
    Score,
    Table,
    TableProfile,
)

SCHEMA_PATH = Path(__file__).parent / "schema" / "readiness.schema.json"
# GX's own error text may quote a value: the shared result says only that it failed to run
EXPECTATION_ERROR = "the expectation could not run; the error is in internal/validation_errors.json"


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "check": finding.check,
        "severity": finding.severity,
        "dimension": finding.dimension,
        "table": finding.table,
        "column": finding.column,
        "count": finding.count,
        "fraction": finding.fraction,
        "expectation": finding.expectation,
        "message": finding.message,
        "waived": finding.waived,
        "details": finding.details,
    }


def file_json(entry: FileEntry) -> dict[str, Any]:
    return {
        "path": entry.path, "format": entry.format, "bytes": entry.bytes, "sha256": entry.sha256,
        "status": entry.status, "reason": entry.reason, "encoding": entry.encoding, "tables": list(entry.tables),
    }


def table_json(profile: TableProfile, table: Table) -> dict[str, Any]:
    return {
        "name": profile.name,
        "source": table.source,
        "format": table.format,
        "split": table.split,
        "rows": profile.rows,
        "duplicate_rows": profile.duplicate_rows,
        "visual_profile": {"sampled_rows": profile.profile_sample_rows, "written": profile.profile_file is not None},
        "columns": [
            {
                "name": c.name, "type": c.type, "missing": c.missing, "missing_fraction": c.missing_fraction,
                "distinct": c.distinct, "pii": c.pii, "format": c.format, "format_conformance": c.format_conformance,
                "examples": list(c.examples), "examples_kind": c.examples_kind,
            }
            for c in profile.columns
        ],
    }


def validation_json(outcomes: Sequence[ExpectationOutcome], origins: dict[str, str]) -> dict[str, Any]:
    tables = []
    by_table: dict[str, list[ExpectationOutcome]] = {}
    for outcome in outcomes:  # one pass: a scan per table is quadratic (10,000 tables: minutes)
        by_table.setdefault(outcome.table, []).append(outcome)
    for name, origin in origins.items():
        mine = by_table.get(name, [])
        tables.append({
            "table": name,
            "suite": origin,
            "evaluated": len(mine),
            "successful": sum(o.success for o in mine),
            "results": [
                {"type": o.type, "column": o.column, "check": o.check, "success": o.success,
                 "element_count": o.element_count, "unexpected_count": o.unexpected_count,
                 "error": EXPECTATION_ERROR if o.error else None}
                for o in mine
            ],
        })
    return {
        "engine": "great_expectations",
        "evaluated": len(outcomes),
        "successful": sum(o.success for o in outcomes),
        "tables": tables,
    }


def build(*, run_id: str, dataset_name: str, dataset_path: str, started_at: str, finished_at: str, now: str,
          score: Score, task: str, files: Sequence[FileEntry], tables: Sequence[tuple[TableProfile, Table]],
          label: LabelSummary | None, findings: Sequence[Finding], validation: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "score_version": SCORE_VERSION,
        "tool_version": __version__,
        "run_id": run_id,
        "dataset": {"name": dataset_name, "path": dataset_path},
        "started_at": started_at,
        "finished_at": finished_at,
        "now": now,
        "score": score.score,
        "score_exact": score.exact,
        "grade": score.grade,
        "band": score.band,
        "task": task,
        "dimensions": {
            d.name: {"score": d.score, "weight": d.weight, "applicable": d.applicable} for d in score.dimensions
        },
        "files": [file_json(f) for f in files],
        "tables": [table_json(p, t) for p, t in tables],
        "label": None if label is None else {
            "table": label.table, "column": label.column, "task": label.task, "rows": label.rows,
            "labeled": label.labeled, "coverage": label.coverage, "classes": label.classes,
        },
        "findings": [finding_json(f) for f in findings],
        "validation": validation,
    }


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_document(document: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when a readiness.json breaks the shipped schema."""
    import jsonschema

    jsonschema.validate(document, schema())


# --- terminal summary -----------------------------------------------------------------------

GRADE_STYLE = {"ready": "bold green", "needs-work": "bold yellow", "not-ready": "bold red"}
SEVERITY_STYLE = {"blocker": "bold red", "major": "red", "minor": "yellow", "info": "dim"}


def _safe(text: str) -> str:
    """Client text shown in a terminal: control characters (and bidi overrides) made visible."""
    from readiness.profile.names import visible

    return visible(text)


def render_summary(result: dict[str, Any], run_dir: str, console: Any, top: int = 5) -> None:
    from rich.table import Table as RichTable
    from rich.text import Text

    header = Text()
    header.append("readiness ", style="bold")
    header.append(_safe(result["dataset"]["name"]))
    header.append(f"   run {result['run_id']}", style="dim")
    console.print(header)
    line = Text()
    line.append(f"Score {result['score']:.2f} / 100", style="bold")
    line.append("   grade ")
    line.append(result["grade"], style=GRADE_STYLE.get(result["grade"], ""))
    line.append(f"   Data Readiness Level band {result['band']}", style="bold")
    line.append(f"   task {result['task']}", style="dim")
    console.print(line)
    if result.get("headline"):
        console.print(Text(_safe(result["headline"]), style="bold"))
    notice = (result.get("label_guess") or {}).get("notice")
    if notice:
        console.print(Text(_safe(notice[:1].upper() + notice[1:]), style="yellow"))
    for name, dim in result["dimensions"].items():
        filled = int(round(dim["score"] / 10))
        bar = Text(f"  {name:<16}")
        bar.append("█" * filled, style="cyan")
        bar.append("░" * (10 - filled), style="dim")
        bar.append(f" {dim['score']:6.1f}" + ("" if dim["applicable"] else "  (not applicable)"))
        console.print(bar)
    ok = sum(1 for f in result["files"] if f["status"] == "ok")
    rejected = sum(1 for f in result["files"] if f["status"] == "rejected")
    skipped = sum(1 for f in result["files"] if f["status"] == "skipped")
    rows = sum(t["rows"] for t in result["tables"])
    count = len(result["tables"])
    console.print(Text(f"  {count} table{'' if count == 1 else 's'}, {rows:,} rows; files: {ok} ok, {rejected} rejected, "
                       f"{skipped} skipped", style="dim"))
    findings = [f for f in result["findings"] if not f["waived"]]
    if findings:
        table = RichTable(title=f"Top findings ({min(top, len(findings))} of {len(findings)})", title_justify="left")
        table.add_column("severity")
        table.add_column("finding")
        table.add_column("count", justify="right")
        table.add_column("%", justify="right")
        for finding in findings[:top]:
            table.add_row(Text(finding["severity"], style=SEVERITY_STYLE[finding["severity"]]),
                          Text(_safe(finding["message"])), f"{finding['count']:,}",
                          f"{finding['fraction'] * 100:.1f}")
        console.print(table)
    else:
        console.print("No findings.")
    console.print(Text(f"Run written to {_safe(run_dir)}"))
    console.print(Text(f"  {_safe(str(Path(run_dir) / 'readiness.json'))}", style="dim"))


def render_disclosure(lines: Sequence[str], run_dir: str, console: Any) -> None:
    """What the packet discloses, so the client can check it before sending it to anyone."""
    from rich.text import Text

    console.print(Text(f"Briefing packet: {_safe(str(Path(run_dir) / 'briefing.html'))}", style="bold"))
    pdf = Path(run_dir) / "briefing.pdf"
    if pdf.is_file():  # written by --pdf
        console.print(Text(f"Briefing PDF: {_safe(str(pdf))}", style="bold"))
    console.print(Text(f"  also briefing.md, briefing.txt{', briefing.pdf' if pdf.is_file() else ''} and packet.zip; "
                       "internal/ stays with you", style="dim"))
    console.print(Text("Before you share it, check what the packet discloses:"))
    for line in lines:
        console.print(Text(f"  - {_safe(line)}"))
