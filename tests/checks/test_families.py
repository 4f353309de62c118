"""Check families with no other test of their own: labels outside the declared classes, no label
column, texts too long, stale dates, a label mix that differs between splits; and the expectations
and waivers families (GX outcomes and readiness.toml waivers applied to findings)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from readiness.checks import catalog
from readiness.checks.base import make_finding
from readiness.checks.expectations import expectation_findings
from readiness.checks.waivers import waive
from readiness.models import ExpectationOutcome
from readiness.settings import Settings, Waiver
from tests.conftest import finding, run_audit

NOW = "2026-11-22"


def write(folder, frame, name="data.csv"):
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / name, index=False)
    return folder


def measurements(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"width": [round(1.5 + (i * 37 % 101) / 10, 1) for i in range(rows)],
                         "height": [round(2.0 + (i * 53 % 97) / 10, 1) for i in range(rows)]})


def test_labels_outside_the_declared_classes_are_counted(tmp_path):
    frame = measurements(80)
    frame["kind"] = ["a" if i % 2 else "b" for i in range(80)]
    frame.loc[[3, 10, 40], "kind"] = "c"
    data = write(tmp_path / "d", frame)
    (data / "readiness.toml").write_text('[label]\ncolumn = "kind"\nclasses = ["a", "b"]\n', encoding="utf-8")
    document = run_audit(data, tmp_path / "out", now=NOW, profile_enabled=False)
    found = finding(document, "data.csv/kind/label_not_in_set")
    assert (found["count"], found["severity"], found["dimension"]) == (3, "major", "label_readiness")


def test_a_supervised_task_without_a_label_column_is_a_blocker(tmp_path):
    data = write(tmp_path / "d", measurements(40))
    document = run_audit(data, tmp_path / "out", task="classification", now=NOW, profile_enabled=False)
    found = finding(document, "no_label")
    assert found["severity"] == "blocker"
    assert document["grade"] == "not-ready"


def test_a_text_longer_than_the_limit_is_text_too_long(tmp_path):
    frame = measurements(40)
    frame["note"] = [f"the parcel {i} arrived on a wet morning, box {i * 7} slightly dented" for i in range(40)]
    frame.loc[5, "note"] = "word " * 1200  # 6,000 characters
    data = write(tmp_path / "d", frame)
    document = run_audit(data, tmp_path / "out", now=NOW, profile_enabled=False)
    found = finding(document, "data.csv/note/text_too_long")
    assert (found["count"], found["dimension"]) == (1, "validity")


def test_dates_that_end_long_ago_are_stale_data(tmp_path):
    frame = measurements(40)
    frame["measured_on"] = pd.date_range("2020-01-01", periods=40, freq="D").strftime("%Y-%m-%d")
    data = write(tmp_path / "d", frame)
    document = run_audit(data, tmp_path / "out", now=NOW, profile_enabled=False)
    found = finding(document, "data.csv/measured_on/stale_data")
    assert found["severity"] == "info"
    assert found["details"]["newest"] == "2020-02-09"
    assert found["details"]["days_since_newest"] == (date(2026, 11, 22) - date(2020, 2, 9)).days


def test_a_test_file_with_another_label_mix_is_split_label_shift(tmp_path):
    train, test = measurements(200), measurements(260).iloc[200:].reset_index(drop=True) + 100
    train["kind"] = ["a" if i % 10 else "b" for i in range(200)]  # 90% a
    test["kind"] = ["a" if i % 2 else "b" for i in range(60)]  # 50% a
    data = write(tmp_path / "d", train, "train.csv")
    write(data, test, "test.csv")
    document = run_audit(data, tmp_path / "out", label="kind", now=NOW, profile_enabled=False)
    found = finding(document, "test.csv/kind/split_label_shift")
    assert found["details"]["train"] == "train.csv"
    assert found["details"]["psi"] > 0.1


def test_failed_and_broken_user_expectations_become_findings():
    outcomes = [
        ExpectationOutcome("t.csv", "expect_column_values_to_be_unique", "id", False, 10, 4),
        ExpectationOutcome("t.csv", "expect_column_mean_to_be_between", "gone", False, None, None, error="boom"),
        ExpectationOutcome("t.csv", "expect_column_values_to_not_be_null", "id", False, 10, 2,
                           check="missing_values"),  # a built-in check reports this one itself
    ]
    failed, broken = expectation_findings(outcomes, {"t.csv": 10}, {"t.csv": {"id"}})
    assert (failed.check, failed.count, failed.fraction, failed.expectation) == (
        "expectation_failed", 4, 0.4, "expect_column_values_to_be_unique")
    assert failed.dimension == catalog.check("expectation_failed").dimension
    assert failed.message == "expect_column_values_to_be_unique failed for 4 values (from the table's suite)"
    assert (broken.check, broken.count, broken.subject) == ("expectation_error", 0, "expect_column_mean_to_be_between")
    assert "names column gone, which does not exist in t.csv" in broken.message


def test_an_active_waiver_waives_and_an_expired_one_is_noted():
    live = make_finding("missing_values", "minor", "t.csv", "a", 5, 100, "gaps")
    old = make_finding("not_unique", "minor", "t.csv", "id", 2, 100, "repeats")
    kept = make_finding("format", "minor", "t.csv", "b", 1, 100, "bad")
    settings = Settings(waivers=(Waiver(live.id, "agreed", date(2027, 1, 1)), Waiver(old.id, "old", date(2026, 1, 1))))
    waived, expired, untouched = waive([live, old, kept], settings, date(2026, 11, 22))
    assert waived.waived and waived.details["waiver"] == {"reason": "agreed", "expires": "2027-01-01"}
    assert not expired.waived and expired.details["waiver_expired"]["reason"] == "old"
    assert untouched == kept
