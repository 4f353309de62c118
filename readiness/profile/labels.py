"""Which column is the label, in which tables, and what task it serves."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from readiness.base.errors import UsageError
from readiness.ingest.columns import is_text
from readiness.ingest.model import Table
from readiness.profile import formats
from readiness.profile.headers import snake
from readiness.settings import SUPERVISED_TASKS, Settings

AUTO_LABEL_NAMES = ("label", "target", "class", "y", "outcome")  # a column so named is the label
# names a label often has in one domain or another: a guess, said to be one
DOMAIN_LABEL_NAMES = ("labels", "intent", "category", "sentiment", "churn", "churned", "fraud", "is_fraud",
                      "spam", "is_spam", "survived", "diagnosis", "emotion", "topic", "stance", "toxic",
                      "verdict", "default", "species")
LABEL_AFFIXES = re.compile(r"^(label|target|class)_|_(label|target|class)$")
GUESS_SAMPLE_ROWS = 50_000  # a guess, not a count: evenly spaced rows of a larger table
MAX_CLASSES = 50
DATE_LIKE = r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}.*|\d{1,2}:\d{2}.*"


@dataclass(frozen=True)
class LabelTarget:
    column: str | None
    tables: tuple[str, ...]  # tables that hold the label
    task: str
    declared: bool  # named by the user (config or option), not guessed
    why: str | None = None  # why a guessed label was chosen
    candidates: tuple[str, ...] = ()  # other columns that could be the label, when the guess is unsure

    @property
    def guessed(self) -> bool:
        return self.column is not None and not self.declared

    def notice(self) -> str | None:
        """The one line that says a label was guessed (or could be one of some candidates)."""
        if self.column is None and self.candidates and self.task == "unsupervised":
            return (f"no label found; it may be one of: {', '.join(self.candidates)}; "
                    "name it with --label or [label] column in readiness.toml for a supervised task")
        if not self.guessed:
            return None
        others = f"; other candidates: {', '.join(self.candidates)}" if self.candidates else ""
        return (f"label guessed: {self.column} ({self.why}){others}; "
                "confirm with --label or [label] column in readiness.toml")


SPLIT_COLUMNS = ("split", "subset", "fold", "partition", "data_split", "split_name")


def _candidates(tables: tuple[Table, ...]) -> list[str]:
    seen: dict[str, None] = {}
    for table in tables:
        for column in table.frame.columns:
            seen.setdefault(str(column), None)
    return list(seen)


def _infer_task(series: pd.Series) -> str:
    values = series.dropna()
    if values.empty:
        return "classification"
    if pd.api.types.is_float_dtype(values.dtype):
        fractional = bool((values.astype("float64") % 1 != 0).any())  # 3.98 mm is a measurement, not a class
        return "regression" if fractional or values.nunique() > 20 else "classification"
    if pd.api.types.is_integer_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return "regression" if values.nunique() > 20 else "classification"
    if is_text(values):
        text_values = formats.Distinct(formats.value_counts_text(values))
        counts = text_values.counts
        if formats.conforming(text_values, formats.NUMBER_RE) == counts.to_numpy().sum() and (
                len(counts) > 20 or formats.conforming(text_values, r"[+-]?\d*\.\d*[1-9]\d*") > 0):
            return "regression"
    return "classification"


def _shown(name: str) -> str:
    """A table or column name in an error message: one that holds personal data only by its kind."""
    from readiness.profile import pii

    kind = pii.name_kind(name)
    return f"[{kind} in the name]" if kind else name


def _snake(name: str) -> str:
    return snake(str(name))


def _sample(frame: pd.DataFrame) -> pd.DataFrame:
    if len(frame) <= GUESS_SAMPLE_ROWS:
        return frame
    return frame.iloc[:: -(-len(frame) // GUESS_SAMPLE_ROWS)]


def _codes(values: pd.Series) -> bool:
    """Numbers that look like class codes: few whole numbers from 0 or 1 up (-1/1 too), not counts."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if numbers.empty or len(numbers) < len(values) or bool((numbers % 1 != 0).any()):
        return False
    distinct = sorted(set(numbers.astype("int64").tolist()))
    return 2 <= len(distinct) <= 10 and distinct[0] >= -1 and distinct[-1] <= len(distinct)


def _kind(series: pd.Series) -> tuple[str, int]:
    """A cheap type for the guess: ``free_text``, ``categorical``, ``other``; and the distinct count."""
    values = series.dropna()
    if values.empty:
        return "other", 0
    if is_text(values):
        text_values = formats.Distinct(formats.value_counts_text(values))
        counts = text_values.counts
        if counts.empty:
            return "other", 0
        present = int(counts.to_numpy().sum())
        if formats.conforming(text_values, formats.NUMBER_RE) == present:
            return ("categorical" if _codes(pd.Series(counts.index, dtype=object)) else "other"), len(counts)
        if formats.conforming(text_values, DATE_LIKE) * 2 > present:
            return "other", len(counts)  # dates and times are no classes
        texts = pd.Series(counts.index, dtype=object)
        words = float((texts.str.count(r"\s+") + 1).mul(counts.to_numpy()).sum() / present)
        if words >= 4 and len(counts) >= 0.2 * present:
            return "free_text", len(counts)
        if 2 <= len(counts) <= MAX_CLASSES and len(counts) <= 0.5 * present and words < 4:
            return "categorical", len(counts)
        return "other", len(counts)
    if pd.api.types.is_bool_dtype(values.dtype):
        return "categorical", int(values.nunique())
    if pd.api.types.is_numeric_dtype(values.dtype):
        distinct = int(values.nunique())
        return ("categorical" if distinct <= 10 and _codes(pd.Series(values.unique())) else "other"), distinct
    return "other", 0


def _usable(table: Table, column: str) -> bool:
    """A column that can hold a label: some values, not one per row, not personal data by its name."""
    from readiness.profile import pii

    series = table.frame[column]
    present = int(series.notna().sum())
    if present == 0 or pii.name_kind(str(column)) or pii.kind_by_name(str(column)):
        return False
    if isinstance(series, pd.DataFrame):
        return False
    # a split column (train/test) says where a row goes, not what it is
    return not (_snake(column) in ("id", *SPLIT_COLUMNS) or _snake(column).endswith("_id"))


def guess(tables: tuple[Table, ...]) -> tuple[str | None, str | None, tuple[str, ...]]:
    """The label column when none is declared: (column, why, candidates).

    Sure guesses, in order: a column named like a label in any table (label, target, class, y,
    outcome; then names labels take in one domain: intent, sentiment, churn...; then *_label,
    target_*...); in the largest table, the one column of few values beside a free-text column,
    or a last column that is the table's only column of few values (iris' class codes). Anything
    less sure guesses nothing and returns the candidates, for the user to name one.
    """
    if not tables:
        return None, None, ()
    ordered = sorted(tables, key=lambda t: -len(t.frame))
    snakes: dict[str, str] = {}  # each column name once: a folder can hold 10,000 tables of alike columns
    for t in ordered:
        for c in t.frame.columns:
            if c not in snakes:
                snakes[c] = _snake(c)
    by_snake: dict[str, list[tuple[Table, str]]] = {}
    for t in ordered:
        for c in t.frame.columns:
            by_snake.setdefault(snakes[c], []).append((t, c))
    for names, why in ((AUTO_LABEL_NAMES, "named like a label"), (DOMAIN_LABEL_NAMES, "a name labels often have")):
        found = list(dict.fromkeys(c for name in names for t, c in by_snake.get(name, ()) if _usable(t, c)))
        if found:
            return str(found[0]), why, tuple(str(c) for c in found[1:4])
    affixed = list(dict.fromkeys(c for snake, pairs in by_snake.items() if LABEL_AFFIXES.search(snake)
                                 for t, c in pairs if _usable(t, c)))
    if affixed:
        return str(affixed[0]), "named like a label", tuple(str(c) for c in affixed[1:4])
    largest = ordered[0]
    sample = _sample(largest.frame)
    kinds = {c: _kind(sample[c]) for c in sample.columns if _usable(largest, c)}
    categorical = [c for c, (kind, _) in kinds.items() if kind == "categorical"]
    candidates = tuple(str(c) for c in reversed(categorical))[:5]
    if len(categorical) != 1:
        return None, None, candidates
    chosen = categorical[0]
    if any(kind == "free_text" for kind, _ in kinds.values()):
        return str(chosen), f"the one column of few values ({kinds[chosen][1]}) beside free text", ()
    if chosen == largest.frame.columns[-1]:
        return str(chosen), f"the last column, the only one of few values ({kinds[chosen][1]})", ()
    return None, None, candidates


def resolve(tables: tuple[Table, ...], settings: Settings) -> LabelTarget:
    """Find the label column and its tables; a label naming nothing is a usage error."""
    column = settings.label.column
    declared = column is not None
    table_filter = settings.label.table
    names = {t.name for t in tables}
    if table_filter is not None and tables and table_filter not in names:
        raise UsageError(
            f"--label-table {table_filter!r} names no table in the dataset; "
            f"the tables are: {', '.join(_shown(n) for n in sorted(names))}"
        )
    pool = [t for t in tables if table_filter is None or t.name == table_filter]
    why: str | None = None
    others: tuple[str, ...] = ()
    if column is None and settings.task != "unsupervised":
        column, why, others = guess(tuple(pool))
    holders = tuple(t.name for t in pool if column is not None and column in t.frame.columns
                    and t.name not in settings.label.unlabeled_splits)
    if declared and not holders and tables:
        where = f"table {table_filter!r}" if table_filter else "any table"
        candidates = _candidates(tuple(pool))
        raise UsageError(
            f"--label {column!r} names no column in {where}; the candidates are: "
            f"{', '.join(_shown(c) for c in candidates) if candidates else '(no columns)'}"
        )
    task = settings.task
    if task is None:
        if holders:
            largest = max((t for t in pool if t.name in holders), key=lambda t: len(t.frame))
            task = _infer_task(largest.frame[column])
            if task == "classification" and not declared and _has_free_text(largest):
                task = "text-classification"
        else:
            task = "unsupervised"
    if not holders:
        return LabelTarget(None, holders, task, declared, None, others)
    return LabelTarget(column, holders, task, declared, None if declared else why, () if declared else others)


def _has_free_text(table: Table) -> bool:
    sample = _sample(table.frame)
    return any(_kind(sample[c])[0] == "free_text" for c in sample.columns if is_text(sample[c]))


def guess_json(target: LabelTarget) -> dict[str, Any] | None:
    """readiness.json's ``label_guess``: null when the label was declared or nothing could be one."""
    if target.declared or (target.column is None and not target.candidates):
        return None
    return {"column": target.column, "why": target.why, "candidates": list(target.candidates),
            "notice": target.notice()}


def is_supervised(task: str) -> bool:
    return task in SUPERVISED_TASKS
