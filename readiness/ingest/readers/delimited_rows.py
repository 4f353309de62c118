"""The rows of a delimited file once its layout is known: Arrow's multi-threaded reader where it
reads exactly what pandas' C parser reads, else the C parser (or pandas' fixed-width reader),
with one column per field of the widest row and the field count of every row that differs.
"""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from readiness.ingest import sandbox
from readiness.ingest.columns import TEXT, arrow_text
from readiness.ingest.readers.common import RejectedFile
from readiness.ingest.readers.delimited_layout import BLANKS, WHITESPACE, Layout


def arrow_rows(path: Path, head: str, layout: Layout) -> tuple[pd.DataFrame | None, np.ndarray | None]:
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


def pandas_rows(path: Path, encoding: str, layout: Layout, ragged: np.ndarray | None
                 ) -> tuple[pd.DataFrame, list[str] | None, np.ndarray]:
    """pandas' C parser with one column per field of the widest row (no field becomes an index)."""
    width = max(layout.widest, layout.width, int(ragged.max()) if ragged is not None and ragged.size else 0)
    try:
        try:
            frame = _pandas_csv(path, layout.separator, encoding, width, layout.skip)
        except _NeedsWidth:
            if ragged is not None:
                raise RejectedFile("rows do not line up with the header; fix the quoting or re-export") from None
            ragged = count_fields(path, encoding, layout)
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
            ragged = count_fields(path, encoding, layout)  # longer rows in the sample, or maybe shorter ones
        else:
            ragged = np.zeros(0, dtype=np.int64)
    return frame, names, ragged


def count_fields(path: Path, encoding: str, layout: Layout) -> np.ndarray:
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
        return count_fields_slowly(path, encoding, layout)


def _fields_of(row: list[str]) -> int:
    return 0 if not row or (len(row) == 1 and not row[0].strip(BLANKS)) else len(row)


def count_fields_slowly(path: Path, encoding: str, layout: Layout) -> np.ndarray:
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


def read_fixed(path: Path, encoding: str, layout: Layout) -> tuple[pd.DataFrame, list[str] | None]:
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

