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
    "no_rows": "With no rows there is nothing to learn from or to measure.",
    "empty_table": "An empty table is either a failed export or a table nobody needs.",
    "expectation_failed": "A rule your team wrote for this data does not hold.",
    "label_variants": "One class spelled several ways is split into classes the model treats as different.",
    "conflicting_labels": "Identical inputs with different labels cap the accuracy any model can reach and confuse training.",
    "leakage": "A column that gives the label away makes test scores look perfect while the model fails in production.",
    "label_sorted": "Rows sorted by label end up in one split unless shuffled, giving misleading results.",
    "label_outliers": "A few extreme target values can dominate a regression model's loss.",
    "split_overlap": "Test rows that also sit in the training data inflate measured accuracy.",
    "split_label_shift": "When train and test have different label mixes, test scores do not predict production.",
    "split_schema_mismatch": "Train and test files with different columns break the pipeline or silently drop features.",
    "future_dates": "Dates in the future are entry errors or time-zone bugs, and leak information in time-based splits.",
    "time_gaps": "Missing periods break forecasting models and hide seasonality.",
    "stale_data": "Old data may no longer describe today's behaviour.",
    "text_too_short": "Near-empty texts carry no signal for a text model.",
    "text_too_long": "Very long texts get truncated by most models; the relevant part may be lost.",
    "mojibake": "Mis-decoded characters turn words into noise the model cannot read.",
    "duplicate_texts": "Repeated texts over-weight some examples and leak between train and test.",
    "expectation_error": "A rule in the suite could not be checked, so it gives no assurance.",
    "ragged_rows": "Rows with more or fewer fields than the header shift values into the wrong columns, so every pipeline reads them differently.",
    "no_header": "Without column names nobody can tell what each column means; features get misread or dropped.",
    "metadata_line": "A first line that is not the header (counts, titles) breaks the default reading of the file.",
    "suspect_delimiter": "A table read as one column because of the wrong delimiter has no usable features until it is split.",
    "row_index_column": "A bare row number carries no information about the example; a model can still learn from it when rows are ordered.",
    "constant_column": "A column with one value in every row carries no information for a model.",
    "empty_column": "A column with no value in any row carries no information and only adds noise to the pipeline.",
    "missing_by_design": "These gaps follow a rule of the data (the value only exists in some cases); they need a flag, not imputation.",
    "grouping_column": "Rows of the same entity in both train and test let a model recognise the entity instead of learning the task.",
    "label_drift": "When the class mix changes over time, a model trained on old periods mispredicts new ones.",
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
    "no_rows": "Export the data again, with its rows; check the export's filters and date range.",
    "empty_table": "Export it again with its rows, or leave it out of the folder.",
    "expectation_failed": "Check the failing rule with the data owner; fix the data or the rule.",
    "label_variants": "Map every spelling to one class name at export.",
    "conflicting_labels": "Review the conflicting groups with the people who labeled them and agree on one label.",
    "leakage": "Remove the column from the features, or confirm it is known before the prediction is made.",
    "label_sorted": "Shuffle rows (or split by an agreed key) before making train and test sets.",
    "label_outliers": "Check the extreme values with the data owner; correct them or decide how to cap them.",
    "split_overlap": "Remove the overlapping rows from the test set, or re-split by a key such as customer or date.",
    "split_label_shift": "Re-split with stratification, or confirm the shift reflects production.",
    "split_schema_mismatch": "Export all split files with the same columns and types.",
    "future_dates": "Correct the dates at the source; check time zones and date layouts.",
    "time_gaps": "Find out whether the periods are missing from the export or had no activity.",
    "stale_data": "Export recent data, or confirm the period the model must cover.",
    "text_too_short": "Drop or review near-empty texts.",
    "text_too_long": "Decide how long texts are cut or split before modeling.",
    "mojibake": "Re-export the file as UTF-8, or repair the encoding (for example with ftfy).",
    "duplicate_texts": "Deduplicate texts before splitting, keeping one label per text.",
    "expectation_error": "Fix the expectation in the suite file, or delete the file and run readiness init again.",
    "ragged_rows": "Fix the quoting or the delimiter at export so every row has the header's field count.",
    "no_header": "Export the file with a header row naming every column, or send a data dictionary with it.",
    "metadata_line": "Export the file with the header as its first line, or document the extra line.",
    "suspect_delimiter": "Re-export with a standard delimiter (comma or tab), or tell the reader which delimiter the file uses.",
    "row_index_column": "Drop the row-number column before training; shuffle rows before splitting.",
    "constant_column": "Drop it from the features, or check whether the export lost its other values.",
    "empty_column": "Drop it, or find out why the export left it empty.",
    "missing_by_design": "Keep the gaps and add a flag for the rule; do not backfill or impute them.",
    "grouping_column": "Split train and test by this column (group split), so no entity sits in both.",
    "label_drift": "Split by time for evaluation and plan for retraining; confirm with the data owner why the classes moved.",
}


def fix(finding: dict[str, Any]) -> str:
    """The fix shown for a finding: its own (``details["fix"]``, when the check knows better for
    this case, as for repeats the data explains) or the check's."""
    own = (finding.get("details") or {}).get("fix")
    return own if isinstance(own, str) and own else FIX.get(finding["check"], "")


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
                   "label_not_in_set", "file_rejected", "label_variants", "mojibake", "future_dates",
                   "split_schema_mismatch", "duplicate_texts", "text_too_short", "text_too_long"):
        days = 0.25 + 0.5 * min(1.0, fraction * 5)
    elif check in ("no_label", "leakage", "split_overlap"):
        days = 1.0
    elif check == "conflicting_labels":
        days = 0.5 + count / 400
    else:
        days = 0.25
    return min(10.0, math.ceil(days * 4) / 4)


def day_range(days: float) -> tuple[float, float]:
    """A low-high range in half days around a point estimate: the estimate, and about 1.5 times it."""
    low = max(0.5, math.ceil(days * 2 - 1e-9) / 2)
    return low, max(low + 0.5, math.ceil(low * 3 - 1e-9) / 2)


def effort_range(check: str, count: int, fraction: float, details: dict[str, Any]) -> tuple[float, float]:
    """``effort_days`` as a low-high range in half days."""
    return day_range(effort_days(check, count, fraction, details))


def question(finding: dict[str, Any]) -> str | None:
    """The question a client should ask candidates about this finding."""
    check = finding["check"]
    pattern = (finding.get("details") or {}).get("pattern")  # a finding on many alike columns (columns.py)
    column = finding["column"] or (f"the columns named like {pattern}" if pattern else "the data")
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
        "label_variants": f"Some {column} classes are spelled several ways: how would you clean them, and check nothing else is mislabeled?",
        "conflicting_labels": f"Identical inputs carry different {column} labels: how would you resolve them?",
        "leakage": f"{column} may give the label away: how would you test for leakage before trusting a score?",
        "split_overlap": "Our test file repeats training rows: how would you build a trustworthy evaluation?",
        "future_dates": f"{column} has dates in the future: how would you handle time when splitting and validating?",
        "mojibake": f"{column} has mis-decoded text: how would you repair it?",
        "ragged_rows": "Some rows of our file have more or fewer fields than the header: how would you read them without shifting values?",
        "no_header": "One of our files has no column names: what would you need from us before using it?",
        "suspect_delimiter": "One of our files may use an unusual delimiter: how would you check it is read correctly?",
        "grouping_column": f"Several rows belong to the same {column}: would you split train and test by {column}, and how would you check that no {column} sits in both?",
        "label_drift": f"The mix of {column} classes changes over time: how would you evaluate and retrain for that?",
        "missing_by_design": f"{column} is empty by design in some rows: how would you encode that for a model?",
    }
    return questions.get(check)
