"""What a column is, and how its gaps are reported: constant and empty columns, values missing by
design, and one finding for many alike columns with gaps (the yearly columns of a wide table).

Pure functions over counts.TableStats. The rules are exact: they compare the factorised codes the
profile stage already holds (-1 = missing), one vectorised pass per column, never a loop per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

import numpy as np
import pandas as pd

from readiness.checks.base import by_fraction, is_low_cardinality, make_finding, pct
from readiness.ingest.columns import as_text
from readiness.models import Finding
from readiness.profile.counts import ColumnStats, TableStats
from readiness.profile.names import mask_value

MIN_RULE_ROWS = 10  # a column missing exactly where another takes one value, in fewer rows, may be chance
MIN_CONSTANT_ROWS = 5  # one value in two or three rows says little about the column
GROUP_MIN_COLUMNS = 4  # this many alike columns with the same kind of gap are reported once
SHOWN_IN_MESSAGE = 6  # column names a group's message lists (details list them all)


def is_constant(stats: ColumnStats, rows: int) -> bool:
    """One value in every row. A missing value is not a value: a column holding one value and gaps
    is not constant (the gaps may be the information, as in a tick box) and keeps its gap findings."""
    return rows >= MIN_CONSTANT_ROWS and stats.missing == 0 and stats.distinct == 1


def constant_findings(stats: TableStats) -> list[Finding]:
    name, rows = stats.table.name, stats.rows
    return [make_finding("constant_column", "info", name, c.plan.name, rows, rows,
                         f"{c.plan.name} holds the same value in all {rows:,} rows: it tells a model nothing")
            for c in stats.columns
            if is_constant(c, rows) and not c.plan.is_label and not c.plan.is_id]


# --- missing by design ---------------------------------------------------------------------------


class _Codes:
    """Each column's factorised codes (-1 = missing): the profile stage's, or (another engine
    counted the table) factorised here once per column asked for."""

    def __init__(self, stats: TableStats) -> None:
        self.stats = stats
        self.made: dict[int, np.ndarray] = {}

    def __getitem__(self, position: int) -> np.ndarray:
        if self.stats.codes is not None:
            return self.stats.codes[position]
        if position not in self.made:
            self.made[position] = pd.factorize(self.stats.table.frame.iloc[:, position], use_na_sentinel=True)[0]
        return self.made[position]

    def occurrences(self, position: int) -> np.ndarray:
        """How often each code occurs (index = code): for an all-text column the profile stage's
        value counts are exactly that (counted from these codes, in code order), else counted here."""
        name = str(self.stats.table.frame.columns[position])
        counts = self.stats.text_counts.get(name)
        if self.stats.codes is not None and counts is not None:
            return np.asarray(counts.to_numpy())
        codes = self[position]
        return np.bincount(codes[codes >= 0], minlength=1)


def design_rules(stats: TableStats) -> dict[str, tuple[str, str | None]]:
    """Columns missing exactly in the rows where another column takes one value (``death == 0``):
    {column: (other column, the value as text, or None when it may not be shown)}.

    Exact: the column's missing rows and the other column's rows with that value are the same rows,
    at least MIN_RULE_ROWS of them; "missing where the other is missing too" is no rule. Vectorised
    over column pairs: each other column's code at every candidate's first missing row, and how
    often that code occurs; only pairs passing both are compared row by row.
    """
    rows = stats.rows
    columns = stats.columns
    targets = np.array([i for i, c in enumerate(columns) if not c.plan.is_label and MIN_RULE_ROWS <= c.missing < rows],
                       dtype=np.int64)
    if not len(targets):
        return {}
    codes = _Codes(stats)
    positions = {c.plan.name: i for i, c in enumerate(columns)}
    missing = np.zeros(len(targets), dtype=np.int64)  # counted on the codes the rule is checked on
    first = np.zeros(len(targets), dtype=np.int64)
    for k, position in enumerate(targets.tolist()):
        gaps = codes[position] < 0
        missing[k], first[k] = int(gaps.sum()), int(np.argmax(gaps))
    others = [j for j, c in enumerate(columns) if not c.plan.is_id and c.distinct >= 1]
    pairs: dict[int, list[int]] = {}  # target -> other columns passing the cheap tests (usually none)
    for j in others:
        other = codes[j]
        at_first = other[first].astype(np.int64)
        present = at_first >= 0
        occurs = codes.occurrences(j)[np.where(present, at_first, 0)]
        for target in np.flatnonzero(present & (occurs == missing) & (targets != j)).tolist():
            pairs.setdefault(target, []).append(j)
    found: dict[str, tuple[str, str | None]] = {}
    for k, passing in pairs.items():
        gaps = codes[int(targets[k])] < 0
        row = int(first[k])
        # as many rows hold the value as have gaps: the same rows when every gap holds it
        rules = [j for j in passing if bool((codes[j][gaps] == codes[j][row]).all())]
        if not rules:
            continue
        # a rule that may be shown first (not personal, a category), then the leftmost column
        j = min(rules, key=lambda position: (not _nameable(columns[position]), position))
        # a category's value, masked as free text is (an email written in a category stays hidden)
        value = mask_value(as_text(stats.table.frame.iloc[row, j])) if _nameable(columns[j]) else None
        found[columns[int(targets[k])].plan.name] = (columns[j].plan.name, value)
    return dict(sorted(found.items(), key=lambda item: positions[item[0]]))


def _nameable(stats: ColumnStats) -> bool:
    """Whether a value of this column may be named in a finding: not personal data, and a category
    (a value that marks at least MIN_RULE_ROWS rows of a category singles nobody out)."""
    return stats.plan.pii is None and is_low_cardinality(stats)


# --- how gaps are reported ------------------------------------------------------------------------


def missing_findings(stats: TableStats) -> list[Finding]:
    """One finding per column with gaps (the label's are label_missing): ``empty_column`` when it has
    no value at all, ``missing_by_design`` when its gaps follow another column's value, else
    ``missing_values``; then alike columns with the same kind of gap as one finding (see ``grouped``)."""
    table, rows = stats.table.name, stats.rows
    rules = design_rules(stats)
    out: list[Finding] = []
    for column in stats.columns:
        name, missing = column.plan.name, column.missing
        if not missing or column.plan.is_label:
            continue
        fraction = missing / rows
        if missing == rows:
            out.append(make_finding("empty_column", "minor", table, name, missing, rows,
                                    f"{name} has no value in any of the {rows:,} rows: drop it"))
        elif name in rules:
            other, value = rules[name]
            out.append(make_finding("missing_by_design", "info", table, name, missing, rows,
                                    f"{name} is missing in {missing:,} rows ({pct(fraction)}), exactly the rows "
                                    f"where {other} takes one value: missing by design, not gaps to backfill",
                                    when_column=other, when_value=value))
        else:
            out.append(make_finding("missing_values", by_fraction(fraction, 0.5, 0.05), table, name, missing, rows,
                                    f"{pct(fraction)} of rows ({missing:,}) have no {name}"))
    return grouped(out, rows)


def name_pattern(name: str) -> str | None:
    """The stem alike columns share: every run of digits as ``#`` (``gdp_1990`` and ``gdp_2020`` are
    ``gdp_#``, ``q1`` .. ``q12`` are ``q#``, bare years are ``#``); None for a name without digits."""
    pattern = re.sub(r"\d+", "#", name)
    return pattern if pattern != name else None


def grouped(findings: Iterable[Finding], rows: int) -> list[Finding]:
    """At least GROUP_MIN_COLUMNS findings of one check on columns named alike (and, for gaps by
    design, the same rule) become one: column None, the pattern as its subject, the count summed
    (each column's gaps counted once), the fraction over the group's cells, every column in details."""
    findings = list(findings)
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for finding in findings:
        pattern = name_pattern(finding.column) if finding.column is not None else None
        if pattern is not None:
            rule = (finding.details.get("when_column"), finding.details.get("when_value"))
            groups.setdefault((finding.check, finding.table, pattern, rule), []).append(finding)
    merged = {id(f) for members in groups.values() if len(members) >= GROUP_MIN_COLUMNS for f in members}
    out = [f for f in findings if id(f) not in merged]
    for key, members in groups.items():
        if len(members) >= GROUP_MIN_COLUMNS:
            out.append(_group_finding(str(key[2]), members, rows))
    return out


def _group_finding(pattern: str, members: list[Finding], rows: int) -> Finding:
    check, table = members[0].check, members[0].table
    count = sum(f.count for f in members)
    cells = rows * len(members)
    fraction = count / cells
    names = [f.column for f in members]
    shown = ", ".join(str(n) for n in names[:SHOWN_IN_MESSAGE]) + (", ..." if len(names) > SHOWN_IN_MESSAGE else "")
    what = f"{len(members)} columns named like {pattern} ({shown})"
    details: dict[str, object] = {"pattern": pattern, "columns": {f.column: f.count for f in members}}
    if check == "empty_column":
        severity, message = "minor", f"{what} have no value in any of the {rows:,} rows: drop them"
    elif check == "missing_by_design":
        other = members[0].details.get("when_column")
        details.update(when_column=other, when_value=members[0].details.get("when_value"))
        severity = "info"
        message = (f"{what} are missing in {count:,} of {cells:,} values ({pct(fraction)}), each exactly in the "
                   f"rows where {other} takes one value: missing by design, not gaps to backfill")
    else:
        severity = by_fraction(fraction, 0.5, 0.05)
        message = f"{what} have gaps: {count:,} of {cells:,} values ({pct(fraction)}) are missing"
    return replace(make_finding(check, severity, table, None, count, cells, message, **details), subject=pattern)


def findings(stats: TableStats) -> list[Finding]:
    """Every finding of this module for one table."""
    return constant_findings(stats) + missing_findings(stats)


__all__ = ["findings", "is_constant", "design_rules", "name_pattern", "grouped"]
