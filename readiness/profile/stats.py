"""Profiling: exact per-column statistics on the full table, and the visual profile.

The counts here are what readiness.json reports, computed on every row. The visual profile
(fg-data-profiling) may use a seeded sample above ``profile.sample_rows``; it is written under
``internal/`` only, because it shows raw values.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from readiness.base import parallel, progress
from readiness.checks import drift
from readiness.ingest.tables import as_text, is_text, objects
from readiness.models import ColumnProfile, Table, TableProfile
from readiness.profile import formats, infer, pii
from readiness.profile.infer import ColumnPlan, TablePlan
from readiness.profile.labels import LabelTarget
from readiness.profile.shapes import Shapes, shapes_of
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


def column_stats(series: pd.Series, plan: ColumnPlan, counts: pd.Series | None = None,
                 counted: tuple[int, int] | None = None) -> ColumnStats:
    """Exact counts of one column. ``counts``: its distinct text values with their counts, when
    every present value is text (the caller computed them once for the whole audit).
    ``counted``: (missing, distinct) as another engine (Spark) counted them."""
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
        if counts is None:
            counts = formats.value_counts_text(series)
        non_text = non_missing - int(counts.to_numpy().sum())
        if plan.format.startswith("date:"):
            forced = plan.format[len("date:"):]
            verdict = formats.classify_dates(counts, forced_layout=forced)
            format_invalid, mixed = verdict.invalid + non_text, verdict.mixed
            layouts = tuple(sorted(verdict.layouts.items()))
            if format_invalid or mixed:
                invalid_values, mixed_values = formats.date_failures(counts, forced)
                format_shapes = shapes_of(counts, invalid_values, non_text) if format_invalid else None
                mixed_shapes = shapes_of(counts, mixed_values) if mixed else None
        else:
            failing = formats.failing(counts, plan.pattern or "")
            format_invalid = int(counts.to_numpy()[failing].sum()) + non_text
            format_shapes = shapes_of(counts, failing, non_text) if format_invalid else None
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
        summary = drift.summarise(series, plan.type, plan.pii is not None, counts if all_text else None, numbers,
                                  missing if counted is None else None)
    return ColumnStats(plan, missing, non_missing, distinct, format_invalid, mixed, layouts,
                       out_of_range, not_unique, examples, examples_kind, summary, format_shapes, mixed_shapes)


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
    from readiness.profile.entities import entity_name  # here: entities builds on this module

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
        present = numbers.to_numpy(dtype="float64")  # parsed, none missing: numpy's min and max are pandas'
        return (_number(present.min()), _number(present.max())), "range"
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
            return tuple(_masked(t) for t in picked), "masked text"
        texts = values[values.map(lambda v: isinstance(v, str))]
        picked = texts.drop_duplicates().head(200).sample(n=min(3, texts.nunique()), random_state=0) if len(texts) else texts
        masked = tuple(_masked(t) for t in picked)
        return masked, "masked text"
    if counts is not None and int(counts.to_numpy().max(initial=0)) < MIN_CATEGORY_COUNT:
        return (), None  # no category seen often enough to show: the order does not matter
    counts = counts.sort_values(ascending=False) if counts is not None else values.map(as_text).value_counts()
    common = [str(k) for k, n in counts.items() if n >= MIN_CATEGORY_COUNT][:MAX_EXAMPLES]
    return tuple(_masked(c) for c in common), "categories" if common else None


def _number(value: float) -> str:
    """A range end as a person reads it: 1500000, not 1.5e+06; 3882.61 as written."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


MASK_WINDOW = 4_000  # characters of a long cell masked before it is cut to what is shown


def _masked(text: str) -> str:
    """A value as shown: masked, then cut. Only a window well beyond the part shown is masked, so a
    1 MB cell costs no more than a short one; a value cut at the window's end is never shown."""
    return _shorten(pii.mask(text[:MASK_WINDOW]))


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
    for name, series in frame.items():
        progress.advance(0.5)  # its inference is the other half (infer.plan_table)
        if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
            # what pd.factorize does for Arrow text, without its wrapping (most of the cost for a tiny table)
            column_codes, uniques = series.array.factorize(use_na_sentinel=True)
        else:
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


SPLIT_MIN_TABLES = 64  # from this many tables on, the second core prepares some of them


def prepare_all(tables: list[Table], settings: Settings, target: LabelTarget) -> list[Prepared]:
    """``prepare`` for every table. A folder of many small tables (each costs milliseconds of
    inference, whatever its size) is shared with a forked child, which prepares tables from the
    back while this process prepares them from the front. Small tables only: what the child
    prepared comes back pickled."""
    cells = sum(len(t.frame) * max(1, t.frame.shape[1]) for t in tables)
    if len(tables) < SPLIT_MIN_TABLES or not parallel.can_fork() or not parallel.worth_forking(0, len(tables)) \
            or parallel.memory_bound(4 * cells):
        return [prepare(t, settings, target) for t in parallel.settled(tables)]
    # what the child prepared goes back without its table (the parent has it)
    return parallel.shared_work(len(tables), lambda position: prepare(tables[position], settings, target),
                                sent=lambda _position, prepared: replace(prepared, table=None),
                                received=lambda position, prepared: replace(prepared, table=tables[position]))


def finish(prepared: Prepared, settings: Settings, target: LabelTarget) -> TableStats:
    """Every column's exact counts, from the prepared table."""
    table, plan, label = prepared.table, prepared.plan, prepared.label
    frame = table.frame
    columns = tuple(column_stats(frame[c.name], c, prepared.counts.get(c.name), prepared.counted.get(c.name))
                    for c in plan.columns)
    progress.advance(len(columns))
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


SMALL_TABLE_ROWS = 1_000  # below this many rows a table's text columns get no length chart (see _charts)


def _charts(rows: int) -> dict[str, Any]:
    """The profiler's chart options for a table of ``rows`` rows (after sampling).

    Histograms get about sqrt(rows) bins, 5 to 50: 50 bars over 3 values show nothing, and each
    bar is drawn (matplotlib spends most of a small table's profile drawing). Below
    SMALL_TABLE_ROWS the length histograms of text columns are left out (their length
    statistics stay): in a table that small the values themselves are quicker to read.
    """
    bins = min(50, max(5, math.ceil(math.sqrt(max(rows, 1)))))
    lengths = rows >= SMALL_TABLE_ROWS
    return {"plot": {"histogram": {"bins": bins}},
            "lengths": {"cat": {"length": lengths}, "text": {"length": lengths}}}


_AUDITS_DRAWN = 0  # audits of this process whose profiles were placed (place_profiles)


def warm_if_repeated() -> None:
    """From the second audit of a process on (a scheduler, the test suite), import the profiler
    here (on parallel.preload's thread), so each audit's drawing child starts with it imported
    rather than importing it afresh (about 3 s of CPU). A one-off audit (the CLI) leaves the
    import to its child, where it overlaps the counts and GX."""
    if _AUDITS_DRAWN:
        _quiet_profiler()
        _import_profiler()


def write_visual_profile(table: Table, destination: Path, settings: Settings) -> int | None:
    """Write the HTML profile; returns the sample size when the profile was sampled.
    The table has at least one row and one column (write_visual_profiles sees to that)."""
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
    charts = _charts(len(frame))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        words = settings.profile.words  # word clouds cost more than every other chart of a text column
        report = ProfileReport(frame, minimal=settings.profile.minimal, progress_bar=False, title=title,
                               plot=charts["plot"],
                               vars={"cat": {"words": words, **charts["lengths"]["cat"]},
                                     "text": {"words": words, **charts["lengths"]["text"]}})
        destination.parent.mkdir(parents=True, exist_ok=True)
        report.to_file(destination, silent=True)
    return sampled


def chosen_tables(tables: list[Table], limit: int) -> set[int]:
    """Positions of the tables that get a visual profile: those with rows and columns, the
    ``limit`` largest by cells when there are more (ties: the first listed)."""
    drawable = [i for i, t in enumerate(tables) if t.frame.shape[0] and t.frame.shape[1]]
    drawable.sort(key=lambda i: (-tables[i].frame.shape[0] * tables[i].frame.shape[1], i))
    return set(drawable[:limit])


def _why_not(table: Table, limit: int) -> str:
    rows, columns = table.frame.shape
    if not rows:
        return "the table has no rows"
    if not columns:
        return "the table has no columns"
    return f"only the {limit} largest tables (by cells) get one; see [profile] max_tables"


def _note(folder: Path, table: Table, reason: str) -> None:
    """Why a table has no visual profile, beside the profiles (internal: the reason may quote
    the profiler's error, which may quote a value)."""
    from readiness.validate.suites import slug

    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug(table.name)}.txt").write_text(
            f"No visual profile of table {table.name!r}: {reason}.\n", encoding="utf-8")
    except OSError:  # a note is a courtesy: a name too long for the file system loses it, not the run
        pass


def write_visual_profiles(tables: list[Table], folder: Path, settings: Settings) -> list[int | None]:
    """Every table's visual profile into ``folder`` (file names by slug); the sample size of each.

    A table with no rows or no columns, one past ``[profile] max_tables``, or one the profiler
    fails on gets no profile but a note (``<slug>.txt``) saying why; the other tables are drawn
    all the same, and the audit goes on."""
    from readiness.validate.suites import slug

    chosen = chosen_tables(tables, settings.profile.max_tables)
    samples: list[int | None] = []
    for position, table in enumerate(tables):
        samples.append(None)
        if position not in chosen:
            _note(folder, table, _why_not(table, settings.profile.max_tables))
            continue
        destination = folder / f"{slug(table.name)}.html"
        try:
            samples[-1] = write_visual_profile(table, destination, settings)
        except Exception as exc:  # noqa: BLE001 - one table's profile never stops the audit
            destination.unlink(missing_ok=True)
            _note(folder, table, f"the profiler failed ({type(exc).__name__}: {str(exc)[:300]})")
    return samples


def place_profiles(drawn: Callable[[], list[int | None]], tables: list[Table], scratch: Path,
                   folder: Path) -> list[tuple[int | None, str | None]]:
    """Move what write_visual_profiles left in ``scratch`` into ``folder`` (internal/profiles):
    for each table its sample size and the file name of its profile, None when it has none.
    ``drawn()`` waits for the drawing; if the drawing as a whole failed (its child was killed,
    out of memory), no table has a profile and each gets a note: the audit still completes."""
    from readiness.validate.suites import slug

    global _AUDITS_DRAWN
    _AUDITS_DRAWN += 1
    try:
        samples = drawn()
    except Exception as exc:  # noqa: BLE001 - the profile is a courtesy to the owner, the audit goes on
        samples = [None] * len(tables)
        for table in tables:
            (scratch / f"{slug(table.name)}.html").unlink(missing_ok=True)
            _note(scratch, table, f"the profiler stopped ({type(exc).__name__}: {str(exc)[:300]})")
    placed: list[tuple[int | None, str | None]] = []
    for table, sampled in zip(tables, samples, strict=True):
        name = slug(table.name)
        written = None
        for file_name in (f"{name}.html", f"{name}.txt"):
            if (scratch / file_name).is_file():
                folder.mkdir(parents=True, exist_ok=True)
                shutil.move(scratch / file_name, folder / file_name)
                os.chmod(folder / file_name, 0o600)
                written = file_name if file_name.endswith(".html") else written
        placed.append((sampled if written else None, written))
    return placed
