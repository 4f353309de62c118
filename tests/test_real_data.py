"""A real public dataset shipped by a PyPI package, with defects injected: counts equal pandas'."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import column, finding, run_audit

sklearn_datasets = pytest.importorskip("sklearn.datasets")


def _wine_with_defects(seed: int = 7) -> pd.DataFrame:
    bunch = sklearn_datasets.load_wine(as_frame=True)
    frame = bunch.frame.copy()
    frame["target"] = frame["target"].map(dict(enumerate(bunch.target_names)))
    rng = np.random.default_rng(seed)
    frame.insert(0, "sample_id", np.arange(1, len(frame) + 1))
    frame.loc[rng.choice(len(frame), 9, replace=False), "alcohol"] = np.nan
    frame.loc[rng.choice(len(frame), 17, replace=False), "target"] = None
    frame.loc[rng.choice(len(frame), 3, replace=False), "magnesium"] = -1.0
    frame["measured_on"] = pd.Timestamp("2023-03-01") + pd.to_timedelta(np.arange(len(frame)), unit="D")
    frame["measured_on"] = frame["measured_on"].dt.strftime("%Y-%m-%d")
    frame.loc[rng.choice(len(frame), 6, replace=False), "measured_on"] = "03/15/2023"
    frame = pd.concat([frame, frame.iloc[[3, 10, 11]]], ignore_index=True)
    return frame


def test_wine_counts_equal_pandas(tmp_path):
    frame = _wine_with_defects()
    data = tmp_path / "wine"
    data.mkdir()
    frame.to_csv(data / "wine.csv", index=False)
    (data / "readiness.toml").write_text(
        '[label]\ncolumn = "target"\nmin_class_count = 5\n'
        '[tables."wine.csv"]\nranges = { magnesium = [0, 500] }\n', encoding="utf-8")
    document = run_audit(data, tmp_path / "out")
    text = pd.read_csv(data / "wine.csv", dtype=str)  # pandas' own reading of the same file
    assert document["tables"][0]["rows"] == len(text)
    assert document["tables"][0]["duplicate_rows"] == int(text.duplicated().sum()) == 3
    assert finding(document, "wine.csv/duplicate_rows")["count"] == int(text.duplicated().sum())
    assert finding(document, "wine.csv/sample_id/not_unique")["count"] == int(text["sample_id"].duplicated().sum())
    for name in text.columns:
        assert column(document, "wine.csv", name)["missing"] == int(text[name].isna().sum()), name
        assert column(document, "wine.csv", name)["distinct"] == int(text[name].nunique()), name
    assert finding(document, "wine.csv/alcohol/missing_values")["count"] == int(text["alcohol"].isna().sum())
    assert finding(document, "wine.csv/target/label_missing")["count"] == int(text["target"].isna().sum())
    assert document["label"]["classes"] == {k: int(v) for k, v in text["target"].value_counts().items()}
    assert finding(document, "wine.csv/magnesium/out_of_range")["count"] == int((text["magnesium"].astype(float) < 0).sum())
    assert finding(document, "wine.csv/measured_on/mixed_formats")["count"] == int((text["measured_on"] == "03/15/2023").sum())
    assert "wine.csv/target/leakage" not in {f["id"] for f in document["findings"]}


def test_breast_cancer_parquet_is_clean_apart_from_injected_defects(tmp_path):
    bunch = sklearn_datasets.load_breast_cancer(as_frame=True)
    frame = bunch.frame.copy()
    frame.loc[[5, 50, 500], "mean radius"] = np.nan
    data = tmp_path / "cancer"
    data.mkdir()
    frame.to_parquet(data / "cancer.parquet", index=False)
    document = run_audit(data, tmp_path / "out", label="target")
    checks = {(f["check"], f["column"]) for f in document["findings"]}
    assert checks == {("missing_values", "mean radius")}
    assert finding(document, "cancer.parquet/mean radius/missing_values")["count"] == 3
    assert document["label"]["classes"] == {"1": 357, "0": 212}
    assert document["label"]["coverage"] == 1.0
