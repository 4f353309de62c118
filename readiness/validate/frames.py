"""The pandas frames GX's pandas data source validates: plain dtypes, Arrow text where GX answers
the same on it, a table's factorised codes for checks that only compare values, and column slices
that keep a wide or long table's validations linear."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from readiness.ingest.columns import objects
from readiness.ingest.model import Table


def nan_text(series: pd.Series) -> pd.Series:
    """Arrow text as pandas' ``str`` type (missing as NaN) over the same Arrow data: no copy,
    where ``astype`` would rebuild every value."""
    try:
        from pandas.core.arrays.string_arrow import ArrowStringArrayNumpySemantics

        if series.dtype.storage == "pyarrow":
            return pd.Series(ArrowStringArrayNumpySemantics(series.array._pa_array), index=series.index,
                             name=series.name)
    except (ImportError, AttributeError):  # another pandas: the documented way
        pass
    return series.astype(pd.StringDtype("pyarrow", na_value=np.nan))


def gx_frame(frame: pd.DataFrame, text: str = "python") -> pd.DataFrame:
    """Nullable extension dtypes become plain ones GX's pandas engine handles everywhere. Arrow
    text becomes Python strings (``text="python"``), pandas' Arrow ``str`` type (``"arrow"``:
    missing as NaN, string methods by Arrow) or stays as it is (``"as-is"``)."""
    out = frame.copy()
    for column in range(out.shape[1]):
        series = out.iloc[:, column]
        if isinstance(series.dtype, pd.StringDtype):
            if text == "arrow":
                out.isetitem(column, nan_text(series))
            elif text == "python":
                out.isetitem(column, objects(series))
        elif isinstance(series.dtype, pd.Int64Dtype):
            out.isetitem(column, series.astype("float64") if series.isna().any() else series.astype("int64"))
        elif isinstance(series.dtype, pd.BooleanDtype):
            out.isetitem(column, series.astype(object).where(series.notna(), None))
    return out




def pandas_data(table: Table, columns: list[str] | None, members: list[Any], arrow: set[str],
                 codes: tuple[np.ndarray, ...] | None) -> tuple[pd.DataFrame, bool]:
    """What one validation of ``members`` gets from the table (``columns``: its slice, None for
    the table-level ones), and whether its text is Arrow text: the codes for table-level checks
    that only compare values, Arrow text for ``arrow`` slices, Python strings otherwise."""
    kinds = {member.expectation_type for member in members}
    if columns is None:
        conditioned = any(getattr(member, "row_condition", None) for member in members)
        if kinds <= TABLE_SAFE and not conditioned and codes is not None:
            return codes_frame(table.frame, codes), False
        return gx_frame(table.frame, "as-is" if kinds <= TABLE_SAFE else "python"), False
    in_arrow = set(columns) <= arrow
    return gx_frame(table.frame[columns], "arrow" if in_arrow else "python"), in_arrow


# Column expectations whose pandas implementation answers the same on Arrow-backed text as on
# Python strings: null checks, lengths (code points either way), set membership, uniqueness, and
# regexes once translated exactly to RE2 (fastre.to_re2).
ARROW_SAFE = frozenset({
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_null",
    "expect_column_value_lengths_to_be_between", "expect_column_value_lengths_to_equal",
    "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set",
    "expect_column_values_to_be_unique",
    "expect_column_values_to_match_regex", "expect_column_values_to_not_match_regex",
})
# Table expectations that never look inside values (row counts, column names, whole-row
# uniqueness): they see Arrow text as it is, and, without a row_condition, answer the same on any
# one-to-one recoding of each column that keeps missing values missing (``codes_frame``).
TABLE_SAFE = frozenset({
    "expect_table_row_count_to_be_between", "expect_table_row_count_to_equal",
    "expect_table_column_count_to_equal", "expect_table_column_count_to_be_between",
    "expect_table_columns_to_match_ordered_list", "expect_table_columns_to_match_set",
    "expect_compound_columns_to_be_unique",
})
REGEX_EXPECTATIONS = frozenset({"expect_column_values_to_match_regex", "expect_column_values_to_not_match_regex"})


def codes_frame(frame: pd.DataFrame, codes: tuple[np.ndarray, ...]) -> pd.DataFrame:
    """The table as its factorised codes: each column a categorical over its own codes (one per
    distinct value), missing values missing. Rows are equal here exactly when they are equal in
    the table, so whole-row uniqueness, row and column counts and column names come out the
    same; GX compares small integers instead of hashing every text value again, and pandas uses
    a categorical's codes as they are."""
    columns = {}
    for position, column_codes in enumerate(codes):
        distinct = int(column_codes.max()) + 1 if len(column_codes) else 0
        columns[position] = pd.Categorical.from_codes(column_codes, categories=pd.RangeIndex(max(distinct, 1)))
    out = pd.DataFrame(columns, index=frame.index, copy=False)
    out.columns = frame.columns
    return out


def arrow_columns(frame: pd.DataFrame, items: list[dict[str, Any]]) -> tuple[set[str], list[dict[str, Any]]]:
    """The Arrow-backed text columns GX can check as Arrow text (regexes by RE2, at C++ speed,
    with Python's answers), and the suite's items with those columns' regexes in their RE2 form.

    A column stays with Python strings when any of its expectations is not known to answer the
    same on Arrow text, or a regex has no exact RE2 form (look-arounds, \\b, \\w, ...)."""
    from readiness.base import fastre

    candidates = {str(c) for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype)}
    translated: dict[int, str] = {}
    for position, item in enumerate(items):
        column = item["kwargs"].get("column")
        if column not in candidates:
            continue
        regex = item["kwargs"].get("regex")
        if item["type"] not in ARROW_SAFE:
            candidates.discard(column)
        elif item["type"] in REGEX_EXPECTATIONS:
            exact = fastre.exact_re2(regex) if isinstance(regex, str) else None
            if exact is None:
                candidates.discard(column)
            else:
                translated[position] = exact
    out = []
    for position, item in enumerate(items):
        if position in translated and item["kwargs"]["column"] in candidates:
            item = {**item, "kwargs": {**item["kwargs"], "regex": translated[position]}}
        out.append(item)
    return candidates, out


COLUMNS_PER_VALIDATION = 16
CELLS_PER_SLICE = 4_000_000


def slice_width(rows: int) -> int:
    """Columns per validation: up to COLUMNS_PER_VALIDATION, fewer for long tables, so that the
    frame GX copies for each column expectation stays near CELLS_PER_SLICE cells (one column
    from 4M rows on)."""
    return max(1, min(COLUMNS_PER_VALIDATION, CELLS_PER_SLICE // max(rows, 1)))


def groups(expectations: list[Any], columns: list[str], arrow: set[str] = frozenset(),  # type: ignore[assignment]
            width: int = COLUMNS_PER_VALIDATION) -> list[tuple[list[str] | None, list[int]]]:
    """Which expectations run on which columns: table-level ones on the whole table, column ones
    on slices of at most ``width`` columns (Arrow text columns in slices of their own).

    GX's pandas engine filters the whole frame for every column expectation (its null filter
    copies every column), so one validation of a wide table costs columns x columns; slices keep
    it linear. Each expectation still runs once, on every row. GX's fixed cost per validation is
    small against a copy of millions of rows, so long tables get narrow slices.
    """
    table_level: list[int] = []
    by_column: dict[str, list[int]] = {}
    for position, expectation in enumerate(expectations):
        column = getattr(expectation, "column", None)
        if isinstance(column, str) and column in columns:
            by_column.setdefault(column, []).append(position)
        else:
            table_level.append(position)
    groups: list[tuple[list[str] | None, list[int]]] = []
    if table_level:
        groups.append((None, table_level))
    for kind in (False, True):
        names = [c for c in columns if c in by_column and (c in arrow) == kind]
        for start in range(0, len(names), width):
            chunk = names[start:start + width]
            groups.append((chunk, [m for c in chunk for m in by_column[c]]))
    return groups
