"""The plan of each table: what each column is and what the audit checks in it.

The plan drives both the exact counts (counts.py) and the GX suite (validate/suites.py), so the
two always look at the same columns in the same way. It puts together the keys (keys.py), each
column's type, format and range (infer.py) and its personal data (pii/).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from readiness.base import progress
from readiness.ingest.columns import count_present, is_text, objects
from readiness.ingest.model import Table
from readiness.profile import formats, infer, keys, pii
from readiness.profile.formats import Distinct
from readiness.settings import Settings


@dataclass(frozen=True)
class ColumnPlan:
    name: str
    type: str
    format: str | None = None  # "date:<layout>", "email", "phone", "url", "numeric", "regex:..."
    pattern: str | None = None  # full-match regex GX runs for the format
    low: float | None = None
    high: float | None = None
    is_id: bool = False
    is_label: bool = False
    pii: str | None = None
    pii_matches: tuple[tuple[str, int], ...] = ()
    pii_count: int = 0  # values that matched any personal-data kind

    @property
    def has_range(self) -> bool:
        return self.low is not None or self.high is not None

    @property
    def is_row_index(self) -> bool:
        """Only the row number: left out of duplicate rows, label conflicts, leakage and features."""
        return self.type == "row_index"


@dataclass(frozen=True)
class TablePlan:
    table: str
    rows: int
    columns: tuple[ColumnPlan, ...]
    label: str | None = None
    classes: tuple[str, ...] | None = None

    def column(self, name: str) -> ColumnPlan:
        return next(c for c in self.columns if c.name == name)


def plan_table(table: Table, settings: Settings, label: str | None, classes: tuple[str, ...] | None,
               value_counts: dict[str, Distinct] | None = None,
               row_index: tuple[str, ...] | None = None,
               codes: Sequence[np.ndarray] | None = None) -> TablePlan:
    """Decide, for each column of a table, what the audit checks and how.

    ``value_counts`` may hold each text column's distinct values with their counts
    (formats.value_counts_text), computed once by the caller, and the work done on them here
    stays with them for the counts; ``row_index`` the ``keys.row_index_columns`` the caller
    found; ``codes`` every column's factorised codes.
    """
    frame = table.frame
    known = value_counts or {}
    table_settings = settings.table(table.name)
    if row_index is None:
        row_index = keys.row_index_columns(table, settings, label)
    row_numbers = set(row_index)
    ids = set(keys.infer_id_columns(table, table_settings.id_columns, {n: v.counts for n, v in known.items()},
                                    codes)) - row_numbers
    thresholds = settings.thresholds
    plans = []
    for name in frame.columns:
        progress.advance(0.5)  # a column's hashing pass was the other half (hashing.column_codes)
        if name in row_numbers:  # a row number: no format, range or personal data to look for
            plans.append(ColumnPlan(name=name, type="row_index"))
            continue
        series = frame[name]
        text_values = None
        if is_text(series):
            text_values = known[name] if name in known else Distinct(formats.value_counts_text(series))
        non_missing = count_present(series)
        declared = table_settings.formats.get(name)
        if name in table_settings.date_columns and declared is None:
            declared = "date"
        is_label = name == label
        fmt: str | None = None
        pattern: str | None = None
        numeric_share = 0.0
        if text_values is not None:
            numeric_share = infer.numeric_text_share(text_values, thresholds.numeric_min_fraction)
        if text_values is not None and not text_values.counts.empty and not is_label:
            fmt, pattern = infer.infer_format(name, text_values, declared, numeric_share, thresholds)
        elif declared is not None and declared.startswith("regex:"):
            fmt, pattern = declared, declared[len("regex:"):]
        elif not is_label and pd.api.types.is_integer_dtype(series.dtype):
            fmt = infer.integer_date_format(name, series, declared)  # no pattern: GX matches regexes on text only
        low, high = infer.value_range(name, series, fmt, table_settings.ranges.get(name))
        forced = name in settings.pii.columns or f"{table.name}:{name}" in settings.pii.columns
        ignored = name in settings.pii.ignore or f"{table.name}:{name}" in settings.pii.ignore
        if text_values is not None:
            verdict = pii.detect(name, text_values.counts, non_missing, forced=forced, ignored=ignored)
        else:
            verdict = pii.detect_numbers(name, series, non_missing, forced=forced, ignored=ignored)
        if fmt == "email" and verdict.kind is None and not ignored:
            verdict = pii.PiiVerdict("email", {"email": non_missing}, non_missing)
        if verdict.kind is not None:
            low = high = None  # a personal column's range or dates would show its values
        plans.append(ColumnPlan(
            name=name,
            type=infer.column_type(series, text_values, fmt, name in ids, numeric_share,
                                   thresholds.numeric_min_fraction, non_missing),
            format=fmt, pattern=pattern, low=low, high=high, is_id=name in ids, is_label=is_label,
            pii=verdict.kind, pii_matches=tuple(sorted(verdict.matched.items())), pii_count=verdict.total,
        ))
    plans = _embedding_personal(frame, plans, {n for n in frame.columns if n in settings.pii.ignore
                                                or f"{table.name}:{n}" in settings.pii.ignore})
    return TablePlan(table.name, len(frame), tuple(plans), label if label in frame.columns else None, classes)


EMBED_SAMPLE = 2000  # rows looked at to decide whether a column embeds another column's personal values
EMBED_MIN = 0.5


def _embedding_personal(frame: pd.DataFrame, plans: list[ColumnPlan], ignored: set[str]) -> list[ColumnPlan]:
    """A text column whose values carry the same row's value of a personal column (a key built as
    ``Name.Country.1946.1952``, a greeting with the customer's name) is personal data of that kind
    too. Decided on a spread sample of rows; the count is every present value, as for a named column."""
    personal = [p for p in plans if p.pii is not None and not p.is_row_index and is_text(frame[p.name])]
    if not personal:
        return plans
    rows = len(frame)
    picked = np.unique(np.linspace(0, max(rows - 1, 0), min(rows, EMBED_SAMPLE)).astype(np.int64))
    out = []
    for plan in plans:
        if plan.pii is None and not plan.is_label and not plan.is_row_index and plan.name not in ignored \
                and is_text(frame[plan.name]):
            values = objects(frame[plan.name].iloc[picked])
            for source in personal:
                keys = objects(frame[source.name].iloc[picked])
                pairs = [(str(v), str(k)) for v, k in zip(values, keys, strict=True)
                         if v is not None and k is not None and len(str(k).strip()) >= 3]
                if pairs and sum(k.strip() in v for v, k in pairs) >= EMBED_MIN * len(pairs):
                    present_values = count_present(frame[plan.name])
                    plan = replace(plan, pii=source.pii, pii_matches=((str(source.pii), present_values),),
                                   pii_count=present_values)
                    break
        out.append(plan)
    return out
