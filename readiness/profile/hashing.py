"""The hashing pass: each column factorised once, its text values counted, and the duplicate rows.

The codes stay with the table for the whole audit: every later comparison of values (duplicate
rows, label conflicts, leakage, drift) is made on them rather than on the values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness.base import progress


def column_codes(frame: pd.DataFrame) -> tuple[list[np.ndarray], dict[str, pd.Series]]:
    """One hashing pass per column: its factorised codes (missing = -1), and for all-text columns
    the distinct values with their counts in order of first appearance (value_counts(sort=False))."""
    codes, counts = [], {}
    for name, series in frame.items():
        progress.advance(0.5)  # its inference is the other half (plan.plan_table)
        if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
            # what pd.factorize does for Arrow text, without its wrapping (most of the cost for a tiny table)
            column_codes, uniques = series.array.factorize(use_na_sentinel=True)
        else:
            column_codes, uniques = pd.factorize(series, use_na_sentinel=True)
        if len(uniques) < 2**31 - 1:  # half the memory of the int64 codes, kept for the whole audit
            column_codes = column_codes.astype(np.int32)
        codes.append(column_codes)
        if isinstance(series.dtype, pd.StringDtype) or (
                series.dtype == object and pd.api.types.infer_dtype(uniques, skipna=True) in ("string", "empty")):
            present = column_codes[column_codes >= 0]
            # Arrow text keeps its distinct values in Arrow (no Python string per value)
            index = pd.Index(uniques) if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow" \
                else pd.Index(np.asarray(uniques, dtype=object), dtype=object)
            counts[str(name)] = pd.Series(np.bincount(present, minlength=len(uniques)), index=index, name="count")
    return codes, counts


def may_repeat(codes: list[np.ndarray]) -> np.ndarray:
    """Rows whose value in the most varied column (codes from -1 up) occurs more than once: a row
    equal to another in every column is among them, so whole-row comparisons can skip the rest."""
    varied = max(codes, key=lambda c: int(c.max(initial=-1))) + 1
    return np.asarray(np.bincount(varied)[varied] > 1)


def duplicated_rows(codes: list[np.ndarray], rows: int) -> np.ndarray:
    """Which rows equal an earlier row in every column given (DataFrame.duplicated semantics), on
    the codes; the caller leaves out the row-number columns (``counts.row_numbers``)."""
    if not codes or not rows:
        return np.zeros(rows, dtype=bool)
    # compare whole rows only among those that could repeat (no row of an id-like table can)
    candidates = np.flatnonzero(may_repeat(codes))
    out = np.zeros(rows, dtype=bool)
    if len(candidates):
        keys = pd.DataFrame({i: c[candidates] for i, c in enumerate(codes)}, copy=False)
        out[candidates] = keys.duplicated().to_numpy()
    return out

