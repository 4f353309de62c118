"""Repeated entities: a column naming an individual measured in several rows (panel data, a
patient with several visits) is a grouping column to split train and test by, not a broken id.

``repeats`` is the one verdict both inference (is a repeated ``id`` an id at all?) and the
``grouping_column`` finding use, so the two never disagree about a column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.ingest.columns import count_present, is_text
from readiness.profile import formats
from readiness.profile.headers import snake

if TYPE_CHECKING:
    pass

ENTITY_WORDS = ("patient", "subject", "person", "customer", "client", "user", "member", "participant",
                "respondent", "individual", "household", "family", "student", "pupil", "employee", "worker",
                "firm", "company", "device", "driver", "player", "visitor", "animal", "store", "hospital",
                "school", "site", "unit")
ID_SUFFIXES = ("id", "no", "nr", "num", "number", "key", "code", "ref")
BARE_IDS = ("nr", "pid", "uid", "idcode", "ident", "identifier")
ENTITY_NAME = re.compile(rf"^(?:(?:{'|'.join(ENTITY_WORDS)})s?(?:_?(?:{'|'.join(ID_SUFFIXES)}))?"
                         rf"|{'|'.join(BARE_IDS)})$|(?:^|_)id$")
TIME_NAME = re.compile(r"(?:^|_)(?:date|time|timestamp|datetime|ts|year|yr|month|quarter|week|day|period|wave|"
                       r"visit|round)s?(?:$|_)|_(?:at|on)$")
MAX_CODE_CHARS = 32  # a "short code": no whitespace, at most this long
WHITESPACE_SAMPLE = 5000  # distinct values looked at for whitespace
WHITESPACE = (" ", "\t", "\n", "\r", "\xa0")  # literal searches: a regex pass over every value costs more
MIN_SHAPE_ENTITIES = 10  # found by shape alone: at least this many entities (and sqrt(rows))


@dataclass(frozen=True)
class Repeats:
    """How the values of one column repeat over rows."""

    column: str
    present: int  # rows with a value
    entities: int  # distinct values
    repeated_entities: int  # values found in more than one row
    repeated_rows: int  # rows whose value is found in more than one row
    largest: int  # rows of the most repeated value
    time_column: str | None  # a time column in which the repeats differ
    grouping: bool

    @property
    def mean_rows(self) -> float:
        return self.present / self.entities if self.entities else 0.0


def entity_name(name: str) -> bool:
    """``id``, ``*_id``, ``patient``, ``customer_no``, ``userId``, ``nr``, ...: names of entity keys."""
    return bool(ENTITY_NAME.search(snake(name)))


def time_columns(frame: pd.DataFrame, exclude: Sequence[str] = ()) -> list[str]:
    """Columns that say when a row was measured: datetimes, or names like ``year``, ``visit``, ``*_at``."""
    return [str(c) for c in frame.columns if str(c) not in exclude and (
        pd.api.types.is_datetime64_any_dtype(frame[c].dtype) or TIME_NAME.search(snake(str(c))))]


def code_like(series: pd.Series, counts: pd.Series) -> bool:
    """Integers, or short codes without whitespace (judged on the distinct values)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return False
    if pd.api.types.is_integer_dtype(dtype):
        return True
    if pd.api.types.is_float_dtype(dtype):
        values = np.asarray(counts.index, dtype="float64")
        return bool(np.isfinite(values).all() and (values == np.round(values)).all())
    if not is_text(series) or counts.empty:
        return False
    import pyarrow.compute as pc

    array = fastre.arrow_array(formats.distinct_values(counts))
    if array is None:
        return False
    if (pc.max(pc.utf8_length(array)).as_py() or 0) > MAX_CODE_CHARS:
        return False
    distinct = len(counts)
    if distinct > WHITESPACE_SAMPLE:  # a type judgement, as infer makes it: a seeded sample of the values
        picked = np.sort(np.random.default_rng(0).choice(distinct, WHITESPACE_SAMPLE, replace=False))
        array = pc.take(array, picked)
    return not any(pc.any(pc.match_substring(array, space)).as_py() for space in WHITESPACE)


def _value_counts(series: pd.Series, counts: pd.Series | None, present: int) -> pd.Series:
    if counts is not None and int(counts.to_numpy().sum()) == present:
        return counts
    return series.value_counts(sort=False, dropna=True)


def _repeated_mask(series: pd.Series, counts: pd.Series, codes: np.ndarray | None) -> np.ndarray:
    """Which rows hold a value found in more than one row."""
    if codes is not None:
        shifted = codes.astype(np.int64) + 1
        return np.asarray((np.bincount(shifted)[shifted] > 1) & (shifted > 0))
    repeated = counts.index[counts.to_numpy() > 1]
    if is_text(series):
        import pyarrow as pa
        import pyarrow.compute as pc

        array = fastre.arrow_array(series)
        if array is not None:
            values = pa.array(np.asarray(repeated, dtype=object), type=pa.string(), from_pandas=True)
            return np.asarray(pc.fill_null(pc.is_in(array, value_set=values), False).to_numpy(zero_copy_only=False),
                              dtype=bool)
    return np.asarray(series.isin(repeated).to_numpy(), dtype=bool)


def _pair_repeats(frame: pd.DataFrame, column: str, time: str, rows: np.ndarray,
                  codes: Sequence[np.ndarray] | None) -> int:
    """Among ``rows``, how many repeat an earlier row's (entity, time) pair."""
    if codes is not None:
        entity = codes[frame.columns.get_loc(column)][rows].astype(np.int64)
        when = codes[frame.columns.get_loc(time)][rows].astype(np.int64) + 1  # missing is a time of its own
        keys = entity * (int(when.max(initial=0)) + 1) + when
        return int(len(keys) - len(np.unique(keys)))
    pairs = pd.DataFrame({"entity": frame[column].iloc[rows].reset_index(drop=True),
                          "time": frame[time].iloc[rows].reset_index(drop=True)})
    return int(pairs.duplicated().sum())


def repeats(frame: pd.DataFrame, column: str, counts: pd.Series | None = None,
            codes: Sequence[np.ndarray] | None = None, by_name: bool = True) -> Repeats:
    """Does ``column`` name entities measured in several rows?

    Found by name (``by_name``): integers or short codes, and most rows repeat a value, or most
    repeats differ in a time column (the same patient on another visit). Found by shape alone:
    also at least max(10, sqrt(rows)) entities, most rows repeating, and a time column in which
    no (entity, time) pair repeats (the panel layout). ``counts``: the column's value counts
    when the caller has them; ``codes``: every column's factorised codes (hashing.column_codes).
    """
    series = frame[column]
    present = count_present(series)
    counts = _value_counts(series, counts, present)
    sizes = counts.to_numpy()
    multi = sizes > 1
    entities, repeated_rows = len(sizes), int(sizes[multi].sum())
    verdict = Repeats(column, present, entities, int(multi.sum()), repeated_rows,
                      int(sizes.max(initial=0)), None, False)
    if not repeated_rows or entities < 2:
        return verdict
    most = 2 * repeated_rows >= present
    if by_name and most:
        return verdict if not code_like(series, counts) else _with(verdict, None, True)
    if not by_name and not (most and entities >= max(MIN_SHAPE_ENTITIES, math.sqrt(present))):
        return verdict
    times = time_columns(frame, exclude=(column,))
    if not times:
        return verdict
    column_codes = None if codes is None else codes[frame.columns.get_loc(column)]
    rows = np.flatnonzero(_repeated_mask(series, counts, column_codes))
    duplicates = present - entities
    best: tuple[int, str] | None = None
    for time in times:
        same = _pair_repeats(frame, column, time, rows, codes)
        differ = same == 0 if not by_name else 2 * same <= duplicates
        if differ and (best is None or same < best[0]):
            best = (same, time)
    return _with(verdict, best[1], True) if best is not None and code_like(series, counts) else verdict


def _with(verdict: Repeats, time: str | None, grouping: bool) -> Repeats:
    return Repeats(verdict.column, verdict.present, verdict.entities, verdict.repeated_entities,
                   verdict.repeated_rows, verdict.largest, time, grouping)


__all__ = ["Repeats", "repeats", "entity_name", "time_columns"]
