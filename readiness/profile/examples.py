"""Example values shown in readiness.json: only what is safe to show a stranger."""

from __future__ import annotations

import pandas as pd

from readiness.ingest.columns import as_text
from readiness.profile import dates, formats, infer, pii
from readiness.profile.entities import entity_name
from readiness.profile.formats import Distinct
from readiness.profile.plan import ColumnPlan

MIN_CATEGORY_COUNT = 5  # a category seen fewer times could single a person out
MAX_EXAMPLES = 5


def safe_examples(values: pd.Series, plan: ColumnPlan, text_values: Distinct | None = None,
                  numbers: pd.Series | None = None) -> tuple[tuple[str, ...], str | None]:
    """Example values that are safe to show a stranger, or none.

    Never from a personal-data column or an id column; categories only when seen at least
    five times; numbers and dates as their range; free text with personal patterns masked.
    ``text_values``: the column's distinct values with their counts, when every present value is text.
    """
    if plan.pii is not None or plan.is_id or plan.is_row_index or values.empty:
        return (), None
    if entity_name(plan.name):  # a key of people or things, even one that repeats (a grouping column)
        return (), None
    if plan.is_label:
        return (), None  # label classes are shown with their counts in the label section
    if plan.type in ("integer", "numeric"):
        if numbers is None:
            numbers = infer.numeric_values(values).dropna()
        if numbers.empty:
            return (), None
        if pd.api.types.is_numeric_dtype(values.dtype):
            return (as_text(values.min()), as_text(values.max())), "range"
        present = numbers.to_numpy(dtype="float64")  # parsed, none missing: numpy's min and max are pandas'
        return (_number(present.min()), _number(present.max())), "range"
    if plan.type == "datetime" and pd.api.types.is_datetime64_any_dtype(values.dtype):
        return (str(values.min().date()), str(values.max().date())), "range"
    if plan.format and plan.format.startswith("date:"):
        if text_values is None:
            text_values = Distinct(formats.value_counts_text(values))
        layout = plan.format[len("date:"):]  # as counted: a year column's YYYY too, whole numbers (no text) as typed
        layouts = dates.classify_dates(text_values, forced_layout=layout).layouts or {layout: 0}
        return tuple(sorted(layouts, key=lambda n: -layouts[n])), "date layouts"
    counts = text_values.counts if text_values is not None else None
    if plan.type == "text":
        if counts is not None:  # every value is text; distinct values in order of first appearance
            firsts = pd.Series(counts.index[:200], dtype=object)
            picked = firsts.sample(n=min(3, len(counts)), random_state=0)
            return tuple(_masked(t) for t in picked), "masked text"
        texts = values[values.map(lambda v: isinstance(v, str))]
        picked = texts.drop_duplicates().head(200).sample(n=min(3, texts.nunique()), random_state=0) if len(texts) else texts
        masked = tuple(_masked(t) for t in picked)
        return masked, "masked text"
    if counts is not None and int(counts.to_numpy().max(initial=0)) < MIN_CATEGORY_COUNT:
        return (), None  # no category seen often enough to show: the order does not matter
    counts = counts.sort_values(ascending=False) if counts is not None else values.map(as_text).value_counts()
    common = [str(k) for k, n in counts.items() if n >= MIN_CATEGORY_COUNT][:MAX_EXAMPLES]
    return tuple(_masked(c) for c in common), "categories" if common else None


def _number(value: float) -> str:
    """A range end as a person reads it: 1500000, not 1.5e+06; 3882.61 as written."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


MASK_WINDOW = 4_000  # characters of a long cell masked before it is cut to what is shown


def _masked(text: str) -> str:
    """A value as shown: masked, then cut. Only a window well beyond the part shown is masked, so a
    1 MB cell costs no more than a short one; a value cut at the window's end is never shown."""
    return _shorten(pii.mask(text[:MASK_WINDOW]))


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

