"""Files written whole or not at all, and the JSON text they hold: atomic writes, one flush for
many files, and orjson's speed with json's layout."""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from datetime import UTC, datetime
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

import orjson

JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")  # json.dumps escapes C0 itself


def json_text(text: str) -> str:
    """JSON text with the invisible characters JSON leaves raw (DEL, C1, bidi) as ``\\u`` escapes:
    the same document when parsed, and nothing that reorders a terminal's line when printed."""
    return JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_UNSYNCED: set[Path] = set()  # folders holding files written with durable=False, not yet flushed
_UNSYNCED_LOCK = threading.Lock()


def write_atomic(path: Path, data: bytes | str, mode: int = 0o644, durable: bool = True) -> None:
    """Write to a temporary name beside the target, flush, fsync, then rename into place.

    ``durable=False`` (one file of many inside a staging folder): written in place, without a
    temporary name or an fsync of its own; the folder is flushed once, and appears whole, when it
    is published (RunFolder.publish)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not durable:  # the staging folder is what appears atomically: no temporary name of its own
        with _UNSYNCED_LOCK:
            _UNSYNCED.add(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(raw)
        return
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


def write_json(path: Path, data: Any, durable: bool = True) -> None:
    write_atomic(path, json_text(dumps_indented(data)) + "\n", durable=durable)


def dumps_suite(suite: Any) -> str:
    """A GX suite as JSON text, one compact expectation a line (a folder of thousands of tables
    writes thousands of suites, three times), its other keys as ``dumps_indented``."""
    if not isinstance(suite, dict) or not isinstance(suite.get("expectations"), list) or not suite["expectations"]:
        return dumps_indented(suite)
    parts = []
    for key, value in suite.items():
        name = json.dumps(str(key), ensure_ascii=False)
        if key == "expectations":
            lines = ",\n".join("    " + compact_json(item) for item in value)
            parts.append(f"  {name}: [\n{lines}\n  ]")
        else:
            parts.append(f"  {name}: " + dumps_indented(value).replace("\n", "\n  "))
    return "{\n" + ",\n".join(parts) + "\n}"


def compact_json(value: Any) -> str:
    """One line of JSON: orjson's, or json's where orjson refuses the value."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    except (TypeError, ValueError):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads_json(text: str | bytes) -> Any:
    """json.loads, by orjson where it can (json reads what orjson refuses: NaN, a lone surrogate)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def copy_json(data: Any) -> Any:
    """A deep copy through JSON (tuples become lists, keys text): what the shared documents are
    built from before names are replaced."""
    try:
        return orjson.loads(orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS))
    except (TypeError, ValueError):
        return json.loads(json.dumps(data))


def write_suite(path: Path, suite: Any, durable: bool = True) -> None:
    write_atomic(path, json_text(dumps_suite(suite)) + "\n", durable=durable)


class _Unsupported(Exception):
    pass


def dumps_indented(data: Any) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)``'s layout, written by orjson (about ten
    times as fast: a folder of 10,000 tables has a 40 MB readiness.json, written twice). Numbers
    take orjson's shortest form (``1e16``, not ``1e+16``) and NaN or infinity, which JSON has
    not, is null. What orjson refuses (an integer past 64 bits, a lone surrogate) is written by
    this module's encoder, json's own text; a type neither knows raises json's TypeError."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8")
    except (TypeError, ValueError):
        pass
    chunks: list[str] = []
    try:
        _encode(data, "\n", chunks)
    except (_Unsupported, RecursionError):
        return json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(chunks)


def _float(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return "null"  # as orjson writes them: JSON has no NaN
    return float.__repr__(value)


def _encode(value: Any, newline: str, out: list[str]) -> None:
    """json's encoder with indent=2, separators (",", ": "), its order of type checks and its keys."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        out.append("[")
        separator = inner
        for item in value:
            out.append(separator)
            separator = "," + inner
            _encode(item, inner, out)
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        out.append("{")
        separator = inner
        for key, item in value.items():
            if isinstance(key, str):
                pass
            elif isinstance(key, float):
                key = _float(key)
            elif key is True:
                key = "true"
            elif key is False:
                key = "false"
            elif key is None:
                key = "null"
            elif isinstance(key, int):
                key = int.__repr__(key)
            else:
                raise _Unsupported
            out.append(separator + encode_basestring(key) + ": ")
            separator = "," + inner
            _encode(item, inner, out)
        out.append(newline + "}")
    else:
        raise _Unsupported


def _sync_filesystem(folder: Path) -> None:
    """Flush the file system holding ``folder`` (Linux syncfs: one call for any number of files),
    or everything (os.sync) where syncfs is not available."""
    import ctypes

    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        os.sync()
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def forget_unsynced(root: Path) -> None:
    """Drop the files under ``root`` from the pending flush: their folder is being deleted."""
    with _UNSYNCED_LOCK:
        _UNSYNCED.difference_update([p for p in _UNSYNCED if p.is_relative_to(root)])


def flush_unsynced(root: Path) -> None:
    """Make durable, in one flush, the files written under ``root`` with durable=False, and the
    folders that list them."""
    with _UNSYNCED_LOCK:
        pending = [p for p in _UNSYNCED if p.is_relative_to(root)]
        _UNSYNCED.difference_update(pending)
    if not pending:
        return
    _sync_filesystem(root)
    for folder in pending:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
