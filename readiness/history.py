"""The audit history: one SQLite file per output folder, every completed audit one row."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
MIGRATIONS = {
    1: [
        """CREATE TABLE IF NOT EXISTS runs (
            run_id TEXT PRIMARY KEY,
            dataset TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            score_version TEXT NOT NULL,
            config_hash TEXT,
            score REAL NOT NULL,
            grade TEXT NOT NULL,
            band TEXT NOT NULL,
            dimensions TEXT NOT NULL,
            tables TEXT NOT NULL,
            findings TEXT NOT NULL,
            run_dir TEXT
        )""",
        "CREATE INDEX IF NOT EXISTS runs_by_dataset ON runs (dataset, finished_at, run_id)",
    ],
}


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        connection.execute("PRAGMA busy_timeout = 60000")
        connection.execute("PRAGMA journal_mode = WAL")
        _migrate(connection)
        yield connection
    finally:
        connection.close()


def _migrate(connection: sqlite3.Connection) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step]:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def record(path: Path, result: dict[str, Any], run_dir: str, config_hash: str | None) -> None:
    row = (
        result["run_id"], result["dataset"]["name"], result["started_at"], result["finished_at"],
        result["tool_version"], result["score_version"], config_hash, result["score"], result["grade"],
        result["band"], json.dumps(result["dimensions"]),
        json.dumps([{"name": t["name"], "rows": t["rows"],
                     "columns": [{"name": c["name"], "type": c["type"]} for c in t["columns"]]}
                    for t in result["tables"]]),
        json.dumps([{k: f[k] for k in ("id", "check", "severity", "count", "waived")} for f in result["findings"]]),
        run_dir,
    )
    with connect(path) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def list_runs(path: Path, dataset: str | None = None) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with connect(path) as connection:
        query = ("SELECT run_id, dataset, started_at, finished_at, score, grade, band, score_version, run_dir "
                 "FROM runs")
        params: tuple[Any, ...] = ()
        if dataset is not None:
            query += " WHERE dataset = ?"
            params = (dataset,)
        query += " ORDER BY finished_at DESC, run_id DESC"
        columns = ["run_id", "dataset", "started_at", "finished_at", "score", "grade", "band", "score_version", "run_dir"]
        return [dict(zip(columns, row, strict=True)) for row in connection.execute(query, params)]
