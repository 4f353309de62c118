"""Findings: the exact counts of the profile stage turned into ranked, explained evidence.

Pure functions: no I/O, no pandas. Every nonzero count becomes a finding; severity says how
much it matters, the score weighs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from readiness.models import SEVERITIES, FileEntry, Finding
from readiness.profile.labels import LabelTarget, is_supervised
from readiness.profile.stats import ColumnStats, LabelStats, TableStats
from readiness.score import blocking_class_count
from readiness.settings import Settings

if TYPE_CHECKING:
    from readiness.profile.shapes import Shapes

EXPECTATION = {
    "missing_values": "expect_column_values_to_not_be_null",
    "label_missing": "expect_column_values_to_not_be_null",
    "format": "expect_column_values_to_match_regex",
    "mixed_formats": "expect_column_values_to_match_regex",
    "duplicate_rows": "expect_compound_columns_to_be_unique",
    "not_unique": "expect_column_values_to_be_unique",
    "out_of_range": "expect_column_values_to_be_between",
    "label_not_in_set": "expect_column_values_to_be_in_set",
    "class_too_small": None,
    "class_imbalance": None,
    "pii": None,
    "file_rejected": None,
    "no_label": None,
    "no_rows": None,
    "empty_table": None,
    "future_dates": "expect_column_values_to_be_between",
    "text_too_short": "expect_column_value_lengths_to_be_between",
    "text_too_long": "expect_column_value_lengths_to_be_between",
    "mojibake": "expect_column_values_to_not_match_regex",
    "duplicate_texts": "expect_column_values_to_be_unique",
    "label_variants": None, "conflicting_labels": None, "leakage": None, "label_sorted": None,
    "label_outliers": None, "split_overlap": None, "split_label_shift": None, "split_schema_mismatch": None,
    "time_gaps": None, "stale_data": None,
    # how a file was read (ingest.py)
    "ragged_rows": None, "no_header": None, "metadata_line": None, "suspect_delimiter": None,
    # what a column is
    "row_index_column": None, "constant_column": None,
    "empty_column": "expect_column_values_to_not_be_null", "missing_by_design": None,
    "grouping_column": None, "label_drift": None,
}
DIMENSION = {
    "missing_values": "completeness",
    "file_rejected": "completeness",
    "format": "validity",
    "out_of_range": "validity",
    "mixed_formats": "consistency",
    "duplicate_rows": "uniqueness",
    "not_unique": "uniqueness",
    "label_missing": "label_readiness",
    "label_not_in_set": "label_readiness",
    "class_too_small": "label_readiness",
    "class_imbalance": "label_readiness",
    "no_label": "label_readiness",
    "no_rows": "volume",
    "empty_table": "volume",
    "pii": "privacy",
    # the ML checks (mlchecks.py)
    "label_variants": "label_readiness", "conflicting_labels": "label_readiness", "leakage": "label_readiness",
    "split_overlap": "label_readiness", "split_label_shift": "label_readiness", "label_sorted": "label_readiness",
    "label_outliers": "label_readiness", "split_schema_mismatch": "consistency", "future_dates": "validity",
    "time_gaps": "consistency", "stale_data": "volume", "text_too_short": "validity", "text_too_long": "validity",
    "mojibake": "validity", "duplicate_texts": "uniqueness",
    "ragged_rows": "validity", "no_header": "validity", "metadata_line": "validity", "suspect_delimiter": "validity",
    "row_index_column": "consistency", "constant_column": "consistency", "empty_column": "completeness",
    "missing_by_design": "completeness", "grouping_column": "label_readiness", "label_drift": "label_readiness",
}


def pct(fraction: float) -> str:
    value = fraction * 100
    if 0 < value < 0.1:
        return "<0.1%"
    return f"{value:.1f}%"


def by_fraction(fraction: float, major: float, minor: float, blocker: float | None = None) -> str:
    if blocker is not None and fraction >= blocker:
        return "blocker"
    if fraction >= major:
        return "major"
    if fraction >= minor:
        return "minor"
    return "info"


def make_finding(check: str, severity: str, table: str | None, column: str | None, count: int, rows: int,
             message: str, **details: object) -> Finding:
    return Finding(
        check=check, severity=severity, dimension=DIMENSION[check], table=table, column=column,
        count=int(count), fraction=count / rows if rows else 0.0, expectation=EXPECTATION[check],
        message=message, details=dict(details),
    )


def shape_details(shapes: Shapes | None) -> dict[str, object]:
    """The masked shapes of a format finding's values (``dd/dd/dddd`` 241), for its details."""
    return shapes.details() if shapes is not None else {}


def column_findings(table: str, rows: int, stats: ColumnStats) -> list[Finding]:
    plan = stats.plan
    name = plan.name
    out: list[Finding] = []
    # gaps (missing_values, empty_column, missing_by_design) need the whole table: columns.py
    if stats.format_invalid:
        fraction = stats.format_invalid / rows
        if plan.format and plan.format.startswith("date:"):
            what = f"are not valid dates (layout {plan.format[5:]})"
        elif plan.format == "numeric":
            what = "are not numbers in a numeric column"
        elif plan.format and plan.format.startswith("regex:"):
            what = "do not match the configured pattern"
        else:
            what = f"are not valid {plan.format} values"
        out.append(make_finding("format", by_fraction(fraction, 0.1, 0.01), table, name, stats.format_invalid, rows,
                            f"{stats.format_invalid:,} values of {name} ({pct(fraction)}) {what}",
                            expected_format=plan.format, **shape_details(stats.format_shapes)))
    if stats.mixed_formats:
        fraction = stats.mixed_formats / rows
        others = sorted(n for n, _ in stats.layouts if plan.format and n != plan.format[5:])
        out.append(make_finding("mixed_formats", "major" if fraction >= 0.1 else "minor", table, name,
                            stats.mixed_formats, rows,
                            f"{stats.mixed_formats:,} dates in {name} ({pct(fraction)}) use another layout "
                            f"({', '.join(others)}) than the column's {plan.format[5:] if plan.format else ''}",
                            expected_format=plan.format, other_layouts=others, **shape_details(stats.mixed_shapes)))
    if stats.out_of_range:
        fraction = stats.out_of_range / rows
        bounds = f"[{'' if plan.low is None else f'{plan.low:g}'}, {'' if plan.high is None else f'{plan.high:g}'}]"
        if plan.pii is not None:  # personal data: no range, whatever it was drawn from
            out.append(make_finding("out_of_range", "major" if fraction >= 0.05 else "minor", table, name,
                                    stats.out_of_range, rows,
                                    f"{stats.out_of_range:,} values of {name} ({pct(fraction)}) fall outside the "
                                    "plausible range (not shown: the column holds personal data)"))
        else:
            out.append(make_finding("out_of_range", "major" if fraction >= 0.05 else "minor", table, name,
                                    stats.out_of_range, rows,
                                    f"{stats.out_of_range:,} values of {name} ({pct(fraction)}) fall outside the "
                                    f"plausible range {bounds}", min_value=plan.low, max_value=plan.high))
    if stats.not_unique:
        fraction = stats.not_unique / rows
        out.append(make_finding("not_unique", "major" if fraction >= 0.01 else "minor", table, name, stats.not_unique, rows,
                            f"{stats.not_unique:,} rows repeat a {name} value already used by an earlier row"))
    if plan.pii_count:
        fraction = plan.pii_count / rows
        kinds = [k for k, _ in plan.pii_matches] or [plan.pii or "personal"]
        secret = "secret" in kinds
        if plan.pii:
            message = f"{name} holds personal data ({plan.pii}) in {plan.pii_count:,} values; the packet withholds them"
        else:
            message = (f"{plan.pii_count:,} values of {name} ({pct(fraction)}) contain personal data "
                       f"({', '.join(kinds)}); examples are masked in the packet")
        out.append(make_finding("pii", "major" if (secret or plan.pii) else "minor", table, name, plan.pii_count, rows,
                            message, kinds=kinds, column_is_personal=plan.pii is not None))
    return out


def label_findings(label: LabelStats, settings: Settings, task: str) -> list[Finding]:
    out: list[Finding] = []
    rows = label.rows
    missing = rows - label.labeled
    table, column = label.table, label.column
    if missing:
        fraction = missing / rows
        out.append(make_finding("label_missing", by_fraction(fraction, 0.1, 0.0, blocker=0.5), table, column, missing, rows,
                            f"{pct(fraction)} of rows have no {column} label ({missing:,} of {rows:,})"))
    if label.not_in_set:
        fraction = label.not_in_set / rows
        out.append(make_finding("label_not_in_set", "major" if fraction >= 0.01 else "minor", table, column,
                            label.not_in_set, rows,
                            f"{label.not_in_set:,} labels of {column} are not among the declared classes"))
    if label.classes is None or task == "regression":
        return out
    minimum = settings.label.min_class_count
    declared = settings.label.classes
    # values outside the declared classes are reported as label_not_in_set, not as classes
    classes = [(name, n) for name, n in label.classes if declared is None or name in declared]
    small = [(name, n) for name, n in classes if n < minimum]
    if small:
        affected = sum(n for _, n in small)
        shortfall = sum(minimum - n for _, n in small)
        named = "" if label.personal else f": {', '.join(f'{n} ({c})' for n, c in small)}"
        smallest = min(n for _, n in small)
        blocking = smallest < blocking_class_count(minimum)
        out.append(make_finding("class_too_small",
                                "blocker" if blocking else "major" if len(small) * 2 >= len(classes) else "minor",
                                table, column, affected, rows,
                                f"{len(small)} {column} class{'es have' if len(small) > 1 else ' has'} fewer than "
                                f"{minimum} examples{named}"
                                + (f"; a class of {smallest} cannot be learned or measured" if blocking else ""),
                                classes={} if label.personal else dict(small), minimum=minimum, shortfall=shortfall,
                                smallest=smallest))
    if len(classes) >= 2:
        majority, minority = classes[0], classes[-1]
        ratio = majority[1] / minority[1]
        if ratio > settings.label.max_imbalance_ratio:
            out.append(make_finding("class_imbalance", "major" if ratio > 10 * settings.label.max_imbalance_ratio else "minor",
                                table, column, minority[1], rows,
                                f"{column} is imbalanced: the largest class has {ratio:.1f} times the rows of the smallest "
                                f"(threshold {settings.label.max_imbalance_ratio:g})",
                                ratio=ratio, majority=None if label.personal else majority[0],
                                minority=None if label.personal else minority[0],
                                threshold=settings.label.max_imbalance_ratio))
    return out


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
    """Columns that are only the row number (infer.row_index_columns), once each."""
    name, rows = stats.table.name, stats.rows
    return [make_finding("row_index_column", "info", name, column.plan.name, column.non_missing, rows,
                         f"{column.plan.name} holds only the row number: drop it before training (duplicate rows, "
                         "label conflicts and feature counts leave it out)")
            for column in stats.columns if column.plan.is_row_index]


def table_findings(stats: TableStats) -> list[Finding]:
    name, rows = stats.table.name, stats.rows
    out: list[Finding] = reading_findings(stats)
    out += duplicate_findings(stats) + row_index_findings(stats)
    for column in stats.columns:
        out.extend(column_findings(name, rows, column))
    from readiness.checks import columns

    return out + columns.findings(stats)


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


def dataset_findings(target: LabelTarget, any_table: bool) -> list[Finding]:
    if any_table and is_supervised(target.task) and target.column is None:
        return [make_finding("no_label", "blocker", None, None, 0, 0,
                         f"the task is {target.task} but no label column was found; "
                         "name it with --label or [label] column in readiness.toml")]
    return []


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


def rank(findings: Iterable[Finding]) -> list[Finding]:
    """Blockers first, then by how much of the table is affected."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (f.waived, order[f.severity], -f.fraction, -f.count, f.id))


def all_findings(files: Iterable[FileEntry], tables: Iterable[TableStats], target: LabelTarget,
                 settings: Settings) -> list[Finding]:
    tables = list(tables)
    found = file_findings(files, bool(tables)) + dataset_findings(target, bool(tables)) + row_findings(tables)
    for stats in tables:
        found.extend(table_findings(stats))
        if stats.label is not None:
            found.extend(label_findings(stats.label, settings, target.task))
    return rank(found)
