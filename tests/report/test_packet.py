"""The briefing packet: sections, self-containment, [share], escaping, Markdown, zip, CSV."""

from __future__ import annotations

import csv
import html as htmllib
import io
import json
import re
import shutil
import zipfile
from html.parser import HTMLParser

from readiness.report.mdtext import md_escape
from readiness.report.packet import formula_safe
from tests.conftest import SAMPLES, run_audit
from tests.payloads import XSS_PAYLOADS

OUR_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "header", "nav", "a", "h1", "h2", "h3",
            "div", "span", "section", "dl", "dt", "dd", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr",
            "th", "td", "svg", "text", "rect", "strong", "em", "code", "footer", "line", "polyline", "circle"}


class TagCollector(HTMLParser):
    """Every tag, event-handler attribute and link target in a page."""

    def __init__(self):
        super().__init__()
        self.names, self.handlers, self.hrefs, self.metas = set(), [], [], 0

    def handle_starttag(self, tag, attrs):
        self.names.add(tag)
        self.metas += tag == "meta"
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action", "data"):
                self.hrefs.append(value or "")


SECTIONS = ["brief", "glance", "inventory", "dictionary", "labels", "findings", "questions", "trial", "maintenance",
            "appendix"]


def packet_files(run_dir):
    return {p.name: p for p in run_dir.iterdir() if p.is_file()}


def test_packet_has_every_section_in_order_and_is_self_contained(tmp_path):
    document = run_audit(SAMPLES / "support", tmp_path / "out")
    run_dir = tmp_path / "out" / "support" / document["run_id"]
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    positions = [html.index(f'<section id="{name}">') for name in SECTIONS]
    assert positions == sorted(positions)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert htmllib.unescape(csp).startswith("default-src 'none'")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "no external resource"
    assert "<script" not in html
    assert f'{document["score"]:.2f}' in html
    assert "Route incoming customer-support tickets" in html
    assert "How would" in html or "how would" in html
    assert "Suggested paid trial task" in html
    low, high = map(float, re.search(r"Suggested paid trial task: ([\d.]+)-([\d.]+) days", html).groups())
    assert 2 <= low < high <= 10
    assert "internal" not in re.findall(r'href="([^"]*)"', html)


def test_brief_fields_not_filled_in_are_prompts(tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    (data / "t.csv").write_text("a,label\n1,x\n2,y\n", encoding="utf-8")
    (data / "readiness.toml").write_text('[project]\ngoal = "Find churners"\n', encoding="utf-8")
    document = run_audit(data, tmp_path / "out")
    html = (tmp_path / "out" / "d" / document["run_id"] / "briefing.html").read_text()
    assert "Find churners" in html
    # success metric, timeline, deliverables, labeling, data access, budget or day rate, owner, constraints
    assert html.count("To be written by the client") == 8
    assert "Brief complete: 2 of 10 fields" in html  # the goal, and the task the audit inferred


def test_share_section_hides_and_renames(tmp_path):
    data = tmp_path / "shop"
    shutil.copytree(SAMPLES / "shop", data)
    config = (data / "readiness.toml").read_text() + (
        '\n[share]\nhide_tables = ["events.jsonl"]\nhide_columns = ["currency"]\n'
        'rename = { "orders.csv" = "table_a", "customers.xlsx:customers" = "table_b", "amount" = "value" }\n'
        "examples = false\n")
    (data / "readiness.toml").write_text(config)
    document = run_audit(data, tmp_path / "out")
    run_dir = tmp_path / "out" / "shop" / document["run_id"]
    shared = [(run_dir / "briefing.html").read_text(), (run_dir / "briefing.md").read_text()]
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        shared += [archive.read(name).decode("utf-8") for name in archive.namelist()]
        names = archive.namelist()
    for text in shared:
        assert "events.jsonl" not in text
        assert "currency" not in text
        assert "orders.csv" not in text
    assert "table_a" in shared[0] and "table_b" in shared[0]
    assert ">value<" in shared[0]
    assert "suites/table_a.json" in names and not any("events" in n for n in names)
    redacted = json.loads(zipfile.ZipFile(run_dir / "packet.zip").read("readiness.json"))
    assert all(not c["examples"] for t in redacted["tables"] for c in t["columns"])
    # the score is the same: [share] changes what is shown, not what is measured
    assert redacted["score"] == document["score"]


def test_markdown_and_zip_contents(tmp_path):
    document = run_audit(SAMPLES / "churn", tmp_path / "out")
    run_dir = tmp_path / "out" / "churn" / document["run_id"]
    markdown = (run_dir / "briefing.md").read_text()
    assert markdown.startswith("# Data briefing: churn")
    assert "## Questions to ask candidates" in markdown
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        assert sorted(archive.namelist()) == ["briefing.html", "briefing.md", "briefing.txt", "data_dictionary.csv",
                                              "monitoring/README.txt", "monitoring/churn.parquet.json",
                                              "readiness.json", "suites/churn.parquet.json",
                                              "trial/README.txt", "trial/holdout_rows.csv", "trial/score.py"]
        rows = list(csv.reader(io.StringIO(archive.read("data_dictionary.csv").decode())))
    assert rows[0][:3] == ["table", "column", "type"]
    assert {r[1] for r in rows[1:]} == {c["name"] for c in document["tables"][0]["columns"]}


def test_formula_cells_cannot_run():
    for text in ("=1+1", "+A1", "-2+3", "@SUM(A1)"):
        assert formula_safe(text) == "'" + text
    # a control character is written out as well (a tab or CR would start a formula)
    assert formula_safe("\tx") == "'\\x09x" and formula_safe("\rx") == "'\\x0dx"
    assert formula_safe("a\x1bb\u202e") == "a\\x1bb\\u202e"
    assert formula_safe("plain") == "plain"
    assert formula_safe(None) == ""


def test_markdown_escape_writes_control_characters_out():
    assert md_escape("a\x1b[2Jb\u202ec") == r"a\x1b\[2Jb\u202ec"  # "\x" escapes nothing in Markdown


def test_share_rename_with_a_backslash_group_is_literal(tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    (data / "t.csv").write_text("a,b,label\n1,2,x\n3,4,y\n5,6,x\n", encoding="utf-8")
    (data / "readiness.toml").write_text('[share]\nrename = { "a" = "\\\\1x", "b" = "\\\\g<0>" }\n',
                                         encoding="utf-8")
    document = run_audit(data, tmp_path / "out")
    run_dir = tmp_path / "out" / "d" / document["run_id"]
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        shared = json.loads(archive.read("readiness.json"))
    assert [c["name"] for c in shared["tables"][0]["columns"]][:2] == ["\\1x", "\\g<0>"]


def test_markdown_escape():
    assert md_escape("<img src=x>") == "&lt;img src=x&gt;"
    assert md_escape("[link](http://x)") == r"\[link\](http\://x)"
    assert md_escape("a\nb") == "a b"


def test_payloads_everywhere_are_escaped(tmp_path):
    data = tmp_path / "xss"
    data.mkdir()
    header = ",".join('"' + p.replace('"', '""') + '"' for p in XSS_PAYLOADS[:8]) + ",label"
    rows = [header]
    for i in range(60):
        values = [XSS_PAYLOADS[(i + j) % 5 + 8] for j in range(8)]
        rows.append(",".join('"' + v.replace('"', '""') + '"' for v in values) + "," + ('"' + XSS_PAYLOADS[i % 3].replace('"', '""') + '"'))
    (data / "x.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    goal = XSS_PAYLOADS[0].replace('"', '\\"')
    (data / "readiness.toml").write_text(f'[project]\ngoal = "{goal}"\n[label]\ncolumn = "label"\n')
    document = run_audit(data, tmp_path / "out")
    run_dir = tmp_path / "out" / "xss" / document["run_id"]
    html = (run_dir / "briefing.html").read_text()
    assert "<script" not in html
    tags = TagCollector()
    tags.feed(html)
    assert tags.names <= OUR_TAGS, f"markup from the data: {tags.names - OUR_TAGS}"
    assert not tags.handlers, f"event handler attributes: {tags.handlers}"
    assert all(href.startswith("#") for href in tags.hrefs)
    assert tags.metas == 4  # charset, CSP, viewport, referrer: none injected
    assert "&lt;script&gt;" in html
    markdown = (run_dir / "briefing.md").read_text()
    assert "<script" not in markdown and "<img" not in markdown


def test_number_ranges_read_as_written():
    from readiness.profile.examples import _number

    assert [_number(v) for v in (1e6, 2e3, 0.18, 3882.61, -0.5)] == ["1000000", "2000", "0.18", "3882.61", "-0.5"]
