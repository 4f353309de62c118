"""Many small tables: GX validates tables of one shape together, and each table's counts are
exactly those of a validation of the table alone; a few values are matched by ``re`` as Arrow would."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

import readiness
from readiness.base import fastre
from readiness.ingest.model import Table
from readiness.profile import dates, formats
from readiness.profile.hashing import column_codes
from readiness.validate import gx as validate
from readiness.validate import together as batched
from tests.conftest import run_audit

ITEMS = [
    ("expect_table_row_count_to_be_between", {"min_value": 2}),
    ("expect_table_row_count_to_equal", {"value": 3}),
    ("expect_compound_columns_to_be_unique", {"column_list": ["a", "b", "c"]}),
    ("expect_compound_columns_to_be_unique", {"column_list": ["a", "c"], "ignore_row_if": "all_values_are_missing"}),
    ("expect_compound_columns_to_be_unique", {"column_list": ["a", "b"], "ignore_row_if": "any_value_is_missing"}),
    ("expect_column_values_to_not_be_null", {"column": "a"}),
    ("expect_column_values_to_match_regex", {"column": "a", "regex": r"^\s*(?:\d+)\s*$"}),
    ("expect_column_values_to_not_match_regex", {"column": "a", "regex": "Ã[\x80-\xbf¡-¿]"}),
    ("expect_column_value_lengths_to_be_between", {"column": "a", "min_value": 2, "max_value": 4}),
    ("expect_column_values_to_be_in_set", {"column": "c", "value_set": ["p"]}),
    ("expect_column_values_to_be_unique", {"column": "a"}),
    ("expect_column_values_to_be_unique", {"column": "b"}),
    ("expect_column_values_to_be_between", {"column": "b", "min_value": 0, "max_value": 4}),
    ("expect_column_values_to_be_null", {"column": "c"}),
]


def _suite(items=ITEMS):
    return {"name": "t", "expectations": [{"type": t, "kwargs": k, "meta": {"readiness": {"check": t[7:20]}}}
                                          for t, k in items]}


def _tables(count: int, seed: int = 0) -> list[Table]:
    """Tiny tables whose values repeat within and across tables, with missing values and rows."""
    rng = random.Random(seed)
    tables = []
    for number in range(count):
        rows = rng.randint(1, 6)
        a = [rng.choice(["1", "2", "x", None, " 3 ", "Ã©", "ab", "12345", "١٢"]) for _ in range(rows)]
        b = [rng.choice([1.0, 2.0, np.nan, 5.0, -1.0]) for _ in range(rows)]
        c = [rng.choice(["p", "q", None]) for _ in range(rows)]
        frame = pd.DataFrame({"a": pd.Series(a, dtype=pd.StringDtype("pyarrow")), "b": pd.Series(b),
                              "c": pd.Series(c, dtype=pd.StringDtype("pyarrow"))})
        tables.append(Table(f"t{number}.csv", f"t{number}.csv", "csv", frame, None))
    return tables


def _key(outcome):
    return (outcome.table, outcome.type, outcome.column, outcome.success, outcome.element_count,
            outcome.unexpected_count, outcome.error, outcome.check)


def test_tables_validated_together_count_as_each_alone(monkeypatch):
    tables = _tables(40)
    codes = {t.name: tuple(column_codes(t.frame)[0]) for t in tables}
    work = [(t, _suite(), "test") for t in tables]
    together = validate.run_suites(work, None, codes)
    assert set(together.batch_tables) == {t.name for t in tables} and max(together.batch_tables.values()) > 1
    # each table alone, in the slices and Arrow text long tables get
    monkeypatch.setattr(batched, "SMALL_TABLE_ROWS", 0)
    alone = [o for item in work for o in validate.run_suites([item], None, codes)]
    assert not validate.run_suites(work[:2], None, codes).batch_tables
    assert [_key(o) for o in together] == [_key(o) for o in alone]
    assert sum(o.unexpected_count or 0 for o in together) > 100 and sum(not o.success for o in together) > 100
    assert all(o.error is None for o in together)


def test_only_tables_of_one_shape_and_suite_with_row_by_row_checks_go_together():
    tables = _tables(6, seed=3)
    codes = {t.name: tuple(column_codes(t.frame)[0]) for t in tables}
    other = {"name": "t", "expectations": _suite()["expectations"][:3]}
    mostly = {"name": "t", "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a", "mostly": 0.5}}]}
    wider = Table("w.csv", "w.csv", "csv", tables[0].frame.assign(d=1), None)
    tables[3] = Table("t3.csv", "t3.csv", "csv", tables[2].frame.copy(), None)  # the same kinds of value as t2
    codes["t3.csv"] = tuple(column_codes(tables[3].frame)[0])
    work = [(tables[0], _suite(), "x"), (tables[1], _suite(), "x"), (tables[2], other, "x"), (tables[3], other, "x"),
            (tables[4], mostly, "x"), (tables[5], mostly, "x"), (wider, _suite(), "x")]
    batches, alone = batched.batches(work, {**codes, "w.csv": tuple(column_codes(wider.frame)[0])})
    assert sorted(map(sorted, batches)) == [[0, 1], [2, 3]]
    assert sorted(alone) == [4, 5, 6]
    assert batched.stacking({"type": "expect_column_values_to_be_between",
                           "kwargs": {"column": "b", "min_value": True}}, ["b"]) is None


def test_a_batch_gx_cannot_run_falls_back_to_each_table_alone():
    frame = pd.DataFrame({"a": pd.Series(["x", "y"], dtype=object)})
    tables = [Table(f"s{i}.csv", f"s{i}.csv", "csv", frame.copy(), None) for i in range(3)]
    suite = {"name": "t", "expectations": [
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "a", "min_value": 0, "max_value": 1}}]}
    codes = {t.name: tuple(column_codes(t.frame)[0]) for t in tables}
    outcomes = validate.run_suites([(t, suite, "x") for t in tables], None, codes)
    assert not outcomes.batch_tables  # GX raised on the batch: every table reports its own error
    assert len(outcomes) == 3 and all(o.error and not o.success for o in outcomes)


VALUES = ["2023-01-05", "05/01/2023", "13/13/2023", "2023-02-30", " 12 ", "١٢", "12\n", "Jan 5, 2024", "sept 3 2021",
          "1970 Q2", "19580329", "abc", "a b", "", "x@y.io", "https://a.b/c", "+44 20 7946 0958", "1e5", "-3.5"]


@pytest.mark.parametrize("pattern", [formats.NUMBER_RE, formats.EMAIL_RE, formats.PHONE_RE, formats.URL_RE,
                                     r"[+-]?\d+", dates.LAYOUTS_BY_NAME["DD/MM/YYYY"].pattern])
def test_a_few_values_match_by_re_as_by_arrow(pattern, monkeypatch):
    counts = pd.Series(range(1, len(VALUES) + 1), index=pd.Index(VALUES, dtype=object))
    few = formats.nonconforming(formats.Distinct(counts), pattern)
    assert np.array_equal(formats.fullmatch(pd.Series(VALUES), pattern), fastre.fullmatch(pd.Series(VALUES), pattern))
    monkeypatch.setattr(formats, "FEW_VALUES", 0)
    assert formats.nonconforming(formats.Distinct(counts), pattern) == few


def test_a_few_dates_classify_as_many(monkeypatch):
    counts = pd.Series(range(1, len(VALUES) + 1), index=pd.Index(VALUES, dtype=object))
    few = dates.classify_dates(formats.Distinct(counts))
    monkeypatch.setattr(formats, "FEW_VALUES", 0)
    assert dates.classify_dates(formats.Distinct(counts)) == few
    assert few.layouts and few.invalid


def test_a_folder_of_small_tables_reports_what_each_table_alone_reports(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    for i in range(12):
        rows = [f"{i},a,2", f"{i + 1},b,3"] + ([f"{i},a,2", ",c,x"] if i % 3 == 0 else [])
        (data / f"f{i:02d}.csv").write_text("id,name,x\n" + "\n".join(rows) + "\n", encoding="utf-8")
    together = run_audit(data, tmp_path / "a", profile_enabled=True)
    assert together["validation"]["batched"]["tables"] >= 8
    monkeypatch.setattr(batched, "SMALL_TABLE_ROWS", 0)
    alone = run_audit(data, tmp_path / "b", profile_enabled=True)
    assert "batched" not in alone["validation"]

    def results(document):
        return {t["table"]: t["results"] for t in document["validation"]["tables"]}

    assert results(together) == results(alone)
    assert [(f["id"], f["count"]) for f in together["findings"]] == [(f["id"], f["count"]) for f in alone["findings"]]
    assert any(r["unexpected_count"] for t in results(together).values() for r in t)


def test_many_tables_prepared_on_two_cores_report_what_one_core_reports(tmp_path, monkeypatch):
    """From SPLIT_MIN_TABLES tables on, a forked child infers half of them: the plans, counts
    and findings are those of one process doing it all, and the terminal lists a few names."""
    from readiness.base import parallel
    from readiness.profile import counts

    data = tmp_path / "data"
    data.mkdir()
    rng = random.Random(3)
    for i in range(counts.SPLIT_MIN_TABLES + 6):
        rows = [f"{i + r},{rng.choice(['a', 'b', ''])},{rng.choice(['2', '3.5', 'x', '2024-01-0' + str(r + 1)])}"
                for r in range(rng.randint(1, 6))]
        header = "id,name,x" if i % 5 else "id,email,x"
        rows = rows if i % 5 else [f"{i},p{i}@example.org,1", f"{i + 1},q{i}@example.org,2"]
        (data / f"t{i:03d}.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    split_calls = []
    real = parallel.shared_work
    monkeypatch.setattr(parallel, "shared_work", lambda count, *a, **k: split_calls.append(count) or real(count, *a, **k))
    split = readiness.audit(data, out=tmp_path / "a", profile_enabled=False)
    assert split_calls == [counts.SPLIT_MIN_TABLES + 6] * 2  # the files read, then the tables prepared
    monkeypatch.setattr(counts, "SPLIT_MIN_TABLES", 10**9)
    alone = readiness.audit(data, out=tmp_path / "b", profile_enabled=False)

    def shape(document):
        return ([(t["name"], t["rows"], [(c["name"], c["type"], c["pii"], c["missing"], c["format"])
                                         for c in t["columns"]]) for t in document["tables"]],
                [(f["id"], f["count"]) for f in document["findings"]], document["score"])

    assert shape(split.result) == shape(alone.result)
    assert sum(1 for t in split.result["tables"] for c in t["columns"] if c["pii"] == "email") == 14
    lines = split.disclosure
    assert "t000.csv" in lines[0] and "t069.csv" not in lines[0] and "... and 40 more" in lines[0]


def test_many_files_read_on_two_cores_list_what_one_core_lists(tmp_path, monkeypatch):
    """From SPLIT_MIN_FILES entries on, a forked child reads small files from the back: the
    inventory (in walk order) and the tables are those one process reads, links, FIFOs, folders,
    unreadable, large and rejected files included."""
    import os

    from readiness.ingest import walk as ingest

    data = tmp_path / "data"
    (data / "sub" / "deeper").mkdir(parents=True)
    count = ingest.SPLIT_MIN_FILES + 10
    for i in range(count):
        folder = data / ("sub" if i % 7 == 0 else "sub/deeper" if i % 11 == 0 else "")
        (folder / f"f{i:03d}.csv").write_text(f"id,v\n{i},{i * 2}\n{i + 1},x\n", encoding="utf-8")
    (data / "big.csv").write_text("id,v\n" + "".join(f"{i},{i % 13}\n" for i in range(ingest.SPLIT_MAX_BYTES // 6)),
                                  encoding="utf-8")
    (data / "notes.txt").write_text("not data", encoding="utf-8")
    (data / "bad.json").write_text("{not json", encoding="utf-8")
    (data / "zz.parquet").write_bytes(b"PAR1 broken")
    os.symlink(data / "f001.csv", data / "link.csv")
    os.mkfifo(data / "pipe.csv")
    noread = data / "sub" / "secret.csv"
    noread.write_text("a\n1\n", encoding="utf-8")
    noread.chmod(0)

    def read():
        found = ingest.ingest(data)
        return ([(f.path, f.format, f.status, f.reason, f.tables, f.bytes, f.sha256) for f in found.files],
                [(t.name, t.source, t.frame.to_dict("list")) for t in found.tables])

    try:
        split_calls = []
        real = ingest.Walker.visit_split
        monkeypatch.setattr(ingest.Walker, "visit_split", lambda self, e: split_calls.append(len(e)) or real(self, e))
        split = read()
        monkeypatch.setattr(ingest, "SPLIT_MIN_FILES", 10**9)
        alone = read()
    finally:
        noread.chmod(0o600)
    assert split_calls and split == alone
    assert {"big.csv", "link.csv", "pipe.csv", "bad.json", "sub/deeper/f011.csv"} <= {f[0] for f in split[0]}
    assert len(split[1]) >= count + 1  # and the unreadable file, for a user who may read anything


def test_a_suite_written_one_expectation_a_line_reads_back_the_same():
    import json

    from readiness.base.files import dumps_suite

    suite = {"name": "t<script>", "expectations": [
        {"type": t, "kwargs": k, "meta": {"readiness": {"check": "é\u2028"}, "n": [1.5, None]}} for t, k in ITEMS],
        "meta": {"great_expectations_version": "1.x", "nested": {"a": [1, {"b": "c"}]}}, "notes": None}
    text = dumps_suite(suite)
    assert json.loads(text) == suite
    assert sum(line.startswith('    {"type":') for line in text.splitlines()) == len(ITEMS)  # one line each
    assert json.loads(dumps_suite({"name": "x", "expectations": []})) == {"name": "x", "expectations": []}
