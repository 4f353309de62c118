"""What the ingest stage hands on: the tables read from PATH, each holding its DataFrame, and the
files they came from. The DataFrames stay in the stages that compute on them (profile, checks,
validate); the result models after them (readiness.models) hold no library objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from readiness.models import DeclaredKey, FileEntry, ReadNote

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, eq=False)
class Table:
    """One table read from PATH, values already normalised (see columns.normalise_frame)."""

    name: str
    source: str  # path relative to PATH of the file or folder it came from
    format: str
    frame: pd.DataFrame
    split: str | None = None  # train | validation | test
    notes: tuple[ReadNote, ...] = ()  # how the file was read (see readers/): reported as findings
    pushed: PushedCounts | None = None  # a database table: its counts, computed by SQL where the data is


@dataclass(frozen=True)
class PushedCounts:
    """A database table's counts, computed inside the database by one aggregate query under the
    contract's counting rules (ingest/databases/common.py); profile/counts.py takes them instead of
    counting the frame again. Keyed by column name."""

    rows: int
    missing: dict[str, int]
    distinct: dict[str, int]


@dataclass(frozen=True)
class Ingested:
    root: str
    files: tuple[FileEntry, ...]
    tables: tuple[Table, ...]
    media: tuple[MediaFile, ...] = ()  # images, audio and documents, for readiness.media
    declared: tuple[DeclaredKey, ...] = ()  # keys a database's schema declares (none for files)


@dataclass(frozen=True)
class MediaFile:
    """An image, a recording or a document met by the walk, recognised by its first bytes
    (ingest/sniff.py); the media stage (readiness.media) decodes it and sets its status."""

    path: str  # relative to PATH, with / separators (the inventory's path)
    kind: str  # image | audio | document
    format: str  # jpeg png webp tiff bmp gif heic | wav flac ogg mp3 | pdf docx txt md
    bytes: int
    mtime_ns: int
    sha256: str | None
    claimed: str | None = None  # the format the extension claims, when the content is another
    ctime_ns: int = 0  # the inode's change time: set by the system on every write or copy, never by touch
