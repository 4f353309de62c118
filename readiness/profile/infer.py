"""Inference: what each column is (type, expected format, range), read off its values.

plan.py puts these answers together, with the keys (keys.py) and personal data (pii/), into the
plan of each table.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.ingest.columns import count_present, objects
from readiness.profile import dates, formats
from readiness.profile.formats import Distinct
from readiness.profile.headers import snake, year_column

NON_NEGATIVE = re.compile(
    r"(^|_)(amount|price|cost|qty|quantity|age|count|total|revenue|salary|income|fee|tenure|"
    r"duration|weight|height|charges|spend|balance_due|units)($|_)"
)
SPACES = re.compile(r"\s+")
BOOL_TEXT = {"true", "false", "yes", "no", "y", "n", "t", "f", "0", "1"}


SAMPLE_ABOVE = 5000  # distinct values; above this, a clear "no" to a type question is read off a sample
SAMPLE_DRAWS = 2000
SAMPLE_MARGIN = 0.15


def _draws(counts: pd.Series) -> pd.Series:
    """A seeded sample of the column's values drawn by frequency (each draw counts once)."""
    picked = counts.sample(n=SAMPLE_DRAWS, weights=counts.astype("float64"), random_state=0, replace=True)
    return pd.Series(1, index=picked.index)


def share(values: Distinct, pattern: str, threshold: float) -> float:
    """The share of values that fully match ``pattern``, for comparing with ``threshold``.

    Exact, except for columns with many distinct values whose seeded sample falls clearly
    below the threshold: inference only asks "is it at least the threshold?", and the counts
    reported later are always exact.
    """
    counts = values.counts
    if counts.empty:
        return 0.0
    if len(counts) > SAMPLE_ABOVE:
        sampled = formats.conforming(Distinct(_draws(counts)), pattern) / SAMPLE_DRAWS
        if sampled < threshold - SAMPLE_MARGIN:
            return sampled
    return formats.conforming(values, pattern) / counts.to_numpy().sum()


def numeric_text_share(values: Distinct, threshold: float = 0.9) -> float:
    return share(values, formats.NUMBER_RE, threshold)


def column_type(series: pd.Series, values: Distinct | None, fmt: str | None, is_id: bool,
                numeric_share: float, numeric_min: float, non_missing: int | None = None) -> str:
    if is_id:
        return "id"
    if not (count_present(series) if non_missing is None else non_missing):
        return "empty"
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "datetime" if fmt and fmt.startswith("date:") else "integer"  # 1958, 19580329 as numbers
    if pd.api.types.is_float_dtype(dtype):
        return "numeric"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if fmt and fmt.startswith("date:"):
        return "datetime"
    if values is None or values.counts.empty:
        return "mixed"
    counts = values.counts
    if numeric_share >= numeric_min:
        integral = formats.conforming(values, r"[+-]?\d+")
        return "integer" if integral == counts.to_numpy().sum() else "numeric"
    distinct = len(counts)
    lowered = {str(v).strip().lower() for v in counts.index[:20]}
    if distinct <= 2 and lowered <= BOOL_TEXT:
        return "boolean"
    weighted = _draws(counts) if len(counts) > SAMPLE_ABOVE else counts  # a type guess, not a count
    if len(weighted) <= formats.FEW_VALUES:  # str.count is re's findall, value by value: the same sums
        weights = [int(w) for w in weighted.to_numpy()]
        words = sum((len(SPACES.findall(text)) + 1) * w for text, w in zip(weighted.index, weights, strict=True)
                    if isinstance(text, str))  # pandas counts nothing (NaN, skipped) for a non-text value
        mean_words = words / sum(weights)
    else:
        texts = pd.Series(weighted.index, dtype=object)
        mean_words = float((texts.str.count(r"\s+") + 1).mul(weighted.to_numpy()).sum() / weighted.sum())
    if mean_words >= 4:
        return "text"
    if distinct <= 50 and distinct <= max(2, 0.5 * counts.to_numpy().sum()):
        return "categorical"
    return "string"


BARE_DATE_MIN = 0.9  # bare digits (YYYYMMDD, YYYY) are dates when this share of the values are real dates


def _is_date_column(verdict: dates.DateVerdict, total: int, date_min: float) -> bool:
    """Enough values in a date layout; for a layout of bare digits (an id column could look alike),
    nearly all of them real dates."""
    if verdict.date_values < date_min * total:
        return False
    bare = verdict.dominant is not None and dates.LAYOUTS_BY_NAME[verdict.dominant].bare
    return not bare or verdict.conforming + verdict.mixed >= BARE_DATE_MIN * total


def integer_date_format(name: str, series: pd.Series, declared: str | None) -> str | None:
    """``date:YYYY`` or ``date:YYYYMMDD`` for a whole-number column (Parquet, Excel, JSON) every
    value of which is a real date in that layout (a year only in a column named or declared so)."""
    if declared not in (None, "date"):
        return None
    layout = dates.integer_layout(series, year_column=declared == "date" or year_column(name))
    return None if layout is None else f"date:{layout}"


def infer_format(name: str, values: Distinct, declared: str | None, numeric_share: float,
                 thresholds: object) -> tuple[str | None, str | None]:
    """The column's expected format and the full-match regex GX runs for it (None, None: none)."""
    date_min = getattr(thresholds, "date_min_fraction", 0.5)
    numeric_min = getattr(thresholds, "numeric_min_fraction", 0.9)
    counts = values.counts
    total = counts.to_numpy().sum()
    if declared is not None and declared.startswith("regex:"):
        return declared, declared[len("regex:"):]
    if declared in ("email", "phone", "url", "numeric"):
        return declared, formats.FORMAT_REGEX[declared]
    if declared == "date" or (declared is None and year_column(name)):
        years = dates.classify_dates(values, forced_layout="YYYY")
        if years.conforming >= BARE_DATE_MIN * total:
            return "date:YYYY", dates.LAYOUTS_BY_NAME["YYYY"].pattern
    if declared is None and len(counts) > SAMPLE_ABOVE:
        # type inference only (counts are exact later): a sample far below the threshold is no date column
        sample = _draws(counts)
        if dates.classify_dates(Distinct(sample)).date_values < (date_min - SAMPLE_MARGIN) * len(sample):
            declared = "not-a-date"
    if declared == "date" or declared is None:
        verdict = dates.classify_dates(values)
        if verdict.dominant and (declared == "date" or _is_date_column(verdict, total, date_min)):
            return f"date:{verdict.dominant}", dates.LAYOUTS_BY_NAME[verdict.dominant].pattern
    if declared == "date":
        return "date:YYYY-MM-DD", dates.LAYOUTS_BY_NAME["YYYY-MM-DD"].pattern
    token = snake(name)
    for kind, regex in (("email", r"(^|_)e_?mail($|_)"), ("phone", r"(^|_)(phone|mobile|telephone)($|_)"),
                        ("url", r"(^|_)(url|link|website|homepage)($|_)")):
        if re.search(regex, token):
            return kind, formats.FORMAT_REGEX[kind]
    for kind in ("email", "url"):
        if share(values, formats.FORMAT_REGEX[kind], 0.5) >= 0.5:
            return kind, formats.FORMAT_REGEX[kind]
    if numeric_share >= numeric_min:
        return "numeric", formats.NUMBER_RE
    return None, None


def value_range(name: str, series: pd.Series, fmt: str | None,
                declared: tuple[float | None, float | None] | None) -> tuple[float | None, float | None]:
    """The range a numeric column's values must fall in, declared or read off its name (ages,
    amounts, percentages); (None, None) for none."""
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
