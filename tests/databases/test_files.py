"""SQLite and DuckDB: by URL (``sqlite:///FILE``, ``duckdb:///FILE``) and as files found in a dataset
folder (``shop.db:main.orders``), read-only (the folder is byte for byte and mtime for mtime the
same after the audit), with the same counts as the CSV export and the schema's declared keys."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from readiness.ingest import database
from readiness.ingest.databases import sqlite as sqlite_module
from readiness.settings import ReadLimits
from tests.conftest import run_audit
from tests.databases import data

KEYS_SQL = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT COLLATE NOCASE);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), amount REAL,
                     note TEXT, code BLOB, UNIQUE (id, code));
"""


def _sqlite(path: Path) -> Path:
    data.write_sqlite(data.tickets(), path)
    with sqlite3.connect(path) as connection:
        connection.executescript(KEYS_SQL)
        connection.executemany("INSERT INTO customers VALUES (?, ?, ?)",
                               [(i, f"c{i}@example.com", "Ann" if i % 2 else "ANN") for i in range(1, 21)])
        connection.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?)",
                               [(i, None if i % 9 == 0 else 1 + i % 20, i * 1.5 if i % 7 else None,
                                 ["NA", " ", "ok", 5][i % 4], bytes([i % 3])) for i in range(1, 61)])
    connection.close()
    return path


def _duckdb(path: Path) -> Path:
    frame = data.tickets()
    connection = duckdb.connect(str(path))
    try:
        connection.register("frame", frame)
        connection.execute("CREATE TABLE tickets AS SELECT * FROM frame")
        connection.execute("CREATE SCHEMA crm")
        connection.execute("CREATE TABLE crm.customers (id INTEGER PRIMARY KEY, email VARCHAR UNIQUE)")
        connection.execute("CREATE TABLE crm.orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES "
                           "crm.customers(id), amount DECIMAL(10, 2), tags VARCHAR[], paid_for INTERVAL, blob BLOB)")
        connection.execute("INSERT INTO crm.customers SELECT i, 'c' || i || '@example.com' FROM range(1, 11) t(i)")
        connection.execute("INSERT INTO crm.orders SELECT i, CASE WHEN i % 5 = 0 THEN NULL ELSE 1 + i % 10 END, "
                           "i * 1.25, ['a', 'b'], INTERVAL 1 HOUR, NULL FROM range(1, 41) t(i)")
    finally:
        connection.close()
    return path


def _state(folder: Path) -> dict[str, tuple[str, int]]:
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
            out[str(path.relative_to(folder))] = (digest, path.stat().st_mtime_ns)
    return out


def _counts(table: dict[str, Any]) -> dict[str, Any]:
    return {"rows": table["rows"], "duplicate_rows": table["duplicate_rows"],
            "columns": {c["name"]: (c["missing"], c["distinct"]) for c in table["columns"]}}


def _table(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in document["tables"] if t["name"] == name)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset folder: a SQLite file (no .db suffix needed), a DuckDB file and the CSV export."""
    root = tmp_path_factory.mktemp("dataset")
    _sqlite(root / "shop.db")
    (root / "warehouse").mkdir()
    _duckdb(root / "warehouse" / "store.duckdb")
    data.write_csv(data.tickets(), root / "tickets.csv")
    return root


@pytest.fixture(scope="module")
def folder_audit(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    before = _state(folder)
    document = run_audit(folder, tmp_path_factory.mktemp("out"), now="2026-11-30")
    return {"document": document, "before": before, "after": _state(folder)}


def test_folder_databases_are_read_and_never_written(folder_audit: dict[str, Any]) -> None:
    assert folder_audit["after"] == folder_audit["before"]  # no -wal, -shm or .wal; no byte or mtime changed
    assert sorted(folder_audit["after"]) == ["shop.db", "tickets.csv", "warehouse", "warehouse/store.duckdb"]
    document = folder_audit["document"]
    files = {f["path"]: f for f in document["files"]}
    assert (files["shop.db"]["format"], files["shop.db"]["status"]) == ("sqlite", "ok")
    assert (files["warehouse/store.duckdb"]["format"], files["warehouse/store.duckdb"]["status"]) == ("duckdb", "ok")
    assert set(files["shop.db"]["tables"]) == {"shop.db:main.customers", "shop.db:main.orders", "shop.db:main.tickets"}
    assert {t["name"] for t in document["tables"]} >= {
        "shop.db:main.tickets", "warehouse/store.duckdb:main.tickets", "warehouse/store.duckdb:crm.orders", "tickets.csv"}


def test_folder_databases_count_like_the_csv(folder_audit: dict[str, Any]) -> None:
    document = folder_audit["document"]
    csv_counts = _counts(_table(document, "tickets.csv"))
    assert _counts(_table(document, "shop.db:main.tickets")) == csv_counts
    assert _counts(_table(document, "warehouse/store.duckdb:main.tickets")) == csv_counts
    assert csv_counts["columns"] == data.expected_counts(data.tickets())
    orders = {c["name"]: (c["missing"], c["distinct"]) for c in _table(document, "shop.db:main.orders")["columns"]}
    assert orders["note"] == (30, 2)  # "NA" and " " are missing; "ok" and the integer 5 remain
    assert orders["code"] == (0, 3)  # blobs by their bytes


def test_folder_databases_declare_their_keys(folder: Path) -> None:
    from readiness.ingest.walk import ingest

    keys = {(k.kind, k.table, k.columns, k.parent_table, k.parent_columns) for k in ingest(folder).declared}
    assert ("primary", "shop.db:main.customers", ("id",), None, ()) in keys
    assert ("unique", "shop.db:main.customers", ("email",), None, ()) in keys
    assert ("unique", "shop.db:main.orders", ("id", "code"), None, ()) in keys
    assert ("foreign", "shop.db:main.orders", ("customer_id",), "shop.db:main.customers", ("id",)) in keys
    assert ("primary", "warehouse/store.duckdb:crm.customers", ("id",), None, ()) in keys
    assert ("foreign", "warehouse/store.duckdb:crm.orders", ("customer_id",), "warehouse/store.duckdb:crm.customers",
            ("id",)) in keys


@pytest.mark.parametrize("kind", ["sqlite", "duckdb"])
def test_a_database_file_by_url(kind: str, tmp_path: Path) -> None:
    path = _sqlite(tmp_path / "shop.db") if kind == "sqlite" else _duckdb(tmp_path / "shop.duckdb")
    before = _state(tmp_path)
    url: Any = f"{kind}:///{path}"  # readiness.audit takes a URL where it takes a path
    document = run_audit(url, tmp_path / "out", now="2026-11-30",
                         exclude=["*customers"])
    assert {k: v for k, v in _state(tmp_path).items() if not k.startswith("out")} == before
    assert document["dataset"] == {"name": "shop", "path": f"{kind}:///{path}"}
    names = {t["name"] for t in document["tables"]}
    assert names == ({"main.orders", "main.tickets"} if kind == "sqlite" else {"main.tickets", "crm.orders"})
    assert _counts(_table(document, "main.tickets"))["columns"] == data.expected_counts(data.tickets())


def test_odd_duckdb_types(tmp_path: Path) -> None:
    path = _duckdb(tmp_path / "shop.duckdb")
    read = database.ingest_url(database.parse(f"duckdb:///{path}"), database.Selection(tables=("crm.orders",)),
                               ReadLimits())
    frame = read.tables[0].frame
    assert frame["amount"].dtype == "float64" and frame["amount"].tolist()[0] == 1.25
    assert frame["tags"][0] == '["a","b"]' and frame["paid_for"].tolist()[0] == 3600.0
    assert int(frame["blob"].isna().sum()) == 40


def _cli(url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "readiness", "audit", url, "--out", str(cwd / "out")],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:///missing.db", "Error: sqlite:///missing.db: no such file; check the path"),
    ("duckdb:///missing.duckdb", "Error: duckdb:///missing.duckdb: no such file; check the path"),
    ("sqlite:///notes.txt", "Error: sqlite:///notes.txt: not a SQLite database"),
    ("duckdb:///notes.txt", "Error: duckdb:///notes.txt: not a DuckDB database"),
    ("mysql://me:Pw-1234x@localhost/shop", "Error: mysql://me@localhost/shop: MySQL "),  # needs ... / not read ...
])
def test_file_errors_are_one_line(tmp_path: Path, url: str, expected: str) -> None:
    (tmp_path / "notes.txt").write_text("not a database at all, just text\n", encoding="utf-8")
    done = _cli(url, tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(expected), done.stderr
    assert "Pw-1234x" not in done.stderr


def test_sqlite_is_opened_read_only(tmp_path: Path) -> None:
    path = _sqlite(tmp_path / "shop.db")
    connection = sqlite_module.open_file(path, 30)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
            connection.connection.execute("CREATE TABLE intruder (x)")
    finally:
        connection.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.db"]
