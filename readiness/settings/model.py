"""The settings model: frozen dataclasses, one per readiness.toml section, and their defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

TASKS = ("classification", "regression", "forecasting", "text-classification", "unsupervised")
SUPERVISED_TASKS = ("classification", "regression", "forecasting", "text-classification")
FORMAT_KINDS = ("date", "email", "phone", "url", "numeric")

DEFAULT_WEIGHTS: dict[str, float] = {
    "completeness": 0.2,
    "validity": 0.2,
    "uniqueness": 0.1,
    "consistency": 0.1,
    "label_readiness": 0.25,
    "volume": 0.05,
    "privacy": 0.1,
}


@dataclass(frozen=True)
class Brief:
    goal: str | None = None
    task: str | None = None
    success_metric: str | None = None
    timeline: str | None = None
    deliverables: tuple[str, ...] = ()
    labeling: str | None = None  # who labels, the guidelines, agreement between labelers
    data_access: str | None = None  # how a candidate gets the data; NDA
    budget: str | None = None  # free text: "EUR 8,000 fixed"
    day_rate: float | None = None  # above 0, in ``currency``
    currency: str | None = None
    owner: str | None = None  # who owns the model after delivery, and its monitoring
    constraints: tuple[str, ...] = ()  # deployment, latency, on-premises


@dataclass(frozen=True)
class LabelSettings:
    column: str | None = None
    table: str | None = None
    classes: tuple[str, ...] | None = None
    min_class_count: int = 20
    max_imbalance_ratio: float = 10.0
    unlabeled_splits: tuple[str, ...] = ()
    after_outcome: tuple[str, ...] = ()  # columns recorded after the outcome: leakage by declaration


@dataclass(frozen=True)
class TableSettings:
    id_columns: tuple[str, ...] | None = None
    date_columns: tuple[str, ...] = ()
    formats: dict[str, str] = field(default_factory=dict)
    ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class ProfileSettings:
    enabled: bool = True
    sample_rows: int = 20_000
    seed: int = 0
    minimal: bool = True
    max_columns: int = 40  # the profiler draws two charts per column (about 0.4 s each column)
    words: bool = False  # word counts and word clouds of text columns (about 0.5 s per text column)
    max_tables: int = 50  # the largest tables by cells get a profile; the rest none (about 1 s per table)


@dataclass(frozen=True)
class Thresholds:
    min_rows: int = 1000
    date_min_fraction: float = 0.5
    numeric_min_fraction: float = 0.9
    grade_ready: float = 85.0
    grade_needs_work: float = 60.0
    drift_psi: float = 0.2


@dataclass(frozen=True)
class PiiSettings:
    columns: tuple[str, ...] = ()  # "column" or "table:column", always treated as personal data
    ignore: tuple[str, ...] = ()  # never treated as personal data


@dataclass(frozen=True)
class ReadLimits:
    """What a client file may cost to read; past a limit the file is rejected with the reason."""

    max_file_mb: int = 4096
    max_columns: int = 5000
    max_field_chars: int = 1_000_000
    json_max_depth: int = 64
    max_memory_mb: int = 4096
    max_parse_seconds: int = 300
    xlsx_max_uncompressed_mb: int = 1024
    xlsx_max_ratio: int = 200
    max_depth: int = 64  # folders nested deeper are listed as skipped, never entered
    max_cells: int = 200_000_000  # rows x columns of one table (Parquet and Excel: checked before reading)
    max_uncompressed_mb: int = 4096  # a .gz member, a Parquet file or a parsed table, once unpacked
    max_expansion: int = 200  # unpacked size / size on disk, checked once a file unpacks past 256 MB


@dataclass(frozen=True)
class MediaSettings:
    """Thresholds of the image, audio and document checks (docs/media.md says how each is measured)."""

    min_side: int = 32  # odd_size_images: a side shorter than this many pixels...
    max_aspect: float = 4.0  # ...or a long side more than this many times the short side
    dark_brightness: float = 40.0  # dark_images: mean brightness (0-255) of the reduced grey copy below this
    bright_brightness: float = 215.0  # overexposed_images: mean brightness above this
    blur_threshold: float = 100.0  # blurry_images: variance of the Laplacian (long side 256) below this
    min_entropy: float = 2.5  # low_information_images: grey-level entropy (bits, 0-8) below this
    near_distance: int = 4  # near_duplicate_images: dHash Hamming distance (of 64 bits) at most this
    text_near_distance: int = 6  # near_duplicate_texts: SimHash distance at most this (one word in 300: ~3 bits)
    min_clip_seconds: float = 0.5  # clips_too_short
    max_clip_seconds: float = 30.0  # clips_too_long
    silent_dbfs: float = -60.0  # silent_audio: the whole clip's RMS level below this (dB full scale)
    clipped_share: float = 0.001  # clipped_audio: at least this share of samples at full scale
    min_page_chars: int = 20  # scanned_pages: a page with fewer extracted characters has no text layer
    max_pixels: int = 100_000_000  # larger images are rejected unread (decompression bombs)


@dataclass(frozen=True)
class Waiver:
    """A finding accepted for now: it stays listed, marked waived, and lowers nothing until it expires."""

    finding: str  # a finding id, e.g. "tickets.csv/intent/label_missing"
    reason: str
    expires: date | None = None

    def active(self, today: date) -> bool:
        return self.expires is None or today <= self.expires


@dataclass(frozen=True)
class ShareSettings:
    """Confidentiality before an NDA: what the packet leaves out or renames."""

    hide_tables: tuple[str, ...] = ()
    hide_columns: tuple[str, ...] = ()  # "column" (in every table) or "table:column"
    rename: dict[str, str] = field(default_factory=dict)  # table, column or "table:column" -> shown name
    examples: bool = True  # example values (categories, ranges, masked text) in the packet
    thumbnails: bool = False  # a contact sheet of small image thumbnails in the packet (off by default)
    faces: bool = False  # thumbnails of images with faces too (off: such images are left out)

    def column_hidden(self, table: str, column: str) -> bool:
        return column in self.hide_columns or f"{table}:{column}" in self.hide_columns

    def table_name(self, table: str) -> str:
        return self.rename.get(table, table)

    def column_name(self, table: str, column: str) -> str:
        return self.rename.get(f"{table}:{column}", self.rename.get(column, column))


@dataclass(frozen=True)
class Settings:
    name: str | None = None
    suites_dir: str = "expectations"
    task: str | None = None
    brief: Brief = Brief()
    label: LabelSettings = LabelSettings()
    tables: dict[str, TableSettings] = field(default_factory=dict)
    profile: ProfileSettings = ProfileSettings()
    thresholds: Thresholds = Thresholds()
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    pii: PiiSettings = PiiSettings()
    share: ShareSettings = ShareSettings()
    waivers: tuple[Waiver, ...] = ()
    limits: ReadLimits = ReadLimits()
    media: MediaSettings = MediaSettings()
    config_path: str | None = None

    def table(self, name: str) -> TableSettings:
        return self.tables.get(name, TableSettings())
