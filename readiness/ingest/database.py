"""Databases as sources: a URL (``postgresql://``, ``sqlite:///FILE``, ``duckdb:///FILE``,
``mysql://``) audited like a folder whose tables are the database's, named ``schema.table``; and
the SQLite and DuckDB files a dataset folder holds, their tables named ``file.db:main.table``.

Read-only, always, and nothing is ever written beside a file: PostgreSQL sessions are read-only
transactions with a statement timeout, SQLite opens ``mode=ro&immutable=1`` (or reads a private
copy when a -wal or -journal lies beside the file: ingest/databases/sqlite.py), DuckDB
``read_only=True`` (which applies a pending .wal in memory and writes nothing). Each table is
counted by one SQL aggregate where the data is (rows, missing and distinct per column, by the
contract's counting rules), then streamed out as Arrow for the checks that need the rows.

The password (from the URL; PGPASSWORD and ~/.pgpass are libpq's) never leaves this module: the
URL shown anywhere is ``shown`` (no password), and every message is scrubbed of it and of every
piece of it. A URL whose user and password libpq would split elsewhere than we do (a raw ``@``,
``/``, ``?`` or ``#`` in the password) is refused before anything sees it: our scrubbing would
then miss what libpq echoes (``could not translate host name "secret@host"``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import pandas as pd

from readiness.base import progress
from readiness.base.errors import UsageError
from readiness.ingest.columns import normalise_frame
from readiness.ingest.databases.common import (
    Connection,
    ConnectionFailed,
    TableFailed,
    TableRef,
    one_line,
)
from readiness.ingest.limits import check_cells
from readiness.ingest.model import Ingested, Table
from readiness.models import DeclaredKey, FileEntry
from readiness.settings import ReadLimits

SCHEMES = {"postgresql": "postgresql", "postgres": "postgresql", "sqlite": "sqlite", "duckdb": "duckdb",
           "mysql": "mysql", "mysql+pymysql": "mysql", "mysql+mysqldb": "mysql", "mariadb": "mysql"}
URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
SECRET_PARAMETERS = ("password", "sslpassword")
SYSTEM_SCHEMAS = ("information_schema", "pg_catalog", "pg_toast")
NETWORK = ("postgresql", "mysql")  # the kinds whose URL holds a user and password
UNSAFE = re.compile(r"[\x00-\x1f\x7f]")  # control characters: urlsplit drops tabs and newlines, libpq keeps them
SEPARATORS = re.compile(r"[@:/?#]")
SHORT = 6  # a password shorter than this is scrubbed only where it stands alone (not inside a word)
PIECE = 3  # a shorter piece of a password would scrub ordinary words from a message
AMBIGUOUS = ("the user and password part of the URL cannot be taken apart safely (a raw @, /, ?, #, [ or "
             "control character in it); percent-encode them in the password (@ as %40, / as %2F, ? as %3F, "
             "# as %23, [ as %5B), "
             "or leave the password out of the URL (PGPASSWORD or ~/.pgpass)")


def is_url(text: str | os.PathLike[str]) -> bool:
    """A database URL (by its scheme), as opposed to a folder or file path."""
    found = URL.match(str(text))
    return bool(found) and found.group(1).lower() in SCHEMES  # type: ignore[union-attr]


@dataclass(frozen=True)
class Source:
    """A database URL taken apart. ``shown`` is the URL without its password: the only form that
    reaches readiness.json, the terminal, the history or the packet."""

    url: str = ""  # as given, password included: for the driver only
    kind: str = ""  # postgresql | sqlite | duckdb | mysql
    shown: str = ""
    name: str = ""  # the dataset name it suggests: the database's (the file's stem)
    file: Path | None = None  # SQLite and DuckDB
    secrets: tuple[str, ...] = ()  # what to scrub from every message

    def scrub(self, text: str) -> str:
        """Text with every form of the password, and of each piece of it, taken out (longest first)."""
        if self.url:
            text = text.replace(self.url, self.shown)
        forms = {form for secret in self.secrets for form in (secret, quote(secret, safe=""), quote(secret)) if form}
        for form in sorted(forms, key=len, reverse=True):
            if len(form) >= SHORT:
                text = text.replace(form, "***")
            else:  # a short password only where it stands alone: starred inside words it would show itself
                text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(form)}(?![A-Za-z0-9])", "***", text)
        return text


def parse(url: str) -> Source:
    """A database URL as a Source; a usage error for a scheme or form not understood."""
    found = URL.match(url)
    scheme = found.group(1).lower() if found else ""
    kind = SCHEMES.get(scheme)
    if kind is None:
        raise UsageError(f"{url.split('://', 1)[0]}://: not a database URL this tool reads; use postgresql://, "
                         "sqlite:///FILE, duckdb:///FILE or mysql://")
    if kind in NETWORK:
        refuse_ambiguous(url, scheme)
    try:
        parts = urlsplit(url)
    except ValueError:  # an unmatched [ or ] (an IPv6 host's brackets), in the password too
        raise UsageError(f"{scheme}://: {AMBIGUOUS}") from None
    secrets = [unquote(parts.password), *password_pieces(parts.password)] if parts.password else []
    query = parse_qsl(parts.query, keep_blank_values=True)
    secrets += [value for key, value in query if key.lower() in SECRET_PARAMETERS and value]
    for variable in ("PGPASSWORD", "MYSQL_PWD"):
        if len(os.environ.get(variable, "")) >= 4:  # shorter would scrub ordinary words
            secrets.append(os.environ[variable])
    netloc = parts.netloc.rsplit("@", 1)
    if len(netloc) == 2:
        user = netloc[0].split(":", 1)[0]
        netloc_shown = f"{user}@{netloc[1]}"
    else:
        netloc_shown = parts.netloc
    shown_query = urlencode([(k, v) for k, v in query if k.lower() not in SECRET_PARAMETERS])
    shown = urlunsplit((parts.scheme, netloc_shown, parts.path, shown_query, ""))
    if kind in ("sqlite", "duckdb"):
        raw = unquote(url[len(scheme) + 3:]).split("?", 1)[0]
        if not raw.startswith("/") or raw == "/":
            raise UsageError(f"{shown}: give the file as {scheme}:///relative/file or {scheme}:////absolute/file")
        file = Path(raw[1:])
        stem = file.name.split(".", 1)[0]
        return Source(url, kind, url.split("?", 1)[0], stem or kind, file, tuple(secrets))  # a file has no password
    database = unquote(parts.path.lstrip("/")).split("/", 1)[0]
    return Source(url, kind, shown, database or (parts.username or kind), None, tuple(secrets))


def _userinfo(rest: str) -> tuple[str | None, str | None]:
    """The URL's user-info (what precedes the host, after ``scheme://``) as libpq takes it, and as
    urlsplit does. libpq: up to the first ``@`` met before any ``/``. urlsplit: up to the last ``@``
    of the part before the first ``/``, ``?`` or ``#``. None: no user-info."""
    first = re.search(r"[@/]", rest)
    libpq = rest[:first.start()] if first and first.group() == "@" else None
    netloc = re.split(r"[/?#]", rest, maxsplit=1)[0]
    python = netloc.rpartition("@")[0] if "@" in netloc else None
    return libpq, python


def refuse_ambiguous(url: str, scheme: str) -> None:
    """A usage error, naming no part of the URL but its scheme, where libpq and we could take the user
    and password apart differently: then the part of the password one of us takes for the host would
    reach a message unscrubbed. Agreeing, the user-info holds no raw @, /, ? or #."""
    rest = url[len(scheme) + 3:]
    libpq, python = _userinfo(rest)
    before_query = re.split(r"[?#]", rest, maxsplit=1)[0]
    separators = before_query.count("@")  # an @ past the user-info: a password's with a raw / before it
    # everything before the URL's last @ could be user-info to some parser: it must hold no raw
    # separator (an @ in a query value or a database name is written %40 then, as in the password)
    widest = rest.rpartition("@")[0]
    if UNSAFE.search(url) or libpq != python or separators != (0 if python is None else 1) \
            or re.search(r"[@/?#\[\]]", widest):
        raise UsageError(f"{scheme}://: {AMBIGUOUS}")


def password_pieces(raw: str) -> list[str]:
    """The password as written in the URL and each piece of it between @ : / ? # (raw and decoded):
    what a driver that split the URL elsewhere could echo."""
    pieces = [raw, *SEPARATORS.split(raw), *SEPARATORS.split(unquote(raw))]
    return [piece for piece in dict.fromkeys(pieces) if len(piece) >= PIECE]


def patterns(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """Options given repeatedly or comma-separated, as one tuple of patterns."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    return tuple(p.strip() for value in values for p in value.split(",") if p.strip())


@dataclass(frozen=True)
class Selection:
    """Which tables an audit reads: ``schemas`` (default: every non-system schema), then ``tables``
    (default: all) minus ``exclude``; glob patterns on ``schema.table`` (a pattern without a dot
    matches the table's own name too)."""

    schemas: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def wants(self, ref: TableRef) -> bool:
        if self.schemas and not any(fnmatchcase(ref.schema, p) for p in self.schemas):
            return False
        if self.tables and not any(_matches(ref, p) for p in self.tables):
            return False
        return not any(_matches(ref, p) for p in self.exclude)

    @property
    def narrowed(self) -> bool:
        return bool(self.schemas or self.tables or self.exclude)


def _matches(ref: TableRef, pattern: str) -> bool:
    return fnmatchcase(ref.name, pattern) or ("." not in pattern and fnmatchcase(ref.table, pattern))


def _open(source: Source, limits: ReadLimits) -> Connection:
    timeout = limits.max_parse_seconds
    if source.kind == "postgresql":
        from readiness.ingest.databases import postgresql

        return postgresql.open_url(source.url, timeout)
    if source.kind == "sqlite":
        from readiness.ingest.databases import sqlite

        assert source.file is not None
        return sqlite.open_file(source.file, timeout)
    if source.kind == "duckdb":
        from readiness.ingest.databases import duckdb

        assert source.file is not None
        return duckdb.open_file(source.file, timeout)
    raise ConnectionFailed(mysql_reason())


def mysql_reason() -> str:
    """Why mysql:// is not read here: its driver is missing, or (with it) this version reads none."""
    try:
        import pymysql  # type: ignore[import-not-found]  # noqa: F401
        import sqlalchemy  # noqa: F401
    except ImportError:
        return "MySQL needs SQLAlchemy and a driver: pip install sqlalchemy pymysql"
    return ("MySQL is not read by this version; export the tables to Parquet (or dump them into SQLite or "
            "DuckDB) and audit those")


@contextmanager
def connected(source: Source, limits: ReadLimits) -> Iterator[Connection]:
    """A read-only connection; a failure to connect is a usage error naming the URL and the fix."""
    try:
        connection = _open(source, limits)
    except ConnectionFailed as exc:
        raise UsageError(f"{source.shown}: {source.scrub(str(exc))}") from None
    try:
        yield connection
    finally:
        connection.close()


def check(source: Source, limits: ReadLimits) -> None:
    """Connect and disconnect: a URL that cannot be read fails before any work."""
    with connected(source, limits):
        pass


@dataclass(frozen=True)
class Database:
    """A database an audit reads: where (the URL taken apart) and which tables."""

    source: Source
    selection: Selection


@dataclass(frozen=True)
class DatabaseRead:
    """What one database gave: its tables (as the Parquet reader's), the inventory entries of the
    tables that could not be read, and its declared keys."""

    tables: tuple[Table, ...]
    rejected: tuple[tuple[str, str], ...]  # (table name, one-line reason)
    declared: tuple[DeclaredKey, ...]


def read(connection: Connection, source: Source, selection: Selection, limits: ReadLimits, *,
         prefix: str = "", shown_as: str | None = None) -> DatabaseRead:
    """Every selected table counted in SQL and streamed out; a table that fails is one rejection."""
    def named(ref: TableRef) -> str:
        return f"{prefix}{ref.name}"

    try:
        listed = connection.tables()
    except Exception as exc:  # the catalog cannot be listed: nothing of this database can be read
        raise TableFailed(f"its tables cannot be listed ({one_line(str(exc))}); the user needs USAGE on the schemas "
                          "(docs/databases.md)") from None
    refs = [ref for ref in listed if selection.wants(ref) and ref.schema not in SYSTEM_SCHEMAS]
    tables, rejected = [], []
    if not prefix:  # a database by URL: its tables are the reading stage's work (a file's: one entry of the walk)
        progress.total(len(refs), "tables")
    for ref in refs:
        if not prefix:
            progress.advance()
        try:
            # a URL's table is its own source (the URL is the dataset's path; a host in it is no folder)
            tables.append(read_table(connection, ref, named(ref), shown_as or named(ref), limits))
        except TableFailed as exc:
            rejected.append((named(ref), source.scrub(str(exc))))
        except MemoryError:
            rejected.append((named(ref), "too large to read in memory; audit it alone with --tables"))
        except Exception as exc:  # a driver's error on one table rejects that table, never the audit
            rejected.append((named(ref), source.scrub(f"could not be read ({one_line(str(exc))})")))
    try:
        declared = tuple(connection.declared(refs, named))
    except Exception:  # a catalog the user may not read: the keys are then the data's alone
        declared = ()
    return DatabaseRead(tuple(tables), tuple(rejected), declared)


def read_table(connection: Connection, ref: TableRef, name: str, shown: str, limits: ReadLimits) -> Table:
    columns = connection.columns(ref)
    if len(columns) > limits.max_columns:
        raise TableFailed(f"{len(columns):,} columns, above the {limits.max_columns:,} limit; raise [limits] max_columns")
    counts = connection.count(ref, columns)
    try:
        check_cells(counts.rows, len(columns), limits.max_cells)
    except Exception as exc:  # the limit's own message says what to do
        raise TableFailed(str(exc)) from None
    frame = connection.stream(ref, columns) if columns else pd.DataFrame(index=pd.RangeIndex(counts.rows))
    return Table(name, shown, connection.kind, normalise_frame(frame), pushed=counts)


def ingest_url(source: Source, selection: Selection, limits: ReadLimits) -> Ingested:
    """A database URL as the walk's result: one inventory entry per table (ok or rejected)."""
    with connected(source, limits) as connection:
        try:
            found = read(connection, source, selection, limits)
        except TableFailed as exc:
            raise UsageError(f"{source.shown}: {source.scrub(str(exc))}") from None
        if not found.tables and not found.rejected and selection.narrowed:
            raise UsageError(f"{source.shown}: no table matches --schema, --tables and --exclude; "
                             "patterns are globs on schema.table (e.g. public.orders, 'sales.*')")
    files = [FileEntry(t.name, connection.kind, 0, None, "ok", None, None, (t.name,)) for t in found.tables]
    files += [FileEntry(name, connection.kind, 0, None, "rejected", reason) for name, reason in found.rejected]
    files.sort(key=lambda entry: entry.path)
    return Ingested(source.shown, tuple(files), found.tables, (), found.declared)


def read_file(path: Path, rel: str, kind: str, limits: ReadLimits) -> DatabaseRead:
    """A SQLite or DuckDB file found in a dataset folder: every table, named ``rel:schema.table``.
    Opened so that nothing is written beside it (SQLite ``immutable=1`` or a private copy; DuckDB
    read-only), by the same rules as a URL's file.
    A file that cannot be opened raises TableFailed with the reason."""
    source = Source(kind=kind, shown=rel, name=rel, file=path)
    try:
        connection = _open(source, limits)
    except ConnectionFailed as exc:
        raise TableFailed(str(exc)) from None
    try:
        return read(connection, source, Selection(), limits, prefix=f"{rel}:", shown_as=rel)
    finally:
        connection.close()
