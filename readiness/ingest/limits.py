"""What a client file may cost before it is refused: its unpacked size, the shape of its
tables, the cells and size an .xlsx archive claims. Each check raises RejectedFile with the
limit passed and the ``[limits]`` key that raises it.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

import pandas as pd

from readiness.ingest import sandbox
from readiness.ingest.columns import arrow_text
from readiness.ingest.readers.common import RejectedFile
from readiness.settings import ReadLimits

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
