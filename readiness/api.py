"""The plain Python API: ``audit(path, ...) -> Audit``. The CLI, schedulers and tests call this.

It builds the settings, checks the output folder and hands the audit to readiness.pipeline:
ingest -> profile -> validate (exact checks + GX) -> score -> report -> history
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from readiness import engines, pipeline
from readiness.base import files, parallel
from readiness.base import progress as progress_module
from readiness.base.errors import UsageError
from readiness.history import runs
from readiness.history import store as history
from readiness.history.gates import Gates
from readiness.history.gates import failures as gate_failures
from readiness.ingest import database
from readiness.profile import names
from readiness.report.brief import missing as missing_brief_fields
from readiness.report.pdf import chromium_option, paper_size, write_pdf
from readiness.settings import Settings, build_settings

Progress = Callable[[str], None] | progress_module.Reporter


@dataclass(frozen=True)
class Audit:
    """A completed audit: the readiness.json document and where the run was written."""

    result: dict[str, Any]
    run_dir: Path
    settings: Settings = field(repr=False)
    disclosure: tuple[str, ...] = ()
    pdf_problem: str | None = None  # why --pdf wrote no briefing.pdf
    previous: dict[str, Any] | None = field(default=None, repr=False)  # the dataset's previous run
    record: dict[str, Any] | None = field(default=None, repr=False)  # this run as the history holds it
    placeholders: names.Names = field(default_factory=names.Names, repr=False)  # for names holding personal data

    def gate_failures(self, gates: Gates) -> tuple[list[str], list[str]]:
        """(why the run fails its gates, notes); empty when every gate passes. Names that hold
        personal data are shown by their placeholders, as in every shared file."""
        failed, notes = gate_failures(gates, self.record or self.result, self.previous)
        return [self.placeholders.text(line) for line in failed], [self.placeholders.text(line) for line in notes]

    @property
    def score(self) -> float:
        return float(self.result["score"])

    @property
    def grade(self) -> str:
        return str(self.result["grade"])

    @property
    def band(self) -> str:
        return str(self.result["band"])

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list(self.result["findings"])

    @property
    def brief_missing(self) -> list[str]:
        """Titles of the brief's fields still empty ([project] in readiness.toml): fill them before
        sharing the packet. An empty task counts as filled by the audit's own."""
        return missing_brief_fields(self.settings.brief, self.result.get("task"))

    @property
    def readable(self) -> bool:
        return bool(self.result["tables"]) or any(m["ok"] for m in self.result.get("media") or [])


NOW_RANGE = (datetime(1678, 1, 1), datetime(2261, 12, 31))  # within pandas' nanosecond timestamps


def parse_now(value: str | date | datetime | None) -> datetime:
    if value is None:
        return files.utc_now()
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(f"--now {value!r} is not an ISO date; write it like 2026-11-22 or 2026-11-22T03:15:00Z") from exc
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if not NOW_RANGE[0] <= parsed.astimezone(UTC).replace(tzinfo=None) <= NOW_RANGE[1]:
        raise UsageError(f"--now {value!r} is outside the dates an audit can count from "
                         f"({NOW_RANGE[0]:%Y-%m-%d} to {NOW_RANGE[1]:%Y-%m-%d}); give a date in that range")
    return parsed


@parallel.settling
@progress_module.reported
def audit(
    path: str | Path,
    *,
    out: str | Path = "reports",
    name: str | None = None,
    config: str | Path | None = None,
    label: str | None = None,
    label_table: str | None = None,
    task: str | None = None,
    now: str | date | datetime | None = None,
    profile_enabled: bool | None = None,
    engine: str = "pandas",
    spark_master: str = "local[*]",
    pdf: bool = False,
    paper: str | None = None,
    chromium: str | Path | None = None,
    progress: Progress | None = None,
    schema: str | Iterable[str] | None = None,
    tables: str | Iterable[str] | None = None,
    exclude: str | Iterable[str] | None = None,
) -> Audit:
    """Audit a dataset folder (or one file, or a database URL) and write the run under ``out``.

    ``pdf``: also write briefing.pdf (in packet.zip too) with ``chromium``, or the one found;
    ``paper``: a4 or letter, for the PDF and for printing briefing.html; default: the locale's.
    A database URL (``postgresql://``, ``sqlite:///FILE``, ``duckdb:///FILE``): its tables, named
    ``schema.table``; ``schema`` (default: every non-system schema), ``tables`` and ``exclude``
    choose them (glob patterns on ``schema.table``, comma-separated or repeated)."""
    source = database.parse(str(path)) if database.is_url(path) else None
    selection = database.Selection(database.patterns(schema), database.patterns(tables), database.patterns(exclude))
    if source is None and selection.narrowed:
        raise UsageError("--schema, --tables and --exclude choose the tables of a database URL; PATH is a folder or file")
    root = Path(source.shown) if source is not None else Path(path)  # a database has no folder: nothing found there
    if source is None and not root.exists():
        raise UsageError(f"{root}: no such file or folder; check the path")
    chosen = engines.chosen(engine, spark_master)  # a missing extra is one line before any work
    paper_name = paper_size(paper)
    browser = chromium_option(chromium)
    printer: pipeline.Printer | None = (lambda html, pdf_path: write_pdf(html, pdf_path, browser)) if pdf else None
    started = files.utc_now()
    audit_now = parse_now(now)
    settings = build_settings(root, Path(config) if config else None, label=label, label_table=label_table,
                              task=task, profile=profile_enabled)
    if source is not None:
        database.check(source, settings.limits)  # a URL that cannot be read: one line, before any work
        dataset_name = name or settings.name or source.name or "dataset"
    else:
        dataset_name = name or settings.name or (root.name if root.is_dir() else root.name.split(".")[0]) or "dataset"
    out_dir = Path(out)
    runs.check_out(out_dir)  # before any data is read: a run that cannot be written is not started
    runs_dir = (out_dir / runs.folder_name(dataset_name)).resolve()
    if root.is_dir() and (runs_dir == root.resolve() or root.resolve().is_relative_to(runs_dir)):
        raise UsageError(f"--out {out_dir}: the runs would go to {out_dir / runs.folder_name(dataset_name)}, "
                         f"which is the dataset folder {root} itself; give another --out (e.g. reports)")
    runs.clean_stale(out_dir / runs.folder_name(dataset_name))
    recover(out_dir, dataset_name)
    request = pipeline.Request(root=root, path=source.shown if source is not None else str(path), settings=settings,
                               dataset_name=dataset_name, out_dir=out_dir, config=Path(config) if config else None,
                               started=started, now=audit_now, paper=paper_name, printer=printer)
    if source is not None:
        request = with_database(request, database.Database(source, selection))
    done = pipeline.run(request, chosen)
    return Audit(done.document, done.run_dir, settings, done.disclosure, done.pdf_problem, done.previous,
                 done.record, done.shown)


def with_database(request: pipeline.Request, source: database.Database) -> pipeline.Request:
    """The request with the database to read (pipeline/run.py's ``_read`` reads it instead of a folder)."""
    return replace(request, database=source)


def recover(out_dir: Path, dataset_name: str) -> int:
    """Record completed runs an interrupted audit published but could not record in the history."""
    base = out_dir / runs.folder_name(dataset_name)
    if not base.is_dir():
        return 0
    known = {r["run_id"] for r in history.list_runs(out_dir / "history.sqlite", dataset_name)}
    recovered = 0
    for run_dir in sorted(p for p in base.iterdir() if not p.name.startswith(".") and p.name != "latest"):
        document_path = run_dir / "readiness.json"
        if run_dir.name in known or not document_path.is_file():
            continue
        try:
            document = json.loads(document_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        history.record(out_dir / "history.sqlite", document, str(run_dir), None)
        recovered += 1
    return recovered


def dumps(document: dict[str, Any]) -> str:
    return files.json_text(json.dumps(document, indent=2, ensure_ascii=False))
