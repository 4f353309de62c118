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

from readiness.errors import ConfigError
from readiness.ingest import objects, release_memory
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
               codes: dict[str, tuple[np.ndarray, ...]] | None = None) -> list[ExpectationOutcome]:
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


def _expectations(suite_json: dict[str, Any], origin: str) -> list[Any]:
    """Each expectation checked on its own: GX would drop an invalid one silently."""
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    built = []
    for number, item in enumerate(suite_json["expectations"], start=1):
        try:
            configuration = ExpectationConfiguration(
                type=item["type"], kwargs=item["kwargs"], meta=item.get("meta") or None,
            )
            built.append(configuration.to_domain_obj())
        except Exception as exc:  # GX raises many kinds for a bad configuration
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[-1][:300]
            raise ConfigError(f"{origin}: expectation {number} ({item['type']}) is not valid: {reason}; "
                              "fix the suite, or delete it and run readiness init again") from exc
    return built


def run_suites(work: Iterable[tuple[Table, dict[str, Any], str]],
               spark_frames: dict[str, Any] | None = None,
               codes: dict[str, tuple[np.ndarray, ...]] | None = None) -> list[ExpectationOutcome]:
    """Run (table, suite JSON, where the suite came from) through GX: each expectation once, on
    every row, in validations of column slices (see ``_groups``).

    With ``spark_frames`` (table name -> Spark DataFrame) GX runs through its Spark datasource
    on those frames instead of its pandas one. ``codes`` (table name -> each column's factorised
    codes, -1 for missing): table-level expectations that only compare values for equality run
    on them (see ``codes_frame``)."""
    work = list(work)
    if not work:
        return []
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite

    context = _context()
    outcomes: list[ExpectationOutcome] = []
    for index, (table, suite_json, origin) in enumerate(work):
        items = suite_json["expectations"]
        arrow: set[str] = set()
        if spark_frames is None:
            arrow, items = arrow_columns(table.frame, items)
        expectations = _expectations({**suite_json, "expectations": items}, origin)
        meta = suite_json.get("meta") if isinstance(suite_json.get("meta"), dict) else None
        results: list[tuple[int, Any]] = []
        width = slice_width(len(table.frame))
        for part, (columns, members) in enumerate(_groups(expectations, list(table.frame.columns), arrow, width)):
            name = f"{index}_{part}"
            # a data source per validation: GX's engine keeps every batch it has loaded, and
            # deleting the source lets this slice go before the next one is made
            if spark_frames is None:
                source = context.data_sources.add_pandas(f"readiness_{name}")
            else:
                source = context.data_sources.add_spark(f"readiness_spark_{name}")
            asset = source.add_dataframe_asset(f"table_{name}")
            batch = asset.add_batch_definition_whole_dataframe(f"batch_{name}")
            suite = context.suites.add(ExpectationSuite(
                name=f"suite_{name}", expectations=[expectations[m] for m in members], meta=meta,
            ))
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=f"validation_{name}", data=batch, suite=suite)
            )
            if spark_frames is not None:
                frame = spark_frames[table.name]
                data, in_arrow = frame if columns is None else frame.select(*[f"`{c}`" for c in columns]), False
            else:
                data, in_arrow = _pandas_data(table, columns, [expectations[m] for m in members], arrow,
                                              (codes or {}).get(table.name))
            # Arrow text: pandas hands str.contains to Arrow's RE2 only when strings are inferred as Arrow
            with pd.option_context("future.infer_string", in_arrow):
                result = definition.run(batch_parameters={"dataframe": data}, result_format=RESULT_FORMAT)
            results.extend(zip(members, result.results, strict=True))
            context.data_sources.delete(source.name)
            del data, result, definition, batch, asset, source
            if len(table.frame) >= COLLECT_ABOVE_ROWS:  # a full collection costs more than a small slice
                gc.collect()
                release_memory()
        outcomes.extend(outcomes_of(table, [item for _, item in sorted(results, key=lambda pair: pair[0])]))
    return outcomes


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
    from readiness import fastre

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
