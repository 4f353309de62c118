"""Run folders: ids that sort in time, staging, atomic publication and the ``latest`` link."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from readiness.base.files import flush_unsynced, forget_unsynced, loads_json

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
OWNER = ".owner"  # inside a staging folder: the pid of the audit writing it
STALE_WITHOUT_OWNER = 3600  # seconds after which an ownerless leftover is removed
MAX_FOLDER = 100  # characters of a dataset folder's name (file systems allow 255 bytes)


def new_run_id(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(2)


def folder_name(dataset_name: str) -> str:
    """The dataset's folder under --out: safe characters only, never hidden, at most MAX_FOLDER
    characters (a longer name keeps its start and a hash of the whole); a name that holds personal
    data is its placeholder (names.dataset_name)."""
    from readiness.profile.names import dataset_name as shown_name

    name = SAFE_NAME.sub("_", shown_name(dataset_name)).lstrip(".")
    if len(name) > MAX_FOLDER:
        digest = hashlib.sha256(dataset_name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        name = f"{name[:MAX_FOLDER - 9]}-{digest}"
    return name or "dataset"


def check_out(out: Path) -> None:
    """Fail before any data is read when runs cannot be written under ``out``: it is a file, it
    cannot be made, or it is not writable (tried with a temporary file, which read-only mounts and
    access lists answer truly, unlike permission bits)."""
    from readiness.base.errors import UsageError

    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: this is a file, not a folder; give a folder for the runs (it is made if missing)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {out}: the folder cannot be made ({exc.strerror or type(exc).__name__}); "
                         "give a folder you can write to") from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".tmp-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UsageError(f"--out {out}: not writable ({exc.strerror or type(exc).__name__}); "
                         "give a folder you can write to") from None


class RunFolder:
    """A run is written under a hidden staging name and appears complete or not at all."""

    def __init__(self, out: Path, dataset_name: str, run_id: str) -> None:
        self.base = out / folder_name(dataset_name)
        self.run_id = run_id
        self.staging = self.base / f".staging-{run_id}"
        self.final = self.base / run_id
        self.base.mkdir(parents=True, exist_ok=True)
        # the staging folder appears with its owner file: made under a temporary name, then renamed
        # (a kill between the two leaves a .tmp- folder, which clean_stale removes after a minute)
        creating = self.base / f".tmp-{run_id}"
        creating.mkdir()
        (creating / OWNER).write_text(_owner_text(os.getpid()), encoding="utf-8")
        if self.staging.exists():
            shutil.rmtree(creating, ignore_errors=True)
            raise FileExistsError(f"{self.staging} already exists")
        os.rename(creating, self.staging)
        self.internal.mkdir(mode=0o700)
        os.chmod(self.internal, 0o700)

    @property
    def internal(self) -> Path:
        return self.staging / "internal"

    def publish(self, finished_at: str) -> Path:
        flush_unsynced(self.staging)
        os.replace(self.staging, self.final)
        (self.final / OWNER).unlink(missing_ok=True)  # after the rename: a staging folder never lacks it
        self._point_latest(finished_at)
        return self.final

    def discard(self) -> None:
        forget_unsynced(self.staging)
        shutil.rmtree(self.staging, ignore_errors=True)

    def _point_latest(self, finished_at: str) -> None:
        """Point ``latest`` here unless it points at a run that finished later. Audits publishing at
        the same moment take turns (a lock on the dataset's folder itself: no lock file is left):
        otherwise two could both read the old link and the one finishing first could win."""
        import fcntl

        fd = os.open(self.base, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._replace_latest(finished_at)
        finally:
            os.close(fd)  # and the lock with it

    def _replace_latest(self, finished_at: str) -> None:
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
        return str(loads_json(path.read_bytes()).get("finished_at"))
    except (OSError, ValueError):
        return None


def _started(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks after boot, from /proc), or None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
        return stat[stat.rindex(")") + 2:].split()[19]
    except (OSError, ValueError, IndexError):
        return None


def _owner_text(pid: int) -> str:
    started = _started(pid)
    return f"{pid} {started}\n" if started else f"{pid}\n"


def _alive(pid: int, started: str | None = None) -> bool:
    """Whether the audit that wrote an owner file still runs: its pid is alive and, where the file
    recorded it, started when that audit did (a pid reused by another process is not the audit)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if started is not None:
        now = _started(pid)
        return now is None or now == started
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
                fields = (entry / OWNER).read_text(encoding="utf-8").split()
                pid, started = int(fields[0]), (fields[1] if len(fields) > 1 else None)
            except (OSError, ValueError, IndexError):
                pid, started = None, None
            if pid is not None and pid != os.getpid() and _alive(pid, started):
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
        elif entry.name.startswith(".tmp-") and not entry.is_symlink() and time.time() - entry.lstat().st_mtime > 60:
            if entry.is_dir():  # a staging folder killed before it was renamed
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry.name)
    return removed
