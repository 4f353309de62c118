"""What the database kinds share: a column as the audit selects it (a SQL expression and how its
missing values are told), the ONE aggregate query that counts a table by the contract's counting
rules, and the Arrow table turned into the frame the Parquet reader makes ("as typed")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from readiness.base.fastre import PY_WHITESPACE
from readiness.ingest.columns import NA_TOKENS, TEXT
from readiness.ingest.model import PushedCounts
from readiness.models import DeclaredKey

# text: NULL, blank or whitespace-only, or one of pandas' NA tokens once stripped as str.strip strips
TOKEN_LIST = sorted(NA_TOKENS)


class ConnectionFailed(Exception):
    """The database cannot be opened; the message says why and how to fix it (no password in it)."""


class TableFailed(Exception):
    """One table cannot be read; its message is the table's one-line rejection reason."""


@dataclass(frozen=True)
class Column:
    """A column as the audit reads it. ``expression``: the SQL that selects it (``{q}`` is the quoted
    column), so a type Arrow or pandas handles poorly arrives as a sensible one (numeric as float,
    uuid and json as text...); ``kind``: how its missing values are told: ``text`` (NULL, blank, an
    NA token), ``float`` (NULL or NaN), ``any`` (NULL; SQLite: text too, its columns hold any type),
    ``plain`` (NULL)."""

    name: str
    type: str
    expression: str
    kind: str


@dataclass(frozen=True)
class TableRef:
    schema: str
    table: str

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}"


class Dialect:
    """The SQL the count query is written in: standard SQL here; each database overrides what differs."""

    def quote(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def literal(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def trimmed(self, expression: str) -> str:
        return f"trim({expression}, {whitespace_literal(self)})"

    def is_nan(self, expression: str) -> str:
        return f"isnan({expression})"

    def is_text(self, expression: str) -> str:
        return "TRUE"  # a typed column holds one type

    def binary(self, expression: str) -> str:
        return expression


class Connection(Protocol):
    """What ingest/database.py asks of a database kind (each module's ``open`` returns one)."""

    kind: str

    def tables(self) -> list[TableRef]: ...
    def columns(self, ref: TableRef) -> list[Column]: ...
    def count(self, ref: TableRef, columns: list[Column]) -> PushedCounts: ...
    def stream(self, ref: TableRef, columns: list[Column]) -> pd.DataFrame: ...
    def declared(self, refs: list[TableRef], named: Callable[[TableRef], str]) -> list[DeclaredKey]: ...
    def close(self) -> None: ...


def missing_condition(dialect: Dialect, column: Column, alias: str) -> str:
    """SQL true when the selected value counts as missing (the contract's counting rules)."""
    tokens = ", ".join(dialect.literal(token) for token in TOKEN_LIST)
    if column.kind == "text":
        return f"({alias} IS NULL OR {dialect.trimmed(alias)} IN ({tokens}))"
    if column.kind == "float":
        return f"({alias} IS NULL OR {dialect.is_nan(alias)})"
    if column.kind == "any":
        return f"({alias} IS NULL OR ({dialect.is_text(alias)} AND {dialect.trimmed(alias)} IN ({tokens})))"
    return f"({alias} IS NULL)"


def select_list(dialect: Dialect, columns: Sequence[Column], aliased: bool = False) -> str:
    parts = []
    for position, column in enumerate(columns):
        expression = column.expression.format(q=dialect.quote(column.name))
        parts.append(f"{expression} AS {dialect.quote(f'c{position}') if aliased else dialect.quote(column.name)}")
    return ", ".join(parts) if parts else "1 AS " + dialect.quote("_")


def count_query(dialect: Dialect, source: str, columns: Sequence[Column]) -> str:
    """ONE aggregate query: the rows, and per column the missing values and the distinct present ones."""
    parts = ["COUNT(*)"]
    for position, column in enumerate(columns):
        alias = dialect.quote(f"c{position}")
        missing = missing_condition(dialect, column, alias)
        parts.append(f"SUM(CASE WHEN {missing} THEN 1 ELSE 0 END)")
        parts.append(f"COUNT(DISTINCT CASE WHEN {missing} THEN NULL ELSE {dialect.binary(alias)} END)")
    return f"SELECT {', '.join(parts)} FROM (SELECT {select_list(dialect, columns, aliased=True)} FROM {source}) AS s"


def pushed_counts(row: Sequence[Any], columns: Sequence[Column]) -> PushedCounts:
    values = [int(v or 0) for v in row]
    missing = {c.name: values[1 + 2 * i] for i, c in enumerate(columns)}
    distinct = {c.name: values[2 + 2 * i] for i, c in enumerate(columns)}
    return PushedCounts(values[0], missing, distinct)


def arrow_frame(table: Any) -> pd.DataFrame:
    """An Arrow table as the Parquet reader's frame: integers as Int64, booleans as boolean, text
    kept in Arrow (no Python object per value)."""
    import pyarrow as pa

    def mapper(arrow_type: Any) -> Any:
        if pa.types.is_integer(arrow_type):
            return pd.Int64Dtype()
        if pa.types.is_boolean(arrow_type):
            return pd.BooleanDtype()
        if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
            return TEXT
        return None

    if isinstance(table, pa.RecordBatchReader):
        table = table.read_all()
    plain = pa.schema([field.remove_metadata() for field in table.schema])
    frame = table.cast(plain).to_pandas(types_mapper=mapper, split_blocks=True, self_destruct=True)
    frame.columns = pd.Index([str(c) for c in frame.columns], dtype=object)
    return frame


def whitespace_literal(dialect: Dialect) -> str:
    """The characters Python's str.strip strips, as a SQL string literal (for trim)."""
    return dialect.literal(PY_WHITESPACE)


def one_line(text: str) -> str:
    """A driver's message as one line (its first), without the driver's prefixes."""
    first = next((line.strip() for line in str(text).splitlines() if line.strip()), "unknown error")
    for prefix in ("IO: ", "INVALID_ARGUMENT: ", "INTERNAL: ", "[libpq] ", "UNKNOWN: "):
        while first.startswith(prefix):
            first = first[len(prefix):]
    return first[:300]
