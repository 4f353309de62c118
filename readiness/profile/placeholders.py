"""The placeholders of one audit: which names hold personal data, and what each is shown as.

``build`` reads every name of the audit's inputs (files, folders, tables, sheets, columns, label
classes) and makes the ``names.Names`` that every shared file is written with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from readiness.models import FileEntry
from readiness.profile import pii
from readiness.profile.names import Names, Renamed, dataset_name

COMPRESSED = (".gz", ".zst", ".bz2", ".xz")
SLUG = re.compile(r"[^A-Za-z0-9._-]")


def _extension(name: str) -> str:
    """``.csv``, ``.csv.gz``; "" for a name without one."""
    match = re.search(r"(\.[A-Za-z0-9]{1,8})?(\.[A-Za-z0-9]{1,8})$", name)
    if not match:
        return ""
    if match.group(1) and match.group(2).lower() in COMPRESSED:
        return match.group(1) + match.group(2)
    return match.group(2)


def _numbered(placeholder: str, taken: set[str]) -> str:
    """``placeholder``, or with a suffix when a real name already reads like it."""
    shown, k = placeholder, 2
    while shown in taken:
        shown, k = f"{placeholder}_{k}", k + 1
    taken.add(shown)
    return shown


def build(files: Sequence[FileEntry], tables: Sequence[tuple[str, str, Sequence[str]]],
          classes: Mapping[tuple[str, str], Sequence[tuple[str, int]]] | None = None,
          dataset: str | None = None, previous: Mapping[str, Any] | None = None) -> Names:
    """The placeholders of one audit.

    ``tables``: (name, source, column names) of each table read; ``classes``: the label classes
    (name, count; largest first) of each labeled (table, column); ``previous``: the dataset's
    previous run as the history holds it (its names, gone now, are masked where they show).
    """
    renamed: list[Renamed] = []
    kinds: dict[str, str | None] = {}

    def kind_of(name: str) -> str | None:
        if name not in kinds:
            kinds[name] = pii.name_kind(name)
        return kinds[name]

    # files and folders: each part of each path
    paths = sorted({f.path for f in files})
    number = {path: i for i, path in enumerate(paths, 1)}
    parents = {part for path in paths for part in path.split("/")[:-1]}
    folder_tables = [source for _, source, _ in tables if source not in number]
    folders = sorted({part for part in parents if kind_of(part)}
                     | {part for source in folder_tables for part in source.split("/") if kind_of(part)})
    # a placeholder never takes a name the folder already uses (a real file_1.csv, a real folder_1)
    taken = {part for path in [*paths, *folder_tables, *(t for t, _, _ in tables)] for part in path.split("/")}
    folder_shown = {part: _numbered(f"folder_{i}", taken) for i, part in enumerate(folders, 1)}
    file_shown: dict[str, str] = {}
    shown_paths: dict[str, str] = {}

    def shown_path(path: str, last_is_file: bool) -> str:
        parts = path.split("/")
        out = [folder_shown.get(p, p) for p in parts[:-1]]
        last = parts[-1]
        if last_is_file and kind_of(last):
            if path not in file_shown:
                stem, k = f"file_{number[path]}", 2
                while stem + _extension(last) in taken:
                    stem, k = f"file_{number[path]}_{k}", k + 1
                taken.add(stem + _extension(last))
                file_shown[path] = stem + _extension(last)
            last = file_shown[path]
        elif not last_is_file:
            last = folder_shown.get(last, last)
        return "/".join([*out, last])

    for path in paths:
        shown = shown_path(path, True)
        if shown != path:
            shown_paths[path] = shown
            last, shown_last = path.rsplit("/", 1)[-1], shown.rsplit("/", 1)[-1]
            if last != shown_last:
                renamed.append(Renamed("file", last, shown_last, kind_of(last) or "personal", path=path))
    for part, shown in folder_shown.items():
        at = next(("/".join(p.split("/")[:p.split("/").index(part) + 1]) for p in paths + folder_tables
                   if part in p.split("/")), part)
        renamed.append(Renamed("folder", part, shown, kind_of(part) or "personal", path=at))

    # tables: a file's, a sheet of a workbook's, a partitioned folder's, a database's
    shown_tables: dict[str, str] = {}
    sheets: dict[str, int] = {}
    for position, (name, source, _columns) in enumerate(tables, 1):
        if name != source and name.startswith(source + ":"):
            sheet = name[len(source) + 1:]
            sheets[source] = sheets.get(source, 0) + 1
            shown_source = shown_path(source, source in number)
            shown_sheet = sheet
            if kind_of(sheet):
                shown_sheet = f"sheet_{sheets[source]}"
                renamed.append(Renamed("sheet", sheet, shown_sheet, kind_of(sheet) or "personal", table=name))
            shown_tables[name] = f"{shown_source}:{shown_sheet}"
        elif source in number or "/" in source or source in parents:
            shown_tables[name] = shown_path(name, name in number)
        elif kind_of(name):
            shown_tables[name] = _numbered(f"table_{position}", taken)
            renamed.append(Renamed("table", name, shown_tables[name], kind_of(name) or "personal", table=name))
        else:
            shown_tables[name] = name

    # columns, by their position in their table
    columns: dict[str, dict[str, str]] = {}
    for name, _source, names in tables:
        taken = set(names)
        own = {}
        for position, column in enumerate(names, 1):
            kind = kind_of(column)
            if kind:
                own[column] = _numbered(f"column_{position}", taken)
                renamed.append(Renamed("column", column, own[column], kind, table=name))
        if own:
            columns[name] = own

    # label classes, by their position among the label's classes
    for (table, column), items in (classes or {}).items():
        taken = {c for c, _ in items}
        for position, (name, count) in enumerate(items, 1):
            kind = kind_of(name)
            if kind:
                renamed.append(Renamed("class", name, _numbered(f"class_{position}", taken), kind,
                                       table=table, column=column, count=int(count)))

    # what else carries a name: suite file names (slugs), alike-column patterns, the previous run's names
    extra: dict[str, str] = {}
    for real, shown in shown_tables.items():
        if real != shown:
            extra[SLUG.sub("_", real)] = SLUG.sub("_", shown)
    for item in renamed:
        if item.thing == "column":
            pattern = re.sub(r"\d+", "#", item.real)
            if pattern != item.real and kind_of(pattern):
                extra[pattern] = "column_#"
        if item.thing == "file":
            stem = item.real[:len(item.real) - len(_extension(item.real))]
            if stem and kind_of(stem):
                extra[stem] = item.shown[:len(item.shown) - len(_extension(item.shown))]
    known = {i.real for i in renamed} | set(shown_paths) | set(shown_tables)
    for name in _previous_names(previous):
        if name not in known and name not in extra and kind_of(name):
            extra[name] = f"[{kind_of(name)}]"
    shown_dataset = None
    if dataset is not None and dataset_name(dataset) != dataset:
        shown_dataset = (dataset, dataset_name(dataset))
    return Names(tuple(renamed), shown_tables, shown_paths, columns, extra, shown_dataset)


def _previous_names(previous: Mapping[str, Any] | None) -> Iterable[str]:
    if not previous:
        return
    for table in previous.get("tables") or []:
        yield from str(table.get("name", "")).replace(":", "/").split("/")
        yield str(table.get("name", ""))
        for column in table.get("columns") or []:
            yield str(column.get("name", ""))
    yield from ((previous.get("label") or {}).get("classes") or {})
    for entry in previous.get("files") or []:
        yield from str(entry.get("path", "")).split("/")
