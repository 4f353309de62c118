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


# --- keys between tables (issue 20): declared by a database's schema, or inferred from the data ---


@dataclass(frozen=True)
class DeclaredKey:
    """A key a database's schema declares (read by ingest/database.py; none for files)."""

    kind: str  # "primary" | "unique" | "foreign"
    table: str  # the table's name in the audit (``schema.table`` for a database)
    columns: tuple[str, ...]
    parent_table: str | None = None  # foreign keys: the table and columns referred to
    parent_columns: tuple[str, ...] = ()
    name: str | None = None  # the constraint's name in the schema, when it has one


@dataclass(frozen=True)
class TableKey:
    """A table's key: declared (primary or unique), or a candidate the data suggests (unique and
    never missing, one or two columns, preferred by name and type hints)."""

    table: str
    columns: tuple[str, ...]
    declared: bool  # the schema declares it (primary or unique)
    holds: bool  # unique and never missing in the data
    duplicates: int  # rows whose key repeats an earlier row's (DataFrame.duplicated semantics)
    missing: int  # rows with a part of the key missing
    rows: int


@dataclass(frozen=True)
class Relationship:
    """A child table's columns that refer to a parent table's key, with the exact counts that
    show how well the data keeps it."""

    child: str
    child_columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]
    declared: bool  # a foreign key the schema declares; else inferred from the data
    containment: float  # share of the child's distinct keys (none missing) found in the parent
    child_rows: int  # rows of the child table
    keyed_rows: int  # child rows whose key is not missing
    orphan_rows: int  # child rows whose key (not missing) has no parent row
    parent_rows: int
    duplicate_parent_keys: int  # parent rows whose key repeats an earlier parent row's
    childless_parents: int  # parent rows (distinct keys) no child row refers to
    child_before_parent: int | None = None  # child rows dated before their parent row; None: no dates to compare
    timestamps: tuple[str, str] | None = None  # (child column, parent column) compared for child_before_parent


@dataclass(frozen=True)
class JoinCoverage:
    """How many rows of the main (labelled, or largest) table survive an inner join with every
    parent it refers to."""

    table: str
    rows: int
    surviving: int
    joined: tuple[str, ...]  # the parent tables joined
    lost_by: dict[str, int] = field(default_factory=dict)  # parent table -> rows lost joining it alone


@dataclass(frozen=True)
class Relations:
    keys: tuple[TableKey, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    coverage: JoinCoverage | None = None
    declared: tuple[DeclaredKey, ...] = ()  # as the schema declares them

    def __bool__(self) -> bool:
        return bool(self.relationships or self.declared)
