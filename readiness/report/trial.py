"""The trial kit: the client's "before you send data" list and an ML trial task, its steps with
effort and money, and its acceptance criteria (acceptance.py), around the frozen hold-out
(holdout.py); trial_files.py writes the kit's files for the packet.
"""

from __future__ import annotations

import math
from typing import Any

from readiness.checks import explain
from readiness.report import media
from readiness.report.acceptance import acceptance, criteria
from readiness.report.holdout import blanking_instruction, describe

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
          day_rate: float | None = None, currency: str | None = None,
          media_kind: str | None = None) -> list[dict[str, Any]]:
    """The trial's ML work, each step with a low-high effort in days (and money with a day rate)."""
    advice = split_advice(findings, label["table"] if label else None, holdout)
    out = []
    media_steps = media.trial_steps(media_kind) if media_kind else None
    if label and media_steps:
        out.append(_step(media_steps[0], 0.5, day_rate, currency))
        out.append(_step(media_steps[1], 1.5, day_rate, currency))
        if holdout:
            out.append(_step(f"Predict the hold-out: a predictions.csv with columns row,prediction, one line per row of "
                             f"trial/holdout_rows.csv (rows of {holdout['table']}, each naming a file); the client "
                             "scores it with trial/score.py.", 0.5, day_rate, currency))
    elif label:
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
        holdout: dict[str, Any] | None = None, media_kind: str | None = None) -> dict[str, Any]:
    """The trial section of the briefing: the client's checklist, the task, its criteria and effort."""
    rate = getattr(brief, "day_rate", None)
    currency = getattr(brief, "currency", None)
    rate = float(rate) if isinstance(rate, int | float) and rate > 0 else None
    holdout = holdout if label else None
    rule = acceptance(getattr(brief, "success_metric", None), task)
    work = steps(findings, label, task, holdout, rate, currency, media_kind)
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
