"""GX on Arrow-backed text answers exactly as GX on Python strings."""

from __future__ import annotations

import pandas as pd

from readiness.ingest.columns import objects
from readiness.ingest.model import Table
from readiness.validate import frames
from readiness.validate import gx as validate

VALUES = ["12", " 12 ", "١٢", "12\n", "1\x1c2", "ab", None, "a b", "12", "x" * 7, "\u00a012", "Ã©"]


def _suite(items):
    return {"name": "t", "expectations": [{"type": t, "kwargs": k} for t, k in items]}


def test_arrow_text_gives_the_python_counts():
    items = [
        ("expect_table_row_count_to_be_between", {"min_value": 1}),
        ("expect_compound_columns_to_be_unique", {"column_list": ["a", "b"]}),
        ("expect_column_values_to_not_be_null", {"column": "a"}),
        ("expect_column_values_to_match_regex", {"column": "a", "regex": r"^\s*(?:\d+)\s*$"}),
        ("expect_column_values_to_match_regex", {"column": "a", "regex": r"\d$"}),
        ("expect_column_values_to_not_match_regex", {"column": "a", "regex": "Ã[\x80-\xbf¡-¿]"}),
        ("expect_column_value_lengths_to_be_between", {"column": "a", "min_value": 2, "max_value": 4}),
        ("expect_column_values_to_be_in_set", {"column": "a", "value_set": ["12", "ab"]}),
        ("expect_column_values_to_be_unique", {"column": "a"}),
        # b: a look-ahead (no exact RE2 form) keeps the column in Python strings
        ("expect_column_values_to_match_regex", {"column": "b", "regex": r"^(?=\d)\d+"}),
        ("expect_column_values_to_match_regex", {"column": "b", "regex": r"\s"}),
    ]
    arrow = pd.DataFrame({"a": pd.Series(VALUES, dtype=pd.StringDtype("pyarrow")),
                          "b": pd.Series(list(reversed(VALUES)), dtype=pd.StringDtype("pyarrow"))})
    python = pd.DataFrame({c: objects(arrow[c]) for c in arrow.columns})
    assert frames.arrow_columns(arrow, _suite(items)["expectations"])[0] == {"a"}
    got = validate.run_suites([(Table("t", "t.csv", "csv", arrow, None), _suite(items), "test")])
    want = validate.run_suites([(Table("t", "t.csv", "csv", python, None), _suite(items), "test")])
    assert [(o.type, o.column, o.success, o.unexpected_count, o.error) for o in got] == \
        [(o.type, o.column, o.success, o.unexpected_count, o.error) for o in want]
    assert all(o.error is None for o in got)
    by_regex = [o.unexpected_count for o in got if o.type == "expect_column_values_to_match_regex"]
    # not numbers: "ab", "a b", "x"*7, "1\x1c2", "Ã©"; not ending in a digit: those but "1\x1c2", and " 12 "
    assert by_regex[:2] == [5, 5]


def test_an_unknown_expectation_keeps_the_column_in_python_strings():
    frame = pd.DataFrame({"a": pd.Series(["1", "2"], dtype=pd.StringDtype("pyarrow"))})
    items = _suite([("expect_column_values_to_match_regex", {"column": "a", "regex": r"\d"}),
                    ("expect_column_values_to_be_of_type", {"column": "a", "type_": "str"})])["expectations"]
    arrow, rewritten = frames.arrow_columns(frame, items)
    assert arrow == set() and rewritten == items


def test_whole_row_checks_on_the_codes_give_the_table_answers():
    from readiness.profile.hashing import column_codes

    frame = pd.DataFrame({
        "a": pd.Series(["x", "x", None, None, "y", "x", None, "1"], dtype=pd.StringDtype("pyarrow")),
        "b": pd.Series([1.0, 1.0, None, None, 2.0, 3.0, None, 1.0]),
        "c": pd.Series(["p", "p", None, None, "q", "p", None, 1], dtype=object),
    })
    items = [
        ("expect_table_row_count_to_be_between", {"min_value": 1}),
        ("expect_table_columns_to_match_ordered_list", {"column_list": ["a", "b", "c"]}),
        ("expect_compound_columns_to_be_unique", {"column_list": ["a", "b", "c"]}),
        ("expect_compound_columns_to_be_unique", {"column_list": ["a", "b"], "ignore_row_if": "any_value_is_missing"}),
        ("expect_compound_columns_to_be_unique", {"column_list": ["a", "c"], "ignore_row_if": "never"}),
    ]
    table = Table("t", "t.csv", "csv", frame, None)
    codes = {"t": tuple(column_codes(frame)[0])}
    got = validate.run_suites([(table, _suite(items), "test")], None, codes)
    want = validate.run_suites([(table, _suite(items), "test")])
    summary = [(o.type, o.success, o.element_count, o.unexpected_count, o.error) for o in got]
    assert summary == [(o.type, o.success, o.element_count, o.unexpected_count, o.error) for o in want]
    # rows 0/1 repeat each other; with missing rows kept, 0/1/5 (a, c) and 2/3/6 (all missing)
    assert [o.unexpected_count for o in got][2:] == [2, 2, 6]
    frame_codes = frames.codes_frame(frame, codes["t"])
    assert frame_codes.isna().equals(frame.isna()) and list(frame_codes.columns) == ["a", "b", "c"]


def test_long_tables_are_validated_in_narrow_slices_each_expectation_once():
    assert [frames.slice_width(rows) for rows in (100, 100_000, 1_000_000, 10_000_000)] == [16, 16, 4, 1]
    items = [("expect_table_row_count_to_be_between", {"min_value": 1})] + [
        (kind, {"column": c}) for c in "abc" for kind in ("expect_column_values_to_not_be_null",
                                                          "expect_column_values_to_be_unique")]
    expectations = validate._expectations(_suite(items), "test")
    for width in (1, 2, 16):
        groups = frames.groups(expectations, ["a", "b", "c"], {"c"}, width)
        assert sorted(m for _, members in groups for m in members) == list(range(len(items)))
        assert all(columns is None or len(columns) <= width for columns, _ in groups)
        assert not any(columns and "c" in columns and len(columns) > 1 for columns, _ in groups)  # Arrow apart
