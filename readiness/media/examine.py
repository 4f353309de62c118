"""The media stage's entry point: every media file decoded once (or its facts taken from the
per-file cache), then grouped into datasets with their labels.

Images and recordings are decoded here (Pillow refuses decompression bombs before decoding;
audio is read in blocks); PDFs and DOCX files are parsed in a forked child within the read limits
(ingest/sandbox.py), so a hostile document that hangs or eats memory rejects one file. With many
files to decode, a forked child shares the work (base/parallel.shared_work): two cores, two
decoders. Memory stays bounded by the files' facts (a few hundred bytes each), not their pixels.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from readiness.base import parallel, progress
from readiness.ingest import paths, sandbox
from readiness.ingest.model import MediaFile, Table
from readiness.media import audio, cache, documents, images, layout
from readiness.media.model import Examined, MediaDataset
from readiness.settings import Settings, environment

SPLIT_MIN_FILES = 24  # from this many files to decode on, a forked child decodes half of them
DOCUMENT_SECONDS = 60.0  # a PDF or DOCX that takes longer to parse is rejected
DOCUMENT_MEMORY = 1024**3


def _version(settings: Settings) -> str:
    """What the cached facts depend on besides the file: the facts' version and the settings
    that change a fact (thresholds are applied later, on the facts, and change none)."""
    media = settings.media
    return f"{cache.FACTS_VERSION}:{media.max_pixels}:{media.min_page_chars}"


def _file_path(root: Path, file: MediaFile) -> Path:
    return root if root.is_file() else root / file.path


def examine_one(root: Path, file: MediaFile, settings: Settings) -> Examined:
    """One file's facts and its SHA-256; a decoder's unexpected failure rejects the file, never the audit."""
    path = _file_path(root, file)
    try:
        file = replace(file, sha256=paths.sha256_of(path))
    except OSError as exc:
        return Examined(file, "rejected", paths.os_reason("cannot be read", exc))
    try:
        if file.kind == "image":
            return images.examine(path, file, settings.media)
        if file.kind == "audio":
            return audio.examine(path, file, settings.media)
        if file.format in ("txt", "md"):
            return documents.examine(path, file, settings.media)
        limits = sandbox.Limits(DOCUMENT_MEMORY, DOCUMENT_SECONDS, DOCUMENT_MEMORY)
        examined: Examined = sandbox.run(documents.examine, path, file, settings.media, limits=limits,
                                         label=file.path)
        return examined
    except sandbox.SandboxError as exc:
        return Examined(file, "rejected", str(exc))
    except MemoryError:
        return Examined(file, "rejected", "too large to decode in memory; split or downsize it")
    except Exception as exc:  # noqa: BLE001 - any decoder failure rejects the file
        return Examined(file, "rejected", f"could not be decoded ({sandbox.error_summary(exc)}); "
                                          "copy or export it again")


def _quiet_libraries() -> None:
    """pypdf logs a warning for each damaged PDF; the reason of the file's rejection says it once."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)


def examine_all(root: Path, files: Sequence[MediaFile], settings: Settings, db: Path | None,
                scope: str) -> list[Examined]:
    """Every file's facts, in the order given: cached (in ``db``, under the audited dataset's name
    ``scope``) where the file is unchanged, else decoded."""
    _quiet_libraries()
    # faces are looked for only in the few images the contact sheet would show (report/media.py)
    version = _version(settings)
    known = cache.load(db, scope, files, version)
    todo = [f for f in files if f.path not in known]
    progress.advance(len(known))

    def work(position: int) -> Examined:
        try:
            return examine_one(root, todo[position], settings)
        finally:
            progress.advance(1)

    choice = environment.current().parallel
    if len(todo) >= SPLIT_MIN_FILES and parallel.can_fork() and choice is not False:
        images.load_decoders()  # imported here, before the fork: a child never starts an import another thread holds
        fresh = parallel.shared_work(len(todo), work)
    else:
        fresh = [work(position) for position in range(len(todo))]
    cache.store(db, scope, fresh, version)
    if fresh:
        cache.prune(db, scope, (f.path for f in files))
    done = {e.file.path: e for e in fresh} | known
    return [done[f.path] for f in files]


def media_datasets(root: Path, files: Sequence[MediaFile], tables: Sequence[Table], settings: Settings,
                   db: Path | None, scope: str, label: str | None) -> list[MediaDataset]:
    """The media files of PATH decoded and grouped into datasets with their labels."""
    if not files:
        return []
    examined = examine_all(root, files, settings, db, scope)
    return layout.datasets(examined, tables, label)
