"""Profiling: exact per-column statistics on the full table, and the visual profile.

The counts here are what readiness.json reports, computed on every row. The visual profile
(fg-data-profiling) may use a seeded sample above ``profile.sample_rows``; it is written under
``internal/`` only, because it shows raw values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from readiness import drift, formats, infer, pii
from readiness.infer import ColumnPlan, TablePlan
from readiness.ingest import as_text, is_text, objects
from readiness.labels import LabelTarget
from readiness.models import ColumnProfile, Table, TableProfile
from readiness.settings import Settings


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
        parsed = infer.numeric_values(formats.distinct_values(counts)).to_numpy()
        keep = ~np.isnan(parsed)
        return pd.Series(np.repeat(parsed[keep], counts.to_numpy()[keep]), dtype="float64")
    return infer.numeric_values(series).dropna()


def column_stats(series: pd.Series, plan: ColumnPlan, counts: pd.Series | None = None,
                 counted: tuple[int, int] | None = None) -> ColumnStats:
    """Exact counts of one column. ``counts``: its distinct text values with their counts, when
    every present value is text (the caller computed them once for the whole audit).
    ``counted``: (missing, distinct) as another engine (Spark) counted them."""
    missing = int(series.isna().sum()) if counted is None else counted[0]
    non_missing = len(series) - missing
    all_text = counts is not None and int(counts.sum()) == non_missing
    non_missing_values = series if all_text and non_missing else series.dropna()
    if counted is not None:
        distinct = counted[1]
    else:
        distinct = len(counts) if all_text and counts is not None else int(non_missing_values.nunique())
    format_invalid = mixed = 0
    layouts: tuple[tuple[str, int], ...] = ()
    if plan.format is not None and is_text(series):
        if counts is None:
            counts = formats.value_counts_text(series)
        non_text = non_missing - int(counts.sum())
        if plan.format.startswith("date:"):
            verdict = formats.classify_dates(counts, forced_layout=plan.format[len("date:"):])
            format_invalid, mixed = verdict.invalid + non_text, verdict.mixed
            layouts = tuple(sorted(verdict.layouts.items()))
        else:
            format_invalid = formats.nonconforming(counts, plan.pattern or "") + non_text
    numbers = None
    if non_missing and (plan.has_range or plan.type in ("integer", "numeric")):
        numbers = numbers_of(series, counts if all_text else None)
    out_of_range = 0
    if plan.has_range and numbers is not None:
        low = plan.low if plan.low is not None else float("-inf")
        high = plan.high if plan.high is not None else float("inf")
        out_of_range = int(((numbers < low) | (numbers > high)).sum())
    not_unique = non_missing - distinct if plan.is_id else 0
    examples, examples_kind = safe_examples(non_missing_values, plan, counts if all_text else None, numbers)
    summary = None
    if not plan.is_id:
        summary = drift.summarise(series, plan.type, plan.pii is not None, counts if all_text else None, numbers)
    return ColumnStats(plan, missing, non_missing, distinct, format_invalid, mixed, layouts,
                       out_of_range, not_unique, examples, examples_kind, summary)


MIN_CATEGORY_COUNT = 5  # a category seen fewer times could single a person out
MAX_EXAMPLES = 5


def safe_examples(values: pd.Series, plan: ColumnPlan, counts: pd.Series | None = None,
                  numbers: pd.Series | None = None) -> tuple[tuple[str, ...], str | None]:
    """Example values that are safe to show a stranger, or none.

    Never from a personal-data column or an id column; categories only when seen at least
    five times; numbers and dates as their range; free text with personal patterns masked.
    """
    if plan.pii is not None or plan.is_id or plan.is_row_index or values.empty:
        return (), None
    from readiness.entities import entity_name  # here: entities builds on this module

    if entity_name(plan.name):  # a key of people or things, even one that repeats (a grouping column)
        return (), None
    if plan.is_label:
        return (), None  # label classes are shown with their counts in the label section
    if plan.type in ("integer", "numeric"):
        if numbers is None:
            numbers = infer.numeric_values(values).dropna()
        if numbers.empty:
            return (), None
        if pd.api.types.is_numeric_dtype(values.dtype):
            return (as_text(values.min()), as_text(values.max())), "range"
        return (_number(numbers.min()), _number(numbers.max())), "range"
    if plan.type == "datetime" and pd.api.types.is_datetime64_any_dtype(values.dtype):
        return (str(values.min().date()), str(values.max().date())), "range"
    if plan.format and plan.format.startswith("date:"):
        if counts is None:
            counts = formats.value_counts_text(values)
        layout = plan.format[len("date:"):]  # as counted: a year column's YYYY too, whole numbers (no text) as typed
        layouts = formats.classify_dates(counts, forced_layout=layout).layouts or {layout: 0}
        return tuple(sorted(layouts, key=lambda n: -layouts[n])), "date layouts"
    if plan.type == "text":
        if counts is not None:  # every value is text; distinct values in order of first appearance
            firsts = pd.Series(counts.index[:200], dtype=object)
            picked = firsts.sample(n=min(3, len(counts)), random_state=0)
            return tuple(_shorten(pii.mask(t)) for t in picked), "masked text"
        texts = values[values.map(lambda v: isinstance(v, str))]
        picked = texts.drop_duplicates().head(200).sample(n=min(3, texts.nunique()), random_state=0) if len(texts) else texts
        masked = tuple(_shorten(pii.mask(t)) for t in picked)
        return masked, "masked text"
    counts = counts.sort_values(ascending=False) if counts is not None else values.map(as_text).value_counts()
    common = [str(k) for k, n in counts.items() if n >= MIN_CATEGORY_COUNT][:MAX_EXAMPLES]
    return tuple(_shorten(pii.mask(c)) for c in common), "categories" if common else None


def _number(value: float) -> str:
    """A range end as a person reads it: 1500000, not 1.5e+06; 3882.61 as written."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def column_codes(frame: pd.DataFrame) -> tuple[list[np.ndarray], dict[str, pd.Series]]:
    """One hashing pass per column: its factorised codes (missing = -1), and for all-text columns
    the distinct values with their counts in order of first appearance (value_counts(sort=False))."""
    codes, counts = [], {}
    for position, name in enumerate(frame.columns):
        series = frame.iloc[:, position]
        column_codes, uniques = pd.factorize(series, use_na_sentinel=True)
        if len(uniques) < 2**31 - 1:  # half the memory of the int64 codes, kept for the whole audit
            column_codes = column_codes.astype(np.int32)
        codes.append(column_codes)
        if isinstance(series.dtype, pd.StringDtype) or (
                series.dtype == object and pd.api.types.infer_dtype(uniques, skipna=True) in ("string", "empty")):
            present = column_codes[column_codes >= 0]
            # Arrow text keeps its distinct values in Arrow (no Python string per value)
            index = pd.Index(uniques) if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow" \
                else pd.Index(np.asarray(uniques, dtype=object), dtype=object)
            counts[str(name)] = pd.Series(np.bincount(present, minlength=len(uniques)), index=index, name="count")
    return codes, counts


def may_repeat(codes: list[np.ndarray]) -> np.ndarray:
    """Rows whose value in the most varied column (codes from -1 up) occurs more than once: a row
    equal to another in every column is among them, so whole-row comparisons can skip the rest."""
    varied = max(codes, key=lambda c: int(c.max(initial=-1))) + 1
    return np.asarray(np.bincount(varied)[varied] > 1)


def duplicated_rows(codes: list[np.ndarray], rows: int) -> np.ndarray:
    """Which rows equal an earlier row in every column given (DataFrame.duplicated semantics), on
    the codes; the caller leaves out the row-number columns (``row_numbers``)."""
    if not codes or not rows:
        return np.zeros(rows, dtype=bool)
    # compare whole rows only among those that could repeat (no row of an id-like table can)
    candidates = np.flatnonzero(may_repeat(codes))
    out = np.zeros(rows, dtype=bool)
    if len(candidates):
        keys = pd.DataFrame({i: c[candidates] for i, c in enumerate(codes)}, copy=False)
        out[candidates] = keys.duplicated().to_numpy()
    return out


@dataclass(frozen=True)
class Prepared:
    """A table after its hashing pass and inference: enough to build its suite and start GX."""

    table: Table
    plan: TablePlan
    label: str | None
    counts: dict[str, pd.Series]
    counted: dict[str, tuple[int, int]]
    codes: tuple[np.ndarray, ...] | None
    duplicated: np.ndarray | None
    duplicate_rows: int


def row_numbers(table: Table, settings: Settings, target: LabelTarget,
                codes: list[np.ndarray] | None = None) -> tuple[str, ...]:
    """The table's row-number columns (infer.row_index_columns), which duplicate rows leave out."""
    label = target.column if table.name in target.tables else None
    return infer.row_index_columns(table, settings, label, codes)


def prepare(table: Table, settings: Settings, target: LabelTarget, engine_counts: Any = None) -> Prepared:
    """Hash every column once and infer the plan. ``engine_counts`` (spark.SparkCounts): the rows,
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
    else:  # Spark left the same row numbers out (spark.load_and_count)
        row_index = row_numbers(table, settings, target)
        counts = dict(engine_counts.value_counts)
        duplicate_rows = engine_counts.duplicate_rows
        counted = {name: (engine_counts.missing[name], engine_counts.distinct[name]) for name in engine_counts.missing}
    plan = infer.plan_table(table, settings, label, settings.label.classes, counts, row_index, codes)
    return Prepared(table, plan, label, counts, counted, tuple(codes) if codes is not None else None, duplicated,
                    duplicate_rows)


def finish(prepared: Prepared, settings: Settings, target: LabelTarget) -> TableStats:
    """Every column's exact counts, from the prepared table."""
    table, plan, label = prepared.table, prepared.plan, prepared.label
    frame = table.frame
    columns = tuple(column_stats(frame[c.name], c, prepared.counts.get(c.name), prepared.counted.get(c.name))
                    for c in plan.columns)
    label_summary = None
    if label:
        personal = plan.column(label).pii is not None
        label_summary = label_stats(table, label, target.task, settings.label.classes, personal)
    return TableStats(table, plan, len(frame), prepared.duplicate_rows, columns, label_summary, prepared.counts,
                      prepared.codes, prepared.duplicated)


def table_stats(table: Table, settings: Settings, target: LabelTarget, engine_counts: Any = None) -> TableStats:
    """Every column's exact counts (prepare, then finish)."""
    return finish(prepare(table, settings, target, engine_counts), settings, target)


# --- the visual profile (fg-data-profiling) ------------------------------------------------


def _quiet_profiler() -> None:
    """The profiler phones home unless told not to; the tool always tells it."""
    os.environ["YDATA_PROFILING_NO_ANALYTICS"] = "1"
    os.environ.setdefault("TQDM_DISABLE", "1")


def _import_profiler() -> None:
    """Import the profiler without its optional Spark and numba backends (about 70 MB less): it
    looks them up when imported and uses them only if found, and a profile of a pandas sample
    needs neither. They stay importable for everything else afterwards."""
    import sys

    if "data_profiling" in sys.modules:
        return
    hidden = [name for name in ("pyspark", "numba") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "not installed" for the profiler's lookups
    try:
        import data_profiling  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


def write_visual_profile(table: Table, destination: Path, settings: Settings) -> int | None:
    """Write the HTML profile; returns the sample size when the profile was sampled."""
    _quiet_profiler()
    import warnings

    _import_profiler()
    from data_profiling import ProfileReport
    from data_profiling.model.pandas import summary_pandas
    from data_profiling.utils import common, logger

    # belt and braces: even with the variable unset, no analytics call can be made
    common.analytics_features = lambda *args, **kwargs: None
    logger.analytics_features = lambda *args, **kwargs: None
    # the per-column summary draws a progress bar whatever progress_bar says
    summary_pandas.tqdm = lambda iterable, **kwargs: iterable
    frame = table.frame
    sampled = None
    if len(frame) > settings.profile.sample_rows:
        frame = frame.sample(n=settings.profile.sample_rows, random_state=settings.profile.seed)
        sampled = settings.profile.sample_rows
    title = f"{table.name} (internal: do not share)"
    if sampled:
        title += f" - seeded random sample of {sampled:,} of {len(table.frame):,} rows"
    limit = settings.profile.max_columns
    if frame.shape[1] > limit:  # a chart per column: wide tables show their first columns only
        title += f" - first {limit} of {frame.shape[1]} columns ([profile] max_columns)"
        frame = frame.iloc[:, :limit]
    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.StringDtype):
            frame[column] = objects(frame[column])
        if isinstance(frame[column].dtype, pd.BooleanDtype | pd.Int64Dtype):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        elif frame[column].dtype == object and frame[column].notna().any():
            # numbers stored as text (every CSV column) are drawn as numbers: a histogram, not a
            # word cloud per column (the counts in readiness.json keep comparing them as text)
            numbers = pd.to_numeric(frame[column], errors="coerce")
            if int(numbers.notna().sum()) == int(frame[column].notna().sum()):
                frame[column] = numbers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        words = settings.profile.words  # word clouds cost more than every other chart of a text column
        report = ProfileReport(frame, minimal=settings.profile.minimal, progress_bar=False, title=title,
                               vars={"cat": {"words": words}, "text": {"words": words}})
        destination.parent.mkdir(parents=True, exist_ok=True)
        report.to_file(destination, silent=True)
    return sampled


def write_visual_profiles(tables: list[Table], folder: Path, settings: Settings) -> list[int | None]:
    """Every table's visual profile into ``folder`` (file names by slug); the sample size of each."""
    from readiness.suites import slug

    return [write_visual_profile(table, folder / f"{slug(table.name)}.html", settings) for table in tables]
