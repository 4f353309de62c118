"""How media files form datasets with their labels: folders, splits, class sub-folders, labels files.

The rules (pure: paths and tables in, ``MediaDataset`` records out, everything in path order):

- One dataset per kind (image, audio, document). Its folder is the lowest folder holding all the
  kind's files (relative to PATH, "." for PATH itself); when that folder is itself a split
  (``train/``, ``test_2024/``: the split-file rule of the contract), the dataset is the folder
  above it, so ``data/train`` and ``data/test`` are one dataset. Two kinds in one folder are two
  datasets, named ``folder:kind`` so their findings stay apart.
- A file's split: the first folder below the dataset folder named as a split (train, validation,
  test), else the labels file's split column, else the labels table's own split, else none.
- A file named by several rows of a labels file takes its label and split from the first; rows
  giving it other labels or splits are reported (conflicting_labels, split_overlap).
- A labels file is a table with a column of paths naming the dataset's files: a column named like
  a path (path, file, filename, image, audio, ...) or one whose values mostly end with a media
  extension. A value names a file relative to the table's folder, else the dataset folder, else
  PATH, else by its file name when only one file has it. A table naming files of several datasets
  labels the one most of its rows name; of several tables, the one naming the most files wins.
- Class sub-folders: the folder directly holding a file (below the dataset folder and any split
  folder) is its class when the files sit in at least two such folders; files directly in the
  dataset (or split) folder are then unlabeled. A labels file with a label column takes priority.
"""

from __future__ import annotations

import math
import posixpath
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from readiness.ingest.columns import as_text, is_text
from readiness.ingest.model import Table
from readiness.ingest.paths import SPLIT_KIND, SPLIT_RE
from readiness.media.model import Examined, LabelsFile, MediaDataset

KINDS = ("image", "audio", "document")
PATH_NAMES = ("path", "file", "filename", "file_name", "filepath", "file_path", "image", "image_path",
              "image_file", "img", "img_path", "audio", "audio_path", "audio_file", "document", "doc",
              "document_path")
LABEL_NAMES = ("label", "labels", "class", "class_name", "classname", "category", "target", "y", "species",
               "breed", "emotion", "intent", "sentiment", "genre")  # not speaker: a person's name is personal data
TRANSCRIPT_NAMES = ("transcript", "transcription", "text", "sentence", "utterance")
SPLIT_NAMES = ("split", "subset", "fold", "set")
MEDIA_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif", ".heic", ".heif",
                  ".wav", ".flac", ".ogg", ".oga", ".mp3", ".pdf", ".docx", ".txt", ".md")
PATH_SHARE = 0.5  # a column is a path column when this share of its values end with a media extension...
SHAPE_SAMPLE = 1000  # ...among its first values (a column of paths says so from its first rows)


def split_of(name: str) -> str | None:
    """train | validation | test for a folder named as a split (the contract's split-file rule)."""
    match = SPLIT_RE.match(name)
    return SPLIT_KIND[match.group(1).lower()] if match else None


def _parent(path: str) -> str:
    return posixpath.dirname(path) or "."


def _below(path: str, folder: str) -> list[str]:
    """The folders between ``folder`` and the file ``path`` (the file's name left out)."""
    parts = path.split("/")[:-1]
    return parts if folder == "." else parts[len(folder.split("/")):]


def dataset_folder(paths: Sequence[str]) -> str:
    """The lowest folder holding every path, one level up when it is a split folder."""
    parents = [_parent(p) for p in paths]
    common = posixpath.commonpath([p if p != "." else "" for p in parents]) or "."
    if common != "." and split_of(posixpath.basename(common)):
        common = _parent(common)
    return common


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text(value: Any) -> str | None:
    return None if _missing(value) else as_text(value)


def _clean(value: str) -> str:
    value = value.strip().replace("\\", "/")
    while value.startswith("./"):
        value = value[2:]
    return value


@dataclass
class _Match:
    table: Table
    path_column: str
    files: list[str | None]  # per row: the matched media path (None: missing value or no file)
    missing_files: int


def _path_columns(table: Table) -> list[str]:
    frame = table.frame
    named = [c for c in frame.columns if str(c).strip().lower() in PATH_NAMES]
    shaped = []
    for column in frame.columns:
        if column in named or not is_text(frame[column]):
            continue
        values = [v for v in frame[column].head(SHAPE_SAMPLE).tolist() if not _missing(v)]
        if values and sum(isinstance(v, str) and v.strip().lower().endswith(MEDIA_SUFFIXES)
                          for v in values) >= PATH_SHARE * len(values):
            shaped.append(column)
    return [str(c) for c in named + shaped]


class _Index:
    """Looks up a path value among the media files."""

    def __init__(self, paths: Sequence[str], folders: Sequence[str]) -> None:
        self.paths = set(paths)
        self.folders = sorted(set(folders))
        names = Counter(posixpath.basename(p) for p in paths)
        self.by_name = {posixpath.basename(p): p for p in paths if names[posixpath.basename(p)] == 1}

    def find(self, value: str, table_folder: str) -> str | None:
        value = _clean(value)
        if not value:
            return None
        for folder in (table_folder, *self.folders, "."):
            candidate = posixpath.normpath(value if folder == "." else f"{folder}/{value}")
            if candidate in self.paths:
                return candidate
        return self.by_name.get(posixpath.basename(value))


def _match(table: Table, index: _Index) -> _Match | None:
    """The table's path column naming the most media files, with the file each row names."""
    table_folder = _parent(table.source)
    best: _Match | None = None
    for column in _path_columns(table):
        files: list[str | None] = []
        missing = 0
        for value in table.frame[column].tolist():
            text = _text(value)
            found = index.find(text, table_folder) if text is not None else None
            missing += text is not None and text.strip() != "" and found is None
            files.append(found)
        matched = sum(f is not None for f in files)
        if matched and (best is None or matched > sum(f is not None for f in best.files)):
            best = _Match(table, column, files, missing)
    return best


def _named(columns: Sequence[str], names: Sequence[str], given: str | None = None) -> str | None:
    if given is not None:
        for exact in (True, False):
            for column in columns:
                if (column == given) if exact else (column.lower() == given.lower()):
                    return column
    lowered = {column.strip().lower(): column for column in reversed(columns)}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def _class_folders(paths: Sequence[str], folder: str) -> list[str | None] | None:
    """Per file, the class sub-folder holding it; None when there are fewer than two such folders."""
    classes: list[str | None] = []
    for path in paths:
        parts = _below(path, folder)
        while parts and split_of(parts[0]) is not None:
            parts = parts[1:]
        classes.append(parts[-1] if parts else None)
    return classes if len({c for c in classes if c is not None}) >= 2 else None


def _folder_split(path: str, folder: str) -> str | None:
    for part in _below(path, folder):
        kind = split_of(part)
        if kind is not None:
            return kind
    return None


def _build(name: str, kind: str, folder: str, files: list[Examined], match: _Match | None,
           label: str | None) -> MediaDataset:
    paths = [item.file.path for item in files]
    splits: list[str | None] = [_folder_split(p, folder) for p in paths]
    labels: list[str | None] = [None] * len(paths)
    transcripts: tuple[str | None, ...] = ()
    labels_file: LabelsFile | None = None
    source: str | None = None
    if match is not None:
        frame = match.table.frame
        columns = [str(c) for c in frame.columns if c != match.path_column]
        label_column = _named(columns, LABEL_NAMES, label)
        split_column = _named(columns, SPLIT_NAMES)
        transcript_column = _named([c for c in columns if c not in (label_column, split_column)],
                                   TRANSCRIPT_NAMES) if kind == "audio" else None
        position = {p: i for i, p in enumerate(paths)}
        said: list[str | None] = [None] * len(paths)
        seen: set[int] = set()
        label_values = frame[label_column].tolist() if label_column else None
        split_values = frame[split_column].tolist() if split_column else None
        transcript_values = frame[transcript_column].tolist() if transcript_column else None
        named: dict[int, tuple[set[str], set[str]]] = {}  # every label and split the rows give a file
        for row, path in enumerate(match.files):
            at = position.get(path) if path is not None else None
            if at is None:
                continue
            given_label = _text(label_values[row]) if label_values is not None else None
            given_split = _text(split_values[row]) if split_values is not None else None
            given = named.setdefault(at, (set(), set()))
            given[0].update([given_label] if given_label is not None else [])
            given[1].update([kind_of] if given_split and (kind_of := split_of(given_split.strip())) else [])
            if at in seen:  # the first row naming a file gives its label
                continue
            seen.add(at)
            if label_values is not None:
                labels[at] = _text(label_values[row])
            if splits[at] is None:
                text = _text(split_values[row]) if split_values is not None else None
                splits[at] = (split_of(text.strip()) if text else None) or match.table.split
            if transcript_values is not None:
                said[at] = _text(transcript_values[row])
        if transcript_column:
            transcripts = tuple(said)
        labels_file = LabelsFile(table=match.table.name, path_column=match.path_column, label_column=label_column,
                                 split_column=split_column, transcript_column=transcript_column,
                                 rows=len(frame), missing_files=match.missing_files,
                                 conflicting_files=tuple(paths[at] for at, (given_labels, _) in sorted(named.items())
                                                         if len(given_labels) > 1),
                                 split_conflicts=tuple(paths[at] for at, (_, given_splits) in sorted(named.items())
                                                       if len(given_splits) > 1))
        if label_column is not None:
            source = match.table.name
    if source is None:
        folders = _class_folders(paths, folder)
        if folders is not None:
            labels, source = folders, "folders"
    return MediaDataset(name=name, kind=kind, files=tuple(files), labels=tuple(labels), splits=tuple(splits),
                        label_source=source, labels_file=labels_file, transcripts=transcripts)


def datasets(examined: Sequence[Examined], tables: Sequence[Table], label: str | None = None) -> list[MediaDataset]:
    """The media datasets of PATH: one per kind of file found, with its labels and splits."""
    by_kind: dict[str, list[Examined]] = {}
    for item in sorted(examined, key=lambda e: e.file.path):
        by_kind.setdefault(item.file.kind, []).append(item)
    kinds = [k for k in KINDS if k in by_kind] + sorted(k for k in by_kind if k not in KINDS)
    folders = {kind: dataset_folder([e.file.path for e in by_kind[kind]]) for kind in kinds}
    shared = Counter(folders.values())
    names = {kind: folders[kind] if shared[folders[kind]] == 1 else f"{folders[kind]}:{kind}" for kind in kinds}
    kind_of = {e.file.path: kind for kind in kinds for e in by_kind[kind]}
    index = _Index(list(kind_of), list(folders.values()))
    chosen: dict[str, _Match] = {}
    for table in sorted(tables, key=lambda t: t.name):
        match = _match(table, index)
        if match is None:
            continue
        votes = Counter(kind_of[f] for f in match.files if f is not None)
        kind = min(votes, key=lambda k: (-votes[k], kinds.index(k)))
        matched = votes[kind]
        current = chosen.get(kind)
        if current is None or matched > sum(f is not None and kind_of[f] == kind for f in current.files):
            chosen[kind] = match
    return [_build(names[kind], kind, folders[kind], by_kind[kind], chosen.get(kind), label) for kind in kinds]


__all__ = ["datasets", "dataset_folder", "split_of"]
