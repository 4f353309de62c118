"""What a file and a table hold as a whole: files that could not be read, how a file was read
(ragged rows, no header, ...), tables without rows, duplicate rows and row-number columns.
"""

from __future__ import annotations

from collections.abc import Iterable

from readiness.checks.base import make_finding, pct
from readiness.models import FileEntry, Finding
from readiness.profile.counts import TableStats


def file_findings(files: Iterable[FileEntry], any_table: bool) -> list[Finding]:
    data_files = [f for f in files if f.status != "skipped"]
    out = []
    for entry in data_files:
        if entry.status != "rejected":
            continue
        finding = make_finding("file_rejected", "major" if any_table else "blocker", None, None, 1, len(data_files),
                           f"{entry.path} could not be read: {entry.reason}", path=entry.path)
        out.append(finding)
    return out


def row_findings(tables: list[TableStats]) -> list[Finding]:
    """No data rows at all is a blocker (a header alone is no dataset); one empty table among
    others is a minor finding: it is there, and holds nothing."""
    if tables and not any(stats.rows for stats in tables):
        return [make_finding("no_rows", "blocker", None, None, 0, 0,
                             f"the {'table holds' if len(tables) == 1 else f'{len(tables)} tables hold'} no data rows "
                             "(a header at most); export the data again")]
    return [make_finding("empty_table", "minor", stats.table.name, None, 0, 0,
                         f"{stats.table.name} holds no data rows (a header at most)")
            for stats in tables if not stats.rows]


def reading_findings(stats: TableStats) -> list[Finding]:
    """What the reader noticed about the file's layout (ragged rows, no header, ...)."""
    name, rows = stats.table.name, stats.rows
    return [make_finding(note.check, note.severity, name, note.column, note.count, rows, note.message,
                         **note.details) for note in stats.table.notes]


REPEATS_MAX_DISTINCT = 50  # every compared column this coarse: identical rows arise by themselves
REPEATS_FIX = ("Check with the data owner whether the repeated rows are separate people or events (keep them, "
               "and ask for an id or a timestamp that tells them apart) or copies made by an export (remove "
               "those); do not delete them blindly.")


def repeats_expected(stats: TableStats) -> dict[str, object] | None:
    """Why identical rows are likely different people or events, or None: the table has no id
    and its columns take few values (at most REPEATS_MAX_DISTINCT each, or fewer combinations of
    values than rows), as in survey answers or count data. Row numbers are left out, as in the count."""
    compared = [c for c in stats.columns if not c.plan.is_row_index]
    if not compared or any(c.plan.is_id for c in compared):
        return None
    widest = max(c.distinct for c in compared)
    combinations = 1
    for column in compared:  # a missing value is one more value a row can take
        combinations *= max(1, column.distinct + (1 if column.missing else 0))
        if combinations > stats.rows and widest > REPEATS_MAX_DISTINCT:
            return None
    if combinations <= stats.rows:
        return {"reason": "few_combinations", "combinations": combinations, "max_distinct": widest}
    return {"reason": "low_cardinality", "max_distinct": widest}


def duplicate_findings(stats: TableStats) -> list[Finding]:
    """Exact duplicate rows (row numbers left out); told apart from repeats the data explains."""
    name, rows, count = stats.table.name, stats.rows, stats.duplicate_rows
    if not count:
        return []
    fraction = count / rows
    message = f"{count:,} {'row' if count == 1 else 'rows'} ({pct(fraction)}) repeat{'s' if count == 1 else ''} an earlier row exactly"
    expected = repeats_expected(stats)
    if expected is None:
        return [make_finding("duplicate_rows", "major" if fraction >= 0.05 else "minor", name, None, count, rows,
                             message, likely_legitimate=False)]
    if expected["reason"] == "few_combinations":
        why = f"only {expected['combinations']:,} possible combinations of values for {rows:,} rows"
    else:
        why = f"at most {expected['max_distinct']:,} distinct values in any column"
    return [make_finding("duplicate_rows", "info", name, None, count, rows,
                         f"{message}; with no id column and {why}, identical rows may be different people or "
                         "events: check with the data owner before removing any", likely_legitimate=True,
                         fix=REPEATS_FIX, **expected)]


def row_index_findings(stats: TableStats) -> list[Finding]:
    """Columns that are only the row number (keys.row_index_columns), once each."""
    name, rows = stats.table.name, stats.rows
    return [make_finding("row_index_column", "info", name, column.plan.name, column.non_missing, rows,
                         f"{column.plan.name} holds only the row number: drop it before training (duplicate rows, "
                         "label conflicts and feature counts leave it out)")
            for column in stats.columns if column.plan.is_row_index]


__all__ = ["file_findings", "row_findings", "reading_findings", "repeats_expected", "duplicate_findings",
           "row_index_findings", "REPEATS_FIX"]
