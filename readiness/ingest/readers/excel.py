"""The Excel reader: every sheet of an .xlsx workbook as a table, parsed by openpyxl in a child
process (sandbox) once the archive's sizes and the sheets' claimed cells fit the limits; title
rows above a sheet's header are left out, and Excel's error values count as missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from readiness.ingest import sandbox
from readiness.ingest.columns import typed_column, unique_names
from readiness.ingest.limits import check_dimensions, check_zip_bomb
from readiness.ingest.readers.common import DEFAULT_LIMITS, Part, Read, RejectedFile, Request
from readiness.ingest.readers.delimited_layout import MAX_TITLE_LINES
from readiness.models import ReadNote

EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#BUSY!",
})


def read_file(path: Path, request: Request) -> Read:
    limits = request.limits
    sheets = sandbox.run(read_xlsx_sheets, path, limits.xlsx_max_uncompressed_mb * 1024**2, limits.xlsx_max_ratio,
                         limits.max_cells, limits=request.child, label=request.name)
    if not sheets:
        raise RejectedFile("the workbook has no sheets; re-save it from Excel")
    return Read(tuple(Part(f"{request.name}:{sheet}", frame, EXCEL_ERRORS, _title_notes(sheet, titles, request.name))
                      for sheet, frame, titles in sheets))


def _title_notes(sheet: str, titles: int, file: str) -> tuple[ReadNote, ...]:
    if not titles:
        return ()
    return (ReadNote(
        "metadata_line", titles,
        f"the first {titles} non-empty row{'s' if titles > 1 else ''} of sheet {sheet} in {file} "
        "are titles, not its header; they were left out of the table",
        "minor", details={"lines": titles}),)


def _xlsx_reason(exc: BaseException) -> str:
    chain = [exc, exc.__cause__, exc.__context__]
    names = " ".join(type(e).__name__ for e in chain if e is not None) + " " + " ".join(str(e) for e in chain if e)
    if any(word in names for word in ("Entities", "DTD", "ExternalReference", "entit")):
        return ("the workbook's XML declares entities (the pattern of billion-laughs and XXE attacks), so it is "
                "not opened; re-save it from Excel")
    if isinstance(exc, KeyError):
        return "the workbook is missing required parts; open it in Excel and save it again"
    return f"not a valid .xlsx workbook ({sandbox.error_summary(exc)}); open it in Excel and save it again"


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


