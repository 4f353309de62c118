"""What the media stage hands on: per-file facts (numbers, hashes and kinds, never text or
pixels: they are cached and can be shared) and the datasets the files form with their labels.

Every record turns into plain JSON and back (``as_json`` / ``from_json``), for the per-file cache.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from readiness.ingest.model import MediaFile


@dataclass(frozen=True)
class ImageFacts:
    width: int
    height: int
    mode: str  # Pillow's mode of the file as stored: RGB, L, RGBA, P, CMYK, I;16 ...
    frames: int  # 1 for a still image; animated GIF/WebP/TIFF pages: their count
    brightness: float  # mean luminance 0-255 of the reduced grey copy
    dark_share: float  # share of pixels of the reduced grey copy at or below 20
    bright_share: float  # share at or above 245
    sharpness: float  # variance of the Laplacian of the reduced grey copy (long side 256)
    entropy: float  # Shannon entropy of the grey histogram, bits (0-8)
    dhash: int  # 64-bit difference hash of a 9x8 grey copy (near duplicates: Hamming distance)
    exif: tuple[str, ...] = ()  # personal data in the metadata: "gps", "serial", "capture_time", "owner"
    faces: int | None = None  # faces found (None: not looked for)


@dataclass(frozen=True)
class AudioFacts:
    duration: float  # seconds
    sample_rate: int
    channels: int
    frames: int
    rms_dbfs: float | None  # loudness of the whole clip; None when the samples were not decoded
    peak: float | None  # largest absolute sample, 0-1 full scale
    clipped_share: float | None  # share of samples at full scale (>= 0.999)


@dataclass(frozen=True)
class DocumentFacts:
    pages: int  # PDF pages; 1 for DOCX, TXT and MD
    text_pages: int  # pages with a text layer (at least MIN_PAGE_CHARS characters)
    scanned_pages: int  # pages with no text layer: they need OCR
    failed_pages: int  # pages whose text could not be extracted
    chars: int  # characters of extracted text
    words: int
    language: str | None  # "en", "de", ... or "zh", "ru" by script; None when too little text
    simhash: int  # 64-bit SimHash of word 3-shingles (near-duplicate texts: Hamming distance)
    pii: dict[str, int] = field(default_factory=dict)  # personal-data kind -> values found in the text
    skeleton: int = 0  # 64-bit hash of the text with digits masked, case and spacing folded (0: no words)
    javascript: bool = False  # the PDF carries JavaScript or launch actions (never run)


@dataclass(frozen=True)
class Examined:
    """One media file after decoding: its facts, or why it could not be decoded."""

    file: MediaFile
    status: str  # ok | rejected | skipped
    reason: str | None  # for rejected (corrupt_file) and skipped (unsupported) files; names the fix
    image: ImageFacts | None = None
    audio: AudioFacts | None = None
    document: DocumentFacts | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> Examined:
        image = data.get("image")
        audio = data.get("audio")
        document = data.get("document")
        return Examined(
            file=MediaFile(**data["file"]), status=data["status"], reason=data["reason"],
            image=ImageFacts(**{**image, "exif": tuple(image["exif"])}) if image else None,
            audio=AudioFacts(**audio) if audio else None,
            document=DocumentFacts(**document) if document else None,
        )


@dataclass(frozen=True)
class LabelsFile:
    """A table that names media files (a path column) and gives their labels."""

    table: str  # the table's name (labels.csv, meta/labels.json)
    path_column: str
    label_column: str | None
    split_column: str | None = None
    transcript_column: str | None = None  # audio: the text said in the clip
    rows: int = 0
    missing_files: int = 0  # rows naming a file that does not exist (label_file_missing)
    conflicting_files: tuple[str, ...] = ()  # files named by several rows with different labels
    split_conflicts: tuple[str, ...] = ()  # files named by several rows with different splits


@dataclass(frozen=True)
class MediaDataset:
    """A folder of media with its labels: checked and scored as one dataset (its name is the folder,
    relative to PATH; "." for PATH itself)."""

    name: str
    kind: str  # image | audio | document | mixed
    files: tuple[Examined, ...]  # every media file of the folder, in path order
    labels: tuple[str | None, ...]  # per file: its class (None: unlabeled)
    splits: tuple[str | None, ...]  # per file: train | validation | test (None: no split)
    label_source: str | None  # "folders" (class sub-folders), a labels table's name, or None
    labels_file: LabelsFile | None = None
    transcripts: tuple[str | None, ...] = ()  # per file, audio only: the transcript (never shared)

    @property
    def labeled(self) -> int:
        return sum(1 for label in self.labels if label is not None)
