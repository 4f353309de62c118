"""Checks an ML engineer needs beyond nulls and formats: label quality, leakage, splits, time, text.

Each function takes tables (already normalised) and returns findings with exact counts. The one
statistic that is estimated, leakage, says so: it is a cross-validated accuracy on at most
LEAKAGE_SAMPLE rows, and the finding carries the numbers it rests on.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.checks import columns
from readiness.checks import core as checks
from readiness.checks import time as timeline
from readiness.ingest.tables import as_text, count_present, is_text, objects
from readiness.models import Finding
from readiness.profile import entities, formats, infer
from readiness.profile.names import mask_value
from readiness.profile.stats import TableStats, may_repeat
from readiness.settings import Settings
from readiness.validate.suites import MOJIBAKE  # one pattern for the count and the GX suite

LEAKAGE_SAMPLE = 200_000
LEAKAGE_MIN_ACCURACY = 0.975  # a single column predicting the label this well is a leak...
LEAKAGE_MAX_ERROR_RATIO = 0.05  # ...when it also removes 95% of the majority baseline's errors
SORTED_MIN_ACCURACY = 0.9
SORTED_MAX_ERROR_RATIO = 0.25  # or, for an imbalanced label: a quarter of the majority baseline's errors
VARIANT_SIMILARITY = 0.85
SHORT_TEXT_CHARS = 3
LONG_TEXT_CHARS = 5000
GAP_FACTOR = 10  # a gap this many times the typical spacing between dates (and over a day)
STALE_DAYS = 180


def _f(check: str, severity: str, table: str | None, column: str | None, count: int, rows: int, message: str,
       **details: Any) -> Finding:
    return checks.make_finding(check, severity, table, column, count, rows, message, **details)


# --- label quality ------------------------------------------------------------------------------


def _variant_key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().casefold())


def label_variants(stats: TableStats) -> list[Finding]:
    """One class spelled several ways: case, surrounding whitespace, separators, near-identical spellings."""
    label = stats.label
    if label is None or not label.classes or label.personal:
        return []
    counts = dict(label.classes)
    groups: dict[str, list[str]] = {}
    for name in counts:
        groups.setdefault(_variant_key(name), []).append(name)
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
    found = []
    variants = {}
    affected = 0
    for names in groups.values():
        if len(names) < 2:
            continue
        main = max(names, key=lambda n: (counts[n], n))
        others = [n for n in names if n != main]
        affected += sum(counts[n] for n in others)
        variants[main] = others
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
        found.append(_f("label_variants", "major" if affected / rows >= 0.01 else "minor", label.table, label.column,
                        affected, rows, f"{affected:,} {label.column} labels are other spellings of a class: {shown}",
                        variants={m: o for m, o in variants.items() if m not in personal},
                        **({"personal_groups": len(personal)} if personal else {})))
    return found


def _normal(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    # casefolded, whitespace runs as one space, stripped (str.split splits on what re's \s matches)
    return " ".join((value if isinstance(value, str) else str(value)).casefold().split())


def _normalised_text(series: pd.Series) -> pd.Series:
    return pd.Series([_normal(v) for v in series.to_numpy(dtype=object)], index=series.index, dtype=object)


# an ASCII value is its own normal form once lower-cased unless it holds other whitespace than
# single spaces between words (Python's ASCII whitespace is \t\n\v\f\r, \x1c-\x1f and space)
_NOT_PLAIN = r"[\x09-\x0d\x1c-\x1f]|  |^ | $"


def _plain(array: Any) -> Any:
    """Which values are ASCII words between single spaces (their normal form is their lower case)."""
    import pyarrow.compute as pc

    return pc.and_(pc.string_is_ascii(array), pc.invert(pc.match_substring_regex(array, _NOT_PLAIN)))


def normal_codes(texts: pd.Series) -> np.ndarray:
    """For text values (none missing): a code per value, equal exactly when their ``_normal`` forms
    are equal. Plain ASCII values (words between single spaces) are lower-cased by Arrow, which is
    their casefold; every other value goes through ``_normal``: no Python string per value for
    the plain majority."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if texts.empty:
        return np.zeros(0, dtype=np.int64)
    array = fastre.arrow_array(texts)
    if array is None:
        return pd.factorize(_normalised_text(texts))[0]
    plain = _plain(array)
    folded = pc.ascii_lower(array)
    others = np.flatnonzero(~np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool))
    if len(others):
        normal = [_normal(v) for v in pc.take(array, pa.array(others)).to_pylist()]
        folded = pc.replace_with_mask(folded, pc.invert(plain), pa.array(normal, type=folded.type))
    return pd.factorize(pd.Series(pd.arrays.ArrowStringArray(folded)))[0]


def normal_distinct(texts: pd.Series) -> int:
    """How many distinct ``_normal`` forms distinct text values have, without hashing them all:
    a plain ASCII value already lower-case is its own normal form, and such values differ from
    each other, so only the rest (usually few) are normalised and looked up among them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = fastre.arrow_array(texts)
    if array is None:
        return len(set(_normalised_text(texts)))
    plain = _plain(array)
    kept = pc.and_(plain, pc.invert(pc.match_substring_regex(array, "[A-Z]")))  # already in normal form
    rest = pc.invert(kept)
    others = np.flatnonzero(np.asarray(pc.and_(rest, pc.invert(plain)).to_numpy(zero_copy_only=False), dtype=bool))
    normal = [_normal(v) for v in pc.take(array, pa.array(others, type=pa.int64())).to_pylist()]
    folded = pc.ascii_lower(pc.filter(array, pc.and_(rest, plain)))  # plain values with capitals
    changed = pc.unique(pa.chunked_array([folded, pa.array(normal, type=folded.type)], type=folded.type))
    unchanged = pc.filter(array, kept)
    if isinstance(changed, pa.ChunkedArray):
        changed = changed.combine_chunks()
    both = int(pc.sum(pc.is_in(unchanged, value_set=changed)).as_py() or 0)
    return len(unchanged) + len(changed) - both


def _texts(series: pd.Series) -> pd.Series:
    """Present values as the text they are compared by (Arrow text is that already)."""
    return series if isinstance(series.dtype, pd.StringDtype) else series.map(as_text)


def _label_codes(series: pd.Series) -> np.ndarray:
    """Integer codes of label values compared by their text ("1" and "1.0" differ)."""
    if isinstance(series.dtype, pd.StringDtype) or (
            series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) == "string"):
        return pd.factorize(series)[0]
    return pd.factorize(series.map(as_text))[0]


def _row_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Each column as integer codes (missing is a code of its own): exact, vectorised row keys."""
    codes = {}
    for position in range(frame.shape[1]):
        codes[f"c{position}"] = pd.factorize(frame.iloc[:, position], use_na_sentinel=False)[0]
    return pd.DataFrame(codes).reset_index(drop=True)


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
    targets = _label_codes(frame[label.column][mask])
    if text_column is not None and normal is not None and stats.codes is not None:
        rows = stats.codes[frame.columns.get_loc(text_column)][mask]
        present = np.flatnonzero(rows >= 0)
        keys = pd.DataFrame({"key": normal[rows[present]]}, index=present)
        what = f"the same {text_column} value"
    elif text_column is not None:
        keys = pd.DataFrame({"key": _normalised_text(frame[text_column][mask]).to_numpy()}).dropna()
        what = f"the same {text_column} value"
    elif stats.codes is not None:  # the codes the counts were made from: no second hashing pass
        keys = pd.DataFrame({f"c{i}": stats.codes[frame.columns.get_loc(c)][mask] for i, c in enumerate(features)})
        what = "identical inputs"
    else:
        keys = _row_codes(frame.loc[mask, features])
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
    return [_f("conflicting_labels", "major" if count / label.rows >= 0.01 else "minor", label.table, label.column,
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
    return [_f("label_outliers", "minor", label.table, label.column, count, label.rows,
               f"{count:,} {label.column} values lie more than 10 robust deviations from the median", **spread)]


# --- leakage -------------------------------------------------------------------------------------


def _fold_codes(x: pd.Series, train: np.ndarray, bins: int = 20) -> np.ndarray | None:
    """Numeric columns binned on the training fold's quantiles (missing is a bin of its own)."""
    if not (pd.api.types.is_numeric_dtype(x.dtype) and not pd.api.types.is_bool_dtype(x.dtype)):
        return None
    values = x.astype("float64").to_numpy()
    finite = values[train][np.isfinite(values[train])]
    edges = np.unique(np.quantile(finite, np.linspace(0, 1, bins + 1))) if len(finite) else np.array([0.0])
    codes = np.searchsorted(edges[1:-1], values, side="right")
    codes[~np.isfinite(values)] = len(edges) + 1
    return codes


def single_column_accuracy(x: pd.Series | np.ndarray, y: pd.Series, folds: int = 5, seed: int = 0) -> tuple[float, float]:
    """Cross-validated accuracy of predicting y from x alone (majority label per value or bin).
    ``x`` is a column, or integer codes of one (equal codes for equal values)."""
    n = len(y)
    fold = np.empty(n, dtype=int)
    fold[np.random.default_rng(seed).permutation(n)] = np.arange(n) % folds
    y_codes, y_values = pd.factorize(y)
    classes = len(y_values)
    fixed = None
    if isinstance(x, np.ndarray):
        fixed = pd.factorize(x)[0]  # numbered from 0 again: as many keys as the sample has values
    elif isinstance(x.dtype, pd.StringDtype):  # text already: its values are what is compared
        fixed = pd.factorize(x, use_na_sentinel=False)[0]
    elif not (pd.api.types.is_numeric_dtype(x.dtype) and not pd.api.types.is_bool_dtype(x.dtype)):
        fixed = pd.factorize(x.map(lambda v: v if isinstance(v, str) else as_text(v) if v is not None and v == v
                                   else None), use_na_sentinel=False)[0]
    correct = 0
    for k in range(folds):
        train = fold != k
        codes = fixed if fixed is not None else _fold_codes(x, train)
        assert codes is not None
        keys = int(codes.max()) + 1 if len(codes) else 1
        counts = np.bincount(codes[train] * classes + y_codes[train], minlength=keys * classes).reshape(keys, classes)
        majority = int(np.bincount(y_codes[train], minlength=classes).argmax())
        best = counts.argmax(axis=1)
        best[counts.sum(axis=1) == 0] = majority  # a value never seen in training: predict the majority
        correct += int((best[codes[~train]] == y_codes[~train]).sum())
    baseline = float(np.bincount(y_codes, minlength=classes).max() / n)
    return correct / n, baseline


def leakage(stats: TableStats, settings: Settings, task: str, after_outcome: Iterable[str] = ()) -> list[Finding]:
    """Columns that give the label away, and rows ordered by the label."""
    label = stats.label
    if label is None or task == "regression":
        return []
    frame = stats.table.frame
    positions = pd.Series(np.flatnonzero(frame[label.column].notna().to_numpy()))
    if len(positions) < 30:
        return []
    if len(positions) > LEAKAGE_SAMPLE:  # the rows DataFrame.sample would pick, without copying the rest
        positions = positions.sample(n=LEAKAGE_SAMPLE, random_state=0)
    rows = positions.to_numpy()
    y = _texts(frame[label.column].take(rows)).reset_index(drop=True)
    if y.nunique() < 2:
        return []
    found = []
    declared = set(after_outcome)
    # a row number is checked as a number (binned), not value by value: each of its values is unique
    row_numbers = [c.plan.name for c in stats.columns if c.plan.is_row_index and c.plan.name not in declared]
    for position, column in enumerate(frame.columns):
        if column == label.column or column in row_numbers:
            continue
        x = frame[column]
        # text is compared by value: the codes the counts were made from say the same, without
        # copying the sampled rows or hashing their text again
        keys = stats.codes[position][rows] if stats.codes is not None and isinstance(x.dtype, pd.StringDtype) \
            else x.take(rows).reset_index(drop=True)
        accuracy, baseline = single_column_accuracy(keys, y)
        error_ratio = (1 - accuracy) / (1 - baseline) if baseline < 1 else 1.0
        evidence = {"cv_accuracy": accuracy, "majority_baseline": baseline, "error_ratio": error_ratio,
                    "rows_used": len(y), "method": "5-fold single-column majority-per-value accuracy"}
        if column in declared:
            found.append(_f("leakage", "major", label.table, column, label.labeled, label.rows,
                            f"{column} is recorded after the outcome (declared in readiness.toml); it must not be a "
                            f"feature", declared_after_outcome=True, **evidence))
        elif accuracy >= LEAKAGE_MIN_ACCURACY and error_ratio <= LEAKAGE_MAX_ERROR_RATIO:
            found.append(_f("leakage", "blocker", label.table, column, label.labeled, label.rows,
                            f"{column} alone predicts {label.column} with {accuracy:.1%} accuracy (majority baseline "
                            f"{baseline:.1%}): it gives the label away", **evidence))
    bins = order_bins(len(y))
    leaking = []
    for column in row_numbers:
        numbers = infer.numeric_values(frame[column].take(rows)).to_numpy()
        accuracy, baseline = single_column_accuracy(order_codes(numbers, bins), y)
        if ordered_by_label(accuracy, baseline):
            leaking.append(column)
            found.append(_f("leakage", "major", label.table, column, label.labeled, label.rows,
                            f"{column} is a row number that predicts {label.column} with {accuracy:.1%} accuracy "
                            f"(majority baseline {baseline:.1%}): the rows were numbered in an order that follows "
                            f"{label.column}; drop it before training", row_index=True,
                            **_order_evidence(accuracy, baseline, len(y), bins, "row number")))
    # row positions (of the sampled rows, for a large table) as numbers: rows sorted by the label
    accuracy, baseline = single_column_accuracy(order_codes(rows, bins), y)
    if ordered_by_label(accuracy, baseline):
        carried = (f"; the row-number column{'s' if len(leaking) > 1 else ''} {', '.join(leaking)} carr"
                   f"{'y' if len(leaking) > 1 else 'ies'} the same order: drop {'them' if len(leaking) > 1 else 'it'}"
                   if leaking else "")
        found.append(_f("label_sorted", "minor", label.table, label.column, label.labeled, label.rows,
                        f"rows of {label.table} are ordered by {label.column} (row position predicts it with "
                        f"{accuracy:.1%} accuracy, majority baseline {baseline:.1%}): shuffle before splitting"
                        + carried, row_index_columns=leaking,
                        **_order_evidence(accuracy, baseline, len(y), bins, "row position")))
    return found


def order_bins(rows: int) -> int:
    """Equal-count bins for a row number or position: about 20 rows each (from 20 to 100 bins), fine
    enough to see a sorted label's few class boundaries, coarse enough that each bin's majority
    means something in a random order."""
    return max(20, min(100, rows // 20))


def order_codes(values: np.ndarray, bins: int) -> np.ndarray:
    """Equal-count bins of a row number or position, by rank (equal values share a bin): one
    sort for all folds, where quantiles per fold would sort each fold again."""
    ranks = np.searchsorted(np.sort(values), values, side="left")
    return ranks * bins // max(len(values), 1)


def ordered_by_label(accuracy: float, baseline: float) -> bool:
    """A row number or position predicts the label: accurate, and well above the majority baseline
    (by 30 points, or removing most of its errors, which an imbalanced label needs)."""
    error_ratio = (1 - accuracy) / (1 - baseline) if baseline < 1 else 1.0
    return accuracy >= SORTED_MIN_ACCURACY and (accuracy - baseline >= 0.3 or error_ratio <= SORTED_MAX_ERROR_RATIO)


def _order_evidence(accuracy: float, baseline: float, rows: int, bins: int, what: str) -> dict[str, Any]:
    return {"cv_accuracy": accuracy, "majority_baseline": baseline,
            "error_ratio": (1 - accuracy) / (1 - baseline) if baseline < 1 else 1.0, "rows_used": rows,
            "method": f"5-fold {what} accuracy, majority label per equal-count bin ({bins} bins)"}


# --- splits -------------------------------------------------------------------------------------------


def splits(stats: list[TableStats], label_column: str | None, text_columns: dict[str, str | None],
           groups: dict[str, list[str]] | None = None) -> list[Finding]:
    """Train/validation/test files of one folder as one dataset: overlap (of rows, and of entities
    for the grouping columns in ``groups``, by table), label shift, schema mismatch."""
    by_folder: dict[str, dict[str, TableStats]] = {}
    for item in stats:
        if item.table.split:
            folder = item.table.source.rsplit("/", 1)[0] if "/" in item.table.source else ""
            by_folder.setdefault(folder, {}).setdefault(item.table.split, item)
    found: list[Finding] = []
    for group in by_folder.values():
        train = group.get("train")
        if train is None:
            continue
        for kind in ("validation", "test"):
            other = group.get(kind)
            if other is None:
                continue
            entity_columns = [c for c in dict.fromkeys([*(groups or {}).get(train.table.name, []),
                                                        *(groups or {}).get(other.table.name, [])])
                              if c != label_column]
            found += _split_pair(train, other, label_column, text_columns.get(other.table.name), entity_columns)
    return found


def _in_train(values: pd.Series, train: pd.Series) -> np.ndarray:
    """Which values (missing: none) are also values of the training column, compared as read."""
    import pyarrow.compute as pc

    if is_text(values) and is_text(train):
        array, known = fastre.arrow_array(values), fastre.arrow_array(train)
        if array is not None and known is not None:
            found = pc.fill_null(pc.is_in(array, value_set=pc.unique(pc.drop_null(known))), False)
            return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)
    return np.asarray(values.isin(train.dropna().unique()).to_numpy() & values.notna().to_numpy(), dtype=bool)


def _entity_overlap(train: TableStats, other: TableStats, column: str) -> Finding | None:
    """Rows of ``other`` whose entity (a grouping column's value) also has rows in train."""
    a, b = train.table.frame, other.table.frame
    if column not in a.columns or column not in b.columns or not len(b):
        return None
    shared = _in_train(b[column], a[column])
    count = int(shared.sum())
    if not count:
        return None
    entities = int(b[column][shared].nunique())
    return _f("split_overlap", "blocker" if count / len(b) >= 0.05 else "major", other.table.name, column, count,
              len(b), f"{count:,} rows of {other.table.name} ({count / len(b):.1%}) belong to one of {entities:,} "
              f"{column} entities that also have rows in {train.table.name}: split by {column}",
              by="entity", entity_column=column, entities=entities, train=train.table.name)


def _split_pair(train: TableStats, other: TableStats, label_column: str | None, text_column: str | None,
                entity_columns: Iterable[str] = ()) -> list[Finding]:
    found: list[Finding] = []
    for column in entity_columns:
        overlap = _entity_overlap(train, other, column)
        if overlap is not None:
            found.append(overlap)
    a, b = train.table.frame, other.table.frame
    shared = [c for c in b.columns if c in a.columns and c != label_column]
    ids = {c.plan.name for c in other.columns if c.plan.is_id or c.plan.is_row_index}
    features = [c for c in shared if c not in ids] or shared
    missing = sorted((set(a.columns) ^ set(b.columns)) - {label_column})
    retyped = sorted(c for c in shared if train.plan.column(c).type != other.plan.column(c).type)
    if missing or retyped:
        found.append(_f("split_schema_mismatch", "major", other.table.name, None, len(missing) + len(retyped), len(b),
                        f"{other.table.name} and {train.table.name} differ: "
                        + "; ".join(filter(None, [f"columns only in one: {', '.join(missing)}" if missing else "",
                                                  f"types differ: {', '.join(retyped)}" if retyped else ""])),
                        only_in_one=missing, retyped=retyped, train=train.table.name))
    if features and len(b):
        both = pd.concat([a[features], b[features]], ignore_index=True)
        codes = _row_codes(both)
        index = pd.MultiIndex.from_frame(codes)
        exact = int(index[len(a):].isin(index[: len(a)]).sum())
        text_overlap = 0
        if text_column and text_column in a.columns:
            text_overlap = int(_normalised_text(b[text_column]).dropna().isin(set(_normalised_text(a[text_column]).dropna())).sum())
        count = max(exact, text_overlap)
        if count:
            found.append(_f("split_overlap", "blocker" if count / len(b) >= 0.05 else "major", other.table.name, None,
                            count, len(b), f"{count:,} rows of {other.table.name} ({count / len(b):.1%}) also appear in "
                            f"{train.table.name}" + (f" (same {text_column} value, ignoring case and spacing)" if text_overlap > exact else ""),
                            exact=exact, normalised_text=text_overlap, train=train.table.name, by="rows"))
    if train.label is not None and other.label is not None and train.label.classes and other.label.classes:
        from readiness.checks.drift import label_shift

        shift = label_shift(dict(train.label.classes), dict(other.label.classes))
        if shift and shift["psi"] > 0.1:
            found.append(_f("split_label_shift", "minor", other.table.name, label_column, other.label.labeled,
                            len(b), f"the {label_column} distribution of {other.table.name} differs from "
                            f"{train.table.name} (PSI {shift['psi']:.2f})", psi=shift["psi"], train=train.table.name))
    return found


# --- time ----------------------------------------------------------------------------------------------


def _dates(series: pd.Series, fmt: str | None) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        values = series
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        return values.dropna()
    if fmt and fmt.startswith("date:") and is_text(series):
        text = series.dropna()
        if not isinstance(text.dtype, pd.StringDtype):
            text = text[text.map(lambda v: isinstance(v, str))]
        text = fastre.strip(text)  # as str.strip, by Arrow
        layout = formats.LAYOUTS_BY_NAME[fmt[5:]]
        return formats.parse_dates(text[fastre.fullmatch(text, layout.pattern)], layout.name).dropna()
    if fmt in ("date:YYYY", "date:YYYYMMDD") and pd.api.types.is_integer_dtype(series.dtype):
        return formats.integer_dates(series.dropna(), fmt[5:]).dropna()  # 1958, 19580329 as numbers
    return pd.Series(dtype="datetime64[ns]")


_NO_DATES = pd.Series(dtype="datetime64[ns]")  # shared, never changed: a Series costs ~0.1 ms to build


def column_dates(stats: TableStats, plan: infer.ColumnPlan) -> tuple[pd.Series, np.ndarray]:
    """A column's dates and how many rows hold each: an all-text column's distinct values are
    parsed once (index = the value's position among them), any other column row by row."""
    series = stats.table.frame[plan.name]
    if not (plan.format and plan.format.startswith("date:")) and not pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _NO_DATES, np.ones(0, dtype=np.int64)  # no dates (as _dates finds): nothing to parse
    counts = stats.text_counts.get(plan.name)
    if counts is not None and int(counts.to_numpy().sum()) == count_present(series):
        # every value is text: parse each distinct value once, count it as often as it occurs
        dates = _dates(formats.distinct_values(counts), plan.format)
        return dates, counts.to_numpy()[dates.index.to_numpy()]
    dates = _dates(series, plan.format)
    return dates, np.ones(len(dates), dtype=np.int64)


def time_checks(stats: TableStats, now: datetime,
                parsed: dict[str, tuple[pd.Series, np.ndarray]] | None = None) -> tuple[list[Finding], dict[str, Any]]:
    """Future dates, gaps and freshness. ``parsed``: ``column_dates`` already computed."""
    found: list[Finding] = []
    summary: dict[str, Any] = {}
    rows = stats.rows
    today = pd.Timestamp(now.replace(tzinfo=None))
    for column in stats.columns:
        plan = column.plan
        if plan.pii is not None or plan.is_label:
            continue
        known = (parsed or {}).get(plan.name)
        dates, weights = known if known is not None else column_dates(stats, plan)
        if dates.empty:
            continue
        newest, oldest = dates.max(), dates.min()
        future = int(weights[(dates > today).to_numpy()].sum())
        distinct = np.sort(dates.dt.normalize().unique())
        gaps = 0
        typical = None
        if len(distinct) >= 10:
            steps = np.diff(distinct).astype("timedelta64[s]").astype("int64")
            typical = float(np.median(steps))
            gaps = int(((steps > GAP_FACTOR * typical) & (steps > 86400)).sum()) if typical > 0 else 0
        freshness = int((today - newest).days)
        summary[plan.name] = {"oldest": str(oldest.date()), "newest": str(newest.date()),
                              "days_since_newest": freshness, "gaps": gaps,
                              "typical_spacing_days": None if typical is None else typical / 86400}
        if future:
            found.append(_f("future_dates", "major" if future / rows >= 0.01 else "minor", stats.table.name, plan.name,
                            future, rows, f"{future:,} {plan.name} values lie in the future (after {today.date()})"))
        if gaps:
            found.append(_f("time_gaps", "minor", stats.table.name, plan.name, gaps, rows,
                            f"{plan.name} has {gaps} gaps over {GAP_FACTOR} times its typical spacing between dates",
                            typical_spacing_days=typical / 86400 if typical else None))
        if freshness > STALE_DAYS and not future:
            found.append(_f("stale_data", "info", stats.table.name, plan.name, 0, rows,
                            f"the newest {plan.name} is {freshness:,} days old (on {newest.date()})",
                            days_since_newest=freshness, newest=str(newest.date())))
    return found, summary


# --- text ---------------------------------------------------------------------------------------------


def main_text_column(stats: TableStats) -> str | None:
    texts = [c for c in stats.columns if c.plan.type == "text" and not c.plan.is_label and c.plan.pii is None]
    return max(texts, key=lambda c: c.non_missing).plan.name if texts else None


def text_keys(stats: TableStats, column: str) -> np.ndarray | None:
    """``normal_codes`` of a column's distinct values when every present value is text."""
    counts = stats.text_counts.get(column)
    if counts is None or stats.codes is None or int(counts.to_numpy().sum()) != count_present(stats.table.frame[column]):
        return None
    return normal_codes(formats.distinct_values(counts))


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
        free_text = not columns.is_low_cardinality(column)
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
                duplicated = int(_normalised_text(values).duplicated().sum())
                exact_rows = int(stats.table.frame.loc[values.index].duplicated().sum())
        name, table = plan.name, stats.table.name
        if short:
            found.append(_f("text_too_short", "minor", table, name, short, rows,
                            f"{short:,} {name} values are shorter than {SHORT_TEXT_CHARS} characters"))
        if long:
            found.append(_f("text_too_long", "minor", table, name, long, rows,
                            f"{long:,} {name} values are longer than {LONG_TEXT_CHARS:,} characters"))
        if broken:
            found.append(_f("mojibake", "major" if broken / rows >= 0.01 else "minor", table, name, broken, rows,
                            f"{broken:,} {name} values hold mis-decoded characters (like Ã© for é): "
                            "re-export the file as UTF-8"))
        extra = duplicated - exact_rows
        if extra > 0:
            found.append(_f("duplicate_texts", "minor", table, name, extra, rows,
                            f"{extra:,} {name} values repeat an earlier one (ignoring case and spacing) in rows "
                            "that are not exact duplicates"))
    return found


# --- volume guidance ----------------------------------------------------------------------------------


def volume_guidance(stats: list[TableStats], task: str) -> list[str]:
    """Rules of thumb, given as guidance for the packet, never as a verdict."""
    notes = []
    labeled = [s for s in stats if s.label is not None]
    if labeled and task != "regression":
        main = max(labeled, key=lambda s: s.rows)
        classes = dict(main.label.classes or ())  # type: ignore[union-attr]
        if classes:
            smallest = min(classes.values())
            notes.append(f"The smallest class has {smallest:,} labeled rows. Rules of thumb: about 100 per class for "
                         "classic models, 1,000 or more per class for training deep models from scratch; fine-tuning a "
                         "pretrained model can work with tens per class.")
    tabular = task != "text-classification" and not any(main_text_column(s) for s in stats)
    for item in stats if tabular else ():  # rows per feature is a rule of thumb for tabular models only
        features = len([c for c in item.columns if not (c.plan.is_label or c.plan.is_id or c.plan.is_row_index)])
        if features and item.rows:
            ratio = item.rows / features
            notes.append(f"{item.table.name}: {item.rows:,} rows for {features} feature columns ({ratio:,.0f} rows per "
                         "feature; at least 10 to 20 per feature is a common rule of thumb for tabular models).")
    return notes


def all_extra(stats: list[TableStats], settings: Settings, task: str, now: datetime,
              after_outcome: Iterable[str] = ()) -> tuple[list[Finding], dict[str, Any]]:
    """Every check of this module over the tables; returns findings and per-table time summaries."""
    found: list[Finding] = []
    times: dict[str, Any] = {}
    keys: dict[tuple[str, str], np.ndarray | None] = {}
    text_columns = {s.table.name: main_text_column(s) for s in stats}
    label_column = next((s.label.column for s in stats if s.label is not None), None)
    groups: dict[str, list[str]] = {}
    for item in stats:
        parsed = None
        if item.label is not None:
            found += label_variants(item)
            text = text_columns[item.table.name] if task == "text-classification" else None
            normal = None
            if text is not None:
                normal = keys[(item.table.name, text)] = text_keys(item, text)
            found += conflicting_labels(item, text, normal)
            if task == "regression":
                found += label_outliers(item)
            found += leakage(item, settings, task, after_outcome)
            if task in timeline.CLASS_TASKS:  # the dates are parsed once, for the time checks and the drift
                parsed = {c.plan.name: column_dates(item, c.plan) for c in item.columns
                          if c.plan.pii is None and not c.plan.is_label}
                found += timeline.label_drift(item, task, parsed)
        more, summary = time_checks(item, now, parsed)
        found += more
        if summary:
            times[item.table.name] = summary
        found += text_checks(item, {column: known for (table, column), known in keys.items()
                                    if table == item.table.name})
        grouping = entities.grouping_columns(item)
        groups[item.table.name] = [f.column for f in grouping if f.column is not None]
        found += grouping
    found += splits(stats, label_column, text_columns, groups)
    return found, times


__all__ = ["all_extra", "volume_guidance", "single_column_accuracy"]
