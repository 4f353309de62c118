"""Date layouts: which layout a column writes its dates in, which values are no real date, and the
values as timestamps.

Like formats.py, the work is done on a column's distinct values (``formats.Distinct``) with their
counts: one pass per layout over the distinct values, never a Python loop per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.ingest.columns import objects
from readiness.profile import formats
from readiness.profile.formats import Distinct

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm])?)?"
_SPACED_TIME = _TIME.replace("[ T]", " ", 1)  # after a date with a month name: a space, never a "T"

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")


def _any_case(word: str) -> str:
    return "".join(f"[{letter.upper()}{letter}]" for letter in word)


def _month_name() -> str:
    """An English month in any case (``Jan``, ``JAN``, ``January``): its full name, or its
    three-letter abbreviation (``Sept`` too) with an optional dot. Character classes rather than
    ``(?i)``, so that RE2 (fastre) and GX run it as Python does."""
    options = []
    for month in MONTHS:
        longer = [_any_case(month[3:])] if month[3:] else []
        if month == "september":
            longer.append(_any_case("t") + r"\.?")
        options.append(_any_case(month[:3]) + (f"(?:{'|'.join(longer)}|\\.)?" if longer else r"\.?"))
    return f"(?:{'|'.join(options)})"


MONTH = _month_name()
YEARS_YYYYMMDD = (1800, 2099)  # a bare 8-digit number is a date only with a year in this span...
YEARS_YYYY = (1700, 2100)  # ...and a bare 4-digit one (in a column named as a year) in this one


@dataclass(frozen=True)
class DateLayout:
    """One way of writing a date, named as it is written: ``DD`` a day, ``MM`` a month number, ``Mon``
    an English month name or abbreviation in any case, ``YYYY`` a 4-digit year, ``YY`` a 2-digit
    one (strptime's: 00-68 are 2000-2068)."""

    name: str
    pattern: str  # full-match regex, also the one GX runs
    strptime: tuple[str, ...]  # how a matching value is checked against the calendar (any one may fit)
    either_order: bool = False  # strptime holds (day first, month first): one order is found per column
    words: int = 0  # a month-name layout: the date is its first ``words`` words (dots and commas dropped)
    timeless: bool = False  # never carries a time: parsed by strptime alone
    bare: bool = False  # digits alone (19580329, 1958): an id or a count can look alike
    by_name: bool = False  # a date only in a column named or declared so (a bare year is also a number)
    quarter: bool = False  # a year and its quarter (1970 Q1): read as the quarter's first month


DATE_LAYOUTS: tuple[DateLayout, ...] = (
    DateLayout("YYYY-MM-DD", r"\d{4}-\d{2}-\d{2}", ("%Y-%m-%d",)),
    DateLayout("YYYY-MM-DD HH:MM:SS", r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
               ("%Y-%m-%d",)),
    DateLayout(
        "YYYY-MM-DDTHH:MM:SS",
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
        ("%Y-%m-%d",),
    ),
    DateLayout("YYYY/MM/DD", r"\d{4}/\d{1,2}/\d{1,2}" + _TIME, ("%Y/%m/%d",)),
    DateLayout("DD/MM/YYYY", r"\d{1,2}/\d{1,2}/\d{4}" + _TIME, ("%d/%m/%Y", "%m/%d/%Y"), either_order=True),
    DateLayout("DD.MM.YYYY", r"\d{1,2}\.\d{1,2}\.\d{4}" + _TIME, ("%d.%m.%Y",)),
    DateLayout("DD-MM-YYYY", r"\d{1,2}-\d{1,2}-\d{4}" + _TIME, ("%d-%m-%Y", "%m-%d-%Y"), either_order=True),
    DateLayout("Mon DD, YYYY", rf"{MONTH} \d{{1,2}}, \d{{4}}" + _SPACED_TIME, ("%b %d %Y", "%B %d %Y"), words=3),
    DateLayout("DD Mon YYYY", rf"\d{{1,2}} {MONTH} \d{{4}}" + _SPACED_TIME, ("%d %b %Y", "%d %B %Y"), words=3),
    DateLayout("YYYYMMDD", r"(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])", ("%Y%m%d",),
               timeless=True, bare=True),
    DateLayout("Mon DD YYYY", rf"{MONTH} \d{{1,2}} \d{{4}}" + _SPACED_TIME, ("%b %d %Y", "%B %d %Y"), words=3),
    DateLayout("DD-Mon-YYYY", rf"\d{{1,2}}-{MONTH}-\d{{4}}" + _SPACED_TIME, ("%d-%b-%Y", "%d-%B-%Y"), words=1),
    DateLayout("DD-Mon-YY", rf"\d{{1,2}}-{MONTH}-\d{{2}}", ("%d-%b-%y", "%d-%B-%y"), words=1, timeless=True),
    DateLayout("Mon YYYY", rf"{MONTH} \d{{4}}", ("%b %Y", "%B %Y"), words=2, timeless=True),
    DateLayout("YYYY-MM", r"(?:1[7-9]|20)[0-9]{2}-(?:0[1-9]|1[0-2])", ("%Y-%m",), timeless=True),
    DateLayout("YYYY Mon", rf"\d{{4}} {MONTH}", ("%Y %b", "%Y %B"), words=2, timeless=True),
    DateLayout("YYYY Qn", r"\d{4} ?Q[1-4]", ("%Y-%m",), timeless=True, quarter=True),
    DateLayout("YYYY", r"(?:1[7-9][0-9]{2}|20[0-9]{2}|2100)", ("%Y",), timeless=True, bare=True, by_name=True),
)
LAYOUTS_BY_NAME = {layout.name: layout for layout in DATE_LAYOUTS}

Classified = tuple[np.ndarray, np.ndarray]  # each distinct value's layout (-1: none), and whether it is a real date


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
    strptimes = layout.strptime
    if layout.either_order:
        strptimes = (strptimes[0],) if dayfirst else (strptimes[1],)
    # many timestamps share few days: parse each distinct date part once
    codes, uniques = pd.factorize(calendar_part(texts, layout))
    distinct = pd.Series(uniques, dtype=object)
    ok = np.zeros(len(distinct), dtype=bool)
    for fmt in strptimes:
        ok |= pd.to_datetime(distinct, format=fmt, errors="coerce").notna().to_numpy()
    return pd.Series(np.where(codes >= 0, ok[np.maximum(codes, 0)], False), index=texts.index)


def calendar_part(texts: pd.Series, layout: DateLayout) -> pd.Series:
    """The part of each text (in the layout) that its strptime formats read: the date without the time."""
    if layout.words:
        # "Sept." and "Jan 5, 2024": no dots or commas, Sept as strptime's Sep, then the date's words
        cleaned = objects(texts).str.replace(r"[,.]", "", regex=True).str.replace(r"(?i)\bsept\b", "Sep", regex=True)
        return cleaned.str.split(" ", n=layout.words).str[:layout.words].str.join(" ")
    if layout.quarter:  # "1970 Q2" -> "1970-04"
        text = objects(texts)
        months = (pd.to_numeric(text.str[-1], errors="coerce") - 1) * 3 + 1
        return text.str[:4] + "-" + months.astype("Int64").astype("string").str.zfill(2).astype(object)
    if layout.timeless:
        return objects(texts)
    return _date_parts(texts)


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


def day_first(texts: pd.Series, layout: DateLayout) -> bool:
    """For a layout written either way (DD/MM or MM/DD): whether this column writes the day first."""
    if not layout.either_order:
        return True
    parts = objects(texts).str.split(layout.name[2], n=2, expand=True)
    if parts.shape[1] < 2:
        return True
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    if (first > 12).any():
        return True
    if (second > 12).any():
        return False
    return True


def classify_dates(values: Distinct, forced_layout: str | None = None) -> DateVerdict:
    """Classify distinct values (index) weighted by their counts against the date layouts."""
    found, valid = values.layouts
    return _verdict(values.counts, found, valid, forced_layout)


def date_failures(values: Distinct, forced_layout: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Which distinct values ``classify_dates`` counts as ``invalid`` (no date, or no real one) and
    which as ``mixed`` (a real date in another layout than the dominant one), as two masks."""
    found, valid = values.layouts
    dominant = _verdict(values.counts, found, valid, forced_layout).dominant
    hidden = [number for number in _BY_NAME if DATE_LAYOUTS[number].name != forced_layout]
    if hidden:
        found = np.where(np.isin(found, hidden), -1, found)
    dated = np.asarray(valid, dtype=bool) & (found >= 0)
    in_dominant = found == _LAYOUT_NUMBER.get(dominant, -2) if dominant else np.zeros(len(found), dtype=bool)
    return ~dated, dated & ~in_dominant


def classify_values(values: Distinct) -> Classified:
    """Each distinct value's layout (its position in DATE_LAYOUTS, -1 for none) and whether it is
    a real calendar date: ``Distinct.layouts``, which keeps it for every question of the column."""
    few = values.few
    if few is not None:  # a few values: each against the layouts in turn, by re
        found = np.array([next((number for number, layout in enumerate(DATE_LAYOUTS)
                                if formats.compiled(layout.pattern).fullmatch(text)), -1) for text in few], dtype=np.int16)
        valid = np.zeros(len(few), dtype=bool)
        if (found >= 0).any():
            valid = _valid_dates(values.stripped.values, found)
        return found, valid
    texts = values.stripped.values
    found = np.full(len(texts), -1, dtype=np.int16)
    free = np.arange(len(texts))
    for number, layout in enumerate(DATE_LAYOUTS):
        if not len(free):
            break
        # each layout is tried on the values no earlier layout took
        hit = formats.fullmatch(values.stripped if len(free) == len(texts) else texts.iloc[free], layout.pattern)
        found[free[hit]] = number
        free = free[~hit]
    return found, _valid_dates(texts, found)


def _valid_dates(texts: pd.Series, found: np.ndarray) -> np.ndarray:
    """Whether each value found in a layout is a real calendar date in it."""
    valid = np.zeros(len(texts), dtype=bool)
    for number in pd.unique(found[found >= 0]):
        layout = DATE_LAYOUTS[number]
        members = found == number
        valid[members] = _calendar_valid(texts[members], layout, day_first(texts[members], layout)).to_numpy()
    return valid


def _verdict(counts: pd.Series, found: np.ndarray, valid: np.ndarray, forced_layout: str | None) -> DateVerdict:
    if len(found) <= formats.FEW_VALUES:
        return _few_verdict(counts.to_numpy().tolist(), found.tolist(), valid.tolist(), forced_layout)
    weights = counts.to_numpy()
    # a bare year is a number like any other unless the column is taken as a year column
    hidden = [number for number in _BY_NAME if DATE_LAYOUTS[number].name != forced_layout]
    if hidden:
        found = np.where(np.isin(found, hidden), -1, found)
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


def _few_verdict(weights: list[int], found: list[int], valid: list[bool], forced_layout: str | None) -> DateVerdict:
    """``_verdict`` for a few values, in Python: the same sums without a numpy call each."""
    hidden = {number for number in _BY_NAME if DATE_LAYOUTS[number].name != forced_layout}
    found = [-1 if number in hidden else number for number in found]
    per_layout: dict[str, int] = {}
    for number, weight in zip(found, weights, strict=True):
        if number >= 0:
            name = DATE_LAYOUTS[number].name
            per_layout[name] = per_layout.get(name, 0) + int(weight)
    dominant = forced_layout if forced_layout is not None else \
        max(per_layout, key=lambda n: (per_layout[n], -_LAYOUT_NUMBER[n])) if per_layout else None
    wanted = _LAYOUT_NUMBER.get(dominant, -2) if dominant else -3
    conforming = mixed = date_values = total = 0
    for number, weight, ok in zip(found, weights, valid, strict=True):
        total += int(weight)
        if number >= 0:
            date_values += int(weight)
            if ok:
                if number == wanted:
                    conforming += int(weight)
                else:
                    mixed += int(weight)
    return DateVerdict(dominant=dominant, date_values=date_values, conforming=conforming, mixed=mixed,
                       invalid=total - conforming - mixed, layouts=per_layout)


_LAYOUT_NUMBER = {layout.name: number for number, layout in enumerate(DATE_LAYOUTS)}  # also the tie-break rank
_BY_NAME = [number for number, layout in enumerate(DATE_LAYOUTS) if layout.by_name]


def parse_dates(texts: pd.Series, layout_name: str) -> pd.Series:
    """Stripped text values written in the layout as naive timestamps (UTC where an offset is
    written), NaT where a value is no real date; the index is kept. A year is its first day, a
    month its first day, and DD/MM or MM/DD is read in the order the column uses."""
    layout = LAYOUTS_BY_NAME[layout_name]
    if texts.empty:
        return pd.Series(dtype="datetime64[ns]", index=texts.index)
    if layout.timeless:
        part = calendar_part(texts, layout)
        parsed = pd.to_datetime(part, format=layout.strptime[0], errors="coerce")
        for fmt in layout.strptime[1:]:
            parsed = parsed.fillna(pd.to_datetime(part, format=fmt, errors="coerce"))
        return parsed
    dayfirst = day_first(texts, layout) if layout.either_order else layout.name.startswith("DD")
    parsed = pd.to_datetime(objects(texts), errors="coerce", utc=True, format="mixed", dayfirst=dayfirst)
    return parsed.dt.tz_localize(None)


def integer_dates(values: pd.Series, layout_name: str) -> pd.Series:
    """Whole numbers (none missing) written as dates (``1958`` as YYYY, ``19580329`` as YYYYMMDD)
    as timestamps, NaT where a number is no real date in the layout's span of years; the index is kept."""
    codes, uniques = pd.factorize(values.to_numpy(dtype="int64"))  # many rows share few dates: each once
    numbers = pd.Series(uniques)
    if layout_name == "YYYY":
        years, months, days = numbers, 1, 1
        span = YEARS_YYYY
    elif layout_name == "YYYYMMDD":
        years, months, days = numbers // 10000, numbers // 100 % 100, numbers % 100
        span = YEARS_YYYYMMDD
    else:
        raise ValueError(f"{layout_name} is not a layout of whole numbers")
    plausible = (numbers >= 0) & years.between(*span)
    parts = pd.DataFrame({"year": years.where(plausible, 2000), "month": months, "day": days})
    parsed = pd.to_datetime(parts, errors="coerce").where(plausible).to_numpy()
    return pd.Series(parsed[codes], index=values.index, dtype="datetime64[ns]")


def integer_layout(values: pd.Series, year_column: bool) -> str | None:
    """The date layout every value of a whole-number column is written in (YYYY only when the
    column is taken as a year column), or None."""
    present = values.dropna()
    if present.empty:
        return None
    low, high = int(present.min()), int(present.max())
    candidates = [("YYYYMMDD", YEARS_YYYYMMDD[0] * 10000 + 101, YEARS_YYYYMMDD[1] * 10000 + 1231)]
    if year_column:
        candidates.insert(0, ("YYYY", *YEARS_YYYY))
    for layout, smallest, largest in candidates:
        # a quick no from the extremes (an id column), else each distinct number against the calendar
        if smallest <= low and high <= largest and integer_dates(present, layout).notna().all():
            return layout
    return None
