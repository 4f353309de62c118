"""The per-file cache of media facts: a re-audit decodes only the files that changed.

A file's facts (and its SHA-256) are kept under its dataset, its path, its size, its
modification time and its change time (ctime: the system sets it on every write, copy, restore or
rename, and no tool can set it back, so a file replaced by one of the same size and a copied
modification time is decoded again), and the version of the facts (FACTS_VERSION, plus the settings the facts depend on).
They live in the history's SQLite file (``<out>/history.sqlite``, table ``media_files``), beside the
runs they served: the facts are numbers, hashes and kinds, never pixels or text. A cache that
cannot be read or written is no error: the files are decoded again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from readiness.ingest.model import MediaFile
from readiness.media.model import Examined

FACTS_VERSION = 3  # raise it whenever an examiner computes a fact differently

SCHEMA = """CREATE TABLE IF NOT EXISTS media_files (
    dataset TEXT NOT NULL, path TEXT NOT NULL, bytes INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, version TEXT NOT NULL, facts TEXT NOT NULL,
    PRIMARY KEY (dataset, path))"""


def _connect(db: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(db, timeout=30)
    connection.execute(SCHEMA)
    return connection


def load(db: Path | None, dataset: str, files: Sequence[MediaFile], version: str) -> dict[str, Examined]:
    """The cached facts of the files that are unchanged since they were cached, by path."""
    if db is None or not db.exists() or not files:
        return {}
    wanted = {f.path: f for f in files}
    found: dict[str, Examined] = {}
    try:
        with _connect(db) as connection:
            rows = connection.execute(
                "SELECT path, bytes, mtime_ns, ctime_ns, version, facts FROM media_files WHERE dataset = ?", (dataset,))
            for path, size, mtime_ns, ctime_ns, kept_version, facts in rows:
                file = wanted.get(path)
                if file is None or (size, mtime_ns, ctime_ns, kept_version) != (file.bytes, file.mtime_ns,
                                                                                 file.ctime_ns, version):
                    continue
                examined = Examined.from_json(json.loads(facts))
                # the file as met now (its kind, format and extension), with the digest kept with its facts
                found[path] = replace(examined, file=replace(file, sha256=examined.file.sha256))
    except (sqlite3.Error, OSError, ValueError, KeyError, TypeError):
        return {}
    return found


def store(db: Path | None, dataset: str, examined: Iterable[Examined], version: str) -> None:
    """Keep the facts of freshly decoded files (a file that was skipped for a missing extra is not
    kept: installing the extra must take effect at the next audit)."""
    rows = [(dataset, e.file.path, e.file.bytes, e.file.mtime_ns, e.file.ctime_ns, version, json.dumps(e.as_json()))
            for e in examined if e.status != "skipped"]
    if db is None or not rows:
        return
    try:
        with _connect(db) as connection:
            connection.executemany("INSERT OR REPLACE INTO media_files VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    except (sqlite3.Error, OSError):
        return


def prune(db: Path | None, dataset: str, keep: Iterable[str]) -> None:
    """Forget the files of a dataset that are gone from it."""
    if db is None or not db.exists():
        return
    kept = set(keep)
    try:
        with _connect(db) as connection:
            gone = [(dataset, path) for (path,) in connection.execute(
                "SELECT path FROM media_files WHERE dataset = ?", (dataset,)) if path not in kept]
            connection.executemany("DELETE FROM media_files WHERE dataset = ? AND path = ?", gone)
    except (sqlite3.Error, OSError):
        return
