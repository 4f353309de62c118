"""The counting and checking stage: the engine counts every table, each table's suite is built
(or read from PATH), GX validates in its child while the columns and the ML checks run here."""

from __future__ import annotations

from readiness.base import parallel
from readiness.base.progress import stage
from readiness.checks import media as media_checks
from readiness.checks import run as checks
from readiness.engines import Engine
from readiness.ingest.columns import is_text
from readiness.ingest.walk import release_memory
from readiness.models import Relations
from readiness.pipeline.stages import Checked, Read, Request, Suites
from readiness.profile import counts
from readiness.profile import relations as relations_profile
from readiness.profile.counts import TableStats
from readiness.profile.labels import LabelTarget
from readiness.report.holdout import draw_holdout
from readiness.settings import environment
from readiness.validate import gx as validate
from readiness.validate import suites as suite_files


def checked(request: Request, read: Read, engine: Engine, gx_child: parallel.Deferred[validate.Outcomes]) -> Checked:
    """Every table counted, checked and validated. ``gx_child``: GX's validation, forked before
    the counts (or run here when it is asked for its result); it starts once the suites exist."""
    settings, target, tables = request.settings, read.target, read.ingested.tables
    columns = sum(t.frame.shape[1] for t in tables)
    rows = sum(len(t.frame) for t in tables)
    stage(f"counting {rows:,} rows", columns, "columns")  # hashing and inference: profile.prepare
    prepared = engine.prepare(read.ingested, settings, target)

    parallel.settle()  # and the plans and counts
    stage("checking columns", columns, "columns")  # while GX validates in its child: counts.finish
    suites = _suites(request, prepared)
    cells = sum(len(p.table.frame) * p.table.frame.shape[1] for p in prepared)
    beside = not parallel.memory_bound(cells, choice=environment.current().overlap)  # GX beside the ML checks, or after them

    def start_validation() -> parallel.Deferred[validate.Outcomes]:
        codes = {p.table.name: p.codes for p in prepared if p.codes is not None}
        release_memory()
        gx_child.start([(table.name, suite_json, origin) for table, suite_json, origin in suites.work], codes)
        return gx_child

    validating = start_validation() if beside else None
    try:
        stats = [counts.finish(p, settings, target) for p in parallel.settled(prepared)]  # while GX runs
        parallel.settle()
        release_memory()
        media_paths = {e.file.path for d in read.media for e in d.files}  # their failures: corrupt_file
        findings = checks.all_findings([f for f in read.ingested.files if f.path not in media_paths], stats,
                                       target, settings)
        relations = _relations(read, stats, target)
        findings = checks.rank(findings + checks.relation_findings(relations, stats))
        findings += [f for dataset in read.media for f in media_checks.findings(dataset, settings)]
        extra, time_summaries = checks.all_extra(stats, settings, target.task, request.now,
                                                 settings.label.after_outcome)
        holdout_drawn = draw_holdout(stats, target, findings + extra)  # while GX validates in its child
        release_memory()
        if validating is None:
            validating = start_validation()
        stage("waiting for GX's validation")
        outcomes = validating.result()
    finally:
        if validating is not None:
            validating.cancel()
    return Checked(tuple(stats), tuple(findings), tuple(extra), time_summaries, holdout_drawn, suites, outcomes,
                   relations)


def _relations(read: Read, stats: list[TableStats], target: LabelTarget) -> Relations:
    """The keys between the tables (nothing to relate in one table without declared keys): the
    profile's id columns and date formats, the label table as the join coverage's main table."""
    declared = read.ingested.declared
    if len(stats) < 2 and not declared:
        return Relations()
    stage("relating tables", len(stats), "tables")
    ids = {s.table.name: tuple(c.plan.name for c in s.columns if c.plan.is_id) for s in stats}
    formats = {s.table.name: {c.plan.name: c.plan.format for c in s.columns if c.plan.format} for s in stats}
    label_table = target.tables[0] if target.tables else None
    return relations_profile.infer([s.table for s in stats], declared, label_table=label_table, id_columns=ids,
                                   date_formats=formats)


def _suites(request: Request, prepared: list[counts.Prepared]) -> Suites:
    """Each table's suite: the user's file under PATH (``readiness init`` writes them), else one
    built from the table's plan."""
    root, settings = request.root, request.settings
    work, origins = [], {}
    for ready in prepared:
        table = ready.table
        path_on_disk = suite_files.suite_path(root if root.is_dir() else root.parent, settings.suites_dir, table.name)
        if root.is_dir() and path_on_disk.is_file():
            suite_json = suite_files.read_suite(path_on_disk)
            origins[table.name] = path_on_disk.relative_to(root).as_posix() if path_on_disk.is_relative_to(root) \
                else str(path_on_disk)
        else:
            text_columns = {c for c in table.frame.columns if is_text(table.frame[c])}
            suite_json = suite_files.build_suite(ready.plan, text_columns)
            origins[table.name] = "built-in"
        work.append((table, suite_json, origins[table.name]))
    return Suites(tuple(work), origins)
