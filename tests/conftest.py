"""Shared fixtures: tiny dataset folders in tmp_path and an audit helper that checks the schema."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import readiness
from readiness.report.document import validate_document

REPO = Path(__file__).resolve().parent.parent
PROGRESS_LINE = re.compile(r"^readiness: +\d+\.\ds  ")  # a stage line outside a terminal (readiness/cli/display.py)
SAMPLES = REPO / "sample_data"

# The suite runs the default path (visual profile on) even from a shell that switched it off;
# a unit-style test that audits many times passes profile_enabled=False itself.
os.environ.pop("READINESS_NO_PROFILE", None)


def run_audit(path: Path, out: Path, **options: Any) -> dict[str, Any]:
    """Audit, validate the written readiness.json against the schema, return it."""
    result = readiness.audit(path, out=out, **options)
    written = json.loads((result.run_dir / "readiness.json").read_text(encoding="utf-8"))
    validate_document(written)
    assert written == json.loads(json.dumps(result.result))
    return written


def finding(document: dict[str, Any], finding_id: str) -> dict[str, Any]:
    matches = [f for f in document["findings"] if f["id"] == finding_id]
    assert matches, f"no finding {finding_id}; have {[f['id'] for f in document['findings']]}"
    return matches[0]


def column(document: dict[str, Any], table: str, name: str) -> dict[str, Any]:
    tables = [t for t in document["tables"] if t["name"] == table]
    assert tables, f"no table {table}"
    return next(c for c in tables[0]["columns"] if c["name"] == name)


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every entry under a folder with its size, mode and mtime, to prove nothing was written there."""
    state = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            info = path.lstat()
            state[str(path.relative_to(folder))] = (info.st_size, info.st_mode, str(info.st_mtime_ns))
    return state


def without_progress(stderr: str) -> str:
    """stderr without the per-stage progress lines an audit writes outside a terminal."""
    return "".join(line + "\n" for line in stderr.splitlines() if not PROGRESS_LINE.match(line))
