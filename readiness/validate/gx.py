"""Validation with Great Expectations 1.x: run each table's suite, keep what is safe to share.

GX is imported here and nowhere else, inside functions. Results come back as
ExpectationOutcome records with counts only: no unexpected values leave this module.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from readiness.base.errors import ConfigError
from readiness.ingest.tables import count_present, objects, release_memory
from readiness.models import ExpectationOutcome, Table

COLLECT_ABOVE_ROWS = 100_000  # below this, a slice's copies are small: no collection between slices

# BASIC gives the counts (element_count, unexpected_count) without SUMMARY's value counts of the
# unexpected values, which cost a third of the validation on large tables and are never shown.
RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 0, "include_unexpected_rows": False}


def _context() -> Any:
    os.environ["GX_ANALYTICS_ENABLED"] = "False"  # nothing leaves the machine, whatever the user set
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    logging.getLogger("great_expectations").setLevel(logging.CRITICAL)
    from great_expectations.execution_engine import pandas_execution_engine

    # GX fingerprints every batch (an md5 of hash_pandas_object over all rows) only to label it;
    # readiness records the files' sha256 itself, so skip that pass over the data.
    pandas_execution_engine.HASH_THRESHOLD = 0
    config = DataContextConfig(
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        store_backend_defaults=InMemoryStoreBackendDefaults(),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def warm_up() -> None:
    """Import GX and validate a one-row table, so the real validation starts warm: run by the
    GX child while the parent still builds the suites."""
    frame = pd.DataFrame({"a": pd.Series(["1"], dtype=pd.StringDtype("pyarrow"))})
    suite = {"name": "warm-up", "expectations": [
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
        {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "a", "regex": "1"}}]}
    run_suites([(Table("warm-up", "warm-up.csv", "csv", frame, None), suite, "warm-up")])


def run_tables(tables: list[Table], suites: list[tuple[str, dict[str, Any], str]],
               codes: dict[str, tuple[np.ndarray, ...]] | None = None) -> Outcomes:
    """``run_suites`` for (table name, suite JSON, origin) on tables this process already holds."""
    by_name = {table.name: table for table in tables}
    return run_suites([(by_name[name], suite_json, origin) for name, suite_json, origin in suites], None, codes)


def _nan_text(series: pd.Series) -> pd.Series:
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


def _gx_frame(frame: pd.DataFrame, text: str = "python") -> pd.DataFrame:
    """Nullable extension dtypes become plain ones GX's pandas engine handles everywhere. Arrow
    text becomes Python strings (``text="python"``), pandas' Arrow ``str`` type (``"arrow"``:
    missing as NaN, string methods by Arrow) or stays as it is (``"as-is"``)."""
    out = frame.copy()
    for column in range(out.shape[1]):
        series = out.iloc[:, column]
        if isinstance(series.dtype, pd.StringDtype):
            if text == "arrow":
                out.isetitem(column, _nan_text(series))
            elif text == "python":
                out.isetitem(column, objects(series))
        elif isinstance(series.dtype, pd.Int64Dtype):
            out.isetitem(column, series.astype("float64") if series.isna().any() else series.astype("int64"))
        elif isinstance(series.dtype, pd.BooleanDtype):
            out.isetitem(column, series.astype(object).where(series.notna(), None))
    return out


POSITION = "readiness_position"


def _in_order(results: list[Any]) -> list[Any]:
    """GX's results in the order of the expectations given (``_expectations`` marks each)."""
    return sorted(results, key=lambda item: (item.expectation_config.meta or {})[POSITION])


def _expectations(suite_json: dict[str, Any], origin: str) -> list[Any]:
    """Each expectation checked on its own: GX would drop an invalid one silently."""
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    built = []
    for number, item in enumerate(suite_json["expectations"], start=1):
        try:
            # its place in the list rides along: GX returns results grouped by column, errors first
            configuration = ExpectationConfiguration(
                type=item["type"], kwargs=item["kwargs"], meta={**(item.get("meta") or {}), POSITION: number - 1},
            )
            built.append(configuration.to_domain_obj())
        except Exception as exc:  # GX raises many kinds for a bad configuration
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[-1][:300]
            raise ConfigError(f"{origin}: expectation {number} ({item['type']}) is not valid: {reason}; "
                              "fix the suite, or delete it and run readiness init again") from exc
    return built


class Outcomes(list[ExpectationOutcome]):
    """``run_suites``' outcomes in the order of its work, and how GX ran them: ``batch_tables``
    maps a table validated in one GX batch with others (``_run_together``) to that batch's size."""

    def __init__(self, items: Iterable[ExpectationOutcome] = (), batch_tables: dict[str, int] | None = None) -> None:
        super().__init__(items)
        self.batch_tables = dict(batch_tables or {})


BATCH_NOTE = ("Small tables with the same columns, types and suite were validated by GX together, "
              "up to 500,000 rows a batch; each table's counts are those of its own rows, as when validated "
              "alone, and its row count was checked on a table of the tables' row counts.")


def described(validation: dict[str, Any], outcomes: Iterable[ExpectationOutcome]) -> dict[str, Any]:
    """The validation section of readiness.json, saying which tables GX validated together
    (``batch_tables``: how many tables were in that table's batch)."""
    together = getattr(outcomes, "batch_tables", None) or {}
    if not together:
        return validation
    for entry in validation.get("tables", []):
        if entry.get("table") in together:
            entry["batch_tables"] = together[entry["table"]]
    validation["batched"] = {"tables": len(together), "note": BATCH_NOTE}
    return validation


class _Runner:
    """One pandas (or Spark) data source, data asset and whole-dataframe batch definition for all
    of an audit's validations: each gets its frame as batch parameters and its suite directly
    (``Batch.validate``), so nothing is added to the context, nor serialised, per table."""

    def __init__(self, spark: bool) -> None:
        self._context = _context()
        self._spark = spark
        self._source: Any = None
        self._definition: Any = None

    def validate(self, data: Any, expectations: list[Any], meta: dict[str, Any] | None,
                 result_format: dict[str, Any], in_arrow: bool = False) -> list[Any]:
        from great_expectations.core.expectation_suite import ExpectationSuite

        if self._definition is None:
            sources = self._context.data_sources
            self._source = sources.add_spark("readiness_spark") if self._spark else sources.add_pandas("readiness")
            self._definition = self._source.add_dataframe_asset("table").add_batch_definition_whole_dataframe("batch")
        suite = ExpectationSuite(name="readiness", expectations=expectations, meta=meta)
        # Arrow text: pandas hands str.contains to Arrow's RE2 only when strings are inferred as Arrow
        with pd.option_context("future.infer_string", in_arrow):
            batch = self._definition.get_batch(batch_parameters={"dataframe": data})
            return _in_order(list(batch.validate(suite, result_format=result_format).results))

    def release(self) -> None:
        """Drop the data source: GX's engine keeps the last batch it loaded, which lets a long
        table's slice go before the next one is made (a new source is added on next use)."""
        if self._source is not None:
            self._context.data_sources.delete(self._source.name)
            self._source = self._definition = None


def run_suites(work: Iterable[tuple[Table, dict[str, Any], str]],
               spark_frames: dict[str, Any] | None = None,
               codes: dict[str, tuple[np.ndarray, ...]] | None = None) -> Outcomes:
    """Run (table, suite JSON, where the suite came from) through GX: each expectation once, on
    every row, in validations of column slices (see ``_groups``).

    With ``spark_frames`` (table name -> Spark DataFrame) GX runs through its Spark datasource
    on those frames instead of its pandas one. ``codes`` (table name -> each column's factorised
    codes, -1 for missing): table-level expectations that only compare values for equality run
    on them (see ``codes_frame``). Small tables that share columns, types and suite are
    validated together, a batch at a time (``_run_together``)."""
    work = list(work)
    if not work:
        return Outcomes()
    runner = _Runner(spark_frames is not None)
    by_position: dict[int, list[ExpectationOutcome]] = {}
    batch_tables: dict[str, int] = {}
    alone = list(range(len(work)))
    if spark_frames is None:
        batches, alone = _batches(work, codes or {})
        for batch in batches:
            done = _run_together(runner, [work[i] for i in batch], [(codes or {})[work[i][0].name] for i in batch])
            if done is None:  # GX raised on the batch: each table runs alone and reports its own error
                alone.extend(batch)
                continue
            for position, outcomes in zip(batch, done, strict=True):
                by_position[position] = outcomes
                batch_tables[work[position][0].name] = len(batch)
    for position in sorted(alone):
        table, suite_json, origin = work[position]
        by_position[position] = _run_alone(runner, table, suite_json, origin, spark_frames, codes)
    return Outcomes((o for position in range(len(work)) for o in by_position[position]), batch_tables)


def _run_alone(runner: _Runner, table: Table, suite_json: dict[str, Any], origin: str,
               spark_frames: dict[str, Any] | None,
               codes: dict[str, tuple[np.ndarray, ...]] | None) -> list[ExpectationOutcome]:
    """One table's suite, in validations of column slices (one validation for a small table)."""
    items = suite_json["expectations"]
    arrow: set[str] = set()
    small = spark_frames is None and len(table.frame) <= SMALL_TABLE_ROWS
    if spark_frames is None and not small:
        arrow, items = arrow_columns(table.frame, items)
    expectations = _expectations({**suite_json, "expectations": items}, origin)
    meta = suite_json.get("meta") if isinstance(suite_json.get("meta"), dict) else None
    results: list[tuple[int, Any]] = []
    width = slice_width(len(table.frame))
    # a small table: every expectation in one validation of its Python values (GX's fixed cost
    # per validation is most of the work there)
    parts = [(list(table.frame.columns), list(range(len(expectations))))] if small else \
        _groups(expectations, list(table.frame.columns), arrow, width)
    for columns, members in parts:
        if spark_frames is not None:
            frame = spark_frames[table.name]
            data, in_arrow = frame if columns is None else frame.select(*[f"`{c}`" for c in columns]), False
        elif small:
            data, in_arrow = _gx_frame(table.frame), False
        else:
            data, in_arrow = _pandas_data(table, columns, [expectations[m] for m in members], arrow,
                                          (codes or {}).get(table.name))
        found = runner.validate(data, [expectations[m] for m in members], meta, RESULT_FORMAT, in_arrow)
        results.extend(((item.expectation_config.meta or {})[POSITION], item) for item in found)
        del data, found
        if len(table.frame) >= COLLECT_ABOVE_ROWS:  # a full collection costs more than a small slice
            runner.release()
            gc.collect()
            release_memory()
    return outcomes_of(table, [item for _, item in sorted(results, key=lambda pair: pair[0])])


# --- small tables validated together -------------------------------------------------------------

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


def _kind(item: dict[str, Any], columns: list[str]) -> str | None:
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


def _batches(work: list[tuple[Table, dict[str, Any], str]],
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
                TABLE_KEY in columns or any(_kind(item, columns) is None for item in items):
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


def _run_together(runner: _Runner, work: list[tuple[Table, dict[str, Any], str]],
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
    kinds = [_kind(item, list(frames[0].columns)) for item in items]
    counts: dict[int, np.ndarray] = {}  # expectation -> unexpected values per table
    runs: dict[str, tuple[Any, list[int], list[dict[str, Any]]]] = {}
    if "rows" in kinds:
        # the tables share columns and types (``_batches``): stacked first, converted once
        stacked = _gx_frame(pd.concat(frames, ignore_index=True))
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
        expectations = _expectations({"expectations": chosen}, origin)
        found = runner.validate(data, expectations, None, ALL_UNEXPECTED)
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


def _pandas_data(table: Table, columns: list[str] | None, members: list[Any], arrow: set[str],
                 codes: tuple[np.ndarray, ...] | None) -> tuple[pd.DataFrame, bool]:
    """What one validation of ``members`` gets from the table (``columns``: its slice, None for
    the table-level ones), and whether its text is Arrow text: the codes for table-level checks
    that only compare values, Arrow text for ``arrow`` slices, Python strings otherwise."""
    kinds = {member.expectation_type for member in members}
    if columns is None:
        conditioned = any(getattr(member, "row_condition", None) for member in members)
        if kinds <= TABLE_SAFE and not conditioned and codes is not None:
            return codes_frame(table.frame, codes), False
        return _gx_frame(table.frame, "as-is" if kinds <= TABLE_SAFE else "python"), False
    in_arrow = set(columns) <= arrow
    return _gx_frame(table.frame[columns], "arrow" if in_arrow else "python"), in_arrow


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


def _groups(expectations: list[Any], columns: list[str], arrow: set[str] = frozenset(),  # type: ignore[assignment]
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


def outcomes_of(table: Table, items: list[Any]) -> list[ExpectationOutcome]:
    """GX validation results as counts only (whichever engine ran them)."""
    outcomes = []
    for item in items:
        config = item.expectation_config
        details = item.result or {}
        error = None
        if item.exception_info and item.exception_info.get("raised_exception"):
            error = str(item.exception_info.get("exception_message") or "the expectation raised an error")
        elif item.exception_info:
            messages = [v.get("exception_message") for v in item.exception_info.values()
                        if isinstance(v, dict) and v.get("raised_exception")]
            error = str(messages[0]) if messages else None
        outcomes.append(ExpectationOutcome(
            table=table.name, type=config.type, column=config.kwargs.get("column"),
            success=bool(item.success), element_count=details.get("element_count"),
            unexpected_count=details.get("unexpected_count"), error=error,
            check=((config.meta or {}).get("readiness") or {}).get("check"),
        ))
    return outcomes
