"""Free text: texts too short or too long, mis-decoded characters, texts repeated in rows that are
not duplicates.
"""

from __future__ import annotations

import numpy as np

from readiness.base import fastre
from readiness.base.text import MOJIBAKE  # one pattern for the count and the GX suite
from readiness.checks.base import is_low_cardinality, make_finding
from readiness.checks.keys import normal_distinct, normalised_text
from readiness.ingest.columns import objects
from readiness.models import Finding
from readiness.profile import formats
from readiness.profile.counts import TableStats

SHORT_TEXT_CHARS = 3
LONG_TEXT_CHARS = 5000


def main_text_column(stats: TableStats) -> str | None:
    texts = [c for c in stats.columns if c.plan.type == "text" and not c.plan.is_label and c.plan.pii is None]
    return max(texts, key=lambda c: c.non_missing).plan.name if texts else None


def text_checks(stats: TableStats, keys: dict[str, np.ndarray | None] | None = None) -> list[Finding]:
    """Short, long, mis-decoded and repeated texts. ``keys``: ``text_keys`` already computed.
    Repeats are counted in free text only: in a constant or category-like column (columns.py)
    repeating values is what the column does."""
    found: list[Finding] = []
    rows = stats.rows
    for column in stats.columns:
        plan = column.plan
        if plan.type != "text" or plan.is_label:
            continue
        free_text = not is_low_cardinality(column)
        duplicated = exact_rows = 0
        counts = stats.text_counts.get(plan.name)
        present = stats.table.frame[plan.name].notna().to_numpy()
        if counts is not None and int(counts.to_numpy().sum()) == int(present.sum()) and stats.duplicated is not None:
            # every value is text: measure the distinct values once, weighted by how often each occurs
            texts = formats.distinct_values(counts)
            weights = counts.to_numpy()
            lengths = fastre.stripped_lengths(texts)
            short = int(weights[lengths < SHORT_TEXT_CHARS].sum())
            long = int(weights[lengths > LONG_TEXT_CHARS].sum())
            broken = int(weights[fastre.search(texts, MOJIBAKE)].sum())
            if free_text:
                known = (keys or {}).get(plan.name)
                forms = (int(known.max()) + 1 if len(known) else 0) if known is not None else normal_distinct(texts)
                duplicated = int(weights.sum()) - forms
                exact_rows = int(stats.duplicated[present].sum())  # duplicates among rows with text, as below
        else:
            values = objects(stats.table.frame[plan.name]).dropna()
            values = values[values.map(lambda v: isinstance(v, str))]
            value_lengths = values.str.strip().str.len()
            short = int((value_lengths < SHORT_TEXT_CHARS).sum())
            long = int((value_lengths > LONG_TEXT_CHARS).sum())
            broken = int(values.str.contains(MOJIBAKE, regex=True).sum())
            if free_text:
                duplicated = int(normalised_text(values).duplicated().sum())
                exact_rows = int(stats.table.frame.loc[values.index].duplicated().sum())
        name, table = plan.name, stats.table.name
        if short:
            found.append(make_finding("text_too_short", "minor", table, name, short, rows,
                            f"{short:,} {name} values are shorter than {SHORT_TEXT_CHARS} characters"))
        if long:
            found.append(make_finding("text_too_long", "minor", table, name, long, rows,
                            f"{long:,} {name} values are longer than {LONG_TEXT_CHARS:,} characters"))
        if broken:
            found.append(make_finding("mojibake", "major" if broken / rows >= 0.01 else "minor", table, name, broken, rows,
                            f"{broken:,} {name} values hold mis-decoded characters (like Ã© for é): "
                            "re-export the file as UTF-8"))
        extra = duplicated - exact_rows
        if extra > 0:
            found.append(make_finding("duplicate_texts", "minor", table, name, extra, rows,
                            f"{extra:,} {name} values repeat an earlier one (ignoring case and spacing) in rows "
                            "that are not exact duplicates"))
    return found


# --- volume guidance ----------------------------------------------------------------------------------


__all__ = ["main_text_column", "text_checks"]
