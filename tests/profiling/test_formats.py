"""Value formats and date layouts: mixed layouts, impossible dates, emails."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.profile import dates, formats


def distinct(values):
    return formats.Distinct(pd.Series(values, dtype=object).value_counts(sort=False))


def test_dominant_layout_mixed_and_invalid_dates():
    values = ["2024-01-05 10:00:00"] * 6 + ["05/01/2024", "31/12/2023"] + ["soon", "2024-02-30 10:00:00"]
    verdict = dates.classify_dates(distinct(values))
    assert verdict.dominant == "YYYY-MM-DD HH:MM:SS"
    assert verdict.conforming == 6
    assert verdict.mixed == 2
    assert verdict.invalid == 2  # one no date at all, one impossible calendar date


def test_month_first_slash_dates_are_checked_as_month_first():
    values = ["12/31/2024", "01/15/2024", "02/30/2024"]
    verdict = dates.classify_dates(distinct(values))
    assert verdict.dominant == "DD/MM/YYYY"  # the slash family; day or month order is found per column
    assert verdict.conforming == 2
    assert verdict.invalid == 1


def test_named_month_layouts():
    verdict = dates.classify_dates(distinct(["Jan 5, 2024", "March 3, 2024", "Feb 31, 2024"]))
    assert verdict.dominant == "Mon DD, YYYY"
    assert (verdict.conforming, verdict.invalid) == (2, 1)


def test_email_and_number_patterns():
    emails = distinct(["a@b.co", "x.y@z.org", "bad", "no@tld", " a@b.co "])
    assert formats.nonconforming(emails, formats.EMAIL_RE) == 2
    numbers = distinct(["1", "-2.5", "1e3", "12,50", "free"])
    assert formats.nonconforming(numbers, formats.NUMBER_RE) == 2


def test_the_work_on_distinct_values_stays_with_them_and_no_further():
    import pickle

    values = distinct(["2024-01-05"] * 3 + [" 2024-02-30 ", "soon"] + [f"id {i}" for i in range(100)])
    first = dates.classify_dates(values)
    assert {"stripped", "layouts"} <= values.__dict__.keys()  # done once for every later question
    assert dates.classify_dates(values, forced_layout="YYYY-MM-DD").invalid == first.invalid
    sent = pickle.loads(pickle.dumps(values))  # a prepared table from a forked child: its counts only
    assert sent.__dict__.keys() == {"counts"} and dates.classify_dates(sent) == first
    values.release()
    assert values.__dict__.keys() == {"counts"} and dates.classify_dates(values) == first


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.sampled_from(["1", "2", "3", None]),
                          st.integers(0, 3)), max_size=40))
def test_duplicate_rows_from_codes_are_pandas_duplicated(rows):
    from readiness.profile.hashing import column_codes, duplicated_rows

    frame = pd.DataFrame(rows, columns=["a", "b", "c"]) if rows else pd.DataFrame({"a": [], "b": [], "c": []})
    frame["a"] = frame["a"].astype(pd.StringDtype("pyarrow"))
    codes, _ = column_codes(frame)
    assert duplicated_rows(codes, len(frame)).tolist() == frame.duplicated().tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list(" T-/0at\u00a0")), max_size=8), min_size=1, max_size=20))
def test_date_parts_cut_where_the_regex_split_does(values):
    want = pd.Series(values, dtype=object).str.split(r"[ T]", n=1, regex=True).str[0].tolist()
    for dtype in (object, pd.StringDtype("pyarrow")):
        assert dates._date_parts(pd.Series(values, dtype=dtype)).tolist() == want


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(list("0129-+.eE ,x\t")), max_size=18)),
                max_size=30))
def test_numbers_in_arrow_text_are_what_pandas_parses(values):
    # plain integers are cast by Arrow, the rest parsed by pandas: together pd.to_numeric's answer
    from readiness.profile import infer

    arrow = pd.Series(values, dtype=pd.StringDtype("pyarrow"))
    expected = pd.to_numeric(pd.Series(values, dtype=object).str.strip(), errors="coerce").astype("float64")
    pd.testing.assert_series_equal(infer.numeric_values(arrow), expected, check_names=False)
