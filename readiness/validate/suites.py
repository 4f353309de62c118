"""GX 1.x suites as JSON: built from the plan, written by ``readiness init``, read back by ``audit``.

This module writes and reads suite JSON only; GX itself is imported in validate.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from readiness.base.errors import ConfigError
from readiness.base.text import MOJIBAKE, slug
from readiness.profile.plan import TablePlan


def _expectation(kind: str, check: str, **kwargs: Any) -> dict[str, Any]:
    return {"type": kind, "kwargs": kwargs, "meta": {"readiness": {"check": check}}}


def anchored(pattern: str) -> str:
    """GX's pandas regex is a search; anchor it so it checks the whole value as our counts do."""
    return rf"^\s*(?:{pattern})\s*$"


def build_suite(plan: TablePlan, text_columns: set[str]) -> dict[str, Any]:
    """The default suite for one table, from the inferred (or configured) plan."""
    expectations: list[dict[str, Any]] = [
        _expectation("expect_table_row_count_to_be_between", "rows", min_value=1),
    ]
    names = [c.name for c in plan.columns if not c.is_row_index]  # duplicate rows leave row numbers out
    if len(names) >= 2:
        expectations.append(_expectation("expect_compound_columns_to_be_unique", "duplicate_rows", column_list=names))
    for column in plan.columns:
        name = column.name
        check = "label_missing" if column.is_label else "missing_values"
        expectations.append(_expectation("expect_column_values_to_not_be_null", check, column=name))
        if column.pattern and not column.is_label:
            check = "format"
            expectations.append(_expectation("expect_column_values_to_match_regex", check, column=name,
                                             regex=anchored(column.pattern)))
        if column.has_range and name not in text_columns:
            bounds: dict[str, Any] = {}
            if column.low is not None:
                bounds["min_value"] = column.low
            if column.high is not None:
                bounds["max_value"] = column.high
            expectations.append(_expectation("expect_column_values_to_be_between", "out_of_range", column=name, **bounds))
        if column.is_id:
            expectations.append(_expectation("expect_column_values_to_be_unique", "not_unique", column=name))
        if column.type == "text" and not column.is_label and name in text_columns:
            expectations.append(_expectation("expect_column_value_lengths_to_be_between", "text_length", column=name,
                                             min_value=3, max_value=5000))
            expectations.append(_expectation("expect_column_values_to_not_match_regex", "mojibake", column=name,
                                             regex=MOJIBAKE))
        if column.is_label and plan.classes is not None and name in text_columns:
            expectations.append(_expectation("expect_column_values_to_be_in_set", "label_not_in_set", column=name,
                                             value_set=list(plan.classes)))
    return {
        "name": plan.table,
        "expectations": expectations,
        "meta": {"generated_by": "readiness", "table": plan.table,
                 "note": "Edit freely; readiness runs this suite when the file exists."},
        "notes": None,
    }


def suite_path(dataset: Path, suites_dir: str, table: str) -> Path:
    base = Path(suites_dir)
    folder = base if base.is_absolute() else dataset / base
    return folder / f"{slug(table)}.json"


def read_suite(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read as UTF-8 text; fix or delete the suite") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: is not valid JSON ({exc.msg} at line {exc.lineno}); fix it, or delete it "
                          "and run readiness init again") from exc
    if not isinstance(data, dict) or not isinstance(data.get("expectations"), list):
        raise ConfigError(f"{path}: is not a GX suite (an object with an 'expectations' list); "
                          "fix it, or delete it and run readiness init again")
    for index, item in enumerate(data["expectations"]):
        if not isinstance(item, dict) or not isinstance(item.get("type"), str) or not isinstance(item.get("kwargs"), dict):
            kind = f" ({item['type']})" if isinstance(item, dict) and isinstance(item.get("type"), str) else ""
            raise ConfigError(f"{path}: expectation {index + 1}{kind} needs a 'type' string and a 'kwargs' object")
    return data
