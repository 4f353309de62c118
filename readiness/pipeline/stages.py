"""What the audit's stages hand each other: frozen records, one per stage, in the order they run.

request -> Baseline (history) -> Read (ingest) -> Checked (profile, checks, GX) -> Found (the
findings as reported) -> Scored -> Published (the run written and recorded).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from readiness.ingest.database import Database
from readiness.ingest.model import Ingested, Table
from readiness.media.model import MediaDataset
from readiness.models import Finding, LabelSummary, Relations, Score
from readiness.profile.counts import TableStats
from readiness.profile.labels import LabelTarget
from readiness.profile.names import Names
from readiness.score import ScoreInputs
from readiness.settings import Settings
from readiness.validate.gx import Outcomes

Printer = Callable[[Path, Path], str | None]  # prints briefing.html to briefing.pdf; why not, or None


@dataclass(frozen=True)
class Request:
    """One audit as asked for: the data, the settings, where the run goes and the clock."""

    root: Path
    path: str  # PATH as given: readiness.json's dataset.path
    settings: Settings
    dataset_name: str
    out_dir: Path
    config: Path | None  # --config: listed as skipped, never read as data
    started: datetime
    now: datetime  # the date the audit counts from (--now)
    paper: str
    printer: Printer | None  # --pdf
    database: Database | None = None  # a database URL to read instead of a folder (ingest/database.py)

    @property
    def db(self) -> Path:
        return self.out_dir / "history.sqlite"


@dataclass(frozen=True)
class Baseline:
    """The dataset's history: the previous run in full (what changed), the runs before for the trend."""

    previous: dict[str, Any] | None
    previous_runs: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Read:
    """The files and tables read, and the label the audit looks for."""

    ingested: Ingested
    target: LabelTarget
    media: tuple[MediaDataset, ...] = ()  # images, audio and documents, each folder with its labels


@dataclass(frozen=True)
class Suites:
    """The GX suite each table is validated with (table, suite JSON, origin) and where each came
    from: "built-in" or its file under PATH."""

    work: tuple[tuple[Table, dict[str, Any], str], ...]
    origins: dict[str, str]


@dataclass(frozen=True)
class Checked:
    """Every table counted, checked and validated by GX."""

    stats: tuple[TableStats, ...]
    findings: tuple[Finding, ...]  # the exact checks of the counts
    extra: tuple[Finding, ...]  # the checks an ML engineer needs beyond them
    time_summaries: dict[str, Any]  # table name -> its time section
    holdout_drawn: dict[str, Any] | None  # drawn while GX validated; written with the run
    suites: Suites
    outcomes: Outcomes
    relations: Relations = Relations()  # keys between the tables (profile/relations.py)


@dataclass(frozen=True)
class Found:
    """The findings as reported (GX's, drift and names included; waived; ranked) and the names shown."""

    findings: tuple[Finding, ...]
    shown: Names
    summaries: dict[str, dict[str, Any]]  # table -> column -> its summary, for drift in the next run
    schema_now: list[dict[str, Any]]  # the tables' columns and types, as the history keeps them
    moved: tuple[dict[str, Any], ...]  # distribution changes against the previous run (compare)


@dataclass(frozen=True)
class Scored:
    inputs: ScoreInputs
    score: Score
    label: LabelSummary | None


@dataclass(frozen=True)
class Drawing:
    """The visual profiles, drawn aside (``drawn`` waits for them) into ``scratch``."""

    drawn: Callable[[], list[int | None]]
    scratch: Path


@dataclass(frozen=True)
class Published:
    """The run written under --out and recorded in the history."""

    document: dict[str, Any]  # readiness.json as shared (names that hold personal data replaced)
    run_dir: Path
    disclosure: tuple[str, ...]
    pdf_problem: str | None
    record: dict[str, Any]  # this run as the history holds it
    shown: Names
    previous: dict[str, Any] | None  # the run it was compared with (Baseline.previous)
