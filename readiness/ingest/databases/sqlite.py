"""SQLite through the standard library, opened read-only (``mode=ro``; a file found inside a
dataset folder also ``immutable=1``, so SQLite never writes a -wal or -shm file beside it), with a
progress handler as the statement timeout. A column may hold values of any type: its missing text
values are told by ``typeof``."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

import pandas as pd

from readiness.ingest.columns import typed_column
from readiness.ingest.databases.common import (
    Column,
    ConnectionFailed,
    TableFailed,
    TableRef,
    count_query,
    one_line,
    pushed_counts,
    select_list,
    whitespace_literal,
)
from readiness.ingest.model import PushedCounts
from readiness.models import DeclaredKey

MAGIC = b"SQLite format 3\x00"
SCHEMA = "main"
BATCH = 50_000  # rows fetched at a time
CHECK_EVERY = 10_000  # SQLite virtual machine steps between two looks at the clock


class Dialect:
    def quote(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def literal(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def trimmed(self, expression: str) -> str:
        return f"trim({expression}, {whitespace_literal(self)})"

    def is_nan(self, expression: str) -> str:
        return "0"  # SQLite stores NaN as NULL

    def is_text(self, expression: str) -> str:
        return f"typeof({expression}) = 'text'"

    def binary(self, expression: str) -> str:
        return f"{expression} COLLATE BINARY"  # a NOCASE column still counts 'a' and 'A' apart, as files do


DIALECT = Dialect()


class SQLite:
    kind = "sqlite"

    def __init__(self, path: Path, timeout_seconds: int, *, immutable: bool = False) -> None:
        if not path.is_file():
            raise ConnectionFailed("no such file; check the path (sqlite:///relative.db or sqlite:////absolute.db)")
        try:
            with open(path, "rb") as handle:
                head = handle.read(len(MAGIC))
        except OSError as exc:
            raise ConnectionFailed(f"cannot be opened ({exc.strerror or exc}); check its permissions") from None
        if head != MAGIC:
            raise ConnectionFailed("not a SQLite database (its first bytes are not SQLite's); check the file")
        uri = f"file:{pathname2url(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")
        try:
            self.connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self.connection.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            raise ConnectionFailed(f"cannot be opened ({one_line(str(exc))}); check the file") from None
        self.timeout = timeout_seconds
        self.deadline = 0.0
        self.connection.set_progress_handler(lambda: int(time.monotonic() > self.deadline), CHECK_EVERY)

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        self.deadline = time.monotonic() + self.timeout
        return list(self.connection.execute(sql).fetchall())

    def tables(self) -> list[TableRef]:
        try:
            rows = self._rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
                              "ESCAPE '\\' ORDER BY name")
        except sqlite3.DatabaseError as exc:
            raise ConnectionFailed(f"cannot be read ({one_line(str(exc))}); check the file") from None
        return [TableRef(SCHEMA, str(name)) for (name,) in rows]

    def columns(self, ref: TableRef) -> list[Column]:
        rows = self._rows(f"PRAGMA table_xinfo({DIALECT.quote(ref.table)})")
        return [Column(str(r[1]), str(r[2] or ""), "{q}", "any") for r in rows if int(r[6] or 0) in (0, 2, 3)]

    def count(self, ref: TableRef, columns: list[Column]) -> PushedCounts:
        try:
            self.connection.execute("BEGIN")  # the count and the rows read in one snapshot
            rows = self._rows(count_query(DIALECT, DIALECT.quote(ref.table), columns))
        except sqlite3.Error as exc:
            self._end()
            raise TableFailed(table_reason(exc)) from None
        return pushed_counts(rows[0], columns)

    def _end(self) -> None:
        if self.connection.in_transaction:
            self.connection.rollback()

    def stream(self, ref: TableRef, columns: list[Column]) -> pd.DataFrame:
        """The table in batches of rows, each column built as typed (integers stay integers)."""
        values: list[list[Any]] = [[] for _ in columns]
        try:
            self.deadline = time.monotonic() + self.timeout
            cursor = self.connection.execute(f"SELECT {select_list(DIALECT, columns)} FROM {DIALECT.quote(ref.table)}")
            while batch := cursor.fetchmany(BATCH):
                for position, column_values in enumerate(zip(*batch, strict=True)):
                    values[position].extend(_digest(v) if isinstance(v, bytes) else v for v in column_values)
        except sqlite3.Error as exc:
            raise TableFailed(table_reason(exc)) from None
        finally:
            self._end()
        data = {position: typed_column(column_values) for position, column_values in enumerate(values)}
        frame = pd.DataFrame(data, index=pd.RangeIndex(len(values[0]) if values else 0))
        frame.columns = pd.Index([c.name for c in columns], dtype=object)
        return frame

    def declared(self, refs: list[TableRef], named: Callable[[TableRef], str]) -> list[DeclaredKey]:
        keys = []
        for ref in refs:
            table = DIALECT.quote(ref.table)
            info = self._rows(f"PRAGMA table_info({table})")
            primary = tuple(str(r[1]) for r in sorted((r for r in info if int(r[5] or 0) > 0), key=lambda r: int(r[5])))
            if primary:
                keys.append(DeclaredKey("primary", named(ref), primary, name=None))
            for index in self._rows(f"PRAGMA index_list({table})"):
                _, index_name, unique, origin = index[0], str(index[1]), int(index[2]), str(index[3])
                if unique and origin in ("u", "c") and not int(index[4] if len(index) > 4 else 0):  # not partial
                    cols = tuple(str(r[2]) for r in self._rows(f"PRAGMA index_info({DIALECT.quote(index_name)})"))
                    if cols and all(cols):
                        keys.append(DeclaredKey("unique", named(ref), cols,
                                                name=None if index_name.startswith("sqlite_autoindex") else index_name))
            foreign: dict[int, list[tuple[Any, ...]]] = {}
            for row in self._rows(f"PRAGMA foreign_key_list({table})"):
                foreign.setdefault(int(row[0]), []).append(row)
            for rows in foreign.values():
                rows.sort(key=lambda r: int(r[1]))
                parent = str(rows[0][2])
                parent_columns = tuple(str(r[4]) for r in rows if r[4] is not None)
                if not parent_columns:  # REFERENCES parent without columns: the parent's primary key
                    parent_info = self._rows(f"PRAGMA table_info({DIALECT.quote(parent)})")
                    parent_columns = tuple(str(r[1]) for r in sorted((r for r in parent_info if int(r[5] or 0) > 0),
                                                                   key=lambda r: int(r[5])))
                keys.append(DeclaredKey("foreign", named(ref), tuple(str(r[3]) for r in rows),
                                        named(TableRef(SCHEMA, parent)), parent_columns))
        return keys

    def close(self) -> None:
        self.connection.close()


def _digest(value: bytes) -> str:
    return hashlib.md5(value, usedforsecurity=False).hexdigest()  # a blob's identity, not its bytes


def table_reason(exc: BaseException) -> str:
    message = one_line(str(exc))
    if message == "interrupted":
        return "could not be read in time (the statement timeout stopped it); audit it alone with --tables"
    return f"could not be read ({message})"


def open_file(path: Path, timeout_seconds: int, *, immutable: bool = False) -> SQLite:
    return SQLite(path, timeout_seconds, immutable=immutable)
