"""Reports: readiness.json (validated against the shipped JSON Schema) and the terminal summary."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from readiness.base.version import SCHEMA_VERSION, SCORE_VERSION, __version__
from readiness.ingest.model import Table
from readiness.models import (
    ExpectationOutcome,
    FileEntry,
    Finding,
    LabelSummary,
    Score,
    TableProfile,
)
from readiness.report import relations as relations_report
from readiness.report.verdict import headline
from readiness.score import floor2

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
          label: LabelSummary | None, findings: Sequence[Finding], validation: dict[str, Any],
          times: Mapping[str, Any], volume_guidance: list[str], label_guess: dict[str, Any] | None,
          engine: dict[str, Any], media: Sequence[dict[str, Any]] = (),
          relations: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """readiness.json. ``media``: each media dataset's summary (media/summary.py); ``times``: each table's time section, by table name; ``engine``: the
    engine's name and how each table reached it (Engine.describe); ``relations``: the keys between
    the tables (report.relations.relations_json), always written (empty lists when none)."""
    document: dict[str, Any] = {
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
        "tables": [{**table_json(p, t), "time": times.get(p.name)} for p, t in tables],
        "media": list(media),
        "relations": dict(relations) if relations else relations_report.empty(),
        "label": None if label is None else {
            "table": label.table, "column": label.column, "task": label.task, "rows": label.rows,
            "labeled": label.labeled, "coverage": label.coverage, "classes": label.classes,
        },
        "findings": [finding_json(f) for f in findings],
        "validation": validation,
        "volume_guidance": volume_guidance,
        "label_guess": label_guess,
        "score_cap": None if score.capped_by is None else {"by": score.capped_by,
                                                           "uncapped": floor2(score.uncapped or 0.0)},
    }
    document["headline"] = headline(document)  # the verdict's one line, read from the document itself
    document["engine"] = engine
    return document


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_document(document: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when a readiness.json breaks the shipped schema."""
    import jsonschema

    jsonschema.validate(document, schema())
