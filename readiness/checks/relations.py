"""Keys between tables: orphan rows, repeated parent keys, parents nobody refers to, children
dated before their parent, and declared keys the data breaks (profile/relations.py counts them).

Every finding's table is the table whose rows are counted, its column the key (two columns joined
by "+"), its subject the other table, so several relationships of one table keep apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from readiness.checks.base import by_fraction, make_finding, pct
from readiness.models import Finding, Relations, Relationship

ORPHAN_MAJOR = 0.02  # an orphan share of a few percent breaks a join a model depends on
DUPLICATE_MAJOR = 0.01
CHILDLESS_MINOR = 0.5  # parents nobody refers to are normal (customers without orders) until most are
BEFORE_MAJOR = 0.05
DECLARED_MAJOR = 0.01


def key_name(columns: Sequence[str]) -> str:
    return "+".join(columns)


def _about(found: Finding, subject: str) -> Finding:
    """The finding told apart by the other table (its id ends with it)."""
    return replace(found, subject=subject)


def _relationship_findings(relation: Relationship, id_columns: Mapping[str, Sequence[str]]) -> list[Finding]:
    out = []
    child, parent = relation.child, relation.parent
    child_key, parent_key = key_name(relation.child_columns), key_name(relation.parent_columns)
    where = dict(child_table=child, child_columns=list(relation.child_columns), parent_table=parent,
                 parent_columns=list(relation.parent_columns), declared=relation.declared)
    rows = relation.child_rows
    if relation.orphan_rows:
        share = relation.orphan_rows / rows if rows else 0.0
        out.append(_about(make_finding(
            "orphan_rows", by_fraction(share, ORPHAN_MAJOR, 0.0), child, child_key, relation.orphan_rows, rows,
            f"{relation.orphan_rows:,} rows ({pct(share)}) have a {child_key} that no row of {parent} holds "
            f"in {parent_key}", **where, keyed_rows=relation.keyed_rows, containment=round(relation.containment, 4)), parent))
    if relation.duplicate_parent_keys:
        share = relation.duplicate_parent_keys / relation.parent_rows if relation.parent_rows else 0.0
        # an id column of the parent reports the same repeats as not_unique; this check is scored by its
        # severity only, so the uniqueness score counts them once
        also = all(c in id_columns.get(parent, ()) for c in relation.parent_columns)
        out.append(_about(make_finding(
            "duplicate_parent_keys", by_fraction(share, DUPLICATE_MAJOR, 0.0), parent, parent_key,
            relation.duplicate_parent_keys, relation.parent_rows,
            f"{relation.duplicate_parent_keys:,} rows of {parent} repeat a {parent_key} that rows of {child} refer "
            "to: a join multiplies those rows", **where, also_not_unique=also), child))
    if relation.childless_parents:
        share = relation.childless_parents / relation.parent_rows if relation.parent_rows else 0.0
        out.append(_about(make_finding(
            "childless_parents", "minor" if share >= CHILDLESS_MINOR else "info", parent, parent_key,
            relation.childless_parents, relation.parent_rows,
            f"{relation.childless_parents:,} {parent_key} values of {parent} ({pct(share)} of its rows) have no row "
            f"in {child}", **where), child))
    if relation.child_before_parent and relation.timestamps:
        share = relation.child_before_parent / rows if rows else 0.0
        mine, theirs = relation.timestamps
        out.append(_about(make_finding(
            "child_before_parent", by_fraction(share, BEFORE_MAJOR, 0.0), child, child_key,
            relation.child_before_parent, rows,
            f"{relation.child_before_parent:,} rows ({pct(share)}) are dated ({mine}) before their row of {parent} "
            f"({theirs})", **where, child_timestamp=mine, parent_timestamp=theirs), parent))
    if relation.declared and relation.orphan_rows:
        share = relation.orphan_rows / rows if rows else 0.0
        out.append(_about(make_finding(
            "declared_key_violated", by_fraction(share, DECLARED_MAJOR, 0.0), child, child_key, relation.orphan_rows,
            rows,
            f"the schema declares {child_key} a foreign key to {parent}, but {relation.orphan_rows:,} rows "
            "refer to no row there", **where, kind="foreign"), f"foreign:{parent}"))
    return out


def findings(relations: Relations, id_columns: Mapping[str, Sequence[str]] | None = None) -> list[Finding]:
    """The findings of the keys between tables. ``id_columns``: each table's id columns (their
    repeats are ``not_unique`` findings too; ``duplicate_parent_keys`` says so in its details)."""
    ids = id_columns or {}
    out: list[Finding] = []
    kinds = {(k.table, k.columns): k.kind for k in relations.declared if k.kind in ("primary", "unique")}
    for key in relations.keys:
        if not key.declared or key.holds:
            continue
        count = key.duplicates + key.missing
        share = count / key.rows if key.rows else 0.0
        kind = kinds.get((key.table, key.columns), "primary")
        out.append(_about(make_finding(
            "declared_key_violated", by_fraction(share, DECLARED_MAJOR, 0.0), key.table, key_name(key.columns),
            count, key.rows, f"the schema declares {key_name(key.columns)} a {kind} key, but {key.duplicates:,} rows repeat "
            f"it and {key.missing:,} rows miss it", kind=kind, duplicates=key.duplicates,
            missing=key.missing), kind))
    for relation in relations.relationships:
        out.extend(_relationship_findings(relation, ids))
    return out


__all__ = ["findings", "key_name"]
