"""The per-file cache: a re-audit decodes only files whose path, size or modification time changed."""

from __future__ import annotations

import os

from PIL import Image

from readiness.ingest.walk import ingest
from readiness.media import examine
from readiness.settings import Settings


def _images(folder, count):
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        Image.effect_noise((64, 48), 40 + number).convert("RGB").save(folder / f"{number}.png")


def _decoded(monkeypatch):
    calls = []
    real = examine.examine_one

    def counting(root, file, settings, faces):
        calls.append(file.path)
        return real(root, file, settings, faces)

    monkeypatch.setattr(examine, "examine_one", counting)
    return calls


def test_second_pass_decodes_only_changed_files(tmp_path, monkeypatch):
    data = tmp_path / "data"
    _images(data, 5)
    db = tmp_path / "history.sqlite"
    settings = Settings()
    calls = _decoded(monkeypatch)
    media = ingest(data).media
    first = examine.examine_all(data, media, settings, db, "data")
    assert sorted(calls) == sorted(f.path for f in media)
    calls.clear()
    second = examine.examine_all(data, ingest(data).media, settings, db, "data")
    assert calls == []
    assert [e.as_json() for e in second] == [e.as_json() for e in first]
    # one file rewritten with other pixels: only it is decoded again, and its facts are new
    Image.new("RGB", (64, 48), (250, 250, 250)).save(data / "2.png")
    os.utime(data / "2.png", ns=(1, 1))
    third = examine.examine_all(data, ingest(data).media, settings, db, "data")
    assert calls == ["2.png"]
    changed = next(e for e in third if e.file.path == "2.png")
    assert changed.image is not None and changed.image.brightness > 240


def test_cache_is_per_dataset_and_survives_a_broken_file(tmp_path):
    data = tmp_path / "data"
    _images(data, 2)
    db = tmp_path / "history.sqlite"
    db.write_bytes(b"not a database")  # unreadable cache: decoded again, no error
    examined = examine.examine_all(data, ingest(data).media, Settings(), db, "data")
    assert [e.status for e in examined] == ["ok", "ok"]
