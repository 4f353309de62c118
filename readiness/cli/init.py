"""``readiness init``: infer a commented readiness.toml and GX suites, written into PATH to edit."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from readiness.base.errors import UsageError
from readiness.ingest.columns import is_text
from readiness.ingest.walk import config_files_of, ingest
from readiness.profile import counts, labels
from readiness.report import brief
from readiness.settings import build_settings
from readiness.validate import suites


def _toml_string(value: str) -> str:
    return brief.toml_string(value)


def render_config(target: labels.LabelTarget, plans: list[counts.TableStats], label_table: str | None,
                  answers: dict[str, Any] | None = None) -> str:
    """readiness.toml as init writes it; ``answers``: [project] keys from the interview, written
    out (the keys left unanswered stay commented examples)."""
    lines = [
        "# readiness.toml: the dataset's configuration. Every key is optional;",
        "# see docs/configuration.md for all of them. Lines starting with # are comments.",
        "",
        "[project]",
        "# The brief for candidates, shown at the top of the briefing packet; the audit warns about",
        "# every field still empty.",
        *brief.project_lines(target.task, answers),
        "",
        "[label]",
    ]
    if target.column:
        guessed = f"  # guessed: {target.why}; check it" if target.guessed else ""
        lines.append(f"column = {_toml_string(target.column)}{guessed}".replace("\n", " "))
    elif target.candidates:
        lines.append(f"# column = {_toml_string(target.candidates[0])}  # no sure label; candidates: "
                     + ", ".join(_toml_string(c) for c in target.candidates).replace("\n", " "))
    else:
        lines.append('# column = "label"  # no label column was found; name it here for a supervised task')
    if label_table:
        lines.append(f"table = {_toml_string(label_table)}")
    lines += [
        '# classes = ["refund", "shipping"]  # the allowed label values',
        "min_class_count = 20",
        "max_imbalance_ratio = 10.0",
        "",
        "[profile]",
        "enabled = true",
        "sample_rows = 20000  # the visual profile samples above this; counts are always exact",
        "",
        "[pii]",
        "# columns = [\"notes\"]   # always treat these as personal data",
        "# ignore = [\"country\"]  # never treat these as personal data",
    ]
    for stats in plans:
        plan = stats.plan
        lines += ["", f"[tables.{_toml_string(plan.table)}]"]
        ids = [c.name for c in plan.columns if c.is_id]
        lines.append(f"id_columns = [{', '.join(_toml_string(i) for i in ids)}]")
        dates = [c.name for c in plan.columns if c.format and c.format.startswith("date:")]
        if dates:
            lines.append(f"date_columns = [{', '.join(_toml_string(d) for d in dates)}]")
        formats = [(c.name, c.format) for c in plan.columns if c.format in ("email", "phone", "url", "numeric")]
        if formats:
            lines.append("formats = { " + ", ".join(f"{_toml_string(n)} = {_toml_string(f or '')}" for n, f in formats) + " }")
        ranges = [c for c in plan.columns if c.has_range]
        if ranges:
            parts = []
            for c in ranges:
                low = "\"\"" if c.low is None else f"{c.low:g}"
                high = "\"\"" if c.high is None else f"{c.high:g}"
                parts.append(f"{_toml_string(c.name)} = [{low}, {high}]")
            lines.append("ranges = { " + ", ".join(parts) + " }")
    return "\n".join(lines) + "\n"


Interview = Callable[[str], dict[str, Any]]  # (the inferred task) -> the answered [project] keys


def init(path: Path, *, force: bool = False, label: str | None = None, label_table: str | None = None,
         task: str | None = None, interview: Interview | None = None) -> tuple[list[str], list[str]]:
    """Write readiness.toml and one suite per table; existing files are kept unless ``force``.
    ``interview`` asks for the brief (see readiness.report.brief.interview) once the task is inferred."""
    if not path.is_dir():
        raise UsageError(f"{path}: not a folder; readiness init writes into a dataset folder")
    if interview is not None and (path / "readiness.toml").exists() and not force:
        # checked before anything is asked: answers that could not be written would be lost
        raise UsageError(f"{path / 'readiness.toml'}: exists, and --interview would replace it; add --force "
                         "to overwrite it, or edit its [project] section (see docs/configuration.md)")
    settings = build_settings(path, None, label=label, label_table=label_table, task=task)
    ingested = ingest(path, config_files=config_files_of(path, settings.suites_dir))
    target = labels.resolve(ingested.tables, settings)
    stats = [counts.table_stats(t, settings, target) for t in ingested.tables]
    answers = interview(target.task) if interview is not None else None
    written, kept = [], []
    config_path = path / "readiness.toml"
    if config_path.exists() and not force:
        kept.append(str(config_path))
    else:
        config_path.write_text(render_config(target, stats, settings.label.table, answers), encoding="utf-8")
        written.append(str(config_path))
    for table_stats in stats:
        destination = suites.suite_path(path, settings.suites_dir, table_stats.table.name)
        if destination.exists() and not force:
            kept.append(str(destination))
            continue
        frame = table_stats.table.frame
        suite = suites.build_suite(table_stats.plan, {c for c in frame.columns if is_text(frame[c])})
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(json.dumps(suite, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(str(destination))
    return written, kept
