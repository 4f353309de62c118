"""What the command line shows while an audit runs, on stderr: a live progress display in a
terminal, one plain line per stage elsewhere (cron, CI and Airflow logs keep lines, not redraws)."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from readiness.base.progress import Reporter


def console_for(color: str = "auto", stderr: bool = False) -> Any:
    """A rich Console honouring --color (auto, always, never) and NO_COLOR."""
    from rich.console import Console

    if color == "never" or (color == "auto" and os.environ.get("NO_COLOR")):
        return Console(stderr=stderr, highlight=False, soft_wrap=True, no_color=True, color_system=None)
    if color == "always":
        return Console(stderr=stderr, highlight=False, soft_wrap=True, force_terminal=True)
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def amount(value: float, unit: str) -> str:
    """``value`` for a person: bytes as kB/MB/GB, anything else as a whole number with commas."""
    if unit == "bytes":
        for size, name in ((1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
            if value >= size:
                return f"{value / size:,.1f} {name}"
        return f"{value:,.0f} bytes"
    return f"{int(value):,} {unit}".rstrip()


class LogLines(Reporter):
    """One line per stage on stderr with the seconds since the audit began: for logs, and for -v."""

    def __init__(self) -> None:
        self.began = time.monotonic()
        self.staged = False

    def line(self, text: str) -> None:
        print(f"readiness: {time.monotonic() - self.began:7.1f}s  {text}", file=sys.stderr, flush=True)

    def stage(self, name: str, total: float | None = None, unit: str = "") -> None:
        self.staged = True
        self.line(name + (f" ({amount(total, unit)})" if total and unit else ""))

    def finish(self, ok: bool = True) -> None:
        if ok and self.staged:
            self.line("done")


class Live(Reporter):
    """rich's progress display: a line per stage with a bar where the stage's size is known (bytes
    read, columns counted), the amount done, the elapsed time and an estimate of what is left."""

    def __init__(self, console: Any) -> None:
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(SpinnerColumn(finished_text="[green]✓[/green]"),
                                 TextColumn("{task.description}"), BarColumn(bar_width=12),
                                 TextColumn("{task.fields[done]}"), TimeElapsedColumn(),
                                 TimeRemainingColumn(compact=True), console=console, transient=False)
        self.task: Any = None
        self.unit = ""
        self.progress.start()

    def _current(self) -> Any:
        return next(task for task in self.progress.tasks if task.id == self.task)

    def _done_text(self) -> str:
        task = self._current()
        if task.total is None or not self.unit:
            return ""
        if self.unit == "bytes":
            return f"{amount(task.completed, self.unit)} / {amount(task.total, self.unit)}"
        return f"{int(task.completed):,} / {amount(task.total, self.unit)}"

    def _end(self) -> None:
        if self.task is None:
            return
        task = self._current()
        size = task.total if task.total is not None else 1
        self.progress.update(self.task, total=size, completed=size, done=self._done_text())
        self.progress.stop_task(self.task)

    def stage(self, name: str, total: float | None = None, unit: str = "") -> None:
        self._end()
        self.unit = unit if total is not None else ""
        self.task = self.progress.add_task(name, total=total, done="")
        self.progress.update(self.task, done=self._done_text())

    def total(self, total: float, unit: str) -> None:
        if self.task is not None:
            self.unit = unit
            self.progress.update(self.task, total=total, done=self._done_text())

    def advance(self, amount_done: float) -> None:
        if self.task is not None:
            self.progress.advance(self.task, amount_done)
            self.progress.update(self.task, done=self._done_text())

    def finish(self, ok: bool = True) -> None:
        if ok:
            self._end()
        elif self.task is not None:  # the stage that failed: no spinner left frozen on it
            self.progress.remove_task(self.task)
        self.progress.stop()


def reporter_for(quiet: bool = False, verbose: bool = False, color: str = "auto") -> Reporter:
    """The display for these options: nothing with -q; stage lines with -v or outside a terminal;
    the live display in a terminal."""
    if quiet:
        return Reporter()
    console = console_for(color, stderr=True)
    if verbose or not sys.stderr.isatty():  # --color always colours a log; it does not make it a terminal
        return LogLines()
    return Live(console)
