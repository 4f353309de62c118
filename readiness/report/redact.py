"""The [share] section applied: readiness.json and the GX suites as the packet shows them, with
tables and columns hidden or renamed everywhere they are named."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from readiness.base.files import copy_json
from readiness.profile.names import map_strings, replacer
from readiness.report import relations, verdict
from readiness.settings import ShareSettings


def redact(document: dict[str, Any], share: ShareSettings) -> dict[str, Any]:
    """readiness.json as the packet shows it: [share] hides and renames applied everywhere."""
    doc = copy_json(document)
    hidden_tables = set(share.hide_tables)
    renames: dict[str, str] = {}
    tables = []
    for table in doc["tables"]:
        name = table["name"]
        if name in hidden_tables:
            continue
        table["name"] = share.table_name(name)
        table["source"] = share.table_name(table.get("source", name))
        renames[name] = table["name"]
        columns = []
        for column in table["columns"]:
            if share.column_hidden(name, column["name"]):
                continue
            shown = share.column_name(name, column["name"])
            renames[column["name"]] = shown
            column["name"] = shown
            if not share.examples:
                column["examples"], column["examples_kind"] = [], None
            columns.append(column)
        table["columns"] = columns
        if table.get("time"):
            table["time"] = {share.column_name(name, c): v for c, v in table["time"].items()
                             if not share.column_hidden(name, c)}
        tables.append(table)
    doc["tables"] = tables
    if "relations" in doc:
        doc["relations"] = relations.redacted(doc["relations"], share)
    hidden_files = {f["path"] for f in doc["files"] if f.get("tables") and set(f["tables"]) <= hidden_tables}
    doc["files"] = [
        {**f, "path": share.table_name(f["path"]), "tables": [share.table_name(t) for t in f.get("tables", [])]}
        for f in doc["files"] if f["path"] not in hidden_files
    ]
    hidden_names = set(hidden_tables) | {c.split(":", 1)[-1] for c in share.hide_columns}
    scrub = replacer({name: "[hidden]" for name in hidden_names})
    rename = replacer(renames)  # built once: thousands of tables make thousands of names to look for
    findings = []
    for finding in doc["findings"]:
        table, column = finding.get("table"), finding.get("column")
        if table in hidden_tables or (table and column and share.column_hidden(table, column)):
            continue
        if table is None and column is not None and share.column_hidden("", column):
            continue
        finding["message"] = rename(scrub(finding["message"]))
        finding["details"] = map_strings(finding.get("details") or {}, lambda text: rename(scrub(text)))
        finding["id"] = rename(scrub(finding["id"]))  # an id may name a hidden table (a relationship's other side)
        if table:
            finding["table"] = share.table_name(table)
        if table and column:
            finding["column"] = share.column_name(table, column)
        findings.append(finding)
    doc["findings"] = findings
    label = doc.get("label")
    if label:
        if label["table"] in hidden_tables or share.column_hidden(label["table"], label["column"]):
            doc["label"] = None
        else:
            label["column"] = share.column_name(label["table"], label["column"])
            label["table"] = share.table_name(label["table"])
    validation = doc.get("validation") or {}
    kept = []
    for entry in validation.get("tables", []):
        if entry["table"] in hidden_tables:
            continue
        original = entry["table"]
        entry["table"] = share.table_name(original)
        entry["results"] = [
            {**r, "column": share.column_name(original, r["column"]) if r.get("column") else r.get("column")}
            for r in entry["results"] if not (r.get("column") and share.column_hidden(original, r["column"]))
        ]
        kept.append(entry)
    if validation:
        validation["tables"] = kept
    guess = doc.get("label_guess")
    if guess:
        def named(text: str | None) -> str | None:
            return None if text is None else rename(scrub(text))
        if guess.get("column") and share.column_hidden(label["table"] if label else "", guess["column"]):
            doc["label_guess"] = None
        else:
            doc["label_guess"] = {**guess, "column": named(guess.get("column")), "notice": named(guess.get("notice")),
                                  "candidates": [named(c) for c in guess.get("candidates") or []]}
    if "headline" in doc:
        doc["headline"] = verdict.headline(doc)  # from the findings the packet shows
    doc["dataset"]["path"] = share.rename.get(doc["dataset"]["path"], Path(doc["dataset"]["path"]).name)
    doc["volume_guidance"] = [rename(note) for note in doc.get("volume_guidance") or []
                              if not any(re.search(rf"(?<![\w]){re.escape(h)}(?![\w])", note) for h in hidden_tables)]
    return doc


def redact_suite(suite: dict[str, Any], personal_columns: set[str], share: ShareSettings | None = None,
                 table: str = "") -> dict[str, Any]:
    """A suite as shared: [share] applied, value sets on personal-data columns removed."""
    share = share or ShareSettings()
    out = dict(suite)  # copied as deep as it is changed: a folder of 10,000 tables has 10,000 suites
    out["name"] = share.table_name(table) if table else out.get("name")
    if isinstance(out.get("meta"), dict) and "table" in out["meta"]:
        out["meta"] = {**out["meta"], "table": share.table_name(table)}
    kept = []
    for original in out.get("expectations", []):
        expectation = dict(original)
        kwargs = expectation["kwargs"] = dict(expectation.get("kwargs") or {})
        columns = [kwargs["column"]] if isinstance(kwargs.get("column"), str) else []
        if isinstance(kwargs.get("column_list"), list):
            columns += [c for c in kwargs["column_list"] if isinstance(c, str)]
            kwargs["column_list"] = [share.column_name(table, c) for c in kwargs["column_list"]
                                     if isinstance(c, str) and not share.column_hidden(table, c)]
        if any(share.column_hidden(table, c) for c in columns[:1]):
            continue
        kept.append(expectation)
        if isinstance(kwargs.get("column"), str):
            kwargs["column"] = share.column_name(table, kwargs["column"])
        if columns[:1] and columns[0] in personal_columns:
            for key in ("value_set", "regex", "regex_list", "min_value", "max_value"):
                if key in kwargs:
                    kwargs[key] = "[redacted: personal data]"
    out["expectations"] = kept
    return out
