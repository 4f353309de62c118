"""The values of a column against its plan: malformed values, dates in other layouts, values out of
range, repeated ids, personal data. Pure functions of the exact counts of the profile stage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.checks.base import by_fraction, make_finding, pct
from readiness.models import Finding
from readiness.profile.counts import ColumnStats

if TYPE_CHECKING:
    from readiness.profile.shapes import Shapes


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


__all__ = ["column_findings", "shape_details"]
