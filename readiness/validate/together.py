"""Small tables validated by GX together: tables of the same columns, types and suite stacked
into one validation, each table's counts split back out exactly (GX's fixed cost per validation is
most of the work on a folder of thousands of tiny tables)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from readiness.ingest.columns import count_present
from readiness.ingest.model import Table
from readiness.models import ExpectationOutcome
from readiness.validate.frames import gx_frame

if TYPE_CHECKING:
    from readiness.validate.gx import Runner

SMALL_TABLE_ROWS = 10_000  # a table up to this long is validated in one validation, or with others
BATCH_ROWS = 500_000  # rows of one validation of tables together
ALL_UNEXPECTED = {"result_format": "COMPLETE", "partial_unexpected_count": 0, "include_unexpected_rows": False}
NUMBER = (int, float)

# Expectations GX answers row by row (so on many tables stacked as on each alone), with the
# keyword arguments (and their types) under which that holds; any other one keeps a table alone.
ROW_BY_ROW: dict[str, dict[str, tuple[type, ...]]] = {
    "expect_column_values_to_not_be_null": {},
    "expect_column_values_to_be_null": {},
    "expect_column_values_to_match_regex": {"regex": (str,)},
    "expect_column_values_to_not_match_regex": {"regex": (str,)},
    "expect_column_values_to_be_between": {"min_value": NUMBER, "max_value": NUMBER},
    "expect_column_value_lengths_to_be_between": {"min_value": (int,), "max_value": (int,)},
    "expect_column_value_lengths_to_equal": {"value": (int,)},
    "expect_column_values_to_be_in_set": {"value_set": (list,)},
    "expect_column_values_to_not_be_in_set": {"value_set": (list,)},
}
# Expectations that compare values for equality: run on each table's codes, offset so that no
# value of one table equals a value of another (``_stacked_codes``).
BY_CODES: dict[str, dict[str, tuple[type, ...]]] = {
    "expect_column_values_to_be_unique": {},
    "expect_compound_columns_to_be_unique": {"column_list": (list,), "ignore_row_if": (str,)},
}
# The row count: a column check over the tables' row counts, one row per table.
ROW_COUNTS: dict[str, dict[str, tuple[type, ...]]] = {
    "expect_table_row_count_to_be_between": {"min_value": NUMBER, "max_value": NUMBER},
    "expect_table_row_count_to_equal": {"value": NUMBER},
}
TABLE_KEY = "__readiness_table__"


def stacking(item: dict[str, Any], columns: list[str]) -> str | None:
    """How an expectation runs on stacked tables ("rows", "codes", "counts"), or None if it cannot."""
    kwargs = dict(item["kwargs"])
    for kind, known in (("rows", ROW_BY_ROW), ("codes", BY_CODES), ("counts", ROW_COUNTS)):
        allowed = known.get(item["type"])
        if allowed is None:
            continue
        if kind in ("rows", "codes") and item["type"] != "expect_compound_columns_to_be_unique":
            column = kwargs.pop("column", None)
            if not isinstance(column, str) or column not in columns:
                return None
        for key, value in kwargs.items():
            types = allowed.get(key)
            if types is None or (value is not None and (not isinstance(value, types) or isinstance(value, bool))):
                return None
        if item["type"] == "expect_compound_columns_to_be_unique":
            listed = kwargs.get("column_list")
            if not isinstance(listed, list) or not listed or any(c not in columns for c in listed) or \
                    kwargs.get("ignore_row_if", "never") not in ("never", "all_values_are_missing",
                                                                "any_value_is_missing"):
                return None
        if item["type"].endswith("_in_set") and any(
                isinstance(v, bool) or not isinstance(v, (str, *NUMBER)) for v in kwargs.get("value_set") or []):
            return None
        return kind
    return None


def batches(work: list[tuple[Table, dict[str, Any], str]],
             codes: dict[str, tuple[np.ndarray, ...]]) -> tuple[list[list[int]], list[int]]:
    """Positions of tables GX can validate together (at most BATCH_ROWS rows a batch), and of the
    rest. Together: small tables with rows, their codes, the same columns with the same types
    (Python's inferred kind of value too, for columns of objects) and the same suite, every
    expectation of which answers on the stacked tables as on each alone."""
    import json

    shapes: dict[str, list[int]] = {}
    alone = []
    for position, (table, suite_json, _) in enumerate(work):
        frame = table.frame
        columns = list(frame.columns)
        items = suite_json["expectations"]
        if not 0 < len(frame) <= SMALL_TABLE_ROWS or table.name not in codes or \
                not all(isinstance(c, str) for c in columns) or len(set(columns)) != len(columns) or \
                TABLE_KEY in columns or any(stacking(item, columns) is None for item in items):
            alone.append(position)
            continue
        if any(isinstance(dtype, pd.CategoricalDtype) for dtype in frame.dtypes):
            alone.append(position)  # categoricals of different categories stack as objects
            continue
        types = []
        for column in range(frame.shape[1]):
            series = frame.iloc[:, column]
            if series.dtype == object:
                types.append(f"object:{pd.api.types.infer_dtype(series, skipna=True)}")
            elif isinstance(series.dtype, pd.StringDtype):  # strings, or nothing at all
                types.append("text:string" if count_present(series) else "text:empty")
            elif isinstance(series.dtype, pd.Int64Dtype):
                types.append(f"Int64:{bool(series.isna().any())}")  # GX gets floats where one is missing
            else:
                types.append(str(series.dtype))
        key = json.dumps([columns, types, [[i["type"], i["kwargs"], i.get("meta")] for i in items]],
                         sort_keys=True, default=repr)
        shapes.setdefault(key, []).append(position)
    batches = []
    for positions in shapes.values():
        current: list[int] = []
        rows = 0
        for position in positions:
            size = len(work[position][0].frame)
            if current and rows + size > BATCH_ROWS:
                batches.append(current)
                current, rows = [], 0
            current.append(position)
            rows += size
        batches.append(current)
    alone.extend(p for batch in batches if len(batch) == 1 for p in batch)
    return [batch for batch in batches if len(batch) > 1], alone


def _stacked_codes(frames: list[pd.DataFrame], codes: list[tuple[np.ndarray, ...]]) -> pd.DataFrame:
    """The tables' codes stacked: a table's codes shifted past every earlier table's, so values of
    different tables never compare equal (missing stays missing), and the table's number."""
    columns: dict[Any, Any] = {}
    for position, name in enumerate(frames[0].columns):
        parts, offset = [], 0
        for table_codes in codes:
            column = table_codes[position].astype(np.int64)
            parts.append(np.where(column >= 0, column + offset, -1))
            offset += int(column.max(initial=-1)) + 1
        columns[name] = pd.Categorical.from_codes(np.concatenate(parts), categories=pd.RangeIndex(max(offset, 1)))
    columns[TABLE_KEY] = np.repeat(np.arange(len(frames)), [len(f) for f in frames])
    return pd.DataFrame(columns)


def run_together(runner: Runner, work: list[tuple[Table, dict[str, Any], str]],
                  codes: list[tuple[np.ndarray, ...]]) -> list[list[ExpectationOutcome]] | None:
    """Tables of the same shape and suite in one GX batch: GX lists the row of every unexpected
    value (``ALL_UNEXPECTED``), and each table gets the count of its own rows, so its counts are
    those a validation of the table alone gives. None when GX raised: the caller runs them alone.

    Row checks run on the stacked values; uniqueness on the stacked codes (a table's values never
    equal another's there, and whole-row uniqueness compares the table's number too, unless rows
    with every value missing are left out, as they then are anyway); the row count on one row per
    table holding its row count."""
    suite_json, origin = work[0][1], work[0][2]
    items = suite_json["expectations"]
    frames = [table.frame for table, _, _ in work]
    rows = np.array([len(f) for f in frames], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(rows)[:-1]])
    kinds = [stacking(item, list(frames[0].columns)) for item in items]
    counts: dict[int, np.ndarray] = {}  # expectation -> unexpected values per table
    runs: dict[str, tuple[Any, list[int], list[dict[str, Any]]]] = {}
    if "rows" in kinds:
        # the tables share columns and types (``batches``): stacked first, converted once
        stacked = gx_frame(pd.concat(frames, ignore_index=True))
        runs["rows"] = (stacked, [i for i, k in enumerate(kinds) if k == "rows"], [])
    if "codes" in kinds:
        members = [i for i, k in enumerate(kinds) if k == "codes"]
        rewritten = []
        for i in members:
            item = items[i]
            if item["type"] == "expect_compound_columns_to_be_unique" and \
                    item["kwargs"].get("ignore_row_if", "never") != "all_values_are_missing":
                item = {**item, "kwargs": {**item["kwargs"], "column_list": [*item["kwargs"]["column_list"], TABLE_KEY]}}
            rewritten.append(item)
        runs["codes"] = (_stacked_codes(frames, codes), members, rewritten)
    if "counts" in kinds:
        members = [i for i, k in enumerate(kinds) if k == "counts"]
        rewritten = []
        for i in members:
            kwargs = items[i]["kwargs"]
            low, high = (kwargs.get("value"), kwargs.get("value")) if "value" in kwargs else \
                (kwargs.get("min_value"), kwargs.get("max_value"))
            rewritten.append({"type": "expect_column_values_to_be_between",
                              "kwargs": {"column": "rows", "min_value": low, "max_value": high}})
        runs["counts"] = (pd.DataFrame({"rows": rows}), members, rewritten)
    for kind, (data, members, rewritten) in runs.items():
        chosen = rewritten or [items[i] for i in members]
        found = runner.validate_json(data, chosen, origin, ALL_UNEXPECTED)
        for member, result in zip(members, found, strict=True):
            details = result.result or {}
            where = details.get("unexpected_index_list")
            if result.exception_info and any(
                    (v or {}).get("raised_exception") for v in [result.exception_info, *result.exception_info.values()]
                    if isinstance(v, dict)) or where is None or details.get("unexpected_count") != len(where):
                return None
            where = np.asarray(where, dtype=np.int64)
            counts[member] = np.bincount(where, minlength=len(frames)) if kind == "counts" else \
                np.bincount(np.searchsorted(starts, where, side="right") - 1, minlength=len(frames))
        del data, found
    out = []
    for number, (table, _, _) in enumerate(work):
        outcomes = []
        for i, item in enumerate(items):
            unexpected = int(counts[i][number])
            counted = kinds[i] != "counts"  # a table-level result has no element counts
            outcomes.append(ExpectationOutcome(
                table=table.name, type=item["type"], column=item["kwargs"].get("column"),
                success=unexpected == 0, element_count=int(rows[number]) if counted else None,
                unexpected_count=unexpected if counted else None, error=None,
                check=((item.get("meta") or {}).get("readiness") or {}).get("check"),
            ))
        out.append(outcomes)
    return out
