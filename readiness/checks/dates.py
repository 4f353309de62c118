"""What the date columns say: dates in the future, gaps in time, data gone stale. The dates are
parsed once (``column_dates``) and shared with the label drift (time.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.checks.base import make_finding
from readiness.ingest.columns import count_present, is_text
from readiness.models import Finding
from readiness.profile import formats
from readiness.profile.counts import TableStats
from readiness.profile.dates import LAYOUTS_BY_NAME, integer_dates, parse_dates
from readiness.profile.plan import ColumnPlan

GAP_FACTOR = 10  # a gap this many times the typical spacing between dates (and over a day)
STALE_DAYS = 180


def _dates(series: pd.Series, fmt: str | None) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        values = series
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        return values.dropna()
    if fmt and fmt.startswith("date:") and is_text(series):
        text = series.dropna()
        if not isinstance(text.dtype, pd.StringDtype):
            text = text[text.map(lambda v: isinstance(v, str))]
        text = fastre.strip(text)  # as str.strip, by Arrow
        layout = LAYOUTS_BY_NAME[fmt[5:]]
        return parse_dates(text[fastre.fullmatch(text, layout.pattern)], layout.name).dropna()
    if fmt in ("date:YYYY", "date:YYYYMMDD") and pd.api.types.is_integer_dtype(series.dtype):
        return integer_dates(series.dropna(), fmt[5:]).dropna()  # 1958, 19580329 as numbers
    return pd.Series(dtype="datetime64[ns]")


_NO_DATES = pd.Series(dtype="datetime64[ns]")  # shared, never changed: a Series costs ~0.1 ms to build


def column_dates(stats: TableStats, plan: ColumnPlan) -> tuple[pd.Series, np.ndarray]:
    """A column's dates and how many rows hold each: an all-text column's distinct values are
    parsed once (index = the value's position among them), any other column row by row."""
    series = stats.table.frame[plan.name]
    if not (plan.format and plan.format.startswith("date:")) and not pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _NO_DATES, np.ones(0, dtype=np.int64)  # no dates (as _dates finds): nothing to parse
    counts = stats.text_counts.get(plan.name)
    if counts is not None and int(counts.to_numpy().sum()) == count_present(series):
        # every value is text: parse each distinct value once, count it as often as it occurs
        dates = _dates(formats.distinct_values(counts), plan.format)
        return dates, counts.to_numpy()[dates.index.to_numpy()]
    dates = _dates(series, plan.format)
    return dates, np.ones(len(dates), dtype=np.int64)


def time_checks(stats: TableStats, now: datetime,
                parsed: dict[str, tuple[pd.Series, np.ndarray]] | None = None) -> tuple[list[Finding], dict[str, Any]]:
    """Future dates, gaps and freshness. ``parsed``: ``column_dates`` already computed."""
    found: list[Finding] = []
    summary: dict[str, Any] = {}
    rows = stats.rows
    today = pd.Timestamp(now.replace(tzinfo=None))
    for column in stats.columns:
        plan = column.plan
        if plan.pii is not None or plan.is_label:
            continue
        known = (parsed or {}).get(plan.name)
        dates, weights = known if known is not None else column_dates(stats, plan)
        if dates.empty:
            continue
        newest, oldest = dates.max(), dates.min()
        future = int(weights[(dates > today).to_numpy()].sum())
        distinct = np.sort(dates.dt.normalize().unique())
        gaps = 0
        typical = None
        if len(distinct) >= 10:
            steps = np.diff(distinct).astype("timedelta64[s]").astype("int64")
            typical = float(np.median(steps))
            gaps = int(((steps > GAP_FACTOR * typical) & (steps > 86400)).sum()) if typical > 0 else 0
        freshness = int((today - newest).days)
        summary[plan.name] = {"oldest": str(oldest.date()), "newest": str(newest.date()),
                              "days_since_newest": freshness, "gaps": gaps,
                              "typical_spacing_days": None if typical is None else typical / 86400}
        if future:
            found.append(make_finding("future_dates", "major" if future / rows >= 0.01 else "minor", stats.table.name, plan.name,
                            future, rows, f"{future:,} {plan.name} values lie in the future (after {today.date()})"))
        if gaps:
            found.append(make_finding("time_gaps", "minor", stats.table.name, plan.name, gaps, rows,
                            f"{plan.name} has {gaps} gaps over {GAP_FACTOR} times its typical spacing between dates",
                            typical_spacing_days=typical / 86400 if typical else None))
        if freshness > STALE_DAYS and not future:
            found.append(make_finding("stale_data", "info", stats.table.name, plan.name, 0, rows,
                            f"the newest {plan.name} is {freshness:,} days old (on {newest.date()})",
                            days_since_newest=freshness, newest=str(newest.date())))
    return found, summary


# --- text ---------------------------------------------------------------------------------------------


__all__ = ["column_dates", "time_checks"]
