"""The Spark engine gives the same tables, counts, findings, GX results and score as pandas.

The tests marked spark run local Spark (Java 17, the spark extra). They are skipped only where
Java or PySpark is missing and READINESS_REQUIRE_SPARK is unset; .ci/run sets it, so in CI these
tests always run. The others need neither and run everywhere.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import SAMPLES, run_audit


def _why_no_spark() -> str | None:
    if os.environ.get("READINESS_REQUIRE_SPARK"):
        return None
    if importlib.util.find_spec("pyspark") is None:
        return "PySpark is not installed"
    if shutil.which("java") is None:
        return "Java is not installed"
    return None


WHY_NO_SPARK = _why_no_spark()
needs_spark = pytest.mark.skipif(WHY_NO_SPARK is not None, reason=WHY_NO_SPARK or "")

NOW = "2026-11-22"


@pytest.fixture(scope="module", autouse=True)
def _spark_stopped_after_this_module():
    """The audits here leave a Spark session (and its JVM gateway) in this test process; stop both,
    or the gateway's loopback connections show up in later tests of the same worker (test_offline)."""
    yield
    if importlib.util.find_spec("pyspark") is None:
        return
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()
    gateway = SparkContext._gateway
    if gateway is not None:
        gateway.shutdown()
        SparkContext._gateway = None
        SparkContext._jvm = None


def _comparable(document):
    tables = [{k: v for k, v in t.items() if k != "visual_profile"} for t in document["tables"]]
    findings = sorted((f["id"], f["count"], f["severity"], f["expectation"]) for f in document["findings"])
    validation = [(t["table"], [(r["type"], r["column"], r["success"], r["element_count"], r["unexpected_count"])
                                for r in t["results"]]) for t in document["validation"]["tables"]]
    return {"score": document["score"], "score_exact": document["score_exact"], "grade": document["grade"],
            "dimensions": document["dimensions"], "tables": tables, "label": document["label"],
            "findings": findings, "validation": validation,
            "files": [(f["path"], f["status"]) for f in document["files"]]}


@pytest.mark.spark
@needs_spark
@pytest.mark.parametrize("folder", ["support", "shop", "reviews"])
def test_spark_and_pandas_agree_on_the_sample_folders(folder, tmp_path):
    pandas_run = run_audit(SAMPLES / folder, tmp_path / "p", now=NOW, profile_enabled=False)
    spark_run = run_audit(SAMPLES / folder, tmp_path / "s", now=NOW, profile_enabled=False, engine="spark")
    assert spark_run["engine"]["name"] == "spark" and pandas_run["engine"]["name"] == "pandas"
    assert _comparable(spark_run) == _comparable(pandas_run)
    # CSV and Parquet tables were read by Spark itself, not handed over from pandas
    for table in spark_run["tables"]:
        source = table["name"].lower()
        if source.endswith((".csv", ".tsv")):
            assert spark_run["engine"]["read_by"][table["name"]] == "spark csv reader"
        elif source.endswith(".parquet") or "/" in source and "." not in source.rsplit("/", 1)[-1]:
            assert spark_run["engine"]["read_by"][table["name"]] == "spark parquet reader"


@pytest.mark.spark
@needs_spark
def test_spark_counts_equal_pandas_on_awkward_text(tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    frame = pd.DataFrame({
        "id": ["1", "2", "2", "3", "4", "5", "5", "6"],
        "city": ["Berlin", " Berlin", "NA", "\u00a0", "", "Paris\u3000", "Paris\u3000", "line\nbreak"],
        "amount": ["1.0", "1", "N/A", "-3", "x", "2e3", "2e3", " 7 "],
        "day": ["2024-01-02", "02/01/2024", "2024-02-30", None, "2024-01-05", "2024-01-06", "2024-01-06", "junk"],
    })
    frame.to_csv(data / "t.csv", index=False)
    pandas_run = run_audit(data, tmp_path / "p", now=NOW, profile_enabled=False)
    spark_run = run_audit(data, tmp_path / "s", now=NOW, profile_enabled=False, engine="spark")
    assert _comparable(spark_run) == _comparable(pandas_run)
    read = pd.read_csv(data / "t.csv", dtype=str, keep_default_na=True)
    columns = {c["name"]: c for c in spark_run["tables"][0]["columns"]}
    # what pandas says, plus the contract's blanks ("\u00a0", "") as missing
    assert columns["amount"]["missing"] == int(read["amount"].isna().sum())
    assert columns["city"]["missing"] == 3
    assert spark_run["tables"][0]["duplicate_rows"] == int(read.duplicated().sum()) == 1


def test_unknown_engine_is_a_usage_error(tmp_path):
    import readiness
    from readiness.base.errors import UsageError

    with pytest.raises(UsageError, match="engine"):
        readiness.audit(SAMPLES / "support", out=tmp_path, engine="dask")


def test_engine_spark_without_pyspark_is_one_line_saying_how_to_install(tmp_path):
    # PySpark made unimportable in the child: needs neither Java nor the spark extra, never skipped
    data = tmp_path / "d"
    data.mkdir()
    (data / "t.csv").write_text("id,city\n1,Berlin\n2,Paris\n", encoding="utf-8")
    out = tmp_path / "out"
    code = ("import sys; sys.modules['pyspark'] = None; "
            f"sys.argv = ['readiness', 'audit', {str(data)!r}, '--out', {str(out)!r}, '--engine', 'spark']; "
            "from readiness.cli.app import main; main()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error:") and "pip install" in lines[0], done.stderr
    assert done.stdout == ""
    assert not out.exists()  # refused before any file was read or any run was started
