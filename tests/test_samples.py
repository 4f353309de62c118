"""End to end on sample_data/: every injected defect is reported with its exact count."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys

import pytest

from tests.conftest import REPO, SAMPLES, finding, run_audit, snapshot

DATASETS = ["support", "shop", "churn", "reviews"]


def manifest(name):
    return json.loads((SAMPLES / "manifests" / f"{name}.json").read_text(encoding="utf-8"))


def defect_id(defect):
    parts = [p for p in (defect["table"], defect["column"]) if p] or [defect["path"]]
    return "/".join([*parts, defect["check"], *([defect["subject"]] if defect.get("subject") else [])])


@pytest.mark.parametrize("name", DATASETS)
def test_every_injected_defect_is_found_with_its_exact_count(name, tmp_path):
    before = snapshot(SAMPLES / name)
    document = run_audit(SAMPLES / name, tmp_path / "out")
    for defect in manifest(name)["defects"]:
        assert finding(document, defect_id(defect))["count"] == defect["count"], defect
    assert snapshot(SAMPLES / name) == before, "the audit wrote into the dataset folder"
    assert all(f["expectation"] is not None for f in document["findings"]
               if f["check"] in ("missing_values", "format", "label_missing", "duplicate_rows", "not_unique"))


def test_generator_is_seeded_and_reproduces_the_committed_samples(tmp_path):
    subprocess.run([sys.executable, str(SAMPLES / "generate.py"), str(tmp_path)], check=True, capture_output=True,
                   timeout=300)
    for name in DATASETS:
        assert json.loads((tmp_path / "manifests" / f"{name}.json").read_text()) == manifest(name)
        for path in (tmp_path / name).iterdir():
            committed = SAMPLES / name / path.name
            assert committed.is_file(), path.name
            if path.suffix in (".csv", ".toml", ".jsonl"):
                assert path.read_bytes() == committed.read_bytes(), path.name


@pytest.mark.slow
def test_full_audit_with_visual_profile(tmp_path):
    """The one test that runs everything, profiler included, on the largest sample folder."""
    document = run_audit(SAMPLES / "shop", tmp_path / "out", profile_enabled=True)
    run_dir = tmp_path / "out" / "shop" / document["run_id"]
    internal = run_dir / "internal"
    assert stat.S_IMODE(internal.stat().st_mode) == 0o700
    profiles = sorted(p.name for p in (internal / "profiles").iterdir())
    assert profiles == ["customers.xlsx_customers.html", "customers.xlsx_regions.html", "events.jsonl.html",
                        "orders.csv.html"]
    assert all(t["visual_profile"]["written"] for t in document["tables"])
    assert (tmp_path / "out" / "shop" / "latest").resolve() == run_dir.resolve()
    # the profiler was imported without its Spark and numba backends; both stay importable here
    assert all(sys.modules.get(name, "not imported") is not None for name in ("pyspark", "numba"))
    # by default no word tables or clouds ([profile] words): they cost more than the other charts
    assert not any(">Words<" in (internal / "profiles" / name).read_text() for name in profiles)


@pytest.mark.slow
def test_visual_profile_samples_above_the_limit_but_counts_stay_exact(tmp_path):
    data = tmp_path / "big"
    shutil.copytree(SAMPLES / "support", data)
    config = (data / "readiness.toml").read_text() + "\n[profile]\nsample_rows = 500\nwords = true\n"
    (data / "readiness.toml").write_text(config)
    document = run_audit(data, tmp_path / "out", profile_enabled=True)
    table = document["tables"][0]
    assert table["visual_profile"]["sampled_rows"] == 500
    assert table["rows"] == 3040
    assert finding(document, "tickets.csv/intent/label_missing")["count"] == manifest("support")["defects"][0]["count"]
    html = (tmp_path / "out" / "big" / document["run_id"] / "internal" / "profiles" / "tickets.csv.html").read_text()
    assert "seeded random sample of 500 of 3,040 rows" in html
    assert ">Words<" in html  # [profile] words = true: the text columns' word tables are back


def test_make_demo_command_names_the_sample_folders():
    makefile = (REPO / "Makefile").read_text()
    for name in DATASETS:
        assert f"sample_data/{name}" in makefile
