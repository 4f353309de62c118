"""ML checks on real public tables (scikit-learn's bundled data) with seeded defects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.checks import keys, leakage
from tests.conftest import finding, run_audit

datasets = pytest.importorskip("sklearn.datasets")
ML_CHECKS = {"leakage", "conflicting_labels", "split_overlap", "label_variants"}


def named_frame(loader) -> pd.DataFrame:
    bunch = loader(as_frame=True)
    frame = bunch.frame.copy()
    frame["target"] = frame["target"].map(dict(enumerate(bunch.target_names)))
    return frame


def write(folder, frame, name="data.csv"):
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / name, index=False)
    return folder


@pytest.mark.parametrize("loader", [datasets.load_iris, datasets.load_breast_cancer, datasets.load_wine])
def test_clean_real_tables_raise_no_leakage_conflict_or_overlap(tmp_path, loader):
    data = write(tmp_path / "d", named_frame(loader))
    document = run_audit(data, tmp_path / "out", label="target", profile_enabled=False)
    assert not [f["id"] for f in document["findings"] if f["check"] in ML_CHECKS]


def test_a_recoded_label_with_two_percent_noise_is_a_leak(tmp_path):
    frame = named_frame(datasets.load_breast_cancer)
    rng = np.random.default_rng(3)
    codes = frame["target"].map({"malignant": "M", "benign": "B"})
    noisy = rng.random(len(frame)) < 0.02
    codes[noisy] = rng.choice(["M", "B"], noisy.sum())
    frame["diagnosis_code"] = codes
    frame["follow_up_visits"] = rng.integers(0, 5, len(frame))
    data = write(tmp_path / "d", frame)
    (data / "readiness.toml").write_text('[label]\ncolumn = "target"\nafter_outcome = ["follow_up_visits"]\n')
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    leaks = {f["column"]: f for f in document["findings"] if f["check"] == "leakage"}
    assert set(leaks) == {"diagnosis_code", "follow_up_visits"}
    assert leaks["diagnosis_code"]["severity"] == "blocker"
    assert leaks["diagnosis_code"]["details"]["cv_accuracy"] >= 0.975
    assert leaks["follow_up_visits"]["details"]["declared_after_outcome"] is True
    assert document["grade"] == "not-ready"


def test_label_variants_and_conflicting_labels_with_exact_counts(tmp_path):
    frame = named_frame(datasets.load_wine)
    frame.loc[[0, 5, 9], "target"] = "Class_0"
    frame.loc[[60, 61], "target"] = "class_1 "
    copies = frame.iloc[[100, 101, 102, 103]].copy()
    copies["target"] = "class_0"  # the same measurements, another label
    frame = pd.concat([frame, copies], ignore_index=True)
    data = write(tmp_path / "d", frame)
    document = run_audit(data, tmp_path / "out", label="target", profile_enabled=False)
    assert finding(document, "data.csv/target/label_variants")["count"] == 5
    text = pd.read_csv(data / "data.csv", dtype=str)
    features = [c for c in text.columns if c != "target"]
    spread = text.groupby(features)["target"].transform("nunique")
    assert finding(document, "data.csv/target/conflicting_labels")["count"] == int((spread > 1).sum()) == 8


def test_split_overlap_schema_and_label_shift(tmp_path):
    frame = named_frame(datasets.load_iris).sample(frac=1.0, random_state=0).reset_index(drop=True)
    train, test = frame.iloc[:110].copy(), frame.iloc[110:].copy()
    test = pd.concat([test, train.iloc[:12]], ignore_index=True)  # 12 training rows also in test
    data = tmp_path / "d"
    write(data, train, "train.csv")
    write(data, test.drop(columns=["petal width (cm)"]), "test.csv")
    document = run_audit(data, tmp_path / "out", label="target", profile_enabled=False)
    overlap = finding(document, "test.csv/split_overlap")
    shared = [c for c in test.columns if c not in ("target", "petal width (cm)")]
    train_keys = set(map(tuple, pd.read_csv(data / "train.csv", dtype=str)[shared].itertuples(index=False)))
    expected = sum(tuple(r) in train_keys for r in pd.read_csv(data / "test.csv", dtype=str)[shared].itertuples(index=False))
    assert overlap["count"] == expected >= 12
    mismatch = finding(document, "test.csv/split_schema_mismatch")
    assert mismatch["details"]["only_in_one"] == ["petal width (cm)"]


def test_time_checks_future_dates_gaps_and_freshness(tmp_path):
    frame = named_frame(datasets.load_iris)
    dates = pd.date_range("2024-01-01", periods=len(frame), freq="D")
    dates = dates.where(np.arange(len(frame)) < 120, dates + pd.Timedelta(days=200))  # one long gap
    text = pd.Series(dates.strftime("%Y-%m-%d"))
    text.iloc[[3, 7, 11, 19]] = ["2031-01-01", "2030-06-30", "2029-12-31", "2030-01-15"]
    frame["measured_on"] = text
    data = write(tmp_path / "d", frame)
    document = run_audit(data, tmp_path / "out", label="target", now="2026-11-22", profile_enabled=False)
    assert finding(document, "data.csv/measured_on/future_dates")["count"] == 4
    assert finding(document, "data.csv/measured_on/time_gaps")["count"] >= 1
    summary = document["tables"][0]["time"]["measured_on"]
    assert summary["newest"] == "2031-01-01" and summary["oldest"] == "2024-01-01"


def test_regression_target_outliers(tmp_path):
    bunch = datasets.load_diabetes(as_frame=True)
    frame = bunch.frame.copy()
    frame.loc[[2, 40, 300], "target"] = frame["target"].median() * 100
    data = write(tmp_path / "d", frame)
    document = run_audit(data, tmp_path / "out", label="target", profile_enabled=False)
    assert document["task"] == "regression"
    assert finding(document, "data.csv/target/label_outliers")["count"] == 3
    assert document["label"]["classes"] is None


def test_the_score_falls_with_each_ml_defect(tmp_path):
    clean = named_frame(datasets.load_wine)
    base = run_audit(write(tmp_path / "a", clean), tmp_path / "o", label="target", profile_enabled=False)
    dirty = clean.copy()
    dirty.loc[[0, 1], "target"] = "Class_0"
    worse = run_audit(write(tmp_path / "b", dirty), tmp_path / "o", label="target", profile_enabled=False)
    assert worse["score_exact"] < base["score_exact"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aAbB ßSsİi\u0307\t\n\x1c\x85\u00a0\u2003ǅǆ.")), max_size=8),
                min_size=1, max_size=30))
def test_normal_codes_group_texts_as_normal_does(values):
    codes = keys.normal_codes(pd.Series(values, dtype=object))
    want = [keys.normal_form(v) for v in values]
    distinct = list(dict.fromkeys(values))  # text_checks counts over distinct values
    for texts in (pd.Series(distinct, dtype=object), pd.Series(distinct, dtype=pd.StringDtype("pyarrow"))):
        assert keys.normal_distinct(texts) == len({keys.normal_form(v) for v in distinct})
    for i in range(len(values)):
        for j in range(len(values)):
            assert (codes[i] == codes[j]) == (want[i] == want[j]), (values[i], values[j])


def test_text_conflicts_and_repeats_match_a_row_by_row_count(tmp_path):
    rng = np.random.default_rng(3)
    words = ["refund", "Late", "broken  item", "where is my order", "Straße", "STRASSE", "café\u00a0ok", "help"]
    texts = [" ".join(rng.choice(words, 3)) for _ in range(400)]
    texts = [t.upper() if i % 7 == 0 else (" " + t + "\t" if i % 11 == 0 else t) for i, t in enumerate(texts)]
    frame = pd.DataFrame({"message": texts, "intent": rng.choice(["a", "b", "c"], len(texts)),
                          "channel": rng.choice(["x", "y"], len(texts))})
    frame.loc[::13, "intent"] = None
    data = write(tmp_path / "d", frame)
    document = run_audit(data, tmp_path / "out", label="intent", task="text-classification", profile_enabled=False)
    text = pd.read_csv(data / "data.csv", dtype=str, keep_default_na=False, na_values=[""])
    normal = text["message"].map(keys.normal_form)
    labeled = text[text["intent"].notna()].assign(key=normal)
    spread = labeled.groupby("key")["intent"].transform("nunique")
    conflicts = finding(document, "data.csv/intent/conflicting_labels")
    assert conflicts["count"] == int((spread > 1).sum()) > 0
    assert conflicts["details"]["groups"] == labeled[spread > 1]["key"].nunique()
    repeats = int(normal.duplicated().sum()) - int(text.duplicated().sum())
    assert finding(document, "data.csv/message/duplicate_texts")["count"] == repeats > 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(["a", "b", "a ", "B", "ab"])), st.sampled_from("xyz")),
                min_size=2, max_size=60))
def test_accuracy_from_the_codes_equals_accuracy_from_the_text(rows):
    # leakage scores text columns from their factorised codes (missing = -1), as the counts do
    x = pd.Series([value for value, _ in rows], dtype=pd.StringDtype("pyarrow"))
    y = pd.Series([label for _, label in rows])
    codes = pd.factorize(x, use_na_sentinel=True)[0].astype(np.int32)
    assert leakage.single_column_accuracy(codes, y) == leakage.single_column_accuracy(x, y)


def test_a_nullable_boolean_column_with_gaps_is_checked_for_leakage_without_error(tmp_path):
    """Parquet's nullable booleans hold pd.NA, whose comparison is neither True nor False."""
    data = tmp_path / "data"
    data.mkdir()
    flags = pd.array([True if i % 3 else None for i in range(300)], dtype="boolean")
    pd.DataFrame({"flag": flags, "label": ["y", "n"] * 150}).to_parquet(data / "t.parquet")
    document = run_audit(data, tmp_path / "out", profile_enabled=False, label="label")
    table = document["tables"][0]
    assert table["rows"] == 300
    flag = next(c for c in table["columns"] if c["name"] == "flag")
    assert flag["missing"] == 100
    assert not any(f["check"] == "leakage" for f in document["findings"])
