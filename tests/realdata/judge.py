"""Compare one audited table with its hand-written truth: what the test asserts and the report counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.realdata.build import TableTruth

# how a file was read: a finding present exactly when the truth says so
READING_CHECKS = ("no_header", "metadata_line", "ragged_rows")
NUMERIC_TYPES = frozenset({"integer", "numeric", "float", "number", "boolean"})


@dataclass(frozen=True)
class Problem:
    aspect: str  # status | rows | fields | reading | row_index | dates | pii | constant | duplicate_texts
    message: str


@dataclass(frozen=True)
class Verdict:
    truth: TableTruth
    problems: tuple[Problem, ...]
    findings: int  # findings on this table
    pii_found: dict[int, tuple[str, ...]]  # position -> kinds of the pii finding
    pii_on_numeric: tuple[int, ...]  # positions of numeric columns with a pii finding
    misread: bool  # status, rows, fields or header disagree with the truth

    @property
    def ok(self) -> bool:
        return not self.problems


def table_of(document: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((t for t in document["tables"] if t["name"] == name), None)


def is_date(column: dict[str, Any]) -> bool:
    return column["type"] == "datetime" or str(column.get("format") or "").startswith("date:")


def judge(truth: TableTruth, document: dict[str, Any]) -> Verdict:
    problems: list[Problem] = []

    def problem(aspect: str, message: str) -> None:
        problems.append(Problem(aspect, message))

    entry = next((f for f in document["files"] if f["path"] == truth.file), None)
    if entry is None:
        problem("status", f"{truth.file} has no entry in files")
    elif entry["status"] != "ok":
        problem("status", f"{truth.file} is {entry['status']}: {entry['reason']}")
    table = table_of(document, truth.name)
    if table is None:
        names = sorted(t["name"] for t in document["tables"] if t["name"].startswith(truth.file))
        problem("status", f"no table {truth.name} (tables of this file: {names})")
        return Verdict(truth, tuple(problems), 0, {}, (), True)

    findings = [f for f in document["findings"] if f["table"] == truth.name]
    columns = table["columns"]
    position = {c["name"]: i for i, c in enumerate(columns)}
    if table["rows"] != truth.rows:
        problem("rows", f"{table['rows']} rows, truth {truth.rows}")
    if len(columns) != truth.fields:
        problem("fields", f"{len(columns)} columns, truth {truth.fields} "
                          f"(read as {[c['name'] for c in columns][:8]}{'...' if len(columns) > 8 else ''})")
    checks = {f["check"] for f in findings}
    expected = {"no_header": truth.header_line == 0, "metadata_line": bool(truth.metadata_lines),
                "ragged_rows": truth.ragged > 0}
    for check in READING_CHECKS:
        if (check in checks) != expected[check]:
            problem("reading", f"{check} finding {'missing' if expected[check] else 'reported'}"
                               f" (truth: header line {truth.header_line}, metadata lines "
                               f"{list(truth.metadata_lines)}, ragged rows {truth.ragged})")
    misread = bool(problems)

    pii_found: dict[int, tuple[str, ...]] = {}
    on_numeric: list[int] = []
    for f in findings:
        if f["check"] == "pii" and f["column"] in position:
            at = position[f["column"]]
            kinds = (f.get("details") or {}).get("kinds") or [columns[at].get("pii") or "personal"]
            pii_found[at] = tuple(kinds)
            if columns[at]["type"] in NUMERIC_TYPES:
                on_numeric.append(at)

    if len(columns) == truth.fields:  # positions mean something only then
        def label(at: int) -> str:
            return f"{at} ({columns[at]['name']!r}, {columns[at]['type']})"

        for at in truth.row_index:
            if columns[at]["type"] != "row_index":
                problem("row_index", f"column {label(at)} is a bare row number, not typed row_index")
        for at, c in enumerate(columns):
            # an id numbered 1..n may pass for a row number; years or dates may not
            tolerated = at in truth.ids and at not in truth.dates
            if c["type"] == "row_index" and at not in truth.row_index and not tolerated:
                problem("row_index", f"column {label(at)} typed row_index but is data")
        for at in truth.dates:
            if not is_date(columns[at]):
                problem("dates", f"column {label(at)} holds dates or years, not read as dates "
                                 f"(format {columns[at].get('format')})")
        for at, c in enumerate(columns):
            if is_date(c) and at not in truth.dates:
                problem("dates", f"column {label(at)} read as dates ({c.get('format')}) but is not")
        if set(pii_found) != set(truth.pii):
            for at in sorted(set(pii_found) - set(truth.pii)):
                problem("pii", f"column {label(at)} flagged as personal data {list(pii_found[at])}, truth: none")
            for at in sorted(set(truth.pii) - set(pii_found)):
                problem("pii", f"column {label(at)} is personal data ({truth.pii[at]}), not flagged")
        constant_found = {position[f["column"]] for f in findings
                          if f["check"] == "constant_column" and f["column"] in position}
        if constant_found != set(truth.constant):
            problem("constant", f"constant_column on {sorted(constant_found)}, truth {list(truth.constant)}")
        for f in findings:
            if f["check"] == "duplicate_texts" and position.get(f["column"]) not in truth.free_text:
                at = position.get(f["column"], -1)
                problem("duplicate_texts", f"duplicate_texts on {label(at) if at >= 0 else f['column']}, "
                                           "a constant, categorical or non-text column")
    return Verdict(truth, tuple(problems), len(findings), pii_found, tuple(on_numeric), misread)
