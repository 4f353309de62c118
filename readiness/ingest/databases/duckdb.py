"""DuckDB files, opened with ``read_only=True`` (DuckDB then writes nothing, no WAL either), with a
timer that interrupts a statement past the timeout; tables come out as Arrow."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.ingest.databases import common
from readiness.ingest.databases.common import (
    Column,
    ConnectionFailed,
    TableFailed,
    TableRef,
    arrow_frame,
    count_query,
    one_line,
    pushed_counts,
    select_list,
)
from readiness.ingest.model import PushedCounts
from readiness.models import DeclaredKey

MAGIC_OFFSET, MAGIC = 8, b"DUCK"
PLAIN = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "BOOLEAN"}
FLOAT = {"FLOAT", "DOUBLE", "REAL"}
TEXT = {"VARCHAR"}
FINITE = {"DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"}


class Dialect(common.Dialect):
    """DuckDB writes the count query in the base dialect's SQL."""


DIALECT = Dialect()


def column_of(name: str, data_type: str) -> Column:
    """As typed where Arrow and pandas take the type well; cast where not."""
    upper = data_type.upper()
    if upper in PLAIN:
        return Column(name, data_type, "{q}", "plain")
    if upper in FLOAT:
        return Column(name, data_type, "{q}", "float")
    if upper in TEXT:
        return Column(name, data_type, "{q}", "text")
    if upper in FINITE:
        return Column(name, data_type, "CASE WHEN isfinite({q}) THEN {q} END", "plain")
    if upper.startswith("DECIMAL") or upper.startswith("NUMERIC"):
        return Column(name, data_type, "{q}::DOUBLE", "float")
    if upper == "INTERVAL":
        return Column(name, data_type, "epoch({q})", "float")  # seconds
    if upper == "BLOB":
        return Column(name, data_type, "md5(hex({q}))", "text")  # the bytes' digest, not the bytes
    if upper.endswith("]") or upper.startswith(("STRUCT", "MAP", "UNION")):
        return Column(name, data_type, "to_json({q})::VARCHAR", "text")
    return Column(name, data_type, "{q}::VARCHAR", "text")  # UUID, JSON, ENUM, TIME, HUGEINT, UBIGINT ...


class DuckDB:
    kind = "duckdb"

    def __init__(self, path: Path, timeout_seconds: int) -> None:
        try:
            import duckdb
        except ImportError as exc:
            raise ConnectionFailed("DuckDB needs its package: pip install 'readiness[databases]'") from exc
        if not path.is_file():
            raise ConnectionFailed("no such file; check the path (duckdb:///relative.duckdb or duckdb:////absolute.duckdb)")
        try:
            with open(path, "rb") as handle:
                head = handle.read(MAGIC_OFFSET + len(MAGIC))
        except OSError as exc:
            raise ConnectionFailed(f"cannot be opened ({exc.strerror or exc}); check its permissions") from None
        if head[MAGIC_OFFSET:] != MAGIC:
            raise ConnectionFailed("not a DuckDB database (no DUCK signature at byte 8); check the file")
        try:
            self.connection = duckdb.connect(str(path), read_only=True,
                                             config={"enable_external_access": False, "autoinstall_known_extensions": False,
                                                     "autoload_known_extensions": False})
        except Exception as exc:  # duckdb's errors: a newer storage version, a lock held by a writer ...
            raise ConnectionFailed(f"cannot be opened ({one_line(str(exc))}); check that no program is writing "
                                   "to it and that this DuckDB version reads it") from None
        self.timeout = timeout_seconds

    def _timed(self, work: Callable[[], Any]) -> Any:
        timer = threading.Timer(self.timeout, self.connection.interrupt)
        timer.daemon = True
        timer.start()
        try:
            return work()
        finally:
            timer.cancel()

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        return list(self._timed(lambda: self.connection.execute(sql).fetchall()))

    def tables(self) -> list[TableRef]:
        rows = self._rows("SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal AND NOT temporary "
                          "AND database_name = current_database() ORDER BY schema_name, table_name")
        return [TableRef(str(schema), str(table)) for schema, table in rows]

    def columns(self, ref: TableRef) -> list[Column]:
        rows = self._rows("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() "
                          f"AND schema_name = {DIALECT.literal(ref.schema)} AND table_name = {DIALECT.literal(ref.table)} "
                          "ORDER BY column_index")
        return [column_of(str(name), str(data_type)) for name, data_type in rows]

    def _source(self, ref: TableRef) -> str:
        return f"{DIALECT.quote(ref.schema)}.{DIALECT.quote(ref.table)}"

    def count(self, ref: TableRef, columns: list[Column]) -> PushedCounts:
        try:
            rows = self._rows(count_query(DIALECT, self._source(ref), columns))
        except Exception as exc:
            raise TableFailed(table_reason(exc)) from None
        return pushed_counts(rows[0], columns)

    def stream(self, ref: TableRef, columns: list[Column]) -> pd.DataFrame:
        sql = f"SELECT {select_list(DIALECT, columns)} FROM {self._source(ref)}"
        try:
            table = self._timed(lambda: self.connection.sql(sql).to_arrow_table())
        except Exception as exc:
            raise TableFailed(table_reason(exc)) from None
        return arrow_frame(table)

    def declared(self, refs: list[TableRef], named: Callable[[TableRef], str]) -> list[DeclaredKey]:
        wanted = {(r.schema, r.table) for r in refs}
        rows = self._rows("SELECT schema_name, table_name, constraint_type, constraint_column_names, constraint_name, "
                          "referenced_table, referenced_column_names, constraint_text FROM duckdb_constraints() "
                          "WHERE database_name = current_database() "
                          "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY') "
                          "ORDER BY schema_name, table_name, constraint_index")
        kinds = {"PRIMARY KEY": "primary", "UNIQUE": "unique", "FOREIGN KEY": "foreign"}
        keys = []
        for schema, table, kind, columns, name, parent, parent_columns, text in rows:
            if (schema, table) not in wanted:
                continue
            parent_name = None
            if kind == "FOREIGN KEY" and parent:
                parent_schema = _referenced_schema(str(text or ""), str(parent)) or str(schema)
                parent_name = named(TableRef(parent_schema, str(parent)))
            keys.append(DeclaredKey(kinds[str(kind)], named(TableRef(str(schema), str(table))),
                                    tuple(str(c) for c in columns or ()), parent_name,
                                    tuple(str(c) for c in parent_columns or ()) if parent_name else (),
                                    str(name) if name else None))
        return keys

    def close(self) -> None:
        self.connection.close()


def _referenced_schema(text: str, table: str) -> str | None:
    """The schema a FOREIGN KEY's text names before the referenced table (``REFERENCES s.t(...)``)."""
    found = re.search(r'REFERENCES\s+("?)([^".\s]+)\1\s*\.\s*"?' + re.escape(table), text, re.IGNORECASE)
    return found.group(2) if found else None


def table_reason(exc: BaseException) -> str:
    message = one_line(str(exc))
    if "interrupt" in message.lower():
        return "could not be read in time (the statement timeout stopped it); audit it alone with --tables"
    return f"could not be read ({message})"


def open_file(path: Path, timeout_seconds: int) -> DuckDB:
    return DuckDB(path, timeout_seconds)
