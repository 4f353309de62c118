"""Keys: which columns are the table's id, and which are only its row number.

An id column's repeats are reported (``not_unique``); a row number is left out of duplicate rows,
label conflicts, leakage and features.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.ingest.columns import is_text
from readiness.ingest.model import Table
from readiness.profile import dates, entities
from readiness.profile.headers import FIRST_COLUMN_ROW_NUMBER_NAME, ROW_NUMBER_NAME, singular, snake
from readiness.settings import Settings

ROW_NUMBER_MIN_DISTINCT = 0.1  # a named row number repeats at most as often as frames were stacked


def infer_id_columns(table: Table, declared: tuple[str, ...] | None,
                     value_counts: dict[str, pd.Series] | None = None,
                     codes: Sequence[np.ndarray] | None = None) -> tuple[str, ...]:
    """Declared ids, else a column named ``id`` or ``<table>_id``, else a unique-looking first ``*id``.

    A candidate whose values name entities measured in several rows (most rows repeat a value,
    or its repeats differ in a time column) is no id: it is a grouping column (entities.py), and
    its repeats are not reported as ``not_unique``. ``value_counts``: text columns' counts;
    ``codes``: every column's factorised codes (hashing.column_codes), when the caller has them.
    """
    if declared is not None:
        return declared
    frame = table.frame
    known = value_counts or {}
    stem = snake(re.split(r"[/:]", table.name)[-1].split(".")[0])
    names = {snake(c): c for c in frame.columns}
    for candidate in dict.fromkeys(("id", f"{singular(stem)}_id", f"{stem}_id")):
        if candidate in names and not entities.repeats(frame, names[candidate], known.get(names[candidate]),
                                                       codes).grouping:
            return (names[candidate],)
    if len(frame.columns) and len(frame):
        first = frame.columns[0]
        if re.search(r"(^|_)id$", snake(first)):
            verdict = entities.repeats(frame, first, known.get(first), codes)
            if verdict.present and verdict.entities / verdict.present >= 0.95 and not verdict.grouping:
                return (first,)
    return ()


def _integer_text(series: pd.Series) -> np.ndarray | None:
    """A text column as integers when every value is plain digits (no sign, blank or missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = fastre.arrow_array(series)
    if not isinstance(array, pa.Array | pa.ChunkedArray) or array.null_count:
        return None
    if not pc.all(pc.match_substring_regex(array, r"^[0-9]{1,18}$")).as_py():
        return None
    return np.asarray(pc.cast(array, pa.int64()), dtype=np.int64)


def _row_numbers(series: pd.Series) -> np.ndarray | None:
    """The column's values as non-negative integers when it could be a row number (no missing
    value; integers, or integer text as a CSV holds them), else None."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if pd.api.types.is_integer_dtype(dtype):
        if series.hasnans:
            return None
        values = series.to_numpy(dtype=np.int64)
        return values if not len(values) or values.min() >= 0 else None
    if is_text(series):
        return _integer_text(series)
    return None


def _years(values: np.ndarray) -> bool:
    """Every value a plausible year (1700-2100): a row number never starts that high."""
    return bool(len(values)) and dates.YEARS_YYYY[0] <= int(values.min()) and int(values.max()) <= dates.YEARS_YYYY[1]


def _numbers_the_rows(series: pd.Series, codes: np.ndarray | None) -> bool:
    """Whether the values are exactly 0..n-1 or 1..n in file order (integers, or their plain text)."""
    rows = len(series)
    if rows < 2:
        return False
    if codes is not None and (len(codes) != rows or codes[-1] != rows - 1):
        return False  # codes number values by first appearance: n distinct present values end at n-1
    dtype = series.dtype
    if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        first, last = series.iloc[0], series.iloc[-1]
        if pd.isna(first) or pd.isna(last) or int(first) not in (0, 1) or int(last) != int(first) + rows - 1:
            return False
        values = _row_numbers(series)
        return values is not None and bool(np.array_equal(values, np.arange(int(first), int(first) + rows)))
    if not is_text(series):
        return False
    import pyarrow as pa
    import pyarrow.compute as pc

    first = series.iloc[0]
    if not isinstance(first, str) or first not in ("0", "1"):
        return False
    array = fastre.arrow_array(series)
    if not isinstance(array, pa.Array | pa.ChunkedArray) or array.null_count:
        return False
    start = int(first)
    expected = pc.cast(pa.array(np.arange(start, start + rows, dtype=np.int64)), pa.string())
    return bool(pc.all(pc.equal(array, expected)).as_py())


def row_index_columns(table: Table, settings: Settings, label: str | None,
                      codes: list[np.ndarray] | tuple[np.ndarray, ...] | None = None) -> tuple[str, ...]:
    """Columns that are only the row number: named like one (an empty header, ``index``,
    ``Unnamed: N``, R's row names, ...) with non-negative integer values, or holding exactly
    0..n-1 or 1..n in file order. Declared ids, inferred ids and the label never are.

    ``codes`` (hashing.column_codes) make the common "no" a constant-time look: a column whose
    last row's code is not n-1 has a repeat or a missing value."""
    frame = table.frame
    rows = len(frame)
    declared = settings.table(table.name).id_columns
    never = {label, *(declared or ())}
    inferred_ids: set[str] | None = None
    found = []
    unique = frame.columns.is_unique
    for position, name in enumerate(frame.columns):
        if name in never or not rows:
            continue
        series = frame[name] if unique else frame.iloc[:, position]  # by name: pandas keeps the Series
        column_codes = codes[position] if codes is not None else None
        stripped = str(name).strip()
        named = bool(ROW_NUMBER_NAME.fullmatch(stripped)) or (
            position == 0 and bool(FIRST_COLUMN_ROW_NUMBER_NAME.fullmatch(stripped)))
        if named:
            values = _row_numbers(series)
            if values is None or _years(values):
                continue  # an unnamed column of years (R writes a yearly series' time as its row names)
            distinct = int(column_codes.max()) + 1 if column_codes is not None else len(np.unique(values))
            if distinct >= ROW_NUMBER_MIN_DISTINCT * rows:
                found.append(name)
            continue
        if _numbers_the_rows(series, column_codes):
            if inferred_ids is None:  # a column named as an id keeps being one, whatever it holds
                inferred_ids = set(infer_id_columns(table, declared))
            if name not in inferred_ids:
                found.append(name)
    return tuple(found)
