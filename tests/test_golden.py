"""Golden files: readiness.json and briefing.md of the four sample folders, and of the Spark run.

They pin what an audit writes, byte for byte once the clock, the run id and the version are
normalised, so moving code around cannot change behaviour unnoticed. When a change is meant to
alter the output, `make golden` rewrites tests/golden/ and the diff shows what changed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_audit

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = os.environ.get("READINESS_REGENERATE_GOLDEN", "") not in ("", "0")
NOW = "2026-11-22"  # the audits' "now": freshness and future dates do not move with the clock

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
RUN_ID = re.compile(r"\d{8}T\d{6}\d*Z-[0-9a-f]{4}")


def normalised(document: dict, text: str) -> str:
    """Replace what differs between two runs of one audit: its run id, clock, version and folder."""
    text = text.replace(document["run_id"], "<run-id>").replace(str(SAMPLES), "<sample_data>")
    for key in ("started_at", "finished_at"):
        text = text.replace(document[key], f"<{key}>")
    text = text.replace(f"readiness {document['tool_version']}", "readiness <version>")
    text = text.replace(f'"tool_version": "{document["tool_version"]}"', '"tool_version": "<version>"')
    day = document["started_at"][:10]
    if day != NOW:
        text = text.replace(f"{day} (readiness", "<audit-day> (readiness")
    return text


def check(name: str, document: dict, run_dir: Path) -> None:
    folder = GOLDEN / name
    produced = {
        "readiness.json": normalised(document, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"),
        "briefing.md": normalised(document, (run_dir / "briefing.md").read_text(encoding="utf-8")),
    }
    for file, text in produced.items():
        clockless = text.replace(f"{NOW}T00:00:00.000000Z", "")  # the fixed "now" is no clock time
        assert not RUN_ID.search(text) and not STAMP.search(clockless), f"{name}/{file} still holds a run id or a clock time"
        if REGENERATE:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / file).write_text(text, encoding="utf-8")
            continue
        expected = (folder / file).read_text(encoding="utf-8")
        assert text == expected, f"{name}/{file} changed; if that is meant, run `make golden` and commit the diff"


@pytest.mark.parametrize("sample", ["support", "shop", "churn", "reviews"])
def test_sample_folders_write_their_golden_files(sample, tmp_path):
    document = run_audit(SAMPLES / sample, tmp_path / "out", now=NOW)
    check(sample, document, tmp_path / "out" / sample / document["run_id"])


@pytest.mark.spark
def test_the_spark_run_writes_its_golden_files(tmp_path):
    from tests.engines.test_spark import WHY_NO_SPARK

    if WHY_NO_SPARK is not None:
        pytest.skip(WHY_NO_SPARK)
    document = run_audit(SAMPLES / "support", tmp_path / "out", now=NOW, engine="spark")
    check("support-spark", document, tmp_path / "out" / "support" / document["run_id"])
