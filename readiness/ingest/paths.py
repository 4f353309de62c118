"""What the walk learns about a path without reading it: its display name, the split its name
declares, its digest, why a link is not followed, whether a folder is hive-partitioned.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from pathlib import Path

from readiness.ingest.readers.registry import suffix_of

SPLIT_RE = re.compile(
    r"^(train|training|val|valid|validation|dev|test|holdout)(?:[_.\-].*)?$", re.IGNORECASE
)
SPLIT_KIND = {
    "train": "train", "training": "train", "val": "validation", "valid": "validation",
    "validation": "validation", "dev": "validation", "test": "test", "holdout": "test",
}
PARTITION_RE = re.compile(r"^[^=]+=[^=]*$")


def stem_of(path: Path) -> str:
    ext = suffix_of(path)
    return path.name[: -len(ext)] if ext and path.name.lower().endswith(ext) else path.stem


def split_kind(path: Path) -> str | None:
    match = SPLIT_RE.match(stem_of(path))
    return SPLIT_KIND[match.group(1).lower()] if match else None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def under(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or inside it (both real paths: no links left in them)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def link_reason(path: Path, real_root: str) -> tuple[str, str]:
    """Why a symbolic link is listed and not followed: (format, reason). Its target is looked up
    without opening it; a loop, a dangling link and a link leaving the folder each say so."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "link", "symbolic link loop; not followed"
        if exc.errno == errno.ENOENT:
            return "link", "dangling symbolic link (its target does not exist); not followed"
        return "link", f"symbolic link whose target cannot be examined ({exc.strerror}); not followed"
    if not under(os.path.realpath(path), real_root):
        return "link", "symbolic link pointing outside the folder; not followed"
    return "link", "symbolic link; the file it points to is audited under its own name"


def os_reason(what: str, exc: OSError) -> str:
    """Why an entry could not be examined, listed or read, and what to do about it."""
    if exc.errno == errno.ENAMETOOLONG:
        return f"{what}: its path is longer than the system allows; move it closer to the top of the folder"
    return f"{what} ({exc.strerror}); check its permissions"


def entries_of(directory: Path) -> list[os.DirEntry[str]]:
    """A folder's entries sorted by name (raises OSError when it cannot be listed)."""
    with os.scandir(directory) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def is_partitioned(entries: list[os.DirEntry[str]]) -> bool:
    """A hive-partitioned Parquet folder: a sub-folder (not a link) named ``key=value``."""
    return any(PARTITION_RE.match(entry.name) and entry.is_dir(follow_symlinks=False) for entry in entries)


_UNDECODED = re.compile("[\ud800-\udfff]")


def displayable(name: str) -> str:
    """A path as text that can be written anywhere: a byte of a file name that is not UTF-8
    (Python keeps it as a lone surrogate, which no UTF-8 file can hold) as ``\\xNN``."""
    return _UNDECODED.sub(lambda m: f"\\x{ord(m.group()) - 0xdc00:02x}" if 0xdc80 <= ord(m.group()) <= 0xdcff
                          else f"\\u{ord(m.group()):04x}", name)
