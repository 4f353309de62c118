"""An older run's score under a newer run's rules: what the history compares like with like.

Pure: the stored score inputs of a run, read back and scored again (no pandas, numpy or Arrow);
gates.py and compare.py build on it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from readiness.models import Finding
from readiness.score import ScoreInputs, TableFacts, score
from readiness.settings import Settings, Thresholds

SEVERITY_RANK = {"blocker": 0, "major": 1, "minor": 2, "info": 3}


def score_inputs_json(inputs: ScoreInputs, settings: Settings) -> dict[str, Any]:
    return {
        "tables": [vars(t) for t in inputs.tables],
        "findings": [{**{k: getattr(f, k) for k in ("check", "severity", "dimension", "table", "column", "count",
                                                      "fraction", "expectation", "message", "details", "waived",
                                                      "subject")}} for f in inputs.findings],
        "data_files": inputs.data_files,
        "supervised": inputs.supervised,
        "task": inputs.task,
        "rules": {"weights": settings.weights, "thresholds": vars(settings.thresholds),
                  "min_class_count": settings.label.min_class_count},
    }


def _inputs(stored: dict[str, Any]) -> ScoreInputs:
    return ScoreInputs(
        tables=tuple(TableFacts(**t) for t in stored["tables"]),
        findings=tuple(Finding(**f) for f in stored["findings"]),
        data_files=stored["data_files"], supervised=stored["supervised"], task=stored["task"],
    )


def _rules(stored: dict[str, Any]) -> Settings:
    rules = stored.get("rules") or {}
    settings = Settings(weights=dict(rules.get("weights") or Settings().weights),
                        thresholds=Thresholds(**(rules.get("thresholds") or {})))
    label = replace(settings.label, min_class_count=int(rules.get("min_class_count", 20)))
    return replace(settings, label=label)


def rescore(older: dict[str, Any], newer: dict[str, Any]) -> float | None:
    """The older run's score under the newer run's rules (weights, thresholds, formula in this code)."""
    if not older.get("score_inputs") or not newer.get("score_inputs"):
        return None
    return score(_inputs(older["score_inputs"]), _rules(newer["score_inputs"])).score
