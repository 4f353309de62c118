"""GX outcomes as findings: failures of expectations a user added to a suite, which no built-in
check covers, and expectations that could not run.
"""

from __future__ import annotations

from typing import Any

from readiness.checks import catalog
from readiness.models import Finding


def expectation_findings(outcomes: list[Any], rows: dict[str, int],
                         columns: dict[str, set[str]] | None = None) -> list[Finding]:
    """Failures of expectations a user added to a suite, which no built-in check covers. The
    expectation of such a finding is the failing one's own type, not the catalog's."""
    columns = columns or {}
    found = []
    for outcome in outcomes:
        if outcome.check is not None or (outcome.success and not outcome.error):
            continue
        table_rows = rows.get(outcome.table, 0)
        if outcome.error:
            found.append(Finding(
                check="expectation_error", severity="minor", dimension=catalog.check("expectation_error").dimension,
                table=outcome.table, column=outcome.column, count=0, fraction=0.0, expectation=outcome.type,
                # GX's own error text may quote values: only the type is named (the text: internal/)
                message=(f"{outcome.type} names column {outcome.column}, which does not exist in {outcome.table}; "
                         "fix the suite" if outcome.column and outcome.column not in columns.get(outcome.table, {outcome.column})
                         else f"{outcome.type} could not run; fix the suite (the error is in "
                              "internal/validation_errors.json)"),
                subject=outcome.type,
            ))
            continue
        count = int(outcome.unexpected_count or 0)
        found.append(Finding(
            check="expectation_failed", severity="minor", dimension=catalog.check("expectation_failed").dimension,
            table=outcome.table, column=outcome.column, count=count,
            fraction=count / table_rows if table_rows else 0.0, expectation=outcome.type,
            message=f"{outcome.type} failed" + (f" for {count:,} values" if count else "") + " (from the table's suite)",
            subject=outcome.type,
        ))
    return found


__all__ = ["expectation_findings"]
