"""Names of things as shared: placeholders for names that hold personal data, and visible control characters.

A column, file, folder, sheet, table or label class whose NAME holds personal data (an email
address as a column header, a person's name as a sheet) is shown as a stable placeholder in every
shareable file: ``column_7`` (its 1-based position in its table), ``file_3.csv`` (its position in
the sorted file list, extension kept), ``folder_2``, ``sheet_2`` (its position in the workbook),
``class_4`` (its position among the label's classes, largest first). The same input gives the
same placeholders run after run. The real names stay in ``internal/names.json``.

``Names`` is built from the audit's inputs by placeholders.build (before scoring, so the ``pii``
findings it adds are scored) and applied to every string of the document right before
readiness.json is written: structured fields by their table, free text (messages, details,
reasons, ids) by word-bounded replacement, longest name first. Category examples are masked like
free text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from readiness.base.files import copy_json
from readiness.models import Finding
from readiness.profile import pii
from readiness.settings import ShareSettings

# shown as \x1b or \u202e: C0 and C1 controls, DEL, bidi embeddings, overrides, isolates and marks
# (zero-width joiners, U+200C and U+200D, are fine: scripts need them)
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# one short word or a short number: no kind of personal data fits (the check is 0.5 ms a value)
PLAIN_VALUE = re.compile(r"[A-Za-z]{1,12}|[-+]?\d{1,6}(?:\.\d{1,6})?")


# --- showing text ------------------------------------------------------------------------------------


def visible(text: str) -> str:
    """Client text with every control character written out (``\\x1b``, ``\\u202e``): a name or a
    value can then neither move a terminal's cursor nor reverse the text around it."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)


@lru_cache(maxsize=65536)
def mask_value(text: str) -> str:
    """A value shown as an example (a category, a label class): personal data in it masked as in
    free text (``[email]``), and a value that is a person's name masked whole."""
    if PLAIN_VALUE.fullmatch(text):
        return text
    masked = pii.mask(text)
    kind = pii.name_kind(masked)
    return f"[{kind}]" if kind else masked


# details made by the tool from masked values, never from names: a shape's ``word`` or ``d`` is no
# column named so (shapes.py), and renaming or hiding a name must leave it as it is
VERBATIM_KEYS = frozenset({"shapes"})


def map_strings(value: Any, fix: Callable[[str], str]) -> Any:
    """``value`` (JSON-like) with ``fix`` applied to every string in it, dictionary keys included
    (the values under VERBATIM_KEYS left as they are)."""
    if isinstance(value, str):
        return fix(value)
    if isinstance(value, dict):
        return {fix(k) if isinstance(k, str) else k: v if k in VERBATIM_KEYS else map_strings(v, fix)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [map_strings(v, fix) for v in value]
    return value


def replacer(mapping: Mapping[str, str]) -> Callable[[str], str]:
    """Replace whole-word occurrences of each key, longest first, in one pass. A function is the
    replacement, so a backslash in a shown name is literal (``\\1``, ``\\g<0>``)."""
    pairs = {k: v for k, v in mapping.items() if k and k != v}
    if not pairs:
        return lambda text: text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True))
                         + r")(?!\w)")
    return lambda text: pattern.sub(lambda m: pairs[m.group()], text)


def dataset_name(name: str) -> str:
    """The dataset's name as shown (and as its run folder is named): a name holding personal data
    becomes ``dataset-`` and 8 hex digits of its hash, the same every run."""
    if pii.name_kind(name) is None:
        return name
    return "dataset-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]


# --- the placeholders of one audit -------------------------------------------------------------------


@dataclass(frozen=True)
class Renamed:
    """One name that holds personal data and the placeholder shown instead."""

    thing: str  # column | file | folder | sheet | table | class
    real: str
    shown: str
    kind: str  # the kind of personal data (email, payment_card, person_name, ...)
    table: str | None = None  # the table (real name) of a column, sheet or label class
    column: str | None = None  # the label column of a class
    path: str | None = None  # the file or folder (real path) of a file or folder name
    count: int = 1  # rows carrying a label class


@dataclass(frozen=True)
class Names:
    """The placeholders of one audit, and how they are applied to what is shared."""

    renamed: tuple[Renamed, ...] = ()
    tables: Mapping[str, str] = field(default_factory=dict)  # real table name -> shown (all tables)
    paths: Mapping[str, str] = field(default_factory=dict)  # real path -> shown (changed ones)
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # table -> column -> shown
    extra: Mapping[str, str] = field(default_factory=dict)  # more text to replace (slugs, patterns, old names)
    dataset: tuple[str, str] | None = None  # (real, shown) when the dataset's name holds personal data

    @property
    def empty(self) -> bool:
        return not (self.renamed or self.extra or self.dataset)

    @cached_property
    def _global(self) -> dict[str, str]:
        mapping: dict[str, str] = dict(self.extra)
        for item in reversed(self.renamed):  # the first table's column wins a name shared by several
            mapping[item.real] = item.shown
        mapping.update(self.paths)
        mapping.update({k: v for k, v in self.tables.items() if k != v})
        if self.dataset:
            mapping[self.dataset[0]] = self.dataset[1]
        return mapping

    @cached_property
    def text(self) -> Callable[[str], str]:
        """Free text with every name that holds personal data replaced by its placeholder."""
        return replacer(self._global)

    def text_of(self, table: str | None) -> Callable[[str], str]:
        """As ``text``, a column name of ``table`` first mapped to that table's placeholder."""
        own = self.columns.get(table or "")
        if not own:
            return self.text
        return self._table_text(table or "")

    def _table_text(self, table: str) -> Callable[[str], str]:
        cache = self.__dict__.setdefault("_per_table", {})
        if table not in cache:
            cache[table] = replacer({**self._global, **self.columns[table]})
        return cache[table]  # type: ignore[no-any-return]

    def table(self, name: str) -> str:
        return self.tables.get(name, self.text(name))

    # -- applying -----------------------------------------------------------------------------------

    def document(self, document: dict[str, Any]) -> dict[str, Any]:
        """readiness.json as shared: every name that holds personal data replaced, examples masked."""
        doc: dict[str, Any] = copy_json(document)
        for table in doc.get("tables") or []:
            for column in table.get("columns") or []:
                # categories (a range's ends are numbers or dates; masked text was masked by the profile)
                if column.get("examples") and column.get("examples_kind") not in ("range", "date layouts",
                                                                                  "masked text"):
                    column["examples"] = [mask_value(e) if isinstance(e, str) else e for e in column["examples"]]
        if self.empty:
            return doc
        out: dict[str, Any] = {}
        for key, value in doc.items():
            if key == "tables":
                out[key] = [map_strings(t, self.text_of(t.get("name"))) for t in value]
            elif key == "findings":
                out[key] = [map_strings(f, self.text_of(f.get("table"))) for f in value]
            elif key == "label" and value:
                out[key] = map_strings(value, self.text_of(value.get("table")))
            elif key == "validation" and value:
                out[key] = {**map_strings({k: v for k, v in value.items() if k != "tables"}, self.text),
                            "tables": [map_strings(t, self.text_of(t.get("table"))) for t in value.get("tables", [])]}
            else:
                out[key] = map_strings(value, self.text)
        return out

    def suite(self, suite: dict[str, Any], table: str) -> dict[str, Any]:
        """A GX suite as shared: names replaced, the strings of value sets masked."""
        shown: dict[str, Any] = map_strings(suite, self.text_of(table))
        for expectation in shown.get("expectations") or []:
            kwargs = expectation.get("kwargs") if isinstance(expectation, dict) else None
            if isinstance(kwargs, dict) and isinstance(kwargs.get("value_set"), list):
                kwargs["value_set"] = [mask_value(v) if isinstance(v, str) else v for v in kwargs["value_set"]]
        return shown

    def changes(self, changes: dict[str, Any] | None) -> dict[str, Any] | None:
        """The diff against the previous audit as shared (the history keeps the real names)."""
        if changes is None or self.empty:
            return changes
        out = map_strings(changes, self.text)
        tables = (changes.get("schema") or {}).get("tables") or {}
        out["schema"]["tables"] = {self.table(name): map_strings(change, self.text_of(name))
                                   for name, change in tables.items()}
        return dict(out)

    def share(self, share: ShareSettings) -> ShareSettings:
        """[share] settings, written with the real names, turned to the names the packet shows."""
        if self.empty:
            return share

        def key(name: str) -> str:
            if name in self.tables:
                return self.tables[name]
            for table in sorted(self.tables, key=len, reverse=True):
                if name.startswith(table + ":"):
                    return f"{self.tables[table]}:{self.text_of(table)(name[len(table) + 1:])}"
            return self.text(name)

        return ShareSettings(hide_tables=tuple(key(t) for t in share.hide_tables),
                             hide_columns=tuple(key(c) for c in share.hide_columns),
                             rename={key(k): v for k, v in share.rename.items()}, examples=share.examples)

    # -- what the client is told ----------------------------------------------------------------------

    def findings(self, rows: Mapping[str, int], data_files: int) -> list[Finding]:
        """One ``pii`` finding per name that holds personal data (one per label for its classes)."""
        out = []
        classes: dict[tuple[str, str], list[Renamed]] = {}
        for item in self.renamed:
            if item.thing == "class":
                classes.setdefault((item.table or "", item.column or ""), []).append(item)
                continue
            table = item.table if item.thing in ("column", "sheet", "table") else None
            total = rows.get(table or "", 0) if table else data_files
            if item.thing == "column":
                what = item.shown
            elif item.thing == "sheet":
                what = f"sheet {item.shown} of {self.table(item.table or '').rsplit(':', 1)[0]}"
            elif item.thing in ("file", "folder"):
                what = f"{item.thing} {self.paths.get(item.path or '', item.shown)}"
            else:
                what = f"table {item.shown}"
            shown_as = self.table(item.table) if item.thing in ("sheet", "table") and item.table else item.shown
            details: dict[str, Any] = {"kinds": [item.kind], "name_of": item.thing,
                                       "fix": f"Rename the {item.thing} at the source so its name holds no personal "
                                              "data; until then the packet shows the placeholder."}
            if table is None:
                details["path"] = item.path or item.real
            out.append(Finding(
                check="pii", severity="major", dimension="privacy", table=table,
                column=item.real if item.thing == "column" else None, count=1,
                fraction=1 / total if total else 0.0, expectation=None,
                message=f"the name of {what} holds personal data ({item.kind}); it is shown as {shown_as} in "
                        "every shared file",
                details=details, subject="name"))
        for (table, column), items in classes.items():
            count = sum(i.count for i in items)
            kinds = sorted({i.kind for i in items})
            shown = ", ".join(i.shown for i in items)
            plural = len(items) > 1
            out.append(Finding(
                check="pii", severity="major", dimension="privacy", table=table, column=column, count=count,
                fraction=count / rows[table] if rows.get(table) else 0.0, expectation=None,
                message=(f"the names of {len(items)} label classes of {column} hold" if plural
                         else f"the name of a label class of {column} holds")
                + f" personal data ({', '.join(kinds)}); {'they are' if plural else 'it is'} shown as {shown} in "
                  f"every shared file, with {'their' if plural else 'its'} counts",
                details={"kinds": kinds, "name_of": "class", "classes": {i.shown: i.count for i in items},
                         "fix": "Recode these classes at the source (ids, or names that identify nobody); until "
                                "then the packet shows the placeholders."},
                subject="class_names"))
        return out

    def internal_json(self) -> dict[str, Any]:
        """internal/names.json: how to map every placeholder back (owner-only)."""
        return {
            "note": "INTERNAL - DO NOT SHARE. The real names behind the placeholders in the shared files.",
            "dataset": None if self.dataset is None else {"real": self.dataset[0], "shown": self.dataset[1]},
            "names": [{"thing": i.thing, "shown": i.shown, "real": i.real, "kind": i.kind, "table": i.table,
                       "shown_table": self.table(i.table) if i.table else None, "column": i.column, "path": i.path}
                      for i in self.renamed],
            "paths": dict(self.paths),
        }
