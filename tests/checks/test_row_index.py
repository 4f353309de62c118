"""Row-number columns (typed row_index) and duplicate rows the data itself explains."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest

from readiness.ingest.walk import ingest
from readiness.profile import keys
from readiness.settings import build_settings
from tests.conftest import column, finding, run_audit

sklearn_datasets = pytest.importorskip("sklearn.datasets")

NOW = "2026-11-22"


def _folder(tmp_path, name="data"):
    folder = tmp_path / name
    folder.mkdir()
    return folder


def _ids(document):
    return {f["id"] for f in document["findings"]}


def _row_index_of(folder, label=None):
    """row_index_columns of the folder's only table, as the audit would find them."""
    table = ingest(folder).tables[0]
    return keys.row_index_columns(table, build_settings(folder, None, label=label), label)


def _measurements(rows=400, seed=3):
    """A table whose duplicate rows are real repeats: a continuous column makes chance repeats unlikely."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"weight": rng.normal(70, 12, rows).round(3), "site": rng.choice(["a", "b", "c"], rows),
                          "visits": rng.integers(0, 9, rows)})
    return pd.concat([frame, frame.iloc[[5, 17, 17, 230]]], ignore_index=True)


# --- what is a row number ------------------------------------------------------------------------


def test_a_pandas_index_written_to_csv_is_a_row_index_left_out_of_duplicate_rows(tmp_path):
    data = _folder(tmp_path)
    frame = _measurements()
    frame.to_csv(data / "visits.csv", index=True)  # the empty header is read as "Unnamed: 0"
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    text = pd.read_csv(data / "visits.csv", dtype=str)
    row_index = ["Unnamed: 0"]
    expected = int(text.drop(columns=row_index).duplicated().sum())
    assert expected == 4 and int(text.duplicated().sum()) == 0  # the row number hid every repeat
    assert column(document, "visits.csv", "Unnamed: 0")["type"] == "row_index"
    assert document["tables"][0]["duplicate_rows"] == expected
    assert finding(document, "visits.csv/duplicate_rows")["count"] == expected
    assert finding(document, "visits.csv/Unnamed: 0/row_index_column")["severity"] == "info"
    assert "visits.csv/Unnamed: 0/not_unique" not in _ids(document)
    # the whole-row uniqueness the GX suite runs leaves it out too
    suite = document["validation"]["tables"][0]
    compound = [r for r in suite["results"] if r["type"] == "expect_compound_columns_to_be_unique"]
    assert compound and not compound[0]["success"]


@pytest.mark.parametrize("writer", ["reset_index", "r_rownames", "one_based", "parquet_int", "json_int",
                                    "stacked_index"])
def test_row_numbers_are_found_by_name_or_by_values(writer, tmp_path):
    data = _folder(tmp_path)
    frame = _measurements()
    expected = int(frame.duplicated().sum())  # before the row number is added
    if writer == "reset_index":  # "index" after reset_index, in a shuffled table: not in file order
        frame.sample(frac=1, random_state=1).reset_index().to_csv(data / "t.csv", index=False)
        name = "index"
    elif writer == "r_rownames":  # R's write.csv read back by read.csv: the row names become "X", 1..n
        frame.insert(0, "X", np.arange(1, len(frame) + 1))
        frame.to_csv(data / "t.csv", index=False)
        name = "X"
    elif writer == "one_based":  # any name, 1..n in file order
        frame.insert(2, "n", np.arange(1, len(frame) + 1))
        frame.to_csv(data / "t.csv", index=False)
        name = "n"
    elif writer == "parquet_int":
        frame.insert(0, "seq", np.arange(len(frame)))
        frame.to_parquet(data / "t.parquet", index=False)
        name = "seq"
    elif writer == "json_int":
        frame.insert(1, "position", np.arange(len(frame)))
        frame.to_json(data / "t.jsonl", orient="records", lines=True)
        name = "position"
    else:  # two frames stacked without ignore_index: the index repeats, still a row number
        parts = [frame.iloc[:200].reset_index(drop=True), frame.iloc[200:].reset_index(drop=True)]
        pd.concat(parts).to_csv(data / "t.csv", index=True)
        name = "Unnamed: 0"
    table_name = next(p.name for p in data.iterdir())
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    assert column(document, table_name, name)["type"] == "row_index"
    assert finding(document, f"{table_name}/{name}/row_index_column")["count"] == len(frame)
    assert expected == 4
    assert document["tables"][0]["duplicate_rows"] == expected
    assert f"{table_name}/{name}/not_unique" not in _ids(document)
    # volume guidance counts three feature columns, not the row number
    assert any(f"{table_name}: {len(frame):,} rows for 3 feature columns" in note
               for note in document["volume_guidance"])


@pytest.mark.parametrize("case", ["small_cycle_named_index", "x_not_first", "leading_zeros", "with_a_gap",
                                  "decimal_text", "named_id", "declared_id", "starts_at_two"])
def test_columns_that_are_not_row_numbers(case, tmp_path):
    data = _folder(tmp_path)
    rows = 120
    frame = pd.DataFrame({"a": np.arange(rows) % 7, "b": np.arange(rows) % 3})
    config = ""
    if case == "small_cycle_named_index":  # a position inside a group, not the row number
        frame["index"] = np.arange(rows) % 5
        name = "index"
    elif case == "x_not_first":  # X is R's row-name column only in first place
        frame["X"] = np.random.default_rng(0).permutation(rows)
        name = "X"
    elif case == "leading_zeros":
        frame["code"] = [f"{i:04d}" for i in range(rows)]
        name = "code"
    elif case == "with_a_gap":
        frame["step"] = np.r_[np.arange(1, rows), rows + 5]
        name = "step"
    elif case == "decimal_text":
        frame["t"] = [f"{i}.0" for i in range(rows)]
        name = "t"
    elif case == "named_id":  # an id column stays an id (not_unique still watches it)
        frame.insert(0, "id", np.arange(1, rows + 1))
        name = "id"
    elif case == "declared_id":
        frame["n"] = np.arange(rows)
        config = '[tables."t.csv"]\nid_columns = ["n"]\n'
        name = "n"
    else:
        frame["k"] = np.arange(2, rows + 2)
        name = "k"
    frame.to_csv(data / "t.csv", index=False)
    if config:
        (data / "readiness.toml").write_text(config, encoding="utf-8")
    assert name not in _row_index_of(data)
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    assert column(document, "t.csv", name)["type"] != "row_index"
    assert f"t.csv/{name}/row_index_column" not in _ids(document)


def test_a_row_number_with_a_missing_value_or_as_the_label_is_not_a_row_index(tmp_path):
    data = _folder(tmp_path)
    frame = pd.DataFrame({"Unnamed: 0": [str(i) for i in range(50)], "a": np.arange(50) % 4})
    frame.loc[7, "Unnamed: 0"] = ""
    frame.to_csv(data / "t.csv", index=False)
    assert _row_index_of(data) == ()
    frame.loc[7, "Unnamed: 0"] = "7"
    frame["rank"] = np.arange(1, 51)
    frame.to_csv(data / "t.csv", index=False)
    assert _row_index_of(data) == ("Unnamed: 0", "rank")
    assert _row_index_of(data, label="rank") == ("Unnamed: 0",)


# --- a row number that gives the label away ---------------------------------------------------------


def _iris_sorted(folder, index):
    frame = sklearn_datasets.load_iris(as_frame=True).frame
    frame = frame.sort_values("target", kind="stable").reset_index(drop=True)
    frame.to_csv(folder / "iris.csv", index=index)
    return frame


def test_iris_sorted_by_class_with_its_row_number_reports_the_order_and_the_row_number(tmp_path):
    data = _folder(tmp_path)
    frame = _iris_sorted(data, index=True)
    document = run_audit(data, tmp_path / "out", label="target", profile_enabled=False)
    assert column(document, "iris.csv", "Unnamed: 0")["type"] == "row_index"
    leak = finding(document, "iris.csv/Unnamed: 0/leakage")
    assert leak["severity"] == "major" and leak["details"]["row_index"] is True
    assert leak["details"]["cv_accuracy"] >= 0.9
    ordered = finding(document, "iris.csv/target/label_sorted")
    assert ordered["details"]["row_index_columns"] == ["Unnamed: 0"] and "Unnamed: 0" in ordered["message"]
    # iris repeats one flower's measurements; the row number no longer hides it
    assert document["tables"][0]["duplicate_rows"] == int(frame.duplicated().sum()) == 1
    # the same data without the row number: no leak, and a higher score
    plain = _folder(tmp_path, "plain")
    _iris_sorted(plain, index=False)
    without = run_audit(plain, tmp_path / "out", label="target", profile_enabled=False)
    assert not any(f["check"] == "leakage" for f in without["findings"])
    assert document["score"] < without["score"]


def _digits_zero_or_not():
    """sklearn's digits (1,797 rows) with an imbalanced binary label: is the digit a zero (10%)."""
    frame = sklearn_datasets.load_digits(as_frame=True).frame
    frame["is_zero"] = np.where(frame.pop("target") == 0, "yes", "no")
    return frame


def test_an_imbalanced_label_sorted_with_its_row_number_is_not_scored_ready(tmp_path):
    """A table large enough for full volume, sorted by an imbalanced label, row number included:
    the row number predicts the label; the audit says so and the score falls from 100."""
    frame = _digits_zero_or_not()
    shuffled = _folder(tmp_path, "shuffled")
    frame.sample(frac=1, random_state=0).reset_index(drop=True).to_csv(shuffled / "digits.csv", index=True)
    clean = run_audit(shuffled, tmp_path / "out", label="is_zero", now=NOW, profile_enabled=False)
    assert not {f["check"] for f in clean["findings"]} & {"leakage", "label_sorted"}

    ordered = _folder(tmp_path, "ordered")
    frame.sort_values("is_zero", kind="stable").reset_index(drop=True).to_csv(ordered / "digits.csv", index=True)
    document = run_audit(ordered, tmp_path / "out", label="is_zero", now=NOW, profile_enabled=False)
    assert column(document, "digits.csv", "Unnamed: 0")["type"] == "row_index"
    leak = finding(document, "digits.csv/Unnamed: 0/leakage")
    assert leak["details"]["majority_baseline"] > 0.85  # imbalanced: 30 points above it is impossible
    assert "digits.csv/is_zero/label_sorted" in _ids(document)
    assert document["score"] < 100 and document["score"] < clean["score"]
    assert document["grade"] != "ready"


def test_a_shuffled_row_number_saved_before_shuffling_still_leaks(tmp_path):
    """Sorted by the label, numbered, then shuffled: the row number is out of file order but
    still gives the label away; row order alone does not."""
    data = _folder(tmp_path)
    frame = _digits_zero_or_not().sort_values("is_zero", kind="stable").reset_index(drop=True)
    frame.sample(frac=1, random_state=4).to_csv(data / "digits.csv", index=True)
    document = run_audit(data, tmp_path / "out", label="is_zero", now=NOW, profile_enabled=False)
    assert column(document, "digits.csv", "Unnamed: 0")["type"] == "row_index"
    assert "digits.csv/Unnamed: 0/leakage" in _ids(document)
    assert "digits.csv/is_zero/label_sorted" not in _ids(document)


def test_label_conflicts_ignore_the_row_number(tmp_path):
    data = _folder(tmp_path)
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"colour": rng.choice(["red", "blue"], 300), "size": rng.choice(["S", "M", "L"], 300),
                          "label": rng.choice(["keep", "drop"], 300)})
    frame.sample(frac=1, random_state=2).to_csv(data / "t.csv", index=True)
    document = run_audit(data, tmp_path / "out", label="label", now=NOW, profile_enabled=False)
    inputs = ["colour", "size"]
    groups = frame.groupby(inputs)["label"].transform("nunique")
    assert finding(document, "t.csv/label/conflicting_labels")["count"] == int((groups > 1).sum()) > 0


def test_split_overlap_ignores_the_row_number(tmp_path):
    data = _folder(tmp_path)
    frame = _measurements(rows=300)
    train = frame.iloc[:250]
    test = pd.concat([frame.iloc[250:], frame.iloc[[1, 2, 3]]], ignore_index=True)  # numbered afresh
    train.to_csv(data / "train.csv", index=True)
    test.to_csv(data / "test.csv", index=True)
    document = run_audit(data, tmp_path / "out", now=NOW, profile_enabled=False)
    expected = int(pd.MultiIndex.from_frame(test).isin(pd.MultiIndex.from_frame(train)).sum())
    assert expected >= 3
    assert finding(document, "test.csv/split_overlap")["count"] == expected


# --- duplicate rows the data explains ------------------------------------------------------------------


def _survey(rows=600, seed=11):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "age_band": rng.choice(["18-24", "25-34", "35-44", "45-64", "65+"], rows),
        "region": rng.choice(["north", "south", "east", "west"], rows),
        "q1": rng.integers(1, 6, rows), "q2": rng.integers(1, 6, rows),
        "recommend": rng.choice(["yes", "no"], rows),
    })


def test_survey_answers_without_an_id_are_likely_real_repeats(tmp_path):
    data = _folder(tmp_path)
    frame = _survey()
    frame.to_csv(data / "survey.csv", index=True)  # a row number does not make a row an entity
    document = run_audit(data, tmp_path / "out", now=NOW, profile_enabled=False)
    expected = int(frame.duplicated().sum())
    assert expected > 0
    duplicates = finding(document, "survey.csv/duplicate_rows")
    assert duplicates["count"] == document["tables"][0]["duplicate_rows"] == expected
    assert duplicates["severity"] == "info"
    assert duplicates["details"]["likely_legitimate"] is True
    assert duplicates["details"]["reason"] == "low_cardinality"
    assert "different people or events" in duplicates["message"]
    briefing = (tmp_path / "out" / "data" / document["run_id"] / "briefing.md").read_text(encoding="utf-8")
    assert duplicates["details"]["fix"] in briefing
    assert "Remove exact duplicates" not in briefing  # the generic fix is not offered for them


def test_few_combinations_of_values_make_repeats_expected(tmp_path):
    data = _folder(tmp_path)
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"store": rng.integers(1000, 1200, 3000), "open": rng.choice(["yes", "no"], 3000)})
    frame.to_csv(data / "t.csv", index=False)
    document = run_audit(data, tmp_path / "out", now=NOW, profile_enabled=False)
    duplicates = finding(document, "t.csv/duplicate_rows")
    combinations = frame["store"].nunique() * frame["open"].nunique()
    assert frame["store"].nunique() > 50 and combinations < len(frame)
    assert duplicates["count"] == int(frame.duplicated().sum())
    assert duplicates["details"]["reason"] == "few_combinations"
    assert duplicates["details"]["combinations"] == combinations
    assert duplicates["severity"] == "info"


@pytest.mark.parametrize("kind", ["with_an_id", "with_a_continuous_column"])
def test_exact_duplicates_with_an_id_or_a_varied_column_stay_defects(kind, tmp_path):
    data = _folder(tmp_path)
    if kind == "with_an_id":
        frame = _survey()
        frame.insert(0, "respondent_id", np.arange(1, len(frame) + 1) * 7)
        frame = pd.concat([frame, frame.iloc[[3, 9, 9, 40]]], ignore_index=True)
    else:
        frame = _measurements()
    frame.to_csv(data / "t.csv", index=False)
    document = run_audit(data, tmp_path / "out", now=NOW, profile_enabled=False)
    duplicates = finding(document, "t.csv/duplicate_rows")
    assert duplicates["count"] == int(frame.duplicated().sum()) == 4
    assert duplicates["severity"] in ("minor", "major")
    assert duplicates["details"]["likely_legitimate"] is False and "fix" not in duplicates["details"]
    briefing = (tmp_path / "out" / "data" / document["run_id"] / "briefing.md").read_text(encoding="utf-8")
    assert "Remove exact duplicates" in briefing


# --- the Spark engine ----------------------------------------------------------------------------------


@pytest.mark.spark
def test_spark_leaves_the_row_number_out_of_duplicate_rows(tmp_path):
    if not os.environ.get("READINESS_REQUIRE_SPARK"):
        pytest.importorskip("pyspark")
        if shutil.which("java") is None:
            pytest.skip("Java is not installed")
    data = _folder(tmp_path)
    frame = _measurements()
    frame.to_csv(data / "visits.csv", index=True)
    pandas_run = run_audit(data, tmp_path / "p", now=NOW, profile_enabled=False)
    spark_run = run_audit(data, tmp_path / "s", now=NOW, profile_enabled=False, engine="spark")
    expected = int(frame.duplicated().sum())
    assert spark_run["tables"][0]["duplicate_rows"] == pandas_run["tables"][0]["duplicate_rows"] == expected == 4
    assert column(spark_run, "visits.csv", "Unnamed: 0")["type"] == "row_index"
    assert spark_run["score"] == pandas_run["score"]
