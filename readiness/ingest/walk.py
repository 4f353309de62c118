"""Ingestion: walk PATH, read every data file into normalised tables, account for every file.

Nothing under PATH is ever written. A file that cannot be read becomes a ``rejected``
entry with a reason a person can act on; the rest of the folder is still read. Which reader
reads a file is the registry's answer (readers/registry.py); the walk never asks for a format.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from readiness.base import parallel, progress
from readiness.ingest import paths, sandbox, sniff
from readiness.ingest.columns import normalise_frame
from readiness.ingest.limits import check_shape, check_unpacked
from readiness.ingest.model import Ingested, MediaFile, Table
from readiness.ingest.readers import parquet, registry
from readiness.ingest.readers.common import DEFAULT_LIMITS, Reader, RejectedFile, Request
from readiness.models import DeclaredKey, FileEntry
from readiness.settings import ReadLimits, environment

SPLIT_MIN_FILES = 64  # from this many entries on, a forked child reads some of the files
SPLIT_MAX_BYTES = 1024**2  # the child reads files up to this size (its tables come back pickled)


def _entry_bytes(entry: tuple[Path, int, int, Any, int]) -> int:
    """A tree entry's size for the progress display: a regular file's bytes (0 for anything else)."""
    path, mode, _, inner, _ = entry
    if inner is not None or not stat.S_ISREG(mode):
        return 0
    try:
        return path.lstat().st_size
    except OSError:
        return 0


class Walker:
    """Lists every entry under PATH once, without following links or descending past
    ``[limits] max_depth``, and reads the data files; iterative, so no depth can overflow the stack."""

    def __init__(self, root: Path, ignore: Iterable[Path], config_files: Iterable[Path],
                 limits: ReadLimits = DEFAULT_LIMITS) -> None:
        self.root = root
        self.limits = limits
        self.real_root = os.path.realpath(root if root.is_dir() else root.parent)
        self.ignore = [os.path.realpath(p) for p in ignore]
        self.config_files = {os.path.realpath(p) for p in config_files}
        self.files: list[FileEntry] = []
        self.tables: list[Table] = []
        self.media: list[MediaFile] = []
        self.declared: list[DeclaredKey] = []  # the keys the SQLite and DuckDB files met declare

    def rel(self, path: Path) -> str:
        return paths.displayable(path.relative_to(self.root).as_posix() if path != self.root else path.name)

    def real(self, path: Path) -> str:
        """The real path of an entry reached without following links: no system call needed."""
        return os.path.join(self.real_root, *path.relative_to(self.root).parts) if path != self.root else self.real_root

    def add(self, path: Path, fmt: str, status: str, reason: str | None, *, digest: bool = True,
            encoding: str | None = None, tables: tuple[str, ...] = (), size: int | None = None) -> None:
        if size is None:
            try:
                size = path.lstat().st_size
            except OSError:
                size = 0
        sha = None
        if digest:
            try:
                sha = paths.sha256_of(path)
            except OSError:
                sha = None
        self.files.append(FileEntry(self.rel(path), fmt, size, sha, status, reason, encoding, tables))

    def walk(self) -> None:
        if self.root.is_file():
            self.visit_file(self.root, single=True)
            return
        listing = self.list_folder(self.root)
        if listing is None:
            return
        # the whole tree first (what it skips is listed as met), then each entry read
        entries = [(path, mode, depth, inner, len(self.files))
                   for path, mode, depth, inner in self.tree(self.root, 0, listing, partitions=True)]
        met, self.files = self.files, []
        progress.total(sum(_entry_bytes(entry) for entry in entries), "bytes")
        if len(entries) >= SPLIT_MIN_FILES and parallel.can_fork() and parallel.worth_forking(0, len(entries), choice=environment.current().parallel):
            read = self.visit_split(entries)
        else:
            read = [self.visit_alone(entry) for entry in parallel.settled(entries)]
        taken = 0
        for (_, _, _, _, before), (files, tables, media, declared) in zip(entries, read, strict=True):
            self.files.extend(met[taken:before])
            taken = before
            self.files.extend(files)
            self.tables.extend(tables)
            self.media.extend(media)
            self.declared.extend(declared)
        self.files.extend(met[taken:])

    def visit_alone(self, entry: tuple[Path, int, int, list[os.DirEntry[str]] | None, int]
                    ) -> tuple[list[FileEntry], list[Table], list[MediaFile], list[DeclaredKey]]:
        """What one entry of the tree adds to the inventory, the tables, the media files and the keys."""
        path, mode, depth, inner, _ = entry
        kept = (self.files, self.tables, self.media, self.declared)
        self.files, self.tables, self.media, self.declared = [], [], [], []
        try:
            if inner is not None:
                self.visit_partitioned(path, depth, inner)
            else:
                self.visit_entry(path, mode)
            return self.files, self.tables, self.media, self.declared
        finally:
            self.files, self.tables, self.media, self.declared = kept
            progress.advance(_entry_bytes(entry))

    def visit_split(self, entries: list[tuple[Path, int, int, list[os.DirEntry[str]] | None, int]]
                    ) -> list[tuple[list[FileEntry], list[Table], list[MediaFile], list[DeclaredKey]]]:
        """Many files: a forked child reads small files from the back while this process reads
        from the front (each file costs milliseconds, whatever its size); what the child read
        comes back pickled, so it takes files of at most SPLIT_MAX_BYTES only."""
        def small(position: int) -> bool:
            path, mode, _, inner, _ = entries[position]
            try:
                return inner is None and (not stat.S_ISREG(mode) or path.lstat().st_size <= SPLIT_MAX_BYTES)
            except OSError:
                return True  # listed as skipped, by whichever process meets it

        return parallel.shared_work(len(entries), lambda position: self.visit_alone(entries[position]), wanted=small)

    def tree(self, directory: Path, depth: int, listing: list[os.DirEntry[str]], *, partitions: bool
             ) -> Iterator[tuple[Path, int, int, list[os.DirEntry[str]] | None]]:
        """Every entry below ``directory`` that is not a folder, depth first, without following
        links: (path, mode, depth, None); with ``partitions``, a hive-partitioned folder as one entry
        (path, mode, depth, its listing). Ignored paths are left out; an entry that cannot be
        examined and a folder past ``max_depth`` are listed as skipped here."""
        stack: list[tuple[Path, int, Iterator[os.DirEntry[str]]]] = [(directory, depth, iter(listing))]
        while stack:
            folder, level, entries = stack[-1]
            entry = next(entries, None)
            if entry is None:
                stack.pop()
                continue
            path = folder / entry.name
            if self.ignore and any(paths.under(self.real(path), ignored) for ignored in self.ignore):
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                self.add(path, "unknown", "skipped", paths.os_reason("cannot be examined", exc), digest=False, size=0)
                continue
            if not stat.S_ISDIR(mode):
                yield path, mode, level, None
            elif level + 1 > self.limits.max_depth:
                self.too_deep(path)
            elif os.path.isfile(path / "history.sqlite"):  # an earlier audit's --out: its runs, not data
                self.files.append(FileEntry(self.rel(path), "folder", 0, None, "skipped",
                                            "an output folder of earlier audits (it holds history.sqlite); "
                                            "not read: keep --out outside the dataset folder"))
            elif (inner := self.list_folder(path)) is not None:
                if partitions and paths.is_partitioned(inner):
                    yield path, mode, level + 1, inner
                else:
                    stack.append((path, level + 1, iter(inner)))

    def list_folder(self, directory: Path) -> list[os.DirEntry[str]] | None:
        try:
            return paths.entries_of(directory)
        except OSError as exc:
            self.files.append(FileEntry(self.rel(directory), "folder", 0, None, "skipped",
                                        paths.os_reason("folder cannot be listed", exc)))
            return None

    def too_deep(self, directory: Path) -> None:
        self.files.append(FileEntry(self.rel(directory), "folder", 0, None, "skipped",
                                    f"folder nested deeper than {self.limits.max_depth} levels; not read: move its "
                                    "files up, or raise [limits] max_depth"))

    def visit_entry(self, path: Path, mode: int) -> None:
        """A link, a regular file or a special file met by the walk."""
        if stat.S_ISLNK(mode):
            fmt, reason = paths.link_reason(path, self.real_root)
            self.add(path, fmt, "skipped", reason, digest=False, size=0)
        elif stat.S_ISREG(mode):
            try:
                self.visit_file(path)
            except OSError as exc:  # vanished, unreadable, or a path too long to open
                self.add(path, "unknown", "skipped", paths.os_reason("cannot be read", exc), digest=False, size=0)
        else:
            self.add(path, "special", "skipped", "not a regular file (FIFO, socket or device); never opened",
                     digest=False, size=0)

    def partition_files(self, directory: Path, depth: int, listing: list[os.DirEntry[str]]) -> list[Path]:
        """The regular files of a partitioned folder, found without following links; links, special
        files and folders past the depth limit are listed as skipped here and never handed to Arrow."""
        files: list[Path] = []
        for path, mode, _, _ in self.tree(directory, depth, listing, partitions=False):
            if stat.S_ISREG(mode) and paths.under(os.path.realpath(path), self.real_root):
                files.append(path)
            else:
                self.visit_entry(path, mode)  # a link or a special file: listed, never opened
        return files

    def visit_partitioned(self, directory: Path, depth: int, listing: list[os.DirEntry[str]]) -> None:
        """A hive-partitioned folder: its Parquet parts read as one table named after the folder."""
        parts = self.partition_files(directory, depth, listing)
        data_parts = [p for p in parts if parquet.is_part(p.relative_to(directory).as_posix())]
        chosen = set(data_parts)
        other = [p for p in parts if p not in chosen]
        name = self.rel(directory)
        reason = None
        frame = None
        try:
            frame = parquet.read_parts(directory, data_parts, Request(name, self.limits)) if data_parts else None
            if frame is None:
                reason = "partitioned folder holds no Parquet files; write the parts as .parquet"
        except (RejectedFile, sandbox.SandboxError) as exc:
            reason = str(exc)
        for part in data_parts:
            if reason is None:
                self.add(part, "parquet", "ok", None, tables=(name,))
            else:
                self.add(part, "parquet", "rejected", reason)
        for part in other:
            self.add(part, "other", "skipped", "not a data part of the partitioned Parquet folder")
        if frame is not None and reason is None:
            self.tables.append(Table(name, name, "parquet", normalise_frame(frame), paths.split_kind(directory)))

    def visit_file(self, path: Path, single: bool = False) -> None:
        """A regular file: listed as skipped or refused by its name, else read by its reader."""
        if (os.path.realpath(path) if single else self.real(path)) in self.config_files:
            self.add(path, "config", "skipped", "readiness configuration or GX suite, not data")
            return
        if path.name.startswith("."):
            self.add(path, "hidden", "skipped", "hidden file; not data")
            return
        ext = registry.suffix_of(path)
        reader = registry.reader_for(path)
        if ext in registry.SKIP_REASONS:
            self.add(path, ext.lstrip("."), "skipped", registry.SKIP_REASONS[ext])
        elif ext in registry.REJECT_ONLY:
            fmt, reason = registry.REJECT_ONLY[ext]
            self.add(path, fmt, "rejected", reason)
        elif reader is None:
            self.visit_other(path, ext)
        else:
            self.read_file(path, reader)

    def visit_other(self, path: Path, ext: str) -> None:
        """A file no table reader claims: an image, a recording or a document by its first bytes
        (listed as ok here; the media stage decodes it and may reject it), a SQLite or DuckDB database
        by its first bytes (read as one, ingest/database.py), else not data."""
        with open(path, "rb") as handle:
            head = handle.read(sniff.HEAD)
        kind = sniff.database_format(head)
        if kind is not None:
            self.read_database(path, kind)
            return
        found = sniff.sniff(path, head)
        if found is None:
            self.add(path, ext.lstrip(".") or "unknown", "skipped", "not tabular data, nor an image, audio or document")
            return
        if found.kind == "document" and sniff.is_documentation(path):
            self.add(path, found.format, "skipped", "documentation about the data (README, LICENSE ...); not audited")
            return
        info = path.stat()
        rel = self.rel(path)
        # its SHA-256 comes with its facts (media/examine.py): a re-audit takes both from the cache
        self.files.append(FileEntry(rel, found.format, info.st_size, None, "ok", None))
        self.media.append(MediaFile(rel, found.kind, found.format, info.st_size, info.st_mtime_ns, None, found.claimed,
                                    info.st_ctime_ns))

    def read_database(self, path: Path, kind: str) -> None:
        """A SQLite or DuckDB file: each table read as a database's (``file.db:main.table``), opened so
        that nothing is written into the folder; a table that fails is listed as rejected on its own."""
        rel = self.rel(path)
        size = path.stat().st_size
        if size > self.limits.max_file_mb * 1024**2:
            self.add(path, kind, "rejected", f"the file is {size / 1024**2:,.0f} MB, above the "
                                             f"{self.limits.max_file_mb:,} MB limit; raise [limits] max_file_mb",
                     digest=False)
            return
        from readiness.ingest import database

        try:
            found = database.read_file(path, rel, kind, self.limits)
        except database.TableFailed as exc:
            self.add(path, kind, "rejected", f"{exc}")
            return
        except Exception as exc:  # any driver failure rejects the file, never the audit
            self.add(path, kind, "rejected", f"could not be read ({sandbox.error_summary(exc)})")
            return
        self.add(path, kind, "ok", None, tables=tuple(t.name for t in found.tables))
        split = paths.split_kind(path)
        self.tables.extend(replace(t, split=split) for t in found.tables)
        self.declared.extend(found.declared)
        for name, reason in found.rejected:
            self.files.append(FileEntry(name, kind, 0, None, "rejected", reason))

    def read_file(self, path: Path, reader: Reader) -> None:
        """Read a data file into tables, within the limits: every failure rejects the file, never the audit."""
        rel, fmt, limits = self.rel(path), reader.format, self.limits
        size = path.stat().st_size
        if size > limits.max_file_mb * 1024**2:
            self.add(path, fmt, "rejected", f"the file is {size / 1024**2:,.0f} MB, above the {limits.max_file_mb:,} MB "
                                            "limit; split it, or raise [limits] max_file_mb", digest=False)
            return
        encoding = None
        try:
            if path.name.lower().endswith(".gz"):
                check_unpacked(path, limits)
            read = reader.read(path, Request(rel, limits))
            encoding = read.encoding
            for part in read.parts:
                check_shape(part.frame, limits)
            tables = [(part, normalise_frame(part.frame, part.missing)) for part in read.parts]
            notes = [part.notes + (part.review(frame) if part.review else ()) for part, frame in tables]
        except (sandbox.SandboxError, RejectedFile) as exc:
            self.add(path, fmt, "rejected", str(exc), encoding=encoding)
            return
        except MemoryError:
            self.add(path, fmt, "rejected", "too large to read in memory; split it into smaller files")
            return
        except Exception as exc:  # any parser failure rejects the file, never the audit
            self.add(path, fmt, "rejected", f"could not be read ({sandbox.error_summary(exc)}); re-export it")
            return
        self.add(path, fmt, "ok", None, encoding=encoding, tables=tuple(part.name for part, _ in tables))
        split = paths.split_kind(path)
        for (part, frame), noted in zip(tables, notes, strict=True):
            self.tables.append(Table(part.name, rel, fmt, frame, split, noted))


def ingest(root: Path, *, ignore: Iterable[Path] = (), config_files: Iterable[Path] = (),
           limits: ReadLimits = DEFAULT_LIMITS) -> Ingested:
    """Read PATH (a folder, recursively, or one file) into tables and a full file inventory."""
    walker = Walker(root, ignore, config_files, limits)
    walker.walk()
    return Ingested(str(root), tuple(walker.files), tuple(walker.tables), tuple(walker.media), tuple(walker.declared))


def release_memory() -> None:
    """Hand the blocks Arrow has freed back to the system (its allocator keeps them for reuse):
    called between the stages of a large audit, so forked children do not count them twice."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def config_files_of(root: Path, suites_dir: str) -> list[Path]:
    """The config and suites that live inside PATH; listed as skipped, never read as data."""
    if not root.is_dir():
        return []
    files = [root / "readiness.toml"]
    suites = root / suites_dir
    if not suites.is_dir() or suites.is_symlink():
        return files
    folders = [suites]
    while folders and len(files) < 100_000:  # links are not followed, so no loop; the count bounds it
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                files.append(Path(entry.path))
    return files
