"""Parsing in a child process: a parser that crashes, hangs or eats memory rejects one file.

Parquet (Arrow) and Excel (openpyxl) parse in a forked child. The parent watches the child's
resident memory (an address-space cap would break Arrow and numba, which reserve large virtual
ranges) and its running time, kills it past either limit, and reads the result the child wrote
to a private temporary file. On platforms without ``fork`` the parse runs in-process, with a
warning, since the safety net is Linux and macOS only.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class SandboxError(Exception):
    """The child failed; the message is a rejection reason a person can act on."""


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 4 * 1024**3
    seconds: float = 300.0
    result_bytes: int = 4 * 1024**3  # the parsed result the parent takes over (the parent is bounded too)


# where a parser says it failed: "line 3", "row #7", "column 2", "expected 3 fields ... saw 4"
_PLACE_RE = re.compile(r"\b(line|row|column|col|field|offset|position|byte|sheet)\s*#?\s*(\d+)", re.IGNORECASE)
_COUNT_RE = re.compile(r"\b(expected|saw|got)\s+(\d+)\s*(fields|columns)?", re.IGNORECASE)


def error_summary(exc: BaseException) -> str:
    """An exception as its kind and the places its message names (line, row, column numbers and
    field counts), never its text: parsers quote the offending row or value in their messages."""
    text = str(exc)
    parts = [f"{word.lower()} {number}" for word, number in _PLACE_RE.findall(text)]
    parts += [f"{word.lower()} {number}{' ' + unit.lower() if unit else ''}" for word, number, unit in _COUNT_RE.findall(text)]
    unique = list(dict.fromkeys(parts))[:6]
    return type(exc).__name__ + (f" at {', '.join(unique)}" if unique else "")


@dataclass(frozen=True)
class ChildReport:
    peak_rss_bytes: int
    seconds: float


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return 0
    return 0


def _child(function: Callable[..., Any], args: tuple[Any, ...], result_path: str) -> None:
    try:
        value = ("ok", function(*args))
    except BaseException as exc:  # report every failure to the parent, whatever it is
        if type(exc).__name__ == "RejectedFile":  # our own words, built without the file's content
            reason = str(exc)
        else:
            reason = f"the parser failed ({error_summary(exc)}); the file is probably corrupt: re-export it"
        value = ("error", reason)
    with open(result_path, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os._exit(0)


LAST_REPORT: dict[str, ChildReport] = {}


DEFAULT = Limits()


def run(function: Callable[..., Any], *args: Any, limits: Limits = DEFAULT, label: str = "") -> Any:
    """Run ``function(*args)`` in a forked child within the limits; return its result."""
    if "fork" not in multiprocessing.get_all_start_methods() or not sys.platform.startswith(("linux", "darwin")):
        warnings.warn("parsing in a child process needs fork (Linux, macOS); parsing in-process", stacklevel=2)
        return function(*args)
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="readiness-child-") as folder:
        os.chmod(folder, 0o700)
        result_path = os.path.join(folder, "result.pickle")
        process = context.Process(target=_child, args=(function, args, result_path), daemon=True)
        started = time.monotonic()
        process.start()
        peak = 0
        reason = None
        assert process.pid is not None
        while process.is_alive():
            peak = max(peak, _rss_bytes(process.pid))
            if peak > limits.memory_bytes:
                reason = (f"parsing it needed more than {limits.memory_bytes // 1024**2:,} MB of memory; split the "
                          "file or raise [limits] max_memory_mb")
            elif time.monotonic() - started > limits.seconds:
                reason = (f"parsing it took longer than {limits.seconds:g} s; split the file or raise "
                          "[limits] max_parse_seconds")
            if reason:
                process.kill()
                process.join()
                break
            process.join(timeout=0.02)
        LAST_REPORT[label] = ChildReport(peak, time.monotonic() - started)
        if reason:
            raise SandboxError(reason)
        if process.exitcode not in (0, None) or not os.path.exists(result_path):
            raise SandboxError(f"the parser crashed (exit code {process.exitcode}); the file is probably "
                               "corrupt: re-export it")
        held = os.path.getsize(result_path)
        if held > limits.result_bytes:  # refused before the parent loads it
            raise SandboxError(f"the parsed table holds {held / 1024**2:,.0f} MB, above the "
                               f"{limits.result_bytes // 1024**2:,} MB limit; split the file, or raise "
                               "[limits] max_uncompressed_mb")
        with open(result_path, "rb") as handle:
            status, value = pickle.load(handle)  # written by our own child a moment ago
        if status == "error":
            raise SandboxError(str(value))
        return value

