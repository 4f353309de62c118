"""Hostile and broken client files: every one ends ok, rejected or skipped, and nothing crashes."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.ingest import sandbox
from readiness.ingest.walk import ingest
from tests.conftest import REPO, column, run_audit, snapshot
from tests.corpus.generate import OUTSIDE_VALUE, SEEDED_CELL, build

ARTIFACTS = REPO / "test-artifacts"


def test_corpus_every_file_ends_ok_rejected_or_skipped(tmp_path):
    data = tmp_path / "corpus"
    expected = build(data)
    assert len(expected) >= 50
    before = snapshot(data)
    sandbox.LAST_REPORT.clear()
    started = time.monotonic()
    document = run_audit(data, tmp_path / "out")
    seconds = time.monotonic() - started
    got = {f["path"]: f for f in document["files"]}
    for path, status in expected.items():
        assert got[path]["status"] == status, (path, got[path])
        if status != "ok":
            assert got[path]["reason"], path
        if status == "rejected":
            assert ";" in got[path]["reason"], f"{path}: the reason should say what to do: {got[path]['reason']}"
    assert snapshot(data) == before, "the audit changed the client folder"
    assert SEEDED_CELL not in json.dumps(document), "a rejection reason quotes a cell's value"
    assert str(OUTSIDE_VALUE) not in json.dumps(document), "a value from outside the folder was read"
    assert "max_cells" in got["claims_every_cell.xlsx"]["reason"]
    assert "max_columns" in got["quote_line.csv"]["reason"]
    assert "loop" in got["loop_a"]["reason"] and "outside" in got["lake/orders/region=xx"]["reason"]
    good = pd.read_csv(data / "good.csv", dtype=str)
    assert column(document, "good.csv", "score")["missing"] == int(good["score"].isna().sum())
    assert [t for t in document["tables"] if t["name"] == "good.csv"][0]["rows"] == len(good)
    worst = max(sandbox.LAST_REPORT.items(), key=lambda kv: kv[1].peak_rss_bytes)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "hardening.json").write_text(json.dumps({
        "files": len(expected),
        "rejected": sum(1 for s in expected.values() if s == "rejected"),
        "skipped": sum(1 for s in expected.values() if s == "skipped"),
        "audit_seconds": round(seconds, 2),
        "worst_child_file": worst[0], "worst_child_peak_mb": round(worst[1].peak_rss_bytes / 1024**2, 1),
        "parent_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, indent=2))


def test_corpus_through_the_cli_prints_no_traceback(tmp_path):
    data = tmp_path / "corpus"
    build(data)
    result = subprocess.run([sys.executable, "-m", "readiness", "audit", str(data), "--out", str(tmp_path / "out"),
                             "--no-profile"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def _read_bytes(tmp_path, name: str, payload: bytes):
    import tempfile

    folder = tempfile.mkdtemp(dir=tmp_path)
    path = os.path.join(folder, name)
    with open(path, "wb") as handle:
        handle.write(payload)
    from pathlib import Path

    return ingest(Path(folder))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=2000),
                 st.text(alphabet=st.characters(codec="utf-8"), max_size=2000).map(lambda t: t.encode("utf-8")),
                 st.lists(st.lists(st.sampled_from(["a", "1", "", '"', ",", "\n", "x y", "NA", "é", ";", "\t"]),
                                   max_size=6), max_size=20).map(lambda rows: "\n".join(",".join(r) for r in rows).encode())))
def test_fuzz_csv_reader(tmp_path, payload):
    ingested = _read_bytes(tmp_path, "t.csv", payload)
    assert len(ingested.files) == 1
    entry = ingested.files[0]
    assert entry.status in ("ok", "rejected")
    assert (entry.reason is None) == (entry.status == "ok")
    for table in ingested.tables:
        assert table.frame.shape[1] >= 1 or table.frame.shape[0] == 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=1000), json_values.map(lambda v: json.dumps(v).encode()),
                 st.lists(st.dictionaries(st.text(max_size=6), json_values, max_size=5), max_size=10)
                 .map(lambda v: json.dumps(v).encode())))
def test_fuzz_json_reader(tmp_path, payload):
    for name in ("t.json", "t.jsonl"):
        ingested = _read_bytes(tmp_path, name, payload)
        entry = ingested.files[0]
        assert entry.status in ("ok", "rejected")
        assert (entry.reason is None) == (entry.status == "ok")


def _allocate(megabytes: int) -> int:
    block = bytearray(megabytes * 1024**2)
    for index in range(0, len(block), 4096):
        block[index] = 1
    time.sleep(2)
    return len(block)


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def _crash() -> None:
    import signal

    os.kill(os.getpid(), signal.SIGKILL)  # what a segfaulting parser looks like from outside


def test_sandbox_kills_a_parser_past_its_memory_or_time_and_survives_crashes():
    with pytest.raises(sandbox.SandboxError, match="more than 100 MB of memory"):
        sandbox.run(_allocate, 400, limits=sandbox.Limits(memory_bytes=100 * 1024**2, seconds=60))
    with pytest.raises(sandbox.SandboxError, match="longer than 1 s"):
        sandbox.run(_sleep, 30, limits=sandbox.Limits(seconds=1))
    with pytest.raises(sandbox.SandboxError, match="the parser crashed"):
        sandbox.run(_crash)
    assert sandbox.run(_sleep, 0.01) == "done"
