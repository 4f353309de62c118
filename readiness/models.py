"""The result models passed from stage to stage (frozen dataclasses, no library objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("blocker", "major", "minor", "info")
DIMENSIONS = (
    "completeness",
    "validity",
    "uniqueness",
    "consistency",
    "label_readiness",
    "volume",
    "privacy",
)


@dataclass(frozen=True)
class FileEntry:
    """One file under PATH, whatever became of it."""

    path: str
    format: str
    bytes: int
    sha256: str | None
    status: str  # ok | rejected | skipped
    reason: str | None
    encoding: str | None = None
    tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadNote:
    """Something the reader noticed about how a file is laid out (a ragged row, a missing header,
    a metadata line, a suspect delimiter); it becomes a finding of the table it was read into."""

    check: str  # ragged_rows | no_header | metadata_line | suspect_delimiter
    count: int  # rows (or values) affected
    message: str  # names the file and the fix; never quotes a value
    severity: str = "minor"
    column: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ColumnProfile:
    """Exact statistics of one column, computed on the full table."""

    name: str
    type: str
    missing: int
    missing_fraction: float
    distinct: int
    non_missing: int
    pii: str | None = None
    format: str | None = None  # expected format (date layout, email, ...)
    format_conformance: float | None = None  # conforming share of non-missing values
    examples: tuple[str, ...] = ()  # only values safe to share (see profile/examples.py)
    examples_kind: str | None = None  # "categories", "range", "masked text"


@dataclass(frozen=True)
class TableProfile:
    name: str
    rows: int
    duplicate_rows: int
    columns: tuple[ColumnProfile, ...]
    profile_sample_rows: int | None = None  # rows in the visual profile when sampled
    profile_file: str | None = None  # relative to the run folder (under internal/)


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    dimension: str
    table: str | None
    column: str | None
    count: int
    fraction: float
    expectation: str | None
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    waived: bool = False
    subject: str | None = None  # tells apart findings of one check on one column

    @property
    def id(self) -> str:
        parts = [p for p in (self.table, self.column) if p is not None]
        if not parts and isinstance(self.details.get("path"), str):
            parts = [self.details["path"]]
        return "/".join([*parts, self.check, *([self.subject] if self.subject else [])])


@dataclass(frozen=True)
class ExpectationOutcome:
    """One GX expectation's result, reduced to what is safe to share (no values)."""

    table: str
    type: str
    column: str | None
    success: bool
    element_count: int | None
    unexpected_count: int | None
    error: str | None = None
    check: str | None = None  # the readiness check this expectation serves, when it has one


@dataclass(frozen=True)
class LabelSummary:
    table: str
    column: str
    task: str
    rows: int
    labeled: int
    coverage: float
    classes: dict[str, int] | None


@dataclass(frozen=True)
class DimensionScore:
    name: str
    score: float
    weight: float
    applicable: bool = True


@dataclass(frozen=True)
class Score:
    score: float  # two decimals, rounded down
    exact: float
    grade: str
    band: str
    dimensions: tuple[DimensionScore, ...]
    capped_by: str | None = None  # "blocker" or "major": the severity that scaled the score down
    uncapped: float | None = None  # the weighted mean of the dimensions before that scale
