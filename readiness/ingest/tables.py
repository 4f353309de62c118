"""Ingestion: walk PATH, read every data file into normalised tables, account for every file.

Nothing under PATH is ever written. A file that cannot be read becomes a ``rejected``
entry with a reason a person can act on; the rest of the folder is still read.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import errno
import gzip
import hashlib
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from readiness.base import parallel, progress
from readiness.ingest import sandbox
from readiness.models import FileEntry, Ingested, ReadNote, Table
from readiness.settings import ReadLimits

# pandas' default NA tokens (pandas._libs.parsers.STR_NA_VALUES), matched after stripping.
NA_TOKENS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})
EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#BUSY!",
})

SPLIT_RE = re.compile(
    r"^(train|training|val|valid|validation|dev|test|holdout)(?:[_.\-].*)?$", re.IGNORECASE
)
SPLIT_KIND = {
    "train": "train", "training": "train", "val": "validation", "valid": "validation",
    "validation": "validation", "dev": "validation", "test": "test", "holdout": "test",
}
PARTITION_RE = re.compile(r"^[^=]+=[^=]*$")

DATA_FORMATS = {
    ".csv": "csv", ".tsv": "tsv", ".csv.gz": "csv", ".tsv.gz": "tsv", ".parquet": "parquet",
    ".pq": "parquet", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonl.gz": "jsonl",
    ".ndjson.gz": "jsonl", ".json.gz": "json", ".xlsx": "xlsx",
}
REJECT_ONLY = {
    ".xls": ("xls", "legacy Excel .xls is not read; open it and save as .xlsx or CSV"),
    ".xlsm": ("xlsx", "macro-enabled workbooks are not opened; save a copy as .xlsx without macros"),
}
SKIP_REASONS = {
    ".pkl": "pickle files are never loaded (they can run code); export the data as CSV or Parquet",
    ".pickle": "pickle files are never loaded (they can run code); export the data as CSV or Parquet",
    ".joblib": "joblib files are never loaded (they can run code); export the data as CSV or Parquet",
    ".zip": "archives are not read yet; extract it into the folder",
    ".tar": "archives are not read yet; extract it into the folder",
    ".tar.gz": "archives are not read yet; extract it into the folder",
    ".tgz": "archives are not read yet; extract it into the folder",
    ".7z": "archives are not read yet; extract it into the folder",
}
MAX_CSV_SNIFF = 64 * 1024
DEFAULT_LIMITS = ReadLimits()


class RejectedFile(Exception):
    """Raised inside a reader; the message becomes the file's ``reason``."""


# --- helpers ------------------------------------------------------------------------------


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    for ext in sorted({*DATA_FORMATS, *REJECT_ONLY, *SKIP_REASONS}, key=len, reverse=True):
        if name.endswith(ext):
            return ext
    return path.suffix.lower()


def stem_of(path: Path) -> str:
    ext = suffix_of(path)
    return path.name[: -len(ext)] if ext and path.name.lower().endswith(ext) else path.stem


def split_kind(path: Path) -> str | None:
    match = SPLIT_RE.match(stem_of(path))
    return SPLIT_KIND[match.group(1).lower()] if match else None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


TEXT = pd.StringDtype("pyarrow")  # text as Arrow holds it: no Python object per value


def is_text(series: pd.Series | pd.Index) -> bool:
    """A column that may hold text: Python objects, or Arrow-backed strings (every CSV column)."""
    return series.dtype == object or isinstance(series.dtype, pd.StringDtype)


def count_present(series: pd.Series) -> int:
    """How many values are present (``series.notna().sum()``), on the array: no Series built."""
    return len(series) - int(np.count_nonzero(series.array.isna()))


def arrow_text(series: pd.Series) -> Any:
    """An Arrow-backed text column as one Arrow string array (no copy when it is one chunk)."""
    import pyarrow as pa

    return pa.array(series.array)


def objects(series: pd.Series) -> pd.Series:
    """A text column as Python objects, None for missing: for code that goes value by value."""
    if isinstance(series.dtype, pd.StringDtype):
        return pd.Series(series.to_numpy(dtype=object, na_value=None), index=series.index, name=series.name,
                         dtype=object)
    return series


def _normalise_arrow_text(series: pd.Series, tokens: frozenset[str]) -> pd.Series:
    import pyarrow as pa
    import pyarrow.compute as pc

    from readiness.base.fastre import PY_WHITESPACE

    array = arrow_text(series)
    if len(array) <= FEW_CELLS:  # a tiny column: Python's strip (the same characters) beats Arrow's set-up
        few = [v is not None and v.strip() in tokens for v in array.to_pylist()]
        hit = pa.array(few, type=pa.bool_()) if any(few) else None
    else:
        hit = pc.is_in(pc.utf8_trim(array, characters=PY_WHITESPACE), value_set=_token_array(tokens, array.type))
        hit = hit if pc.any(hit).as_py() else None
    if hit is not None:
        array = pc.if_else(hit, pa.scalar(None, type=array.type), array)
    return pd.Series(pd.arrays.ArrowStringArray(array), index=series.index, name=series.name)


FEW_CELLS = 64  # up to this many values in a column, Python normalises them


@lru_cache(maxsize=16)
def _token_array(tokens: frozenset[str], arrow_type: Any) -> Any:
    import pyarrow as pa

    return pa.array(sorted(tokens), type=arrow_type)


def normalise_series(series: pd.Series, extra_tokens: frozenset[str] = frozenset()) -> pd.Series:
    """Blank strings and NA tokens become missing; lists and objects become their JSON text."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        return _normalise_arrow_text(series, NA_TOKENS | extra_tokens)
    if series.dtype != object:
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        else:
            return series
    tokens = NA_TOKENS | extra_tokens
    values = series.to_numpy(dtype=object, copy=True)
    plain = pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")  # text only: nothing nested
    nested = [] if plain else [i for i, v in enumerate(values) if isinstance(v, (list, dict, tuple, np.ndarray))]
    for i in nested:
        value = values[i]
        if isinstance(value, np.ndarray):
            value = value.tolist()
        values[i] = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    out = pd.Series(values, index=series.index, name=series.name, dtype=object)
    missing = _blank_or_token(values, tokens) if plain else None
    if missing is None:
        try:
            missing = out.str.strip().isin(tokens) | out.isna()
        except AttributeError:  # no text at all in this column (e.g. integers beyond 64 bits)
            missing = out.isna()
    if missing.any():
        out = out.where(~missing, None)
    return out


def _blank_or_token(values: np.ndarray, tokens: frozenset[str]) -> np.ndarray | None:
    """For an all-text column: which values are missing (None, blank, or an NA token once
    stripped as ``str.strip`` strips), computed by Arrow; None when Arrow cannot take the text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from readiness.base.fastre import PY_WHITESPACE

    try:
        array = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeEncodeError, TypeError):
        return None
    trimmed = pc.utf8_trim(array, characters=PY_WHITESPACE)
    hit = pc.fill_null(pc.is_in(trimmed, value_set=pa.array(sorted(tokens), type=pa.string())), True)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)


def normalise_frame(frame: pd.DataFrame, extra_tokens: frozenset[str] = frozenset()) -> pd.DataFrame:
    """A new frame (index 0..n-1, names as text) of the normalised columns (normalise_series)."""
    columns = {}
    for position, (_, original) in enumerate(frame.items()):
        series = normalise_series(original, extra_tokens)
        if series.dtype == object and extra_tokens and series.notna().any():
            # an Excel column whose error cells are now missing keeps the type of its other values
            if pd.api.types.infer_dtype(series, skipna=True) not in ("string", "mixed", "empty"):
                series = typed_column([None if pd.isna(v) else v for v in series.tolist()])
        # built in one step (a copy, then a column set at a time, costs ms a table); a column left
        # as it was is copied: the frame read is not shared
        columns[position] = original.array.copy() if series is original else series.array
    out = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)), copy=False)
    out.columns = pd.Index([str(c) for c in frame.columns], dtype=object)
    return out


def typed_column(values: list[Any]) -> pd.Series:
    """Build a column from parsed values, keeping them as typed (ints stay ints)."""
    kinds = {type(v) for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))}
    if int in kinds and any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in values):
        return pd.Series(values, dtype=object)  # integers beyond 64 bits stay exact as Python ints
    if kinds and all(issubclass(k, datetime.datetime) for k in kinds):
        return pd.Series(pd.to_datetime(values, errors="coerce"))
    if kinds and kinds <= {int}:
        return pd.Series(pd.array(values, dtype="Int64"))
    if kinds and kinds <= {int, float}:
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    if kinds and kinds <= {int, np.int64}:
        return pd.Series(pd.array([None if v is None else int(v) for v in values], dtype="Int64"))
    if kinds and kinds <= {bool}:
        return pd.Series(pd.array(values, dtype="boolean"))
    return pd.Series(values, dtype=object)


def unique_names(names: Iterable[Any]) -> list[str]:
    """Header cells as strings, empty ones named and repeats numbered as pandas does."""
    seen: dict[str, int] = {}
    out = []
    for index, raw in enumerate(names):
        name = f"Unnamed: {index}" if raw is None or str(raw).strip() == "" else str(raw)
        if name in seen:
            seen[name] += 1
            candidate = f"{name}.{seen[name]}"
            while candidate in seen:
                seen[name] += 1
                candidate = f"{name}.{seen[name]}"
            seen[candidate] = 0
            name = candidate
        else:
            seen[name] = 0
        out.append(name)
    return out


# --- readers ------------------------------------------------------------------------------


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


EXPANSION_FLOOR = 256 * 1024**2  # unpacked sizes below this are never refused for their ratio


def check_expansion(unpacked: int, packed: int, limits: ReadLimits) -> None:
    """Refuse a file whose unpacked (or estimated in-memory) size passes the limits."""
    if unpacked > limits.max_uncompressed_mb * 1024**2:
        raise RejectedFile(f"the file unpacks to more than {limits.max_uncompressed_mb:,} MB; split it, or raise "
                           "[limits] max_uncompressed_mb")
    if unpacked > EXPANSION_FLOOR and unpacked > max(packed, 1) * limits.max_expansion:
        raise RejectedFile(f"the file unpacks to more than {limits.max_expansion:,} times its size on disk (a "
                           "decompression bomb?); re-export it, or raise [limits] max_expansion")


def check_unpacked(path: Path, limits: ReadLimits) -> None:
    """Decompress a .gz file once, streamed and counted (the size its trailer declares can lie),
    before any parser holds it: past the limits it is refused."""
    packed = path.stat().st_size
    unpacked = 0
    try:
        with gzip.open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                unpacked += len(block)
                check_expansion(unpacked, packed, limits)
    except (OSError, EOFError, zlib.error) as exc:
        raise RejectedFile(f"not a valid gzip file ({sandbox.error_summary(exc)}); re-compress it or store it "
                           "uncompressed") from exc


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


# --- delimited text: how the file is laid out ---------------------------------------------

WHITESPACE = "whitespace"  # columns separated by runs of spaces and tabs
FIXED_WIDTH = "fixed-width"  # columns at fixed character positions (values may hold single spaces)
DELIMITERS = (",", "\t", ";", "|", ":")  # in order of preference when several fit the sample
SNIFF_RECORDS = 500  # records of the sample that decide the layout
NUMERIC_SAMPLE = 50  # data rows that decide which columns hold numbers
MAX_FIRST_RECORD = 16 * 1024 * 1024  # the sample grows up to this to hold one whole record
NUMBER_RE = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
LINE_RE = re.compile(r"\r\n?|\n")
BLANKS = " \t"  # pandas' C parser skips lines holding only these (unless they separate fields)


@dataclass(frozen=True)
class Layout:
    """How a delimited file is laid out, judged from its first 64 KiB."""

    separator: str  # one character, WHITESPACE or FIXED_WIDTH
    header: bool  # a line names the columns
    width: int  # fields of the header line; without one, of most data rows
    widest: int  # most fields of a data row in the sample (at least width)
    metadata: bool = False  # the first line is neither header nor data: it is left out
    first_fields: int = 0  # fields of the first line
    names: tuple[str, ...] = ()  # the header's fields as the sample holds them
    spans: tuple[tuple[int, int | None], ...] = ()  # character positions of a fixed-width file's columns
    count_line: tuple[int, ...] = ()  # integers of a first line that is metadata if one is the row count
    simple: bool = True  # the lines above the data are whole, unquoted lines (Arrow may skip them)
    titles: tuple[int, ...] = ()  # field counts of several title lines above the header (a report's export)
    skip_lines: int | None = None  # physical lines above the header when there are several titles

    @property
    def skip(self) -> int:
        if self.skip_lines is not None:
            return self.skip_lines
        return 1 if self.metadata else 0

    @property
    def above(self) -> int:
        """Records (non-blank lines) above the first data row."""
        return (len(self.titles) if self.titles else (1 if self.metadata else 0)) + (1 if self.header else 0)


def _is_number(value: str) -> bool:
    return NUMBER_RE.fullmatch(value.strip()) is not None


def _dominant(counts: list[int]) -> tuple[int, float]:
    """The most common field count and the share of rows that have it."""
    from collections import Counter

    if not counts:
        return 0, 0.0
    value, seen = Counter(counts).most_common(1)[0]
    return value, seen / len(counts)


def _split_records(text: str, separator: str, complete: bool) -> tuple[list[list[str]], list[int]]:
    """The sample's records (lines pandas skips left out) with the line each starts on; a record
    the sample cuts off is dropped."""
    records: list[list[str]] = []
    starts: list[int] = []
    if separator == WHITESPACE:
        lines = LINE_RE.split(text)
        if not complete:
            lines = lines[:-1]
        for number, line in enumerate(lines[: SNIFF_RECORDS * 4]):
            fields = [field for field in line.replace("\t", " ").split(" ") if field]  # as pandas' \s+ splits
            if fields:
                records.append(fields)
                starts.append(number)
            if len(records) > SNIFF_RECORDS:
                break
        if len(records) > 1 and starts[0] == 0 and lines[0][:1] in (" ", "\t") \
                and not any(lines[i][:1] in (" ", "\t") for i in starts[1:]) \
                and len(records[0]) + 1 == _dominant([len(r) for r in records[1:]])[0]:
            records[0] = ["", *records[0]]  # a header indented over an unnamed first column (pandas' index)
        return records, starts
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', doublequote=True,
                        strict=False)
    start = 0
    cut = not complete
    try:
        for row in reader:
            if row and (len(row) > 1 or row[0].strip(BLANKS)):
                records.append(row)
                starts.append(start)
                if len(records) > SNIFF_RECORDS:
                    cut = False
                    break
            start = reader.line_num
    except csv.Error:
        cut = False  # the record it stopped in was not kept
    if cut and records:
        records.pop()
        starts.pop()
    return records, starts


def _fixed_spans(text: str, complete: bool) -> tuple[tuple[int, int | None], ...]:
    """Column spans of a fixed-width file: columns are separated by runs of at least two positions
    that are blank on every line of the sample (a single blank may sit inside a value), and each
    boundary sits mid-gap, so right- and left-aligned values may both grow. Empty when the sample
    does not look aligned."""
    lines = LINE_RE.split(text)
    if not complete:
        lines = lines[:-1]
    lines = [line for line in lines[: SNIFF_RECORDS * 4] if line.strip(" ")][:SNIFF_RECORDS]
    if len(lines) < 2 or any("\t" in line for line in lines) or 2 * sum("  " in line for line in lines) < len(lines):
        return ()
    used = np.zeros(max(map(len, lines)), dtype=bool)
    for line in lines:
        codes = np.frombuffer(line.encode("utf-32-le"), dtype=np.uint32)
        used[: len(codes)] |= codes != 32
    filled = np.flatnonzero(used)
    inner = ~used[filled[0]: filled[-1] + 1]
    edges = np.diff(np.concatenate(([0], inner.astype(np.int8), [0])))
    gap_starts, gap_ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    wide = gap_ends - gap_starts >= 2
    bounds = [int(filled[0] + (start + end) // 2) for start, end in zip(gap_starts[wide], gap_ends[wide], strict=True)]
    if not bounds:
        return ()
    ends: list[int | None] = [*bounds, None]
    return tuple(zip([0, *bounds], ends, strict=True))


def _fixed_records(text: str, complete: bool, spans: tuple[tuple[int, int | None], ...]
                   ) -> tuple[list[list[str]], list[int]]:
    lines = LINE_RE.split(text)
    if not complete:
        lines = lines[:-1]
    records, starts = [], []
    for number, line in enumerate(lines[: SNIFF_RECORDS * 4]):
        if line.strip(BLANKS):
            records.append([line[begin:end].strip(BLANKS) for begin, end in spans])
            starts.append(number)
        if len(records) > SNIFF_RECORDS:
            break
    return records, starts


def _numeric_columns(rows: list[list[str]], width: int) -> list[int]:
    """Columns whose sample values are numbers (90% of the non-missing ones)."""
    rows = [row for row in rows if len(row) == width][:NUMERIC_SAMPLE]
    out = []
    for index in range(width):
        values = [row[index] for row in rows if row[index].strip() not in NA_TOKENS]
        if values and sum(map(_is_number, values)) >= 0.9 * len(values):
            out.append(index)
    return out


def _header_like(row: list[str], width: int, numeric: list[int]) -> bool:
    """A line of names: it has the data's field count and no number where the data are numbers."""
    return (len(row) == width and bool(numeric) and not any(_is_number(row[i]) for i in numeric)
            and 2 * sum(1 for field in row if field.strip()) >= len(row))


def _data_like(row: list[str], numeric: list[int]) -> bool:
    """A first line that is data: a number wherever the data are numbers. A run of consecutive
    integers (0,1,2 or years) is taken for names, as pandas writes unnamed columns."""
    if not numeric or any(i >= len(row) or not _is_number(row[i]) for i in numeric):
        return False
    values = [float(row[i]) for i in numeric]
    whole = len(values) >= 2 and all(v.is_integer() for v in values)
    counting = whole and all(b - a == 1 for a, b in zip(values, values[1:], strict=False))
    # years in increasing order (1990,1995,2000) name the columns of a wide table
    years = whole and all(1700 <= v <= 2100 for v in values) and all(
        b > a for a, b in zip(values, values[1:], strict=False))
    return not (counting or years)


def _integer(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


def _plausible(records: list[list[str]]) -> int:
    """How well a separator fits the sample: 2 when the first line agrees with the data (or is a
    metadata line above them), 1 when only a header of several fields disagrees, 0 when it does not fit."""
    if not records:
        return 0
    first, rest = records[0], records[1:]
    width, share = _dominant([len(r) for r in rest]) if rest else (len(first), 1.0)
    if width < 2 or share < 0.5:
        return 0
    if len(first) == width:
        return 2
    data = rest[1:] or rest
    if _is_number(first[0]) or _header_like(rest[0], width, _numeric_columns(data, width)):
        return 2
    return 1 if len(first) >= 2 else 0


MAX_TITLE_LINES = 5


def _title_block(records: list[list[str]], starts: list[int]) -> int:
    """How many title lines (a report name, an export date: at most half their fields filled) sit
    above a header line that agrees with the data; 0 when the file does not start so. One title
    line of another field count than the header is left to the single metadata line's rules."""
    for above in range(1, min(MAX_TITLE_LINES, len(records) - 2) + 1):
        header, data = records[above], records[above + 1:]
        width, share = _dominant([len(r) for r in data])
        if len(header) != width or share < 0.8:
            continue
        if above == 1 and len(records[0]) != width and starts[1] == 1:
            return 0
        if starts[0] != 0 or not all(2 * sum(1 for f in row if f.strip()) < max(width, 2) for row in records[:above]):
            return 0  # a line above that is no title
        if _header_like(header, width, _numeric_columns(data, width)):
            return above
    return 0


def _layout_of(separator: str, records: list[list[str]], starts: list[int],
               spans: tuple[tuple[int, int | None], ...] = ()) -> Layout:
    """Which line is the header (if any), whether a metadata line sits above it, and the widths."""
    if not records:
        return Layout(separator, True, 1, 1, spans=spans)
    first, rest = records[0], records[1:]
    whole_first = starts[0] == 0 and (len(starts) < 2 or starts[1] == 1)

    def layout(header: bool, metadata: bool, **extra: Any) -> Layout:
        above = (1 if metadata else 0) + (1 if header else 0)
        names = records[above - 1] if header else []
        width = len(names) if header else _dominant([len(r) for r in records[above:]])[0] or len(first)
        widest = max([width, *(len(r) for r in records[above:])])
        simple = all(starts[i] == i for i in range(min(above + 1, len(starts))))
        return Layout(separator, header, width, widest, metadata, len(first), tuple(names), spans,
                      simple=simple, **extra)

    if not rest:
        return layout(True, False)
    titled = _title_block(records, starts)
    if titled:
        names = records[titled]
        return Layout(separator, True, len(names), max(len(r) for r in records[titled:]), True, len(first),
                      tuple(names), spans, simple=False, titles=tuple(len(r) for r in records[:titled]),
                      skip_lines=starts[titled])
    width = _dominant([len(r) for r in rest])[0]
    numeric = _numeric_columns(rest[1:] or rest, width)
    if len(first) != width and whole_first:
        if _header_like(rest[0], width, numeric):
            return layout(True, True)  # a title or counts line, then the header
        if _is_number(first[0]):
            return layout(not numeric, True)  # counts above headerless data (scikit-learn's layout)
        return layout(True, False)  # a header with another field count: ragged rows
    if _data_like(first, numeric):
        return layout(False, False)
    carries_number = any(i < len(first) and _is_number(first[i]) for i in numeric)
    if whole_first and len(rest) > 1 and carries_number and _header_like(rest[0], width, numeric):
        return layout(True, True)
    if carries_number and _is_number(first[0]):
        counts = tuple(n for n in map(_integer, first) if n is not None)
        return layout(True, False, count_line=counts)
    return layout(True, False)


def detect_layout(text: str, fmt: str, complete: bool = True, separators: tuple[str, ...] | None = None) -> Layout:
    """The separator and the header of a delimited file from a sample of its text: the first of
    comma, tab, semicolon, pipe and colon that fits, else runs of spaces, else fixed-width columns."""
    candidates = separators or (("\t", *DELIMITERS[:1], *DELIMITERS[2:]) if fmt == "tsv" else DELIMITERS)
    fallback: list[tuple[str, list[list[str]], list[int]]] = []
    for separator in candidates:
        records, starts = _split_records(text, separator, complete)
        fit = _plausible(records)
        if fit == 2:
            return _layout_of(separator, records, starts)
        if fit == 1:
            fallback.append((separator, records, starts))
    if separators is None:
        records, starts = _split_records(text, WHITESPACE, complete)
        fit = _plausible(records)
        if fit == 2:
            return _layout_of(WHITESPACE, records, starts)
        spans = _fixed_spans(text, complete)
        if spans:
            fixed, fixed_starts = _fixed_records(text, complete, spans)
            if fixed and sum(1 for field in fixed[0] if field) >= 2 and _plausible(fixed) == 2:
                return _layout_of(FIXED_WIDTH, fixed, fixed_starts, spans)
        if fit == 1:
            fallback.append((WHITESPACE, records, starts))
    if fallback:
        return _layout_of(*fallback[0])
    default = candidates[0]
    return _layout_of(default, *_split_records(text, default, complete))


def detect_delimiter(text: str, default: str) -> str:
    """The one-character delimiter of a delimited file's sample (``default`` when none fits, or
    when its columns are aligned with spaces)."""
    layout = detect_layout(text, "csv", complete=False)
    return layout.separator if len(layout.separator) == 1 else default


# --- delimited text: reading ----------------------------------------------------------------


@dataclass(frozen=True)
class Delimited:
    """A delimited file as read: the table, the encoding, the separator and what the reader noticed."""

    frame: pd.DataFrame
    encoding: str
    separator: str
    notes: tuple[ReadNote, ...] = ()


def read_delimited(path: Path, fmt: str) -> tuple[pd.DataFrame, str]:
    delimited = read_delimited_table(path, fmt)
    return delimited.frame, delimited.encoding


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
        frame, names = _read_fixed(path, encoding, layout)
        ragged = np.zeros(0, dtype=np.int64)
    elif encoding == "utf-8" and not gz and layout.separator != WHITESPACE:
        frame, ragged = _arrow_rows(path, text, layout)
    if frame is None or ragged is None:
        frame, names, ragged = _pandas_rows(path, encoding, layout, ragged)
    named, notes = _finish(frame, names, layout, ragged, name or path.name)
    return Delimited(named, encoding, layout.separator, notes)


def _arrow_rows(path: Path, head: str, layout: Layout) -> tuple[pd.DataFrame | None, np.ndarray | None]:
    """Arrow's multi-threaded CSV reader, for plain UTF-8 files it reads exactly as pandas' C parser
    does (every value as its text). Returns (data rows, header and metadata left out, or None, field
    counts of rows whose count differs from the header when Arrow found any): None makes the C parser
    read the file, with those counts, or reject it with its reason."""
    import pyarrow as pa
    import pyarrow.csv as pv

    lines = head.split("\n", layout.above + 1)
    if "\x00" in head or "\r" in lines[0] or not layout.simple or len(lines) <= layout.above:
        return None, None
    if any('"' in line for line in lines[: layout.above]):
        return None, None  # a header with quotes: leave it to pandas
    quotes = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            quotes += block.count(b'"')
    if quotes % 2:
        return None, None  # an unclosed quote: the C parser rejects the file with its reason
    generated = [f"c{i}" for i in range(layout.width)]
    invalid: list[int] = []
    small = path.stat().st_size < 1 << 20  # one block on one thread: starting Arrow's pool costs more
    try:
        table = pv.read_csv(
            path,
            read_options=pv.ReadOptions(skip_rows=layout.above, column_names=generated, use_threads=not small,
                                        block_size=1 << 20 if small else 1 << 24),
            parse_options=pv.ParseOptions(delimiter=layout.separator, quote_char='"', double_quote=True,
                                          escape_char=False, newlines_in_values=True, ignore_empty_lines=True,
                                          invalid_row_handler=_row_counter(invalid)),
            convert_options=pv.ConvertOptions(column_types={name: pa.string() for name in generated},
                                              strings_can_be_null=False, quoted_strings_can_be_null=False,
                                              null_values=[], check_utf8=True),
        )
    except (pa.ArrowException, OSError, ValueError):
        return None, None
    if invalid:
        return None, np.asarray(invalid, dtype=np.int64)  # ragged rows: the C parser reads them all
    if small:  # the same frame without pandas' conversion machinery, which dominates for a tiny file
        frame = pd.DataFrame({i: pd.arrays.ArrowStringArray(table.column(i)) for i in range(table.num_columns)},
                             copy=False)
    else:
        frame = table.to_pandas(types_mapper=lambda arrow_type: TEXT if arrow_type == pa.string() else None)
    if layout.width == 1 and len(frame):
        import pyarrow.compute as pc

        values = arrow_text(frame.iloc[:, 0])
        blank = pc.and_(pc.equal(pc.utf8_trim(values, characters=BLANKS), ""), pc.not_equal(values, ""))
        if pc.any(blank).as_py():
            return None, None  # lines of spaces: pandas skips them, Arrow keeps them as values
    frame.columns = list(range(frame.shape[1]))
    return frame, np.zeros(0, dtype=np.int64)


def _row_counter(invalid: list[int]) -> Any:
    """An Arrow invalid-row handler that notes each ragged row's field count and reads on."""

    def handle(row: Any) -> str:
        if row.text.strip(BLANKS):  # pandas skips lines holding only blanks
            invalid.append(row.actual_columns)
        return "skip"

    return handle


def _read_with_arrow(path: Path, head: str, delimiter: str) -> pd.DataFrame | None:
    """The fast path alone, for a file whose sample is ``head`` (None when it does not apply)."""
    layout = detect_layout(head, "csv", separators=(delimiter,))
    frame, _ = _arrow_rows(path, head, layout)
    if frame is None:
        return None
    return _finish(frame, list(layout.names), layout, np.zeros(0, dtype=np.int64), path.name)[0]


class _NeedsWidth(Exception):
    """A row has more fields than the columns pandas was given."""


def _pandas_csv(path: Path, separator: str, encoding: str, width: int, skip: int) -> pd.DataFrame:
    import warnings

    sep = r"\s+" if separator == WHITESPACE else separator
    with warnings.catch_warnings():
        # the first row longer than the names: pandas would cut it with only a warning
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            return pd.read_csv(
                path, sep=sep, header=None, names=list(range(width)), index_col=False, skiprows=skip, dtype=str,
                keep_default_na=False, na_filter=False, encoding=encoding, compression="infer", engine="c",
                skip_blank_lines=True,
            )
        except pd.errors.ParserWarning as exc:
            raise _NeedsWidth() from exc
        except pd.errors.ParserError as exc:
            if re.search(r"Expected \d+ fields in line \d+, saw \d+", str(exc)):
                raise _NeedsWidth() from exc
            raise


def _pandas_rows(path: Path, encoding: str, layout: Layout, ragged: np.ndarray | None
                 ) -> tuple[pd.DataFrame, list[str] | None, np.ndarray]:
    """pandas' C parser with one column per field of the widest row (no field becomes an index)."""
    width = max(layout.widest, layout.width, int(ragged.max()) if ragged is not None and ragged.size else 0)
    try:
        try:
            frame = _pandas_csv(path, layout.separator, encoding, width, layout.skip)
        except _NeedsWidth:
            if ragged is not None:
                raise RejectedFile("rows do not line up with the header; fix the quoting or re-export") from None
            ragged = _count_fields(path, encoding, layout)
            width = max(width, int(ragged.max()) if ragged.size else 0)
            try:
                frame = _pandas_csv(path, layout.separator, encoding, width, layout.skip)
            except _NeedsWidth:
                raise RejectedFile("rows do not line up with the header; fix the quoting or re-export") from None
    except pd.errors.EmptyDataError as exc:
        raise RejectedFile("the file has no header row; re-export it with column names") from exc
    except pd.errors.ParserError as exc:
        detail = sandbox.error_summary(exc)  # the parser's text can quote the row
        raise RejectedFile(f"rows do not line up with the header ({detail}); fix the quoting or re-export") from exc
    except UnicodeDecodeError as exc:
        raise RejectedFile(f"not readable as {encoding} ({exc.reason}); re-export it as UTF-8") from exc
    names = None
    if layout.header:
        if not len(frame):
            raise RejectedFile("the file has no header row; re-export it with column names")
        names = [str(v) for v in frame.iloc[0, : layout.width].tolist()]
        if layout.separator == WHITESPACE and layout.names[:1] == ("",):
            names = list(layout.names)  # an indented header: its first column has no name
        frame = frame.iloc[1:]
    if layout.separator == WHITESPACE:
        # runs of blanks never make an empty field, so a row's fields are its non-empty cells
        fields = frame.ne("").sum(axis=1).to_numpy(dtype=np.int64)
        ragged = fields[fields != layout.width]
    elif ragged is None:
        if width > layout.width or (layout.width and frame.shape[1] and frame.iloc[:, layout.width - 1].eq("").any()):
            ragged = _count_fields(path, encoding, layout)  # longer rows in the sample, or maybe shorter ones
        else:
            ragged = np.zeros(0, dtype=np.int64)
    return frame, names, ragged


def _count_fields(path: Path, encoding: str, layout: Layout) -> np.ndarray:
    """The field count of every data row whose count differs from the header's, exactly: Arrow's
    tokenizer (pandas' rules for quotes and blank lines) with one column kept, else Python's csv."""
    import pyarrow as pa
    import pyarrow.csv as pv

    if layout.separator == WHITESPACE:
        return _count_words(path, encoding, layout)
    invalid: list[int] = []
    try:
        pv.read_csv(
            path,
            read_options=pv.ReadOptions(column_names=[f"c{i}" for i in range(layout.width)], block_size=1 << 26,
                                        encoding=encoding),
            parse_options=pv.ParseOptions(delimiter=layout.separator, quote_char='"', double_quote=True,
                                          escape_char=False, newlines_in_values=True, ignore_empty_lines=True,
                                          invalid_row_handler=_row_counter(invalid)),
            convert_options=pv.ConvertOptions(include_columns=["c0"], column_types={"c0": pa.string()},
                                              check_utf8=False),
        )
        counts = np.asarray(invalid, dtype=np.int64)
        # the header has the header's count; a metadata line above it is one of the differing rows
        for fields in layout.titles or ((layout.first_fields,) if layout.metadata else ()):
            if fields != layout.width:
                counts = np.delete(counts, np.flatnonzero(counts == fields)[:1])
        return counts
    except (pa.ArrowException, OSError, ValueError, LookupError):
        return _count_fields_slowly(path, encoding, layout)


def _fields_of(row: list[str]) -> int:
    return 0 if not row or (len(row) == 1 and not row[0].strip(BLANKS)) else len(row)


def _count_fields_slowly(path: Path, encoding: str, layout: Layout) -> np.ndarray:
    """Python's csv module, when Arrow cannot tokenize the file (a field past its block size)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        with opener(path, "rt", encoding=encoding, newline="") as handle:  # type: ignore[operator]
            reader = csv.reader(handle, delimiter=layout.separator, quotechar='"', doublequote=True, strict=False)
            counts = np.fromiter(map(_fields_of, reader), dtype=np.int64)
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise RejectedFile(f"the rows cannot be counted ({type(exc).__name__}); fix the quoting or re-export") from exc
    finally:
        csv.field_size_limit(limit)
    counts = counts[counts > 0][layout.above:]
    return counts[counts != layout.width]


def _count_words(path: Path, encoding: str, layout: Layout) -> np.ndarray:
    """Fields per line of a whitespace-aligned file (only its widest row matters: pandas' own cells
    give the exact counts)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding=encoding, newline="") as handle:  # type: ignore[operator]
        counts = np.fromiter(map(len, map(str.split, map(str.strip, handle))), dtype=np.int64)
    counts = counts[counts > 0][layout.above:]
    return counts[counts != layout.width]


def _read_fixed(path: Path, encoding: str, layout: Layout) -> tuple[pd.DataFrame, list[str] | None]:
    """A fixed-width file, cut at the column positions found in the sample; values stripped."""
    try:
        frame = pd.read_fwf(path, colspecs=list(layout.spans), header=None, names=list(range(len(layout.spans))),
                            index_col=False, skiprows=layout.skip, dtype=str, keep_default_na=False, na_filter=False,
                            encoding=encoding, compression="infer", skip_blank_lines=True)
    except pd.errors.EmptyDataError as exc:
        raise RejectedFile("the file has no header row; re-export it with column names") from exc
    except UnicodeDecodeError as exc:
        raise RejectedFile(f"not readable as {encoding} ({exc.reason}); re-export it as UTF-8") from exc
    if not layout.header:
        return frame, None
    names = [str(v) for v in frame.iloc[0].tolist()] if len(frame) else list(layout.names)
    return frame.iloc[1:], names


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


def check_shape(frame: pd.DataFrame, limits: ReadLimits) -> None:
    """Reject tables past the column or field-size limits, saying which limit and how to lift it."""
    if frame.shape[1] > limits.max_columns:
        raise RejectedFile(f"{frame.shape[1]:,} columns, above the {limits.max_columns:,} limit; split the table, "
                           "or raise [limits] max_columns")
    check_cells(frame.shape[0], frame.shape[1], limits.max_cells)
    for column in frame.columns:
        longest = _longest_text(frame[column])
        if longest and longest > limits.max_field_chars:
            raise RejectedFile(f"a value in column {str(column)[:60]!r} has {int(longest):,} characters, above the "
                               f"{limits.max_field_chars:,} limit; check the quoting, or raise [limits] max_field_chars")


def check_cells(rows: int, columns: int, max_cells: int) -> None:
    if rows * columns > max_cells:
        raise RejectedFile(f"{rows:,} rows x {columns:,} columns is {rows * columns:,} cells, above the "
                           f"{max_cells:,} limit; split the table, or raise [limits] max_cells")


def _longest_text(series: pd.Series) -> int:
    """The length of the column's longest text value (0 without text)."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        import pyarrow.compute as pc

        return int(pc.max(pc.utf8_length(arrow_text(series))).as_py() or 0)
    if series.dtype != object:
        return 0
    values = series.to_numpy()
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # every cell is text
        return max(map(len, values), default=0)
    try:
        longest = series.str.len().max()
    except AttributeError:  # no text in this column
        return 0
    return 0 if isinstance(longest, float) and longest != longest else int(longest)  # NaN: no strings


def nesting_depth(value: Any, limit: int) -> int:
    """How deeply lists and objects nest in a parsed JSON value (stops counting past the limit)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (list, dict)))
    return deepest


def read_json(path: Path, fmt: str, max_depth: int = 64) -> pd.DataFrame:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig") as handle:  # type: ignore[operator]
            if fmt == "jsonl":
                records = []
                for number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise RejectedFile(f"line {number} is not valid JSON ({exc.msg} at column {exc.colno}); fix or "
                                           "remove that line") from exc
            else:
                try:
                    records = json.load(handle)
                except json.JSONDecodeError as exc:
                    if not exc.doc.strip():  # as for an empty CSV
                        raise RejectedFile("the file is empty; export the records as [{...}, {...}] or JSON lines") \
                            from exc
                    raise RejectedFile(f"not valid JSON ({exc.msg} at line {exc.lineno}); fix the file or export it again") from exc
    except UnicodeDecodeError as exc:
        raise RejectedFile("not UTF-8 text; re-export it as UTF-8") from exc
    except RecursionError as exc:
        raise RejectedFile("JSON nested too deeply to read; flatten it into records") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise RejectedFile(f"cannot be read ({sandbox.error_summary(exc)}); check the file and re-export it") from exc
    if isinstance(records, dict):
        lists = [v for v in records.values() if isinstance(v, list)]
        if len(lists) == 1 and all(isinstance(r, dict) for r in lists[0]):
            records = lists[0]
        else:
            raise RejectedFile("JSON is an object, not an array of records; export it as [{...}, {...}] or JSON lines")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise RejectedFile("JSON is not an array of records (objects); export it as [{...}, {...}] or JSON lines")
    if nesting_depth(records, max_depth + 1) > max_depth + 1:
        raise RejectedFile(f"JSON nests deeper than {max_depth} levels; flatten the records, or raise "
                           "[limits] json_max_depth")
    columns: dict[str, None] = {}
    for record in records:
        for key in record:
            columns.setdefault(str(key), None)
    data = {c: typed_column([r.get(c) for r in records]) for c in columns}
    return pd.DataFrame(data) if data else pd.DataFrame(index=range(len(records)))


def _parquet_frame(table: Any) -> pd.DataFrame:
    import pyarrow as pa

    def mapper(arrow_type: Any) -> Any:
        if pa.types.is_integer(arrow_type):
            return pd.Int64Dtype()
        if pa.types.is_boolean(arrow_type):
            return pd.BooleanDtype()
        return None

    frame = table.to_pandas(types_mapper=mapper)
    if not isinstance(frame.index, pd.RangeIndex):
        # an index pandas stored as a column of the file is a field like any other: kept as a column,
        # where the file keeps it (after the others)
        levels = frame.index.nlevels
        names = unique_names([*map(str, frame.columns), *(n if n is not None else ("index" if levels == 1 else f"level_{i}")
                                                          for i, n in enumerate(frame.index.names))])
        frame = frame.reset_index(drop=False, allow_duplicates=True)
        frame = frame.iloc[:, [*range(levels, frame.shape[1]), *range(levels)]]
        frame.columns = names
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    return frame


def _parquet_error(exc: BaseException) -> RejectedFile:
    message = str(exc)
    if "magic bytes" in message:
        message = "footer missing: the file is truncated or is not Parquet"
    elif "smaller than" in message:
        message = "the file is shorter than its own footer says: it is truncated or is not Parquet"
    else:
        message = sandbox.error_summary(exc)  # Arrow's text can quote a value or a path
    return RejectedFile(f"not a valid Parquet file ({message}); re-export it")


def parquet_budget(files: list[Path], limits: ReadLimits) -> None:
    """Refuse Parquet whose footers promise more than the limits allow, before a row is read: the
    cells (rows x columns), the unpacked size, and the estimated size in memory (8 bytes a cell at
    least: a file of a billion run-length-encoded zeros is a few hundred KB on disk)."""
    import pyarrow.parquet as pq

    rows = cells = unpacked = packed = 0
    columns = 0
    for file in files:
        metadata = pq.read_metadata(file)
        packed += file.stat().st_size
        rows += metadata.num_rows
        columns = max(columns, metadata.num_columns)
        cells += metadata.num_rows * metadata.num_columns
        unpacked += sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if cells > limits.max_cells:
        raise RejectedFile(f"{rows:,} rows x {columns:,} columns is {cells:,} cells, above the {limits.max_cells:,} "
                           "limit; split the table, or raise [limits] max_cells")
    check_expansion(max(unpacked, 8 * cells), packed, limits)


def read_parquet(files: list[Path], base: Path | None = None, limits: ReadLimits = DEFAULT_LIMITS) -> pd.DataFrame:
    """One Parquet file, or the listed parts of a hive-partitioned folder under ``base``: Arrow is
    handed the files the walk found (inside PATH, links left out) and never lists a folder itself."""
    import pyarrow.lib
    import pyarrow.parquet as pq

    try:
        parquet_budget(files, limits)
        if base is None:
            table = pq.read_table(files[0])
        else:
            import pyarrow.dataset as ds

            dataset = ds.dataset([str(file) for file in files], format="parquet", partition_base_dir=str(base),
                                 partitioning=ds.HivePartitioning.discover(infer_dictionary=True))
            table = dataset.to_table()
    except (pyarrow.lib.ArrowInvalid, pyarrow.lib.ArrowException, OSError) as exc:
        raise _parquet_error(exc) from exc
    check_cells(table.num_rows, table.num_columns, limits.max_cells)
    return _parquet_frame(table)


def _xlsx_reason(exc: BaseException) -> str:
    chain = [exc, exc.__cause__, exc.__context__]
    names = " ".join(type(e).__name__ for e in chain if e is not None) + " " + " ".join(str(e) for e in chain if e)
    if any(word in names for word in ("Entities", "DTD", "ExternalReference", "entit")):
        return ("the workbook's XML declares entities (the pattern of billion-laughs and XXE attacks), so it is "
                "not opened; re-save it from Excel")
    if isinstance(exc, KeyError):
        return "the workbook is missing required parts; open it in Excel and save it again"
    return f"not a valid .xlsx workbook ({sandbox.error_summary(exc)}); open it in Excel and save it again"


def check_zip_bomb(path: Path, max_bytes: int, max_ratio: int) -> None:
    """An .xlsx is a zip: refuse one whose declared or actual unpacked size is out of proportion."""
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise RejectedFile("not a valid .xlsx workbook (not a zip archive); open it in Excel and save it again") from exc
    with archive:
        members = archive.infolist()
        declared = sum(m.file_size for m in members)
        packed = max(1, sum(m.compress_size for m in members))
        if declared > max_bytes or declared / packed > max_ratio:
            raise RejectedFile(f"the workbook unpacks to {declared / 1024**2:,.0f} MB from {packed / 1024**2:,.1f} MB "
                               "(a zip bomb?); re-save it from Excel, or raise [limits] xlsx_max_uncompressed_mb")
        total = 0
        for member in members:
            with archive.open(member) as handle:
                while chunk := handle.read(1 << 20):
                    total += len(chunk)
                    if total > max_bytes or total / packed > max_ratio:
                        raise RejectedFile("the workbook unpacks to far more than it declares (a zip bomb?); "
                                           "re-save it from Excel")


DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="\$?([A-Za-z]{1,3})\$?(\d{1,7})'
                          rb'(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def check_dimensions(path: Path, max_cells: int) -> None:
    """Refuse a workbook whose sheets claim more cells than the limit (``A1:XFD1048576`` is 17
    billion): openpyxl would hand over every claimed cell. Reads only each sheet's first 64 KiB."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if not member.filename.lower().endswith(".xml") or "worksheets/" not in member.filename.lower():
                continue
            with archive.open(member) as handle:
                head = handle.read(64 * 1024)
            match = DIMENSION_RE.search(head)
            if not match:
                continue
            first_col, first_row, last_col, last_row = match.groups()
            rows = abs(int(last_row or first_row) - int(first_row)) + 1
            columns = abs(_column_number(last_col or first_col) - _column_number(first_col)) + 1
            if rows * columns > max_cells:
                raise RejectedFile(f"a sheet of the workbook claims {rows:,} rows x {columns:,} columns, above the "
                                   f"{max_cells:,} cell limit; delete the empty rows and columns in Excel and save it "
                                   "again, or raise [limits] max_cells")


def read_xlsx(path: Path, max_bytes: int = 1024**3, max_ratio: int = 200) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet of a workbook as (title, table); see read_xlsx_sheets."""
    return [(title, frame) for title, frame, _ in read_xlsx_sheets(path, max_bytes, max_ratio)]


def _filled(row: tuple[Any, ...] | list[Any]) -> int:
    return sum(1 for v in row if v is not None and str(v).strip() != "")


def _sheet_header(rows: list[Any]) -> int:
    """Which of a sheet's non-empty rows is the header: the first that fills at least half the
    columns the data fill (a report's title rows above it fill one or two cells)."""
    widest = max(_filled(row) for row in rows[:200])
    for index, row in enumerate(rows[: min(MAX_TITLE_LINES, len(rows) - 1) + 1]):
        if 2 * _filled(row) >= widest:
            return index
    return 0


def read_xlsx_sheets(path: Path, max_bytes: int = 1024**3, max_ratio: int = 200,
                     max_cells: int = DEFAULT_LIMITS.max_cells) -> list[tuple[str, pd.DataFrame, int]]:
    """Every sheet as (title, table, title rows left out above its header)."""
    import zipfile

    check_zip_bomb(path, max_bytes, max_ratio)  # both before openpyxl is even imported
    check_dimensions(path, max_cells)
    import openpyxl
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:
        raise RejectedFile("defusedxml is not installed, so workbooks are not opened; pip install defusedxml")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RejectedFile(_xlsx_reason(exc)) from exc
    except Exception as exc:  # openpyxl raises many kinds on broken XML
        raise RejectedFile(_xlsx_reason(exc)) from exc
    sheets = []
    cells = 0
    try:
        for number, sheet in enumerate(workbook.worksheets, start=1):
            rows: list[tuple[Any, ...]] = []
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # read every row the XML holds, not the rows its dimension claims
            try:
                for row in sheet.iter_rows(values_only=True):  # counted as they stream: a claim can lie
                    cells += len(row)
                    if cells > max_cells:
                        raise RejectedFile(f"the workbook holds more than {max_cells:,} cells; split it, or raise "
                                           "[limits] max_cells")
                    rows.append(row)
            except RejectedFile:
                raise
            except Exception as exc:  # openpyxl's text can quote the cell: only where it failed is kept
                raise RejectedFile(f"sheet {number} of the workbook cannot be read at row {len(rows) + 1} "
                                   f"({sandbox.error_summary(exc)}); open it in Excel and save it again") from exc
            rows = [row for row in rows if any(v is not None and str(v).strip() != "" for v in row)]
            if not rows:
                sheets.append((sheet.title, pd.DataFrame(), 0))
                continue
            titles = _sheet_header(rows)
            rows = rows[titles:]
            width = max(len(row) for row in rows)
            header = unique_names(list(rows[0]) + [None] * (width - len(rows[0])))
            body = [list(row) + [None] * (width - len(row)) for row in rows[1:]]
            data = {name: typed_column([r[i] for r in body]) for i, name in enumerate(header)}
            frame = pd.DataFrame(data)
            frame = frame.loc[:, [c for c in frame.columns if not (c.startswith("Unnamed: ") and frame[c].isna().all())]]
            sheets.append((sheet.title, frame, titles))
    finally:
        workbook.close()
    return sheets


# --- walking the folder --------------------------------------------------------------------


def _under(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or inside it (both real paths: no links left in them)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def link_reason(path: Path, real_root: str) -> tuple[str, str]:
    """Why a symbolic link is listed and not followed: (format, reason). Its target is looked up
    without opening it; a loop, a dangling link and a link leaving the folder each say so."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "link", "symbolic link loop; not followed"
        if exc.errno == errno.ENOENT:
            return "link", "dangling symbolic link (its target does not exist); not followed"
        return "link", f"symbolic link whose target cannot be examined ({exc.strerror}); not followed"
    if not _under(os.path.realpath(path), real_root):
        return "link", "symbolic link pointing outside the folder; not followed"
    return "link", "symbolic link; the file it points to is audited under its own name"


def _os_reason(what: str, exc: OSError) -> str:
    """Why an entry could not be examined, listed or read, and what to do about it."""
    if exc.errno == errno.ENAMETOOLONG:
        return f"{what}: its path is longer than the system allows; move it closer to the top of the folder"
    return f"{what} ({exc.strerror}); check its permissions"


def _listing(directory: Path) -> list[os.DirEntry[str]]:
    """A folder's entries sorted by name (raises OSError when it cannot be listed)."""
    with os.scandir(directory) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _is_partitioned(entries: list[os.DirEntry[str]]) -> bool:
    """A hive-partitioned Parquet folder: a sub-folder (not a link) named ``key=value``."""
    return any(PARTITION_RE.match(entry.name) and entry.is_dir(follow_symlinks=False) for entry in entries)


def _is_part(relative: str) -> bool:
    """A data part of a partitioned folder, as Arrow's discovery picks them: a Parquet file or a
    file without suffix, with no name on its path (folders included) starting with ``.`` or ``_``."""
    names = relative.split("/")
    if any(name.startswith((".", "_")) for name in names):
        return False
    return suffix_of(Path(names[-1])) in (".parquet", ".pq") or "." not in names[-1]


_UNDECODED = re.compile("[\ud800-\udfff]")


def displayable(name: str) -> str:
    """A path as text that can be written anywhere: a byte of a file name that is not UTF-8
    (Python keeps it as a lone surrogate, which no UTF-8 file can hold) as ``\\xNN``."""
    return _UNDECODED.sub(lambda m: f"\\x{ord(m.group()) - 0xdc00:02x}" if 0xdc80 <= ord(m.group()) <= 0xdcff
                          else f"\\u{ord(m.group()):04x}", name)


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

    def rel(self, path: Path) -> str:
        return displayable(path.relative_to(self.root).as_posix() if path != self.root else path.name)

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
                sha = sha256_of(path)
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
        if len(entries) >= SPLIT_MIN_FILES and parallel.can_fork() and parallel.worth_forking(0, len(entries)):
            read = self.visit_split(entries)
        else:
            read = [self.visit_alone(entry) for entry in parallel.settled(entries)]
        taken = 0
        for (_, _, _, _, before), (files, tables) in zip(entries, read, strict=True):
            self.files.extend(met[taken:before])
            taken = before
            self.files.extend(files)
            self.tables.extend(tables)
        self.files.extend(met[taken:])

    def visit_alone(self, entry: tuple[Path, int, int, list[os.DirEntry[str]] | None, int]
                    ) -> tuple[list[FileEntry], list[Table]]:
        """What one entry of the tree adds to the inventory and the tables."""
        path, mode, depth, inner, _ = entry
        kept, self.files, self.tables = (self.files, self.tables), [], []
        try:
            if inner is not None:
                self.visit_partitioned(path, depth, inner)
            else:
                self.visit_entry(path, mode)
            return self.files, self.tables
        finally:
            self.files, self.tables = kept
            progress.advance(_entry_bytes(entry))

    def visit_split(self, entries: list[tuple[Path, int, int, list[os.DirEntry[str]] | None, int]]
                    ) -> list[tuple[list[FileEntry], list[Table]]]:
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
            if self.ignore and any(_under(self.real(path), ignored) for ignored in self.ignore):
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                self.add(path, "unknown", "skipped", _os_reason("cannot be examined", exc), digest=False, size=0)
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
                if partitions and _is_partitioned(inner):
                    yield path, mode, level + 1, inner
                else:
                    stack.append((path, level + 1, iter(inner)))

    def list_folder(self, directory: Path) -> list[os.DirEntry[str]] | None:
        try:
            return _listing(directory)
        except OSError as exc:
            self.files.append(FileEntry(self.rel(directory), "folder", 0, None, "skipped",
                                        _os_reason("folder cannot be listed", exc)))
            return None

    def too_deep(self, directory: Path) -> None:
        self.files.append(FileEntry(self.rel(directory), "folder", 0, None, "skipped",
                                    f"folder nested deeper than {self.limits.max_depth} levels; not read: move its "
                                    "files up, or raise [limits] max_depth"))

    def visit_entry(self, path: Path, mode: int) -> None:
        """A link, a regular file or a special file met by the walk."""
        if stat.S_ISLNK(mode):
            fmt, reason = link_reason(path, self.real_root)
            self.add(path, fmt, "skipped", reason, digest=False, size=0)
        elif stat.S_ISREG(mode):
            try:
                self.visit_file(path)
            except OSError as exc:  # vanished, unreadable, or a path too long to open
                self.add(path, "unknown", "skipped", _os_reason("cannot be read", exc), digest=False, size=0)
        else:
            self.add(path, "special", "skipped", "not a regular file (FIFO, socket or device); never opened",
                     digest=False, size=0)

    def partition_files(self, directory: Path, depth: int, listing: list[os.DirEntry[str]]) -> list[Path]:
        """The regular files of a partitioned folder, found without following links; links, special
        files and folders past the depth limit are listed as skipped here and never handed to Arrow."""
        files: list[Path] = []
        for path, mode, _, _ in self.tree(directory, depth, listing, partitions=False):
            if stat.S_ISREG(mode) and _under(os.path.realpath(path), self.real_root):
                files.append(path)
            else:
                self.visit_entry(path, mode)  # a link or a special file: listed, never opened
        return files

    def visit_partitioned(self, directory: Path, depth: int, listing: list[os.DirEntry[str]]) -> None:
        parts = self.partition_files(directory, depth, listing)
        data_parts = [p for p in parts if _is_part(p.relative_to(directory).as_posix())]
        chosen = set(data_parts)
        other = [p for p in parts if p not in chosen]
        name = self.rel(directory)
        reason = None
        frame = None
        try:
            frame = sandbox.run(read_parquet, data_parts, directory, self.limits, limits=self.child_limits(),
                                label=name) if data_parts else None
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
            self.tables.append(Table(name, name, "parquet", normalise_frame(frame), split_kind(directory)))

    def child_limits(self) -> sandbox.Limits:
        limits = self.limits
        return sandbox.Limits(limits.max_memory_mb * 1024**2, float(limits.max_parse_seconds),
                              limits.max_uncompressed_mb * 1024**2)

    def visit_file(self, path: Path, single: bool = False) -> None:
        rel = self.rel(path)
        if (os.path.realpath(path) if single else self.real(path)) in self.config_files:
            self.add(path, "config", "skipped", "readiness configuration or GX suite, not data")
            return
        if path.name.startswith("."):
            self.add(path, "hidden", "skipped", "hidden file; not data")
            return
        ext = suffix_of(path)
        if ext in SKIP_REASONS:
            self.add(path, ext.lstrip("."), "skipped", SKIP_REASONS[ext])
            return
        if ext in REJECT_ONLY:
            self.add(path, REJECT_ONLY[ext][0], "rejected", REJECT_ONLY[ext][1])
            return
        fmt = DATA_FORMATS.get(ext)
        if fmt is None:
            kind = ext.lstrip(".") or "unknown"
            self.add(path, kind, "skipped", "not tabular data")
            return
        name = rel
        split = split_kind(path)
        encoding = None
        limits = self.limits
        size = path.stat().st_size
        if size > limits.max_file_mb * 1024**2:
            self.add(path, fmt, "rejected", f"the file is {size / 1024**2:,.0f} MB, above the {limits.max_file_mb:,} MB "
                                            "limit; split it, or raise [limits] max_file_mb", digest=False)
            return
        child_limits = self.child_limits()
        notes: dict[str, tuple[ReadNote, ...]] = {}  # what the reader noticed, by table
        separator: str | None = None
        try:
            if path.name.lower().endswith(".gz"):
                check_unpacked(path, limits)
            if fmt in ("csv", "tsv"):
                delimited = read_delimited_table(path, fmt, rel, limits)
                encoding, separator = delimited.encoding, delimited.separator
                notes[name] = delimited.notes
                raw: list[tuple[str, pd.DataFrame, frozenset[str]]] = [(name, delimited.frame, frozenset())]
            elif fmt in ("json", "jsonl"):
                raw = [(name, read_json(path, fmt, limits.json_max_depth), frozenset())]
            elif fmt == "parquet":
                raw = [(name, sandbox.run(read_parquet, [path], None, limits, limits=child_limits, label=rel),
                        frozenset())]
            else:
                sheets = sandbox.run(read_xlsx_sheets, path, limits.xlsx_max_uncompressed_mb * 1024**2,
                                     limits.xlsx_max_ratio, limits.max_cells, limits=child_limits, label=rel)
                raw = [(f"{name}:{sheet}", frame, EXCEL_ERRORS) for sheet, frame, _ in sheets]
                for sheet, _, titles in sheets:
                    if titles:
                        notes[f"{name}:{sheet}"] = (ReadNote(
                            "metadata_line", titles,
                            f"the first {titles} non-empty row{'s' if titles > 1 else ''} of sheet {sheet} in {rel} "
                            "are titles, not its header; they were left out of the table",
                            "minor", details={"lines": titles}),)
                if not raw:
                    raise RejectedFile("the workbook has no sheets; re-save it from Excel")
            for _, frame, _ in raw:
                check_shape(frame, limits)
            tables = [(table_name, normalise_frame(frame, tokens)) for table_name, frame, tokens in raw]
            if separator is not None:
                suspect = suspect_delimiter(tables[0][1], separator, rel)
                notes[name] = notes[name] + ((suspect,) if suspect else ())
        except sandbox.SandboxError as exc:
            self.add(path, fmt, "rejected", str(exc), encoding=encoding)
            return
        except RejectedFile as exc:
            self.add(path, fmt, "rejected", str(exc), encoding=encoding)
            return
        except MemoryError:
            self.add(path, fmt, "rejected", "too large to read in memory; split it into smaller files")
            return
        except Exception as exc:  # any parser failure rejects the file, never the audit
            self.add(path, fmt, "rejected", f"could not be read ({sandbox.error_summary(exc)}); re-export it")
            return
        self.add(path, fmt, "ok", None, encoding=encoding, tables=tuple(t for t, _ in tables))
        for table_name, frame in tables:
            self.tables.append(Table(table_name, rel, fmt, frame, split, notes.get(table_name, ())))


def ingest(root: Path, *, ignore: Iterable[Path] = (), config_files: Iterable[Path] = (),
           limits: ReadLimits = DEFAULT_LIMITS) -> Ingested:
    """Read PATH (a folder, recursively, or one file) into tables and a full file inventory."""
    walker = Walker(root, ignore, config_files, limits)
    walker.walk()
    return Ingested(str(root), tuple(walker.files), tuple(walker.tables))


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


def as_text(value: Any) -> str:
    """The text a value is compared by (class names, distinct values)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return json.dumps(float(value))
    return str(value)


__all__ = ["ingest", "normalise_frame", "as_text", "is_text", "objects", "NA_TOKENS", "EXCEL_ERRORS"]
