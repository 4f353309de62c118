"""How a delimited text file is laid out, judged from a sample of its text: the separator (a
character, runs of spaces, or fixed-width columns), whether a header names the columns, and
whether title or count lines sit above it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from readiness.ingest.columns import NA_TOKENS

WHITESPACE = "whitespace"  # columns separated by runs of spaces and tabs
FIXED_WIDTH = "fixed-width"  # columns at fixed character positions (values may hold single spaces)
DELIMITERS = (",", "\t", ";", "|", ":")  # in order of preference when several fit the sample
SNIFF_RECORDS = 500  # records of the sample that decide the layout
NUMERIC_SAMPLE = 50  # data rows that decide which columns hold numbers
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

