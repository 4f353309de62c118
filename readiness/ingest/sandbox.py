"""Parsing in a child process: a parser that crashes, hangs or eats memory rejects one file.

Parquet (Arrow) and Excel (openpyxl) parse in a forked child. The parent watches the child's
resident memory (an address-space cap would break Arrow and numba, which reserve large virtual
ranges) and its running time, kills it past either limit, and reads the result the child wrote
to a private temporary file (base/children.py runs the child). On platforms without ``fork`` the parse runs in-process, with a
warning, since the safety net is Linux and macOS only.
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from readiness.base import children
from readiness.settings import ReadLimits


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


def _reason(exc: BaseException) -> str:
    """What the parent is told of a parser's exception: a rejection reason, never the file's content."""
    if type(exc).__name__ == "RejectedFile":  # our own words, built without the file's content
        return str(exc)
    return f"the parser failed ({error_summary(exc)}); the file is probably corrupt: re-export it"


LAST_REPORT: dict[str, ChildReport] = {}


DEFAULT = Limits()


def limits_of(read: ReadLimits) -> Limits:
    """A parser's limits from the ``[limits]`` settings."""
    return Limits(read.max_memory_mb * 1024**2, float(read.max_parse_seconds), read.max_uncompressed_mb * 1024**2)


def run(function: Callable[..., Any], *args: Any, limits: Limits = DEFAULT, label: str = "") -> Any:
    """Run ``function(*args)`` in a forked child within the limits; return its result."""
    if not children.can_fork():
        warnings.warn("parsing in a child process needs fork (Linux, macOS); parsing in-process", stacklevel=2)
        return function(*args)
    started = time.monotonic()
    child = children.Child(lambda: function(*args), describe=_reason)
    try:
        peak, reason = _watch(child, limits, started)
        LAST_REPORT[label] = ChildReport(peak, time.monotonic() - started)
        if reason:
            raise SandboxError(reason)
        held = child.result_bytes()
        if child.exit_code != 0 or held is None:
            raise SandboxError(f"the parser crashed (exit code {child.exit_code}); the file is probably "
                               "corrupt: re-export it")
        if held > limits.result_bytes:  # refused before the parent loads it
            raise SandboxError(f"the parsed table holds {held / 1024**2:,.0f} MB, above the "
                               f"{limits.result_bytes // 1024**2:,} MB limit; split the file, or raise "
                               "[limits] max_uncompressed_mb")
        status, value = child.outcome()
    finally:
        child.close()
    if status == "error":
        raise SandboxError(str(value))
    return value


def _watch(child: children.Child, limits: Limits, started: float) -> tuple[int, str | None]:
    """Wait for the child, killing it past the memory or time limit: (peak memory, why it was killed)."""
    peak = 0
    while not child.wait(timeout=0):
        peak = max(peak, _rss_bytes(child.pid))
        if peak > limits.memory_bytes:
            reason = (f"parsing it needed more than {limits.memory_bytes // 1024**2:,} MB of memory; split the "
                      "file or raise [limits] max_memory_mb")
        elif time.monotonic() - started > limits.seconds:
            reason = (f"parsing it took longer than {limits.seconds:g} s; split the file or raise "
                      "[limits] max_parse_seconds")
        else:
            child.wait(timeout=0.02)
            continue
        child.kill()
        return peak, reason
    return peak, None
