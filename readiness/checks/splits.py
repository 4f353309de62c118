"""Train, validation and test files of one folder as one dataset: rows or entities in both, a label
mix that differs, columns that differ.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.checks.base import make_finding
from readiness.checks.keys import normalised_text, row_codes
from readiness.ingest.columns import is_text
from readiness.models import Finding
from readiness.profile import entities
from readiness.profile.counts import TableStats
from readiness.profile.drift import label_shift
from readiness.profile.headers import snake


def splits(stats: list[TableStats], label_column: str | None, text_columns: dict[str, str | None],
           groups: dict[str, list[str]] | None = None) -> list[Finding]:
    """Train/validation/test files of one folder as one dataset: overlap (of rows, and of entities
    for the grouping columns in ``groups``, by table), label shift, schema mismatch."""
    by_folder: dict[str, dict[str, TableStats]] = {}
    for item in stats:
        if item.table.split:
            folder = item.table.source.rsplit("/", 1)[0] if "/" in item.table.source else ""
            by_folder.setdefault(folder, {}).setdefault(item.table.split, item)
    found: list[Finding] = []
    for group in by_folder.values():
        train = group.get("train")
        if train is None:
            continue
        for kind in ("validation", "test"):
            other = group.get(kind)
            if other is None:
                continue
            entity_columns = [c for c in dict.fromkeys([*(groups or {}).get(train.table.name, []),
                                                        *(groups or {}).get(other.table.name, [])])
                              if c != label_column]
            found += _split_pair(train, other, label_column, text_columns.get(other.table.name), entity_columns)
    return found


def _in_train(values: pd.Series, train: pd.Series) -> np.ndarray:
    """Which values (missing: none) are also values of the training column, compared as read."""
    import pyarrow.compute as pc

    if is_text(values) and is_text(train):
        array, known = fastre.arrow_array(values), fastre.arrow_array(train)
        if array is not None and known is not None:
            found = pc.fill_null(pc.is_in(array, value_set=pc.unique(pc.drop_null(known))), False)
            return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)
    return np.asarray(values.isin(train.dropna().unique()).to_numpy() & values.notna().to_numpy(), dtype=bool)


def _entity_overlap(train: TableStats, other: TableStats, column: str) -> Finding | None:
    """Rows of ``other`` whose entity (a grouping column's value) also has rows in train."""
    a, b = train.table.frame, other.table.frame
    if column not in a.columns or column not in b.columns or not len(b):
        return None
    shared = _in_train(b[column], a[column])
    count = int(shared.sum())
    if not count:
        return None
    entities = int(b[column][shared].nunique())
    return make_finding("split_overlap", "blocker" if count / len(b) >= 0.05 else "major", other.table.name, column, count,
              len(b), f"{count:,} rows of {other.table.name} ({count / len(b):.1%}) belong to one of {entities:,} "
              f"{column} entities that also have rows in {train.table.name}: split by {column}",
              by="entity", entity_column=column, entities=entities, train=train.table.name)


def _split_pair(train: TableStats, other: TableStats, label_column: str | None, text_column: str | None,
                entity_columns: Iterable[str] = ()) -> list[Finding]:
    found: list[Finding] = []
    for column in entity_columns:
        overlap = _entity_overlap(train, other, column)
        if overlap is not None:
            found.append(overlap)
    a, b = train.table.frame, other.table.frame
    shared = [c for c in b.columns if c in a.columns and c != label_column]
    ids = {c.plan.name for c in other.columns if c.plan.is_id or c.plan.is_row_index}
    features = [c for c in shared if c not in ids] or shared
    missing = sorted((set(a.columns) ^ set(b.columns)) - {label_column})
    retyped = sorted(c for c in shared if train.plan.column(c).type != other.plan.column(c).type)
    if missing or retyped:
        found.append(make_finding("split_schema_mismatch", "major", other.table.name, None, len(missing) + len(retyped), len(b),
                        f"{other.table.name} and {train.table.name} differ: "
                        + "; ".join(filter(None, [f"columns only in one: {', '.join(missing)}" if missing else "",
                                                  f"types differ: {', '.join(retyped)}" if retyped else ""])),
                        only_in_one=missing, retyped=retyped, train=train.table.name))
    if features and len(b):
        both = pd.concat([a[features], b[features]], ignore_index=True)
        codes = row_codes(both)
        index = pd.MultiIndex.from_frame(codes)
        exact = int(index[len(a):].isin(index[: len(a)]).sum())
        text_overlap = 0
        if text_column and text_column in a.columns:
            text_overlap = int(normalised_text(b[text_column]).dropna().isin(set(normalised_text(a[text_column]).dropna())).sum())
        count = max(exact, text_overlap)
        if count:
            found.append(make_finding("split_overlap", "blocker" if count / len(b) >= 0.05 else "major", other.table.name, None,
                            count, len(b), f"{count:,} rows of {other.table.name} ({count / len(b):.1%}) also appear in "
                            f"{train.table.name}" + (f" (same {text_column} value, ignoring case and spacing)" if text_overlap > exact else ""),
                            exact=exact, normalised_text=text_overlap, train=train.table.name, by="rows"))
    if train.label is not None and other.label is not None and train.label.classes and other.label.classes:
        shift = label_shift(dict(train.label.classes), dict(other.label.classes))
        if shift and shift["psi"] > 0.1:
            found.append(make_finding("split_label_shift", "minor", other.table.name, label_column, other.label.labeled,
                            len(b), f"the {label_column} distribution of {other.table.name} differs from "
                            f"{train.table.name} (PSI {shift['psi']:.2f})", psi=shift["psi"], train=train.table.name))
    return found


__all__ = ["splits"]


def grouping_columns(stats: TableStats) -> list[Finding]:
    """``grouping_column`` findings: entity columns found by name, else the best one found by shape."""
    frame = stats.table.frame
    counts = stats.text_counts
    candidates = [c for c in stats.columns if not c.plan.is_id and not c.plan.is_label and c.non_missing
                  and c.plan.type not in ("text", "datetime", "boolean", "empty")
                  and not entities.TIME_NAME.search(snake(c.plan.name))]
    found = [entities.repeats(frame, c.plan.name, counts.get(c.plan.name), stats.codes)
             for c in candidates if entities.entity_name(c.plan.name)]
    found = [r for r in found if r.grouping]
    if not found:
        by_shape = [entities.repeats(frame, c.plan.name, counts.get(c.plan.name), stats.codes, by_name=False)
                    for c in candidates if not entities.entity_name(c.plan.name) and c.plan.pii is None
                    and 2 * c.distinct <= c.non_missing
                    and c.distinct >= max(entities.MIN_SHAPE_ENTITIES, math.sqrt(c.non_missing))]
        found = sorted((r for r in by_shape if r.grouping), key=lambda r: -r.entities)[:1]
        how = "shape"
    else:
        how = "name"
    out = []
    for verdict in found:
        name = verdict.column
        why = (f"its repeats differ in {verdict.time_column}" if verdict.time_column
               else "most rows share their value with other rows")
        out.append(make_finding(
            "grouping_column", "info", stats.table.name, name, verdict.repeated_rows, stats.rows,
            f"{name} groups rows by entity ({why}): {verdict.repeated_entities:,} of {verdict.entities:,} {name} "
            f"values occur in several rows, {verdict.repeated_rows:,} rows in all, {verdict.mean_rows:.1f} rows per "
            f"{name} on average; split train and test by {name}",
            entities=verdict.entities, repeated_entities=verdict.repeated_entities,
            mean_rows_per_entity=verdict.mean_rows, max_rows_per_entity=verdict.largest,
            time_column=verdict.time_column, found_by=how))
    return out
