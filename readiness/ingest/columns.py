"""The columns of a table as ingest hands them on: text kept as Arrow holds it, missing values
normalised (blank strings and NA tokens become missing), and the helpers later stages use to
look at such columns without copying them.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

# pandas' default NA tokens (pandas._libs.parsers.STR_NA_VALUES), matched after stripping.
NA_TOKENS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})

TEXT = pd.StringDtype("pyarrow")  # text as Arrow holds it: no Python object per value


def is_text(series: pd.Series | pd.Index) -> bool:
    """A column that may hold text: Python objects, or Arrow-backed strings (every CSV column)."""
    return series.dtype == object or isinstance(series.dtype, pd.StringDtype)


def count_present(series: pd.Series) -> int:
    """How many values are present (``series.notna().sum()``), on the array: no Series built."""
    return len(series) - int(np.count_nonzero(series.array.isna()))


def arrow_text(series: pd.Series) -> Any:
    """An Arrow-backed text column as one Arrow string array (no copy when it is one chunk)."""
    import pyarrow as pa

    return pa.array(series.array)


def objects(series: pd.Series) -> pd.Series:
    """A text column as Python objects, None for missing: for code that goes value by value."""
    if isinstance(series.dtype, pd.StringDtype):
        return pd.Series(series.to_numpy(dtype=object, na_value=None), index=series.index, name=series.name,
                         dtype=object)
    return series


def _normalise_arrow_text(series: pd.Series, tokens: frozenset[str]) -> pd.Series:
    import pyarrow as pa
    import pyarrow.compute as pc

    from readiness.base.fastre import PY_WHITESPACE

    array = arrow_text(series)
    if len(array) <= FEW_CELLS:  # a tiny column: Python's strip (the same characters) beats Arrow's set-up
        few = [v is not None and v.strip() in tokens for v in array.to_pylist()]
        hit = pa.array(few, type=pa.bool_()) if any(few) else None
    else:
        hit = pc.is_in(pc.utf8_trim(array, characters=PY_WHITESPACE), value_set=_token_array(tokens, array.type))
        hit = hit if pc.any(hit).as_py() else None
    if hit is not None:
        array = pc.if_else(hit, pa.scalar(None, type=array.type), array)
    return pd.Series(pd.arrays.ArrowStringArray(array), index=series.index, name=series.name)


FEW_CELLS = 64  # up to this many values in a column, Python normalises them


@lru_cache(maxsize=16)
def _token_array(tokens: frozenset[str], arrow_type: Any) -> Any:
    import pyarrow as pa

    return pa.array(sorted(tokens), type=arrow_type)


def normalise_series(series: pd.Series, extra_tokens: frozenset[str] = frozenset()) -> pd.Series:
    """Blank strings and NA tokens become missing; lists and objects become their JSON text."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        return _normalise_arrow_text(series, NA_TOKENS | extra_tokens)
    if series.dtype != object:
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        else:
            return series
    tokens = NA_TOKENS | extra_tokens
    values = series.to_numpy(dtype=object, copy=True)
    plain = pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")  # text only: nothing nested
    nested = [] if plain else [i for i, v in enumerate(values) if isinstance(v, (list, dict, tuple, np.ndarray))]
    for i in nested:
        value = values[i]
        if isinstance(value, np.ndarray):
            value = value.tolist()
        values[i] = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    out = pd.Series(values, index=series.index, name=series.name, dtype=object)
    missing = _blank_or_token(values, tokens) if plain else None
    if missing is None:
        try:
            missing = out.str.strip().isin(tokens) | out.isna()
        except AttributeError:  # no text at all in this column (e.g. integers beyond 64 bits)
            missing = out.isna()
    if missing.any():
        out = out.where(~missing, None)
    return out


def _blank_or_token(values: np.ndarray, tokens: frozenset[str]) -> np.ndarray | None:
    """For an all-text column: which values are missing (None, blank, or an NA token once
    stripped as ``str.strip`` strips), computed by Arrow; None when Arrow cannot take the text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from readiness.base.fastre import PY_WHITESPACE

    try:
        array = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeEncodeError, TypeError):
        return None
    trimmed = pc.utf8_trim(array, characters=PY_WHITESPACE)
    hit = pc.fill_null(pc.is_in(trimmed, value_set=pa.array(sorted(tokens), type=pa.string())), True)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)


def normalise_frame(frame: pd.DataFrame, extra_tokens: frozenset[str] = frozenset()) -> pd.DataFrame:
    """A new frame (index 0..n-1, names as text) of the normalised columns (normalise_series)."""
    columns = {}
    for position, (_, original) in enumerate(frame.items()):
        series = normalise_series(original, extra_tokens)
        if series.dtype == object and extra_tokens and series.notna().any():
            # an Excel column whose error cells are now missing keeps the type of its other values
            if pd.api.types.infer_dtype(series, skipna=True) not in ("string", "mixed", "empty"):
                series = typed_column([None if pd.isna(v) else v for v in series.tolist()])
        # built in one step (a copy, then a column set at a time, costs ms a table); a column left
        # as it was is copied: the frame read is not shared
        columns[position] = original.array.copy() if series is original else series.array
    out = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)), copy=False)
    out.columns = pd.Index([str(c) for c in frame.columns], dtype=object)
    return out


def typed_column(values: list[Any]) -> pd.Series:
    """Build a column from parsed values, keeping them as typed (ints stay ints)."""
    kinds = {type(v) for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))}
    if int in kinds and any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in values):
        return pd.Series(values, dtype=object)  # integers beyond 64 bits stay exact as Python ints
    if kinds and all(issubclass(k, datetime.datetime) for k in kinds):
        return pd.Series(pd.to_datetime(values, errors="coerce"))
    if kinds and kinds <= {int}:
        return pd.Series(pd.array(values, dtype="Int64"))
    if kinds and kinds <= {int, float}:
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    if kinds and kinds <= {int, np.int64}:
        return pd.Series(pd.array([None if v is None else int(v) for v in values], dtype="Int64"))
    if kinds and kinds <= {bool}:
        return pd.Series(pd.array(values, dtype="boolean"))
    return pd.Series(values, dtype=object)


def unique_names(names: Iterable[Any]) -> list[str]:
    """Header cells as strings, empty ones named and repeats numbered as pandas does."""
    seen: dict[str, int] = {}
    out = []
    for index, raw in enumerate(names):
        name = f"Unnamed: {index}" if raw is None or str(raw).strip() == "" else str(raw)
        if name in seen:
            seen[name] += 1
            candidate = f"{name}.{seen[name]}"
            while candidate in seen:
                seen[name] += 1
                candidate = f"{name}.{seen[name]}"
            seen[candidate] = 0
            name = candidate
        else:
            seen[name] = 0
        out.append(name)
    return out


def as_text(value: Any) -> str:
    """The text a value is compared by (class names, distinct values)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return json.dumps(float(value))
    return str(value)
