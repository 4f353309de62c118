"""Run folders: ids that sort in time, staging, atomic publication and the ``latest`` link."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
OWNER = ".owner"  # inside a staging folder: the pid of the audit writing it
STALE_WITHOUT_OWNER = 3600  # seconds after which an ownerless leftover is removed


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_run_id(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(2)


def folder_name(dataset_name: str) -> str:
    name = SAFE_NAME.sub("_", dataset_name).lstrip(".")
    return name or "dataset"


def write_atomic(path: Path, data: bytes | str, mode: int = 0o644) -> None:
    """Write to a temporary name beside the target, flush, fsync, then rename into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_json(path: Path, data: Any) -> None:
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


class RunFolder:
    """A run is written under a hidden staging name and appears complete or not at all."""

    def __init__(self, out: Path, dataset_name: str, run_id: str) -> None:
        self.base = out / folder_name(dataset_name)
        self.run_id = run_id
        self.staging = self.base / f".staging-{run_id}"
        self.final = self.base / run_id
        self.staging.mkdir(parents=True, exist_ok=False)
        (self.staging / OWNER).write_text(f"{os.getpid()}\n", encoding="utf-8")
        self.internal.mkdir(mode=0o700)
        os.chmod(self.internal, 0o700)

    @property
    def internal(self) -> Path:
        return self.staging / "internal"

    def publish(self, finished_at: str) -> Path:
        (self.staging / OWNER).unlink()
        os.replace(self.staging, self.final)
        self._point_latest(finished_at)
        return self.final

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def _point_latest(self, finished_at: str) -> None:
        latest = self.base / "latest"
        current = _finished_at(latest / "readiness.json") if latest.exists() else None
        if current is not None and (current, latest.resolve().name) > (finished_at, self.run_id):
            return
        link = self.base / f".latest-{self.run_id}"
        if link.is_symlink():
            link.unlink()
        os.symlink(self.run_id, link)
        os.replace(link, latest)


def _finished_at(path: Path) -> str | None:
    try:
        return str(json.loads(path.read_text(encoding="utf-8")).get("finished_at"))
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(base: Path) -> list[str]:
    """Remove what killed audits left behind; never a staging folder whose audit still runs."""
    import time

    if not base.is_dir():
        return []
    removed = []
    for entry in base.iterdir():
        if entry.name.startswith(".staging-") and entry.is_dir() and not entry.is_symlink():
            try:
                pid = int((entry / OWNER).read_text(encoding="utf-8").strip())
            except (OSError, ValueError):
                pid = None
            if pid is not None and pid != os.getpid() and _alive(pid):
                continue
            if pid is None and time.time() - entry.stat().st_mtime < STALE_WITHOUT_OWNER:
                continue  # just created, its owner file not written yet
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
        elif entry.name.startswith(".latest-") and entry.is_symlink():
            run_id = entry.name[len(".latest-"):]
            if not (base / f".staging-{run_id}").exists() and time.time() - entry.lstat().st_mtime > 60:
                entry.unlink(missing_ok=True)
                removed.append(entry.name)
        elif entry.name.startswith(".tmp-") and entry.is_file() and time.time() - entry.stat().st_mtime > 60:
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    return removed
