"""How far an audit is: its stages, and how much of the current stage is done.

The audit calls ``stage`` when a stage begins, ``total`` once it knows the stage's size and
``advance`` as parts of it finish; the command line shows that as a progress display in a terminal
or as one log line per stage elsewhere (readiness/cli/app.py). Nothing is shown unless a reporter is
set with ``reporting``. Calls from a forked child (which shares the parent's reporter object but
not its display) and from other threads' stages are ignored: only the audit's own process reports.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Reporter:
    """The display's side. The defaults do nothing: a reporter overrides what it shows."""

    def stage(self, name: str, total: float | None = None, unit: str = "") -> None:
        """A stage begins; ``total`` in ``unit`` (bytes, columns, ...) where it is known."""

    def total(self, total: float, unit: str) -> None:
        """The current stage's size, learned after it began."""

    def advance(self, amount: float) -> None:
        """``amount`` more of the current stage is done."""

    def finish(self, ok: bool = True) -> None:
        """The audit ended (``ok``) or failed: close the display."""


class Calls(Reporter):
    """A plain ``callable(stage_name)``, as the API's ``progress=`` took before reporters."""

    def __init__(self, call: Callable[[str], None]) -> None:
        self.call = call

    def stage(self, name: str, total: float | None = None, unit: str = "") -> None:
        self.call(name)


_current: Reporter | None = None
_owner = 0  # the pid that set the reporter
_pending = 0.0  # advances not yet passed on (passed every FLUSH_SECONDS: 10,000 tables make 60,000)
_last = 0.0
FLUSH_SECONDS = 0.1


@contextmanager
def reporting(reporter: Reporter | Callable[[str], None] | None) -> Iterator[None]:
    """Report this audit's progress to ``reporter`` until the block ends."""
    global _current, _owner, _pending, _last
    if reporter is None:
        yield
        return
    previous = (_current, _owner)
    _current = reporter if isinstance(reporter, Reporter) else Calls(reporter)
    _owner, _pending, _last = os.getpid(), 0.0, 0.0
    try:
        yield
    finally:
        _flush()
        _current, _owner = previous


def _mine() -> Reporter | None:
    return _current if _current is not None and os.getpid() == _owner else None


def _flush() -> None:
    global _pending, _last
    reporter = _mine()
    if reporter is not None and _pending:
        reporter.advance(_pending)
    _pending, _last = 0.0, time.monotonic()


def stage(name: str, total: float | None = None, unit: str = "") -> None:
    reporter = _mine()
    if reporter is not None:
        _flush()
        reporter.stage(name, total, unit)


def total(amount: float, unit: str) -> None:
    reporter = _mine()
    if reporter is not None:
        reporter.total(amount, unit)


def advance(amount: float = 1.0) -> None:
    global _pending
    if _mine() is None:
        return
    _pending += amount
    if time.monotonic() - _last >= FLUSH_SECONDS:
        _flush()


def reported(function: Callable[P, T]) -> Callable[P, T]:
    """``function`` (an audit) with its ``progress=`` argument set as the reporter while it runs."""
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        chosen: Any = kwargs.get("progress")
        with reporting(chosen):
            return function(*args, **kwargs)
    return wrapper
