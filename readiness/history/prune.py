"""``readiness history prune``: keep the newest N runs of each dataset, remove the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

from readiness.history import runs
from readiness.history import store as history


def prune(out: Path, keep: int, dataset: str | None = None) -> list[str]:
    """Delete older runs' folders (internal/ included) and history rows; returns their ids."""
    db = out / "history.sqlite"
    names = [dataset] if dataset else history.datasets(db)
    removed: list[str] = []
    for name in names:
        rows = history.list_runs(db, name)
        base = out / runs.folder_name(name)
        latest = (base / "latest").resolve().name if (base / "latest").exists() else None
        doomed = [row["run_id"] for row in rows[keep:] if row["run_id"] != latest]  # never leave latest dangling
        history.delete(db, doomed)
        for run_id in doomed:
            folder = base / run_id
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder)
        removed.extend(doomed)
    return removed
