"""Edges of a media audit: files that hold nothing, and labels files beside class checks."""

from __future__ import annotations

import numpy as np
from PIL import Image

import readiness


def test_a_folder_of_empty_media_files_is_no_data(tmp_path):
    data = tmp_path / "empty"
    data.mkdir()
    for name in ("a.png", "b.wav", "c.pdf"):
        (data / name).write_bytes(b"")
    result = readiness.audit(data, out=tmp_path / "out", profile_enabled=False)
    assert not result.readable  # the CLI exits 2 with its one line
    assert (result.score, result.grade, result.band) == (0.0, "not-ready", "C")
    assert result.result["headline"].startswith("Not ready: no table, image, recording or document could be read")
    assert [f["status"] for f in result.result["files"]] == ["rejected"] * 3


def test_class_findings_of_a_labels_table_are_counted_once_in_files(tmp_path):
    data = tmp_path / "pets"
    (data / "imgs").mkdir(parents=True)
    rng = np.random.default_rng(2)
    rows = ["path,label"]
    for number in range(26):
        Image.fromarray(rng.integers(30, 225, (48, 48, 3), dtype=np.uint8)).save(data / "imgs" / f"{number}.png")
        rows.append(f"imgs/{number}.png,{'rare' if number < 3 else 'common'}")
    (data / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = readiness.audit(data, out=tmp_path / "out", profile_enabled=False)
    small = [f for f in result.result["findings"] if f["check"] == "class_too_small"]
    # the images' folder is the dataset; labels.csv's own class finding (in rows) is not repeated
    assert [(f["table"], f["count"]) for f in small] == [("imgs", 3)]
    assert result.result["task"] == "classification"


def test_class_folders_with_a_splits_table_are_a_classification_task(tmp_path):
    data = tmp_path / "pets"
    rng = np.random.default_rng(4)
    rows = ["image,split"]
    for label in ("a", "b"):
        (data / label).mkdir(parents=True)
        for number in range(12):
            Image.fromarray(rng.integers(30, 225, (40, 40, 3), dtype=np.uint8)).save(data / label / f"{number}.png")
            rows.append(f"{label}/{number}.png,{'test' if number < 3 else 'train'}")
    (data / "splits.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = readiness.audit(data, out=tmp_path / "out", profile_enabled=False)
    document = result.result
    assert document["task"] == "classification"  # the class folders are the labels, splits.csv only splits
    assert document["media"][0]["splits"] == {"train": 18, "test": 6}
    assert document["label"]["classes"] == {"a": 12, "b": 12}
    assert not [f for f in document["findings"] if f["check"] == "no_label"]
