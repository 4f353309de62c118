"""The trial's acceptance rule: the metric and threshold the brief's success metric names (or the
task's default metric), and the criteria the briefing lists and trial/score.py checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

NUMBER_TASKS = ("regression", "forecasting")


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
