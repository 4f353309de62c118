"""The scoring stage: each table's facts and the findings into the score (readiness.score), and
the label summary of the largest labeled table."""

from __future__ import annotations

from readiness.checks import media as media_checks
from readiness.media.model import MediaDataset
from readiness.models import LabelSummary
from readiness.pipeline.media import tables_only_label
from readiness.pipeline.stages import Checked, Found, Read, Request, Scored
from readiness.profile import counts, labels
from readiness.score import ScoreInputs, TableFacts, score


def scored(request: Request, read: Read, checked: Checked, found: Found) -> Scored:
    data_files = sum(1 for f in read.ingested.files if f.status != "skipped")
    task = read.target.task
    supervised = labels.is_supervised(task) or any(d.label_source for d in read.media)
    decoded = [d for d in read.media if any(e.status == "ok" for e in d.files)]  # none: nothing could be read
    facts = tuple(_facts(s) for s in checked.stats) + tuple(_media_facts(d) for d in decoded)
    inputs = ScoreInputs(facts, found.findings, data_files, supervised,
                         task if labels.is_supervised(task) or not supervised else "classification")
    table_label, media_label = _label_summary(checked.stats, task), _media_label_summary(read.media)
    # when the tables only name the media files, the labels are counted on the files that exist
    label = (media_label or table_label) if tables_only_label([s.table.name for s in checked.stats], read.media) \
        else (table_label or media_label)
    return Scored(inputs, score(inputs, request.settings), label)


def _media_facts(dataset: MediaDataset) -> TableFacts:
    """A media dataset as the score sees a table: its files are its rows, and each file (each page
    of a document) one checked value."""
    facts = media_checks.facts(dataset)
    labeled = facts.get("labeled")
    return TableFacts(name=dataset.name, rows=int(facts["rows"] or 0), cells=0,
                      checked_values=int(facts["checked"] or 0), date_values=0,
                      labeled=None if labeled is None else int(labeled), classes=int(facts.get("classes") or 0))


def _media_label_summary(datasets: tuple[MediaDataset, ...]) -> LabelSummary | None:
    """With no labeled table, the labels of the largest labeled media dataset."""
    labeled = [d for d in datasets if d.label_source]
    if not labeled:
        return None
    main = max(labeled, key=lambda d: len(d.files))
    classes: dict[str, int] = {}
    for examined, label in zip(main.files, main.labels, strict=True):
        if label is not None and examined.status == "ok":
            classes[label] = classes.get(label, 0) + 1
    rows = sum(1 for e in main.files if e.status == "ok")
    column = main.labels_file.label_column if main.labels_file and main.labels_file.label_column else "class"
    return LabelSummary(table=main.name, column=column, task="classification", rows=rows,
                        labeled=sum(classes.values()), coverage=sum(classes.values()) / rows if rows else 0.0,
                        classes=dict(sorted(classes.items(), key=lambda item: (-item[1], item[0]))))


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
