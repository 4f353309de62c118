"""The audit history: one SQLite file per output folder, every completed audit one row.

WAL mode, ``BEGIN IMMEDIATE`` writes and a long busy timeout, so audits started at the same
moment by cron never lose a row or fail with "database is locked". The schema is versioned
(``PRAGMA user_version``) and migrated forward step by step.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from readiness.base.files import compact_json, loads_json

SCHEMA_VERSION = 2
MIGRATIONS: dict[int, list[str]] = {
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
    2: [
        "ALTER TABLE runs ADD COLUMN score_exact REAL",
        "ALTER TABLE runs ADD COLUMN label TEXT",
        "ALTER TABLE runs ADD COLUMN summaries TEXT",
        "ALTER TABLE runs ADD COLUMN score_inputs TEXT",
    ],
}
LIST_COLUMNS = ["run_id", "dataset", "started_at", "finished_at", "score", "grade", "band", "score_version",
                "tool_version", "config_hash", "run_dir"]
JSON_COLUMNS = ("dimensions", "tables", "findings", "label", "summaries", "score_inputs")


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # it keeps the distributions of columns (top categories): the owner's alone
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    connection = sqlite3.connect(path, timeout=120, isolation_level=None)
    try:
        connection.execute("PRAGMA busy_timeout = 120000")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        migrate(connection)
        yield connection
    finally:
        connection.close()


def migrate(connection: sqlite3.Connection) -> None:
    if connection.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
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


def _write(path: Path, statement: str, params: tuple[Any, ...]) -> int:
    with connect(path) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            cursor = connection.execute(statement, params)
            connection.execute("COMMIT")
            return cursor.rowcount
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def record(path: Path, result: dict[str, Any], run_dir: str, config_hash: str | None,
           summaries: dict[str, Any] | None = None, score_inputs: dict[str, Any] | None = None) -> None:
    """Insert one completed audit (a run already recorded is left as it is)."""
    tables = [{"name": t["name"], "rows": t["rows"],
               "columns": [{"name": c["name"], "type": c["type"]} for c in t["columns"]]}
              for t in result["tables"]]
    # a media dataset is kept as a table of files without columns: a folder of images has a
    # baseline too, and the next run says how many files came or went
    tables += [{"name": m["name"], "rows": m["files"], "columns": []} for m in result.get("media") or []]
    findings = [{k: f.get(k) for k in ("id", "check", "severity", "dimension", "table", "column", "count",
                                        "fraction", "waived", "message")} for f in result["findings"]]
    row = (
        result["run_id"], result["dataset"]["name"], result["started_at"], result["finished_at"],
        result["tool_version"], result["score_version"], config_hash, result["score"], result["grade"],
        result["band"], compact_json(result["dimensions"]), compact_json(tables), compact_json(findings), run_dir,
        result.get("score_exact"), compact_json(result.get("label")), compact_json(summaries or {}),
        compact_json(score_inputs) if score_inputs is not None else None,
    )
    _write(path, "INSERT OR IGNORE INTO runs (run_id, dataset, started_at, finished_at, tool_version, "
                 "score_version, config_hash, score, grade, band, dimensions, tables, findings, run_dir, "
                 "score_exact, label, summaries, score_inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
           row)


def _rows(path: Path, where: str = "", params: tuple[Any, ...] = (), full: bool = False,
          limit: int | None = None) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    columns = LIST_COLUMNS + (list(JSON_COLUMNS) + ["score_exact"] if full else [])
    query = f"SELECT {', '.join(columns)} FROM runs {where} ORDER BY finished_at DESC, run_id DESC"
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    with connect(path) as connection:
        out = []
        for values in connection.execute(query, params):
            row = dict(zip(columns, values, strict=True))
            for key in JSON_COLUMNS:
                if key in row:
                    row[key] = loads_json(row[key]) if row[key] else None
            out.append(row)
        return out


def list_runs(path: Path, dataset: str | None = None) -> list[dict[str, Any]]:
    """Runs newest first (by finish time, ties broken by run id)."""
    if dataset is None:
        return _rows(path)
    return _rows(path, "WHERE dataset = ?", (dataset,))


def latest_listed(path: Path, dataset: str, count: int) -> list[dict[str, Any]]:
    """The newest runs of a dataset as ``list_runs`` lists them (no stored documents), newest first."""
    return _rows(path, "WHERE dataset = ?", (dataset,), limit=count)


def get_run(path: Path, run_id: str) -> dict[str, Any] | None:
    rows = _rows(path, "WHERE run_id = ?", (run_id,), full=True)
    return rows[0] if rows else None


def latest_runs(path: Path, dataset: str, count: int = 2,
                before: tuple[str, str] | None = None) -> list[dict[str, Any]]:
    """The newest runs of a dataset, full rows, newest first; ``before`` excludes newer ones."""
    if before is None:
        return _rows(path, "WHERE dataset = ?", (dataset,), full=True, limit=count)
    return _rows(path, "WHERE dataset = ? AND (finished_at < ? OR (finished_at = ? AND run_id < ?))",
                 (dataset, before[0], before[0], before[1]), full=True, limit=count)


def datasets(path: Path) -> list[str]:
    if not path.exists():
        return []
    with connect(path) as connection:
        return [r[0] for r in connection.execute("SELECT DISTINCT dataset FROM runs ORDER BY dataset")]


def delete(path: Path, run_ids: list[str]) -> int:
    if not run_ids:
        return 0
    marks = ", ".join("?" for _ in run_ids)
    return _write(path, f"DELETE FROM runs WHERE run_id IN ({marks})", tuple(run_ids))


def integrity(path: Path) -> str:
    with connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
