"""PostgreSQL through ADBC (adbc_driver_postgresql): one connection, read-only by the server's
own rules (``default_transaction_read_only``), with a statement timeout, each table counted and
streamed inside one REPEATABLE READ transaction (the counts and the rows see the same snapshot).
libpq finds the password in the URL, PGPASSWORD or ~/.pgpass."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

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
    whitespace_literal,
)
from readiness.ingest.model import PushedCounts
from readiness.models import DeclaredKey

# as typed: these arrive as themselves; every other type is cast below
PLAIN = {"int2": "plain", "int4": "plain", "int8": "plain", "oid": "plain", "bool": "plain",
         "float4": "float", "float8": "float", "text": "text", "varchar": "text", "bpchar": "text", "name": "text",
         "citext": "text"}
FINITE = ("date", "timestamp", "timestamptz")  # 'infinity' has no pandas value: missing, in the counts too
CASTS = {  # the type -> (its SQL expression, its kind)
    "numeric": ("{q}::float8", "float"),  # Arrow would get it as text; 'NaN' stays NaN (missing)
    "interval": ("extract(epoch from {q})::float8", "float"),  # seconds
    "bytea": ("md5({q})", "text"),  # the bytes' digest: distinct and missing kept, no blob in memory
    "money": ("{q}::numeric::float8", "float"),
}
FIXES = (  # what the driver says -> what to do
    ("password authentication failed", "check the user and password (in the URL, PGPASSWORD or ~/.pgpass)"),
    ("no password supplied", "give the password in PGPASSWORD or ~/.pgpass (or in the URL)"),
    ("does not exist", "check the database and user names in the URL"),
    ("could not translate host name", "check the host name in the URL"),
    ("connection refused", "check that the server runs and that the host and port in the URL are right"),
    ("no such file or directory", "check that the server runs; give host and port in the URL"),
    ("timeout", "check the host and port, and that a firewall lets the connection through"),
    ("permission denied", "the user needs CONNECT on the database (docs/databases.md lists the grants)"),
    ("ssl", "check sslmode in the URL and the server's SSL set-up"),
)


class Dialect(common.Dialect):
    def trimmed(self, expression: str) -> str:
        return f"btrim({expression}, {whitespace_literal(self)})"

    def is_nan(self, expression: str) -> str:
        return f"{expression} = 'NaN'::float8"


DIALECT = Dialect()


def with_session_options(url: str, timeout_seconds: int) -> str:
    """The URL with libpq ``options`` that make the session read-only, bounded and consistent."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    given = " ".join(value for key, value in query if key == "options")
    ours = (f"-c default_transaction_read_only=on -c statement_timeout={timeout_seconds * 1000} "
            "-c default_transaction_isolation=repeatable\\ read -c standard_conforming_strings=on")
    query = [(k, v) for k, v in query if k != "options"]
    query.append(("options", f"{given} {ours}".strip()))
    if not any(k == "application_name" for k, _ in query):
        query.append(("application_name", "readiness"))
    scheme = "postgresql"
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query, quote_via=quote), parts.fragment))


def fix_for(message: str) -> str:
    lowered = message.lower()
    return next((fix for marker, fix in FIXES if marker in lowered), "check the URL and that the server accepts it")


class PostgreSQL:
    kind = "postgresql"

    def __init__(self, url: str, timeout_seconds: int) -> None:
        try:
            from adbc_driver_postgresql import dbapi
        except ImportError as exc:
            raise ConnectionFailed("PostgreSQL needs its driver: pip install 'readiness[databases]'") from exc
        try:
            self.connection = dbapi.connect(with_session_options(url, timeout_seconds))
        except Exception as exc:  # the driver's errors: one line, the fix
            reason = one_line(str(exc))
            raise ConnectionFailed(f"cannot connect ({reason}); {fix_for(reason)}") from None

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall())
        except Exception:
            self.connection.rollback()  # an aborted transaction would fail every statement after it
            raise

    def tables(self) -> list[TableRef]:
        rows = self._rows(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
            "ORDER BY n.nspname, c.relname")
        self.connection.rollback()
        return [TableRef(str(schema), str(table)) for schema, table in rows]

    def columns(self, ref: TableRef) -> list[Column]:
        rows = self._rows(
            "SELECT a.attname, t.typname, t.typtype, t.typcategory FROM pg_attribute a "
            "JOIN pg_type t ON t.oid = a.atttypid JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            f"WHERE n.nspname = {DIALECT.literal(ref.schema)} AND c.relname = {DIALECT.literal(ref.table)} "
            "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")
        return [column_of(str(name), str(typname), str(typtype), str(category)) for name, typname, typtype, category in rows]

    def _source(self, ref: TableRef) -> str:
        return f"{DIALECT.quote(ref.schema)}.{DIALECT.quote(ref.table)}"

    def count(self, ref: TableRef, columns: list[Column]) -> PushedCounts:
        self.connection.rollback()  # a new transaction: the count and the rows share its snapshot
        try:
            rows = self._rows(count_query(DIALECT, self._source(ref), columns))
        except Exception as exc:
            self.connection.rollback()
            raise TableFailed(table_reason(exc)) from None
        return pushed_counts(rows[0], columns)

    def stream(self, ref: TableRef, columns: list[Column]) -> pd.DataFrame:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT {select_list(DIALECT, columns)} FROM {self._source(ref)}")
                table = cursor.fetch_arrow_table()
            return arrow_frame(table)
        except TableFailed:
            raise
        except Exception as exc:
            raise TableFailed(table_reason(exc)) from None
        finally:
            self.connection.rollback()

    def declared(self, refs: list[TableRef], named: Callable[[TableRef], str]) -> list[DeclaredKey]:
        wanted = {(r.schema, r.table) for r in refs}
        rows = self._rows(
            "SELECT c.contype, n.nspname, t.relname, c.conname, "
            "array_to_json(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(num, ord) "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.ord))::text, "
            "fn.nspname, ft.relname, "
            "array_to_json(ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(num, ord) "
            "JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num ORDER BY k.ord))::text "
            "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "LEFT JOIN pg_class ft ON ft.oid = c.confrelid LEFT JOIN pg_namespace fn ON fn.oid = ft.relnamespace "
            "WHERE c.contype IN ('p', 'u', 'f') ORDER BY n.nspname, t.relname, c.contype, c.conname")
        self.connection.rollback()
        kinds = {"p": "primary", "u": "unique", "f": "foreign"}
        keys = []
        for contype, schema, table, name, columns, parent_schema, parent_table, parent_columns in rows:
            if (schema, table) not in wanted:
                continue
            parent = named(TableRef(str(parent_schema), str(parent_table))) if parent_table is not None else None
            keys.append(DeclaredKey(kinds[str(contype)], named(TableRef(str(schema), str(table))),
                                    tuple(json.loads(columns or "[]")), parent,
                                    tuple(json.loads(parent_columns or "[]")) if parent else (), str(name)))
        return keys

    def close(self) -> None:
        try:
            self.connection.close()
        except Exception:  # closing a broken connection: nothing left to do
            pass


def column_of(name: str, typname: str, typtype: str, category: str) -> Column:
    """How one column is selected: as typed where Arrow and pandas take the type well, cast where not."""
    if typname in PLAIN:
        return Column(name, typname, "{q}", PLAIN[typname])
    if typname in FINITE:
        return Column(name, typname, "CASE WHEN isfinite({q}) THEN {q} END", "plain")
    if typname in CASTS:
        expression, kind = CASTS[typname]
        return Column(name, typname, expression, kind)
    if category == "A":  # arrays: their JSON text, as lists compare in files
        return Column(name, typname, "array_to_json({q})::text", "text")
    return Column(name, typname, "{q}::text", "text")  # uuid, json, jsonb, enums, time, inet, domains ...


def table_reason(exc: BaseException) -> str:
    message = one_line(str(exc))
    lowered = message.lower()
    if "permission denied" in lowered:
        return f"could not be read ({message}); GRANT SELECT on it to the audit's user"
    if "statement timeout" in lowered or "canceling statement" in lowered:
        return f"could not be read in time ({message}); audit it alone with --tables, or when the server is quiet"
    return f"could not be read ({message})"


def open_url(url: str, timeout_seconds: int) -> PostgreSQL:
    return PostgreSQL(url, timeout_seconds)
