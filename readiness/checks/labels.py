"""The label column: gaps, values outside the declared classes, classes too small or too rare, one
class spelled several ways, identical inputs with different labels, extreme regression targets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness.checks.base import by_fraction, make_finding, pct, variant_groups
from readiness.checks.catalog import blocking_class_count
from readiness.checks.keys import label_keys, normalised_text, row_codes
from readiness.ingest.columns import as_text, objects
from readiness.models import Finding
from readiness.profile.counts import LabelStats, TableStats
from readiness.profile.hashing import may_repeat
from readiness.profile.labels import LabelTarget, is_supervised
from readiness.profile.names import mask_value
from readiness.settings import Settings


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


def dataset_findings(target: LabelTarget, any_table: bool) -> list[Finding]:
    if any_table and is_supervised(target.task) and target.column is None:
        return [make_finding("no_label", "blocker", None, None, 0, 0,
                         f"the task is {target.task} but no label column was found; "
                         "name it with --label or [label] column in readiness.toml")]
    return []


def label_variants(stats: TableStats) -> list[Finding]:
    """One class spelled several ways: case, surrounding whitespace, separators, near-identical spellings."""
    label = stats.label
    if label is None or not label.classes or label.personal:
        return []
    counts = dict(label.classes)
    found = []
    variants = variant_groups(counts)
    affected = sum(counts[n] for others in variants.values() for n in others)
    if variants:
        rows = label.rows
        # a group with a spelling that holds personal data is counted, never quoted (its lower-case
        # spellings may escape the name check that turns the class itself into class_N)
        personal = {main for main, others in variants.items()
                    if any(mask_value(n) != n for n in (main, *others))}
        shown = "; ".join([f"{', '.join(repr(o) for o in others)} for {main!r}"
                           for main, others in variants.items() if main not in personal]
                          + ([f"{sum(len(variants[m]) for m in personal)} spellings of {len(personal)} class"
                              f"{'es' if len(personal) > 1 else ''} whose names hold personal data"] if personal else []))
        found.append(make_finding("label_variants", "major" if affected / rows >= 0.01 else "minor", label.table, label.column,
                        affected, rows, f"{affected:,} {label.column} labels are other spellings of a class: {shown}",
                        variants={m: o for m, o in variants.items() if m not in personal},
                        **({"personal_groups": len(personal)} if personal else {})))
    return found


def conflicting_labels(stats: TableStats, text_column: str | None, normal: np.ndarray | None = None) -> list[Finding]:
    """Identical inputs carrying different labels. ``normal``: ``text_keys`` of the text column
    (by its distinct values, in the order its row codes index)."""
    label = stats.label
    if label is None or label.personal:
        return []
    frame = stats.table.frame
    mask = frame[label.column].notna().to_numpy()
    if not mask.any():
        return []
    left_out = {c.plan.name for c in stats.columns if c.plan.is_id or c.plan.is_row_index}
    features = [c for c in frame.columns if c != label.column and c not in left_out]
    if not features:
        return []
    targets = label_keys(frame[label.column][mask])
    if text_column is not None and normal is not None and stats.codes is not None:
        rows = stats.codes[frame.columns.get_loc(text_column)][mask]
        present = np.flatnonzero(rows >= 0)
        keys = pd.DataFrame({"key": normal[rows[present]]}, index=present)
        what = f"the same {text_column} value"
    elif text_column is not None:
        keys = pd.DataFrame({"key": normalised_text(frame[text_column][mask]).to_numpy()}).dropna()
        what = f"the same {text_column} value"
    elif stats.codes is not None:  # the codes the counts were made from: no second hashing pass
        keys = pd.DataFrame({f"c{i}": stats.codes[frame.columns.get_loc(c)][mask] for i, c in enumerate(features)})
        what = "identical inputs"
    else:
        keys = row_codes(frame.loc[mask, features])
        what = "identical inputs"
    if keys.empty:
        return []
    # rows in a conflict share their inputs with another row, so their value in the most varied
    # key column repeats: group only those rows (for a table of free text, a small share)
    if all(pd.api.types.is_integer_dtype(keys[c].dtype) for c in keys.columns):  # codes from -1 up
        keys = keys[may_repeat([keys[c].to_numpy() for c in keys.columns])]
    else:
        keys = keys[keys.iloc[:, 0].duplicated(keep=False).to_numpy()]
    if keys.empty:
        return []
    target = targets[keys.index.to_numpy()].astype(np.int64)
    if keys.shape[1] == 1:
        group = pd.factorize(keys.iloc[:, 0].to_numpy())[0].astype(np.int64)
    else:
        group = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy(dtype=np.int64)
    # a group conflicts when it holds more than one distinct label: count distinct (group, label) pairs
    kinds = int(target.max()) + 1
    labels_per_group = np.bincount(np.unique(group * kinds + target) // kinds, minlength=int(group.max()) + 1)
    count = int((labels_per_group[group] > 1).sum())
    if not count:
        return []
    groups = int((labels_per_group > 1).sum())
    return [make_finding("conflicting_labels", "major" if count / label.rows >= 0.01 else "minor", label.table, label.column,
               count, label.rows, f"{count:,} rows in {groups:,} groups of {what} carry different {label.column} labels",
               groups=groups, by=text_column or "all feature columns")]


def label_outliers(stats: TableStats) -> list[Finding]:
    """For regression targets: values far outside the bulk (robust z-score above 10)."""
    label = stats.label
    if label is None:
        return []
    values = pd.to_numeric(objects(stats.table.frame[label.column]).map(lambda v: v if v is None else as_text(v)),
                           errors="coerce").dropna()
    if len(values) < 20:
        return []
    median = values.median()
    mad = (values - median).abs().median()
    if mad == 0:
        return []
    robust = (values - median).abs() / (1.4826 * mad)
    count = int((robust > 10).sum())
    if not count:
        return []
    spread = {} if label.personal else {"median": float(median), "mad": float(mad)}  # no values of personal data
    return [make_finding("label_outliers", "minor", label.table, label.column, count, label.rows,
               f"{count:,} {label.column} values lie more than 10 robust deviations from the median", **spread)]


__all__ = ["label_findings", "dataset_findings", "label_variants", "conflicting_labels", "label_outliers"]
