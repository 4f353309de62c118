"""Runs the check families over an audit's tables: the entry point of the checks stage.

``all_findings`` runs the exact checks of the profile's counts (files, tables, values, columns,
labels); ``all_extra`` the checks an ML engineer needs beyond them (label quality, leakage, splits,
time, text). Each family is a module that imports the catalog and checks.base, never another family.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np

from readiness.checks import columns, dates, labels, leakage, splits, tables, text, time, values
from readiness.checks import relations as relation_checks
from readiness.checks.base import rank
from readiness.checks.keys import text_keys
from readiness.models import FileEntry, Finding, Relations
from readiness.profile.counts import TableStats
from readiness.profile.labels import LabelTarget
from readiness.settings import Settings

# the modules that emit findings; tests/checks/test_catalog.py holds them to the catalog and apart
FAMILIES = ("tables", "values", "columns", "labels", "leakage", "splits", "dates", "time", "text",
            "expectations", "waivers", "media", "relations")


def table_findings(stats: TableStats) -> list[Finding]:
    name, rows = stats.table.name, stats.rows
    out: list[Finding] = tables.reading_findings(stats)
    out += tables.duplicate_findings(stats) + tables.row_index_findings(stats)
    for column in stats.columns:
        out.extend(values.column_findings(name, rows, column))
    return out + columns.findings(stats)


def all_findings(files: Iterable[FileEntry], tables_stats: Iterable[TableStats], target: LabelTarget,
                 settings: Settings) -> list[Finding]:
    every = list(tables_stats)
    found = (tables.file_findings(files, bool(every)) + labels.dataset_findings(target, bool(every))
             + tables.row_findings(every))
    for stats in every:
        found.extend(table_findings(stats))
        if stats.label is not None:
            found.extend(labels.label_findings(stats.label, settings, target.task))
    return rank(found)


def relation_findings(found: Relations, tables_stats: Iterable[TableStats]) -> list[Finding]:
    """The findings of the keys between tables; the tables' id columns tell duplicate_parent_keys
    which repeats not_unique reports too."""
    ids = {s.table.name: tuple(c.plan.name for c in s.columns if c.plan.is_id) for s in tables_stats}
    return relation_checks.findings(found, ids)


def volume_guidance(stats: list[TableStats], task: str) -> list[str]:
    """Rules of thumb, given as guidance for the packet, never as a verdict."""
    notes = []
    labeled = [s for s in stats if s.label is not None]
    if labeled and task != "regression":
        main = max(labeled, key=lambda s: s.rows)
        classes = dict(main.label.classes or ())  # type: ignore[union-attr]
        if classes:
            smallest = min(classes.values())
            notes.append(f"The smallest class has {smallest:,} labeled rows. Rules of thumb: about 100 per class for "
                         "classic models, 1,000 or more per class for training deep models from scratch; fine-tuning a "
                         "pretrained model can work with tens per class.")
    tabular = task != "text-classification" and not any(text.main_text_column(s) for s in stats)
    for item in stats if tabular else ():  # rows per feature is a rule of thumb for tabular models only
        features = len([c for c in item.columns if not (c.plan.is_label or c.plan.is_id or c.plan.is_row_index)])
        if features and item.rows:
            ratio = item.rows / features
            notes.append(f"{item.table.name}: {item.rows:,} rows for {features} feature columns ({ratio:,.0f} rows per "
                         "feature; at least 10 to 20 per feature is a common rule of thumb for tabular models).")
    return notes


def all_extra(stats: list[TableStats], settings: Settings, task: str, now: datetime,
              after_outcome: Iterable[str] = ()) -> tuple[list[Finding], dict[str, Any]]:
    """The ML checks over the tables; returns findings and per-table time summaries."""
    found: list[Finding] = []
    times: dict[str, Any] = {}
    keys: dict[tuple[str, str], np.ndarray | None] = {}
    text_columns = {s.table.name: text.main_text_column(s) for s in stats}
    label_column = next((s.label.column for s in stats if s.label is not None), None)
    groups: dict[str, list[str]] = {}
    for item in stats:
        parsed = None
        if item.label is not None:
            found += labels.label_variants(item)
            text_column = text_columns[item.table.name] if task == "text-classification" else None
            normal = None
            if text_column is not None:
                normal = keys[(item.table.name, text_column)] = text_keys(item, text_column)
            found += labels.conflicting_labels(item, text_column, normal)
            if task == "regression":
                found += labels.label_outliers(item)
            found += leakage.leakage(item, settings, task, after_outcome)
            if task in time.CLASS_TASKS:  # the dates are parsed once, for the time checks and the drift
                parsed = {c.plan.name: dates.column_dates(item, c.plan) for c in item.columns
                          if c.plan.pii is None and not c.plan.is_label}
                found += time.label_drift(item, task, parsed)
        more, summary = dates.time_checks(item, now, parsed)
        found += more
        if summary:
            times[item.table.name] = summary
        found += text.text_checks(item, {column: known for (table, column), known in keys.items()
                                         if table == item.table.name})
        grouping = splits.grouping_columns(item)
        groups[item.table.name] = [f.column for f in grouping if f.column is not None]
        found += grouping
    found += splits.splits(stats, label_column, text_columns, groups)
    return found, times


__all__ = ["all_findings", "all_extra", "relation_findings", "volume_guidance", "table_findings", "rank", "FAMILIES"]
