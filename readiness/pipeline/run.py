"""The audit's sequence: each stage takes the previous stage's record and returns the next one,
while the visual profiles and GX's validation run in forked children beside the counts and checks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from readiness.base import parallel
from readiness.base.progress import stage
from readiness.engines import Engine
from readiness.history import runs
from readiness.history import store as history
from readiness.ingest import database
from readiness.ingest.walk import config_files_of, ingest, release_memory
from readiness.models import DeclaredKey
from readiness.pipeline import checking, findings, publish, scoring
from readiness.pipeline.media import read_media, tables_only_label
from readiness.pipeline.stages import Baseline, Drawing, Published, Read, Request
from readiness.profile import labels, visual
from readiness.settings import Settings, environment
from readiness.validate import gx as validate

# imported by both GX and the profiler, in every audit: loaded while the files are read
PRELOAD = ("scipy.stats",)


def run(request: Request, engine: Engine) -> Published:
    """Audit the request's data with ``engine`` and publish the run."""
    baseline = _baseline(request)
    parallel.settle()  # the history's runs live to the end: no collection walks them again

    stage("reading files")
    preloading = parallel.preload(*PRELOAD, *([visual.warm_if_repeated] if request.settings.profile.enabled else []))
    read = _read(request)
    request = replace(request, settings=_declared_ids(request.settings, read.ingested.declared))
    parallel.settle()  # the tables too

    preloading.join()  # before any fork: a child never starts mid-import
    tables = list(read.ingested.tables)
    # the visual profiles need only the tables: drawn on the second core while the counts run here
    scratch = Path(tempfile.mkdtemp(prefix="readiness-profiles-"))
    os.chmod(scratch, 0o700)
    choice = environment.current().parallel  # READINESS_PARALLEL
    fork = parallel.worth_forking(sum(len(t.frame) * max(1, t.frame.shape[1]) for t in tables), len(tables),
                                  choice=choice)
    drawing = parallel.Background(visual.write_visual_profiles, tables, scratch, request.settings,
                                  fork=parallel.draw_aside(choice=choice) and request.settings.profile.enabled
                                  and any(len(t.frame) for t in tables))
    # GX's child too: it imports GX while the suites are built here, then validates
    validating = parallel.Deferred(validate.warm_up, validate.run_tables, tables, engine.batch,
                                   fork=fork and engine.forkable and bool(tables))
    try:
        engine.start()
        checked = checking.checked(request, read, engine, validating)
        found = findings.found(request, read, checked, baseline)
        stage("scoring")
        scored = scoring.scored(request, read, checked, found)
        stage("writing the report")
        return publish.published(request, baseline, read, checked, found, scored,
                                 Drawing(drawing.result, scratch), engine.describe())
    finally:
        validating.cancel()
        drawing.cancel()
        shutil.rmtree(scratch, ignore_errors=True)


def _baseline(request: Request) -> Baseline:
    """The previous run in full (what changed); the eleven before it for the trend only."""
    return Baseline(_previous(request.db, request.dataset_name),
                    tuple(history.latest_listed(request.db, request.dataset_name, count=12)))


def _previous(db: Path, dataset_name: str) -> dict[str, Any] | None:
    """The newest recorded run that read a table: what this run is compared with. A run that read
    none (an empty or unreadable folder, score 0) is in the history but is no baseline: a gate
    would pass any drop against it, and every finding would look new."""
    found = history.latest_runs(db, dataset_name, count=1)
    for _ in range(50):  # a long streak of empty runs: compare with nothing rather than search on
        if not found or found[0].get("tables"):
            break
        found = history.latest_runs(db, dataset_name, count=1, before=(found[0]["finished_at"], found[0]["run_id"]))
    return found[0] if found and found[0].get("tables") else None


def _read(request: Request) -> Read:
    """Every file of PATH listed, its tables read, and the label to look for."""
    root, settings = request.root, request.settings
    source = request.database  # a database URL (api.with_database)
    if source is not None:
        ingested = database.ingest_url(source.source, source.selection, settings.limits)
    else:
        ingested = ingest(root, ignore=_ignored_output(root, request.out_dir, request.dataset_name),
                          config_files=config_files_of(root, settings.suites_dir)
                          + ([request.config] if request.config else []), limits=settings.limits)
    target = labels.resolve(ingested.tables, settings)
    release_memory()
    ingested, media = read_media(request, ingested)
    if settings.task is None and tables_only_label([t.name for t in ingested.tables], media):
        target = replace(target, task="classification")  # class folders or a labels file: classes to learn
    return Read(ingested, target, media)


def _declared_ids(settings: Settings, declared: tuple[DeclaredKey, ...]) -> Settings:
    """A database's declared primary keys are its tables' id columns (never a row number to drop,
    and their repeats are not_unique), unless readiness.toml names the ids itself."""
    tables = dict(settings.tables)
    for key in declared:
        if key.kind == "primary" and settings.table(key.table).id_columns is None:
            tables[key.table] = replace(settings.table(key.table), id_columns=key.columns)
    return replace(settings, tables=tables) if tables != settings.tables else settings


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
