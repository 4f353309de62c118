"""Inference: what each column is (type, expected format, id, label, personal data, range).

The plan drives both the exact counts (checks.py) and the GX suite (suites.py), so the two
always look at the same columns in the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from readiness import fastre, formats, pii
from readiness.ingest import is_text, objects
from readiness.models import Table
from readiness.settings import Settings

NON_NEGATIVE = re.compile(
    r"(^|_)(amount|price|cost|qty|quantity|age|count|total|revenue|salary|income|fee|tenure|"
    r"duration|weight|height|charges|spend|balance_due|units)($|_)"
)
BOOL_TEXT = {"true", "false", "yes", "no", "y", "n", "t", "f", "0", "1"}


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


@dataclass(frozen=True)
class TablePlan:
    table: str
    rows: int
    columns: tuple[ColumnPlan, ...]
    label: str | None = None
    classes: tuple[str, ...] | None = None

    def column(self, name: str) -> ColumnPlan:
        return next(c for c in self.columns if c.name == name)


def snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", re.sub(r"([a-z])([A-Z])", r"\1_\2", name)).strip("_").lower()


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def infer_id_columns(table: Table, declared: tuple[str, ...] | None) -> tuple[str, ...]:
    """Declared ids, else a column named ``id`` or ``<table>_id``, else a unique-looking first ``*id``."""
    if declared is not None:
        return declared
    frame = table.frame
    stem = snake(re.split(r"[/:]", table.name)[-1].split(".")[0])
    names = {snake(c): c for c in frame.columns}
    for candidate in ("id", f"{_singular(stem)}_id", f"{stem}_id"):
        if candidate in names:
            return (names[candidate],)
    if len(frame.columns) and len(frame):
        first = frame.columns[0]
        values = frame[first].dropna()
        if re.search(r"(^|_)id$", snake(first)) and len(values) and values.nunique() / len(values) >= 0.95:
            return (first,)
    return ()


SAMPLE_ABOVE = 5000  # distinct values; above this, a clear "no" to a type question is read off a sample
SAMPLE_DRAWS = 2000
SAMPLE_MARGIN = 0.15


def _draws(counts: pd.Series) -> pd.Series:
    """A seeded sample of the column's values drawn by frequency (each draw counts once)."""
    picked = counts.sample(n=SAMPLE_DRAWS, weights=counts.astype("float64"), random_state=0, replace=True)
    return pd.Series(1, index=picked.index)


def share(counts: pd.Series, pattern: str, threshold: float) -> float:
    """The share of values that fully match ``pattern``, for comparing with ``threshold``.

    Exact, except for columns with many distinct values whose seeded sample falls clearly
    below the threshold: inference only asks "is it at least the threshold?", and the counts
    reported later are always exact.
    """
    if counts.empty:
        return 0.0
    if len(counts) > SAMPLE_ABOVE:
        sampled = formats.conforming(_draws(counts), pattern) / SAMPLE_DRAWS
        if sampled < threshold - SAMPLE_MARGIN:
            return sampled
    return formats.conforming(counts, pattern) / counts.sum()


def _numeric_text_share(counts: pd.Series, threshold: float = 0.9) -> float:
    return share(counts, formats.NUMBER_RE, threshold)


def column_type(series: pd.Series, counts: pd.Series | None, fmt: str | None, is_id: bool,
                numeric_share: float, numeric_min: float) -> str:
    if is_id:
        return "id"
    if not series.notna().any():
        return "empty"
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "numeric"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if fmt and fmt.startswith("date:"):
        return "datetime"
    if counts is None or counts.empty:
        return "mixed"
    if numeric_share >= numeric_min:
        integral = formats.conforming(counts, r"[+-]?\d+")
        return "integer" if integral == counts.sum() else "numeric"
    distinct = len(counts)
    lowered = {str(v).strip().lower() for v in counts.index[:20]}
    if distinct <= 2 and lowered <= BOOL_TEXT:
        return "boolean"
    weighted = _draws(counts) if len(counts) > SAMPLE_ABOVE else counts  # a type guess, not a count
    texts = pd.Series(weighted.index, dtype=object)
    mean_words = float((texts.str.count(r"\s+") + 1).mul(weighted.to_numpy()).sum() / weighted.sum())
    if mean_words >= 4:
        return "text"
    if distinct <= 50 and distinct <= max(2, 0.5 * counts.sum()):
        return "categorical"
    return "string"


def plan_table(table: Table, settings: Settings, label: str | None, classes: tuple[str, ...] | None,
               value_counts: dict[str, pd.Series] | None = None) -> TablePlan:
    """Decide, for each column of a table, what the audit checks and how.

    ``value_counts`` may hold each text column's distinct values with their counts
    (formats.value_counts_text), computed once by the caller.
    """
    frame = table.frame
    known = value_counts or {}
    table_settings = settings.table(table.name)
    ids = set(infer_id_columns(table, table_settings.id_columns))
    thresholds = settings.thresholds
    plans = []
    for name in frame.columns:
        series = frame[name]
        counts = None
        if is_text(series):
            counts = known[name] if name in known else formats.value_counts_text(series)
        non_missing = int(series.notna().sum())
        declared = table_settings.formats.get(name)
        if name in table_settings.date_columns and declared is None:
            declared = "date"
        is_label = name == label
        fmt: str | None = None
        pattern: str | None = None
        numeric_share = _numeric_text_share(counts, thresholds.numeric_min_fraction) if counts is not None else 0.0
        if counts is not None and not counts.empty and not is_label:
            fmt, pattern = _infer_format(name, counts, declared, numeric_share, thresholds)
        elif declared is not None and declared.startswith("regex:"):
            fmt, pattern = declared, declared[len("regex:"):]
        low, high = _range(name, series, counts, fmt, table_settings.ranges.get(name))
        forced = name in settings.pii.columns or f"{table.name}:{name}" in settings.pii.columns
        ignored = name in settings.pii.ignore or f"{table.name}:{name}" in settings.pii.ignore
        if counts is not None:
            verdict = pii.detect(name, counts, non_missing, forced=forced, ignored=ignored)
        else:
            kind = None if ignored else (pii.kind_by_name(name) or ("personal" if forced else None))
            verdict = pii.PiiVerdict(kind, {kind: non_missing} if kind and non_missing else {},
                                     non_missing if kind else 0)
        if fmt == "email" and verdict.kind is None and not ignored:
            verdict = pii.PiiVerdict("email", {"email": non_missing}, non_missing)
        plans.append(ColumnPlan(
            name=name,
            type=column_type(series, counts, fmt, name in ids, numeric_share, thresholds.numeric_min_fraction),
            format=fmt, pattern=pattern, low=low, high=high, is_id=name in ids, is_label=is_label,
            pii=verdict.kind, pii_matches=tuple(sorted(verdict.matched.items())), pii_count=verdict.total,
        ))
    return TablePlan(table.name, len(frame), tuple(plans), label if label in frame.columns else None, classes)


def _infer_format(name: str, counts: pd.Series, declared: str | None, numeric_share: float,
                  thresholds: object) -> tuple[str | None, str | None]:
    date_min = getattr(thresholds, "date_min_fraction", 0.5)
    numeric_min = getattr(thresholds, "numeric_min_fraction", 0.9)
    total = counts.sum()
    if declared is not None and declared.startswith("regex:"):
        return declared, declared[len("regex:"):]
    if declared in ("email", "phone", "url", "numeric"):
        return declared, formats.FORMAT_REGEX[declared]
    if declared is None and len(counts) > SAMPLE_ABOVE:
        # type inference only (counts are exact later): a sample far below the threshold is no date column
        sample = _draws(counts)
        if formats.classify_dates(sample).date_values < (date_min - SAMPLE_MARGIN) * len(sample):
            declared = "not-a-date"
    if declared == "date" or declared is None:
        verdict = formats.classify_dates(counts)
        if verdict.dominant and (declared == "date" or verdict.date_values / total >= date_min):
            return f"date:{verdict.dominant}", formats.LAYOUTS_BY_NAME[verdict.dominant].pattern
    if declared == "date":
        return "date:YYYY-MM-DD", formats.LAYOUTS_BY_NAME["YYYY-MM-DD"].pattern
    token = snake(name)
    for kind, regex in (("email", r"(^|_)e_?mail($|_)"), ("phone", r"(^|_)(phone|mobile|telephone)($|_)"),
                        ("url", r"(^|_)(url|link|website|homepage)($|_)")):
        if re.search(regex, token):
            return kind, formats.FORMAT_REGEX[kind]
    for kind in ("email", "url"):
        if share(counts, formats.FORMAT_REGEX[kind], 0.5) >= 0.5:
            return kind, formats.FORMAT_REGEX[kind]
    if numeric_share >= numeric_min:
        return "numeric", formats.NUMBER_RE
    return None, None


def _range(name: str, series: pd.Series, counts: pd.Series | None, fmt: str | None,
           declared: tuple[float | None, float | None] | None) -> tuple[float | None, float | None]:
    if declared is not None:
        return declared
    numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
    if not (numeric or fmt == "numeric"):
        return None, None
    token = snake(name)
    if re.search(r"(^|_)age($|_)", token):
        return 0.0, 120.0
    if NON_NEGATIVE.search(token):
        return 0.0, None
    if re.search(r"(^|_)(pct|percent|percentage)($|_)", token):
        return 0.0, 100.0
    return None, None


def numeric_values(series: pd.Series) -> pd.Series:
    """The column as numbers (text parsed; what does not parse is NaN)."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("float64")
    if isinstance(series.dtype, pd.StringDtype):
        return _text_numbers(fastre.strip(series))
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=False) == "string":
        # all text: strip by Arrow (as str.strip does), parse as pandas parses the string dtype
        return pd.to_numeric(fastre.strip(series), errors="coerce").astype("float64")
    return pd.to_numeric(series.astype("string").str.strip(), errors="coerce").astype("float64")


PLAIN_INTEGER = r"^-?[0-9]{1,15}$"  # exact in float64 whichever parser reads it


def _text_numbers(texts: pd.Series) -> pd.Series:
    """``pd.to_numeric(texts, errors="coerce")`` as float64, for stripped text: plain integers of
    at most 15 digits (most id and count columns) cast by Arrow, everything else parsed by pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = fastre.arrow_array(texts)
    out = np.full(len(texts), np.nan)
    rest = texts.notna().to_numpy()
    if array is not None:
        plain = np.asarray(pc.fill_null(pc.match_substring_regex(array, PLAIN_INTEGER), False), dtype=bool)
        if plain.any():
            try:
                out[plain] = np.asarray(pc.cast(pc.filter(array, plain), pa.int64()), dtype=np.float64)
                rest &= ~plain
            except pa.ArrowInvalid:  # not what the pattern promised: pandas parses all of it
                out[:] = np.nan
    if rest.any():
        out[rest] = pd.to_numeric(objects(texts[rest]), errors="coerce").astype("float64").to_numpy()
    return pd.Series(out, index=texts.index, dtype="float64")
