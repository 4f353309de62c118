"""Value shapes of failing format values (issue 16 item 6), and text a job post can take (item 8):
readable Markdown, the plain-text briefing."""

from __future__ import annotations

import json
import re
import string
import unicodedata
import zipfile
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.profile import formats, shapes
from readiness.profile.names import map_strings, replacer, visible
from readiness.report.mdtext import md_code, md_escape
from tests.conftest import SAMPLES, finding, run_audit

# --- value shapes ------------------------------------------------------------------------------------

HOSTILE = {
    "jane.doe+tag@example.com": "word.word+word@word.word",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM4Ow\n-----END RSA PRIVATE KEY-----":
        "-----word word word word----- worddwordd…",  # cut before a word
    "+44 (0)20 7946 0958": "+dd (d)dd dddd dddd",
    "é": "word",
    "Straße 12": "word dd",
    "中文字符@例子": "word@word",
    "שלום עולם": "word word",
    "مرحبا ٣٤٥": "word ddd",
    "a\u200bb\u200dc\ufeff": "word\ufffdword\ufffdword\ufffd",
    "\x1b[31mred\x00\x07": "\ufffd[ddword\ufffd\ufffd",
    "\u202eevil\u202c": "\ufffdword\ufffd",
    "e\u0301t\u00e9": "word",  # a combining accent is part of its word
    "² Ⅻ ①": "d d d",
    "ＡＢＣ１２３": "wordddd",  # fullwidth letters and digits
    "𝐀𝐁 ⓐ": "word \ufffd",  # mathematical letters are letters; a circled letter is a symbol
    "😀 € ©": "\ufffd \ufffd \ufffd",
    "tab\there\r\nnext": "word word word",
    "\udcff bytes": "\ufffd word",  # a surrogate (a file name's undecodable byte)
    "31/12/2024": "dd/dd/dddd",
    "12:30": "dd:dd",
    "`<script>`&'\"": "`<word>`&'\"",
    "a1" * 30: ("wordd" * 8) + "…",
}
SHAPE_ALPHABET = set(string.punctuation) | {" ", "\ufffd", "…"}


def leaks(text: str) -> set[str]:
    """What a shape shows besides its placeholders, ASCII punctuation and spaces (nothing, if masked)."""
    return set(re.sub("word|d", "", text)) - SHAPE_ALPHABET


@pytest.mark.parametrize("value", list(HOSTILE))
def test_a_shape_masks_every_letter_and_digit(value):
    masked = shapes.shape(value)
    assert masked == HOSTILE[value]
    assert not leaks(masked)
    assert len(masked) <= shapes.MAX_SHAPE + 1


def test_arrow_makes_the_same_shapes_as_python():
    values = [v for v in HOSTILE if "\udcff" not in v]  # Arrow holds UTF-8 only (the caller falls back)
    assert shapes.shapes_arrow(pd.Series(values, dtype=object)) == [HOSTILE[v] for v in values]
    assert shapes.shapes_arrow(pd.Series(values, dtype="string[pyarrow]")) == [HOSTILE[v] for v in values]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=5))
def test_any_text_is_masked_alike_by_both_paths(values):
    # Arrow holds UTF-8 only; a character newer than Python's Unicode tables may be a letter to RE2
    # (either way it is masked: as word, or as \ufffd)
    values = [v for v in values if not any(unicodedata.category(c) in ("Cs", "Cn") for c in v)]
    python = [shapes.shape(v) for v in values]
    assert all(not leaks(s) for s in python)
    assert shapes.shapes_arrow(pd.Series(values, dtype=object)) in (python, None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(max_codepoint=127), max_size=90), min_size=1, max_size=6))
def test_ascii_text_is_masked_alike_by_the_byte_table(values):
    assert shapes.shapes_arrow(pd.Series(values, dtype=object)) == [shapes.shape(v) for v in values]


def _distinct(values: dict[str, int]) -> formats.Distinct:
    return formats.Distinct(pd.Series(list(values.values()), index=pd.Index(list(values), dtype=object),
                                      dtype="int64"))


@pytest.mark.parametrize("many", [False, True])
def test_top_shapes_with_counts_and_the_rest(many):
    failing = {"01/02/2024": 5, "3/4/2024": 2, "12:30": 4, "yesterday": 3, "not a date": 1, "x-y": 1, "(a)": 1,
               "asap": 2}
    good = {f"2024-01-{day:02d}": 1 for day in range(1, 29)}
    if many:  # past formats.FEW_VALUES: Arrow computes the shapes
        good |= {f"2023-{month:02d}-{day:02d}": 2 for month in range(1, 13) for day in range(1, 11)}
    values = _distinct({**good, **failing})
    chosen = np.array([v in failing for v in values.counts.index])
    found = shapes.shapes_of(values, chosen, not_text=4)
    assert found.top == (("dd/dd/dddd", 5), ("word", 5), ("dd:dd", 4), ("d/d/dddd", 2), ("(word)", 1))  # ties by shape
    assert (found.other_shapes, found.other_values, found.not_text) == (2, 2, 4)
    assert found.total == sum(failing.values()) + 4
    assert found.details() == {
        "shapes": [{"shape": "dd/dd/dddd", "count": 5}, {"shape": "word", "count": 5}, {"shape": "dd:dd", "count": 4},
                   {"shape": "d/d/dddd", "count": 2}, {"shape": "(word)", "count": 1}],
        "other_shapes": {"shapes": 2, "count": 2}, "values_not_text": 4}


def test_renaming_a_name_leaves_shapes_alone():
    details = {"shapes": [{"shape": "word@word.d", "count": 3}], "note": "word d"}
    renamed = map_strings(details, replacer({"word": "column_1", "d": "column_2", "@": "[hidden]"}))
    assert renamed == {"shapes": [{"shape": "word@word.d", "count": 3}], "note": "column_1 column_2"}


@pytest.fixture(scope="module")
def support(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    document = run_audit(SAMPLES / "support", out, profile_enabled=False)
    return document, out / "support" / document["run_id"]


def test_support_dates_and_emails_have_their_exact_shapes(support):
    document, _ = support
    manifest = {(d["check"], d["column"]): d["count"]
                for d in json.loads((SAMPLES / "manifests" / "support.json").read_text())["defects"]}
    mixed = finding(document, "tickets.csv/created_at/mixed_formats")
    assert mixed["count"] == manifest["mixed_formats", "created_at"] == 241
    assert mixed["details"]["shapes"] == [{"shape": "dd/dd/dddd", "count": 241}]
    bad_dates = finding(document, "tickets.csv/created_at/format")
    assert bad_dates["count"] == manifest["format", "created_at"] == 51
    # 45 words and times where a date belongs, and 6 impossible calendar dates (2023-02-30 13:00:00)
    assert bad_dates["details"]["shapes"] == [
        {"shape": "word", "count": 26}, {"shape": "word word word", "count": 11}, {"shape": "dd:dd", "count": 8},
        {"shape": "dddd-dd-dd dd:dd:dd", "count": 6}]
    emails = finding(document, "tickets.csv/customer_email/format")
    assert emails["count"] == manifest["format", "customer_email"] == 130
    assert emails["details"]["shapes"] == [{"shape": "worddddd.word.word", "count": 65},
                                           {"shape": "worddddd@", "count": 65}]
    for found in (mixed, bad_dates, emails):
        details = found["details"]
        assert details["other_shapes"] == {"shapes": 0, "count": 0} and details["values_not_text"] == 0
        assert sum(s["count"] for s in details["shapes"]) == found["count"]


def test_the_packet_shows_the_shapes(support):
    _, run_dir = support
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    assert "<code>dd/dd/dddd</code> 241" in html
    assert "<code>worddddd@</code> 65" in html
    markdown = (run_dir / "briefing.md").read_text(encoding="utf-8")
    assert "`word word word` 11" in markdown and "`dddd-dd-dd dd:dd:dd` 6" in markdown
    text = (run_dir / "briefing.txt").read_text(encoding="utf-8")
    assert re.search(r"^ +241  dd/dd/dddd$", text, re.MULTILINE)


def _write_json(path, records):
    path.write_text(json.dumps(records), encoding="utf-8")


def test_many_hostile_failing_values_in_a_personal_column(tmp_path):
    data = tmp_path / "contacts"
    data.mkdir()
    good = [f"person{i}@mail.example.org" for i in range(400)]
    bad = [f"name{i:03d}@" for i in range(80)] + ["jöhn dœ"] * 7 + ["12345"] * 3 + list(HOSTILE)[:12]
    records = [{"id": i, "contact_email": v} for i, v in enumerate(good + bad)]
    records += [{"id": 1000 + i, "contact_email": 4711} for i in range(2)]  # numbers in a JSON text column
    _write_json(data / "contacts.json", records)
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    emails = finding(document, "contacts.json/contact_email/format")
    details = emails["details"]
    assert details["shapes"][:3] == [{"shape": "wordddd@", "count": 80}, {"shape": "word word", "count": 8},  # 7, and the RTL one
                                     {"shape": "ddddd", "count": 3}]
    assert len(details["shapes"]) == 5 and details["values_not_text"] == 2
    assert details["other_shapes"]["shapes"] > 0
    assert sum(s["count"] for s in details["shapes"]) + details["other_shapes"]["count"] + 2 == emails["count"]
    assert all(not leaks(s["shape"]) for s in details["shapes"])
    run_dir = tmp_path / "out" / "contacts" / document["run_id"]
    shared = [(run_dir / name).read_text(encoding="utf-8") for name in ("readiness.json", "briefing.html",
                                                                         "briefing.md", "briefing.txt")]
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        shared += [archive.read(name).decode("utf-8") for name in archive.namelist()]
    for text in shared:
        for secret in ("name007", "jöhn", "MIIEpAIBAA", "7946", "Straße", "中文", "שלום", "\u202e", "\x1b"):
            assert secret not in text


# --- Markdown a job post can take ----------------------------------------------------------------------


markdown_it = pytest.importorskip("markdown_it")


def render(text: str) -> str:
    """CommonMark with GitHub's tables and strikethrough, raw HTML allowed (so escaping must stop it)."""
    return str(markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text))


class Rendered(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


HOSTILE_NAMES = ["<script>alert(1)</script>", "[x](javascript:alert(1))", "![i](http://e/x.png)", "**bold**",
                 "# h", "a|b", "<http://evil.example>", "[ref]: http://evil.example", "`code`", "__init__",
                 "_a_", "*a*", "~~gone~~", "1. one", "- item", "+ item", "> quote", "---", "&lt;b&gt;", "a\\",
                 "\\*x\\*", "a\x1b[2Jb\u202ec", "```", "<!-- c -->", "x\n# y", "[a]\n[a]: http://e"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("where", ["paragraph", "list", "numbered", "cell", "heading"])
def test_a_hostile_name_renders_as_its_own_text(name, where):
    escaped = md_escape(name)
    document = {"paragraph": f"Column {escaped} here.\n", "list": f"- {escaped}\n", "numbered": f"1. {escaped}\n",
                "cell": f"| Column | Type |\n|---|---|\n| {escaped} | text |\n",
                "heading": f"### {escaped} (3 rows)\n"}[where]
    parsed = Rendered(render(document))
    structure = {"paragraph": ["p"], "list": ["ul", "li"], "numbered": ["ol", "li"],
                 "cell": ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"], "heading": ["h3"]}[where]
    assert parsed.tags == structure, (escaped, parsed.tags)
    shown = visible(name.replace("\n", " "))
    assert shown in "".join(parsed.text), (escaped, parsed.text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="*_~`[]()!<>&#|\\-+=.:;/ aé1\t", max_size=24))
def test_any_markup_characters_render_as_text(text):
    parsed = Rendered(render(f"x {md_escape(text)} y\n"))
    assert parsed.tags == ["p"], (md_escape(text), parsed.tags)
    assert "".join(parsed.text).strip() == f"x {visible(text)} y".strip()


def test_plain_names_stay_readable():
    for text in ("customer_email", "(about 2 days)", "tickets.csv", "a * b", "R&D", "snake_case_name",
                 "C:\\data\\x.csv", "30 columns named like #", "[hidden] column", "#N/A", "-5", "2024-01-31"):
        assert md_escape(text) == text


def test_a_code_span_holds_any_backticks():
    for text in ("word`word", "``", "`a", "a ` b ``"):
        parsed = Rendered(render(f"x {md_code(text)} y\n"))
        assert parsed.tags == ["p", "code"] and "".join(parsed.text).strip() == f"x {text} y"


def test_the_markdown_briefing_reads_as_plain_text(support):
    _, run_dir = support
    markdown = (run_dir / "briefing.md").read_text(encoding="utf-8")
    assert "customer_email" in markdown and "tickets.csv" in markdown
    assert "\\_" not in markdown and "\\(" not in markdown and "\\." not in markdown


# --- briefing.txt ----------------------------------------------------------------------------------------


def test_the_plain_text_briefing_is_written_and_zipped(support):
    document, run_dir = support
    text = (run_dir / "briefing.txt").read_text(encoding="utf-8")
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        assert archive.read("briefing.txt").decode("utf-8") == text
    assert text.startswith("Data briefing: support\n")
    for heading in ("PROJECT BRIEF", "READINESS AT A GLANCE", "INVENTORY", "DATA DICTIONARY", "LABELS", "FINDINGS",
                    "QUESTIONS TO ASK CANDIDATES", "SUGGESTED PAID TRIAL TASK", "MAINTENANCE PLAN",
                    "HOW THE SCORE WAS COMPUTED"):
        assert f"\n{heading}" in text
    assert "customer_email" in text and "tickets.csv" in text
    for markup in ("\\_", "\\[", "\\*", "\\#", "&lt;", "&amp;", "**", "|---", "`", "## "):
        assert markup not in text, markup
    # commands (indented by four) are never wrapped: they are copied as they are
    wrapped = [line for line in text.splitlines() if len(line) > 100 and "readiness audit" not in line
               and " " in line.strip()]
    assert not wrapped, wrapped[:3]


def test_the_plain_text_briefing_writes_control_characters_out(tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    (data / "t.csv").write_text("na\x1bme\u202e,label\n1,x\n2,y\n3,x\n", encoding="utf-8")
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    text = (tmp_path / "out" / "d" / document["run_id"] / "briefing.txt").read_text(encoding="utf-8")
    assert "na\\x1bme\\u202e" in text
    assert "\x1b" not in text and "\u202e" not in text
