"""The trial kit's files for packet.zip and the run folder: trial/score.py (the scorer with the
acceptance rule baked in), the hold-out's row numbers and a README for candidate and client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readiness.report.acceptance import NUMBER_TASKS
from readiness.report.holdout import blanking_instruction

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
