"""What every check family shares: how a finding is made from a catalog row, how shares are
written and graded, and how findings are ranked. Families import this and the catalog, never
each other.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from readiness.checks import catalog
from readiness.models import SEVERITIES, Finding

if TYPE_CHECKING:
    from readiness.profile.counts import ColumnStats

LOW_CARDINALITY = 50  # as many distinct values as inference still calls a category
VARIANT_SIMILARITY = 0.85  # label_variants: near-identical spellings of a class of 4+ characters


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
    """A finding of a catalogued check: its dimension and expectation come from the catalog row."""
    row = catalog.check(check)
    return Finding(
        check=check, severity=severity, dimension=row.dimension, table=table, column=column,
        count=int(count), fraction=count / rows if rows else 0.0, expectation=row.expectation,
        message=message, details=dict(details),
    )


def rank(findings: Iterable[Finding]) -> list[Finding]:
    """Blockers first, then by how much of the table is affected."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (f.waived, order[f.severity], -f.fraction, -f.count, f.id))


def variant_key(name: str, *, plural: bool = False) -> str:
    """What spellings of one class share: case, surrounding whitespace and separators folded; with
    ``plural`` (folder names: ``cat``/``cats``), a final ``s`` dropped too."""
    key = re.sub(r"[\s_\-]+", "", name.strip().casefold())
    return key[:-1] if plural and len(key) > 3 and key.endswith("s") and not key.endswith("ss") else key


def variant_groups(counts: dict[str, int], *, plural: bool = False) -> dict[str, list[str]]:
    """Spellings of one class (label_variants): the most common spelling -> the other spellings.
    Grouped by variant_key, then keys of 4+ characters that are near-identical (difflib ratio of
    VARIANT_SIMILARITY or more; up to 200 keys) join the larger group."""
    groups: dict[str, list[str]] = {}
    for name in counts:
        groups.setdefault(variant_key(name, plural=plural), []).append(name)
    keys = sorted(groups, key=lambda k: -sum(counts[n] for n in groups[k]))
    if len(keys) <= 200:
        merged: dict[str, str] = {}
        for i, key in enumerate(keys):
            if key in merged or len(key) < 4:
                continue
            for other in keys[i + 1:]:
                if other not in merged and len(other) >= 4 and \
                        difflib.SequenceMatcher(None, key, other).ratio() >= VARIANT_SIMILARITY:
                    merged[other] = key
        for other, key in merged.items():
            groups[key].extend(groups.pop(other))
    variants = {}
    for names in groups.values():
        if len(names) >= 2:
            main = max(names, key=lambda n: (counts[n], n))
            variants[main] = [n for n in names if n != main]
    return variants


def is_low_cardinality(stats: ColumnStats) -> bool:
    """A column whose values repeat as a category's do: every value twice on average and at most 50
    of them, or every value at least 20 times on average. Repeats there are the norm, not duplicates."""
    distinct, present = stats.distinct, stats.non_missing
    return distinct * 2 <= present and (distinct <= LOW_CARDINALITY or distinct * 20 <= present)


__all__ = ["pct", "by_fraction", "make_finding", "rank", "is_low_cardinality", "variant_groups", "variant_key"]
