"""The frozen hold-out: the rows of the largest labeled table a trial candidate predicts, drawn by
time, by entity, by class or at random, and frozen with their labels in internal/holdout/.

The hold-out labels never leave internal/: the packet carries only the hold-out's row numbers
(the kit's files: trial_files.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness.base.files import write_atomic
from readiness.report.acceptance import NUMBER_TASKS

if TYPE_CHECKING:
    import numpy as np

    from readiness.models import Finding
    from readiness.profile.counts import TableStats
    from readiness.profile.labels import LabelTarget
    from readiness.settings import Settings, ShareSettings

HOLDOUT_SHARE = 0.2
MIN_LABELED = 10  # fewer labeled rows: no hold-out, the trial agrees its evaluation with the client
CLASS_TASKS = ("classification", "text-classification")


def seed_of(*parts: object) -> int:
    """A seed fixed by the data's shape: the same data gives the same hold-out."""
    digest = hashlib.sha256("\0".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def _target_count(labeled: int, share: float) -> int:
    return min(labeled - 1, max(1, round(labeled * share)))


def time_holdout(labeled: np.ndarray, dates: np.ndarray, share: float = HOLDOUT_SHARE) -> np.ndarray:
    """The newest ``share`` of the labeled rows (positions); rows without a date stay in training."""
    import numpy as np

    dated = labeled[~np.isnat(dates[labeled])]
    order = dated[np.lexsort((dated, dates[dated]))]  # by date, then by row
    count = min(len(order), _target_count(len(labeled), share))
    return np.sort(order[len(order) - count:])


def group_holdout(labeled: np.ndarray, groups: Sequence[Any], seed: int,
                  share: float = HOLDOUT_SHARE) -> np.ndarray:
    """Whole entities held out until about ``share`` of the labeled rows: no entity on both sides.
    A row without an entity is its own group."""
    import numpy as np
    import pandas as pd

    keys = pd.Series([groups[i] for i in labeled], dtype=object)
    missing = keys.isna().to_numpy()
    codes, _ = pd.factorize(keys)
    codes = np.where(missing, -1 - np.arange(len(keys)), codes)
    unique = np.unique(codes)
    order = np.random.default_rng(seed).permutation(unique)
    sizes = pd.Series(codes).value_counts()
    wanted, chosen, taken = _target_count(len(labeled), share), [], 0
    for group in order:
        if taken >= wanted:
            break
        size = int(sizes[group])
        if taken + size > len(labeled) - 1:
            continue
        chosen.append(group)
        taken += size
    return np.sort(labeled[np.isin(codes, chosen)])


def stratified_holdout(labeled: np.ndarray, classes: np.ndarray, seed: int,
                       share: float = HOLDOUT_SHARE) -> np.ndarray:
    """About ``share`` of each class held out; a class with two rows or more keeps at least one on each side."""
    import numpy as np

    rng = np.random.default_rng(seed)
    picked = []
    by_class = labeled[np.argsort(classes[labeled], kind="stable")]  # one sort, not one scan per class
    _, starts = np.unique(classes[by_class], return_index=True)
    for rows in np.split(by_class, starts[1:]):
        if len(rows) < 2:
            continue
        count = min(len(rows) - 1, max(1, round(len(rows) * share)))
        picked.append(rng.permutation(rows)[:count])
    return np.sort(np.concatenate(picked)) if picked else np.zeros(0, dtype=np.int64)


def random_holdout(labeled: np.ndarray, seed: int, share: float = HOLDOUT_SHARE) -> np.ndarray:
    import numpy as np

    return np.sort(np.random.default_rng(seed).permutation(labeled)[:_target_count(len(labeled), share)])


def _row_dates(stats: TableStats, labeled: np.ndarray) -> tuple[str, np.ndarray] | None:
    """The first date column (table order) dating at least half the labeled rows: its name and a
    datetime64 per row (NaT where the row has no date)."""
    import numpy as np
    import pandas as pd

    from readiness.profile import dates as layouts

    frame = stats.table.frame
    for plan in stats.plan.columns:
        if plan.pii is not None or plan.is_label or plan.name not in frame.columns:
            continue
        series = frame[plan.name]
        try:
            if pd.api.types.is_datetime64_any_dtype(series.dtype):
                values = series.dt.tz_convert("UTC").dt.tz_localize(None) if getattr(series.dt, "tz", None) else series
                dates = pd.Series(pd.to_datetime(values).to_numpy(dtype="datetime64[ns]"))
            elif plan.format and plan.format.startswith("date:"):
                if plan.format[5:] not in layouts.LAYOUTS_BY_NAME:
                    continue
                dates = pd.Series(np.full(len(series), np.datetime64("NaT"), dtype="datetime64[ns]"))
                dates.iloc[labeled] = _mixed_dates(series.iloc[labeled], plan.format[5:])  # labeled rows only
            else:
                continue
        except (ValueError, TypeError, OverflowError, AttributeError):
            continue
        values = dates.to_numpy(dtype="datetime64[ns]")
        if len(labeled) and (~np.isnat(values[labeled])).sum() * 2 >= len(labeled):
            return plan.name, values
    return None


def _mixed_dates(series: Any, dominant: str) -> np.ndarray:
    """A datetime64 per row of a text date column: each value parsed in the dominant layout, else in
    the first other layout it is written in (a column of ISO dates with some dd/mm/yyyy rows is
    dated throughout); NaT where no layout reads it. One vectorised pass per layout."""
    import numpy as np

    from readiness.profile import dates as layouts

    text = series.astype("string[pyarrow]").str.strip().reset_index(drop=True)  # Arrow: RE2, no Python per row
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    free = text.notna().to_numpy() & (text.str.len() > 0).fillna(False).to_numpy(dtype=bool)
    order = [layouts.LAYOUTS_BY_NAME[dominant]] + [layout for layout in layouts.DATE_LAYOUTS
                                                   if layout.name != dominant and not layout.by_name]
    for layout in order:
        if not free.any():
            break
        positions = np.flatnonzero(free)
        candidates = text if len(positions) == len(text) else text.iloc[positions]
        fits = candidates.str.fullmatch(layout.pattern).fillna(False).to_numpy(dtype=bool)
        if not fits.any():
            continue
        hit = positions[fits]
        values = _calendar_dates(candidates[fits], layout).to_numpy(dtype="datetime64[ns]")
        ok = ~np.isnat(values)
        out[hit[ok]] = values[ok]
        free[hit[ok]] = False
    return out


def _calendar_dates(texts: Any, layout: Any) -> Any:
    """The calendar day of each text written in the layout (strptime on each distinct date part: a
    time of day only orders rows within a day, and rows of one day keep their file order); NaT where
    the day is no real date."""
    import numpy as np
    import pandas as pd

    from readiness.profile import dates as layouts

    codes, days = pd.factorize(layouts.calendar_part(texts, layout))  # a few hundred days, not a row each
    formats_tried = layout.strptime
    if layout.either_order and not layouts.day_first(texts, layout):
        formats_tried = tuple(reversed(layout.strptime))
    part = pd.Series(days, dtype=object)
    parsed = pd.to_datetime(part, format=formats_tried[0], errors="coerce")
    for fmt in formats_tried[1:]:
        parsed = parsed.fillna(pd.to_datetime(part, format=fmt, errors="coerce"))
    values = parsed.to_numpy(dtype="datetime64[ns]")
    return pd.Series(np.where(codes >= 0, values[np.maximum(codes, 0)], np.datetime64("NaT")),
                     dtype="datetime64[ns]")


def _entity_column(stats: TableStats, findings: Sequence[Finding]) -> str | None:
    """The column whose rows belong to one entity: a grouping_column finding's, else a repeating id."""
    frame = stats.table.frame
    for finding in findings:
        if (finding.check == "grouping_column" and finding.table == stats.table.name and finding.column
                and finding.column in frame.columns and not finding.waived):
            return finding.column
    for column in stats.columns:
        plan = column.plan
        if plan.is_id and not plan.is_label and plan.pii is None and not plan.is_row_index \
                and plan.name in frame.columns and 0 < column.distinct < column.non_missing:
            return plan.name
    return None


def choose(stats: TableStats, target: LabelTarget, findings: Sequence[Finding]) -> dict[str, Any] | None:
    """The hold-out of the largest labeled table: its rows, labels and how it was drawn."""
    import numpy as np

    from readiness.checks import time as timeline

    label = stats.label
    if label is None:
        return None
    codes, names = timeline.label_codes(stats, label.column)
    codes = np.asarray(codes, dtype=np.int64)
    texts = [str(n).strip() for n in names]
    if target.task in NUMBER_TASKS:
        numeric = np.array([_is_number(t) for t in texts] + [False], dtype=bool)
        codes = np.where(numeric[np.where(codes >= 0, codes, len(texts))], codes, -1)
    labeled = np.flatnonzero(codes >= 0)
    if len(labeled) < MIN_LABELED:
        return None
    seed = seed_of(stats.table.name, label.column, len(codes), len(labeled))
    by: str | None = None
    dated = _row_dates(stats, labeled)
    entity = None if dated else _entity_column(stats, findings)
    if dated:
        method, by = "time", dated[0]
        rows = time_holdout(labeled, dated[1])
    elif entity:
        method, by = "group", entity
        rows = group_holdout(labeled, stats.table.frame[entity].tolist(), seed)
    elif target.task in CLASS_TASKS:
        method = "stratified"
        rows = stratified_holdout(labeled, codes, seed)
    else:
        method = "random"
        rows = random_holdout(labeled, seed)
    if not len(rows):
        return None
    return {"table": stats.table.name, "column": label.column, "task": target.task, "method": method, "by": by,
            "rows": int(len(rows)), "labeled": int(len(labeled)), "train_rows": int(len(labeled) - len(rows)),
            "classes": int(len(np.unique(codes[rows]))) if target.task in CLASS_TASKS else None,
            "keys": [int(r) for r in rows], "labels": _canonical_labels(texts, codes[rows], findings, stats, label.column)}


def _canonical_labels(texts: list[str], codes: np.ndarray, findings: Sequence[Finding], stats: TableStats,
                      column: str) -> list[str]:
    """The hold-out's labels (one per code): trimmed, each spelling a label_variants finding maps to a
    class written as that class, so that labels.csv holds one spelling per class."""
    canonical = {}
    for finding in findings:
        if finding.check == "label_variants" and finding.table == stats.table.name and finding.column == column:
            for main, others in (finding.details.get("variants") or {}).items():
                for other in others:
                    canonical[str(other).strip()] = str(main).strip()
    mapped = [canonical.get(t, t) for t in texts]
    return [mapped[c] for c in codes.tolist()]


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


METHODS = {
    "time": "time-based: the newest {share} of the labeled rows by {by}",
    "group": "grouped by {by}: every {by} sits wholly in the hold-out or wholly in training",
    "stratified": "stratified by label: about {share} of each class",
    "random": "random: {share} of the labeled rows",
}


def describe(method: str, by: str | None) -> str:
    return METHODS[method].format(share=f"{HOLDOUT_SHARE:.0%}", by=by or "")


def draw_holdout(stats: Sequence[TableStats], target: LabelTarget,
                 findings: Sequence[Finding]) -> dict[str, Any] | None:
    """The hold-out of the largest labeled table (rows, labels, method), or None for an unsupervised
    task or too few labels. The audit draws it while GX validates in its child, and writes it later."""
    from readiness.profile import labels

    if not labels.is_supervised(target.task) or target.column is None:
        return None
    labeled = [s for s in stats if s.label is not None]
    if not labeled:
        return None
    return choose(max(labeled, key=lambda s: s.rows), target, findings)


def write_holdout(internal: Path, stats: Sequence[TableStats], target: LabelTarget,
                  findings: Sequence[Finding], settings: Settings,
                  drawn: dict[str, Any] | None | bool = False) -> dict[str, Any] | None:
    """Freeze the hold-out into internal/holdout/ (owner-only) and return its summary (real names,
    the hold-out's row keys, no labels); None for an unsupervised task or too few labels.
    ``drawn``: draw_holdout's result when the caller drew it already (False: draw it here)."""
    del settings  # the split follows the data; kept in the signature for [trial] options to come
    chosen = draw_holdout(stats, target, findings) if drawn is False else drawn
    if not isinstance(chosen, dict):
        return None
    folder = internal / "holdout"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["row", "label"])
    writer.writerows(zip(chosen["keys"], chosen.pop("labels"), strict=True))
    write_atomic(folder / "labels.csv", buffer.getvalue(), mode=0o600, durable=False)
    write_atomic(folder / "README.txt", internal_readme(chosen), mode=0o600, durable=False)
    return chosen


def internal_readme(holdout: dict[str, Any]) -> str:
    return (
        "INTERNAL - DO NOT SHARE. The frozen hold-out of this audit: the true labels of the rows a\n"
        "trial candidate predicts. They stay with you; trial/score.py (in packet.zip and the run folder)\n"
        "reads labels.csv to score a candidate's predictions.csv.\n\n"
        f"Table: {holdout['table']}\nLabel column: {holdout['column']}\n"
        f"Split: {describe(holdout['method'], holdout['by'])}\n"
        f"Hold-out rows: {holdout['rows']:,} of {holdout['labeled']:,} labeled rows\n\n"
        "labels.csv: row,label. row is the 0-based position of the data row in the table as read\n"
        "(the header excluded: row 0 is the first data row).\n\n"
        f"Before sharing the data, empty the {holdout['column']} value of these rows in your copy for the\n"
        "candidate (trial/holdout_rows.csv lists them), keeping the rows and their order.\n"
    )


def shown(holdout: dict[str, Any] | None, names: Any) -> dict[str, Any] | None:
    """The summary with the names the packet shows (names that hold personal data replaced)."""
    if holdout is None:
        return None
    text = names.text_of(holdout["table"])
    return {**holdout, "table": names.table(holdout["table"]), "column": text(holdout["column"]),
            "by": text(holdout["by"]) if holdout["by"] else None}


def blanking_instruction(holdout: dict[str, Any]) -> str:
    return (f"Blank the hold-out labels: in {holdout['table']}, empty the {holdout['column']} value of each of the "
            f"{holdout['rows']:,} rows listed in trial/holdout_rows.csv (row 0 is the first data row under the header, "
            "in the order the file is read). Keep the rows and their order: the candidate predicts them. If you "
            "re-export or reorder the table, run the audit again first, for a new hold-out.")


def shared_summary(holdout: dict[str, Any] | None, share: ShareSettings) -> dict[str, Any] | None:
    """The hold-out as the packet shows it: [share] renames applied; None when [share] hides its
    table or label column."""
    if holdout is None:
        return None
    table, column, by = holdout["table"], holdout["column"], holdout["by"]
    if table in share.hide_tables or share.column_hidden(table, column):
        return None
    shown_by = None if by is None else ("a hidden column" if share.column_hidden(table, by)
                                        else share.column_name(table, by))
    return {**holdout, "table": share.table_name(table), "column": share.column_name(table, column),
            "by": shown_by, "description": describe(holdout["method"], shown_by)}
