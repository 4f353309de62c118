"""Exact counts: every column's statistics on the full table, the numbers readiness.json reports.

A table is counted in two steps: ``prepare`` (the hashing pass and the plan, enough to build the
GX suite and start validating) and ``finish`` (each column's counts from the plan).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from readiness.base import parallel, progress
from readiness.ingest.columns import as_text, is_text
from readiness.ingest.model import Table
from readiness.models import ColumnProfile, TableProfile
from readiness.profile import dates, drift, formats, infer, keys, plan
from readiness.profile.examples import safe_examples
from readiness.profile.formats import Distinct
from readiness.profile.hashing import column_codes, duplicated_rows
from readiness.profile.labels import LabelTarget
from readiness.profile.plan import ColumnPlan, TablePlan
from readiness.profile.shapes import Shapes, shapes_of
from readiness.settings import Settings, environment


@dataclass(frozen=True)
class ColumnStats:
    """Exact counts of one column; the findings are made from these."""

    plan: ColumnPlan
    missing: int
    non_missing: int
    distinct: int
    format_invalid: int = 0  # values not in the expected format (no date, bad email, impossible date)
    mixed_formats: int = 0  # valid dates in another layout
    layouts: tuple[tuple[str, int], ...] = ()
    out_of_range: int = 0
    not_unique: int = 0
    examples: tuple[str, ...] = ()
    examples_kind: str | None = None
    summary: dict[str, Any] | None = None  # compact distribution for later drift checks (history only)
    format_shapes: Shapes | None = None  # what the format_invalid values look like, masked
    mixed_shapes: Shapes | None = None  # and the mixed_formats ones


@dataclass(frozen=True)
class LabelStats:
    table: str
    column: str
    rows: int
    labeled: int
    classes: tuple[tuple[str, int], ...] | None  # None for regression targets
    not_in_set: int = 0
    personal: bool = False  # the label column is personal data: class names are never shown


@dataclass(frozen=True)
class TableStats:
    table: Table
    plan: TablePlan
    rows: int
    duplicate_rows: int
    columns: tuple[ColumnStats, ...]
    label: LabelStats | None = None
    # working data for the later checks, computed once here (never serialised)
    text_counts: dict[str, pd.Series] = field(default_factory=dict, repr=False, compare=False)
    codes: tuple[np.ndarray, ...] | None = field(default=None, repr=False, compare=False)  # per column, -1 = missing
    duplicated: np.ndarray | None = field(default=None, repr=False, compare=False)  # DataFrame.duplicated()

    def profile(self, profile_sample_rows: int | None = None, profile_file: str | None = None) -> TableProfile:
        columns = []
        for stats in self.columns:
            conformance = None
            if stats.plan.format is not None and stats.non_missing:
                bad = stats.format_invalid + stats.mixed_formats
                conformance = (stats.non_missing - bad) / stats.non_missing
            columns.append(ColumnProfile(
                name=stats.plan.name, type=stats.plan.type, missing=stats.missing,
                missing_fraction=stats.missing / self.rows if self.rows else 0.0,
                distinct=stats.distinct, non_missing=stats.non_missing, pii=stats.plan.pii,
                format=stats.plan.format, format_conformance=conformance,
                examples=stats.examples, examples_kind=stats.examples_kind,
            ))
        return TableProfile(self.table.name, self.rows, self.duplicate_rows, tuple(columns),
                            profile_sample_rows, profile_file)


def numbers_of(series: pd.Series, counts: pd.Series | None) -> pd.Series:
    """The column's present values as numbers (text parsed, what does not parse dropped).

    For an all-text column the distinct values are parsed once and repeated by their counts:
    the same multiset as parsing every row, in a fraction of the time.
    """
    if counts is not None and not counts.empty and is_text(series):
        distinct = formats.distinct_values(counts)
        parsed = _few_numbers(distinct) if len(distinct) <= FEW_DISTINCT else None
        if parsed is None:
            parsed = infer.numeric_values(distinct).to_numpy()
        keep = ~np.isnan(parsed)
        return pd.Series(np.repeat(parsed[keep], counts.to_numpy()[keep]), dtype="float64")
    return infer.numeric_values(series).dropna()


FEW_DISTINCT = 64  # up to this many distinct values, one pandas call parses them (Arrow's set-up costs more)


def _few_numbers(values: pd.Series) -> np.ndarray | None:
    """``infer.numeric_values`` of a few distinct text values, as float64: each stripped as
    ``str.strip`` does and parsed by ``pd.to_numeric`` (what infer does, plain integers aside, which
    it casts exactly); None when a value is not text."""
    texts = values.tolist()
    if not all(isinstance(v, str) for v in texts):
        return None
    stripped = np.array([v.strip() for v in texts] or [], dtype=object)
    return np.asarray(pd.to_numeric(stripped, errors="coerce"), dtype="float64")


def column_stats(series: pd.Series, plan: ColumnPlan, text_values: Distinct | None = None,
                 counted: tuple[int, int] | None = None) -> ColumnStats:
    """Exact counts of one column. ``text_values``: its distinct text values with their counts, when
    every present value is text (the caller computed them once for the whole audit).
    ``counted``: (missing, distinct) as another engine (Spark) counted them."""
    counts = text_values.counts if text_values is not None else None
    missing = int(np.count_nonzero(series.array.isna())) if counted is None else counted[0]
    non_missing = len(series) - missing
    all_text = counts is not None and int(counts.to_numpy().sum()) == non_missing
    non_missing_values = series if all_text and non_missing else series.dropna()
    if counted is not None:
        distinct = counted[1]
    else:
        distinct = len(counts) if all_text and counts is not None else int(non_missing_values.nunique())
    format_invalid = mixed = 0
    layouts: tuple[tuple[str, int], ...] = ()
    format_shapes = mixed_shapes = None
    if plan.format is not None and is_text(series):
        if text_values is None:
            text_values = Distinct(formats.value_counts_text(series))
        counts = text_values.counts
        non_text = non_missing - int(counts.to_numpy().sum())
        if plan.format.startswith("date:"):
            forced = plan.format[len("date:"):]
            verdict = dates.classify_dates(text_values, forced_layout=forced)
            format_invalid, mixed = verdict.invalid + non_text, verdict.mixed
            layouts = tuple(sorted(verdict.layouts.items()))
            if format_invalid or mixed:
                invalid_values, mixed_values = dates.date_failures(text_values, forced)
                format_shapes = shapes_of(text_values, invalid_values, non_text) if format_invalid else None
                mixed_shapes = shapes_of(text_values, mixed_values) if mixed else None
        else:
            failing = formats.failing(text_values, plan.pattern or "")
            format_invalid = int(counts.to_numpy()[failing].sum()) + non_text
            format_shapes = shapes_of(text_values, failing, non_text) if format_invalid else None
    numbers = None
    if non_missing and (plan.has_range or plan.type in ("integer", "numeric")):
        numbers = numbers_of(series, counts if all_text else None)
    out_of_range = 0
    if plan.has_range and numbers is not None:
        low = plan.low if plan.low is not None else float("-inf")
        high = plan.high if plan.high is not None else float("inf")
        out_of_range = int(((numbers < low) | (numbers > high)).sum())
    not_unique = non_missing - distinct if plan.is_id else 0
    examples, examples_kind = safe_examples(non_missing_values, plan, text_values if all_text else None, numbers)
    summary = None
    if not plan.is_id:
        summary = drift.summarise(series, plan.type, plan.pii is not None, counts if all_text else None, numbers,
                                  missing if counted is None else None)
    return ColumnStats(plan, missing, non_missing, distinct, format_invalid, mixed, layouts,
                       out_of_range, not_unique, examples, examples_kind, summary, format_shapes, mixed_shapes)


def label_stats(table: Table, column: str, task: str, classes: tuple[str, ...] | None,
                personal: bool = False) -> LabelStats:
    series = table.frame[column]
    labeled = series.dropna()
    class_counts: tuple[tuple[str, int], ...] | None = None
    not_in_set = 0
    if task != "regression":
        if isinstance(labeled.dtype, pd.StringDtype):
            texts = labeled
        elif labeled.dtype != object or not labeled.map(type).eq(str).all():
            texts = labeled.map(as_text)
        else:
            texts = labeled
        counts = texts.value_counts()
        class_counts = tuple(sorted(((str(k), int(v)) for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0])))
        if classes is not None:
            allowed = set(classes)
            not_in_set = sum(n for name, n in class_counts if name not in allowed)
    return LabelStats(table.name, column, len(series), len(labeled), class_counts, not_in_set, personal)


@dataclass(frozen=True)
class Prepared:
    """A table after its hashing pass and inference: enough to build its suite and start GX."""

    table: Table
    plan: TablePlan
    label: str | None
    values: dict[str, Distinct]  # text columns' distinct values with their counts, and the work done on them
    counted: dict[str, tuple[int, int]]
    codes: tuple[np.ndarray, ...] | None
    duplicated: np.ndarray | None
    duplicate_rows: int


def row_numbers(table: Table, settings: Settings, target: LabelTarget,
                codes: list[np.ndarray] | None = None) -> tuple[str, ...]:
    """The table's row-number columns (keys.row_index_columns), which duplicate rows leave out."""
    label = target.column if table.name in target.tables else None
    return keys.row_index_columns(table, settings, label, codes)


@dataclass(frozen=True)
class EngineCounts:
    """What an engine other than pandas counted for one table (the profile stage uses them
    instead of counting again)."""

    rows: int
    duplicate_rows: int
    missing: dict[str, int]
    distinct: dict[str, int]
    value_counts: dict[str, pd.Series]  # text columns: distinct values in order of first appearance
    read_by: str = "spark"  # how the table reached the engine: "spark csv reader", "spark parquet reader", ...


def prepare(table: Table, settings: Settings, target: LabelTarget, engine_counts: EngineCounts | None = None) -> Prepared:
    """Hash every column once and infer the plan. ``engine_counts``: the rows,
    missing and distinct counts, text value counts and duplicate rows as Spark counted them; used
    instead of counting here."""
    label = target.column if table.name in target.tables else None
    frame = table.frame
    counted: dict[str, tuple[int, int]] = {}
    codes: list[np.ndarray] | None = None
    duplicated = None
    if engine_counts is None:
        codes, counts = column_codes(frame)
        # row numbers first: duplicate rows leave them out (a row number makes every row unique)
        row_index = row_numbers(table, settings, target, codes)
        compared = [c for c, name in zip(codes, frame.columns, strict=True) if name not in row_index]
        duplicated = duplicated_rows(compared, len(frame))
        duplicate_rows = int(duplicated.sum())
        counted = pushed_counts(table)
    else:  # Spark left the same row numbers out (spark.load_and_count)
        row_index = row_numbers(table, settings, target)
        counts = dict(engine_counts.value_counts)
        duplicate_rows = engine_counts.duplicate_rows
        counted = {name: (engine_counts.missing[name], engine_counts.distinct[name]) for name in engine_counts.missing}
    values = {name: Distinct(c) for name, c in counts.items()}
    table_plan = plan.plan_table(table, settings, label, settings.label.classes, values, row_index, codes)
    return Prepared(table, table_plan, label, values, counted, tuple(codes) if codes is not None else None,
                    duplicated, duplicate_rows)


def pushed_counts(table: Table) -> dict[str, tuple[int, int]]:
    """A database table's (missing, distinct) per column as its SQL aggregate counted them where the
    data is (ingest/databases); none when the rows streamed out are not the rows counted."""
    pushed = table.pushed
    if pushed is None or pushed.rows != len(table.frame):
        return {}
    return {name: (pushed.missing[name], pushed.distinct[name]) for name in table.frame.columns
            if name in pushed.missing and name in pushed.distinct}


SPLIT_MIN_TABLES = 64  # from this many tables on, the second core prepares some of them


def prepare_all(tables: list[Table], settings: Settings, target: LabelTarget) -> list[Prepared]:
    """``prepare`` for every table. A folder of many small tables (each costs milliseconds of
    inference, whatever its size) is shared with a forked child, which prepares tables from the
    back while this process prepares them from the front. Small tables only: what the child
    prepared comes back pickled."""
    cells = sum(len(t.frame) * max(1, t.frame.shape[1]) for t in tables)
    if len(tables) < SPLIT_MIN_TABLES or not parallel.can_fork() or not parallel.worth_forking(0, len(tables), choice=environment.current().parallel) \
            or parallel.memory_bound(4 * cells, choice=environment.current().overlap):
        return [prepare(t, settings, target) for t in parallel.settled(tables)]
    # what the child prepared goes back without its table (the parent has it)
    return parallel.shared_work(len(tables), lambda position: prepare(tables[position], settings, target),
                                sent=lambda _position, prepared: replace(prepared, table=None),
                                received=lambda position, prepared: replace(prepared, table=tables[position]))


def finish(prepared: Prepared, settings: Settings, target: LabelTarget) -> TableStats:
    """Every column's exact counts, from the prepared table."""
    table, table_plan, label = prepared.table, prepared.plan, prepared.label
    frame = table.frame
    columns = tuple(column_stats(frame[c.name], c, prepared.values.get(c.name), prepared.counted.get(c.name))
                    for c in table_plan.columns)
    progress.advance(len(columns))
    for values in prepared.values.values():
        values.release()  # what the counts needed of the values is done: only the counts stay
    label_summary = None
    if label:
        personal = table_plan.column(label).pii is not None
        label_summary = label_stats(table, label, target.task, settings.label.classes, personal)
    return TableStats(table, table_plan, len(frame), prepared.duplicate_rows, columns, label_summary,
                      {name: v.counts for name, v in prepared.values.items()}, prepared.codes, prepared.duplicated)


def table_stats(table: Table, settings: Settings, target: LabelTarget, engine_counts: EngineCounts | None = None) -> TableStats:
    """Every column's exact counts (prepare, then finish)."""
    return finish(prepare(table, settings, target, engine_counts), settings, target)

