"""What each finding means for an ML project: why it matters, the fix, a rough effort, a question.

Pure functions of a finding's counts; the wording is for a hiring manager, not a data engineer.
"""

from __future__ import annotations

import math
from typing import Any

WHY = {
    "missing_values": "Models either drop rows with gaps or learn from guessed values; either way the data a model sees shrinks or gets noisier.",
    "format": "Values in the wrong format are silently turned into nulls or wrong numbers by most pipelines, skewing features.",
    "mixed_formats": "Dates written in several layouts get parsed inconsistently (3 March or 7 March?), corrupting time features and splits by date.",
    "duplicate_rows": "Duplicates over-weight some examples and leak between training and test sets, inflating measured accuracy.",
    "not_unique": "Repeated ids break joins and make it impossible to trace a prediction back to one record.",
    "out_of_range": "Impossible values (negative amounts, ages over 120) are usually entry errors that distort what a model learns.",
    "label_missing": "A supervised model learns only from labeled rows; every missing label is an example the model cannot use.",
    "label_not_in_set": "Labels outside the agreed classes are typos or new categories; they must be mapped before training.",
    "class_too_small": "A class with very few examples cannot be learned or evaluated reliably.",
    "class_imbalance": "With a dominant class, a model can score well by ignoring the rare ones; metrics and sampling must account for it.",
    "pii": "Personal data raises legal duties (GDPR and similar) and must be removed or pseudonymised before anyone outside sees it.",
    "file_rejected": "A file nobody can read is data the project cannot use until it is exported again.",
    "no_label": "Without a label column there is nothing for a supervised model to learn from.",
    "expectation_failed": "A rule your team wrote for this data does not hold.",
    "expectation_error": "A rule in the suite could not be checked, so it gives no assurance.",
}

FIX = {
    "missing_values": "Find out why the values are missing; backfill from the source system, or agree on an imputation rule.",
    "format": "Normalise the column at export, or agree on a parsing rule and list the values it cannot parse.",
    "mixed_formats": "Export all dates in one ISO layout (YYYY-MM-DD) from the source system.",
    "duplicate_rows": "Remove exact duplicates and find the export step that creates them.",
    "not_unique": "Decide which record wins for each repeated id, or issue new ids.",
    "out_of_range": "Check these rows with the data owner; correct them or mark them as invalid.",
    "label_missing": "Label the remaining rows (in-house or a labeling service), or confirm they can be dropped.",
    "label_not_in_set": "Map each unexpected label to an agreed class, or add the class to the list.",
    "class_too_small": "Collect or label more examples of the small classes, or merge them into a broader class.",
    "class_imbalance": "Plan for it: stratified splits, class weights or resampling, and per-class metrics.",
    "pii": "Drop, hash or pseudonymise the column before sharing data; mask personal data inside free text.",
    "file_rejected": "Re-export the file as the reason says, then re-run the audit.",
    "no_label": "Name the label column in readiness.toml ([label] column) or with --label, or choose an unsupervised task.",
    "expectation_failed": "Check the failing rule with the data owner; fix the data or the rule.",
    "expectation_error": "Fix the expectation in the suite file, or delete the file and run readiness init again.",
}


def effort_days(check: str, count: int, fraction: float, details: dict[str, Any]) -> float:
    """A rough effort in person-days, rounded to quarter days."""
    if check == "label_missing":
        days = 0.5 + count / 800  # about 800 simple labels a person-day
    elif check == "class_too_small":
        days = 0.5 + float(details.get("shortfall", 0)) / 400
    elif check in ("missing_values", "format"):
        days = 0.25 + 1.0 * fraction
    elif check == "pii":
        days = 0.5
    elif check in ("class_imbalance", "mixed_formats", "duplicate_rows", "not_unique", "out_of_range",
                   "label_not_in_set", "file_rejected"):
        days = 0.25 + 0.5 * min(1.0, fraction * 5)
    elif check == "no_label":
        days = 1.0
    else:
        days = 0.25
    return min(10.0, math.ceil(days * 4) / 4)


def question(finding: dict[str, Any]) -> str | None:
    """The question a client should ask candidates about this finding."""
    check = finding["check"]
    column = finding["column"] or "the data"
    share = f"{finding['fraction'] * 100:.0f}%" if finding["fraction"] >= 0.01 else f"{finding['count']:,}"
    questions = {
        "label_missing": f"{share} of {column} labels are missing: how would you handle that, and would you label more first?",
        "class_too_small": f"Some {column} classes have very few examples: how would you train and evaluate for them?",
        "class_imbalance": f"{column} is strongly imbalanced: which metric and which sampling or weighting would you use?",
        "mixed_formats": f"{column} holds dates in several layouts: how would you parse them without guessing day and month?",
        "format": f"{share} of {column} values are malformed: would you repair, drop or flag them?",
        "missing_values": f"{share} of {column} is missing: how would you treat it, and how would you check the choice does no harm?",
        "duplicate_rows": "The data has exact duplicate rows: how would you keep them from leaking between train and test?",
        "not_unique": f"{column} repeats ids: how would you deduplicate, and what would you ask us first?",
        "out_of_range": f"{column} has impossible values: how would you detect and handle such errors in production?",
        "pii": f"{column} contains personal data: how would you work with it safely (access, pseudonymisation, deletion)?",
        "label_not_in_set": f"Some {column} labels are outside the agreed classes: how would you map or clean them?",
        "file_rejected": "One of our files could not be read: what would you need from us to use it?",
        "no_label": "We have no label column yet: how would you get to a first labeled dataset?",
    }
    return questions.get(check)
