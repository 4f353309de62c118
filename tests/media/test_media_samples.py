"""End to end on the media samples (sample_data/photos, recordings, documents): every injected defect
is reported with its exact count, the folder is left as it was, and the generator reproduces the
committed files byte for byte."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLES, run_audit, snapshot

DATASETS = ["photos", "recordings", "documents"]
# the files each sample holds that cannot be decoded (the manifests' corrupt_file)
REJECTED = {
    "photos": {"train/dog/dog_0900.jpg", "test/cat/cat_0901.jpg"},
    "recordings": {"clip_026.wav"},
    "documents": {"contracts/contract_003.pdf"},
}


def manifest(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / "manifests" / f"{name}.json").read_text(encoding="utf-8"))


def matching(document: dict[str, Any], defect: dict[str, Any]) -> dict[str, Any]:
    """The one finding of the defect's table, column and check (a pii finding's id also names the kind:
    ``./pii/exif``), so the match does not lean on how ids are spelled beyond those three."""
    found = [f for f in document["findings"]
             if f["table"] == defect["table"] and f["column"] == defect["column"] and f["check"] == defect["check"]]
    assert len(found) == 1, (defect, [f["id"] for f in document["findings"]])
    return found[0]


@pytest.mark.parametrize("name", DATASETS)
def test_every_injected_media_defect_is_found_with_its_exact_count(name: str, tmp_path: Path) -> None:
    before = snapshot(SAMPLES / name)
    document = run_audit(SAMPLES / name, tmp_path / "out", profile_enabled=False)
    wrong = {}
    for defect in manifest(name)["defects"]:
        count = matching(document, defect)["count"]
        if count != defect["count"]:
            wrong[defect["check"]] = (count, defect["count"])
    assert not wrong, f"check: (found, injected): {wrong}"
    rejected = {f["path"] for f in document["files"] if f["status"] == "rejected"}
    assert rejected == REJECTED[name]
    assert all(f["reason"] and ";" in f["reason"] for f in document["files"] if f["status"] == "rejected")
    assert snapshot(SAMPLES / name) == before, "the audit wrote into the dataset folder"


def test_the_png_named_jpg_is_read_and_reported_as_a_wrong_extension(tmp_path: Path) -> None:
    document = run_audit(SAMPLES / "photos", tmp_path / "out", profile_enabled=False)
    entry = next(f for f in document["files"] if f["path"] == "train/cat/cat_0902.jpg")
    assert entry["status"] == "ok" and entry["format"] == "png"


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_media_generator_reproduces_the_committed_samples_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(SAMPLES / "generate_media.py"), str(tmp_path)], check=True,
                   capture_output=True, timeout=300)
    for name in DATASETS:
        assert json.loads((tmp_path / "manifests" / f"{name}.json").read_text()) == manifest(name)
        made, committed = _digests(tmp_path / name), _digests(SAMPLES / name)
        assert made.keys() == committed.keys(), name
        assert {p for p in made if made[p] != committed[p]} == set(), name
        assert len(made) >= {"photos": 200, "recordings": 30, "documents": 12}[name]


def test_media_samples_stay_small() -> None:
    limits = {"photos": 4, "recordings": 2, "documents": 1}  # MB
    for name, mb in limits.items():
        size = sum(p.stat().st_size for p in (SAMPLES / name).rglob("*") if p.is_file())
        assert size < mb * 1024**2, (name, size)
