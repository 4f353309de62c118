"""What every reader shares: the request it is given, the tables it hands back, the error that
rejects its file, and the Reader record the registry keeps for each format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from readiness.ingest import sandbox
from readiness.models import ReadNote
from readiness.settings import ReadLimits

DEFAULT_LIMITS = ReadLimits()


class RejectedFile(Exception):
    """Raised inside a reader; the message becomes the file's ``reason``."""


@dataclass(frozen=True)
class Request:
    """One file to read: how the inventory names it (its tables are named after it) and the limits."""

    name: str
    limits: ReadLimits = DEFAULT_LIMITS

    @property
    def child(self) -> sandbox.Limits:
        """The limits of a parser run in a child process (sandbox.run)."""
        return sandbox.limits_of(self.limits)


@dataclass(frozen=True)
class Part:
    """One table of a file as its reader found it, before its values are normalised."""

    name: str
    frame: pd.DataFrame
    missing: frozenset[str] = frozenset()  # values that mean missing in this format, beside the NA tokens
    notes: tuple[ReadNote, ...] = ()  # what the reader noticed
    review: Callable[[pd.DataFrame], tuple[ReadNote, ...]] | None = None  # notes judged on the normalised table


@dataclass(frozen=True)
class Read:
    """What a reader made of one file: its tables, and the text encoding when the format has one."""

    parts: tuple[Part, ...]
    encoding: str | None = None


@dataclass(frozen=True)
class Reader:
    """One file format: its name (FileEntry.format, Table.format), the suffixes it claims, and the
    function that reads such a file into tables (raising RejectedFile with a reason to act on)."""

    format: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, Request], Read]
