"""Auditing a real PostgreSQL server (started by conftest.py): the same counts as the CSV export,
the schema's keys, odd types, table choice, read-only sessions, one-line connection errors, and a
password that never shows anywhere."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from readiness.ingest import database
from readiness.ingest.databases import postgresql
from readiness.settings import ReadLimits
from tests.conftest import REPO, run_audit
from tests.databases import data
from tests.databases.pgserver import Server, free_port

READER_PASSWORD = "rd-Pass-55x"  # noqa: S105 - a throw-away server's
SCRIPT = "<script>alert(1)</script>"

SETUP = f"""
CREATE SCHEMA sales;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE customers (id int PRIMARY KEY, email text UNIQUE, region text);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers(id), amount numeric(10, 2),
                     placed_at timestamptz);
CREATE TABLE sales.regions (code text, country text, PRIMARY KEY (code, country));
CREATE TABLE sales.targets (code text, country text, goal int, FOREIGN KEY (code, country) REFERENCES sales.regions);
CREATE TABLE odd (n numeric, u uuid, j json, jb jsonb, a int[], t text[], iv interval, b bytea, tz timestamptz,
                  m mood, d date, tm time, big numeric(30, 0));
CREATE TABLE secret_notes (id int, note text);
CREATE TABLE "{SCRIPT}" ("<b>x</b>" text, "y" int);
CREATE TABLE tickets ({data.TABLE_SQL});
INSERT INTO customers SELECT g, 'c' || g || '@example.com', CASE WHEN g % 3 = 0 THEN 'north' ELSE 'south' END
  FROM generate_series(1, 30) g;
INSERT INTO orders SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE 1 + g % 30 END, (g * 1.25)::numeric(10, 2),
  timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour' FROM generate_series(1, 100) g;
INSERT INTO sales.regions VALUES ('n', 'de'), ('s', 'de'), ('n', 'fr');
INSERT INTO sales.targets VALUES ('n', 'de', 5), ('s', 'de', 7), ('n', 'fr', NULL);
INSERT INTO odd VALUES
  (1.50, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{{"k": 1}}', '{{"k": [1, 2]}}', '{{1,2,3}}', '{{"x","y"}}',
   '1 day 2 hours', '\\x0102ff', '2024-03-01 12:00:00+02', 'happy', '2024-03-01', '12:30:00', 123456789012345678901234567890),
  ('NaN', NULL, 'null', NULL, NULL, NULL, NULL, NULL, 'infinity', NULL, NULL, NULL, NULL),
  (2.25, 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '[]', '"NA"', '{{}}', '{{}}', '-30 minutes', '\\x', NULL, 'sad',
   '1999-12-31', NULL, 1);
INSERT INTO secret_notes VALUES (1, 'only for admins');
INSERT INTO "{SCRIPT}" VALUES ('<img src=x onerror=alert(2)>', 1), ('b', 2);
CREATE ROLE reader LOGIN PASSWORD '{READER_PASSWORD}';
GRANT CONNECT ON DATABASE shop TO reader;
GRANT USAGE ON SCHEMA public, sales TO reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public, sales TO reader;
REVOKE SELECT ON secret_notes FROM reader;
"""


@pytest.fixture(scope="module")
def shop(postgres: Server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The ``shop`` database, the tickets frame it holds, and its CSV export."""
    postgres.psql("CREATE DATABASE shop;")
    frame = data.tickets()
    folder = tmp_path_factory.mktemp("export")
    csv_path = data.write_csv(frame, folder / "tickets.csv")
    copy = f"COPY tickets FROM STDIN WITH (FORMAT csv, HEADER true);\n{csv_path.read_text(encoding='utf-8')}\\.\n"
    postgres.psql(SETUP + copy, "shop")
    return {"url": postgres.url("shop", password=postgres.password), "frame": frame, "export": folder,
            "shown": postgres.url("shop")}


@pytest.fixture(scope="module")
def cli_audit(shop: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The whole database audited by the CLI, the password in the URL (visual profile on)."""
    out = tmp_path_factory.mktemp("out")
    done = subprocess.run([sys.executable, "-m", "readiness", "audit", shop["url"], "--out", str(out),
                           "--now", "2026-11-30"], capture_output=True, text=True, cwd=out, timeout=600,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    run_dir = next(p for p in (out / "shop").iterdir() if p.name != "latest" and p.is_dir())
    document = json.loads((run_dir / "readiness.json").read_text(encoding="utf-8"))
    return {"out": out, "run_dir": run_dir, "document": document, "stdout": done.stdout, "stderr": done.stderr}


def _table(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in document["tables"] if t["name"] == name)


def _counts(table: dict[str, Any]) -> dict[str, Any]:
    return {"rows": table["rows"], "duplicate_rows": table["duplicate_rows"],
            "columns": {c["name"]: (c["missing"], c["distinct"]) for c in table["columns"]}}


def test_names_path_and_inventory(cli_audit: dict[str, Any], shop: dict[str, Any]) -> None:
    document = cli_audit["document"]
    assert document["dataset"] == {"name": "shop", "path": shop["shown"]}
    names = {t["name"] for t in document["tables"]}
    assert {"public.customers", "public.orders", "public.odd", "public.tickets", "sales.regions",
            "sales.targets", f"public.{SCRIPT}"} <= names
    assert {f["path"]: f["status"] for f in document["files"]}["public.orders"] == "ok"
    assert {t["format"] for t in document["tables"]} == {"postgresql"}


def test_counts_equal_the_csv_export(cli_audit: dict[str, Any], shop: dict[str, Any], tmp_path: Path) -> None:
    from_file = run_audit(shop["export"], tmp_path / "out", now="2026-11-30")
    csv_counts = _counts(_table(from_file, "tickets.csv"))
    db_counts = _counts(_table(cli_audit["document"], "public.tickets"))
    assert db_counts == csv_counts
    frame = shop["frame"]
    assert db_counts["rows"] == len(frame) == data.ROWS + data.DUPLICATES
    assert db_counts["duplicate_rows"] == int(frame.duplicated().sum()) == data.DUPLICATES
    assert db_counts["columns"] == data.expected_counts(frame)
    assert db_counts["columns"]["intent"][0] >= 4  # " NA ", blank, "null", "N/A" among them


def test_pushed_counts_equal_the_frames_own(shop: dict[str, Any]) -> None:
    source = database.parse(shop["url"])
    ingested = database.ingest_url(source, database.Selection(tables=("public.tickets", "public.odd")), ReadLimits())
    assert {t.name for t in ingested.tables} == {"public.tickets", "public.odd"}
    for table in ingested.tables:
        assert table.pushed is not None and table.pushed.rows == len(table.frame)
        frame = table.frame
        assert table.pushed.missing == {c: int(frame[c].isna().sum()) for c in frame.columns}
        assert table.pushed.distinct == {c: int(frame[c].nunique()) for c in frame.columns}


def test_odd_types_become_sensible_columns(shop: dict[str, Any], cli_audit: dict[str, Any]) -> None:
    source = database.parse(shop["url"])
    frame = database.ingest_url(source, database.Selection(tables=("public.odd",)), ReadLimits()).tables[0].frame
    assert frame["n"].dtype == "float64" and frame["n"].tolist()[0] == 1.5 and pd.isna(frame["n"][1])  # NaN: missing
    assert frame["u"][0] == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
    assert frame["j"][0] == '{"k": 1}' and pd.isna(frame["j"][1])  # JSON null is the NA token "null"
    assert json.loads(frame["jb"][0]) == {"k": [1, 2]}
    assert json.loads(frame["a"][0]) == [1, 2, 3] and json.loads(frame["t"][0]) == ["x", "y"]
    assert frame["iv"].tolist()[0] == 26 * 3600 and frame["iv"].tolist()[2] == -1800
    assert frame["b"][0] == hashlib.md5(b"\x01\x02\xff").hexdigest()
    assert str(frame["tz"].dtype).startswith("datetime64") and frame["tz"][0] == pd.Timestamp("2024-03-01 10:00", tz="UTC")
    assert pd.isna(frame["tz"][1])  # 'infinity' has no pandas value: missing
    assert frame["m"].tolist()[0] == "happy"
    assert frame["big"].tolist()[0] == pytest.approx(1.2345678901234568e29)
    odd = _table(cli_audit["document"], "public.odd")
    assert {c["name"]: c["missing"] for c in odd["columns"]} == {
        "n": 1, "u": 1, "j": 1, "jb": 1, "a": 1, "t": 1, "iv": 1, "b": 1, "tz": 2, "m": 1, "d": 1, "tm": 2, "big": 1}


def test_declared_keys_are_read(shop: dict[str, Any]) -> None:
    ingested = database.ingest_url(database.parse(shop["url"]), database.Selection(exclude=("tickets",)), ReadLimits())
    keys = {(k.kind, k.table, k.columns, k.parent_table, k.parent_columns) for k in ingested.declared}
    assert ("primary", "public.customers", ("id",), None, ()) in keys
    assert ("unique", "public.customers", ("email",), None, ()) in keys
    assert ("foreign", "public.orders", ("customer_id",), "public.customers", ("id",)) in keys
    assert ("primary", "sales.regions", ("code", "country"), None, ()) in keys
    assert ("foreign", "sales.targets", ("code", "country"), "sales.regions", ("code", "country")) in keys
    assert all(k.table != "public.tickets" for k in ingested.declared)


@pytest.mark.parametrize(("options", "expected"), [
    ({"schema": "sales"}, {"sales.regions", "sales.targets"}),
    ({"tables": ["public.cust*", "regions"]}, {"public.customers", "sales.regions"}),
    ({"tables": "public.orders,sales.targets"}, {"public.orders", "sales.targets"}),
    ({"schema": ["public"], "exclude": ["public.t*", "*odd", "public.<*", "secret_notes"]},
     {"public.customers", "public.orders"}),
])
def test_schema_tables_and_exclude(shop: dict[str, Any], tmp_path: Path, options: dict[str, Any],
                                   expected: set[str]) -> None:
    document = run_audit(shop["url"], tmp_path, profile_enabled=False, **options)
    assert {t["name"] for t in document["tables"]} == expected
    assert {f["path"] for f in document["files"]} == expected


def test_a_table_that_cannot_be_read_is_one_rejection(postgres: Server, shop: dict[str, Any], tmp_path: Path) -> None:
    url = postgres.url("shop", user="reader", password=READER_PASSWORD)
    document = run_audit(url, tmp_path, profile_enabled=False, tables=["public.secret_notes", "public.customers"])
    files = {f["path"]: f for f in document["files"]}
    assert files["public.secret_notes"]["status"] == "rejected"
    reason = files["public.secret_notes"]["reason"]
    assert "permission denied" in reason and "GRANT SELECT" in reason and "\n" not in reason
    assert [t["name"] for t in document["tables"]] == ["public.customers"]
    assert _table(document, "public.customers")["rows"] == 30


def test_the_password_never_shows(cli_audit: dict[str, Any], postgres: Server) -> None:
    secret = postgres.password
    assert secret in postgres.url("shop", password=secret)
    assert secret not in cli_audit["stdout"] and secret not in cli_audit["stderr"]
    checked = 0
    for path in cli_audit["out"].rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert secret.encode() not in content, path
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        assert secret.encode() not in archive.read(member), member
            checked += 1
    assert checked > 5  # readiness.json, briefings, packet.zip, history.sqlite ...
    assert (cli_audit["out"] / "history.sqlite").is_file()


def test_script_names_are_escaped_in_the_packet(cli_audit: dict[str, Any]) -> None:
    html = (cli_audit["run_dir"] / "briefing.html").read_text(encoding="utf-8")
    assert SCRIPT not in html and "<b>x</b>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert SCRIPT in {t["name"].split(".", 1)[1] for t in cli_audit["document"]["tables"]}


def _cli(url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "readiness", "audit", url, "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120, env={**os.environ, "NO_COLOR": "1"})


@pytest.mark.parametrize(("case", "fix"), [
    ("refused", "check that the server runs"),
    ("password", "check the user and password"),
    ("database", "check the database and user names"),
])
def test_connection_errors_are_one_line(postgres: Server, tmp_path: Path, case: str, fix: str) -> None:
    secret = "Wr0ng-Secret-99"
    port = free_port() if case == "refused" else postgres.port
    db = "nosuchdb" if case == "database" else "shop"
    password = secret if case != "database" else postgres.password
    url = f"postgresql://postgres:{password}@127.0.0.1:{port}/{db}"
    done = _cli(url, tmp_path)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"Error: postgresql://postgres@127.0.0.1:{port}/{db}: cannot connect (")
    assert fix in lines[0]
    assert password not in done.stderr + done.stdout
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("readiness.json"))


def test_sessions_are_read_only(shop: dict[str, Any], postgres: Server) -> None:
    connection = postgresql.open_url(shop["url"], 30)
    try:
        with pytest.raises(Exception, match="read-only transaction"):
            connection._rows("CREATE TABLE intruder (x int)")
        connection.connection.rollback()
        assert connection._rows("SELECT current_setting('statement_timeout'), "
                                "current_setting('default_transaction_read_only')") == [("30s", "on")]
    finally:
        connection.close()
    assert postgres.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'intruder'", "shop").strip() == "0"


def test_cli_rejects_selection_options_for_a_folder(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "readiness", "audit", str(REPO / "sample_data" / "shop"),
                           "--tables", "x", "--out", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("Error: --schema, --tables and --exclude")


@pytest.mark.parametrize("where", ["PGPASSWORD", "pgpass"])
def test_password_from_the_environment_or_pgpass(postgres: Server, shop: dict[str, Any], tmp_path: Path,
                                                 where: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PGPASSWORD", "PGPASSFILE")}
    if where == "PGPASSWORD":
        env["PGPASSWORD"] = postgres.password
    else:
        pgpass = tmp_path / "pgpass"
        pgpass.write_text(f"127.0.0.1:{postgres.port}:shop:postgres:{postgres.password}\n", encoding="utf-8")
        pgpass.chmod(0o600)
        env["PGPASSFILE"] = str(pgpass)
    url = f"postgres://postgres@127.0.0.1:{postgres.port}/shop"  # postgres:// is postgresql:// too
    done = subprocess.run([sys.executable, "-m", "readiness", "audit", url, "--tables", "customers", "--no-profile",
                           "--json", "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=tmp_path,
                          timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["dataset"] == {"name": "shop", "path": url}
    assert [(t["name"], t["rows"]) for t in document["tables"]] == [("public.customers", 30)]
    assert postgres.password not in done.stdout + done.stderr
