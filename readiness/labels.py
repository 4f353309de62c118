"""Which column is the label, in which tables, and what task it serves."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from readiness import formats
from readiness.errors import UsageError
from readiness.ingest import is_text
from readiness.models import Table
from readiness.settings import SUPERVISED_TASKS, Settings

AUTO_LABEL_NAMES = ("label", "target", "class", "y", "outcome")


@dataclass(frozen=True)
class LabelTarget:
    column: str | None
    tables: tuple[str, ...]  # tables that hold the label
    task: str
    declared: bool  # named by the user (config or option), not guessed


def _candidates(tables: tuple[Table, ...]) -> list[str]:
    seen: dict[str, None] = {}
    for table in tables:
        for column in table.frame.columns:
            seen.setdefault(str(column), None)
    return list(seen)


def _infer_task(series: pd.Series) -> str:
    values = series.dropna()
    if values.empty:
        return "classification"
    if pd.api.types.is_float_dtype(values.dtype):
        fractional = bool((values.astype("float64") % 1 != 0).any())  # 3.98 mm is a measurement, not a class
        return "regression" if fractional or values.nunique() > 20 else "classification"
    if pd.api.types.is_integer_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return "regression" if values.nunique() > 20 else "classification"
    if is_text(values):
        counts = formats.value_counts_text(values)
        if formats.conforming(counts, formats.NUMBER_RE) == counts.to_numpy().sum() and (
                len(counts) > 20 or formats.conforming(counts, r"[+-]?\d*\.\d*[1-9]\d*") > 0):
            return "regression"
    return "classification"


def _shown(name: str) -> str:
    """A table or column name in an error message: one that holds personal data only by its kind."""
    from readiness import pii

    kind = pii.name_kind(name)
    return f"[{kind} in the name]" if kind else name


def resolve(tables: tuple[Table, ...], settings: Settings) -> LabelTarget:
    """Find the label column and its tables; a label naming nothing is a usage error."""
    column = settings.label.column
    declared = column is not None
    table_filter = settings.label.table
    names = {t.name for t in tables}
    if table_filter is not None and tables and table_filter not in names:
        raise UsageError(
            f"--label-table {table_filter!r} names no table in the dataset; "
            f"the tables are: {', '.join(_shown(n) for n in sorted(names))}"
        )
    pool = [t for t in tables if table_filter is None or t.name == table_filter]
    if column is None:
        for candidate in AUTO_LABEL_NAMES:
            if any(candidate in t.frame.columns for t in pool):
                column = candidate
                break
    holders = tuple(t.name for t in pool if column is not None and column in t.frame.columns
                    and t.name not in settings.label.unlabeled_splits)
    if declared and not holders and tables:
        where = f"table {table_filter!r}" if table_filter else "any table"
        candidates = _candidates(tuple(pool))
        raise UsageError(
            f"--label {column!r} names no column in {where}; the candidates are: "
            f"{', '.join(_shown(c) for c in candidates) if candidates else '(no columns)'}"
        )
    task = settings.task
    if task is None:
        if holders:
            largest = max((t for t in pool if t.name in holders), key=lambda t: len(t.frame))
            task = _infer_task(largest.frame[column])
        else:
            task = "unsupervised"
    return LabelTarget(column if holders else None, holders, task, declared)


def is_supervised(task: str) -> bool:
    return task in SUPERVISED_TASKS
