"""A folder of only media has a history like any other: the next audit compares with it, and a
regression gate fails when images break."""

from __future__ import annotations

import numpy as np
from PIL import Image

import readiness
from readiness.history.gates import Gates


def test_a_media_folder_is_a_baseline_and_a_regression_gate_fails(tmp_path):
    data, out = tmp_path / "pets", tmp_path / "out"
    rng = np.random.default_rng(5)
    for label in ("cat", "dog"):
        (data / label).mkdir(parents=True)
        for number in range(15):
            Image.fromarray(rng.integers(30, 225, (64, 64, 3), dtype=np.uint8)).save(data / label / f"{number}.png")
    first = readiness.audit(data, out=out, profile_enabled=False)
    assert first.previous is None
    for number in range(6):  # six images truncated in a later delivery
        path = data / "cat" / f"{number}.png"
        path.write_bytes(path.read_bytes()[:60])
    second = readiness.audit(data, out=out, profile_enabled=False)
    assert second.previous is not None and second.previous["run_id"] == first.result["run_id"]
    corrupt = next(f for f in second.result["findings"] if f["check"] == "corrupt_file")
    assert corrupt["count"] == 6
    assert second.score < first.score
    failed, _ = second.gate_failures(Gates(fail_on_regression=1.0))
    assert len(failed) == 1 and failed[0].startswith("score fell ") and first.result["run_id"] in failed[0]
