"""The keys between tables in readiness.json and the packet: the relations section (an inline SVG
entity-relationship diagram, the keys and the join coverage), one question for candidates, and
packet.zip's relations/ (GX suites whose SQL returns the orphan rows, a dbt schema.yml).

The relations are computed here with pandas from the same frames the audit reads, and handed to
the publishing stage in place of the checking stage's (the inference is tested in tests/relations/);
one test audits the folder with nothing replaced."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
import yaml

from readiness.models import DeclaredKey, JoinCoverage, Relations, Relationship, TableKey
from readiness.pipeline import publish
from readiness.report import relations as relations_report
from readiness.report import relations_export
from readiness.report.view import questions
from tests.conftest import run_audit

ORPHANS, MISSING_KEYS, REPEATED_CUSTOMERS = 69, 11, 4
HOSTILE = "<script>alert(1)</script>"
SVG_TAGS = {"svg", "g", "title", "rect", "text", "tspan", "path", "polygon"}


def _frames(child_name: str = "orders", parent_name: str = "customers") -> tuple[pd.DataFrame, pd.DataFrame]:
    """customers: 200 ids, 4 repeated; orders: 2,500 rows, 69 referring to no customer, 11 with none;
    190 of the orders' 200 distinct keys are customers' (95%)."""
    ids = list(range(1, 201)) + [7, 8, 9, 10]
    customers = pd.DataFrame({"customer_id": ids, "signup": ["2024-01-01"] * len(ids)})
    refs: list[float | None] = [(i % 190) + 1 for i in range(2500 - ORPHANS - MISSING_KEYS)]
    refs += [9000 + i % 10 for i in range(ORPHANS)] + [None] * MISSING_KEYS  # 10 distinct keys no customer has
    orders = pd.DataFrame({"order_id": range(1, 2501), "customer_id": pd.array(refs, dtype="Int64"),
                           "label": ["yes", "no"] * 1250})
    return orders, customers


def _write(folder: Path, child: str = "orders", parent: str = "customers",
           key: str = "customer_id") -> tuple[pd.DataFrame, pd.DataFrame]:
    folder.mkdir(parents=True, exist_ok=True)
    orders, customers = _frames()
    orders.rename(columns={"customer_id": key}).to_csv(folder / f"{child}.csv", index=False)
    customers.rename(columns={"customer_id": key}).to_csv(folder / f"{parent}.csv", index=False)
    return orders, customers


def _relations(orders: pd.DataFrame, customers: pd.DataFrame, child: str = "orders.csv",
               parent: str = "customers.csv", key: str = "customer_id", declared: bool = False) -> Relations:
    """The relations as pandas counts them (the model's field comments define each number)."""
    keyed = orders["customer_id"].dropna()
    parents = set(customers["customer_id"])
    distinct = set(keyed)
    orphan_rows = int((~keyed.isin(parents)).sum())
    link = Relationship(
        child=child, child_columns=(key,), parent=parent, parent_columns=(key,), declared=declared,
        containment=len(distinct & parents) / len(distinct), child_rows=len(orders), keyed_rows=len(keyed),
        orphan_rows=orphan_rows, parent_rows=len(customers),
        duplicate_parent_keys=int(customers["customer_id"].duplicated().sum()),
        childless_parents=len(parents - distinct), child_before_parent=None)
    keys = (TableKey(parent, (key,), declared, False, int(customers["customer_id"].duplicated().sum()), 0,
                     len(customers)),
            TableKey(child, ("order_id",), declared, True, 0, 0, len(orders)))
    surviving = int(keyed.isin(parents).sum())
    coverage = JoinCoverage(child, len(orders), surviving, (parent,), {parent: len(orders) - surviving})
    declared_keys = (DeclaredKey("primary", parent, (key,), name="customers_pkey"),
                     DeclaredKey("foreign", child, (key,), parent, (key,), "orders_customer_fkey")) if declared else ()
    return Relations(keys=keys, relationships=(link,), coverage=coverage, declared=declared_keys)


@pytest.fixture
def with_relations(monkeypatch):
    """Audit with the given relations in place of the checking stage's."""
    original = publish.published

    def use(relations: Relations) -> None:
        def published(request, baseline, read, checked, *rest):
            return original(request, baseline, read, replace(checked, relations=relations), *rest)
        monkeypatch.setattr(publish, "published", published)
    return use


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names, self.handlers, self.links = set(), [], []

    def handle_starttag(self, tag, attrs):
        self.names.add(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "xlink:href", "action", "data"):
                self.links.append(value or "")


def _svg(html: str) -> ElementTree.Element:
    found = re.search(r"<svg class=\"er\".*?</svg>", html, re.DOTALL)
    assert found, "no diagram"
    return ElementTree.fromstring(found.group())


def _run(tmp_path: Path, data: Path, **options) -> tuple[dict, Path]:
    document = run_audit(data, tmp_path / "out", **options)
    return document, next((tmp_path / "out").glob(f"*/{document['run_id']}"))


def test_relations_reach_readiness_json_the_packet_and_the_zip(tmp_path, with_relations):
    orders, customers = _write(tmp_path / "shop")
    relations = _relations(orders, customers)
    with_relations(relations)
    document, run_dir = _run(tmp_path, tmp_path / "shop", label="label")

    # readiness.json: every field of the model, the counts as pandas made them
    [link] = document["relations"]["relationships"]
    assert link["orphan_rows"] == ORPHANS and link["keyed_rows"] == 2500 - MISSING_KEYS
    assert link["duplicate_parent_keys"] == REPEATED_CUSTOMERS and link["childless_parents"] == 10
    assert link == relations_report.relationship_json(relations.relationships[0])
    assert document["relations"]["coverage"] == {"table": "orders.csv", "rows": 2500, "surviving": 2420,
                                                 "joined": ["customers.csv"], "lost_by": {"customers.csv": 80}}
    assert [k["table"] for k in document["relations"]["keys"]] == ["customers.csv", "orders.csv"]

    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    assert '<section id="relations">' in html
    assert html.index('<section id="dictionary">') < html.index('<section id="relations">') \
        < html.index('<section id="labels">')
    # the join coverage in one plain sentence, from the model's numbers
    assert "2,420 of 2,500 orders.csv rows (96.8%) survive joining customers.csv." in html
    svg = _svg(html)
    assert {element.tag for element in svg.iter()} <= SVG_TAGS
    texts = ["".join(t.itertext()) for t in svg.iter("text")]
    assert "orders.csv" in texts and "customers.csv" in texts
    assert "PK customer_id" in texts and "FK customer_id" in texts and "PK order_id" in texts
    assert f"95.0%, {ORPHANS} orphans" in texts  # 190 of the 200 distinct keys
    # parents left of their children
    boxes = {g.find("title").text: float(g.find("rect").get("x")) for g in svg.iter("g") if g.get("class") == "er-table"}
    assert boxes["customers.csv"] < boxes["orders.csv"]
    assert not re.search(r"https?:|url\(|href|@import|<script", html[html.index('<svg class="er"'):
                                                                   html.index("</svg>", html.index('<svg class="er"'))])
    # one question, with the counts
    question = (f"How would you handle the {ORPHANS} orders.csv rows whose customer_id has no match in customers.csv? "
                f"And the {REPEATED_CUSTOMERS} customers.csv rows that repeat a customer_id already seen, when you join?")
    assert question in html.replace("&#39;", "'")
    for name in ("briefing.md", "briefing.txt"):
        text = (run_dir / name).read_text(encoding="utf-8")
        assert "How the tables join" in text or "HOW THE TABLES JOIN" in text
        assert "2,420 of 2,500 orders.csv rows (96.8%) survive joining customers.csv." in text.replace("\n", " ")
        assert f"{ORPHANS} orders.csv rows whose customer" in text.replace("\n", " ")

    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        names = set(archive.namelist())
        assert {"relations/README.txt", "relations/schema.yml", "relations/gx/orders.json"} <= names
        suite = json.loads(archive.read("relations/gx/orders.json"))
        schema = yaml.safe_load(archive.read("relations/schema.yml"))
        readme = archive.read("relations/README.txt").decode()
    [expectation] = suite["expectations"]
    assert expectation["type"] == "unexpected_rows_expectation"
    assert suite["meta"]["table"] == "orders.csv" and "model orders" in readme
    # the SQL runs on a real database built from the same frames and finds exactly the orphan rows
    with sqlite3.connect(tmp_path / "shop.db") as connection:
        orders.to_sql("orders", connection, index=False)
        customers.to_sql("customers", connection, index=False)
        query = expectation["kwargs"]["unexpected_rows_query"]
        rows = connection.execute(query.format(batch='"orders"')).fetchall()
    assert len(rows) == ORPHANS == link["orphan_rows"]
    # dbt: a relationships test on the child column, unique and not_null on the parent key
    models = {m["name"]: m for m in schema["models"]}
    [child_column] = models["orders"]["columns"]
    assert child_column["data_tests"] == [{"relationships": {"to": "ref('customers')", "field": "customer_id"}}]
    assert models["customers"]["columns"][0]["data_tests"] == ["not_null", "unique"]


def test_the_audit_finds_the_relationship_and_its_sql_finds_the_orphans(tmp_path):
    """Nothing replaced: the checking stage infers the relationship; the packet exports it."""
    orders, customers = _write(tmp_path / "shop")
    document, run_dir = _run(tmp_path, tmp_path / "shop", label="label")
    links = [r for r in document["relations"]["relationships"]
             if (r["child"], r["child_columns"], r["parent"]) == ("orders.csv", ["customer_id"], "customers.csv")]
    assert len(links) == 1, document["relations"]["relationships"]
    [link] = links
    expected = relations_report.relationship_json(_relations(orders, customers).relationships[0])
    assert {k: link[k] for k in ("orphan_rows", "keyed_rows", "child_rows", "parent_rows", "duplicate_parent_keys",
                                 "childless_parents")} \
        == {k: expected[k] for k in ("orphan_rows", "keyed_rows", "child_rows", "parent_rows",
                                     "duplicate_parent_keys", "childless_parents")}
    assert link["orphan_rows"] == ORPHANS and link["duplicate_parent_keys"] == REPEATED_CUSTOMERS
    assert link["containment"] == pytest.approx(0.95)
    coverage = document["relations"]["coverage"]
    assert coverage["table"] == "orders.csv" and coverage["surviving"] == 2500 - ORPHANS - MISSING_KEYS
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    assert f"{2500 - ORPHANS - MISSING_KEYS:,} of 2,500 orders.csv rows" in html
    assert f"{ORPHANS} orders.csv rows whose customer_id has no match in customers.csv" in html
    _svg(html)
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        suite = json.loads(archive.read("relations/gx/orders.json"))
    [query] = [e["kwargs"]["unexpected_rows_query"] for e in suite["expectations"]
               if e["meta"]["readiness"]["parent"] == "customers.csv"]
    with sqlite3.connect(tmp_path / "shop.db") as connection:
        orders.to_sql("orders", connection, index=False)
        customers.to_sql("customers", connection, index=False)
        assert len(connection.execute(query.format(batch='"orders"')).fetchall()) == ORPHANS


def test_gx_accepts_the_suite_and_odd_names_are_quoted(tmp_path):
    """Names with quotes, braces and spaces: quoted for SQL and YAML, braces doubled for GX's {batch}."""
    from great_expectations.core.expectation_suite import ExpectationSuite

    child, parent, key = 'or"d{e}rs', "cust omers", 'cust"id {x}'
    orders, customers = _frames()
    relations = _relations(orders, customers, f"{child}.csv", f"{parent}.csv", key)
    doc = {"dataset": {"name": "odd"}, "run_id": "r", "finished_at": "2026-01-01T00:00:00Z",
           "tables": [{"name": f"{child}.csv", "format": "csv"}, {"name": f"{parent}.csv", "format": "csv"}],
           "relations": relations_report.relations_json(relations)}
    files = relations_export.packet_files(doc)
    models = relations_export.model_names(doc)
    assert models == {f"{child}.csv": "or_d_e_rs", f"{parent}.csv": "cust_omers"}
    suite = json.loads(files["relations/gx/or_d_e_rs.json"])
    loaded = ExpectationSuite(**suite)  # as the README says; GX checks the query's braces
    assert type(loaded.expectations[0]).__name__ == "UnexpectedRowsExpectation"
    query = suite["expectations"][0]["kwargs"]["unexpected_rows_query"]
    with sqlite3.connect(tmp_path / "odd.db") as connection:
        orders.rename(columns={"customer_id": key}).to_sql("or_d_e_rs", connection, index=False)
        customers.rename(columns={"customer_id": key}).to_sql("cust_omers", connection, index=False)
        assert len(connection.execute(query.format(batch='"or_d_e_rs"')).fetchall()) == ORPHANS
    schema = yaml.safe_load(files["relations/schema.yml"])
    column = schema["models"][0]["columns"][0]
    assert column["name"] == key and column["quote"] is True
    [test] = [t for m in schema["models"] for c in m["columns"] for t in c["data_tests"] if isinstance(t, dict)]
    assert test == {"relationships": {"to": "ref('cust_omers')", "field": '"cust""id {x}"'}}


def test_no_section_and_no_relations_folder_without_relationships(tmp_path):
    orders, _ = _frames()
    (tmp_path / "one").mkdir()
    orders.to_csv(tmp_path / "one" / "orders.csv", index=False)
    document, run_dir = _run(tmp_path, tmp_path / "one", label="label")
    assert document["relations"] == {"keys": [], "relationships": [], "coverage": None, "declared": []}
    for name in ("briefing.html", "briefing.md", "briefing.txt"):
        text = (run_dir / name).read_text(encoding="utf-8")
        assert 'id="relations"' not in text and "How the tables join" not in text and "HOW THE TABLES" not in text
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        assert not [n for n in archive.namelist() if n.startswith("relations/")]


def test_declared_keys_alone_make_the_section(tmp_path, with_relations):
    orders, customers = _write(tmp_path / "db")
    relations = Relations(declared=(DeclaredKey("primary", "customers.csv", ("customer_id",), name="pk"),))
    with_relations(relations)
    document, run_dir = _run(tmp_path, tmp_path / "db", label="label")
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    assert '<section id="relations">' in html and 'data-testid="declared"' in html
    assert "PK customer_id" in ["".join(t.itertext()) for t in _svg(html).iter("text")]
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        schema = yaml.safe_load(archive.read("relations/schema.yml"))
        assert not [n for n in archive.namelist() if n.startswith("relations/gx/")]
    assert schema["models"][0]["columns"][0]["data_tests"] == ["not_null", "unique"]


def test_hostile_table_and_column_names_stay_text(tmp_path, with_relations):
    child, key = HOSTILE, '"><svg onload=alert(1)>'
    orders, customers = _write(tmp_path / "x", child=child.replace("/", "_"), key=key)
    child_table = f"{child.replace('/', '_')}.csv"
    relations = _relations(orders, customers, child_table, "customers.csv", key)
    with_relations(relations)
    document, run_dir = _run(tmp_path, tmp_path / "x", label="label")
    assert document["relations"]["relationships"][0]["child"] == child_table
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    tags = Tags()
    tags.feed(html)
    assert "script" not in tags.names and not tags.handlers
    assert all(link.startswith("#") for link in tags.links)
    svg = _svg(html)  # well-formed although the names are markup
    assert {element.tag for element in svg.iter()} <= SVG_TAGS
    texts = ["".join(t.itertext()) for t in svg.iter("text")]
    assert relations_report._cut(child_table) in texts and f"FK {key}" in texts
    markdown = (run_dir / "briefing.md").read_text(encoding="utf-8")
    assert "<script" not in markdown and "<svg" not in markdown


def test_share_hides_and_renames_relations(tmp_path, with_relations):
    orders, customers = _write(tmp_path / "s")
    with_relations(_relations(orders, customers))
    (tmp_path / "s" / "readiness.toml").write_text(
        '[share]\nrename = { "customers.csv" = "clients", "customer_id" = "client_ref" }\n')
    document, run_dir = _run(tmp_path, tmp_path / "s", label="label")
    assert document["relations"]["relationships"][0]["parent"] == "customers.csv"  # readiness.json: real names
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="relations">'):html.index('<section id="labels">')]
    assert "customers.csv" not in section and "customer_id" not in section
    assert "survive joining clients." in section
    assert "FK client_ref" in ["".join(t.itertext()) for t in _svg(html).iter("text")]
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        suite = json.loads(archive.read("relations/gx/orders.json"))
    assert '"clients"' in suite["expectations"][0]["kwargs"]["unexpected_rows_query"]

    (tmp_path / "s" / "readiness.toml").write_text('[share]\nhide_tables = ["customers.csv"]\n')
    document, run_dir = _run(tmp_path, tmp_path / "s", label="label")
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    assert 'id="relations"' not in html and "customers.csv" not in html


def test_names_with_personal_data_get_their_placeholders(tmp_path, with_relations):
    key = "jane.doe@example.com"
    orders, customers = _write(tmp_path / "p", key=key)
    with_relations(_relations(orders, customers, key=key))
    document, run_dir = _run(tmp_path, tmp_path / "p", label="label")
    shown = [c["name"] for t in document["tables"] if t["name"] == "orders.csv" for c in t["columns"]][1]
    assert shown != key
    [link] = document["relations"]["relationships"]
    assert link["child_columns"] == [shown]
    assert key not in json.dumps(document)
    for name in ("briefing.html", "briefing.md", "briefing.txt", "packet.zip"):
        assert key.encode() not in (run_dir / name).read_bytes()


def test_layout_is_deterministic_and_chains_go_right():
    link = {"declared": True, "containment": 1.0, "child_rows": 10, "keyed_rows": 10, "orphan_rows": 0,
            "parent_rows": 5, "duplicate_parent_keys": 0, "childless_parents": 0, "child_before_parent": None,
            "timestamps": None}
    relations = {"keys": [], "coverage": None, "declared": [], "relationships": [
        {**link, "child": "items", "child_columns": ["order_id"], "parent": "orders", "parent_columns": ["id"]},
        {**link, "child": "orders", "child_columns": ["customer_id"], "parent": "customers", "parent_columns": ["id"]},
        {**link, "child": "staff", "child_columns": ["boss_id"], "parent": "staff", "parent_columns": ["id"]},
    ]}
    first, second = relations_report.diagram(relations), relations_report.diagram(relations)
    assert first == second
    x = {box["full"]: box["x"] for box in first["boxes"]}
    assert x["customers"] < x["orders"] < x["items"]
    assert sum(1 for e in first["edges"] if e["anchor"] == "start") == 1  # the self-reference loops


def test_percentages_never_round_to_whole_or_nothing():
    assert relations_report.share_text(9999, 10000) == "99.9%"
    assert relations_report.share_text(1, 10000) == "<0.1%"
    assert relations_report.share_text(0, 0) == "-"
    assert relations_report.fraction_text(1.0) == "100.0%"


def test_the_key_question_replaces_the_findings_own():
    finding = {"check": "orphan_rows", "column": "customer_id", "fraction": 0.03, "count": 69, "details": {}}
    asked = questions([finding], keys_question="How would you handle the 69 orders?")
    assert asked[0] == "How would you handle the 69 orders?"
    assert len(asked) == 2  # and the closing question; no second one on the same orphans


def _link(child: str, parent: str, **fields) -> dict:
    return {"child": child, "child_columns": ["parent_id"], "parent": parent, "parent_columns": ["id"],
            "declared": False, "containment": 1.0, "child_rows": 10, "keyed_rows": 10, "orphan_rows": 0,
            "parent_rows": 5, "duplicate_parent_keys": 0, "childless_parents": 0, "child_before_parent": None,
            "timestamps": None, **fields}


def test_share_drops_what_names_a_hidden_table_or_column():
    from readiness.settings import ShareSettings

    relations = {"keys": [], "declared": [], "relationships": [
        _link("a", "b", child_before_parent=3, timestamps=["made", "opened"]), _link("a", "secret"),
        _link("c", "b", child_columns=["private"])],
        "coverage": {"table": "a", "rows": 10, "surviving": 6, "joined": ["b", "secret", "vault"],
                     "lost_by": {"b": 1, "secret": 2, "vault": 3}}}
    share = ShareSettings(hide_tables=("secret", "vault"), hide_columns=("opened", "c:private"), rename={"b": "B"})
    shown = relations_report.redacted(relations, share)
    assert [(r["child"], r["parent"]) for r in shown["relationships"]] == [("a", "B")]
    assert shown["relationships"][0]["timestamps"] is None and shown["relationships"][0]["child_before_parent"] is None
    assert shown["coverage"]["joined"] == ["B", "[hidden]"] and shown["coverage"]["lost_by"] == {"B": 1, "[hidden]": 5}
    assert relations_report.coverage_line(shown) == ("6 of 10 a rows (60.0%) survive joining B and [hidden]. "
                                                     "Joined alone, [hidden] loses 5 and B loses 1.")


def test_a_large_schema_draws_the_most_connected_tables():
    links = [_link(f"child_{n:02d}", "hub") for n in range(45)]
    drawn = relations_report.diagram({"keys": [], "declared": [], "coverage": None, "relationships": links})
    assert len(drawn["boxes"]) == relations_report.MAX_DIAGRAM_TABLES and drawn["left_out"] == 6
    assert drawn["boxes"][0]["full"] == "hub" and len(drawn["edges"]) == relations_report.MAX_DIAGRAM_TABLES - 1


def test_constraint_names_and_keys_of_unread_tables_are_handled(tmp_path, with_relations):
    """A schema's constraint names are never shared (PostgreSQL names a default key after its
    table: an email in the table's name lives on in ``john.doe@example.com_pkey``), and a declared
    key on a table the audit could not read (no SELECT right, a timeout) is no crash."""
    _write(tmp_path / "db")
    secret = "john.doe@example.com_pkey"
    with_relations(Relations(declared=(DeclaredKey("primary", "customers.csv", ("customer_id",), name=secret),
                                       DeclaredKey("primary", "public.payments", ("id",), name="payments_pkey"))))
    document, run_dir = _run(tmp_path, tmp_path / "db", label="label")
    assert {d["table"] for d in document["relations"]["declared"]} == {"customers.csv", "public.payments"}
    for path in run_dir.rglob("*"):
        if path.is_file() and "internal" not in path.parts:
            data = path.read_bytes()
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    data = b"".join(archive.read(n) for n in archive.namelist())
            assert b"john.doe" not in data and b"payments_pkey" not in data, path
