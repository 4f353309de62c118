"""The scoring stage: each table's facts and the findings into the score (readiness.score), and
the label summary of the largest labeled table."""

from __future__ import annotations

from readiness.models import LabelSummary
from readiness.pipeline.stages import Checked, Found, Read, Request, Scored
from readiness.profile import counts, labels
from readiness.score import ScoreInputs, TableFacts, score


def scored(request: Request, read: Read, checked: Checked, found: Found) -> Scored:
    data_files = sum(1 for f in read.ingested.files if f.status != "skipped")
    task = read.target.task
    inputs = ScoreInputs(tuple(_facts(s) for s in checked.stats), found.findings, data_files,
                         labels.is_supervised(task), task)
    return Scored(inputs, score(inputs, request.settings), _label_summary(checked.stats, task))


def _facts(stats: counts.TableStats) -> TableFacts:
    cells = sum(stats.rows for c in stats.columns if not c.plan.is_label)
    checked = sum(c.non_missing for c in stats.columns
                  if (c.plan.format or c.plan.has_range or c.plan.type in ("text", "datetime")) and not c.plan.is_label)
    dates = sum(c.non_missing for c in stats.columns if c.plan.format and c.plan.format.startswith("date:"))
    label = stats.label
    return TableFacts(
        name=stats.table.name, rows=stats.rows, cells=cells, checked_values=checked, date_values=dates,
        labeled=label.labeled if label else None,
        classes=len(label.classes) if label and label.classes else 0,
    )


def _label_summary(stats: tuple[counts.TableStats, ...], task: str) -> LabelSummary | None:
    """The label of the largest labeled table, as readiness.json's "label" shows it (no classes
    when the label holds personal data)."""
    labeled = [s.label for s in stats if s.label is not None]
    if not labeled:
        return None
    main = max(labeled, key=lambda s: s.rows)
    main_plan = next(t.plan for t in stats if t.table.name == main.table)
    personal_label = main_plan.column(main.column).pii is not None
    return LabelSummary(
        table=main.table, column=main.column, task=task, rows=main.rows, labeled=main.labeled,
        coverage=main.labeled / main.rows if main.rows else 0.0,
        classes=dict(main.classes) if main.classes is not None and not personal_label else None,
    )
