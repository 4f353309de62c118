"""The trial kit: the client's "before you send data" list, an ML trial task with acceptance
criteria, a frozen hold-out split kept in internal/holdout/, and trial/score.py for the packet.

The hold-out labels never leave internal/: the packet carries only the hold-out's row numbers
and a scorer the client runs on a candidate's predictions.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness.checks import explain

if TYPE_CHECKING:
    import numpy as np

    from readiness.models import Finding
    from readiness.profile.labels import LabelTarget
    from readiness.profile.stats import TableStats
    from readiness.settings import Settings, ShareSettings

HOLDOUT_SHARE = 0.2
MIN_LABELED = 10  # fewer labeled rows: no hold-out, the trial agrees its evaluation with the client
CLASS_TASKS = ("classification", "text-classification")
NUMBER_TASKS = ("regression", "forecasting")
TRIAL_DAYS = (3, 7)  # a paid trial is budgeted within these whole days

# checks only the client (or the source system) can settle: they go to the "before you send data" list
SOURCE_CHECKS = ("file_rejected", "mojibake", "ragged_rows", "no_header", "metadata_line",
                 "suspect_delimiter", "split_schema_mismatch")
# checks a candidate handles in the modelling pipeline, without touching the client's data; the
# first LABEL_FIRST (about the label and the evaluation) come first in the trial task
PIPELINE_CHECKS = ("leakage", "conflicting_labels", "label_variants", "label_not_in_set", "class_too_small",
                   "class_imbalance", "label_outliers", "split_overlap", "split_label_shift", "label_sorted",
                   "duplicate_texts", "duplicate_rows",
                   "missing_values", "format", "mixed_formats", "not_unique", "out_of_range",
                   "text_too_short", "text_too_long", "row_index_column", "constant_column", "empty_column",
                   "missing_by_design")
LABEL_FIRST = 12


# --- effort ranges and money ---------------------------------------------------------------------------


def money(low: float, high: float, day_rate: float | None, currency: str | None) -> str | None:
    """``EUR 1,800-2,700`` for a range of days at a day rate; None without a rate."""
    if day_rate is None or day_rate <= 0:
        return None
    text = f"{round(low * day_rate):,}-{round(high * day_rate):,}"
    return f"{currency} {text}" if currency else text


# --- acceptance criteria ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    key: str  # what trial/score.py computes
    name: str  # as a reader writes it
    higher_is_better: bool
    bounded: bool  # between 0 and 1: "85%" means 0.85
    family: str  # "class" or "number"
    of_class: str | None = None  # a per-class metric's class, as the brief names it


METRICS: tuple[tuple[str, Metric], ...] = (
    (r"macro[\s_-]*(?:averaged?[\s_-]*)?f[\s_-]?1|f[\s_-]?1[\s_-]*\(?macro", Metric("macro_f1", "macro F1", True, True, "class")),
    (r"weighted[\s_-]*(?:averaged?[\s_-]*)?f[\s_-]?1", Metric("weighted_f1", "weighted F1", True, True, "class")),
    (r"micro[\s_-]*(?:averaged?[\s_-]*)?f[\s_-]?1", Metric("accuracy", "micro F1 (accuracy)", True, True, "class")),
    (r"\bf[\s_-]?1(?:[\s_-]*score)?\b|\bf[\s-]?(?:score|measure)\b", Metric("macro_f1", "F1 (macro-averaged)", True, True, "class")),
    (r"balanced[\s_-]*accuracy", Metric("balanced_accuracy", "balanced accuracy", True, True, "class")),
    (r"\baccuracy\b", Metric("accuracy", "accuracy", True, True, "class")),
    (r"\b(?:roc[\s_-]*)?auc\b|area under", Metric("auc", "ROC AUC", True, True, "class")),
    (r"\bprecision\b", Metric("macro_precision", "macro precision", True, True, "class")),
    (r"\brecall\b|\bsensitivity\b", Metric("macro_recall", "macro recall", True, True, "class")),
    (r"\brmse\b|root[\s_-]*mean[\s_-]*squared?[\s_-]*error", Metric("rmse", "RMSE", False, False, "number")),
    (r"\bmape\b|mean[\s_-]*absolute[\s_-]*percentage[\s_-]*error", Metric("mape", "MAPE (%)", False, False, "number")),
    (r"\bmae\b|mean[\s_-]*absolute[\s_-]*error", Metric("mae", "MAE", False, False, "number")),
    (r"\bmse\b|mean[\s_-]*squared[\s_-]*error", Metric("mse", "MSE", False, False, "number")),
    (r"\br[\s_-]?(?:2|²|squared)\b|r²|coefficient of determination", Metric("r2", "R²", True, True, "number")),
)
DEFAULT_METRIC = {"class": Metric("macro_f1", "macro F1", True, True, "class"),
                  "number": Metric("mae", "MAE", False, False, "number")}
NUMBER = r"(\d+(?:[.,]\d+)?)\s*(%|percent\b)?"


@dataclass(frozen=True)
class Acceptance:
    """What a trial's predictions must reach on the hold-out rows."""

    metric: Metric
    threshold: float | None  # None: to be agreed with the client
    from_brief: bool  # read from the brief's success_metric
    note: str = ""  # why the brief's metric was not used, when it was not
    strict: bool = False  # "above"/"below": the threshold itself fails

    @property
    def sign(self) -> str:
        return (">" if self.metric.higher_is_better else "<") + ("" if self.strict else "=")

    @property
    def comparison(self) -> str:
        return {">=": "at least", "<=": "at most", ">": "above", "<": "below"}[self.sign]

    @property
    def rule(self) -> str:
        if self.threshold is None:
            return f"{self.metric.name}: agree a threshold with the client before the trial starts"
        return f"{self.metric.name} {'' if self.strict else 'of '}{self.comparison} {self.threshold:g}"


@dataclass(frozen=True)
class Parsed:
    """A success metric as read from the brief."""

    metric: Metric
    threshold: float | None
    strict: bool = False
    note: str = ""  # why the threshold could not be used


# the longer phrases first: "no less than" is not "less than"
COMPARISONS: tuple[tuple[str, str], ...] = (
    (r"at\s+least|no\s+(?:less|fewer|lower)\s+than|not\s+(?:less|lower)\s+than|>=|=>|≥|minimum(?:\s+of)?", ">="),
    (r"at\s+most|no\s+(?:more|higher|greater)\s+than|not\s+(?:more|higher|greater)\s+than|<=|=<|≤|up\s+to"
     r"|maximum(?:\s+of)?", "<="),
    (r"\bbelow\b|\bunder\b|(?:less|lower|smaller|fewer)\s+than|<", "<"),
    (r"\babove\b|\bover\b|(?:more|greater|higher|better)\s+than|\bexceed(?:s|ing)?\b|>", ">"),
)
# words after "F1 for"/"recall on" that name data, not a class
NOT_A_CLASS = {"the", "a", "an", "all", "each", "every", "most", "recent", "latest", "last", "new", "test", "hold",
               "holdout", "hold-out", "validation", "data", "average", "at", "of", "least", "class", "classes",
               "month", "year", "week", "quarter", "day", "rows", "set", "tickets", "orders", "records"}
PER_CLASS = {"macro_f1": ("f1", "F1"), "macro_precision": ("precision", "precision"),
             "macro_recall": ("recall", "recall")}
PLAIN_NAMES = {"F1 (macro-averaged)", "macro precision", "macro recall"}


def _comparison(text: str) -> str | None:
    for pattern, sign in COMPARISONS:
        if re.search(pattern, text):
            return sign
    return None


def _class_named(text: str) -> tuple[str, int] | None:
    """The class a per-class metric names right after it ("recall for leave", "F1 on 'high risk'") and
    where the name ends in ``text``."""
    match = re.match(r"\s*(?:for|on|of)\s+(?:the\s+)?(?:class\s+)?(?:([\"'])(.+?)\1|([^\s\"'<>=,;:]+))", text)
    if match is None:
        return None
    name = match.group(2) or match.group(3)
    if not name.strip() or name.lower() in NOT_A_CLASS or re.fullmatch(r"[\d.,%]+", name):
        return None
    return name.strip(), match.end()


def parse_rule(text: str | None) -> Parsed | None:
    """The metric, threshold and comparison a success metric names ("macro F1 of at least 0.85",
    "RMSE below 12", "recall for leave at least 0.7")."""
    if not text:
        return None
    lowered = text.lower()
    found = None
    for pattern, metric in METRICS:
        match = re.search(pattern, lowered)
        if match and (found is None or match.start() < found[0].start()):
            found = (match, metric)
    if found is None:
        return None
    match, metric = found
    rest = text[match.end():]
    if metric.name in PLAIN_NAMES and metric.key in PER_CLASS:
        named = _class_named(rest)
        if named is not None:
            key, shown = PER_CLASS[metric.key]
            metric = Metric(f"class_{key}", f"{shown} of class {named[0]}", True, True, "class", named[0])
            rest = rest[named[1]:]
    # the first number after the name ("F1 of at least 0.85"), else the one just before it ("90% accuracy")
    after = re.search(rf"^.{{0,40}}?(?<![\w.]){NUMBER}", rest.lower())
    head = lowered[:match.start()].rstrip(" ,:")
    before = None if after else re.search(rf"(?<![\w.]){NUMBER}\s*(?:of\s+)?$", head)
    found_number = after or before
    if found_number is None:
        return Parsed(metric, None)
    start = found_number.start(1)
    words = rest.lower()[:start] if after else head[max(0, start - 30):start]
    sign = _comparison(words)
    raw = found_number.group(1)
    threshold = float(raw.replace(",", "."))
    percent = bool(found_number.group(2))
    shown = raw + ("%" if percent else "")
    if metric.bounded:
        if percent:
            threshold /= 100
        if not 0 <= threshold <= 1:
            return Parsed(metric, None, note=f"the brief's value {shown} is not a valid {metric.name}")
    elif percent and metric.key != "mape":
        return Parsed(metric, None, note=f"the brief's value {shown} is not a valid {metric.name}")
    if sign is not None and (sign[0] == ">") != metric.higher_is_better:
        return Parsed(metric, None, note=f"the brief asks for {metric.name} {sign} {shown}, but a "
                                         f"{'higher' if metric.higher_is_better else 'lower'} {metric.name} is better")
    return Parsed(metric, threshold, strict=sign in (">", "<"))


def parse_metric(text: str | None) -> tuple[Metric, float | None] | None:
    """The metric and threshold a success metric names ("macro F1 of at least 0.85", "RMSE below 12")."""
    parsed = parse_rule(text)
    return None if parsed is None else (parsed.metric, parsed.threshold)


def acceptance(success_metric: str | None, task: str) -> Acceptance:
    """The trial's acceptance rule: the brief's metric when it names one that fits the task."""
    family = "number" if task in NUMBER_TASKS else "class"
    parsed = parse_rule(success_metric)
    if parsed is None:
        return Acceptance(DEFAULT_METRIC[family], None, False)
    if parsed.metric.family != family:
        return Acceptance(DEFAULT_METRIC[family], None, False,
                          note=f"the brief's {parsed.metric.name} does not fit a {task} task")
    return Acceptance(parsed.metric, parsed.threshold, True, note=parsed.note, strict=parsed.strict)


EXPLORATORY_CRITERIA = (
    "A written framing of the ML task: the question a model would answer, the target it would need (which "
    "column, or which labels still have to be collected) and how results would be judged.",
    "A reproducible notebook or script that loads the shared data and reruns end to end.",
    "A data-quality report: what in this data helps or blocks the framed task, with the findings of this "
    "briefing checked and ranked.",
)


def criteria(rule: Acceptance, task: str, holdout: dict[str, Any] | None, supervised: bool = True) -> list[str]:
    """The acceptance criteria as the briefing lists them (and trial/score.py checks, with a hold-out)."""
    if not supervised:
        return list(EXPLORATORY_CRITERIA)
    where = "on the hold-out rows, as trial/score.py computes it" if holdout else "on data the candidate never trained on"
    if rule.from_brief and rule.threshold is not None:
        first = f"{rule.rule} {where} (from the brief's success metric)."
    else:
        first = (f"{rule.metric.name} {where}; agree a threshold with the client"
                 + (f" ({rule.note})" if rule.note else "") + " before the trial starts.")
    out = [first]
    if task in NUMBER_TASKS:
        out.append("MAE and RMSE both lower than predicting the mean of the training labels (the mean baseline).")
    elif rule.metric.key == "auc":
        out.append("ROC AUC above 0.5 (better than a constant score), with precision and recall reported per class.")
    else:
        compared = "macro F1" if rule.metric.of_class else rule.metric.name
        out.append(f"Better than always predicting the most frequent class ({compared} higher than that "
                   "baseline's), with precision and recall reported per class.")
    if holdout:
        out.append("A prediction for every hold-out row: missing rows fail the trial.")
        if task not in NUMBER_TASKS:
            out.append("Labels are compared trimmed and case-folded ('Yes ', 'yes' and 'YES' are one class).")
    out.append("No training or tuning on the hold-out rows; the work reruns from a script or notebook.")
    return out


# --- the client's list and the trial steps ------------------------------------------------------------


def _where(finding: dict[str, Any]) -> str:
    column, table = finding.get("column"), finding.get("table")
    if column and table:
        return f"{column} in {table}"
    return str(table or (finding.get("details") or {}).get("path") or "the file")


def checklist(findings: list[dict[str, Any]], holdout: dict[str, Any] | None = None) -> list[str]:
    """Before you send data: the client's own chores, one item each, not trial work."""
    items: list[str] = []
    for finding in findings:
        check, details = finding["check"], finding.get("details") or {}
        kinds = [str(k) for k in details.get("kinds") or []]
        where = _where(finding)
        if check == "pii" and details.get("name_of"):
            item = f"{explain.fix(finding)} ({finding['message']})"
        elif check == "pii" and "secret" in kinds:
            item = f"Remove the secrets (passwords, keys, tokens) from {where}, and change them: they have been exported."
        elif check == "pii" and details.get("column_is_personal"):
            item = f"Drop or pseudonymise {where}: it holds personal data ({', '.join(kinds) or 'personal'})."
        elif check == "pii":
            item = f"Mask the personal data ({', '.join(kinds) or 'personal'}) inside the values of {where}."
        elif check == "file_rejected":
            item = f"Re-export the file that could not be read: {finding['message']}."
        elif check == "mojibake":
            item = f"Re-export {finding.get('table') or 'the file'} as UTF-8 from the source system ({where} has mis-decoded characters)."
        elif check in SOURCE_CHECKS:
            item = f"Fix at the source and re-export {finding.get('table') or 'the file'}: {explain.fix(finding)}"
        else:
            continue
        if item not in items:
            items.append(item)
    if holdout:
        items.append(blanking_instruction(holdout))
    return items


def blanking_instruction(holdout: dict[str, Any]) -> str:
    return (f"Blank the hold-out labels: in {holdout['table']}, empty the {holdout['column']} value of each of the "
            f"{holdout['rows']:,} rows listed in trial/holdout_rows.csv (row 0 is the first data row under the header, "
            "in the order the file is read). Keep the rows and their order: the candidate predicts them. If you "
            "re-export or reorder the table, run the audit again first, for a new hold-out.")


def split_advice(findings: list[dict[str, Any]], table: str | None, holdout: dict[str, Any] | None = None) -> str:
    """How train and test should be split, given grouping columns, label drift and the frozen hold-out
    (the advice never contradicts it): "" when nothing says."""
    grouping = [f for f in findings if f["check"] == "grouping_column" and f.get("column")]
    mine = [f for f in grouping if table is None or f["table"] == table] or grouping
    column = mine[0]["column"] if mine else None
    drift = any(f["check"] == "label_drift" and (table is None or f["table"] == table) for f in findings)
    method = holdout.get("method") if holdout else None
    by = holdout.get("by") if holdout else None
    if method == "time":
        advice = [f"keep the newest training rows by {by} as the validation part, the way the frozen hold-out "
                  f"is drawn ({describe('time', by)})" if by else "keep the newest training rows as the validation "
                  "part, the way the frozen hold-out is drawn (time-based)"]
        if column:
            advice.append(f"as an extra check within the training rows, also try a group split by {column} "
                          f"(no {column} on both sides): the hold-out itself holds every {column}")
        return "; ".join(advice)
    if method == "group" and by:
        advice = [f"split by {by}, as the frozen hold-out is drawn (a group split: no {by} in both train and test)"]
        if drift:
            advice.append("check the newest period separately (the class mix moves over time)")
        return " and ".join(advice)
    advice = []
    if column:
        advice.append(f"split by {column} (a group split: no {column} in both train and test)")
    if drift:
        advice.append("hold out the latest period for testing (the class mix moves over time)")
    return " and ".join(advice)


def _step(text: str, days: float, rate: float | None, currency: str | None) -> dict[str, Any]:
    low, high = explain.day_range(days)
    return {"text": text, "low": low, "high": high, "money": money(low, high, rate, currency)}


def steps(findings: list[dict[str, Any]], label: dict[str, Any] | None, task: str, holdout: dict[str, Any] | None,
          day_rate: float | None = None, currency: str | None = None) -> list[dict[str, Any]]:
    """The trial's ML work, each step with a low-high effort in days (and money with a day rate)."""
    advice = split_advice(findings, label["table"] if label else None, holdout)
    out = []
    if label:
        keep_out = ("; never train or tune on the hold-out rows listed in trial/holdout_rows.csv" if holdout
                    else "; set aside a test part before looking at results")
        out.append(_step(f"Load the shared data and read this briefing; build the training set from the labeled "
                         f"rows of {label['table']} (target {label['column']}){keep_out}.", 0.5, day_rate, currency))
        out.append(_step(f"Train a simple baseline {task} model on the training rows and validate it inside them"
                         + (f"; {advice}." if advice else " (cross-validation or a split of the training rows)."),
                         1.0, day_rate, currency))
        pipeline = sorted((f for f in findings if f["check"] in PIPELINE_CHECKS and f["severity"] != "info"),
                          key=lambda f: PIPELINE_CHECKS.index(f["check"]) >= LABEL_FIRST)[:3]  # stable
        if pipeline:
            days = min(1.5, sum(f["effort"] for f in pipeline))
            out.append(_step("Handle what this data needs inside the pipeline (not by editing the client's data): "
                             + "; ".join(f["message"] for f in pipeline) + ".", days, day_rate, currency))
        if holdout:
            out.append(_step("Predict the hold-out rows: a predictions.csv with columns row,prediction, one line per "
                             "row of trial/holdout_rows.csv; the client scores it with trial/score.py.",
                             0.5, day_rate, currency))
    else:
        out.append(_step("Explore the data and write a framing of the ML task it could serve: the question, the "
                         "target it would need and how results would be judged, in a notebook or script that "
                         "reruns end to end" + (f"; {advice}." if advice else "."), 1.5, day_rate, currency))
        out.append(_step("Write a data-quality report: what helps or blocks the framed task, the findings of this "
                         "briefing checked and ranked, what to collect or label next.", 0.5, day_rate, currency))
        return out
    out.append(_step("Write a short report: the approach, validation results (per class for a classifier), what "
                     "remains, the risks you see.", 0.5, day_rate, currency))
    return out


def kit(findings: list[dict[str, Any]], label: dict[str, Any] | None, task: str, brief: Any,
        holdout: dict[str, Any] | None = None) -> dict[str, Any]:
    """The trial section of the briefing: the client's checklist, the task, its criteria and effort."""
    rate = getattr(brief, "day_rate", None)
    currency = getattr(brief, "currency", None)
    rate = float(rate) if isinstance(rate, int | float) and rate > 0 else None
    holdout = holdout if label else None
    rule = acceptance(getattr(brief, "success_metric", None), task)
    work = steps(findings, label, task, holdout, rate, currency)
    low, high = sum(s["low"] for s in work), sum(s["high"] for s in work)
    lowest, highest = TRIAL_DAYS
    return {
        "checklist": checklist(findings, holdout),
        "steps": work,
        "total": {"low": low, "high": high, "money": money(low, high, rate, currency)},
        "days": int(min(highest, max(lowest, math.ceil(high)))),
        "day_rate": rate,
        "currency": currency,
        "rate": None if rate is None else (f"{currency} " if currency else "") + f"{rate:,.0f}",
        "acceptance": {"metric": rule.metric.name, "key": rule.metric.key, "threshold": rule.threshold,
                       "comparison": rule.comparison, "sign": rule.sign, "of_class": rule.metric.of_class,
                       "from_brief": rule.from_brief, "rule": rule.rule,
                       "criteria": criteria(rule, task, holdout, supervised=label is not None)},
        "split_advice": split_advice(findings, label["table"] if label else None, holdout),
        "supervised": label is not None,
        "holdout": None if holdout is None else {k: v for k, v in holdout.items() if k != "keys"},
    }


# --- the frozen hold-out --------------------------------------------------------------------------------


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

    from readiness.profile import formats

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
                if plan.format[5:] not in formats.LAYOUTS_BY_NAME:
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

    from readiness.profile import formats

    text = series.astype("string[pyarrow]").str.strip().reset_index(drop=True)  # Arrow: RE2, no Python per row
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    free = text.notna().to_numpy() & (text.str.len() > 0).fillna(False).to_numpy(dtype=bool)
    order = [formats.LAYOUTS_BY_NAME[dominant]] + [layout for layout in formats.DATE_LAYOUTS
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

    from readiness.profile import formats

    codes, days = pd.factorize(formats._calendar_part(texts, layout))  # a few hundred days, not a row each
    formats_tried = layout.strptime
    if layout.either_order and not formats._day_first(texts, layout):
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
    from readiness.history import runs

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
    runs.write_atomic(folder / "labels.csv", buffer.getvalue(), mode=0o600, durable=False)
    runs.write_atomic(folder / "README.txt", internal_readme(chosen), mode=0o600, durable=False)
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


# --- the files for packet.zip -----------------------------------------------------------------------------


SETTINGS_START = "# --- settings: written by the audit ---"
SETTINGS_END = "# --- end of settings ---"


def holdout_rows_csv(holdout: dict[str, Any]) -> str:
    return "row\n" + "".join(f"{key}\n" for key in holdout["keys"])


def score_script(acceptance_rule: dict[str, Any], task: str) -> str:
    """trial/score.py: the scorer with the acceptance rule baked in (no text from the data)."""
    family = "number" if task in NUMBER_TASKS else "class"
    sign = str(acceptance_rule.get("sign") or (">=" if acceptance_rule["comparison"] == "at least" else "<="))
    of_class = acceptance_rule.get("of_class")
    settings = (f"TASK = {family!r}\nMETRIC = {str(acceptance_rule['key'])!r}\n"
                f"METRIC_NAME = {str(acceptance_rule['metric'])!r}\n"
                f"THRESHOLD = {_float_or_none(acceptance_rule['threshold'])!r}\n"
                f"HIGHER_IS_BETTER = {sign.startswith('>')!r}\n"
                f"COMPARISON = {sign!r}\n"
                f"OF_CLASS = {None if of_class is None else str(of_class)!r}\n")
    template = (Path(__file__).parent / "templates" / "score.py.txt").read_text(encoding="utf-8")
    start, end = template.index(SETTINGS_START), template.index(SETTINGS_END)
    return template[:start + len(SETTINGS_START)] + "\n" + settings + template[end:]


def _float_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def readme(context_trial: dict[str, Any]) -> str:
    """trial/README.txt: how the candidate and the client use the kit."""
    holdout = context_trial["holdout"]
    rule = context_trial["acceptance"]
    lines = ["Trial kit", "=========", "",
             "For the candidate",
             "-----------------",
             f"Task: train on the labeled rows of {holdout['table']} (target {holdout['column']}), except the rows",
             "listed in holdout_rows.csv: their labels are blank in the data you receive. Predict those rows and",
             "send predictions.csv with two columns, row,prediction (row as in holdout_rows.csv: the 0-based",
             "position of the data row in the table, header excluded).",
             *(["prediction is the score of the positive class (a number): the metric is ROC AUC."]
               if rule["key"] == "auc" else []),
             "",
             "Acceptance criteria:"]
    lines += [f"- {c}" for c in rule["criteria"]]
    lines += ["", "For the client", "--------------",
              blanking_instruction(holdout),
              "",
              "To score a candidate's predictions (the hold-out labels never leave your machine):",
              "    python trial/score.py predictions.csv",
              "run from the audit's run folder (the labels are read from internal/holdout/labels.csv), or",
              "    python score.py predictions.csv --holdout PATH/TO/internal/holdout/labels.csv",
              "It prints the metrics, the baseline, the missing and extra rows, and PASS only when every",
              "acceptance criterion holds: the threshold, beating the baseline and a prediction for every row.",
              "Labels are compared with surrounding spaces trimmed and case-folded ('Yes ' and 'yes' are one class).",
              "The exit code is 0 for PASS, 1 for FAIL, 2 for an unreadable file.",
              ""]
    return "\n".join(lines)


def packet_files(context_trial: dict[str, Any], holdout: dict[str, Any] | None, task: str) -> dict[str, str]:
    """trial/ files for packet.zip (and the run folder): empty without a hold-out."""
    if holdout is None or context_trial.get("holdout") is None:
        return {}
    return {"trial/score.py": score_script(context_trial["acceptance"], task),
            "trial/holdout_rows.csv": holdout_rows_csv(holdout),
            "trial/README.txt": readme(context_trial)}


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
