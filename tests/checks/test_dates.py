"""Dates as real exports write them: integer dates (19580329), month names (Jan 1 2000, 01-JAN-2000),
year-only columns; each layout named as written, counted as pandas parses it, and read by the time checks."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.ingest.model import Table
from readiness.profile import dates, formats
from readiness.profile.plan import plan_table
from readiness.settings import Settings
from readiness.validate import suites
from tests.conftest import column, finding, run_audit

NOW = "2025-06-01"


def counts(values):
    return formats.Distinct(pd.Series(values, dtype=object).value_counts(sort=False))


def plan(frame: pd.DataFrame, name: str = "data.csv") -> dict[str, tuple[str, str | None]]:
    """Each column's (type, format) as the audit infers them."""
    table_plan = plan_table(Table(name, name, name.rsplit(".", 1)[-1], frame), Settings(), None, None)
    return {c.name: (c.type, c.format) for c in table_plan.columns}


def text(values) -> pd.Series:
    return pd.Series(values, dtype=pd.StringDtype("pyarrow"))  # a CSV column as ingest reads it


def month_day_year(days: pd.DatetimeIndex) -> list[str]:
    return [f"{day:%b} {day.day} {day.year}" for day in days]  # Jan 1 2000: no zero before the day


def shipped(package: str, *parts: str) -> Path:
    """A data file a PyPI package ships (found without importing the package)."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        pytest.skip(f"{package} is not installed")
    return Path(spec.origin).parent.joinpath(*parts)


@pytest.mark.parametrize(("value", "layout", "day"), [
    ("19580329", "YYYYMMDD", "1958-03-29"),
    ("Jan 1 2000", "Mon DD YYYY", "2000-01-01"),
    ("JAN 15 2000 10:30 PM", "Mon DD YYYY", "2000-01-15"),
    ("january 1 2000", "Mon DD YYYY", "2000-01-01"),
    ("January 1, 2000", "Mon DD, YYYY", "2000-01-01"),
    ("Sept. 5, 2001", "Mon DD, YYYY", "2001-09-05"),
    ("1 Jan 2000", "DD Mon YYYY", "2000-01-01"),
    ("01-Jan-2000", "DD-Mon-YYYY", "2000-01-01"),
    ("01-OCT-2000 10:00:00", "DD-Mon-YYYY", "2000-10-01"),  # an upper-case T inside the month is no time
    ("19-Sep-03", "DD-Mon-YY", "2003-09-19"),
    ("Jan 2000", "Mon YYYY", "2000-01-01"),
    ("SEPTEMBER 2002", "Mon YYYY", "2002-09-01"),
    ("1949-02", "YYYY-MM", "1949-02-01"),
    ("1991 Jul", "YYYY Mon", "1991-07-01"),
    ("1970 Q3", "YYYY Qn", "1970-07-01"),
    ("1970Q4", "YYYY Qn", "1970-10-01"),
    ("2021-05-01 00:00:00+00:00", "YYYY-MM-DD HH:MM:SS", "2021-05-01"),
])
def test_each_layout_is_named_as_written_matched_by_its_gx_regex_and_parsed(value, layout, day):
    verdict = dates.classify_dates(counts([value]))
    assert (verdict.dominant, verdict.conforming) == (layout, 1)
    assert re.search(suites.anchored(dates.LAYOUTS_BY_NAME[layout].pattern), value)  # what GX runs
    parsed = dates.parse_dates(pd.Series([value]), layout)
    assert parsed.dt.normalize().tolist() == [pd.Timestamp(day)]


def test_impossible_integer_dates_are_format_and_other_layouts_mixed():
    verdict = dates.classify_dates(counts(["19580329"] * 3 + ["20001231", "19580231", "1958-03-29", "19581301"]))
    assert verdict.dominant == "YYYYMMDD"
    assert (verdict.conforming, verdict.mixed, verdict.invalid) == (4, 1, 2)


def test_a_bare_year_is_a_date_only_in_a_year_column():
    values = counts(["2001", "2001", "1958", "2024-01-05", "3000"])
    assert dates.classify_dates(values).layouts == {"YYYY-MM-DD": 1}  # elsewhere 2001 is a number
    years = dates.classify_dates(values, forced_layout="YYYY")
    assert (years.conforming, years.mixed, years.invalid) == (3, 1, 1)


# --- counts equal pandas' own parse with the explicit format ---------------------------------------------

# layout -> (how a (year, month, day, month-name) is written, pandas formats, plausible years or None)
WRITTEN = {
    "YYYYMMDD": (lambda y, m, d, name: f"{y:04d}{m:02d}{d:02d}", ["%Y%m%d"], (1800, 2099)),
    "Mon DD YYYY": (lambda y, m, d, name: f"{name} {d} {y}", ["%b %d %Y", "%B %d %Y"], None),
    "Mon DD, YYYY": (lambda y, m, d, name: f"{name} {d:02d}, {y}", ["%b %d, %Y", "%B %d, %Y"], None),
    "DD Mon YYYY": (lambda y, m, d, name: f"{d} {name} {y}", ["%d %b %Y", "%d %B %Y"], None),
    "DD-Mon-YYYY": (lambda y, m, d, name: f"{d:02d}-{name}-{y}", ["%d-%b-%Y", "%d-%B-%Y"], None),
    "DD-Mon-YY": (lambda y, m, d, name: f"{d:02d}-{name}-{y % 100:02d}", ["%d-%b-%y", "%d-%B-%y"], None),
    "Mon YYYY": (lambda y, m, d, name: f"{name} {y}", ["%b %Y", "%B %Y"], None),
    "YYYY": (lambda y, m, d, name: f"{y}", ["%Y"], (1700, 2100)),
}
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]
JUNK = ["soon", "12:30", "n/a yet", "2024-13", "1958032", "Jan", "Foo 1 2000", "2024/1"]


@st.composite
def written(draw, layout):
    year = draw(st.one_of(st.integers(1650, 2150), st.sampled_from([1699, 1700, 1799, 1800, 2099, 2100, 2101])))
    month = draw(st.integers(1, 12) if "Mon" in layout else st.integers(0, 13))
    day = draw(st.integers(0, 32))
    name = MONTH_NAMES[month - 1] if 1 <= month <= 12 else ""
    name = draw(st.sampled_from([name, name[:3], name[:3].upper(), name.lower()]))
    return WRITTEN[layout][0](year, month, day, name)


@st.composite
def column_of(draw):
    layout = draw(st.sampled_from(sorted(WRITTEN)))
    iso = st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(1990, 2030), st.integers(0, 13),
                    st.integers(0, 32))
    values = draw(st.lists(st.one_of(written(layout), iso, st.sampled_from(JUNK)), min_size=1, max_size=40))
    return layout, values


@settings(max_examples=150, deadline=None)
@given(column_of())
def test_counts_and_dates_are_what_pandas_parses_with_the_explicit_format(case):
    layout, values = case
    _, pandas_formats, years = WRITTEN[layout]
    series = pd.Series(values, dtype=object)
    parsed = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    for fmt in pandas_formats:
        parsed = parsed.fillna(pd.to_datetime(series, format=fmt, errors="coerce"))
    if years is not None:  # bare digits: exactly so many, a year in the plausible span
        shaped = series.str.fullmatch(f"[0-9]{{{len(layout)}}}")
        parsed = parsed.where(shaped & parsed.dt.year.between(*years))
    conforming = parsed.notna()
    other = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce").notna() & ~conforming

    verdict = dates.classify_dates(counts(values), forced_layout=layout)
    assert verdict.conforming == int(conforming.sum())
    assert verdict.mixed == int(other.sum())
    assert verdict.invalid == len(values) - int(conforming.sum()) - int(other.sum())
    ours = dates.parse_dates(series[conforming], layout)
    assert ours.dt.normalize().tolist() == parsed[conforming].tolist()


# --- inference --------------------------------------------------------------------------------------------


def test_integer_dates_months_and_years_become_date_columns_and_look_alikes_do_not():
    rng = np.random.default_rng(7)
    days = pd.date_range("1950-01-01", periods=300, freq="17D")
    eight_digit_dates = days.strftime("%Y%m%d").to_numpy(dtype=object)
    mostly_dates = eight_digit_dates.copy()
    mostly_dates[:90] = rng.integers(10**7, 10**8, 90).astype(str)  # 30% ids: not nearly all real dates
    frame = pd.DataFrame({
        "born": text(eight_digit_dates),
        "signed": text(month_day_year(days)),
        "opened": text(days.strftime("%d-%b-%Y").str.upper()),
        "year": text(days.year.astype(str)),
        "BirthYear": text(days.year.astype(str)),
        "fiscal_yr": text(days.year.astype(str)),
        "price": text(rng.integers(1200, 1900, 300).astype(str)),  # 4 digits, but not named as a year
        "years_of_service": text(rng.integers(1990, 2020, 300).astype(str)),  # plural: a count
        "ref": text(rng.integers(10**7, 10**8, 300).astype(str)),
        "mixed_ref": text(mostly_dates),
    })
    planned = plan(frame)
    assert planned["born"] == ("datetime", "date:YYYYMMDD")
    assert planned["signed"] == ("datetime", "date:Mon DD YYYY")
    assert planned["opened"] == ("datetime", "date:DD-Mon-YYYY")
    for name in ("year", "BirthYear", "fiscal_yr"):
        assert planned[name] == ("datetime", "date:YYYY"), name
    for name in ("price", "years_of_service", "ref", "mixed_ref"):
        assert planned[name] == ("integer", "numeric"), name


def test_whole_number_dates_are_typed_as_dates_only_when_every_value_is_one():
    days = pd.date_range("1990-01-01", periods=200, freq="W")
    numbers = days.strftime("%Y%m%d").astype("int64")
    frame = pd.DataFrame({
        "year": days.year.astype("int64"),
        "model_year": pd.array([*days.year[:-1], None], dtype="Int64"),  # a missing value is no defect here
        "day": numbers,
        "day_with_a_typo": np.where(np.arange(200) == 5, 19580231, numbers),
        "price": np.linspace(1200, 1900, 200).astype("int64"),
        "ref": np.random.default_rng(3).integers(10**7, 10**8, 200),
    })
    planned = plan(frame, "facts.parquet")
    assert planned["year"] == planned["model_year"] == ("datetime", "date:YYYY")
    assert planned["day"] == ("datetime", "date:YYYYMMDD")
    for name in ("day_with_a_typo", "price", "ref"):
        assert planned[name] == ("integer", None), name


# --- end to end: one audit of a folder with made-up and real tables --------------------------------------

N = 300
DAYS = pd.Timestamp("2023-01-01") + pd.to_timedelta(np.arange(N), unit="D")
BORN = DAYS.strftime("%Y%m%d").to_numpy(dtype=object)
BORN[np.random.default_rng(11).choice(N, 6, replace=False)] = [
    "19580231", "20230230", "20231301", "1958-03-29", "2023-04-01", "x1"]
YEARS = np.random.default_rng(12).integers(1990, 2031, N)  # 2026..2030 lie after NOW


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> tuple[dict, Path]:
    data = tmp_path_factory.mktemp("dates") / "data"
    data.mkdir()
    pd.DataFrame({"born": BORN, "signed": month_day_year(DAYS), "model_year": YEARS,
                  "price": np.random.default_rng(13).integers(1200, 1900, N)}).to_csv(data / "people.csv", index=False)
    pd.DataFrame({"year": YEARS, "day": DAYS.strftime("%Y%m%d").astype("int64")}).to_parquet(data / "facts.parquet")
    shutil.copy(shipped("gapminder", "gapminder.csv"), data / "gapminder.csv")
    shutil.copy(shipped("lifelines", "datasets", "stanford_heart.csv"), data / "heart.csv")
    shutil.copy(shipped("matplotlib", "mpl-data", "sample_data", "msft.csv"), data / "msft.csv")
    return run_audit(data, data.parent / "out", now=NOW), data


def time_of(document: dict, table: str, name: str) -> dict:
    return next(t for t in document["tables"] if t["name"] == table)["time"][name]


def test_audit_counts_and_time_checks_on_the_new_layouts(audited):
    document, _ = audited
    eight_digits = pd.Series(BORN).str.fullmatch(r"[0-9]{8}")  # pandas' %Y%m%d also reads 1958329
    as_dates = pd.to_datetime(pd.Series(BORN), format="%Y%m%d", errors="coerce").where(eight_digits)
    iso = pd.to_datetime(pd.Series(BORN), format="%Y-%m-%d", errors="coerce")
    assert column(document, "people.csv", "born")["format"] == "date:YYYYMMDD"
    assert finding(document, "people.csv/born/format")["count"] == int((as_dates.isna() & iso.isna()).sum())
    assert finding(document, "people.csv/born/mixed_formats")["count"] == int(iso.notna().sum())
    assert column(document, "people.csv", "signed")["format"] == "date:Mon DD YYYY"
    assert column(document, "people.csv", "signed")["format_conformance"] == 1.0
    assert column(document, "people.csv", "price")["type"] == "integer"
    year_starts = pd.to_datetime(pd.Series(YEARS).astype(str), format="%Y")
    future = int((year_starts > pd.Timestamp(NOW)).sum())
    for table, name in (("people.csv", "model_year"), ("facts.parquet", "year")):
        assert (column(document, table, name)["type"], column(document, table, name)["format"]) == \
            ("datetime", "date:YYYY")
        assert column(document, table, name)["examples"] == ["YYYY"]
        assert finding(document, f"{table}/{name}/future_dates")["count"] == future
        time = time_of(document, table, name)
        assert (time["oldest"], time["newest"]) == (str(year_starts.min().date()), str(year_starts.max().date()))
    time = time_of(document, "facts.parquet", "day")
    assert (time["oldest"], time["newest"]) == (str(DAYS.min().date()), str(DAYS.max().date()))
    gx = {r["column"]: r for t in document["validation"]["tables"] if t["table"] == "people.csv"
          for r in t["results"] if r["check"] == "format"}
    assert gx["signed"]["success"] and gx["model_year"]["success"]  # GX runs each layout's pattern
    pattern = re.compile(dates.LAYOUTS_BY_NAME["YYYYMMDD"].pattern)  # 19580231 fits it: the count says so
    assert gx["born"]["unexpected_count"] == sum(pattern.fullmatch(value) is None for value in BORN)


def test_real_tables_with_years_and_month_names(audited):
    document, data = audited
    assert column(document, "gapminder.csv", "year")["format"] == "date:YYYY"
    year = pd.read_csv(data / "gapminder.csv")["year"]
    time = time_of(document, "gapminder.csv", "year")
    assert (time["oldest"], time["newest"]) == (f"{year.min()}-01-01", f"{year.max()}-01-01")
    assert column(document, "heart.csv", "year")["type"] == "numeric"  # named year, holds fractions of years
    assert column(document, "msft.csv", "Date")["format"] == "date:DD-Mon-YY"
    assert column(document, "msft.csv", "Date")["format_conformance"] == 1.0
    dates = pd.to_datetime(pd.read_csv(data / "msft.csv")["Date"], format="%d-%b-%y")
    time = time_of(document, "msft.csv", "Date")
    assert (time["oldest"], time["newest"]) == (str(dates.min().date()), str(dates.max().date()))


def test_months_quarters_and_offsets_count_as_pandas_parses_them():
    values = ["1949-01", "1949-02", "1949-13", "1950-12", "1970 Q1", "2020-01-01"]
    verdict = dates.classify_dates(counts(values))
    expected = pd.to_datetime(pd.Series(values), format="%Y-%m", errors="coerce")
    assert verdict.dominant == "YYYY-MM"
    assert verdict.conforming == int(expected.notna().sum()) == 3
    assert verdict.mixed == 2  # a quarter and a full date are dates in other layouts
    assert verdict.invalid == 1  # month 13


def test_an_unnamed_first_column_of_years_is_a_date_column_not_a_row_number(tmp_path):
    data = tmp_path / "series"
    data.mkdir()
    years = list(range(1821, 1935))
    pd.DataFrame({"": years, "0": np.arange(len(years)) * 3 + 100}).to_csv(data / "lynx.csv", index=False)
    document = run_audit(data, tmp_path / "out")
    first = document["tables"][0]["columns"][0]
    assert first["type"] == "datetime"
    assert "lynx.csv/Unnamed: 0/row_index_column" not in {f["id"] for f in document["findings"]}
