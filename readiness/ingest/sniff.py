"""What a file is, by its first bytes: images, audio and documents are recognised by content, not by
extension, so a PNG named ``.jpg`` is a PNG (and reported as a wrong extension), and a photo
without an extension is still a photo.

Only the head of a file is read (HEAD bytes); a DOCX is told from other zip files by its
``word/document.xml`` entry. Text files (TXT, Markdown) have no signature: they are known by
their extension and a head without NUL bytes.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

HEAD = 64

KINDS = {
    "jpeg": "image", "png": "image", "gif": "image", "webp": "image", "tiff": "image", "bmp": "image",
    "heic": "image", "avif": "image",
    "wav": "audio", "flac": "audio", "ogg": "audio", "mp3": "audio",
    "pdf": "document", "docx": "document", "txt": "document", "md": "document",
}
BY_EXTENSION = {
    ".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg", ".jfif": "jpeg", ".png": "png", ".gif": "gif",
    ".webp": "webp", ".tif": "tiff", ".tiff": "tiff", ".bmp": "bmp", ".dib": "bmp", ".heic": "heic",
    ".heif": "heic", ".avif": "avif",
    ".wav": "wav", ".wave": "wav", ".flac": "flac", ".ogg": "ogg", ".oga": "ogg", ".opus": "ogg", ".mp3": "mp3",
    ".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
}
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
BMP_HEADERS = (12, 40, 52, 56, 64, 108, 124)  # the sizes of the DIB header versions
# documentation shipped beside the data: listed, not audited as data
DOCUMENTATION = ("readme", "license", "licence", "changelog", "changes", "contributing", "notice", "authors",
                 "copying", "citation", "datasheet", "data_card", "datacard")


@dataclass(frozen=True)
class Sniffed:
    kind: str  # image | audio | document
    format: str
    claimed: str | None  # the format the extension claims when the content is another media format


SQLITE_MAGIC = b"SQLite format 3\x00"  # at byte 0 of every SQLite database file
DUCKDB_MAGIC, DUCKDB_OFFSET = b"DUCK", 8  # a DuckDB file's signature, after its 8-byte checksum


def database_format(head: bytes) -> str | None:
    """sqlite or duckdb when the first bytes are a database file's (read as a database, not media)."""
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head[DUCKDB_OFFSET:DUCKDB_OFFSET + len(DUCKDB_MAGIC)] == DUCKDB_MAGIC:
        return "duckdb"
    return None


def content_format(head: bytes) -> str | None:
    """The media format the first bytes show, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in BMP_HEADERS:
        return "bmp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "avif"
        if brand in HEIF_BRANDS:
            return "heic"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"ID3") or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE6 == 0xE2):
        return "mp3"  # an ID3 tag, or an MPEG audio frame sync with layer III
    if b"%PDF-" in head[:HEAD]:
        return "pdf"
    return None


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.NameToInfo
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def is_documentation(path: Path) -> bool:
    """README, LICENSE and the like: documents about the data, not data."""
    stem = path.name.lower().split(".", 1)[0]
    return stem.rstrip("_-0123456789") in DOCUMENTATION


def sniff(path: Path, head: bytes | None = None) -> Sniffed | None:
    """The media kind and format of a file by its content (its extension only for text files and
    for a file whose content no format claims), or None for a file that is no media."""
    if head is None:
        with open(path, "rb") as handle:
            head = handle.read(HEAD)
    claimed = BY_EXTENSION.get(path.suffix.lower())
    found = content_format(head)
    if found is None and head.startswith(b"PK\x03\x04") and claimed == "docx" and _is_docx(path):
        found = "docx"
    if found is None:
        if claimed is None:
            return None
        # a text file, or a file named as media whose content is none: its decoder says what is wrong
        return Sniffed(KINDS[claimed], claimed, None)
    return Sniffed(KINDS[found], found, claimed if claimed is not None and claimed != found else None)
