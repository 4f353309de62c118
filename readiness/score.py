"""The readiness score: pure functions, one per dimension, and one that combines them.

No I/O, no clock, no globals. Inputs are counts; weights and thresholds come from the settings.
Dimension scores are never rounded; only the final score is, downwards, to two decimals, so a
defect can never raise it. Which checks count in which dimension, and how, is each check's
scoring rule in the check catalog. See docs/scoring.md for the formula and a worked example.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from readiness.checks import catalog
from readiness.models import DIMENSIONS, DimensionScore, Finding, Score
from readiness.settings import Settings


@dataclass(frozen=True)
class TableFacts:
    """What the score needs to know of one table besides its findings."""

    name: str
    rows: int
    cells: int  # rows x columns, the label column left out
    checked_values: int  # non-missing values in columns with a format or range check
    date_values: int  # non-missing values in date columns
    labeled: int | None = None  # rows with a label, for tables holding the label
    classes: int = 0


@dataclass(frozen=True)
class ScoreInputs:
    tables: tuple[TableFacts, ...]
    findings: tuple[Finding, ...]
    data_files: int
    supervised: bool
    task: str


def _live(findings: Iterable[Finding], *checks: str) -> list[Finding]:
    return [f for f in findings if f.check in checks and not f.waived]


def _sum(findings: Iterable[Finding], *checks: str) -> int:
    return sum(f.count for f in _live(findings, *checks))


def _ratio_score(bad: int, total: int) -> float:
    if total <= 0:
        return 100.0
    return 100.0 * max(0.0, 1.0 - bad / total)


def _product_score(findings: Iterable[Finding], checks: tuple[str, ...], total: int) -> float:
    """100 x the product over checks of (1 - count / total): each check's count is at most the total,
    so every added defect lowers the result, even when several checks together exceed the total."""
    if total <= 0:
        return 100.0
    findings = list(findings)
    result = 100.0
    for check in checks:
        result *= max(0.0, 1.0 - _sum(findings, check) / total)
    return result


# each missing cell is in exactly one of these findings (a group of alike columns sums its
# columns once); gaps missing by design (missing_by_design) are no defect and do not count
MISSING_CHECKS = catalog.scored_by(catalog.MISSING_CELLS)
REJECTED_CHECKS = catalog.scored_by(catalog.REJECTED_FILE)


def completeness(inputs: ScoreInputs) -> float:
    cells = sum(t.cells for t in inputs.tables)
    rejected = len(_live(inputs.findings, *REJECTED_CHECKS))
    file_factor = 1.0 - 0.5 * rejected / inputs.data_files if inputs.data_files else 1.0
    return _ratio_score(_sum(inputs.findings, *MISSING_CHECKS), cells) * file_factor


VALIDITY_CHECKS = catalog.scored_by(catalog.INVALID_VALUES)  # the order of the factors: the catalog's
UNIQUENESS_CHECKS = catalog.scored_by(catalog.REPEATED_ROWS)
MIXED_DATE_CHECKS = catalog.scored_by(catalog.MIXED_DATES)
BROKEN_REFERENCE_CHECKS = catalog.scored_by(catalog.BROKEN_REFERENCES)
REPEATED_KEY_CHECKS = catalog.scored_by(catalog.REPEATED_KEYS)


def validity(inputs: ScoreInputs) -> float:
    checked = sum(t.checked_values for t in inputs.tables)
    return _product_score(inputs.findings, VALIDITY_CHECKS, checked)


def uniqueness(inputs: ScoreInputs) -> float:
    rows = sum(t.rows for t in inputs.tables)
    return _product_score(inputs.findings, UNIQUENESS_CHECKS, rows) * _repeated_keys(inputs.findings, rows)


def _repeated_keys(findings: Iterable[Finding], rows: int) -> float:
    """A parent key's repeats, once: each relationship that refers to the key reports them
    (duplicate_parent_keys, one finding per child table), and when the key is an id column
    not_unique has counted the same rows already."""
    if rows <= 0:
        return 1.0
    per_key: dict[tuple[str | None, str | None], int] = {}
    for finding in _live(findings, *REPEATED_KEY_CHECKS):
        if not finding.details.get("also_not_unique"):
            key = (finding.table, finding.column)
            per_key[key] = max(per_key.get(key, 0), finding.count)
    result = 1.0  # a factor: exactly 1 when no key repeats
    for count in per_key.values():
        result *= max(0.0, 1.0 - count / rows)
    return result


def consistency(inputs: ScoreInputs) -> float:
    dates = sum(t.date_values for t in inputs.tables)
    rows = sum(t.rows for t in inputs.tables)
    broken = 1.0  # a factor: exactly 1 when every reference holds
    for check in BROKEN_REFERENCE_CHECKS:
        broken *= max(0.0, 1.0 - _sum(inputs.findings, check) / rows) if rows > 0 else 1.0
    return _ratio_score(_sum(inputs.findings, *MIXED_DATE_CHECKS), dates) * broken


DRIFT_WEIGHT = 0.5  # label_drift: the label score falls by up to half...
DRIFT_FULL_PSI = 0.5  # ...in proportion to the PSI between the first and last period, fully from this PSI
MISSPELLED_CHECKS = catalog.scored_by(catalog.MISSPELLED_LABELS)
CONFLICT_CHECKS = catalog.scored_by(catalog.CONFLICTING_LABELS)
LEAKAGE_CHECKS = catalog.scored_by(catalog.LEAKAGE)
DRIFT_CHECKS = catalog.scored_by(catalog.LABEL_DRIFT)
OVERLAP_CHECKS = catalog.scored_by(catalog.SPLIT_OVERLAP)
SHORTFALL_CHECKS = catalog.scored_by(catalog.CLASS_SHORTFALL)
IMBALANCE_CHECKS = catalog.scored_by(catalog.CLASS_IMBALANCE)
PRIVACY_CHECKS = catalog.scored_by(catalog.PERSONAL_DATA)


def _table_label_score(facts: TableFacts, findings: list[Finding]) -> float:
    if facts.rows == 0 or facts.labeled is None:
        return 0.0
    mine = [f for f in findings if f.table == facts.name]
    coverage = facts.labeled / facts.rows
    # a misspelled class is usually also outside the declared classes: count such rows once
    misspelled = max(_sum(mine, check) for check in MISSPELLED_CHECKS)
    conflicting = _sum(mine, *CONFLICT_CHECKS)
    valid = (1.0 - misspelled / facts.labeled) * (1.0 - conflicting / facts.labeled) if facts.labeled else 0.0
    factor = 1.0
    if _live(mine, *LEAKAGE_CHECKS):
        factor *= 0.5  # a leaking column makes every measured result untrustworthy
    for finding in _live(mine, *DRIFT_CHECKS):  # old periods teach a class mix the new ones no longer have
        factor *= 1.0 - DRIFT_WEIGHT * min(1.0, float(finding.details.get("psi", 0.0)) / DRIFT_FULL_PSI)
    factor *= 1.0 - min(1.0, _sum(mine, *OVERLAP_CHECKS) / facts.rows)
    for finding in _live(mine, *SHORTFALL_CHECKS):
        minimum = float(finding.details.get("minimum", 1)) or 1.0
        shortfall = float(finding.details.get("shortfall", 0))
        factor *= 1.0 - 0.5 * min(1.0, shortfall / (minimum * max(1, facts.classes)))
    for finding in _live(mine, *IMBALANCE_CHECKS):
        ratio = float(finding.details.get("ratio", 1.0))
        threshold = float(finding.details.get("threshold", 1.0))
        factor *= 1.0 - 0.3 * min(1.0, math.log10(max(1.0, ratio / threshold)) if ratio > threshold else 0.0)
    return 100.0 * coverage * max(0.0, valid) * factor


def label_readiness(inputs: ScoreInputs) -> float:
    if not inputs.supervised:
        return 100.0
    labeled_tables = [t for t in inputs.tables if t.labeled is not None]
    if not labeled_tables:
        return 0.0
    rows = sum(t.rows for t in labeled_tables)
    if rows == 0:
        return 0.0
    findings = list(inputs.findings)
    return sum(_table_label_score(t, findings) * t.rows for t in labeled_tables) / rows


def volume(inputs: ScoreInputs, min_rows: int, min_class_count: int) -> float:
    if inputs.supervised:
        labeled_tables = [t for t in inputs.tables if t.labeled is not None]
        usable = sum(t.labeled or 0 for t in labeled_tables)
        classes = max((t.classes for t in labeled_tables), default=0)
        target = max(min_rows, min_class_count * classes) if inputs.task != "regression" else min_rows
    else:
        usable = max((t.rows for t in inputs.tables), default=0)
        target = min_rows
    return 100.0 * min(1.0, usable / target) if target else 100.0


def privacy(inputs: ScoreInputs) -> float:
    score = 100.0
    for finding in _live(inputs.findings, *PRIVACY_CHECKS):
        kinds = finding.details.get("kinds") or []
        weight = 0.5 if "secret" in kinds else 0.25
        score *= 1.0 - weight * min(1.0, finding.fraction)
    return score


def floor2(value: float) -> float:
    """Round down to two decimals (after removing float noise), so ties never hide a defect upwards."""
    return math.floor(round(value * 100, 6)) / 100


def combine(dimensions: Iterable[DimensionScore]) -> float:
    applicable = [d for d in dimensions if d.applicable and d.weight > 0]
    total = sum(d.weight for d in applicable)
    if total <= 0:
        return 0.0
    return sum(d.score * d.weight for d in applicable) / total


def smallest_class(finding: Finding) -> int | None:
    """The smallest class of a ``class_too_small`` finding (older runs stored only the classes)."""
    if "smallest" in finding.details:
        return int(finding.details["smallest"])
    classes = finding.details.get("classes") or {}
    return min((int(n) for n in classes.values()), default=None)


def severity(finding: Finding, settings: Settings) -> str:
    """A finding's severity under this formula: too few labeled rows in a class is a blocker, also
    when re-scoring an older run that called it minor (history compares like with like)."""
    if finding.check in SHORTFALL_CHECKS:
        smallest = smallest_class(finding)
        if smallest is not None and smallest < catalog.blocking_class_count(settings.label.min_class_count):
            return "blocker"
    return finding.severity


def verdict_cap(findings: Iterable[Finding], settings: Settings) -> tuple[str | None, float]:
    """What caps the score, and the factor: a live blocker keeps it below the needs-work threshold,
    a live major below the ready threshold, so the score and the grade never point apart."""
    live = [severity(f, settings) for f in findings if not f.waived]
    if "blocker" in live:
        return "blocker", (settings.thresholds.grade_needs_work - 0.01) / 100
    if "major" in live:
        return "major", (settings.thresholds.grade_ready - 0.01) / 100
    return None, 1.0


def grade_of(score: float, findings: Iterable[Finding], settings: Settings) -> str:
    live = [severity(f, settings) for f in findings if not f.waived]
    if "blocker" in live or score < settings.thresholds.grade_needs_work:
        return "not-ready"
    if score >= settings.thresholds.grade_ready and "major" not in live:
        return "ready"
    return "needs-work"


def band_of(readable: bool, dims: dict[str, DimensionScore], findings: Iterable[Finding], supervised: bool,
            settings: Settings | None = None) -> str:
    """C: cannot be loaded; B: loadable, problems dominate; A: valid and fit for the task."""
    if not readable:
        return "C"
    rules = settings or Settings()
    if any(severity(f, rules) == "blocker" and not f.waived for f in findings):
        return "B"
    fit = all(dims[name].score >= 90 for name in ("completeness", "validity", "consistency", "uniqueness"))
    if supervised:
        fit = fit and dims["label_readiness"].score >= 80
    return "A" if fit else "B"


def score(inputs: ScoreInputs, settings: Settings) -> Score:
    # a canonical order, so float products and sums do not depend on the order findings came in
    findings = tuple(sorted(inputs.findings, key=lambda f: (f.id, f.count, f.severity)))
    inputs = replace(inputs, findings=findings,
                     tables=tuple(sorted(inputs.tables, key=lambda t: t.name)))
    if not inputs.tables:
        empty = tuple(DimensionScore(name, 0.0, settings.weights[name]) for name in DIMENSIONS)
        return Score(0.0, 0.0, "not-ready", "C", empty)
    values = {
        "completeness": completeness(inputs),
        "validity": validity(inputs),
        "uniqueness": uniqueness(inputs),
        "consistency": consistency(inputs),
        "label_readiness": label_readiness(inputs),
        "volume": volume(inputs, settings.thresholds.min_rows, settings.label.min_class_count),
        "privacy": privacy(inputs),
    }
    dims = {
        name: DimensionScore(name, values[name], settings.weights[name],
                             applicable=not (name == "label_readiness" and not inputs.supervised))
        for name in DIMENSIONS
    }
    uncapped = combine(dims.values())
    capped_by, factor = verdict_cap(findings, settings)
    exact = uncapped * factor  # a scale, not a clamp: every added defect still lowers it
    final = floor2(exact)
    return Score(final, exact, grade_of(final, findings, settings),
                 band_of(True, dims, findings, inputs.supervised, settings), tuple(dims.values()),
                 capped_by, uncapped)
