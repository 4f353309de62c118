"""The project brief: its fields, how complete it is, and the plain-language interview that fills it.

Pure functions on ``settings.Brief``; the CLI asks the questions (typer stays in the CLI), the
packet shows the items, the audit warns about what is still empty before the packet is shared.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from readiness.settings import TASKS, Brief


@dataclass(frozen=True)
class BriefField:
    """One field of the brief: the [project] keys it reads, its title, the interview question."""

    keys: tuple[str, ...]  # [project] keys; any one of them filled fills the field
    title: str
    question: str
    example: str


FIELDS: tuple[BriefField, ...] = (
    BriefField(("goal",), "Goal", "What should the model do for your business, in one sentence?",
               "Route incoming support tickets to the right team automatically"),
    BriefField(("task",), "Task", f"What kind of ML task is it ({', '.join(TASKS)})?", "classification"),
    BriefField(("success_metric",), "Success metric", "How will you judge whether the result is good enough?",
               "macro F1 >= 0.85 on a held-out month"),
    BriefField(("timeline",), "Timeline", "When should the work start, and how long may it take?",
               "6 weeks, starting in January"),
    BriefField(("deliverables",), "Deliverables", "What should be handed over at the end? Separate items with commas.",
               "trained model, evaluation report, inference API"),
    BriefField(("labeling",), "Labeling",
               "Who labels the data, following which written guidelines, and how often do two labelers agree?",
               "two support agents, written guidelines, 90% agreement on a double-labeled sample"),
    BriefField(("data_access",), "Data access",
               "How will the freelancer get the data, and must they sign an NDA first?",
               "NDA first, then read access to an S3 bucket; no data leaves the EU"),
    BriefField(("budget", "day_rate"), "Budget or day rate",
               "What is the budget for the project (a fixed price, a range)?", "EUR 8,000 fixed"),
    BriefField(("owner",), "Owner after delivery",
               "Who owns the model after delivery, and who watches it in production?",
               "the data team (Maria) retrains monthly and watches the error rate"),
    BriefField(("constraints",), "Constraints",
               "Any constraints on deployment, latency or where it runs (cloud, on-premises)?",
               "on-premises only, under 200 ms per ticket"),
)
DAY_RATE_QUESTION = "What day rate do you pay, as a number (Enter if you gave a budget)?"
CURRENCY_QUESTION = "In which currency?"


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, tuple | list):
        return any(_filled(item) for item in value)
    return True


def _value(brief: Brief, field: BriefField, task: str | None) -> Any:
    """What the packet shows for a field: None when it is empty."""
    if field.keys == ("budget", "day_rate"):
        parts = []
        if _filled(brief.budget):
            parts.append(str(brief.budget).strip())
        if brief.day_rate is not None:
            currency = f"{brief.currency.strip()} " if brief.currency and brief.currency.strip() else ""
            parts.append(f"day rate {currency}{brief.day_rate:,g}")
        return "; ".join(parts) or None
    value = getattr(brief, field.keys[0])
    if field.keys == ("task",) and not _filled(value):
        value = task
    if isinstance(value, tuple):
        value = [item for item in value if _filled(item)]
    return value if _filled(value) else None


def items(brief: Brief, doc_task: str | None = None) -> list[dict[str, Any]]:
    """The brief as the packet lists it: title, and value (a string, a list, or None when empty).
    An empty task shows the audit's task (``doc_task``)."""
    return [{"key": field.keys[0], "title": field.title, "value": _value(brief, field, doc_task)} for field in FIELDS]


def missing(brief: Brief, doc_task: str | None = None) -> list[str]:
    """Titles of the fields still empty (with ``doc_task``, an empty task is filled by the audit's)."""
    return [item["title"] for item in items(brief, doc_task) if item["value"] is None]


def completeness(brief: Brief, doc_task: str | None = None) -> tuple[int, int]:
    """(fields filled, fields in all)."""
    return len(FIELDS) - len(missing(brief, doc_task)), len(FIELDS)


def warning(missing_titles: list[str], folder: str | None = None, config: str | None = None) -> str | None:
    """The one line the CLI prints before the packet is shared; None when the brief is complete.
    ``config``: the readiness.toml the audit read, named as the file to fill; without one,
    ``folder`` (the dataset folder) is where ``readiness init FOLDER --interview`` would write one."""
    if not missing_titles:
        return None
    if config is not None:
        how = f"fill [project] in {config}"
    else:
        how = "fill [project] in readiness.toml"
        if folder is not None:
            how += f" or run readiness init {shlex.quote(folder)} --interview"
    return (f"the brief is missing {len(missing_titles)} of {len(FIELDS)} fields "
            f"({', '.join(title.lower() for title in missing_titles)}); {how} before you share the packet")


# --- the interview ---------------------------------------------------------------------------------

Ask = Callable[[str, str], str]  # (question, default) -> the answer, "" when skipped
Say = Callable[[str], None]


def parse_day_rate(text: str) -> float:
    """A day rate typed by a person: "600", "1,200.50", "600 EUR" is refused (the currency is asked next)."""
    try:
        rate = float(text.replace(",", "").replace("_", "").strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a number; type it like 600 or 1200.50, or press Enter to skip") from None
    if not rate > 0 or rate == float("inf"):
        raise ValueError(f"{text!r} must be a number above 0; type it like 600, or press Enter to skip")
    return rate


def interview(ask: Ask, say: Say, task: str | None = None) -> dict[str, Any]:
    """Ask every brief question in plain language; return the [project] keys that were answered.
    ``task`` (the inferred one) is offered as the default answer of the task question."""
    say("A few questions for the project brief candidates will read. Press Enter to skip one; "
        "it stays a comment in readiness.toml to fill in later.")
    answers: dict[str, Any] = {}
    for field in FIELDS:
        key = field.keys[0]
        question = f"{field.title}: {field.question} (e.g. {field.example})"
        while True:
            text = ask(question, (task or "") if key == "task" else "").strip()
            if key == "task" and text and text not in TASKS:
                say(f"{text!r} is not a task kind; answer one of {', '.join(TASKS)}, or press Enter to skip")
                continue
            break
        if text:
            answers[key] = [part.strip() for part in text.split(",") if part.strip()] if key == "deliverables" else text
        if key == "budget":
            while True:
                rate = ask(f"Day rate: {DAY_RATE_QUESTION} (e.g. 600)", "").strip()
                if not rate:
                    break
                try:
                    answers["day_rate"] = parse_day_rate(rate)
                except ValueError as exc:
                    say(str(exc))
                    continue
                currency = ask(f"Currency: {CURRENCY_QUESTION} (e.g. EUR)", "").strip()
                if currency:
                    answers["currency"] = currency
                break
    return answers


# --- writing the answers into readiness.toml -----------------------------------------------------------


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped, Unicode kept;
    a lone surrogate (undecodable terminal input) cannot be written in UTF-8 and becomes U+FFFD."""
    out = ['"']
    for char in value:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def toml_value(value: Any) -> str:
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) and not value.is_integer() else str(int(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


PROJECT_LINES = (
    # (key, commented example written when the key has no answer)
    ("goal", '# goal = "Route incoming support tickets to the right team automatically"'),
    ("task", None),  # always written: the inferred task
    ("success_metric", '# success_metric = "macro F1 >= 0.85 on a held-out month"'),
    ("timeline", '# timeline = "6 weeks"'),
    ("deliverables", '# deliverables = ["trained model", "evaluation report", "inference API"]'),
    ("labeling", '# labeling = "two support agents, written guidelines, 90% agreement on a double-labeled sample"'),
    ("data_access", '# data_access = "NDA first, then read access to an S3 bucket; no data leaves the EU"'),
    ("budget", '# budget = "EUR 8,000 fixed"  # or a day rate, below'),
    ("day_rate", "# day_rate = 600"),
    ("currency", '# currency = "EUR"'),
    ("owner", '# owner = "the data team retrains monthly and watches the error rate"'),
    ("constraints", '# constraints = ["on-premises only", "under 200 ms per ticket"]'),
)


def project_lines(task: str, answers: dict[str, Any] | None = None) -> list[str]:
    """The [project] body of readiness.toml: answered keys written, the rest commented examples."""
    answers = answers or {}
    lines = []
    for key, example in PROJECT_LINES:
        if key == "task":
            lines.append(f"task = {toml_string(answers.get('task') or task)}  # one of: {', '.join(TASKS)}")
        elif key in answers:
            lines.append(f"{key} = {toml_value(answers[key])}")
        elif example:
            lines.append(example)
    return lines


PROJECT_KEYS = tuple(key for key, _ in PROJECT_LINES)
