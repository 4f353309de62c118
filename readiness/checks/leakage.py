"""Leakage: a column that gives the label away, and rows ordered by the label.

The one statistic that is estimated: a cross-validated accuracy on at most LEAKAGE_SAMPLE rows;
the finding carries the numbers it rests on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from readiness.checks.base import make_finding
from readiness.checks.keys import as_compared
from readiness.ingest.columns import as_text
from readiness.models import Finding
from readiness.profile import infer
from readiness.profile.counts import TableStats
from readiness.settings import Settings

LEAKAGE_SAMPLE = 200_000
LEAKAGE_MIN_ACCURACY = 0.975  # a single column predicting the label this well is a leak...
LEAKAGE_MAX_ERROR_RATIO = 0.05  # ...when it also removes 95% of the majority baseline's errors
SORTED_MIN_ACCURACY = 0.9
SORTED_MAX_ERROR_RATIO = 0.25  # or, for an imbalanced label: a quarter of the majority baseline's errors


def _fold_codes(x: pd.Series, train: np.ndarray, bins: int = 20) -> np.ndarray | None:
    """Numeric columns binned on the training fold's quantiles (missing is a bin of its own)."""
    if not (pd.api.types.is_numeric_dtype(x.dtype) and not pd.api.types.is_bool_dtype(x.dtype)):
        return None
    values = x.astype("float64").to_numpy()
    finite = values[train][np.isfinite(values[train])]
    edges = np.unique(np.quantile(finite, np.linspace(0, 1, bins + 1))) if len(finite) else np.array([0.0])
    codes = np.searchsorted(edges[1:-1], values, side="right")
    codes[~np.isfinite(values)] = len(edges) + 1
    return np.asarray(codes)


def single_column_accuracy(x: pd.Series | np.ndarray, y: pd.Series, folds: int = 5, seed: int = 0) -> tuple[float, float]:
    """Cross-validated accuracy of predicting y from x alone (majority label per value or bin).
    ``x`` is a column, or integer codes of one (equal codes for equal values)."""
    n = len(y)
    fold = np.empty(n, dtype=int)
    fold[np.random.default_rng(seed).permutation(n)] = np.arange(n) % folds
    y_codes, y_values = pd.factorize(y)
    classes = len(y_values)
    fixed = None
    if isinstance(x, np.ndarray):
        fixed = pd.factorize(x)[0]  # numbered from 0 again: as many keys as the sample has values
    elif isinstance(x.dtype, pd.StringDtype):  # text already: its values are what is compared
        fixed = pd.factorize(x, use_na_sentinel=False)[0]
    elif not (pd.api.types.is_numeric_dtype(x.dtype) and not pd.api.types.is_bool_dtype(x.dtype)):
        fixed = pd.factorize(x.map(lambda v: v if isinstance(v, str) else as_text(v) if _present(v) else None),
                             use_na_sentinel=False)[0]
    correct = 0
    for k in range(folds):
        train = fold != k
        codes = fixed if fixed is not None else _fold_codes(x, train)
        assert codes is not None
        keys = int(codes.max()) + 1 if len(codes) else 1
        counts = np.bincount(codes[train] * classes + y_codes[train], minlength=keys * classes).reshape(keys, classes)
        majority = int(np.bincount(y_codes[train], minlength=classes).argmax())
        best = counts.argmax(axis=1)
        best[counts.sum(axis=1) == 0] = majority  # a value never seen in training: predict the majority
        correct += int((best[codes[~train]] == y_codes[~train]).sum())
    baseline = float(np.bincount(y_codes, minlength=classes).max() / n)
    return correct / n, baseline


def leakage(stats: TableStats, settings: Settings, task: str, after_outcome: Iterable[str] = ()) -> list[Finding]:
    """Columns that give the label away, and rows ordered by the label."""
    label = stats.label
    if label is None or task == "regression":
        return []
    frame = stats.table.frame
    positions = pd.Series(np.flatnonzero(frame[label.column].notna().to_numpy()))
    if len(positions) < 30:
        return []
    if len(positions) > LEAKAGE_SAMPLE:  # the rows DataFrame.sample would pick, without copying the rest
        positions = positions.sample(n=LEAKAGE_SAMPLE, random_state=0)
    rows = positions.to_numpy()
    y = as_compared(frame[label.column].take(rows)).reset_index(drop=True)
    if y.nunique() < 2:
        return []
    found = []
    declared = set(after_outcome)
    # a row number is checked as a number (binned), not value by value: each of its values is unique
    row_numbers = [c.plan.name for c in stats.columns if c.plan.is_row_index and c.plan.name not in declared]
    for position, column in enumerate(frame.columns):
        if column == label.column or column in row_numbers:
            continue
        x = frame[column]
        # text is compared by value: the codes the counts were made from say the same, without
        # copying the sampled rows or hashing their text again
        keys = stats.codes[position][rows] if stats.codes is not None and isinstance(x.dtype, pd.StringDtype) \
            else x.take(rows).reset_index(drop=True)
        accuracy, baseline = single_column_accuracy(keys, y)
        error_ratio = (1 - accuracy) / (1 - baseline) if baseline < 1 else 1.0
        evidence = {"cv_accuracy": accuracy, "majority_baseline": baseline, "error_ratio": error_ratio,
                    "rows_used": len(y), "method": "5-fold single-column majority-per-value accuracy"}
        if column in declared:
            found.append(make_finding("leakage", "major", label.table, column, label.labeled, label.rows,
                            f"{column} is recorded after the outcome (declared in readiness.toml); it must not be a "
                            f"feature", declared_after_outcome=True, **evidence))
        elif accuracy >= LEAKAGE_MIN_ACCURACY and error_ratio <= LEAKAGE_MAX_ERROR_RATIO:
            found.append(make_finding("leakage", "blocker", label.table, column, label.labeled, label.rows,
                            f"{column} alone predicts {label.column} with {accuracy:.1%} accuracy (majority baseline "
                            f"{baseline:.1%}): it gives the label away", **evidence))
    bins = order_bins(len(y))
    leaking = []
    for column in row_numbers:
        numbers = infer.numeric_values(frame[column].take(rows)).to_numpy()
        accuracy, baseline = single_column_accuracy(order_codes(numbers, bins), y)
        if ordered_by_label(accuracy, baseline):
            leaking.append(column)
            found.append(make_finding("leakage", "major", label.table, column, label.labeled, label.rows,
                            f"{column} is a row number that predicts {label.column} with {accuracy:.1%} accuracy "
                            f"(majority baseline {baseline:.1%}): the rows were numbered in an order that follows "
                            f"{label.column}; drop it before training", row_index=True,
                            **_order_evidence(accuracy, baseline, len(y), bins, "row number")))
    # row positions (of the sampled rows, for a large table) as numbers: rows sorted by the label
    accuracy, baseline = single_column_accuracy(order_codes(rows, bins), y)
    if ordered_by_label(accuracy, baseline):
        carried = (f"; the row-number column{'s' if len(leaking) > 1 else ''} {', '.join(leaking)} carr"
                   f"{'y' if len(leaking) > 1 else 'ies'} the same order: drop {'them' if len(leaking) > 1 else 'it'}"
                   if leaking else "")
        found.append(make_finding("label_sorted", "minor", label.table, label.column, label.labeled, label.rows,
                        f"rows of {label.table} are ordered by {label.column} (row position predicts it with "
                        f"{accuracy:.1%} accuracy, majority baseline {baseline:.1%}): shuffle before splitting"
                        + carried, row_index_columns=leaking,
                        **_order_evidence(accuracy, baseline, len(y), bins, "row position")))
    return found


def order_bins(rows: int) -> int:
    """Equal-count bins for a row number or position: about 20 rows each (from 20 to 100 bins), fine
    enough to see a sorted label's few class boundaries, coarse enough that each bin's majority
    means something in a random order."""
    return max(20, min(100, rows // 20))


def order_codes(values: np.ndarray, bins: int) -> np.ndarray:
    """Equal-count bins of a row number or position, by rank (equal values share a bin): one
    sort for all folds, where quantiles per fold would sort each fold again."""
    ranks = np.searchsorted(np.sort(values), values, side="left")
    return ranks * bins // max(len(values), 1)


def ordered_by_label(accuracy: float, baseline: float) -> bool:
    """A row number or position predicts the label: accurate, and well above the majority baseline
    (by 30 points, or removing most of its errors, which an imbalanced label needs)."""
    error_ratio = (1 - accuracy) / (1 - baseline) if baseline < 1 else 1.0
    return accuracy >= SORTED_MIN_ACCURACY and (accuracy - baseline >= 0.3 or error_ratio <= SORTED_MAX_ERROR_RATIO)


def _order_evidence(accuracy: float, baseline: float, rows: int, bins: int, what: str) -> dict[str, Any]:
    return {"cv_accuracy": accuracy, "majority_baseline": baseline,
            "error_ratio": (1 - accuracy) / (1 - baseline) if baseline < 1 else 1.0, "rows_used": rows,
            "method": f"5-fold {what} accuracy, majority label per equal-count bin ({bins} bins)"}


__all__ = ["leakage", "single_column_accuracy", "order_bins", "order_codes", "ordered_by_label"]


def _present(value: object) -> bool:
    """Not a missing value: None, pandas' NA (whose comparisons are NA, not False) and NaN or NaT
    (unequal to themselves) are missing."""
    if value is None or value is pd.NA:
        return False
    try:
        return bool(value == value)
    except (TypeError, ValueError):  # an array or a value whose comparison is no truth value: present
        return True
