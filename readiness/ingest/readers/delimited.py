"""The CSV and TSV reader: the file's encoding and layout from a sample, every field of every
row kept (rows longer than the header get extra columns ``column_N``, shorter rows missing
values), and notes on what the layout means for whoever uses the table.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from readiness.ingest import sandbox
from readiness.ingest.columns import arrow_text, count_present, is_text, unique_names
from readiness.ingest.readers.common import DEFAULT_LIMITS, Part, Read, RejectedFile, Request
from readiness.ingest.readers.delimited_layout import (
    FIXED_WIDTH,
    LINE_RE,
    WHITESPACE,
    Layout,
    detect_layout,
)
from readiness.ingest.readers.delimited_rows import arrow_rows, pandas_rows, read_fixed
from readiness.models import ReadNote
from readiness.settings import ReadLimits

MAX_CSV_SNIFF = 64 * 1024
MAX_FIRST_RECORD = 16 * 1024 * 1024  # the sample grows up to this to hold one whole record


def read_csv(path: Path, request: Request) -> Read:
    return _read(path, "csv", request)


def read_tsv(path: Path, request: Request) -> Read:
    return _read(path, "tsv", request)


def _read(path: Path, fmt: str, request: Request) -> Read:
    delimited = read_delimited_table(path, fmt, request.name, request.limits)
    review = partial(_suspect_note, separator=delimited.separator, file=request.name)
    return Read((Part(request.name, delimited.frame, notes=delimited.notes, review=review),), delimited.encoding)


def _suspect_note(frame: pd.DataFrame, separator: str, file: str) -> tuple[ReadNote, ...]:
    suspect = suspect_delimiter(frame, separator, file)
    return (suspect,) if suspect else ()


def _open_bytes(path: Path, size: int = MAX_CSV_SNIFF) -> bytes:
    if path.name.lower().endswith(".gz"):
        try:
            with gzip.open(path, "rb") as handle:
                return handle.read(size)
        except (OSError, EOFError) as exc:
            raise RejectedFile(f"not a valid gzip file ({sandbox.error_summary(exc)}); re-compress it or store it "
                               "uncompressed") from exc
    with open(path, "rb") as handle:
        return handle.read(size)


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if len(head) >= 4 and head[1:4:2] == b"\x00\x00" and head[0] != 0:
        return "utf-16-le"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a multi-byte character cut by the sample's end
            return "utf-8"
        return "cp1252"


def _looks_binary(head: bytes) -> bool:
    """Many control bytes (not tab, newline or carriage return) mean this is not a text table."""
    sample = head[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls > max(8, len(sample) // 20)


@dataclass(frozen=True)
class Delimited:
    """A delimited file as read: the table, the encoding, the separator and what the reader noticed."""

    frame: pd.DataFrame
    encoding: str
    separator: str
    notes: tuple[ReadNote, ...] = ()


def _sample(path: Path, head: bytes, encoding: str) -> tuple[str, bool]:
    """The decoded sample, grown until it holds one whole record, and whether it is the whole file."""
    size = MAX_CSV_SNIFF
    while len(head) >= size and size < MAX_FIRST_RECORD and not LINE_RE.search(
            head.decode(encoding, errors="replace").rstrip("\r\n")):
        size *= 4
        head = _open_bytes(path, size)
    text, complete = head.decode(encoding, errors="replace"), len(head) < size
    if not complete and not LINE_RE.search(text.rstrip("\r\n")):
        raise RejectedFile(f"no line break in the first {MAX_FIRST_RECORD // 1024**2} MB, so no row can be told "
                           "apart; check the line endings or re-export it as CSV")
    return text, complete


def _cut_line_fields(text: str, separator: str, complete: bool) -> int:
    """Fields of the sample's last line when the sample cut it short: a row of a million commas
    after a short header is past the column limit before pandas spends minutes parsing it."""
    if complete or len(separator) != 1:
        return 0
    last = text[text.rfind("\n") + 1:]
    return max((len(row) for row in csv.reader([last], delimiter=separator)), default=0)


def read_delimited_table(path: Path, fmt: str, name: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
                         ) -> Delimited:
    """Read a CSV/TSV file with every field of every row kept: rows longer than the header get
    extra columns ``column_N``, shorter rows missing values, and the reader's notes say so."""
    head = _open_bytes(path)
    if not head.strip():
        raise RejectedFile("the file is empty; re-export it with a header row and data")
    encoding = detect_encoding(head)
    if encoding not in ("utf-16", "utf-16-le") and _looks_binary(head):
        raise RejectedFile("binary data, not delimited text; export the table as CSV (UTF-8)")
    if encoding == "cp1252":
        try:
            with open(path, "rb") as handle:
                handle.read().decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            pass
    text, complete = _sample(path, head, encoding)
    if not text.strip():
        raise RejectedFile("the file is empty; re-export it with a header row and data")
    layout = detect_layout(text, fmt, complete)
    widest = max(layout.width, layout.widest, _cut_line_fields(text, layout.separator, complete))
    if widest > limits.max_columns:  # refused before the file is parsed
        raise RejectedFile(f"{'at least ' if widest > max(layout.width, layout.widest) else ''}{widest:,} columns, "
                           f"above the {limits.max_columns:,} limit; split the table, or raise [limits] max_columns")
    gz = path.name.lower().endswith(".gz")
    ragged: np.ndarray | None = None
    frame = None
    names = list(layout.names) if layout.header else None
    if layout.separator == FIXED_WIDTH:
        frame, names = read_fixed(path, encoding, layout)
        ragged = np.zeros(0, dtype=np.int64)
    elif encoding == "utf-8" and not gz and layout.separator != WHITESPACE:
        frame, ragged = arrow_rows(path, text, layout)
    if frame is None or ragged is None:
        frame, names, ragged = pandas_rows(path, encoding, layout, ragged)
    named, notes = _finish(frame, names, layout, ragged, name or path.name)
    return Delimited(named, encoding, layout.separator, notes)


def _finish(frame: pd.DataFrame, names: list[str] | None, layout: Layout, ragged: np.ndarray, file: str
            ) -> tuple[pd.DataFrame, tuple[ReadNote, ...]]:
    """Name the columns (header names, then ``column_N`` for fields past the header, or for every
    column of a file without one) and note what the layout means for the reader."""
    frame = frame.reset_index(drop=True)
    rows, width = len(frame), layout.width
    metadata, header = layout.metadata, layout.header
    if header and layout.count_line and rows in layout.count_line:
        metadata, header = True, False  # scikit-learn's layout: the first line is "rows,columns,class names"
    if header and names is not None:
        base = unique_names(names[:width])
    else:
        base = []
    columns = base + [f"column_{i + 1}" for i in range(len(base), frame.shape[1])]
    frame.columns = unique_names(columns)
    notes: list[ReadNote] = []
    if metadata and layout.titles:
        lines = len(layout.titles)
        notes.append(ReadNote(
            "metadata_line", lines,
            f"the first {lines} lines of {file} are titles, not its header; they were left out of the table "
            "and the header is the line below them",
            "minor", details={"lines": lines}))
    elif metadata:
        where = "the header is its second line" if header else "the data follow it"
        notes.append(ReadNote(
            "metadata_line", 1,
            f"the first line of {file} is not its header ({layout.first_fields} fields, counts or titles rather "
            f"than column names); it was left out of the table and {where}",
            "minor", details={"line": 1, "fields": layout.first_fields}))
    if not header:
        count = frame.shape[1]
        unnamed = "its one column is unnamed (column_1)" if count == 1 else \
            f"its {count:,} columns are unnamed (column_1 to column_{count})"
        notes.append(ReadNote(
            "no_header", 1,
            f"{file} has no header row: {unnamed}, so nobody can tell what they hold without a data dictionary",
            "major", details={"columns": count}))
    if ragged.size:
        longer, shorter = int((ragged > width).sum()), int((ragged < width).sum())
        against = "its header" if header else "most of its rows"
        parts = []
        if longer:
            parts.append(f"{longer:,} with more (their extra fields are in column_{width + 1} onwards)")
        if shorter:
            parts.append(f"{shorter:,} with fewer (their absent fields are missing)")
        notes.append(ReadNote(
            "ragged_rows", int(ragged.size),
            f"{ragged.size:,} rows of {file} do not have the {width} fields of {against}: " + " and ".join(parts),
            "major" if ragged.size >= 0.01 * max(rows, 1) else "minor",
            details={"header_fields": width, "max_fields": int(max(width, ragged.max())),
                     "min_fields": int(min(width, ragged.min())), "longer": longer, "shorter": shorter}))
    return frame, tuple(notes)


SUSPECT_DELIMITERS = ",;|\t:"  # with runs of 2+ spaces: what a one-column table should not mostly hold


def suspect_delimiter(frame: pd.DataFrame, separator: str, file: str) -> ReadNote | None:
    """A table read as one text column whose values mostly hold a delimiter (other than the one the
    file was read with: such values were quoted on purpose) or runs of spaces."""
    if frame.shape[1] != 1 or not is_text(frame.iloc[:, 0]):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    series = frame.iloc[:, 0]
    count = count_present(series)
    if not count:
        return None
    # the file's own delimiter counts too when the header holds it as well: every line quoted whole
    header_split = len(separator) == 1 and separator in str(frame.columns[0])
    others = "".join(c for c in SUSPECT_DELIMITERS if c != separator or header_split)
    # a colon counts unless it is a clock time's (12:30) or a URL's (https://): a column of those is no mistake
    pattern = f"[{re.escape(others.replace(':', ''))}]| {{2,}}" + (
        "|:($|[^0-9/]|[0-9]($|[^0-9])|/($|[^/]))" if ":" in others else "")
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        array = arrow_text(series)
    else:
        try:
            array = pa.array(series.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
        except (pa.ArrowException, TypeError):
            return None
    hits = int(pc.sum(pc.cast(pc.fill_null(pc.match_substring_regex(array, pattern), False), pa.int64())).as_py() or 0)
    if 2 * hits < count:
        return None
    column = str(frame.columns[0])
    return ReadNote(
        "suspect_delimiter", hits,
        f"{file} was read as one column, yet {hits:,} of its {count:,} values hold a delimiter (comma, "
        "semicolon, pipe, tab, colon or aligned spaces): the file may use a delimiter the reader did not recognise",
        "major", column=column, details={"values_with_delimiter": hits, "values": count})
