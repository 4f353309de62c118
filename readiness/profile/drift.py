"""Distribution drift between two audits, from the compact per-column summaries in the history.

Numeric columns keep 101 quantiles (0%..100%), categorical ones their frequent values; both are
free of personal data (personal-data columns get no summary). PSI (population stability index)
compares the two; a PSI above the threshold (0.2 by default) is a ``distribution_drift``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

QUANTILES = np.linspace(0, 1, 101)
TOP_VALUES = 20
MIN_SHOWN = 5  # a value seen fewer times is folded into "other", as in the packet
EPSILON = 1e-4


def summarise(series: pd.Series, kind: str, personal: bool, text_counts: pd.Series | None = None,
              numbers: pd.Series | None = None, missing: int | None = None) -> dict[str, Any] | None:
    """A compact, shareable summary of one column, enough to measure drift later.

    ``text_counts`` (all-text columns: distinct values and counts), ``numbers`` (the present
    values parsed) and ``missing`` spare a pass over the rows when the caller has them."""
    if personal:
        return None
    if missing is None:
        missing = int(series.isna().sum())
    values = series
    if kind in ("integer", "numeric"):
        if numbers is not None:  # numpy from here: pandas' per-call costs dominate for a tiny column
            present = np.asarray(numbers.to_numpy(dtype="float64"))
            present = present[np.isfinite(present)]
            if not len(present):
                return {"kind": "numeric", "n": 0, "missing": missing, "quantiles": []}
            return {"kind": "numeric", "n": int(len(present)), "missing": missing,
                    "quantiles": [float(q) for q in np.quantile(present, QUANTILES)]}
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
            numbers = values.dropna().astype("float64")
        else:
            numbers = pd.to_numeric(values.dropna().astype("string").str.strip(), errors="coerce").dropna().astype("float64")
        numbers = numbers[np.isfinite(numbers.to_numpy())]
        if numbers.empty:
            return {"kind": "numeric", "n": 0, "missing": missing, "quantiles": []}
        quantiles = np.quantile(numbers.to_numpy(), QUANTILES)
        return {"kind": "numeric", "n": int(len(numbers)), "missing": missing,
                "quantiles": [float(q) for q in quantiles]}
    if kind in ("categorical", "boolean"):
        from readiness.ingest.columns import as_text

        if text_counts is not None:
            tallies = text_counts.to_numpy()
            if not len(tallies) or int(tallies.max()) < MIN_SHOWN:  # no value shown: the order does not matter
                return {"kind": "categorical", "n": int(len(series) - missing), "missing": missing,
                        "top": {}, "other": int(tallies.sum())}
            counts = text_counts.sort_values(ascending=False)
        else:
            counts = values.dropna().map(as_text).value_counts()
        shown = counts[counts >= MIN_SHOWN].head(TOP_VALUES)
        return {"kind": "categorical", "n": int(len(series) - missing), "missing": missing,
                "top": {str(k): int(v) for k, v in shown.items()}, "other": int(counts.to_numpy().sum() - shown.sum())}
    return None


def _psi(expected: np.ndarray, actual: np.ndarray) -> float:
    expected = np.clip(expected, EPSILON, None)
    actual = np.clip(actual, EPSILON, None)
    expected = expected / expected.sum()
    actual = actual / actual.sum()
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def _cdf(quantiles: list[float], points: np.ndarray) -> np.ndarray:
    """The share of values at or below each point, read off the stored quantiles."""
    q = np.asarray(quantiles, dtype=float)
    return np.asarray(np.interp(points, q, QUANTILES[: len(q)], left=0.0, right=1.0))


def compare(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any] | None:
    """PSI (and for numbers the KS distance) between two summaries of the same column."""
    if not before or not after or before.get("kind") != after.get("kind"):
        return None
    if before["kind"] == "numeric":
        if not before.get("quantiles") or not after.get("quantiles"):
            return None
        edges = np.unique(np.asarray(before["quantiles"])[::10])
        if len(edges) < 2:
            same = np.allclose(before["quantiles"], after["quantiles"])
            return {"psi": 0.0 if same else math.inf, "ks": 0.0 if same else 1.0}
        inner = edges[1:-1]
        cdf_before = np.concatenate([[0.0], _cdf(before["quantiles"], inner), [1.0]])
        cdf_after = np.concatenate([[0.0], _cdf(after["quantiles"], inner), [1.0]])
        psi = _psi(np.diff(cdf_before), np.diff(cdf_after))
        grid = np.union1d(before["quantiles"], after["quantiles"])
        ks = float(np.max(np.abs(_cdf(before["quantiles"], grid) - _cdf(after["quantiles"], grid))))
        return {"psi": psi, "ks": ks}
    keys = sorted(set(before["top"]) | set(after["top"]))
    expected = np.array([before["top"].get(k, 0) for k in keys] + [before.get("other", 0)], dtype=float)
    actual = np.array([after["top"].get(k, 0) for k in keys] + [after.get("other", 0)], dtype=float)
    if expected.sum() == 0 or actual.sum() == 0:
        return None
    return {"psi": _psi(expected, actual)}


def label_shift(before: dict[str, int] | None, after: dict[str, int] | None) -> dict[str, Any] | None:
    """How the label's class shares moved: PSI and the largest change of one class's share."""
    if not before or not after:
        return None
    keys = sorted(set(before) | set(after))
    a = np.array([before.get(k, 0) for k in keys], dtype=float)
    b = np.array([after.get(k, 0) for k in keys], dtype=float)
    if a.sum() == 0 or b.sum() == 0:
        return None
    shares_a, shares_b = a / a.sum(), b / b.sum()
    moves = {k: float(shares_b[i] - shares_a[i]) for i, k in enumerate(keys)}
    return {"psi": _psi(a, b), "share_changes": moves}
