"""Findings: the exact counts of the profile stage turned into ranked, explained evidence.

Pure functions: no I/O, no pandas. Every nonzero count becomes a finding; severity says how
much it matters, the score weighs it.
"""

from __future__ import annotations

from collections.abc import Iterable

from readiness.labels import LabelTarget, is_supervised
from readiness.models import SEVERITIES, FileEntry, Finding
from readiness.profile import ColumnStats, LabelStats, TableStats
from readiness.settings import Settings

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
    "future_dates": "expect_column_values_to_be_between",
    "text_too_short": "expect_column_value_lengths_to_be_between",
    "text_too_long": "expect_column_value_lengths_to_be_between",
    "mojibake": "expect_column_values_to_not_match_regex",
    "duplicate_texts": "expect_column_values_to_be_unique",
    "label_variants": None, "conflicting_labels": None, "leakage": None, "label_sorted": None,
    "label_outliers": None, "split_overlap": None, "split_label_shift": None, "split_schema_mismatch": None,
    "time_gaps": None, "stale_data": None,
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
    "pii": "privacy",
    # the ML checks (mlchecks.py)
    "label_variants": "label_readiness", "conflicting_labels": "label_readiness", "leakage": "label_readiness",
    "split_overlap": "label_readiness", "split_label_shift": "label_readiness", "label_sorted": "label_readiness",
    "label_outliers": "label_readiness", "split_schema_mismatch": "consistency", "future_dates": "validity",
    "time_gaps": "consistency", "stale_data": "volume", "text_too_short": "validity", "text_too_long": "validity",
    "mojibake": "validity", "duplicate_texts": "uniqueness",
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


def column_findings(table: str, rows: int, stats: ColumnStats) -> list[Finding]:
    plan = stats.plan
    name = plan.name
    out: list[Finding] = []
    if stats.missing and not plan.is_label:
        fraction = stats.missing / rows
        out.append(make_finding("missing_values", by_fraction(fraction, 0.5, 0.05), table, name, stats.missing, rows,
                            f"{pct(fraction)} of rows ({stats.missing:,}) have no {name}"))
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
                            expected_format=plan.format))
    if stats.mixed_formats:
        fraction = stats.mixed_formats / rows
        others = sorted(n for n, _ in stats.layouts if plan.format and n != plan.format[5:])
        out.append(make_finding("mixed_formats", "major" if fraction >= 0.1 else "minor", table, name,
                            stats.mixed_formats, rows,
                            f"{stats.mixed_formats:,} dates in {name} ({pct(fraction)}) use another layout "
                            f"({', '.join(others)}) than the column's {plan.format[5:] if plan.format else ''}",
                            expected_format=plan.format, other_layouts=others))
    if stats.out_of_range:
        fraction = stats.out_of_range / rows
        bounds = f"[{'' if plan.low is None else f'{plan.low:g}'}, {'' if plan.high is None else f'{plan.high:g}'}]"
        out.append(make_finding("out_of_range", "major" if fraction >= 0.05 else "minor", table, name,
                            stats.out_of_range, rows,
                            f"{stats.out_of_range:,} values of {name} ({pct(fraction)}) fall outside the plausible range {bounds}",
                            min_value=plan.low, max_value=plan.high))
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
        out.append(make_finding("class_too_small", "major" if len(small) * 2 >= len(classes) else "minor",
                            table, column, affected, rows,
                            f"{len(small)} {column} class{'es have' if len(small) > 1 else ' has'} fewer than "
                            f"{minimum} examples{named}",
                            classes={} if label.personal else dict(small), minimum=minimum, shortfall=shortfall))
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


def table_findings(stats: TableStats) -> list[Finding]:
    out: list[Finding] = []
    name, rows = stats.table.name, stats.rows
    if stats.duplicate_rows:
        fraction = stats.duplicate_rows / rows
        out.append(make_finding("duplicate_rows", "major" if fraction >= 0.05 else "minor", name, None,
                            stats.duplicate_rows, rows,
                            f"{stats.duplicate_rows:,} rows ({pct(fraction)}) repeat an earlier row exactly"))
    for column in stats.columns:
        out.extend(column_findings(name, rows, column))
    return out


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


def rank(findings: Iterable[Finding]) -> list[Finding]:
    """Blockers first, then by how much of the table is affected."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (f.waived, order[f.severity], -f.fraction, -f.count, f.id))


def all_findings(files: Iterable[FileEntry], tables: Iterable[TableStats], target: LabelTarget,
                 settings: Settings) -> list[Finding]:
    tables = list(tables)
    found = file_findings(files, bool(tables)) + dataset_findings(target, bool(tables))
    for stats in tables:
        found.extend(table_findings(stats))
        if stats.label is not None:
            found.extend(label_findings(stats.label, settings, target.task))
    return rank(found)
