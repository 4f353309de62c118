"""The Spark engine (``--engine spark``, extra ``readiness[spark]``).

Spark reads each CSV/TSV and Parquet table (a hive-partitioned folder included) itself,
normalises it by the contract's rules, computes the exact counts (rows, missing and distinct
values per column, the distinct text values with their counts, duplicate rows) and runs the
table's GX suite through GX's Spark datasource. Inference, the findings and the score then use
those counts exactly as the pandas engine uses its own, so both engines give the same result.

What still runs on the driver in this version: the file inventory and its safety checks, the
row-level ML checks (conflicting labels, leakage, split overlap, text checks) and the visual
profile (a seeded sample). See docs/spark.md. PySpark is imported here only, inside functions.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from readiness.base.errors import UsageError
from readiness.base.progress import stage
from readiness.engines import Engine
from readiness.ingest.columns import NA_TOKENS, as_text, is_text
from readiness.ingest.model import Ingested, Table
from readiness.ingest.readers.delimited import detect_encoding
from readiness.ingest.readers.delimited_layout import detect_delimiter
from readiness.ingest.readers.registry import reader_for
from readiness.profile import counts
from readiness.profile.counts import EngineCounts, Prepared
from readiness.profile.labels import LabelTarget
from readiness.settings import Settings

# every character Python's str.strip() removes, so Spark trims exactly as the pandas engine does
_PY_WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
_WS_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _PY_WHITESPACE) + "]"
_ROW = "__readiness_row__"


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


def _read_text(spark: Any, path: Path, table: Table, tab: bool) -> Any | None:
    """A CSV or TSV file as Spark's csv reader reads it; None for a file the inventory's reader
    found irregular (no header, a metadata line, ragged rows, an unusual layout), which is read
    exactly once, by that reader, and for compressed text."""
    irregular = bool(table.notes) or not path.exists()  # a name not in UTF-8 is shown escaped: use the parsed table
    if path.name.lower().endswith(".gz") or irregular:
        return None
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    encoding = detect_encoding(head)
    text = head.decode(encoding, errors="replace")
    delimiter = "\t" if tab else detect_delimiter(text, ",")
    return spark.read.csv(str(path), header=True, sep=delimiter, encoding=encoding, multiLine=True,
                          escape='"', quote='"', inferSchema=False, mode="FAILFAST",
                          ignoreLeadingWhiteSpace=False, ignoreTrailingWhiteSpace=False)


def _read_csv(spark: Any, path: Path, table: Table) -> Any | None:
    return _read_text(spark, path, table, tab=False)


def _read_tsv(spark: Any, path: Path, table: Table) -> Any | None:
    return _read_text(spark, path, table, tab=True)


def _read_parquet(spark: Any, path: Path, table: Table) -> Any:
    """A Parquet file, or a hive-partitioned folder of them (its partition columns included)."""
    if path.is_dir():
        return spark.read.option("basePath", str(path)).parquet(str(path))
    return spark.read.parquet(str(path))


class SparkReader(NamedTuple):
    read: Callable[[Any, Path, Table], Any | None]  # (session, path, table) -> Spark DataFrame, or None
    read_by: str  # readiness.json's engine.read_by for a table it read


# Spark's own reader for each format the reader registry names (Reader.format, as FileEntry.format);
# a table of any other format (JSON, Excel) is handed over from the inventory's parsed frame
SPARK_READERS: dict[str, SparkReader] = {
    "csv": SparkReader(_read_csv, "spark csv reader"),
    "tsv": SparkReader(_read_tsv, "spark csv reader"),
    "parquet": SparkReader(_read_parquet, "spark parquet reader"),
}
HANDED_OVER = "parsed on the driver, counted in spark"


def _format(path: Path, table: Table) -> str:
    """The file's format as the reader registry names it; a hive-partitioned Parquet folder, which
    no reader claims by its name, keeps the inventory's."""
    reader = None if path.is_dir() else reader_for(path)
    return reader.format if reader is not None else table.format


def _read(spark: Any, root: Path, table: Table) -> tuple[Any, str]:
    """The table as Spark reads it from the file, columns named as the inventory named them."""
    path = root / table.source if root.is_dir() else root
    names = [str(c) for c in table.frame.columns]
    reader = SPARK_READERS.get(_format(path, table))
    frame = reader.read(spark, path, table) if reader is not None else None
    if reader is not None and frame is not None and len(frame.columns) == len(names):
        return frame.toDF(*names), reader.read_by
    # JSON, Excel, compressed text, or a header Spark splits differently: hand Spark the parsed table
    return spark.createDataFrame(_as_strings(table.frame)).toDF(*names), HANDED_OVER


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


def count(frame: Any, text_columns: list[str], read_by: str = "spark", row_index: tuple[str, ...] = ()) -> EngineCounts:
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
    return EngineCounts(rows, duplicate_rows, missing, distinct, value_counts, read_by)


def load_and_count(spark: Any, root: Path, table: Table, row_index: tuple[str, ...] = ()) -> tuple[Any, EngineCounts]:
    """The table read and normalised in Spark (cached), and its counts."""
    frame, read_by = _read(spark, root, table)
    frame = _normalise(frame).cache()
    text_columns = [f.name for f in frame.schema.fields if f.dataType.typeName() == "string"
                    and is_text(table.frame[f.name])]
    return frame, count(frame, text_columns, read_by, row_index)


@dataclass(frozen=True)
class SparkBatch:
    """A table's normalised, cached Spark frame, validated through GX's Spark data source."""

    frame: Any
    source: str = "spark"

    def select(self, columns: list[str] | None) -> Any:
        return self.frame if columns is None else self.frame.select(*[f"`{c}`" for c in columns])


class SparkEngine:
    """Spark for one audit: its session, and each table's frame as Spark read it (GX validates
    those) and how it read it."""

    name = "spark"
    forkable = False  # the session (a JVM gateway) and its cached frames live in this process

    def __init__(self, master: str) -> None:
        self.master = master
        self._session: Any = None
        self._frames: dict[str, Any] = {}
        self._read_by: dict[str, str] = {}

    def start(self) -> None:
        stage("starting Spark")
        self._session = session(self.master)

    def prepare(self, ingested: Ingested, settings: Settings, target: LabelTarget) -> list[Prepared]:
        root = Path(ingested.root)
        prepared = []
        for table in ingested.tables:
            frame, counted = load_and_count(self._session, root, table, counts.row_numbers(table, settings, target))
            self._frames[table.name] = frame
            self._read_by[table.name] = counted.read_by
            prepared.append(counts.prepare(table, settings, target, counted))
        return prepared

    def batch(self, table: Table) -> SparkBatch:
        return SparkBatch(self._frames[table.name])

    def describe(self) -> dict[str, Any]:
        # the master URL is left out: it may name the client's cluster, and the document is shared
        return {"name": self.name, "read_by": dict(self._read_by)}


def create(spark_master: str) -> Engine:
    """The engine, refused at once when the spark extra is missing (``require``)."""
    require()
    return SparkEngine(spark_master)
