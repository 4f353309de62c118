"""The packet of a media dataset: inventory, classes, trial and questions for the kind of work, and
the contact sheet only where [share] allows it, without metadata or faces."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
from PIL import Image

from tests.conftest import run_audit

GPS_LATITUDE = (47, 22, 36)  # written into one photo's EXIF; never in the packet


def _photos(folder, per_class=6):
    rng = np.random.default_rng(3)
    for label in ("cat", "dog"):
        (folder / label).mkdir(parents=True)
        for number in range(per_class):
            pixels = rng.integers(40, 215, (120, 160, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(folder / label / f"{number}.jpg", quality=90)
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: GPS_LATITUDE, 3: "E", 4: (8, 32, 24)})
    exif[0x8825] = gps
    Image.fromarray(rng.integers(40, 215, (120, 160, 3), dtype=np.uint8)).save(
        folder / "cat" / "gps.jpg", quality=90, exif=exif)


def _thumbnails(html: str) -> list[bytes]:
    return [base64.b64decode(data) for data in re.findall(r'src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"', html)]


def test_no_thumbnails_by_default_and_the_kind_of_work_shapes_trial_and_questions(tmp_path):
    data = tmp_path / "pets"
    _photos(data)
    (data / "dog" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut short")
    document = run_audit(data, tmp_path / "out")
    run_dir = next((tmp_path / "out" / "pets").glob("2*"))
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    assert _thumbnails(html) == []
    # the inventory lists the file that failed, and sums up the 13 that decoded (readiness.json lists all 14)
    assert "dog/broken.jpg" in html and "cat/1.jpg" not in html
    assert "The 13 images, recordings and documents decoded without a problem" in html
    assert len(document["files"]) == 14
    assert "No thumbnails: the client has not allowed them" in html
    [media] = document["media"]
    assert media["labels"]["classes"] == {"cat": 7, "dog": 6}
    assert document["label"]["table"] == "." and document["label"]["classes"] == {"cat": 7, "dog": 6}
    assert 'data-testid="media-classes"' in html
    assert "Fine-tune a small pretrained image model" in html  # the trial fits vision work
    assert "photos look like the images your model will meet" in html  # and so does a question
    pii = next(f for f in document["findings"] if f["check"] == "pii")
    assert pii["count"] == 1 and pii["details"]["kinds"] == ["gps"]
    for name in ("briefing.html", "briefing.md", "briefing.txt", "readiness.json"):
        text = (run_dir / name).read_text(encoding="utf-8")
        assert "47, 22, 36" not in text and "47/1" not in text and "22.6" not in text


def test_thumbnails_when_allowed_carry_no_metadata(tmp_path):
    data = tmp_path / "pets"
    _photos(data)
    (data / "readiness.toml").write_text("[share]\nthumbnails = true\nfaces = true\n", encoding="utf-8")
    run_audit(data, tmp_path / "out")
    html = next((tmp_path / "out" / "pets").glob("2*/briefing.html")).read_text(encoding="utf-8")
    thumbs = _thumbnails(html)
    assert len(thumbs) == 8  # four per class
    for data_bytes in thumbs:
        image = Image.open(io.BytesIO(data_bytes))
        assert max(image.size) <= 96
        assert len(image.getexif()) == 0 and "icc_profile" not in image.info
    assert 'data-testid="contact-sheet"' in html


def test_thumbnails_without_faces_allowed_need_the_face_detector(tmp_path):
    import importlib.util

    data = tmp_path / "pets"
    _photos(data, per_class=2)
    (data / "readiness.toml").write_text("[share]\nthumbnails = true\n", encoding="utf-8")
    document = run_audit(data, tmp_path / "out")
    html = next((tmp_path / "out" / "pets").glob("2*/briefing.html")).read_text(encoding="utf-8")
    if importlib.util.find_spec("cv2") is None:
        assert _thumbnails(html) == []  # faces could not be looked for: no image is shown
    else:  # noise has no face: all shown, and the check found none
        assert len(_thumbnails(html)) == 5
        assert not [f for f in document["findings"] if f["check"] == "pii" and "face" in f["details"]["kinds"]]
