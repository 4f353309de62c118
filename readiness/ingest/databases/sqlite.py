"""SQLite through the standard library, opened so that nothing is ever written beside the file:
``mode=ro&immutable=1`` (SQLite then creates no -wal or -shm), unless a non-empty ``-wal`` or
``-journal`` lies beside it. ``immutable=1`` would ignore those, so the counts would miss the
committed rows a -wal holds (or read a half-written file a hot -journal would roll back): then the
file and that companion are copied into a private temporary folder (mode 0700) and the copy is
read, opened normally so SQLite applies them; the folder is removed on close. A progress handler is
the statement timeout. A column may hold values of any type: its missing text values are told by
``typeof``."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

import pandas as pd

from readiness.ingest.columns import typed_column
from readiness.ingest.databases import common
from readiness.ingest.databases.common import (
    Column,
    ConnectionFailed,
    TableFailed,
    TableRef,
    count_query,
    one_line,
    pushed_counts,
    select_list,
)
from readiness.ingest.model import PushedCounts
from readiness.models import DeclaredKey

MAGIC = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-journal")  # files SQLite reads beside the database, and immutable=1 ignores
SCHEMA = "main"
BATCH = 50_000  # rows fetched at a time
CHECK_EVERY = 10_000  # SQLite virtual machine steps between two looks at the clock


class Dialect(common.Dialect):
    def is_nan(self, expression: str) -> str:
        return "0"  # SQLite stores NaN as NULL

    def is_text(self, expression: str) -> str:
        return f"typeof({expression}) = 'text'"

    def binary(self, expression: str) -> str:
        return f"{expression} COLLATE BINARY"  # a NOCASE column still counts 'a' and 'A' apart, as files do


DIALECT = Dialect()


class SQLite:
    kind = "sqlite"

    def __init__(self, path: Path, timeout_seconds: int) -> None:
        if not path.is_file():
            raise ConnectionFailed("no such file; check the path (sqlite:///relative.db or sqlite:////absolute.db)")
        try:
            with open(path, "rb") as handle:
                head = handle.read(len(MAGIC))
        except OSError as exc:
            raise ConnectionFailed(f"cannot be opened ({exc.strerror or exc}); check its permissions") from None
        if head != MAGIC:
            raise ConnectionFailed("not a SQLite database (its first bytes are not SQLite's); check the file")
        self.copied: Path | None = None  # the private folder holding the copy read, if one was needed
        try:
            companions = pending(path)
            if companions:
                self.copied, path = private_copy(path, companions)
                uri = f"file:{pathname2url(str(path))}"  # the copy, opened normally: its -wal or -journal applied
            else:
                uri = f"file:{pathname2url(str(path.resolve()))}?mode=ro&immutable=1"
            self.connection = connect(uri, applied=self.copied is not None)
        except OSError as exc:
            self._remove_copy()
            raise ConnectionFailed(f"cannot be copied to read its -wal or -journal ({exc.strerror or exc}); "
                                   "check the space in the temporary folder (TMPDIR)") from None
        except sqlite3.Error as exc:
            self._remove_copy()
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
        try:
            self.connection.close()
        finally:
            self._remove_copy()

    def _remove_copy(self) -> None:
        if self.copied is not None:
            shutil.rmtree(self.copied, ignore_errors=True)
            self.copied = None


def connect(uri: str, *, applied: bool) -> sqlite3.Connection:
    """A connection that writes nothing (``query_only``); ``applied``: the copy's -wal or -journal
    is applied now, so a failure to do so is a failure to open."""
    connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
    try:
        connection.execute("PRAGMA query_only = ON")
        if applied:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except BaseException:
        connection.close()
        raise
    return connection


def pending(path: Path) -> tuple[str, ...]:
    """The non-empty companions (``-wal``, ``-journal``) beside the file: what ``immutable=1`` would
    not see. A -wal holds committed rows not yet checkpointed into the file (a WAL-mode file without
    one holds all its data); a -journal may be a hot one, to be rolled back before reading."""
    found = []
    for suffix in COMPANIONS:
        try:
            if Path(f"{path}{suffix}").stat().st_size > 0:
                found.append(suffix)
        except OSError:  # absent (or unreadable: then the copy reports it)
            continue
    return tuple(found)


def private_copy(path: Path, companions: tuple[str, ...]) -> tuple[Path, Path]:
    """The file and its companions copied into a new folder only this user may read (mode 0700):
    (that folder, the copy). Only their bytes are copied; nothing beside the original changes."""
    folder = Path(tempfile.mkdtemp(prefix="readiness-sqlite-"))  # mkdtemp: mode 0700
    try:
        copy = folder / "database.db"
        for suffix in companions:
            shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
        shutil.copyfile(path, copy)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, copy


def _digest(value: bytes) -> str:
    return hashlib.md5(value, usedforsecurity=False).hexdigest()  # a blob's identity, not its bytes


def table_reason(exc: BaseException) -> str:
    message = one_line(str(exc))
    if message == "interrupted":
        return "could not be read in time (the statement timeout stopped it); audit it alone with --tables"
    return f"could not be read ({message})"


def open_file(path: Path, timeout_seconds: int) -> SQLite:
    return SQLite(path, timeout_seconds)
