"""Value formats: date layouts, emails, phones, URLs and numbers, classified with vectorised regexes.

Every function works on the distinct values of a column with their counts, so a column of a
million rows costs one pass per layout over its distinct values, never a Python loop per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from readiness import fastre
from readiness.ingest import objects

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm])?)?"


@dataclass(frozen=True)
class DateLayout:
    name: str
    pattern: str  # full-match regex, also the one GX runs
    strptime: tuple[str, ...]  # how a matching value is checked against the calendar


DATE_LAYOUTS: tuple[DateLayout, ...] = (
    DateLayout("YYYY-MM-DD", r"\d{4}-\d{2}-\d{2}", ("%Y-%m-%d",)),
    DateLayout("YYYY-MM-DD HH:MM:SS", r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?", ("%Y-%m-%d",)),
    DateLayout(
        "YYYY-MM-DDTHH:MM:SS",
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
        ("%Y-%m-%d",),
    ),
    DateLayout("YYYY/MM/DD", r"\d{4}/\d{1,2}/\d{1,2}" + _TIME, ("%Y/%m/%d",)),
    DateLayout("DD/MM/YYYY", r"\d{1,2}/\d{1,2}/\d{4}" + _TIME, ("%d/%m/%Y", "%m/%d/%Y")),
    DateLayout("DD.MM.YYYY", r"\d{1,2}\.\d{1,2}\.\d{4}" + _TIME, ("%d.%m.%Y",)),
    DateLayout("DD-MM-YYYY", r"\d{1,2}-\d{1,2}-\d{4}" + _TIME, ("%d-%m-%Y", "%m-%d-%Y")),
    DateLayout("Mon DD, YYYY", r"[A-Za-z]{3,9}\.? \d{1,2},? \d{4}" + _TIME, ("%b %d %Y", "%B %d %Y")),
    DateLayout("DD Mon YYYY", r"\d{1,2} [A-Za-z]{3,9}\.? \d{4}" + _TIME, ("%d %b %Y", "%d %B %Y")),
)
LAYOUTS_BY_NAME = {layout.name: layout for layout in DATE_LAYOUTS}

EMAIL_RE = r"[^@\s]+@[^@\s]+\.[^@\s]+"
PHONE_RE = r"\+?[0-9(][0-9 ().\-/]{5,22}[0-9]"
URL_RE = r"https?://[^\s/$.?#][^\s]*"
NUMBER_RE = r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?"

FORMAT_REGEX = {"email": EMAIL_RE, "phone": PHONE_RE, "url": URL_RE, "numeric": NUMBER_RE}
FORMAT_EXPECTATION = "expect_column_values_to_match_regex"


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


def _all_str(values: pd.Series) -> bool:
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    return inferred in ("string", "empty")



@dataclass(frozen=True)
class DateVerdict:
    """How a column's text values fall against the date layouts."""

    dominant: str | None
    date_values: int  # values in any layout (valid or not)
    conforming: int
    mixed: int  # valid dates in another layout
    invalid: int  # no date at all, or an impossible calendar date
    layouts: dict[str, int]


def _calendar_valid(texts: pd.Series, layout: DateLayout, dayfirst: bool) -> pd.Series:
    """Whether each text is a real calendar date in its layout (2023-02-30 is not)."""
    if layout.name in ("Mon DD, YYYY", "DD Mon YYYY"):
        texts = objects(texts)
        cleaned = texts.str.replace(r"[,.]", "", regex=True).str.split(" ", n=3)
        date_part = cleaned.str[:3].str.join(" ")
    else:
        date_part = _date_parts(texts)
    formats = layout.strptime
    if len(formats) == 2 and layout.name in ("DD/MM/YYYY", "DD-MM-YYYY"):
        formats = (formats[0],) if dayfirst else (formats[1],)
    # many timestamps share few days: parse each distinct date part once
    codes, uniques = pd.factorize(date_part)
    distinct = pd.Series(uniques, dtype=object)
    ok = np.zeros(len(distinct), dtype=bool)
    for fmt in formats:
        ok |= pd.to_datetime(distinct, format=fmt, errors="coerce").notna().to_numpy()
    return pd.Series(np.where(codes >= 0, ok[np.maximum(codes, 0)], False), index=texts.index)


def _date_parts(texts: pd.Series) -> pd.Series:
    """``texts.str.split(r"[ T]", n=1).str[0]``: what precedes the first space or ``T``."""
    import pyarrow.compute as pc

    array = fastre.arrow_array(texts)
    if array is None:
        return texts.str.split(r"[ T]", n=1, regex=True).str[0]
    # the first "T" made a space, then split at the first space: the same cut, without a regex
    spaced = pc.replace_substring(array, pattern="T", replacement=" ", max_replacements=1)
    parts = pc.list_element(pc.split_pattern(spaced, pattern=" ", max_splits=1), 0)
    return pd.Series(pd.arrays.ArrowStringArray(parts), index=texts.index)


def _day_first(texts: pd.Series, sep: str) -> bool:
    parts = objects(texts).str.split(sep, n=2, expand=True)
    if parts.shape[1] < 2:
        return True
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    if (first > 12).any():
        return True
    if (second > 12).any():
        return False
    return True


_CLASSIFIED: list[tuple[pd.Series, tuple[np.ndarray, np.ndarray]]] = []  # the last few columns classified


def classify_dates(counts: pd.Series, forced_layout: str | None = None) -> DateVerdict:
    """Classify distinct values (index) weighted by their counts against the date layouts."""
    for seen, (found, valid) in _CLASSIFIED:
        if seen is counts:  # the same column again (inference, then counting): reuse the per-value work
            return _verdict(counts, found, valid, forced_layout)
    found, valid = _classify_values(counts)
    _CLASSIFIED.insert(0, (counts, (found, valid)))
    del _CLASSIFIED[64:]
    return _verdict(counts, found, valid, forced_layout)


def _classify_values(counts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct value's layout (its position in DATE_LAYOUTS, -1 for none) and whether it is
    a real calendar date."""
    texts = stripped_values(counts)
    found = np.full(len(texts), -1, dtype=np.int16)
    free = np.arange(len(texts))
    for number, layout in enumerate(DATE_LAYOUTS):
        if not len(free):
            break
        # each layout is tried on the values no earlier layout took
        hit = fastre.fullmatch(texts if len(free) == len(texts) else texts.iloc[free], layout.pattern)
        found[free[hit]] = number
        free = free[~hit]
    valid = np.zeros(len(texts), dtype=bool)
    for number in pd.unique(found[found >= 0]):
        layout = DATE_LAYOUTS[number]
        members = found == number
        sep = "/" if "/" in layout.name[:6] else "-"
        dayfirst = _day_first(texts[members], sep) if len(layout.strptime) == 2 else True
        valid[members] = _calendar_valid(texts[members], layout, dayfirst).to_numpy()
    return found, valid


def _verdict(counts: pd.Series, found: np.ndarray, valid: np.ndarray, forced_layout: str | None) -> DateVerdict:
    weights = counts.to_numpy()
    in_layout = found >= 0
    # per layout found, in order of first appearance: values weighted by their counts
    totals = np.bincount(found[in_layout], weights=weights[in_layout], minlength=len(DATE_LAYOUTS))
    per_layout = {DATE_LAYOUTS[number].name: int(totals[number]) for number in pd.unique(found[in_layout])}
    dominant: str | None
    if forced_layout is not None:
        dominant = forced_layout
    else:
        dominant = max(per_layout, key=lambda n: (per_layout[n], -_LAYOUT_NUMBER[n])) if per_layout else None
    valid_arr = valid & in_layout
    dominant_arr = found == _LAYOUT_NUMBER.get(dominant, -2) if dominant else np.zeros(len(found), dtype=bool)
    conforming = int(weights[valid_arr & dominant_arr].sum())
    mixed = int(weights[valid_arr & ~dominant_arr].sum())
    total = int(weights.sum())
    return DateVerdict(
        dominant=dominant,
        date_values=int(weights[in_layout].sum()),
        conforming=conforming,
        mixed=mixed,
        invalid=total - conforming - mixed,
        layouts=per_layout,
    )


_LAYOUT_NUMBER = {layout.name: number for number, layout in enumerate(DATE_LAYOUTS)}  # also the tie-break rank


def nonconforming(counts: pd.Series, pattern: str) -> int:
    """How many values (weighted by counts) do not fully match the pattern."""
    if counts.empty:
        return 0
    ok = fastre.fullmatch(stripped_values(counts), pattern)
    return int(counts.to_numpy()[~ok].sum())


_STRIPPED: list[tuple[pd.Index, pd.Series]] = []


def forget() -> None:
    """Drop the per-column work kept for reuse within an audit (a scheduler's process lives on)."""
    _CLASSIFIED.clear()
    _STRIPPED.clear()
    fastre.forget()


def stripped_values(counts: pd.Series) -> pd.Series:
    """The distinct values stripped, made once per column for every pattern checked against it."""
    for index, values in _STRIPPED:
        if index is counts.index:
            return values
    values = fastre.strip(distinct_values(counts))
    _STRIPPED.insert(0, (counts.index, values))
    del _STRIPPED[8:]
    return values


def conforming(counts: pd.Series, pattern: str) -> int:
    return int(counts.sum()) - nonconforming(counts, pattern)
