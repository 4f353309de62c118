"""Label drift over time: how the label's class shares move between the periods of a date column.

Pure functions over a table's stats and its dates as dates.py parsed them (parsed once, shared
with the time checks). Every count is exact; the periods are years, quarters or months, whichever
is the coarsest to give enough periods with enough labeled rows each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from readiness.checks.base import make_finding
from readiness.ingest.columns import as_text, count_present
from readiness.models import Finding
from readiness.profile import formats
from readiness.profile.counts import TableStats

CLASS_TASKS = ("classification", "text-classification")
UNITS = (("year", 12), ("quarter", 3), ("month", 1))  # name, months per period, coarsest first
# when no year holds enough rows (a few hundred rows over decades), years are pooled
POOLED_UNITS = (("5 years", 60), ("10 years", 120))
MIN_PERIOD_ROWS = 50  # labeled, dated rows for a period's class shares to count
MIN_PERIODS = 3  # the coarsest unit giving this many such periods is chosen (else one giving 2)
MAX_CLASSES = 1000  # above this a label is no class mix to speak of
SHIFT_PSI = 0.1  # shares moved...
MAJOR_PSI = 0.25  # ...a lot
NOISE_Z = 3.09  # and the move must be beyond chance: chi-square above its 0.999 quantile
APPEAR_EXPECTED = 10.0  # a class "appears" when the first period, at the last one's share, would hold this many
TABLE_MAX_PERIODS = 24  # the full per-period table goes into the details up to this size
TABLE_MAX_CLASSES = 20
NO_MONTH = np.iinfo(np.int64).min

DateColumns = dict[str, tuple[pd.Series, np.ndarray]]  # column -> (dates, weights), as dates.py parses them


def _months(dates: pd.Series) -> np.ndarray:
    """Months since January 1970 (negative before). Each day of the span is converted once and
    looked up: converting every value to months costs three times as much."""
    days = np.asarray(dates.to_numpy().astype("datetime64[D]").astype(np.int64))
    if not len(days):
        return days
    low, high = int(days.min()), int(days.max())
    if high - low > 400_000:  # over a thousand years: convert the values themselves
        return np.asarray(days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64))
    by_day = np.arange(low, high + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return np.asarray(by_day[days - low])


def _all_text(stats: TableStats, column: str) -> pd.Series | None:
    counts = stats.text_counts.get(column)
    if counts is not None and int(counts.to_numpy().sum()) == count_present(stats.table.frame[column]):
        return counts
    return None


def _row_codes(stats: TableStats, column: str, counts: pd.Series) -> np.ndarray:
    """Each row's position among the column's distinct values (-1 for missing)."""
    frame = stats.table.frame
    if stats.codes is not None:
        return np.asarray(stats.codes[frame.columns.get_loc(column)], dtype=np.int64)
    return np.asarray(pd.Index(formats.distinct_values(counts)).get_indexer(frame[column]), dtype=np.int64)


def row_months(stats: TableStats, column: str, dates: pd.Series) -> np.ndarray:
    """Each row's month (NO_MONTH when it has no date). ``dates``: the column parsed as dates.py
    parses it: by distinct value (index = the value's position) when every value is text, else by row."""
    frame = stats.table.frame
    counts = _all_text(stats, column)
    if counts is not None:
        by_value = np.full(len(counts) + 1, NO_MONTH, dtype=np.int64)  # the last slot: missing (-1)
        by_value[dates.index.to_numpy()] = _months(dates)
        return np.asarray(by_value[_row_codes(stats, column, counts)])
    out = np.full(len(frame), NO_MONTH, dtype=np.int64)
    positions = frame.index.get_indexer(dates.index)
    out[positions[positions >= 0]] = _months(dates)[positions >= 0]
    return out


def label_codes(stats: TableStats, column: str) -> tuple[np.ndarray, list[str]]:
    """Each row's class (-1 unlabeled) and the class names, compared by their text as label_stats does."""
    frame = stats.table.frame
    counts = _all_text(stats, column)
    if counts is not None:
        return _row_codes(stats, column, counts), [str(v) for v in formats.distinct_values(counts)]
    raw, uniques = pd.factorize(frame[column])
    merged, names = pd.factorize(pd.Series([as_text(v) for v in uniques], dtype=object))
    codes = np.where(raw >= 0, np.asarray(merged, dtype=np.int64)[np.maximum(raw, 0)], -1)
    return codes, [str(n) for n in names]


def chi_square_critical(df: int) -> float:
    """The chi-square value exceeded with probability 0.001 with ``df`` degrees of freedom
    (Wilson-Hilferty: within 3% of the exact quantile from one degree up)."""
    df = max(1, df)
    return float(df * (1 - 2 / (9 * df) + NOISE_Z * (2 / (9 * df)) ** 0.5) ** 3)


def chi_square(first: np.ndarray, last: np.ndarray) -> tuple[float, int]:
    """Pearson's chi-square of the two periods' class counts, and its degrees of freedom."""
    seen = (first + last) > 0
    observed = np.vstack([first[seen], last[seen]]).astype("float64")
    expected = observed.sum(axis=1, keepdims=True) * observed.sum(axis=0, keepdims=True) / observed.sum()
    return float(((observed - expected) ** 2 / expected).sum()), int(seen.sum()) - 1


def psi(first: np.ndarray, last: np.ndarray) -> float:
    """Population stability index of the class shares, each count plus one half (so a class
    missing from one period gives a large, finite term instead of one set by an arbitrary epsilon)."""
    seen = (first + last) > 0
    a, b = first[seen] + 0.5, last[seen] + 0.5
    a, b = a / a.sum(), b / b.sum()
    return float(np.sum((b - a) * np.log(b / a)))


def _period_table(months: np.ndarray, classes: np.ndarray, k: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Labeled rows per (period, class) for periods of ``size`` months: the periods present and
    their counts, one row per period in time order."""
    periods = np.floor_divide(months, size)
    low = int(periods.min())
    span = int(periods.max()) - low + 1
    if span * k <= 2_000_000:  # a dense table of at most 16 MB
        table = np.bincount((periods - low) * k + classes, minlength=span * k).reshape(span, k)
        present = np.flatnonzero(table.sum(axis=1))
        return present + low, table[present]
    found, inverse = np.unique(periods, return_inverse=True)
    return found, np.bincount(inverse * k + classes, minlength=len(found) * k).reshape(len(found), k)


def _period_name(period: int, unit: str) -> str:
    pooled = dict(POOLED_UNITS).get(unit)
    if pooled:
        years = pooled // 12
        return f"{1970 + period * years}-{1970 + period * years + years - 1}"
    if unit == "year":
        return str(1970 + period)
    if unit == "quarter":
        return f"{1970 + period // 4}-Q{period % 4 + 1}"
    return f"{1970 + period // 12}-{period % 12 + 1:02d}"


def choose_periods(months: np.ndarray, classes: np.ndarray, k: int) -> tuple[str, np.ndarray, np.ndarray] | None:
    """The coarsest unit with MIN_PERIODS periods of MIN_PERIOD_ROWS rows or more (else the
    coarsest with two): the unit, its periods and their (period x class) counts."""
    fallback = None
    for unit, size in UNITS:
        periods, table = _period_table(months, classes, k, size)
        usable = int((table.sum(axis=1) >= MIN_PERIOD_ROWS).sum())
        if usable >= MIN_PERIODS:
            return unit, periods, table
        if usable >= 2 and fallback is None:
            fallback = (unit, periods, table)
    if fallback is None:
        for unit, size in POOLED_UNITS:
            periods, table = _period_table(months, classes, k, size)
            if int((table.sum(axis=1) >= MIN_PERIOD_ROWS).sum()) >= 2:
                return unit, periods, table
    return fallback


def _date_column(stats: TableStats, dates: DateColumns) -> str | None:
    """The date column with the most dated rows (the first such in the table on a tie)."""
    usable = {c.plan.name for c in stats.columns if c.plan.pii is None and not c.plan.is_label}
    best = None
    for column in stats.table.frame.columns:
        if column in usable and column in dates and len(dates[column][0]):
            rows = int(np.asarray(dates[column][1]).sum())
            if best is None or rows > best[0]:
                best = (rows, column)
    return None if best is None else best[1]


@dataclass(frozen=True)
class PeriodDrift:
    """The class mix of the first and the last period with enough labeled rows."""

    unit: str  # year | quarter | month
    periods: tuple[str, ...]  # every period with a labeled, dated row, in time order
    table: np.ndarray  # labeled rows per (period, class)
    first: int  # positions in periods of the two compared
    last: int
    usable: int  # periods with enough rows
    psi: float
    chi_square: float  # of the two periods' class counts
    critical: float  # the chi-square sampling alone exceeds once in a thousand
    appeared: tuple[int, ...]  # classes (positions) absent from the first period, common in the last
    disappeared: tuple[int, ...]

    @property
    def moved(self) -> bool:
        return self.psi >= SHIFT_PSI and self.chi_square >= self.critical

    @property
    def severity(self) -> str | None:
        if self.appeared or self.disappeared or (self.moved and self.psi >= MAJOR_PSI):
            return "major"
        return "minor" if self.moved else None


def compare_periods(months: np.ndarray, classes: np.ndarray, k: int) -> PeriodDrift | None:
    """``months``: each labeled, dated row's month (since 1970); ``classes``: its class (0..k-1)."""
    if len(months) < 2 * MIN_PERIOD_ROWS:
        return None
    chosen = choose_periods(months, classes, k)
    if chosen is None:
        return None
    unit, periods, table = chosen
    usable = np.flatnonzero(table.sum(axis=1) >= MIN_PERIOD_ROWS)
    first, last = table[usable[0]], table[usable[-1]]
    n1, n2 = int(first.sum()), int(last.sum())
    appeared = tuple(i for i in range(k) if first[i] == 0 and last[i] / n2 * n1 >= APPEAR_EXPECTED)
    disappeared = tuple(i for i in range(k) if last[i] == 0 and first[i] / n1 * n2 >= APPEAR_EXPECTED)
    statistic, df = chi_square(first, last)
    return PeriodDrift(unit, tuple(_period_name(int(p), unit) for p in periods), table, int(usable[0]),
                       int(usable[-1]), len(usable), psi(first, last), statistic, chi_square_critical(df),
                       appeared, disappeared)


def label_drift(stats: TableStats, task: str, dates: DateColumns) -> list[Finding]:
    """``label_drift``: the label's class shares in the first and the last period with enough rows.

    Major when a class appears or disappears, or PSI >= 0.25; minor for PSI >= 0.1; nothing when
    the move is within what sampling alone would give (chi-square below its 0.999 quantile). Count: the labeled rows of the last period.
    """
    label = stats.label
    if label is None or not label.classes or task not in CLASS_TASKS or len(label.classes) > MAX_CLASSES:
        return []
    column = _date_column(stats, dates)
    if column is None:
        return []
    months = row_months(stats, column, dates[column][0])
    classes, names = label_codes(stats, label.column)
    keep = (months != NO_MONTH) & (classes >= 0)
    found = compare_periods(months[keep], classes[keep], len(names))
    if found is None or found.severity is None:
        return []
    first, last = found.table[found.first], found.table[found.last]
    n1, n2 = int(first.sum()), int(last.sum())
    start, end = found.periods[found.first], found.periods[found.last]
    personal = label.personal
    details: dict[str, Any] = {
        "date_column": column, "unit": found.unit, "periods": [start, end], "period_rows": [n1, n2],
        "psi": found.psi, "chi_square": found.chi_square, "chi_square_critical": found.critical,
        "usable_periods": found.usable,
        "appeared": len(found.appeared) if personal else [names[i] for i in found.appeared],
        "disappeared": len(found.disappeared) if personal else [names[i] for i in found.disappeared],
    }
    message = (f"the mix of {label.column} classes moved from {start} to {end} ({column} by {found.unit}, "
               f"PSI {found.psi:.2f})")
    if not personal:
        shares = {names[i]: [first[i] / n1, last[i] / n2] for i in range(len(names)) if first[i] or last[i]}
        details["shares"] = shares
        if len(found.periods) <= TABLE_MAX_PERIODS and len(names) <= TABLE_MAX_CLASSES:
            details["per_period"] = {period: {names[i]: int(row[i]) for i in range(len(names))}
                                     for period, row in zip(found.periods, found.table, strict=True)}
        largest = sorted(shares, key=lambda n: (-abs(shares[n][1] - shares[n][0]), n))[:3]
        message += ": " + ", ".join(f"{n} {shares[n][0]:.1%} to {shares[n][1]:.1%}" for n in largest)
    elif found.appeared or found.disappeared:
        message += f": {len(found.appeared)} classes appeared, {len(found.disappeared)} disappeared"
    return [make_finding("label_drift", found.severity, label.table, label.column, n2, label.rows, message,
                         **details)]


__all__ = ["label_drift", "compare_periods", "PeriodDrift", "row_months", "label_codes", "choose_periods",
           "DateColumns"]
