"""The Spark engine (``--engine spark``, extra ``readiness[spark]``).

Spark reads each CSV/TSV and Parquet table (a hive-partitioned folder included) itself,
normalises it by the contract's rules, computes the exact counts (rows, missing and distinct
values per column, the distinct text values with their counts, duplicate rows) and runs the
table's GX suite through GX's Spark datasource. Inference, the findings and the score then use
those counts exactly as the pandas engine uses its own, so both engines give the same result.

What still runs on the driver in this version: the file inventory and its safety checks, the
row-level ML checks (conflicting labels, leakage, split overlap, text checks) and the visual
profile (a seeded sample). See docs/spark.md.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.base.errors import UsageError
from readiness.ingest.tables import NA_TOKENS, as_text, detect_delimiter, detect_encoding, is_text
from readiness.models import Table

# every character Python's str.strip() removes, so Spark trims exactly as the pandas engine does
_PY_WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
_WS_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _PY_WHITESPACE) + "]"
_ROW = "__readiness_row__"


@dataclass(frozen=True)
class SparkCounts:
    """What Spark counted for one table."""

    rows: int
    duplicate_rows: int
    missing: dict[str, int]
    distinct: dict[str, int]
    value_counts: dict[str, pd.Series]  # text columns: distinct values in order of first appearance
    read_by: str = "spark"  # how the table reached Spark: "spark csv reader", "spark parquet reader", ...


MISSING_PYSPARK = "--engine spark needs PySpark, which is not installed: pip install -e '.[spark]' (and Java 17)"


def require() -> None:
    """Stop with one line, before any file is read, when the spark extra is not installed."""
    try:
        found = importlib.util.find_spec("pyspark") is not None
    except (ImportError, ValueError):  # a broken or half-removed pyspark
        found = False
    if not found:
        raise UsageError(MISSING_PYSPARK)


def session(master: str = "local[*]") -> Any:
    """A Spark session that opens no UI port and stays on this machine unless told otherwise."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise UsageError(MISSING_PYSPARK) from exc
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this interpreter, not PATH's python3
    logging.getLogger("py4j").setLevel(logging.ERROR)
    builder = (
        SparkSession.builder.master(master).appName("readiness")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if master.startswith("local"):
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # no Java, a bad master URL, ...
        raise UsageError(f"Spark could not start ({str(exc).strip().splitlines()[0][:200]}); install Java 17 "
                         "or check --spark-master") from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _read(spark: Any, root: Path, table: Table) -> tuple[Any, str]:
    """The table as Spark reads it from the file, columns named as the inventory named them."""
    path = root / table.source if root.is_dir() else root
    names = [str(c) for c in table.frame.columns]
    # a file the reader found irregular (no header, a metadata line, ragged rows, an unusual
    # layout) is read exactly once, by the reader: Spark gets the parsed table
    irregular = bool(table.notes) or not path.exists()  # a name not in UTF-8 is shown escaped: use the parsed table
    if table.format in ("csv", "tsv") and not path.name.lower().endswith(".gz") and not irregular:
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
        encoding = detect_encoding(head)
        text = head.decode(encoding, errors="replace")
        delimiter = "\t" if table.format == "tsv" else detect_delimiter(text, ",")
        frame = spark.read.csv(str(path), header=True, sep=delimiter, encoding=encoding, multiLine=True,
                               escape='"', quote='"', inferSchema=False, mode="FAILFAST",
                               ignoreLeadingWhiteSpace=False, ignoreTrailingWhiteSpace=False)
    elif table.format == "parquet":
        if path.is_dir():
            frame = spark.read.option("basePath", str(path)).parquet(str(path))
        else:
            frame = spark.read.parquet(str(path))
    else:
        frame = None
    if frame is not None and len(frame.columns) == len(names):
        return frame.toDF(*names), f"spark {'csv' if table.format in ('csv', 'tsv') else 'parquet'} reader"
    # JSON, Excel, compressed text, or a header Spark splits differently: hand Spark the parsed table
    return spark.createDataFrame(_as_strings(table.frame)).toDF(*names), "parsed on the driver, counted in spark"


def _as_strings(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.astype(object).where(frame.notna(), None)
    return out.apply(lambda column: column.map(lambda v: v if v is None else as_text(v)))


def _normalise(frame: Any) -> Any:
    """The contract's rules in Spark: blank and NA-token text is missing, NaN is missing."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType, FloatType, StringType

    tokens = sorted(NA_TOKENS)
    columns = []
    for field in frame.schema.fields:
        column = F.col(f"`{field.name}`")
        if isinstance(field.dataType, StringType):
            trimmed = F.regexp_replace(column, f"^{_WS_CLASS}+|{_WS_CLASS}+$", "")
            column = F.when(column.isNull() | trimmed.isin(tokens), F.lit(None)).otherwise(column)
        elif isinstance(field.dataType, (DoubleType, FloatType)):
            column = F.when(F.isnan(column), F.lit(None)).otherwise(column)
        columns.append(column.alias(field.name))
    return frame.select(*columns)


def count(frame: Any, text_columns: list[str], read_by: str = "spark", row_index: tuple[str, ...] = ()) -> SparkCounts:
    """Exact counts in Spark: one aggregation for missing and distinct, one per text column for its values.
    Duplicate rows leave out the ``row_index`` columns (row numbers make every row unique)."""
    from pyspark.sql import functions as F

    names = list(frame.columns)
    aggregates = [F.count(F.lit(1)).alias("__rows__")]
    for index, name in enumerate(names):
        aggregates.append(F.sum(F.col(f"`{name}`").isNull().cast("long")).alias(f"m{index}"))
        aggregates.append(F.countDistinct(F.col(f"`{name}`")).alias(f"d{index}"))
    row = frame.agg(*aggregates).collect()[0]
    rows = int(row["__rows__"])
    missing = {name: int(row[f"m{i}"] or 0) for i, name in enumerate(names)}
    distinct = {name: int(row[f"d{i}"] or 0) for i, name in enumerate(names)}
    compared = [F.col(f"`{name}`") for name in names if name not in row_index]
    duplicate_rows = rows - frame.select(*compared).distinct().count() if compared else 0
    numbered = frame.withColumn(_ROW, F.monotonically_increasing_id())
    value_counts = {}
    for name in text_columns:
        grouped = (numbered.where(F.col(f"`{name}`").isNotNull()).groupBy(F.col(f"`{name}`").alias("v"))
                   .agg(F.count(F.lit(1)).alias("n"), F.min(_ROW).alias("first")).orderBy("first"))
        collected = grouped.toPandas()
        value_counts[name] = pd.Series(collected["n"].astype("int64").to_numpy(),
                                       index=pd.Index(collected["v"].tolist(), dtype=object), name="count")
    return SparkCounts(rows, duplicate_rows, missing, distinct, value_counts, read_by)


def load_and_count(spark: Any, root: Path, table: Table, row_index: tuple[str, ...] = ()) -> tuple[Any, SparkCounts]:
    """The table read and normalised in Spark (cached), and its counts."""
    frame, read_by = _read(spark, root, table)
    frame = _normalise(frame).cache()
    text_columns = [f.name for f in frame.schema.fields if f.dataType.typeName() == "string"
                    and is_text(table.frame[f.name])]
    return frame, count(frame, text_columns, read_by, row_index)
