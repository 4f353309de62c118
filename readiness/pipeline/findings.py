"""The findings as reported: the checks' and GX's, drift against the previous run, names that hold
personal data, the waivers of readiness.toml applied, ranked."""

from __future__ import annotations

from readiness.checks.base import rank
from readiness.checks.expectations import expectation_findings
from readiness.checks.waivers import waive
from readiness.history import compare
from readiness.models import Finding
from readiness.pipeline.media import tables_only_label
from readiness.pipeline.stages import Baseline, Checked, Found, Read, Request
from readiness.profile import placeholders


def found(request: Request, read: Read, checked: Checked, baseline: Baseline) -> Found:
    stats, files = checked.stats, read.ingested.files
    findings = list(checked.findings)
    findings += expectation_findings(checked.outcomes, {s.table.name: s.rows for s in stats},
                                     {s.table.name: {str(c) for c in s.table.frame.columns} for s in stats})
    findings += checked.extra
    summaries = {s.table.name: {c.plan.name: c.summary for c in s.columns if c.summary is not None} for s in stats}
    schema_now = [{"name": s.table.name, "rows": s.rows,
                   "columns": [{"name": c.plan.name, "type": c.plan.type} for c in s.columns]} for s in stats]
    threshold = request.settings.thresholds.drift_psi
    moved = compare.distribution_changes(baseline.previous.get("summaries") or {}, summaries, threshold) \
        if baseline.previous else []
    findings += compare.drift_findings(baseline.previous, schema_now, moved, threshold)
    shown = placeholders.build(files, [(s.table.name, s.table.source, [c.plan.name for c in s.columns]) for s in stats],
                        {(s.label.table, s.label.column): list(s.label.classes) for s in stats
                         if s.label is not None and s.label.classes and not s.label.personal},
                        request.dataset_name, baseline.previous)
    findings += shown.findings({s.table.name: s.rows for s in stats}, sum(1 for f in files if f.status != "skipped"))
    findings = _once(findings, read)
    ranked = rank(waive(findings, request.settings, request.now.date()))
    return Found(tuple(ranked), shown, summaries, schema_now, tuple(moved))


# what the media checks count over the files a labels table names: not again over the table's rows
MEDIA_LABEL_CHECKS = ("class_too_small", "class_imbalance", "label_variants", "conflicting_labels")


def _once(findings: list[Finding], read: Read) -> list[Finding]:
    """The class findings of a labels table that gives a media dataset its labels are the media
    dataset's (counted in files that exist); the table keeps its own row findings (label_missing)."""
    labels_tables = {d.label_source for d in read.media if d.labels_file is not None
                     and d.label_source == d.labels_file.table}
    # the labels are the media's (class folders): a table naming the files need not hold a label column
    media_labeled = tables_only_label([t.name for t in read.ingested.tables], read.media)
    return [f for f in findings if not (f.table in labels_tables and f.check in MEDIA_LABEL_CHECKS)
            and not (media_labeled and f.check == "no_label" and f.table is None)]
