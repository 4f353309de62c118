"""The plain Python API: ``audit(path, ...) -> Audit``. The CLI, schedulers and tests call this.

ingest -> profile -> validate (exact checks + GX) -> score -> report -> history
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from readiness.base import parallel
from readiness.base import progress as progress_module
from readiness.base.errors import UsageError
from readiness.base.progress import stage  # to audit's ``progress=`` (progress_module.reported)
from readiness.checks import core as checks
from readiness.checks import ml as mlchecks
from readiness.history import compare, runs
from readiness.history import store as history
from readiness.history.gates import Gates
from readiness.history.gates import failures as gate_failures
from readiness.ingest.tables import config_files_of, ingest, is_text, release_memory
from readiness.models import Finding, LabelSummary
from readiness.profile import formats, labels, names
from readiness.profile import stats as profile
from readiness.report import document as report
from readiness.report import packet, trial, verdict
from readiness.report.brief import missing as missing_brief_fields
from readiness.report.pdf import chromium_option, paper_size, write_pdf
from readiness.score import ScoreInputs, TableFacts, floor2, score
from readiness.settings import Settings, build_settings
from readiness.validate import gx as validate
from readiness.validate import suites

Progress = Callable[[str], None] | progress_module.Reporter
Printer = Callable[[Path, Path], str | None]  # prints briefing.html to briefing.pdf; why not, or None
# imported by both GX and the profiler, in every audit: loaded while the files are read
PRELOAD = ("scipy.stats",)


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
        return bool(self.result["tables"])


NOW_RANGE = (datetime(1678, 1, 1), datetime(2261, 12, 31))  # within pandas' nanosecond timestamps


def parse_now(value: str | date | datetime | None) -> datetime:
    if value is None:
        return runs.utc_now()
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


def _baseline(db: Path, dataset_name: str) -> dict[str, Any] | None:
    """The newest recorded run that read a table: what this run is compared with. A run that read
    none (an empty or unreadable folder, score 0) is in the history but is no baseline: a gate
    would pass any drop against it, and every finding would look new."""
    found = history.latest_runs(db, dataset_name, count=1)
    for _ in range(50):  # a long streak of empty runs: compare with nothing rather than search on
        if not found or found[0].get("tables"):
            break
        found = history.latest_runs(db, dataset_name, count=1, before=(found[0]["finished_at"], found[0]["run_id"]))
    return found[0] if found and found[0].get("tables") else None


def _ignored_output(root: Path, out_dir: Path, dataset_name: str) -> list[Path]:
    """What of --out the walk must not read as data: all of it when it lies inside PATH; when it is
    PATH itself, the dataset's runs and the history; nothing when PATH lies inside it (``--out .``
    run from above the data)."""
    if not out_dir.exists():
        return []
    here, there = out_dir.resolve(), root.resolve()
    if here == there:
        return [out_dir / runs.folder_name(dataset_name), out_dir / "history.sqlite"]
    return [out_dir] if here.is_relative_to(there) else []


def _facts(stats: profile.TableStats) -> TableFacts:
    cells = sum(stats.rows for c in stats.columns if not c.plan.is_label)
    checked = sum(c.non_missing for c in stats.columns
                  if (c.plan.format or c.plan.has_range or c.plan.type in ("text", "datetime")) and not c.plan.is_label)
    dates = sum(c.non_missing for c in stats.columns if c.plan.format and c.plan.format.startswith("date:"))
    label = stats.label
    return TableFacts(
        name=stats.table.name, rows=stats.rows, cells=cells, checked_values=checked, date_values=dates,
        labeled=label.labeled if label else None,
        classes=len(label.classes) if label and label.classes else 0,
    )


def _config_hash(settings: Settings) -> str | None:
    if settings.config_path is None:
        return None
    try:
        return hashlib.sha256(Path(settings.config_path).read_bytes()).hexdigest()
    except OSError:
        return None


def _expectation_findings(outcomes: list[Any], rows: dict[str, int],
                          columns: dict[str, set[str]] | None = None) -> list[Finding]:
    """Failures of expectations a user added to a suite, which no built-in check covers."""
    columns = columns or {}
    found = []
    for outcome in outcomes:
        if outcome.check is not None or (outcome.success and not outcome.error):
            continue
        table_rows = rows.get(outcome.table, 0)
        if outcome.error:
            found.append(Finding(
                check="expectation_error", severity="minor", dimension="validity", table=outcome.table,
                column=outcome.column, count=0, fraction=0.0, expectation=outcome.type,
                # GX's own error text may quote values: only the type is named (the text: internal/)
                message=(f"{outcome.type} names column {outcome.column}, which does not exist in {outcome.table}; "
                         "fix the suite" if outcome.column and outcome.column not in columns.get(outcome.table, {outcome.column})
                         else f"{outcome.type} could not run; fix the suite (the error is in "
                              "internal/validation_errors.json)"),
                subject=outcome.type,
            ))
            continue
        count = int(outcome.unexpected_count or 0)
        found.append(Finding(
            check="expectation_failed", severity="minor", dimension="validity", table=outcome.table,
            column=outcome.column, count=count, fraction=count / table_rows if table_rows else 0.0,
            expectation=outcome.type,
            message=f"{outcome.type} failed" + (f" for {count:,} values" if count else "") + " (from the table's suite)",
            subject=outcome.type,
        ))
    return found


def _waive(findings: list[Finding], settings: Settings, today: date) -> list[Finding]:
    by_id = {w.finding: w for w in settings.waivers}
    out = []
    for finding in findings:
        waiver = by_id.get(finding.id)
        if waiver is None:
            out.append(finding)
            continue
        note = {"reason": waiver.reason, "expires": waiver.expires.isoformat() if waiver.expires else None}
        if waiver.active(today):
            out.append(replace(finding, waived=True, details={**finding.details, "waiver": note}))
        else:
            out.append(replace(finding, details={**finding.details, "waiver_expired": note}))
    return out


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
) -> Audit:
    """Audit a dataset folder (or one file) and write the run under ``out``.

    ``pdf``: also write briefing.pdf (in packet.zip too) with ``chromium``, or the one found;
    ``paper``: a4 or letter, for the PDF and for printing briefing.html; default: the locale's."""
    root = Path(path)
    if not root.exists():
        raise UsageError(f"{root}: no such file or folder; check the path")
    if engine not in ("pandas", "spark"):
        raise UsageError(f"--engine {engine!r} is not an engine; use pandas or spark")
    if engine == "spark":
        from readiness.engines import spark

        spark.require()  # a missing extra is one line before any work, not an error after the reading
    paper_name = paper_size(paper)
    browser = chromium_option(chromium)
    printer: Printer | None = (lambda html, pdf_path: write_pdf(html, pdf_path, browser)) if pdf else None
    started = runs.utc_now()
    audit_now = parse_now(now)
    settings = build_settings(root, Path(config) if config else None, label=label, label_table=label_table,
                              task=task, profile=profile_enabled)
    dataset_name = name or settings.name or (root.name if root.is_dir() else root.name.split(".")[0]) or "dataset"
    out_dir = Path(out)
    runs.check_out(out_dir)  # before any data is read: a run that cannot be written is not started
    runs_dir = (out_dir / runs.folder_name(dataset_name)).resolve()
    if root.is_dir() and (runs_dir == root.resolve() or root.resolve().is_relative_to(runs_dir)):
        raise UsageError(f"--out {out_dir}: the runs would go to {out_dir / runs.folder_name(dataset_name)}, "
                         f"which is the dataset folder {root} itself; give another --out (e.g. reports)")
    db = out_dir / "history.sqlite"
    runs.clean_stale(out_dir / runs.folder_name(dataset_name))
    recover(out_dir, dataset_name)
    # the previous run in full (what changed); the eleven before it for the trend only
    previous = _baseline(db, dataset_name)
    previous_runs = history.latest_listed(db, dataset_name, count=12)
    parallel.settle()  # the history's runs live to the end: no collection walks them again

    stage("reading files")
    preloading = parallel.preload(*PRELOAD, *([profile.warm_if_repeated] if settings.profile.enabled else []))
    ingested = ingest(root, ignore=_ignored_output(root, out_dir, dataset_name),
                      config_files=config_files_of(root, settings.suites_dir)
                      + ([Path(config)] if config else []), limits=settings.limits)
    target = labels.resolve(ingested.tables, settings)
    release_memory()
    parallel.settle()  # the tables too

    preloading.join()  # before any fork: a child never starts mid-import
    # the visual profiles need only the tables: drawn on the second core while the counts run here
    scratch = Path(tempfile.mkdtemp(prefix="readiness-profiles-"))
    os.chmod(scratch, 0o700)
    fork = parallel.worth_forking(sum(len(t.frame) * max(1, t.frame.shape[1]) for t in ingested.tables),
                                  len(ingested.tables))
    drawing = parallel.Background(profile.write_visual_profiles, list(ingested.tables), scratch, settings,
                                  fork=parallel.draw_aside() and settings.profile.enabled
                                  and any(len(t.frame) for t in ingested.tables))
    # GX's child too: it imports GX while the suites are built here, then validates
    validating = parallel.Deferred(validate.warm_up, validate.run_tables, list(ingested.tables),
                                   fork=fork and engine == "pandas" and bool(ingested.tables))
    try:
        engine_session = None
        if engine == "spark":
            from readiness.engines import spark

            stage("starting Spark")
            engine_session = spark.session(spark_master)
        return _audit(root, path, settings, ingested, target, scratch, drawing, validating, dataset_name, out_dir,
                      db, previous_runs, previous, started, audit_now, printer, engine_session,
                      paper=paper_name)
    finally:
        validating.cancel()
        drawing.cancel()
        shutil.rmtree(scratch, ignore_errors=True)
        formats.forget()  # the per-column caches hold the table's distinct values
        compare.forget()


def _audit(root: Path, path: str | Path, settings: Settings, ingested: Any, target: Any, scratch: Path,
           drawing: parallel.Background[list[int | None]], gx_child: parallel.Deferred[validate.Outcomes],
           dataset_name: str, out_dir: Path, db: Path,
           previous_runs: list[dict[str, Any]], previous: dict[str, Any] | None, started: datetime,
           audit_now: datetime, pdf: Printer | None, spark_session: Any = None,
           paper: str = "a4") -> Audit:
    columns = sum(t.frame.shape[1] for t in ingested.tables)
    rows = sum(len(t.frame) for t in ingested.tables)
    stage(f"counting {rows:,} rows", columns, "columns")  # hashing and inference: profile.prepare
    spark_frames: dict[str, Any] = {}
    read_by: dict[str, str] = {}
    if spark_session is None:
        prepared = profile.prepare_all(list(ingested.tables), settings, target)
    else:
        from readiness.engines import spark

        prepared = []
        for table in ingested.tables:
            frame, counted = spark.load_and_count(spark_session, root, table,
                                                  profile.row_numbers(table, settings, target))
            spark_frames[table.name] = frame
            read_by[table.name] = counted.read_by
            prepared.append(profile.prepare(table, settings, target, counted))

    parallel.settle()  # and the plans and counts
    stage("checking columns", columns, "columns")  # while GX validates in its child: profile.finish
    work, origins = [], {}
    for ready in prepared:
        table = ready.table
        path_on_disk = suites.suite_path(root if root.is_dir() else root.parent, settings.suites_dir, table.name)
        if root.is_dir() and path_on_disk.is_file():
            suite_json = suites.read_suite(path_on_disk)
            origins[table.name] = path_on_disk.relative_to(root).as_posix() if path_on_disk.is_relative_to(root) else str(path_on_disk)
        else:
            text_columns = {c for c in table.frame.columns if is_text(table.frame[c])}
            suite_json = suites.build_suite(ready.plan, text_columns)
            origins[table.name] = "built-in"
        work.append((table, suite_json, origins[table.name]))
    cells = sum(len(p.table.frame) * p.table.frame.shape[1] for p in prepared)
    beside = not parallel.memory_bound(cells)  # GX beside the ML checks, or after them

    def start_validation() -> parallel.Background[validate.Outcomes]:
        if spark_session is not None:  # Spark stays in this process
            return parallel.Background(validate.run_suites, work, spark_frames, fork=False)
        codes = {p.table.name: p.codes for p in prepared if p.codes is not None}
        release_memory()
        gx_child.start([(table.name, suite_json, origin) for table, suite_json, origin in work], codes)
        return gx_child

    validating = start_validation() if beside else None
    try:
        stats = [profile.finish(p, settings, target) for p in parallel.settled(prepared)]  # while GX runs
        parallel.settle()
        formats.forget()  # the counts are made: drop the per-column work kept for them
        release_memory()
        findings = checks.all_findings(ingested.files, stats, target, settings)
        extra, time_summaries = mlchecks.all_extra(stats, settings, target.task, audit_now,
                                                   settings.label.after_outcome)
        holdout_drawn = trial.draw_holdout(stats, target, findings + extra)  # while GX validates in its child
        release_memory()
        if validating is None:
            validating = start_validation()
        stage("waiting for GX's validation")
        outcomes = validating.result()
    finally:
        if validating is not None:
            validating.cancel()
    findings += _expectation_findings(outcomes, {s.table.name: s.rows for s in stats},
                                     {s.table.name: {str(c) for c in s.table.frame.columns} for s in stats})
    findings += extra
    summaries = {s.table.name: {c.plan.name: c.summary for c in s.columns if c.summary is not None} for s in stats}
    schema_now = [{"name": s.table.name, "rows": s.rows,
                   "columns": [{"name": c.plan.name, "type": c.plan.type} for c in s.columns]} for s in stats]
    findings += compare.drift_findings(previous, schema_now, summaries, settings.thresholds.drift_psi)
    shown = names.build(ingested.files, [(s.table.name, s.table.source, [c.plan.name for c in s.columns]) for s in stats],
                        {(s.label.table, s.label.column): list(s.label.classes) for s in stats
                         if s.label is not None and s.label.classes and not s.label.personal},
                        dataset_name, previous)
    findings += shown.findings({s.table.name: s.rows for s in stats},
                               sum(1 for f in ingested.files if f.status != "skipped"))
    findings = checks.rank(_waive(findings, settings, audit_now.date()))

    stage("scoring")
    data_files = sum(1 for f in ingested.files if f.status != "skipped")
    inputs = ScoreInputs(tuple(_facts(s) for s in stats), tuple(findings), data_files,
                         labels.is_supervised(target.task), target.task)
    result_score = score(inputs, settings)

    label_summary = None
    labeled = [s.label for s in stats if s.label is not None]
    if labeled:
        main = max(labeled, key=lambda s: s.rows)
        main_plan = next(t.plan for t in stats if t.table.name == main.table)
        personal_label = main_plan.column(main.column).pii is not None
        label_summary = LabelSummary(
            table=main.table, column=main.column, task=target.task, rows=main.rows, labeled=main.labeled,
            coverage=main.labeled / main.rows if main.rows else 0.0,
            classes=dict(main.classes) if main.classes is not None and not personal_label else None,
        )

    stage("writing the report")
    run_id = runs.new_run_id(started)
    folder = runs.RunFolder(out_dir, dataset_name, run_id)
    try:
        profiles = []
        # a table with no rows, past [profile] max_tables or that the profiler failed on: no
        # profile (written false) and a note beside the others; the audit goes on
        placed = dict(zip([t.name for t in ingested.tables],
                          profile.place_profiles(drawing.result, list(ingested.tables), scratch,
                                                 folder.internal / "profiles"), strict=True)) \
            if settings.profile.enabled else {}
        for table_stats in stats:
            sampled, drawn = placed.get(table_stats.table.name, (None, None))
            written = f"internal/profiles/{drawn}" if drawn else None
            profiles.append((table_stats.profile(sampled, written), table_stats.table))
        shared_suites = {}
        for table_name, (_, suite_json, _) in zip(origins, work, strict=True):
            # as run (real names, value sets) for the owner; as shared: see packet.write_packet
            runs.write_suite(folder.internal / "suites" / f"{suites.slug(table_name)}.json", suite_json,
                             durable=False)  # flushed together when the run is published
            shared_suites[shown.table(table_name)] = shown.suite(suite_json, table_name)
        finished = runs.utc_now()
        document = report.build(
            run_id=run_id, dataset_name=dataset_name, dataset_path=str(path), started_at=runs.iso(started),
            finished_at=runs.iso(finished), now=runs.iso(audit_now), score=result_score, task=target.task,
            files=ingested.files, tables=profiles, label=label_summary, findings=findings,
            validation=validate.described(report.validation_json(outcomes, origins), outcomes),
        )
        for table in document["tables"]:
            table["time"] = time_summaries.get(table["name"])
        document["volume_guidance"] = mlchecks.volume_guidance(stats, target.task)
        document["label_guess"] = labels.guess_json(target)
        document["score_cap"] = None if result_score.capped_by is None else {
            "by": result_score.capped_by, "uncapped": floor2(result_score.uncapped or 0.0)}
        document["headline"] = verdict.headline(document)
        # the master URL is left out: it may name the client's cluster, and the document is shared
        document["engine"] = {"name": "spark" if spark_session is not None else "pandas", "read_by": read_by}
        shared = shown.document(document)  # names that hold personal data replaced (history keeps them)
        runs.write_json(folder.staging / "readiness.json", shared)
        runs.write_atomic(folder.internal / "names.json", runs.dumps_indented(shown.internal_json()) + "\n",
                          mode=0o600)
        errors = [{"table": o.table, "type": o.type, "column": o.column, "error": o.error} for o in outcomes if o.error]
        if errors:
            runs.write_atomic(folder.internal / "validation_errors.json",
                              json.dumps(errors, indent=2, ensure_ascii=False) + "\n", mode=0o600)
        record_row = {**document, "dataset": dataset_name, "config_hash": _config_hash(settings),
                      "tables": schema_now, "summaries": summaries,
                      "score_inputs": compare.score_inputs_json(inputs, settings)}
        changes = compare.diff(previous, record_row, settings.thresholds.drift_psi) if previous else None
        trend = [(r["finished_at"], r["score"]) for r in reversed(previous_runs)] + [(document["finished_at"], document["score"])]
        stage("writing the packet")
        holdout = trial.write_holdout(folder.internal, stats, target, findings, settings, holdout_drawn)  # labels stay in internal/
        context = packet.write_packet(folder.staging, shared, replace(settings, share=shown.share(settings.share)),
                                      trend=trend, changes=shown.changes(changes), suites=shared_suites,
                                      holdout=trial.shown(holdout, shown), paper=paper, pdf=pdf)
        pdf_problem = context["pdf_problem"]
        runs.write_atomic(folder.internal / "README.txt",
                          "INTERNAL - DO NOT SHARE. Full profiles with raw values of the client's data.\n")
        final = folder.publish(document["finished_at"])
    except BaseException:
        folder.discard()
        raise
    history.record(db, document, str(final), record_row["config_hash"], summaries, record_row["score_inputs"])
    return Audit(shared, final, settings, tuple(packet.disclosure(context)), pdf_problem, previous, record_row, shown)


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
    return names.json_text(json.dumps(document, indent=2, ensure_ascii=False))
