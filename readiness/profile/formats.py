"""Value formats: emails, phones, URLs and numbers, matched by vectorised regexes on a column's
distinct values.

Every function works on the distinct values of a column with their counts (``Distinct``), so a
column of a million rows costs one pass per pattern over its distinct values, never a Python loop
per row. Date layouts are in dates.py.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from readiness.base import fastre

if TYPE_CHECKING:
    from readiness.profile.dates import Classified

EMAIL_RE = r"[^@\s]+@[^@\s]+\.[^@\s]+"
PHONE_RE = r"\+?[0-9(][0-9 ().\-/]{5,22}[0-9]"
URL_RE = r"https?://[^\s/$.?#][^\s]*"
NUMBER_RE = r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?"

FORMAT_REGEX = {"email": EMAIL_RE, "phone": PHONE_RE, "url": URL_RE, "numeric": NUMBER_RE}


def value_counts_text(series: pd.Series) -> pd.Series:
    """Distinct non-missing string values with their counts (non-strings are left out)."""
    values = series.dropna()
    if isinstance(values.dtype, pd.StringDtype):
        counts = values.value_counts(sort=False)
        return pd.Series(counts.to_numpy(dtype="int64"), index=pd.Index(counts.index.to_numpy(dtype=object),
                                                                          dtype=object), name="count")
    if values.dtype == object:
        values = values if _all_str(values) else values[values.map(lambda v: isinstance(v, str))]
    else:
        return pd.Series(dtype="int64")
    return values.value_counts(sort=False)


def distinct_values(counts: pd.Series) -> pd.Series:
    """A column's distinct values (the index of its counts) as a Series in the same order:
    Arrow-backed when they are Arrow text (no Python string per value), else Python objects."""
    if isinstance(counts.index.dtype, pd.StringDtype):
        return pd.Series(counts.index.array)
    return pd.Series(counts.index, dtype=object)


FEW_VALUES = 64  # up to this many distinct values, Python's re runs them: Arrow compiles RE2 anew per call


@lru_cache(maxsize=512)
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def fullmatch(values: pd.Series | fastre.Texts, pattern: str) -> np.ndarray:
    """``fastre.fullmatch`` (Python's answers), by ``re`` itself for a few values: compiling the
    RE2 form costs Arrow up to milliseconds a call (``\\d`` is every Unicode digit), Python
    microseconds, and a folder of tiny tables makes thousands of such calls."""
    given = fastre.texts(values)
    if len(given.values) > FEW_VALUES:
        return fastre.fullmatch(given, pattern)
    match = compiled(pattern).fullmatch
    return np.fromiter((match(v) is not None for v in given.values), dtype=bool, count=len(given.values))


class Distinct:
    """A column's distinct text values with their counts (``value_counts_text``, or the hashing
    pass's counts), and the work every pattern and date layout checked against them shares, done
    once: the values stripped, and each value's date layout. Made by whoever holds the counts and
    handed along (inference, then the counts, then the examples), so the work lives as long as the
    column's questions do and no longer."""

    def __init__(self, counts: pd.Series) -> None:
        self.counts = counts

    @cached_property
    def few(self) -> list[str] | None:
        """The values stripped, as Python strings, when there are at most FEW_VALUES of them (else
        None): checked by ``re`` one by one, without a pandas or Arrow call each time
        (``str.strip`` strips exactly ``fastre.PY_WHITESPACE``)."""
        if len(self.counts) > FEW_VALUES:
            return None
        values = list(self.counts.index)
        return [v.strip() for v in values] if all(isinstance(v, str) for v in values) else None

    @cached_property
    def stripped(self) -> fastre.Texts:
        """The values stripped (in Arrow too, once), for every pattern checked against them."""
        return fastre.texts(fastre.strip(distinct_values(self.counts)))

    @cached_property
    def layouts(self) -> Classified:
        """Each value's date layout and whether it is a real date (dates.classify_dates)."""
        from readiness.profile import dates  # dates builds on this module

        return dates.classify_values(self)

    def release(self) -> None:
        """Drop the work (the counts stay): the column's counts are made, nothing asks again."""
        for name in ("few", "stripped", "layouts"):
            self.__dict__.pop(name, None)

    def __getstate__(self) -> dict[str, Any]:
        return {"counts": self.counts}  # a prepared table sent between processes: the work is redone there


def _all_str(values: pd.Series) -> bool:
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    return inferred in ("string", "empty")


def failing(values: Distinct, pattern: str) -> np.ndarray:
    """Which distinct values (stripped) do not fully match the pattern: ``nonconforming``'s values."""
    if values.counts.empty:
        return np.zeros(0, dtype=bool)
    few = values.few
    if few is not None:
        match = compiled(pattern).fullmatch
        return np.fromiter((match(text) is None for text in few), dtype=bool, count=len(few))
    return ~fullmatch(values.stripped, pattern)


def nonconforming(values: Distinct, pattern: str) -> int:
    """How many values (weighted by counts) do not fully match the pattern."""
    counts = values.counts
    if counts.empty:
        return 0
    few = values.few
    if few is not None:
        match = compiled(pattern).fullmatch
        return sum(int(count) for text, count in zip(few, counts.to_numpy(), strict=True) if match(text) is None)
    ok = fullmatch(values.stripped, pattern)
    return int(counts.to_numpy()[~ok].sum())


def conforming(values: Distinct, pattern: str) -> int:
    return int(values.counts.to_numpy().sum()) - nonconforming(values, pattern)
