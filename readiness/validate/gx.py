"""Validation with Great Expectations 1.x: run each table's suite, keep what is safe to share.

GX is imported here and nowhere else, inside functions. Results come back as
ExpectationOutcome records with counts only: no unexpected values leave this module. What GX gets
of a pandas table is in frames.py; small tables validated together, in together.py.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from readiness.base.errors import ConfigError
from readiness.ingest.model import Table
from readiness.ingest.walk import release_memory
from readiness.models import ExpectationOutcome
from readiness.validate import together
from readiness.validate.frames import arrow_columns, groups, gx_frame, pandas_data, slice_width

if TYPE_CHECKING:
    from readiness.validate.batch import Batch

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


def run_tables(tables: list[Table], batch_of: BatchOf | None, suites: list[tuple[str, dict[str, Any], str]],
               codes: dict[str, tuple[np.ndarray, ...]] | None = None) -> Outcomes:
    """``run_suites`` for (table name, suite JSON, origin) on tables this process already holds."""
    by_name = {table.name: table for table in tables}
    return run_suites([(by_name[name], suite_json, origin) for name, suite_json, origin in suites], batch_of, codes)


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
    maps a table validated in one GX batch with others (``together.run_together``) to that batch's size."""

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


class Runner:
    """One data source of each kind used (pandas; an engine's own, e.g. spark), with its data
    asset and whole-dataframe batch definition, for all of an audit's validations: each gets its
    frame as batch parameters and its suite directly (``Batch.validate``), so nothing is added to
    the context, nor serialised, per table."""

    def __init__(self) -> None:
        self._context = _context()
        self._sources: dict[str, Any] = {}
        self._definitions: dict[str, Any] = {}

    def validate(self, data: Any, expectations: list[Any], meta: dict[str, Any] | None,
                 result_format: dict[str, Any], in_arrow: bool = False, source: str = "pandas") -> list[Any]:
        """``expectations`` on ``data``, through the data source of kind ``source`` (GX's
        ``data_sources.add_<source>``: pandas, spark)."""
        from great_expectations.core.expectation_suite import ExpectationSuite

        definition = self._definitions.get(source)
        if definition is None:
            added = getattr(self._context.data_sources, f"add_{source}")(f"readiness_{source}")
            definition = added.add_dataframe_asset("table").add_batch_definition_whole_dataframe("batch")
            self._sources[source], self._definitions[source] = added, definition
        suite = ExpectationSuite(name="readiness", expectations=expectations, meta=meta)
        # Arrow text: pandas hands str.contains to Arrow's RE2 only when strings are inferred as Arrow
        with pd.option_context("future.infer_string", in_arrow):
            batch = definition.get_batch(batch_parameters={"dataframe": data})
            return _in_order(list(batch.validate(suite, result_format=result_format).results))

    def validate_json(self, data: Any, items: list[dict[str, Any]], origin: str,
                      result_format: dict[str, Any]) -> list[Any]:
        """Suite items (JSON) on pandas ``data``; ``origin`` names the suite in an error."""
        return self.validate(data, _expectations({"expectations": items}, origin), None, result_format)

    def release(self) -> None:
        """Drop the data sources: GX's engine keeps the last batch it loaded, which lets a long
        table's slice go before the next one is made (a new source is added on next use)."""
        for added in self._sources.values():
            self._context.data_sources.delete(added.name)
        self._sources, self._definitions = {}, {}


BatchOf = Callable[[Table], "Batch | None"]  # the engine's batch of a table (Engine.batch)


def run_suites(work: Iterable[tuple[Table, dict[str, Any], str]], batch_of: BatchOf | None = None,
               codes: dict[str, tuple[np.ndarray, ...]] | None = None) -> Outcomes:
    """Run (table, suite JSON, where the suite came from) through GX: each expectation once, on
    every row, in validations of column slices (see ``frames.groups``).

    ``batch_of`` (the engine's ``Engine.batch``): a table it gives a batch for is validated on that
    batch, through the engine's own GX data source, instead of on its pandas frame. ``codes``
    (table name -> each column's factorised codes, -1 for missing): table-level expectations that
    only compare values for equality run on them (see ``frames.codes_frame``). Small tables that
    share columns, types and suite are validated together, a batch at a time (``together``)."""
    work = list(work)
    if not work:
        return Outcomes()
    engine_batches = {table.name: given for table, _, _ in work
                      if batch_of is not None and (given := batch_of(table)) is not None}
    codes = codes or {}
    runner = Runner()
    by_position: dict[int, list[ExpectationOutcome]] = {}
    batch_tables: dict[str, int] = {}
    # a table without codes stays alone: an engine's batch is validated on its own
    stacked, alone = together.batches(work, {name: c for name, c in codes.items() if name not in engine_batches})
    for positions in stacked:
        done = together.run_together(runner, [work[i] for i in positions], [codes[work[i][0].name] for i in positions])
        if done is None:  # GX raised on the batch: each table runs alone and reports its own error
            alone.extend(positions)
            continue
        for position, outcomes in zip(positions, done, strict=True):
            by_position[position] = outcomes
            batch_tables[work[position][0].name] = len(positions)
    for position in sorted(alone):
        table, suite_json, origin = work[position]
        by_position[position] = _run_alone(runner, table, suite_json, origin, engine_batches.get(table.name), codes)
    return Outcomes((o for position in range(len(work)) for o in by_position[position]), batch_tables)


def _run_alone(runner: Runner, table: Table, suite_json: dict[str, Any], origin: str, engine_batch: Batch | None,
               codes: dict[str, tuple[np.ndarray, ...]]) -> list[ExpectationOutcome]:
    """One table's suite, in validations of column slices (one validation for a small table)."""
    items = suite_json["expectations"]
    arrow: set[str] = set()
    small = engine_batch is None and len(table.frame) <= together.SMALL_TABLE_ROWS
    if engine_batch is None and not small:
        arrow, items = arrow_columns(table.frame, items)
    expectations = _expectations({**suite_json, "expectations": items}, origin)
    meta = suite_json.get("meta") if isinstance(suite_json.get("meta"), dict) else None
    results: list[tuple[int, Any]] = []
    width = slice_width(len(table.frame))
    # a small table: every expectation in one validation of its Python values (GX's fixed cost
    # per validation is most of the work there)
    parts = [(list(table.frame.columns), list(range(len(expectations))))] if small else \
        groups(expectations, list(table.frame.columns), arrow, width)
    for columns, members in parts:
        source = "pandas"
        if engine_batch is not None:
            data, in_arrow, source = engine_batch.select(columns), False, engine_batch.source
        elif small:
            data, in_arrow = gx_frame(table.frame), False
        else:
            data, in_arrow = pandas_data(table, columns, [expectations[m] for m in members], arrow, codes.get(table.name))
        found = runner.validate(data, [expectations[m] for m in members], meta, RESULT_FORMAT, in_arrow, source)
        results.extend(((item.expectation_config.meta or {})[POSITION], item) for item in found)
        del data, found
        if len(table.frame) >= COLLECT_ABOVE_ROWS:  # a full collection costs more than a small slice
            runner.release()
            gc.collect()
            release_memory()
    return outcomes_of(table, [item for _, item in sorted(results, key=lambda pair: pair[0])])


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
