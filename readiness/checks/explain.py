"""What each finding means for an ML project: why it matters, the fix, a rough effort, a question.

Pure functions of a finding's counts and its check's catalog row; the wording (in catalog.py) is
for a hiring manager, not a data engineer. A check the catalog does not know (a run recorded by
an older version) gets no explanation and the smallest effort.
"""

from __future__ import annotations

import math
from typing import Any

from readiness.checks import catalog


def why(check: str) -> str:
    """Why a check's findings matter ("" for a check the catalog does not explain)."""
    row = catalog.BY_ID.get(check)
    return row.why if row is not None else ""


def fix(finding: dict[str, Any]) -> str:
    """The fix shown for a finding: its own (``details["fix"]``, when the check knows better for
    this case, as for repeats the data explains) or the check's."""
    own = (finding.get("details") or {}).get("fix")
    if isinstance(own, str) and own:
        return own
    row = catalog.BY_ID.get(finding["check"])
    return row.fix if row is not None else ""


def effort_days(check: str, count: int, fraction: float, details: dict[str, Any]) -> float:
    """A rough effort in person-days (the check's catalog.EFFORTS rule), rounded to quarter days."""
    row = catalog.BY_ID.get(check)
    rule = row.effort if row is not None else catalog.QUARTER_DAY
    if rule == catalog.LABELING:
        days = 0.5 + count / 800  # about 800 simple labels a person-day
    elif rule == catalog.CLASS_EXAMPLES:
        days = 0.5 + float(details.get("shortfall", 0)) / 400
    elif rule == catalog.BY_SHARE:
        days = 0.25 + 1.0 * fraction
    elif rule == catalog.HALF_DAY:
        days = 0.5
    elif rule == catalog.CLEANUP:
        days = 0.25 + 0.5 * min(1.0, fraction * 5)
    elif rule == catalog.ONE_DAY:
        days = 1.0
    elif rule == catalog.LABEL_REVIEW:
        days = 0.5 + count / 400
    else:
        days = 0.25
    return min(10.0, math.ceil(days * 4) / 4)


def day_range(days: float) -> tuple[float, float]:
    """A low-high range in half days around a point estimate: the estimate, and about 1.5 times it."""
    low = max(0.5, math.ceil(days * 2 - 1e-9) / 2)
    return low, max(low + 0.5, math.ceil(low * 3 - 1e-9) / 2)


def effort_range(check: str, count: int, fraction: float, details: dict[str, Any]) -> tuple[float, float]:
    """``effort_days`` as a low-high range in half days."""
    return day_range(effort_days(check, count, fraction, details))


def question(finding: dict[str, Any]) -> str | None:
    """The question a client should ask candidates about this finding: its check's template, with
    the column (or the data) and the share of values it concerns."""
    row = catalog.BY_ID.get(finding["check"])
    if row is None or row.question is None:
        return None
    pattern = (finding.get("details") or {}).get("pattern")  # a finding on many alike columns (columns.py)
    column = finding["column"] or (f"the columns named like {pattern}" if pattern else "the data")
    share = f"{finding['fraction'] * 100:.0f}%" if finding["fraction"] >= 0.01 else f"{finding['count']:,}"
    return row.question.format(column=column, share=share)
