"""The publishing stage: readiness.json built once (report.document.build), the run folder written
(internal/ for the owner, the packet to share) and published, then recorded in the history."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from readiness.base import files
from readiness.base.progress import stage
from readiness.checks import run as checks
from readiness.history import compare, rescore, runs
from readiness.history import store as history
from readiness.ingest.model import Table
from readiness.media import summary
from readiness.models import TableProfile
from readiness.pipeline.stages import (
    Baseline,
    Checked,
    Drawing,
    Found,
    Published,
    Read,
    Request,
    Scored,
)
from readiness.profile import labels, visual
from readiness.report import document as report
from readiness.report import media as media_report
from readiness.report import packet
from readiness.report import relations as relations_report
from readiness.report.holdout import shown as shown_holdout
from readiness.report.holdout import write_holdout
from readiness.settings import Settings
from readiness.validate import gx as validate
from readiness.validate import suites as suite_files


def published(request: Request, baseline: Baseline, read: Read, checked: Checked, found: Found, scored: Scored,
              drawing: Drawing, engine: dict[str, Any]) -> Published:
    """Write the run under --out, publish it and record it. ``engine``: readiness.json's "engine"."""
    settings, stats, shown = request.settings, list(checked.stats), found.shown
    folder = runs.RunFolder(request.out_dir, request.dataset_name, runs.new_run_id(request.started))
    try:
        profiles = _profiles(request, read, checked, drawing, folder.internal / "profiles")
        shared_suites = {}
        for table_name, (_, suite_json, _) in zip(checked.suites.origins, checked.suites.work, strict=True):
            # as run (real names, value sets) for the owner; as shared: see packet.write_packet
            files.write_suite(folder.internal / "suites" / f"{suite_files.slug(table_name)}.json", suite_json,
                              durable=False)  # flushed together when the run is published
            shared_suites[shown.table(table_name)] = shown.suite(suite_json, table_name)
        finished = files.utc_now()
        document = report.build(
            run_id=folder.run_id, dataset_name=request.dataset_name, dataset_path=request.path,
            started_at=files.iso(request.started), finished_at=files.iso(finished), now=files.iso(request.now),
            score=scored.score, task=read.target.task, files=read.ingested.files, tables=profiles,
            label=scored.label, findings=found.findings,
            validation=validate.described(report.validation_json(checked.outcomes, checked.suites.origins),
                                          checked.outcomes),
            times=checked.time_summaries, volume_guidance=checks.volume_guidance(stats, read.target.task),
            label_guess=labels.guess_json(read.target), engine=engine,
            media=[summary.describe(dataset) for dataset in read.media],
            relations=relations_report.relations_json(checked.relations),
        )
        shared = shown.document(document)  # names that hold personal data replaced (history keeps them)
        # a column is read as a column of its own table (as in "tables"), not by the global names
        shared["relations"] = relations_report.shown(document["relations"], shown)
        files.write_json(folder.staging / "readiness.json", shared)
        files.write_atomic(folder.internal / "names.json", files.dumps_indented(shown.internal_json()) + "\n",
                           mode=0o600)
        errors = [{"table": o.table, "type": o.type, "column": o.column, "error": o.error}
                  for o in checked.outcomes if o.error]
        if errors:
            files.write_atomic(folder.internal / "validation_errors.json",
                               json.dumps(errors, indent=2, ensure_ascii=False) + "\n", mode=0o600)
        record = {**document, "dataset": request.dataset_name, "config_hash": _config_hash(settings),
                  "tables": found.schema_now, "summaries": found.summaries,
                  "score_inputs": rescore.score_inputs_json(scored.inputs, settings)}
        previous = baseline.previous
        changes = compare.diff(previous, record, settings.thresholds.drift_psi, list(found.moved)) if previous else None
        trend = [(r["finished_at"], r["score"]) for r in reversed(baseline.previous_runs)] \
            + [(document["finished_at"], document["score"])]
        stage("writing the packet")
        holdout = write_holdout(folder.internal, stats, read.target, list(found.findings), settings,
                                checked.holdout_drawn)  # labels stay in internal/
        context = packet.write_packet(folder.staging, shared, replace(settings, share=shown.share(settings.share)),
                                      trend=trend, changes=shown.changes(changes), suites=shared_suites,
                                      holdout=shown_holdout(holdout, shown), paper=request.paper, pdf=request.printer,
                                      thumbnails=media_report.contact_sheet(request.root, read.media, settings,
                                                                            shown.text))
        files.write_atomic(folder.internal / "README.txt",
                           "INTERNAL - DO NOT SHARE. Full profiles with raw values of the client's data.\n")
        final = folder.publish(document["finished_at"])
    except BaseException:
        folder.discard()
        raise
    history.record(request.db, document, str(final), record["config_hash"], found.summaries, record["score_inputs"])
    return Published(shared, final, tuple(packet.disclosure(context)), context["pdf_problem"], record, shown,
                     previous)


def _profiles(request: Request, read: Read, checked: Checked, drawing: Drawing,
              folder: Path) -> list[tuple[TableProfile, Table]]:
    """Each table's profile for readiness.json, with its visual profile placed under ``folder``. A
    table with no rows, past [profile] max_tables or that the profiler failed on: no profile
    (written false) and a note beside the others; the audit goes on."""
    tables = list(read.ingested.tables)
    placed = dict(zip([t.name for t in tables],
                      visual.place_profiles(drawing.drawn, tables, drawing.scratch, folder), strict=True)) \
        if request.settings.profile.enabled else {}
    profiles = []
    for table_stats in checked.stats:
        sampled, drawn = placed.get(table_stats.table.name, (None, None))
        written = f"internal/profiles/{drawn}" if drawn else None
        profiles.append((table_stats.profile(sampled, written), table_stats.table))
    return profiles


def _config_hash(settings: Settings) -> str | None:
    if settings.config_path is None:
        return None
    try:
        return hashlib.sha256(Path(settings.config_path).read_bytes()).hexdigest()
    except OSError:
        return None
