"""A database file whose last commits are still in its write-ahead log (SQLite's ``-wal``, DuckDB's
``.wal``) or behind a hot ``-journal``: counted with them, by URL and inside a folder alike, and
nothing beside the file is created or changed (byte, mtime, the list of files)."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from readiness.ingest.databases import sqlite as sqlite_module
from tests.conftest import run_audit

# a writer that commits and then dies without closing: its -wal (and -shm) stay beside the file
SQLITE_WRITER = """
import os, sqlite3, sys
path, checkpointed, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = sqlite3.connect(path, isolation_level=None)
c.execute(f"PRAGMA journal_mode={mode}")
c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("CREATE TABLE t (x INTEGER, label TEXT)")
c.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"first {i}") for i in range(checkpointed)])
if mode == "WAL" and checkpointed:  # 0: nothing checkpointed, the table itself only in the -wal
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute("BEGIN")
c.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"later {i}") for i in range(400)])
c.execute("COMMIT")
if sys.argv[4] == "die":
    os._exit(0)
c.close()
"""

# a writer that dies inside a transaction after its changes spilled into the file: a hot -journal
SQLITE_HOT_JOURNAL = """
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode=DELETE")
c.execute("PRAGMA cache_size=1")
c.execute("CREATE TABLE t (x INTEGER, label TEXT)")
c.executemany("INSERT INTO t VALUES (?, ?)", [(i, "kept " + "k" * 200) for i in range(300)])
c.execute("BEGIN")
c.executemany("INSERT INTO t VALUES (?, ?)", [(i, "lost " + "x" * 200) for i in range(3000)])
c.execute("DELETE FROM t WHERE x < 100")
os._exit(0)
"""

DUCKDB_WRITER = """
import os, sys, duckdb
c = duckdb.connect(sys.argv[1])
c.execute("SET checkpoint_threshold = '1TB'")
c.execute("PRAGMA disable_checkpoint_on_shutdown")
c.execute("CREATE TABLE t AS SELECT range AS x FROM range(100)")
if sys.argv[2] == "1":
    c.execute("CHECKPOINT")
c.execute("INSERT INTO t SELECT range FROM range(400)")
os._exit(0)
"""


def _write(script: str, *args: str) -> None:
    subprocess.run([sys.executable, "-c", script, *args], check=True, timeout=120)


def _state(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under the folder with its digest and mtime (the list of names included)."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            out[str(path.relative_to(folder))] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return out


def _rows(document: dict[str, Any]) -> dict[str, int]:
    return {t["name"]: t["rows"] for t in document["tables"]}


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the copies go to, so the test can see it emptied after."""
    folder = tmp_path / "private-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _audit_both(data: Path, name: str, kind: str, tmp_path: Path, rows: int) -> None:
    """The folder audit and the URL audit each count ``rows`` rows; neither changes the folder."""
    before = _state(data)
    assert _rows(run_audit(data, tmp_path / "out-folder", now="2026-11-30")) == {f"{name}:main.t": rows}
    assert _state(data) == before
    url: Any = f"{kind}:///{data / name}"  # readiness.audit takes a URL where it takes a path
    assert _rows(run_audit(url, tmp_path / "out-url", now="2026-11-30")) == {"main.t": rows}
    assert _state(data) == before


@pytest.mark.parametrize("checkpointed", [100, 0])
def test_sqlite_wal_is_counted_and_nothing_is_written(tmp_path: Path, private_tmp: Path, checkpointed: int) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _write(SQLITE_WRITER, str(data / "shop.db"), str(checkpointed), "WAL", "die")
    assert {"shop.db", "shop.db-wal"} <= set(_state(data))  # the writer's -wal is there, not yet checkpointed
    assert (data / "shop.db").read_bytes()[18:20] == b"\x02\x02"  # WAL mode by the header
    _audit_both(data, "shop.db", "sqlite", tmp_path, checkpointed + 400)
    assert list(private_tmp.iterdir()) == []  # the private copies are removed


def test_sqlite_wal_file_without_a_wal_leaves_nothing_beside_it(tmp_path: Path, private_tmp: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _write(SQLITE_WRITER, str(data / "shop.db"), "100", "WAL", "close")  # a clean close: no -wal left
    assert sorted(_state(data)) == ["shop.db"]
    assert (data / "shop.db").read_bytes()[18:20] == b"\x02\x02"
    _audit_both(data, "shop.db", "sqlite", tmp_path, 500)
    assert sorted(_state(data)) == ["shop.db"]  # no -wal, no -shm
    assert list(private_tmp.iterdir()) == []  # read in place (immutable), not copied


def test_sqlite_hot_journal_is_rolled_back_in_the_copy(tmp_path: Path, private_tmp: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _write(SQLITE_HOT_JOURNAL, str(data / "shop.db"))
    assert (data / "shop.db-journal").stat().st_size > 0
    _audit_both(data, "shop.db", "sqlite", tmp_path, 300)  # the open transaction undone


def test_sqlite_copy_is_private_and_removed(tmp_path: Path, private_tmp: Path) -> None:
    _write(SQLITE_WRITER, str(tmp_path / "shop.db"), "100", "WAL", "die")
    connection = sqlite_module.open_file(tmp_path / "shop.db", 30)
    try:
        assert connection.copied is not None and connection.copied.parent == private_tmp
        assert stat.S_IMODE(connection.copied.stat().st_mode) == 0o700
        assert connection._rows("SELECT count(*) FROM t") == [(500,)]
    finally:
        connection.close()
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("checkpointed", ["1", "0"])
def test_duckdb_pending_wal_is_counted_and_nothing_is_written(tmp_path: Path, checkpointed: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _write(DUCKDB_WRITER, str(data / "shop.duckdb"), checkpointed)
    assert (data / "shop.duckdb.wal").stat().st_size > 0
    _audit_both(data, "shop.duckdb", "duckdb", tmp_path, 500)
