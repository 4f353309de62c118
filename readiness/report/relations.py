"""The keys between tables in the shared outputs: readiness.json's ``relations`` (names as shared),
the [share] section applied to it, and what the packet's relations section shows: the
entity-relationship diagram's layout (drawn as inline SVG by the template, so every name is
escaped by Jinja), the keys with their coverage, the main table's join coverage in one sentence
and one question for candidates.

The diagram is the schema only (tables, key and foreign-key columns, edges child -> parent with
their containment and orphan rows): no value from the data. Parents stand left of their children.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from readiness.models import DeclaredKey, JoinCoverage, Relations, Relationship, TableKey
from readiness.settings import ShareSettings

HIDDEN = "[hidden]"
MAX_DIAGRAM_TABLES = 40  # a database of 500 tables: the diagram shows the most related ones, the tables list all
NAME_CHARS = 34  # a longer name is cut in the diagram (the tables below it show it whole)
CHAR_WIDTH = 7.2  # px of a 12px system-font character, on the wide side so text stays inside its box
ROW, HEADER, GAP_Y, GAP_X, MARGIN = 18, 24, 22, 190, 16


def empty() -> dict[str, Any]:
    return {"keys": [], "relationships": [], "coverage": None, "declared": []}


# --- readiness.json ------------------------------------------------------------------------------------


def key_json(key: TableKey) -> dict[str, Any]:
    return {"table": key.table, "columns": list(key.columns), "declared": key.declared, "holds": key.holds,
            "duplicates": key.duplicates, "missing": key.missing, "rows": key.rows}


def relationship_json(link: Relationship) -> dict[str, Any]:
    return {
        "child": link.child, "child_columns": list(link.child_columns),
        "parent": link.parent, "parent_columns": list(link.parent_columns),
        "declared": link.declared, "containment": link.containment,
        "child_rows": link.child_rows, "keyed_rows": link.keyed_rows, "orphan_rows": link.orphan_rows,
        "parent_rows": link.parent_rows, "duplicate_parent_keys": link.duplicate_parent_keys,
        "childless_parents": link.childless_parents, "child_before_parent": link.child_before_parent,
        "timestamps": None if link.timestamps is None else list(link.timestamps),
    }


def coverage_json(coverage: JoinCoverage | None) -> dict[str, Any] | None:
    if coverage is None:
        return None
    return {"table": coverage.table, "rows": coverage.rows, "surviving": coverage.surviving,
            "joined": list(coverage.joined), "lost_by": dict(coverage.lost_by)}


def declared_json(key: DeclaredKey) -> dict[str, Any]:
    return {"kind": key.kind, "table": key.table, "columns": list(key.columns), "parent_table": key.parent_table,
            "parent_columns": list(key.parent_columns)}  # no constraint name: the schema's own words (an
            # email in a table's name lives on in its default constraint name, john@x.com_pkey)


def relations_json(relations: Relations) -> dict[str, Any]:
    """readiness.json's ``relations``: always there, empty lists (and a null coverage) when none."""
    return {"keys": [key_json(k) for k in relations.keys],
            "relationships": [relationship_json(r) for r in relations.relationships],
            "coverage": coverage_json(relations.coverage),
            "declared": [declared_json(d) for d in relations.declared]}


def shown(relations: dict[str, Any] | None, names: Any) -> dict[str, Any]:
    """``relations`` as shared: each table's name and each column's name (read as a column of its
    own table) through the audit's placeholders (profile.names.Names), like every other name."""
    if not relations:
        return empty()
    return _renamed(relations, names.table, lambda table, column: names.text_of(table)(column), names.text)


def _renamed(relations: dict[str, Any], table_name: Callable[[str], str], column_name: Callable[[str, str], str],
             text: Callable[[str], str]) -> dict[str, Any]:
    def columns(table: str, names: list[str]) -> list[str]:
        return [column_name(table, c) for c in names]

    keys = [{**k, "table": table_name(k["table"]), "columns": columns(k["table"], k["columns"])}
            for k in relations.get("keys") or []]
    links = []
    for link in relations.get("relationships") or []:
        stamps = link.get("timestamps")
        links.append({**link, "child": table_name(link["child"]), "parent": table_name(link["parent"]),
                      "child_columns": columns(link["child"], link["child_columns"]),
                      "parent_columns": columns(link["parent"], link["parent_columns"]),
                      "timestamps": None if not stamps else [column_name(link["child"], stamps[0]),
                                                             column_name(link["parent"], stamps[1])]})
    coverage = relations.get("coverage")
    if coverage:
        lost_by: dict[str, int] = {}
        for table, lost in coverage["lost_by"].items():  # two hidden tables are both "[hidden]"
            lost_by[table_name(table)] = lost_by.get(table_name(table), 0) + lost
        coverage = {**coverage, "table": table_name(coverage["table"]),
                    "joined": list(dict.fromkeys(table_name(t) for t in coverage["joined"])), "lost_by": lost_by}
    declared = [{**d, "table": table_name(d["table"]), "columns": columns(d["table"], d["columns"]),
                 "parent_table": None if d.get("parent_table") is None else table_name(d["parent_table"]),
                 "parent_columns": columns(d.get("parent_table") or "", d.get("parent_columns") or [])}
                for d in relations.get("declared") or []]
    return {"keys": keys, "relationships": links, "coverage": coverage, "declared": declared}


def redacted(relations: dict[str, Any] | None, share: ShareSettings) -> dict[str, Any]:
    """``relations`` as the packet shows it: a key, relationship or declared key on a hidden table
    or column left out, the rest renamed as [share] says. A hidden table the main table is joined
    with stays in the coverage's numbers, named ``[hidden]``."""
    if not relations:
        return empty()
    hidden_tables = set(share.hide_tables)

    def hidden(table: str | None, columns: list[str]) -> bool:
        return table is not None and (table in hidden_tables or any(share.column_hidden(table, c) for c in columns))

    links = []
    for link in relations.get("relationships") or []:
        if hidden(link["child"], link["child_columns"]) or hidden(link["parent"], link["parent_columns"]):
            continue
        stamps = link.get("timestamps")
        if stamps and (hidden(link["child"], stamps[:1]) or hidden(link["parent"], stamps[1:])):
            link = {**link, "timestamps": None, "child_before_parent": None}  # compared a hidden column
        links.append(link)
    kept: dict[str, Any] = {
        "keys": [k for k in relations.get("keys") or [] if not hidden(k["table"], k["columns"])],
        "relationships": links,
        "declared": [d for d in relations.get("declared") or []
                     if not hidden(d["table"], d["columns"]) and not hidden(d.get("parent_table"),
                                                                          d.get("parent_columns") or [])],
        "coverage": relations.get("coverage"),
    }
    coverage = kept["coverage"]
    if coverage and coverage["table"] in hidden_tables:
        kept["coverage"] = None

    def table_name(table: str) -> str:
        return HIDDEN if table in hidden_tables else share.table_name(table)

    return _renamed(kept, table_name, share.column_name, lambda text: text)


# --- what the packet shows ---------------------------------------------------------------------------


def share_text(part: int, whole: int) -> str:
    """A share as a percentage with one decimal (``-`` of nothing)."""
    return fraction_text(part / whole) if whole else "-"


def fraction_text(fraction: float) -> str:
    """A fraction as a percentage with one decimal that never reads 100.0% (or 0.0%) when it is not."""
    shown_value = f"{fraction * 100:.1f}"
    if fraction < 1 and shown_value == "100.0":
        return "99.9%"
    if fraction > 0 and shown_value == "0.0":
        return "<0.1%"
    return shown_value + "%"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def coverage_line(relations: dict[str, Any]) -> str | None:
    """The main table's join coverage in one plain sentence, or None when it joins nothing."""
    coverage = relations.get("coverage")
    if not coverage or not coverage.get("joined") or not coverage.get("rows"):
        return None
    line = (f"{coverage['surviving']:,} of {coverage['rows']:,} {coverage['table']} rows "
            f"({share_text(coverage['surviving'], coverage['rows'])}) survive joining {_and(coverage['joined'])}.")
    lost = sorted(((t, n) for t, n in (coverage.get("lost_by") or {}).items() if n), key=lambda item: (-item[1], item[0]))
    if lost and len(coverage["joined"]) > 1:
        line += " Joined alone, " + _and([f"{t} loses {n:,}" for t, n in lost]) + "."
    return line


def question(relations: dict[str, Any]) -> str | None:
    """One question for candidates when child rows have no parent or a parent key repeats."""
    links = relations.get("relationships") or []
    orphaned = max(links, key=lambda r: (r["orphan_rows"], r["child"], r["parent"]), default=None)
    repeated = max(links, key=lambda r: (r["duplicate_parent_keys"], r["parent"], r["child"]), default=None)
    if orphaned and orphaned["orphan_rows"]:
        text = (f"How would you handle the {orphaned['orphan_rows']:,} {orphaned['child']} rows whose "
                f"{', '.join(orphaned['child_columns'])} has no match in {orphaned['parent']}?")
        if repeated and repeated["duplicate_parent_keys"]:
            text += (f" And the {repeated['duplicate_parent_keys']:,} {repeated['parent']} rows that repeat a "
                     f"{', '.join(repeated['parent_columns'])} already seen, when you join?")
        return text
    if repeated and repeated["duplicate_parent_keys"]:
        return (f"{repeated['duplicate_parent_keys']:,} {repeated['parent']} rows repeat a "
                f"{', '.join(repeated['parent_columns'])} already seen: which row would you join "
                f"{repeated['child']} to, and how would you check it?")
    return None


def _cut(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1] + "\u2026"


def _levels(tables: list[str], links: list[dict[str, Any]]) -> dict[str, int]:
    """Each table's column in the diagram: 0 for a table with no parent, else one right of its
    rightmost parent (a cycle stops growing after as many rounds as there are tables)."""
    level = dict.fromkeys(tables, 0)
    for _ in range(len(tables)):
        changed = False
        for link in links:
            if link["child"] != link["parent"] and level[link["child"]] < level[link["parent"]] + 1 <= len(tables):
                level[link["child"]] = level[link["parent"]] + 1
                changed = True
        if not changed:
            break
    return level


def _table_columns(relations: dict[str, Any], links: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """Each diagram table's rows: its key columns (PK) and foreign-key columns (FK), keys first."""
    marks: dict[str, dict[str, set[str]]] = {}

    def mark(table: str, columns: list[str], what: str) -> None:
        for column in columns:
            marks.setdefault(table, {}).setdefault(column, set()).add(what)

    by_table: dict[str, list[dict[str, Any]]] = {}
    for key in relations.get("keys") or []:
        by_table.setdefault(key["table"], []).append(key)
    drawn = {t for link in links for t in (link["child"], link["parent"])}
    drawn |= {t for d in relations.get("declared") or [] for t in (d["table"], d.get("parent_table")) if t}
    for table, keys in by_table.items():
        if table not in drawn:
            continue  # a table that refers to nothing and that nothing refers to: only in the keys table
        chosen = next((k for k in keys if k["declared"]), None) or next((k for k in keys if k["holds"]), None)
        if chosen:
            mark(table, chosen["columns"], "PK")
    for declared in relations.get("declared") or []:
        mark(declared["table"], declared["columns"], "FK" if declared["kind"] == "foreign" else "PK")
        if declared.get("parent_table"):
            mark(declared["parent_table"], declared.get("parent_columns") or [], "PK")
    for link in links:
        mark(link["parent"], link["parent_columns"], "PK")
        mark(link["child"], link["child_columns"], "FK")
    out = {}
    for table, columns in marks.items():
        ordered = sorted(columns.items(), key=lambda item: ("PK" not in item[1], item[0]))
        out[table] = [(" ".join(sorted(kinds, key=lambda k: k != "PK")), column) for column, kinds in ordered]
    return out


def diagram(relations: dict[str, Any]) -> dict[str, Any] | None:
    """The entity-relationship diagram's layout: boxes (x, y, width, height, name, rows) and edges
    (an SVG path, an arrowhead at the parent, a label), in pixels; None when there is nothing to draw."""
    links = list(relations.get("relationships") or [])
    columns = _table_columns(relations, links)
    degree: dict[str, int] = dict.fromkeys(columns, 0)
    for link in links:
        degree[link["child"]] += 1
        degree[link["parent"]] += 1
    tables = sorted(columns, key=lambda t: (-degree[t], t))[:MAX_DIAGRAM_TABLES]
    if not tables:
        return None
    drawn = set(tables)
    links = [r for r in links if r["child"] in drawn and r["parent"] in drawn]
    level = _levels(tables, links)
    boxes: dict[str, dict[str, Any]] = {}
    x = float(MARGIN)
    height = 0.0
    for column_index in sorted(set(level.values())):
        members = [t for t in tables if level[t] == column_index]

        def parents_y(table: str) -> float:  # children sit near their parents: fewer crossing edges
            ys = [boxes[r["parent"]]["y"] for r in links if r["child"] == table and r["parent"] in boxes]
            return sum(ys) / len(ys) if ys else 0.0

        members.sort(key=lambda t: (parents_y(t), t))
        widths = [max(120.0, 16 + CHAR_WIDTH * max([len(_cut(t)) + 1] + [len(k) + 1 + len(_cut(c))
                                                                           for k, c in columns[t]]))
                  for t in members]
        width = min(max(widths), 320.0)
        y = float(MARGIN)
        for table in members:
            rows = [{"mark": k, "name": _cut(c), "full": c, "y": y + HEADER + ROW * (i + 1) - 5}
                    for i, (k, c) in enumerate(columns[table])]
            box_height = HEADER + ROW * len(rows) + 6
            boxes[table] = {"name": _cut(table), "full": table, "x": x, "y": y, "width": width,
                            "height": box_height, "header": y + 17, "rows": rows}
            y += box_height + GAP_Y
        height = max(height, y)
        x += width + GAP_X
    edges = [_edge(link, boxes) for link in links]
    width = x - GAP_X + MARGIN + (60 if any(r["child"] == r["parent"] for r in links) else 0)
    return {"width": round(width), "height": round(height - GAP_Y + MARGIN), "boxes": list(boxes.values()), "edges": edges,
            "left_out": len(columns) - len(tables)}


def _row_y(box: dict[str, Any], columns: list[str]) -> float:
    for row in box["rows"]:
        if row["full"] in columns:
            return float(row["y"]) - 4
    return float(box["y"]) + HEADER / 2


def _edge(link: dict[str, Any], boxes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    child, parent = boxes[link["child"]], boxes[link["parent"]]
    y1, y2 = _row_y(child, link["child_columns"]), _row_y(parent, link["parent_columns"])
    orphans = link["orphan_rows"]
    label = f"{fraction_text(link['containment'])}, {orphans:,} orphan{'s' if orphans != 1 else ''}"
    title = (f"{link['child']} ({', '.join(link['child_columns'])}) -> {link['parent']} "
             f"({', '.join(link['parent_columns'])}): {'declared' if link['declared'] else 'inferred'}, "
             f"{label}")
    if link["child"] == link["parent"]:  # a table referring to itself: a loop on its right side
        right = child["x"] + child["width"]
        path = f"M{right:.1f},{y1:.1f} C{right + 46:.1f},{y1:.1f} {right + 46:.1f},{y2:.1f} {right:.1f},{y2:.1f}"
        x2, label_x, label_y, anchor = right, child["x"] + 4, child["y"] + child["height"] + 13, "start"  # below
    else:
        x1, x2 = child["x"], parent["x"] + parent["width"]
        bend = max(40.0, abs(x1 - x2) / 2)
        path = f"M{x1:.1f},{y1:.1f} C{x1 - bend:.1f},{y1:.1f} {x2 + bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        label_x, label_y, anchor = x1 - 6, y1 - 5, "end"
    return {"path": path, "arrow": f"{x2:.1f},{y2:.1f} {x2 + 9:.1f},{y2 - 4.5:.1f} {x2 + 9:.1f},{y2 + 4.5:.1f}",
            "label": label, "label_x": round(label_x, 1), "label_y": round(label_y, 1), "anchor": anchor,
            "declared": link["declared"], "orphans": orphans, "title": title}


def view(doc: dict[str, Any]) -> dict[str, Any] | None:
    """What the packet's relations section shows (``doc``: readiness.json as the packet shows it),
    or None when there is no relationship and no declared key."""
    relations = doc.get("relations") or empty()
    if not (relations["relationships"] or relations["declared"]):
        return None
    links = []
    for link in relations["relationships"]:
        links.append({**link, "containment_text": fraction_text(link["containment"]),
                      "orphan_share": share_text(link["orphan_rows"], link["keyed_rows"])})
    return {"diagram": diagram(relations), "relationships": links, "keys": relations["keys"],
            "declared": relations["declared"],
            "coverage_line": coverage_line(relations)}
