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

    def counting(root, file, settings):
        calls.append(file.path)
        return real(root, file, settings)

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


def test_a_file_replaced_with_the_same_size_and_modification_time_is_decoded_again(tmp_path, monkeypatch):
    import shutil

    data = tmp_path / "data"
    (data / "x").mkdir(parents=True)
    (data / "y").mkdir(parents=True)
    Image.new("RGB", (32, 32), (10, 10, 10)).save(data / "x" / "0.bmp")
    Image.new("RGB", (32, 32), (200, 200, 200)).save(data / "y" / "0.bmp")  # a BMP: same size, other pixels
    os.utime(data / "y" / "0.bmp", ns=(5, 5))
    db = tmp_path / "history.sqlite"
    calls = _decoded(monkeypatch)
    examine.examine_all(data, ingest(data).media, Settings(), db, "data")
    calls.clear()
    shutil.copyfile(data / "x" / "0.bmp", data / "y" / "0.bmp")  # cp, then touch -r: size and mtime as before
    os.utime(data / "y" / "0.bmp", ns=(5, 5))
    again = examine.examine_all(data, ingest(data).media, Settings(), db, "data")
    assert calls == ["y/0.bmp"]
    assert again[0].file.sha256 == again[1].file.sha256  # now a duplicate
