"""The check catalog: one row per check id, the one place a check is declared.

A row says what the check measures (its dimension and GX expectation), how the score uses its
findings (a scoring rule score.py applies), and what it means for an ML project (why it matters,
the fix, a rough effort and the question a client should ask). make_finding, the score and the
explanations in the packet all read these rows; tests/checks/test_catalog.py walks them.

No imports beyond the standard library: the score reads this module and stays free of pandas.
"""

from __future__ import annotations

from dataclasses import dataclass

# How a check's findings enter the score: score.py applies each rule to the checks carrying it
MISSING_CELLS = "missing_cells"
REJECTED_FILE = "rejected_file"
INVALID_VALUES = "invalid_values"
REPEATED_ROWS = "repeated_rows"
MIXED_DATES = "mixed_dates"
MISSPELLED_LABELS = "misspelled_labels"
CONFLICTING_LABELS = "conflicting_labels"
LEAKAGE = "leakage"
LABEL_DRIFT = "label_drift"
SPLIT_OVERLAP = "split_overlap"
CLASS_SHORTFALL = "class_shortfall"
CLASS_IMBALANCE = "class_imbalance"
PERSONAL_DATA = "personal_data"
TABLE_FACTS = "table_facts"
SEVERITY_ONLY = "severity_only"
BROKEN_REFERENCES = "broken_references"
REPEATED_KEYS = "repeated_keys"

SCORING = {
    MISSING_CELLS: "completeness: its count of missing cells over the tables' cells (label column left out)",
    REJECTED_FILE: "completeness: each rejected file takes off half of its share of the data files",
    INVALID_VALUES: "validity: a factor (1 - count / checked values) per check, in catalog order",
    REPEATED_ROWS: "uniqueness: a factor (1 - count / rows) per check, in catalog order",
    MIXED_DATES: "consistency: its count over the values of date columns",
    MISSPELLED_LABELS: "label readiness: the larger count of these checks, as a factor over the labeled rows",
    CONFLICTING_LABELS: "label readiness: a factor (1 - count / labeled rows)",
    LEAKAGE: "label readiness: halves the table's label score",
    LABEL_DRIFT: "label readiness: lowers the table's label score by up to half, in proportion to the PSI",
    SPLIT_OVERLAP: "label readiness: a factor (1 - count / rows)",
    CLASS_SHORTFALL: "label readiness: lowers the table's label score by up to half, with the shortfall",
    CLASS_IMBALANCE: "label readiness: lowers the table's label score by up to 30%, with log10(ratio / threshold)",
    PERSONAL_DATA: "privacy: a factor 1 - 0.25 x fraction (0.5 for secrets) per finding",
    TABLE_FACTS: "scored from the table facts the finding reports too (labeled rows, rows), not from the finding",
    SEVERITY_ONLY: "in no dimension: only its severity counts (a live blocker or major caps the score)",
    BROKEN_REFERENCES: "consistency: a factor (1 - count / rows of every table) per check, in catalog order",
    REPEATED_KEYS: "uniqueness: a factor (1 - count / rows) per parent key, the largest of its findings, "
                   "left out when not_unique already counts the same repeats",
}

# A rough effort in person-days: explain.effort_days applies each rule
LABELING = "labeling"
CLASS_EXAMPLES = "class_examples"
BY_SHARE = "by_share"
HALF_DAY = "half_day"
CLEANUP = "cleanup"
ONE_DAY = "one_day"
LABEL_REVIEW = "label_review"
QUARTER_DAY = "quarter_day"

EFFORTS = {
    LABELING: "half a day, plus a day per 800 missing labels",
    CLASS_EXAMPLES: "half a day, plus a day per 400 examples the small classes lack",
    BY_SHARE: "a quarter day, plus up to a day with the share of values affected",
    HALF_DAY: "half a day",
    CLEANUP: "a quarter day, plus up to half a day with the share of values affected",
    ONE_DAY: "one day",
    LABEL_REVIEW: "half a day, plus a day per 400 conflicting rows",
    QUARTER_DAY: "a quarter day",
}


@dataclass(frozen=True)
class Check:
    """One check. ``question``: a template with ``{column}`` and ``{share}``, or None when the
    packet asks nothing about it; an empty ``why``/``fix``: the packet explains nothing."""

    id: str
    dimension: str
    expectation: str | None  # the GX expectation type that checks the same, if any
    scoring: str  # a SCORING rule
    effort: str  # an EFFORTS rule
    why: str
    fix: str
    question: str | None = None


# ordered by dimension, as the score reads them: the order of a rule's checks is the order of its factors
CATALOG: tuple[Check, ...] = (
    # --- completeness ------------------------------------------------------------------------------
    Check("missing_values", "completeness", "expect_column_values_to_not_be_null", MISSING_CELLS, BY_SHARE,
          why="Models either drop rows with gaps or learn from guessed values; either way the data a model sees shrinks or gets noisier.",
          fix="Find out why the values are missing; backfill from the source system, or agree on an imputation rule.",
          question="{share} of {column} is missing: how would you treat it, and how would you check the choice does no harm?"),
    Check("empty_column", "completeness", "expect_column_values_to_not_be_null", MISSING_CELLS, QUARTER_DAY,
          why="A column with no value in any row carries no information and only adds noise to the pipeline.",
          fix="Drop it, or find out why the export left it empty."),
    Check("missing_by_design", "completeness", None, SEVERITY_ONLY, QUARTER_DAY,
          why="These gaps follow a rule of the data (the value only exists in some cases); they need a flag, not imputation.",
          fix="Keep the gaps and add a flag for the rule; do not backfill or impute them.",
          question="{column} is empty by design in some rows: how would you encode that for a model?"),
    Check("file_rejected", "completeness", None, REJECTED_FILE, CLEANUP,
          why="A file nobody can read is data the project cannot use until it is exported again.",
          fix="Re-export the file as the reason says, then re-run the audit.",
          question="One of our files could not be read: what would you need from us to use it?"),
    # --- validity ----------------------------------------------------------------------------------
    Check("format", "validity", "expect_column_values_to_match_regex", INVALID_VALUES, BY_SHARE,
          why="Values in the wrong format are silently turned into nulls or wrong numbers by most pipelines, skewing features.",
          fix="Normalise the column at export, or agree on a parsing rule and list the values it cannot parse.",
          question="{share} of {column} values are malformed: would you repair, drop or flag them?"),
    Check("out_of_range", "validity", "expect_column_values_to_be_between", INVALID_VALUES, CLEANUP,
          why="Impossible values (negative amounts, ages over 120) are usually entry errors that distort what a model learns.",
          fix="Check these rows with the data owner; correct them or mark them as invalid.",
          question="{column} has impossible values: how would you detect and handle such errors in production?"),
    Check("future_dates", "validity", "expect_column_values_to_be_between", INVALID_VALUES, CLEANUP,
          why="Dates in the future are entry errors or time-zone bugs, and leak information in time-based splits.",
          fix="Correct the dates at the source; check time zones and date layouts.",
          question="{column} has dates in the future: how would you handle time when splitting and validating?"),
    Check("mojibake", "validity", "expect_column_values_to_not_match_regex", INVALID_VALUES, CLEANUP,
          why="Mis-decoded characters turn words into noise the model cannot read.",
          fix="Re-export the file as UTF-8, or repair the encoding (for example with ftfy).",
          question="{column} has mis-decoded text: how would you repair it?"),
    Check("text_too_short", "validity", "expect_column_value_lengths_to_be_between", INVALID_VALUES, CLEANUP,
          why="Near-empty texts carry no signal for a text model.",
          fix="Drop or review near-empty texts."),
    Check("text_too_long", "validity", "expect_column_value_lengths_to_be_between", INVALID_VALUES, CLEANUP,
          why="Very long texts get truncated by most models; the relevant part may be lost.",
          fix="Decide how long texts are cut or split before modeling."),
    Check("ragged_rows", "validity", None, INVALID_VALUES, QUARTER_DAY,
          why="Rows with more or fewer fields than the header shift values into the wrong columns, so every pipeline reads them differently.",
          fix="Fix the quoting or the delimiter at export so every row has the header's field count.",
          question="Some rows of our file have more or fewer fields than the header: how would you read them without shifting values?"),
    Check("suspect_delimiter", "validity", None, INVALID_VALUES, QUARTER_DAY,
          why="A table read as one column because of the wrong delimiter has no usable features until it is split.",
          fix="Re-export with a standard delimiter (comma or tab), or tell the reader which delimiter the file uses.",
          question="One of our files may use an unusual delimiter: how would you check it is read correctly?"),
    # media (readiness.media): counts are files (pages for scanned_pages), over the dataset's files
    Check("corrupt_file", "validity", None, INVALID_VALUES, CLEANUP,
          why="A file that cannot be decoded (truncated, zero bytes, encrypted, not what its extension says it is) is an example no model can use.",
          fix="Export or copy the files again from the source; check the transfer did not cut them short.",
          question="Some of our files cannot be decoded: how would you find and handle such files in a training pipeline?"),
    Check("wrong_extension", "validity", None, SEVERITY_ONLY, QUARTER_DAY,
          why="Files whose content is another format than their name says break loaders that trust the extension.",
          fix="Rename the files to match their content, or convert them to the format their names claim."),
    Check("dark_images", "validity", None, INVALID_VALUES, CLEANUP,
          why="Very dark images hide the object; a model learns little from them and fails on them in production.",
          fix="Review them: drop the ones nothing can be seen in, or brighten them if the source is fine.",
          question="Some images are very dark: would you drop, correct or keep them, and how would you check the effect?"),
    Check("overexposed_images", "validity", None, INVALID_VALUES, CLEANUP,
          why="Washed-out images have lost the detail a model needs.",
          fix="Review them and replace or drop the ones that are washed out."),
    Check("blurry_images", "validity", None, INVALID_VALUES, CLEANUP,
          why="Blurred images carry little detail; if production images are sharp, they teach the wrong features.",
          fix="Review them: drop unusable ones, or keep them if production images are blurred too.",
          question="Some images are blurry: would you keep them for robustness or drop them, and why?"),
    Check("low_information_images", "validity", None, INVALID_VALUES, CLEANUP,
          why="Near-uniform images (blank frames, solid colours, lens caps) carry nothing to learn from.",
          fix="Drop them, and find the step that produced blank frames."),
    Check("odd_size_images", "validity", None, INVALID_VALUES, CLEANUP,
          why="Tiny or extremely elongated images lose their content when resized to a model's input.",
          fix="Check them: crop, pad or drop them before training."),
    Check("clips_too_short", "validity", None, INVALID_VALUES, CLEANUP,
          why="Clips shorter than a syllable or an event carry too little signal to learn from.",
          fix="Review them: drop or re-cut the short clips."),
    Check("clips_too_long", "validity", None, INVALID_VALUES, CLEANUP,
          why="Most audio models take a fixed window (often 30 s); longer clips get cut and may lose the labeled part.",
          fix="Split long clips into segments, keeping each segment's label and transcript aligned.",
          question="Some recordings are long: how would you segment them without losing label alignment?"),
    Check("silent_audio", "validity", None, INVALID_VALUES, CLEANUP,
          why="Silent recordings carry no signal, yet count as examples of their class.",
          fix="Drop them, or find out why the recorder captured nothing."),
    Check("clipped_audio", "validity", None, INVALID_VALUES, CLEANUP,
          why="Clipped recordings are distorted; models learn the distortion.",
          fix="Record again at a lower gain, or keep them apart and measure their effect."),
    Check("transcript_mismatch", "validity", None, INVALID_VALUES, CLEANUP,
          why="A transcript far too long or too short for its clip is usually attached to the wrong file.",
          fix="Check the pairs with the people who transcribed them; fix the mapping."),
    Check("scanned_pages", "validity", None, INVALID_VALUES, BY_SHARE,
          why="Pages without a text layer need OCR first; OCR errors then become part of the training data.",
          fix="Run OCR on these pages (and check its quality), or send the documents with their text layer.",
          question="Some of our documents are scans without text: which OCR would you use, and how would you measure its errors?"),
    Check("text_extraction_failed", "validity", None, INVALID_VALUES, CLEANUP,
          why="Documents whose text cannot be extracted cannot be used by a text model.",
          fix="Export the documents again (PDF with a text layer, or DOCX)."),
    Check("pdf_javascript", "validity", None, SEVERITY_ONLY, QUARTER_DAY,
          why="PDFs carrying JavaScript or launch actions can run code in a viewer; they were never opened in one here.",
          fix="Print the documents to a plain PDF, or strip the scripts, before sharing them."),
    Check("no_header", "validity", None, SEVERITY_ONLY, QUARTER_DAY,
          why="Without column names nobody can tell what each column means; features get misread or dropped.",
          fix="Export the file with a header row naming every column, or send a data dictionary with it.",
          question="One of our files has no column names: what would you need from us before using it?"),
    Check("metadata_line", "validity", None, SEVERITY_ONLY, QUARTER_DAY,
          why="A first line that is not the header (counts, titles) breaks the default reading of the file.",
          fix="Export the file with the header as its first line, or document the extra line."),
    Check("expectation_failed", "validity", None, SEVERITY_ONLY, QUARTER_DAY,
          why="A rule your team wrote for this data does not hold.",
          fix="Check the failing rule with the data owner; fix the data or the rule."),
    Check("expectation_error", "validity", None, SEVERITY_ONLY, QUARTER_DAY,
          why="A rule in the suite could not be checked, so it gives no assurance.",
          fix="Fix the expectation in the suite file, or delete the file and run readiness init again."),
    Check("declared_key_violated", "validity", None, SEVERITY_ONLY, HALF_DAY,
          why="The schema promises a key the data does not keep: every join and every count built on that promise is wrong.",
          fix="Find the load that bypassed the constraint; repair the rows or enforce the constraint in the database.",
          question="The data breaks a key its schema declares ({share} of rows): which rows would you trust, and how would you check?"),
    # --- uniqueness --------------------------------------------------------------------------------
    Check("duplicate_rows", "uniqueness", "expect_compound_columns_to_be_unique", REPEATED_ROWS, CLEANUP,
          why="Duplicates over-weight some examples and leak between training and test sets, inflating measured accuracy.",
          fix="Remove exact duplicates and find the export step that creates them.",
          question="The data has exact duplicate rows: how would you keep them from leaking between train and test?"),
    Check("not_unique", "uniqueness", "expect_column_values_to_be_unique", REPEATED_ROWS, CLEANUP,
          why="Repeated ids break joins and make it impossible to trace a prediction back to one record.",
          fix="Decide which record wins for each repeated id, or issue new ids.",
          question="{column} repeats ids: how would you deduplicate, and what would you ask us first?"),
    Check("duplicate_texts", "uniqueness", "expect_column_values_to_be_unique", REPEATED_ROWS, CLEANUP,
          why="Repeated texts over-weight some examples and leak between train and test.",
          fix="Deduplicate texts before splitting, keeping one label per text."),
    Check("duplicate_files", "uniqueness", None, REPEATED_ROWS, CLEANUP,
          why="Identical files over-weight some examples and leak between training and test sets.",
          fix="Keep one copy of each file (and one label for it) before splitting.",
          question="Some files are exact copies of others: how would you keep them from leaking between train and test?"),
    Check("near_duplicate_images", "uniqueness", None, REPEATED_ROWS, CLEANUP,
          why="Near-identical images (re-saved, resized, burst shots) inflate test scores when they sit on both sides of a split.",
          fix="Group near duplicates and keep each group on one side of the split, or keep one of each group.",
          question="Many images are near copies of each other: how would you split so they do not inflate the test score?"),
    Check("near_duplicate_texts", "uniqueness", None, REPEATED_ROWS, CLEANUP,
          why="Near-identical documents (versions, templates) leak between train and test.",
          fix="Group near duplicates and keep each group on one side of the split."),
    Check("duplicate_parent_keys", "uniqueness", None, REPEATED_KEYS, CLEANUP,
          why="A repeated key in the table others refer to makes a join multiply their rows, inflating counts and leaking between splits.",
          fix="Decide which record wins for each repeated key before joining, or ask the data owner to issue new keys.",
          question="{column} repeats keys other tables refer to: how would you join without multiplying rows?"),
    # --- consistency -------------------------------------------------------------------------------
    Check("mixed_formats", "consistency", "expect_column_values_to_match_regex", MIXED_DATES, CLEANUP,
          why="Dates written in several layouts get parsed inconsistently (3 March or 7 March?), corrupting time features and splits by date.",
          fix="Export all dates in one ISO layout (YYYY-MM-DD) from the source system.",
          question="{column} holds dates in several layouts: how would you parse them without guessing day and month?"),
    Check("split_schema_mismatch", "consistency", None, SEVERITY_ONLY, CLEANUP,
          why="Train and test files with different columns break the pipeline or silently drop features.",
          fix="Export all split files with the same columns and types."),
    Check("time_gaps", "consistency", None, SEVERITY_ONLY, QUARTER_DAY,
          why="Missing periods break forecasting models and hide seasonality.",
          fix="Find out whether the periods are missing from the export or had no activity."),
    Check("row_index_column", "consistency", None, SEVERITY_ONLY, QUARTER_DAY,
          why="A bare row number carries no information about the example; a model can still learn from it when rows are ordered.",
          fix="Drop the row-number column before training; shuffle rows before splitting."),
    Check("constant_column", "consistency", None, SEVERITY_ONLY, QUARTER_DAY,
          why="A column with one value in every row carries no information for a model.",
          fix="Drop it from the features, or check whether the export lost its other values."),
    Check("mixed_image_modes", "consistency", None, SEVERITY_ONLY, QUARTER_DAY,
          why="Images stored in several colour modes (RGB, greyscale, CMYK, with alpha) need one conversion rule before training.",
          fix="Convert all images to one mode (usually RGB) at export, or document the rule."),
    Check("mixed_sample_rates", "consistency", None, SEVERITY_ONLY, QUARTER_DAY,
          why="Recordings at several sample rates must be resampled to one before training, or the model learns the recorder.",
          fix="Resample to one rate (for speech, 16 kHz is common), or record at one rate.",
          question="Our recordings come at several sample rates: how would you bring them to one?"),
    Check("language_mix", "consistency", None, SEVERITY_ONLY, QUARTER_DAY,
          why="Documents in several languages need a multilingual model or separate models.",
          fix="Confirm which languages the model must handle; split or translate the rest."),
    Check("schema_drift", "consistency", "expect_table_columns_to_match_set", SEVERITY_ONLY, QUARTER_DAY,
          why="",
          fix=""),
    Check("distribution_drift", "consistency", None, SEVERITY_ONLY, QUARTER_DAY,
          why="",
          fix=""),
    Check("orphan_rows", "consistency", None, BROKEN_REFERENCES, CLEANUP,
          why="Rows that refer to a record missing from the other table drop out of every join, or join to nothing and carry gaps into the features.",
          fix="Ask for the missing parent records (often a later or partial export), or agree to drop the orphans and record how many.",
          question="Rows ({share}) refer to {column} values the other table lacks: would you drop them, and would that bias the data?"),
    Check("childless_parents", "consistency", None, SEVERITY_ONLY, QUARTER_DAY,
          why="Records nobody refers to are often normal (a customer without orders), but many of them can mean the other table is a partial export.",
          fix="Check with the data owner that the other table covers the same period and the same records."),
    Check("child_before_parent", "consistency", None, BROKEN_REFERENCES, CLEANUP,
          why="A record dated before the record it belongs to (an order before its customer signed up) means a clock, a time zone or a key is wrong.",
          fix="Check both date columns' time zones and meanings with the data owner; then fix or drop the rows.",
          question="Rows ({share}) are dated before the record {column} refers to: what would you check first?"),
    # --- label_readiness ---------------------------------------------------------------------------
    Check("label_missing", "label_readiness", "expect_column_values_to_not_be_null", TABLE_FACTS, LABELING,
          why="A supervised model learns only from labeled rows; every missing label is an example the model cannot use.",
          fix="Label the remaining rows (in-house or a labeling service), or confirm they can be dropped.",
          question="{share} of {column} labels are missing: how would you handle that, and would you label more first?"),
    Check("label_not_in_set", "label_readiness", "expect_column_values_to_be_in_set", MISSPELLED_LABELS, CLEANUP,
          why="Labels outside the agreed classes are typos or new categories; they must be mapped before training.",
          fix="Map each unexpected label to an agreed class, or add the class to the list.",
          question="Some {column} labels are outside the agreed classes: how would you map or clean them?"),
    Check("label_file_missing", "label_readiness", None, SEVERITY_ONLY, QUARTER_DAY,
          why="Labels that point at files that do not exist are examples the project has paid for and cannot use.",
          fix="Find the missing files, or fix the paths in the labels file.",
          question="Our labels file names files we could not find: what would you check first?"),
    Check("unlabeled_files", "label_readiness", None, TABLE_FACTS, LABELING,
          why="Files no label names cannot be used for supervised training.",
          fix="Label the remaining files, or move them out of the dataset folder.",
          question="Some of our files have no label: would you label them first, or start with the labeled part?"),
    Check("class_too_small", "label_readiness", None, CLASS_SHORTFALL, CLASS_EXAMPLES,
          why="A class with very few examples cannot be learned or evaluated reliably.",
          fix="Collect or label more examples of the small classes, or merge them into a broader class.",
          question="Some {column} classes have very few examples: how would you train and evaluate for them?"),
    Check("class_imbalance", "label_readiness", None, CLASS_IMBALANCE, CLEANUP,
          why="With a dominant class, a model can score well by ignoring the rare ones; metrics and sampling must account for it.",
          fix="Plan for it: stratified splits, class weights or resampling, and per-class metrics.",
          question="{column} is strongly imbalanced: which metric and which sampling or weighting would you use?"),
    Check("no_label", "label_readiness", None, TABLE_FACTS, ONE_DAY,
          why="Without a label column there is nothing for a supervised model to learn from.",
          fix="Name the label column in readiness.toml ([label] column) or with --label, or choose an unsupervised task.",
          question="We have no label column yet: how would you get to a first labeled dataset?"),
    Check("label_variants", "label_readiness", None, MISSPELLED_LABELS, CLEANUP,
          why="One class spelled several ways is split into classes the model treats as different.",
          fix="Map every spelling to one class name at export.",
          question="Some {column} classes are spelled several ways: how would you clean them, and check nothing else is mislabeled?"),
    Check("conflicting_labels", "label_readiness", None, CONFLICTING_LABELS, LABEL_REVIEW,
          why="Identical inputs with different labels cap the accuracy any model can reach and confuse training.",
          fix="Review the conflicting groups with the people who labeled them and agree on one label.",
          question="Identical inputs carry different {column} labels: how would you resolve them?"),
    Check("leakage", "label_readiness", None, LEAKAGE, ONE_DAY,
          why="A column that gives the label away makes test scores look perfect while the model fails in production.",
          fix="Remove the column from the features, or confirm it is known before the prediction is made.",
          question="{column} may give the label away: how would you test for leakage before trusting a score?"),
    Check("split_overlap", "label_readiness", None, SPLIT_OVERLAP, ONE_DAY,
          why="Test rows that also sit in the training data inflate measured accuracy.",
          fix="Remove the overlapping rows from the test set, or re-split by a key such as customer or date.",
          question="Our test file repeats training rows: how would you build a trustworthy evaluation?"),
    Check("split_label_shift", "label_readiness", None, SEVERITY_ONLY, QUARTER_DAY,
          why="When train and test have different label mixes, test scores do not predict production.",
          fix="Re-split with stratification, or confirm the shift reflects production."),
    Check("label_sorted", "label_readiness", None, SEVERITY_ONLY, QUARTER_DAY,
          why="Rows sorted by label end up in one split unless shuffled, giving misleading results.",
          fix="Shuffle rows (or split by an agreed key) before making train and test sets."),
    Check("label_outliers", "label_readiness", None, SEVERITY_ONLY, QUARTER_DAY,
          why="A few extreme target values can dominate a regression model's loss.",
          fix="Check the extreme values with the data owner; correct them or decide how to cap them."),
    Check("grouping_column", "label_readiness", None, SEVERITY_ONLY, QUARTER_DAY,
          why="Rows of the same entity in both train and test let a model recognise the entity instead of learning the task.",
          fix="Split train and test by this column (group split), so no entity sits in both.",
          question="Several rows belong to the same {column}: would you split train and test by {column}, and how would you check that no {column} sits in both?"),
    Check("label_drift", "label_readiness", None, LABEL_DRIFT, QUARTER_DAY,
          why="When the class mix changes over time, a model trained on old periods mispredicts new ones.",
          fix="Split by time for evaluation and plan for retraining; confirm with the data owner why the classes moved.",
          question="The mix of {column} classes changes over time: how would you evaluate and retrain for that?"),
    # --- volume ------------------------------------------------------------------------------------
    Check("no_rows", "volume", None, TABLE_FACTS, QUARTER_DAY,
          why="With no rows there is nothing to learn from or to measure.",
          fix="Export the data again, with its rows; check the export's filters and date range."),
    Check("empty_table", "volume", None, TABLE_FACTS, QUARTER_DAY,
          why="An empty table is either a failed export or a table nobody needs.",
          fix="Export it again with its rows, or leave it out of the folder."),
    Check("stale_data", "volume", None, SEVERITY_ONLY, QUARTER_DAY,
          why="Old data may no longer describe today's behaviour.",
          fix="Export recent data, or confirm the period the model must cover."),
    # --- privacy -----------------------------------------------------------------------------------
    Check("pii", "privacy", None, PERSONAL_DATA, HALF_DAY,
          why="Personal data raises legal duties (GDPR and similar) and must be removed or pseudonymised before anyone outside sees it.",
          fix="Drop, hash or pseudonymise the column before sharing data; mask personal data inside free text.",
          question="{column} contains personal data: how would you work with it safely (access, pseudonymisation, deletion)?"),
)

BY_ID = {check.id: check for check in CATALOG}


def check(check_id: str) -> Check:
    """The catalog row of a check id (KeyError for an id the catalog does not declare)."""
    return BY_ID[check_id]


def scored_by(rule: str) -> tuple[str, ...]:
    """The check ids a scoring rule applies to, in catalog order."""
    return tuple(c.id for c in CATALOG if c.scoring == rule)


__all__ = ["CATALOG", "BY_ID", "Check", "check", "scored_by", "SCORING", "EFFORTS"]


def blocking_class_count(min_class_count: int) -> int:
    """A class with fewer labeled rows than this cannot be learned or measured: a blocker."""
    return max(2, min_class_count // 4)
