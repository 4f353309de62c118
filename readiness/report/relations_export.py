"""packet.zip's relations/: the relationships the audit found, as checks a freelancer runs on the
client's database or warehouse: Great Expectations (GX 1.x) suites of ``UnexpectedRowsExpectation``
(SQL that returns the orphan child rows) and a dbt ``schema.yml`` with ``relationships`` tests,
plus ``unique`` and ``not_null`` tests on the parent keys, and a README.

Everything is built from readiness.json as the packet shows it (names as shared). SQL identifiers
are double-quoted (a double quote inside doubled); a brace is doubled too, since GX fills in
``{batch}`` with Python's str.format. A file's table is referred to by its model name (the file's
path without the extension, other characters ``_``): load it into the database under that name.
"""

from __future__ import annotations

import json
import re
from typing import Any

from readiness.base.text import slug
from readiness.profile.names import visible

DATABASE_FORMATS = frozenset({"postgresql", "postgres", "sqlite", "duckdb", "mysql"})
# a file's extension, also before a sheet's name (book.xlsx:Sheet1 -> book_Sheet1)
DATA_EXTENSION = re.compile(r"\.(?:csv|tsv|txt|json|jsonl|ndjson|parquet|pq|xlsx|xls|xlsm)(?:\.gz)?(?=$|:)", re.IGNORECASE)
GX_TYPE = "unexpected_rows_expectation"
CHILD, PARENT = "child_row", "parent_row"  # the query's table aliases: a table may refer to itself


def quote(identifier: str) -> str:
    """An SQL identifier in double quotes (standard SQL, PostgreSQL, SQLite, DuckDB; MySQL with ANSI_QUOTES)."""
    return '"' + identifier.replace('"', '""') + '"'


def _braces(sql: str) -> str:
    return sql.replace("{", "{{").replace("}", "}}")


def model_names(doc: dict[str, Any]) -> dict[str, str]:
    """Each table's model name (dbt's ``ref``, the table a file is loaded into): letters, digits
    and ``_``, unique within the dataset. A database table keeps its own name (without its schema)."""
    formats = {t["name"]: t.get("format") for t in doc.get("tables") or []}
    relations = doc.get("relations") or {}
    names = list(formats)
    for link in relations.get("relationships") or []:
        names += [link["child"], link["parent"]]
    for key in relations.get("declared") or []:  # a declared key's table may not have been read (no access)
        names += [key["table"], *([key["parent_table"]] if key.get("parent_table") else [])]
    out: dict[str, str] = {}
    taken: set[str] = set()
    for table in dict.fromkeys(names):
        if formats.get(table) in DATABASE_FORMATS:
            base = table.rsplit(":", 1)[-1].rsplit(".", 1)[-1]
        else:
            base = "/".join(DATA_EXTENSION.sub("", part) for part in table.split("/"))
        base = re.sub(r"[^A-Za-z0-9_]", "_", base).strip("_") or "table"
        base = "t_" + base if base[0].isdigit() else base
        name, number = base, 2
        while name.lower() in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name.lower())
        out[table] = name
    return out


def sql_names(doc: dict[str, Any]) -> dict[str, str]:
    """How the SQL refers to each table: a database table by its (schema-qualified) name, a file's
    table by its model name."""
    formats = {t["name"]: t.get("format") for t in doc.get("tables") or []}
    models = model_names(doc)
    out = {}
    for table, model in models.items():
        if formats.get(table) in DATABASE_FORMATS:
            out[table] = ".".join(quote(part) for part in table.rsplit(":", 1)[-1].split(".", 1))
        else:
            out[table] = quote(model)
    return out


def orphan_query(link: dict[str, Any], parent_sql: str) -> str:
    """The child rows whose key (no part missing) has no parent row: a LEFT JOIN to the parent
    WHERE the parent's key IS NULL. ``{batch}`` is the child table (GX fills it in)."""
    pairs = list(zip(link["child_columns"], link["parent_columns"], strict=True))
    joined = " AND ".join(f"{CHILD}.{quote(c)} = {PARENT}.{quote(p)}" for c, p in pairs)
    keyed = " AND ".join(f"{CHILD}.{quote(c)} IS NOT NULL" for c, _ in pairs)
    sql = (f"SELECT {CHILD}.* FROM {{batch}} AS {CHILD} LEFT JOIN {_braces(parent_sql)} AS {PARENT} ON "
           f"{_braces(joined)} WHERE {PARENT}.{_braces(quote(pairs[0][1]))} IS NULL AND {_braces(keyed)}")
    return sql


def gx_suites(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One GX 1.x suite per child table (a suite runs on one batch: the child table), one
    UnexpectedRowsExpectation per relationship: file name -> suite."""
    relations = doc.get("relations") or {}
    names, models = sql_names(doc), model_names(doc)
    suites: dict[str, dict[str, Any]] = {}
    for link in relations.get("relationships") or []:
        child = link["child"]
        file_name = f"{slug(models[child])}.json"
        suite = suites.setdefault(file_name, {
            "name": f"relations: {child}", "expectations": [],
            "meta": {"generated_by": "readiness", "table": child, "batch": names[child],
                     "note": "Run on a batch of the child table; each query returns its orphan rows."}})
        suite["expectations"].append({
            "type": GX_TYPE,
            "kwargs": {"unexpected_rows_query": orphan_query(link, names[link["parent"]])},
            "meta": {"readiness": {"check": "orphan_rows", "child": child, "child_columns": link["child_columns"],
                                   "parent": link["parent"], "parent_columns": link["parent_columns"],
                                   "declared": link["declared"], "orphan_rows": link["orphan_rows"]}},
            "description": f"Every {', '.join(link['child_columns'])} of {child} has a row in {link['parent']} "
                           f"({link['orphan_rows']:,} orphan rows in the audit).",
        })
    return suites


def _column(name: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name}
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        entry["quote"] = True  # dbt quotes the column in its tests' SQL
    entry["data_tests"] = []
    return entry


def _field(name: str) -> str:
    """A relationships test's ``field``: dbt writes it into the SQL as it is, so quoted when needed."""
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else quote(name)


def dbt_schema(doc: dict[str, Any]) -> dict[str, Any]:
    """dbt's schema.yml (as data): a ``relationships`` test per single-column relationship, ``unique``
    and ``not_null`` on each parent key (dbt_utils.unique_combination_of_columns for a
    two-column key). Two-column relationships are in the GX suites only (dbt has no built-in test)."""
    relations = doc.get("relations") or {}
    models = model_names(doc)
    columns: dict[str, dict[str, dict[str, Any]]] = {}
    model_tests: dict[str, list[Any]] = {}

    def test(table: str, column: str, item: Any) -> None:
        entry = columns.setdefault(table, {}).setdefault(column, _column(column))
        if item not in entry["data_tests"]:
            entry["data_tests"].append(item)

    def parent_key(table: str, key: list[str]) -> None:
        for column in key:
            test(table, column, "not_null")
        if len(key) == 1:
            test(table, key[0], "unique")
        else:
            combination = {"dbt_utils.unique_combination_of_columns": {"combination_of_columns": list(key)}}
            if combination not in model_tests.setdefault(table, []):
                model_tests[table].append(combination)

    for link in relations.get("relationships") or []:
        parent_key(link["parent"], link["parent_columns"])
        if len(link["child_columns"]) == 1:
            test(link["child"], link["child_columns"][0],
                 {"relationships": {"to": f"ref('{models[link['parent']]}')",
                                    "field": _field(link["parent_columns"][0])}})
    for declared in relations.get("declared") or []:
        if declared["kind"] == "primary":
            parent_key(declared["table"], declared["columns"])
    tables = sorted(set(columns) | set(model_tests), key=lambda t: models[t])
    out = []
    for table in tables:
        model: dict[str, Any] = {"name": models[table], "description": f"{table} (as the audit names it)"}
        if model_tests.get(table):
            model["data_tests"] = model_tests[table]
        model["columns"] = list(columns.get(table, {}).values())
        out.append(model)
    return {"version": 2, "models": out}


def yaml_text(data: Any) -> str:
    """YAML text (PyYAML, a dependency of GX, when it is there; else JSON, which YAML reads as it is)."""
    try:
        import yaml
    except ImportError:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))


def readme(doc: dict[str, Any], suite_files: list[str]) -> str:
    """relations/README.txt: what the files check and how to run them."""
    relations = doc.get("relations") or {}
    models, names = model_names(doc), sql_names(doc)
    used = sorted({t for r in relations.get("relationships") or [] for t in (r["child"], r["parent"])}
                  | {d["table"] for d in relations.get("declared") or []})
    lines = [
        f"Relationships between the tables of {doc['dataset']['name']}",
        f"Made by readiness from audit {doc['run_id']} ({doc['finished_at'][:10]}).",
        "",
        "The audit found these child -> parent relationships (declared in the schema or inferred from the",
        "data); briefing.html draws them and counts, for each, the child rows whose key has no parent row.",
        "",
    ]
    for link in relations.get("relationships") or []:
        lines.append(f"- {link['child']} ({', '.join(link['child_columns'])}) -> {link['parent']} "
                     f"({', '.join(link['parent_columns'])}): {'declared' if link['declared'] else 'inferred'}, "
                     f"{link['orphan_rows']:,} orphan rows, {link['duplicate_parent_keys']:,} repeated parent keys")
    lines += [
        "",
        "Tables, and the name each has in these files (load a file's table into your database under it):",
        "",
        *[f"- {table}: model {models[table]}, SQL {names[table]}" for table in used],
        "",
        "Great Expectations (GX 1.x): gx/<child model>.json",
        "  One suite per child table, one UnexpectedRowsExpectation per relationship: its SQL returns the",
        "  orphan child rows, so it passes when there are none. Add a SQL data source (PostgreSQL, Snowflake,",
        "  ...), a batch definition on the child table (the suite's meta.batch), then",
        "      import json, great_expectations as gx",
        "      suite = gx.ExpectationSuite(**json.load(open('relations/gx/<file>.json')))",
        "      batch.validate(suite)  # observed_value = orphan rows",
        f"  Files: {', '.join(suite_files) if suite_files else 'none (no relationship)'}",
        "",
        "dbt (1.8 or later): schema.yml",
        "  Copy the models' entries into your project's schema.yml (model names as above) and run",
        "      dbt test",
        "  relationships tests fail on the orphan rows, unique and not_null tests on the parent keys.",
        "  A two-column key's uniqueness test needs the dbt_utils package; a two-column relationship is",
        "  checked by the GX suite only.",
        "",
        "The audit counted on the data as exported: blank text and NA tokens (NA, NULL, ...) counted as",
        "missing, CSV values compared as text. A database that keeps blanks as text, or typed the key",
        "differently, can give other counts.",
    ]
    return "\n".join(visible(line) for line in lines) + "\n"  # a name's control characters written out


def packet_files(doc: dict[str, Any]) -> dict[str, str]:
    """relations/ in packet.zip, file name -> text; nothing when there is no relationship or declared key."""
    relations = doc.get("relations") or {}
    if not (relations.get("relationships") or relations.get("declared")):
        return {}
    suites = gx_suites(doc)
    files = {f"relations/gx/{name}": json.dumps(suite, indent=2, ensure_ascii=False) + "\n"
             for name, suite in sorted(suites.items())}
    files["relations/schema.yml"] = yaml_text(dbt_schema(doc))
    files["relations/README.txt"] = readme(doc, sorted(suites))
    return files
