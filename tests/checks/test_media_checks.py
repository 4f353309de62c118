"""The media checks (readiness/checks/media.py) and the media summary (readiness/media/summary.py)
on hand-built Examined records: every count is known by construction."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from readiness.checks import media
from readiness.ingest.model import MediaFile
from readiness.media.model import (
    AudioFacts,
    DocumentFacts,
    Examined,
    ImageFacts,
    LabelsFile,
    MediaDataset,
)
from readiness.media.summary import describe
from readiness.settings import Settings
from readiness.settings.model import LabelSettings

SETTINGS = Settings()
GOOD = ImageFacts(width=640, height=480, mode="RGB", frames=1, brightness=120.0, dark_share=0.0, bright_share=0.0,
                  sharpness=500.0, entropy=7.0, dhash=0)
CLIP = AudioFacts(duration=3.0, sample_rate=16000, channels=1, frames=48000, rms_dbfs=-20.0, peak=0.5,
                  clipped_share=0.0)
DOC = DocumentFacts(pages=2, text_pages=2, scanned_pages=0, failed_pages=0, chars=900, words=150, language="en",
                    simhash=0)


def item(path: str, status: str = "ok", sha: str | None = None, image: ImageFacts | None = None,
         audio: AudioFacts | None = None, document: DocumentFacts | None = None, claimed: str | None = None,
         reason: str | None = None) -> Examined:
    kind = "image" if image is not None or path.endswith(".jpg") else "audio" if audio is not None or \
        path.endswith(".wav") else "document"
    fmt = {"image": "jpeg", "audio": "wav", "document": "pdf"}[kind]
    return Examined(MediaFile(path, kind, fmt, 100, 0, sha or f"sha-{path}", claimed), status, reason,
                    image=image, audio=audio, document=document)


def dataset(files, labels=None, splits=None, source="folders", labels_file=None, transcripts=(), kind=None):
    files = tuple(files)
    return MediaDataset(name="ds", kind=kind or files[0].file.kind, files=files,
                        labels=tuple(labels) if labels is not None else (None,) * len(files),
                        splits=tuple(splits) if splits is not None else (None,) * len(files),
                        label_source=source if labels is not None else None, labels_file=labels_file,
                        transcripts=tuple(transcripts))


def by_check(found):
    out = {}
    for finding in found:
        key = finding.check if finding.subject is None else f"{finding.check}:{finding.subject}"
        assert key not in out, key
        out[key] = finding
    return out


def images(n, **changes):
    """n distinct images whose dHashes are far apart (64 pseudo-random bits each)."""
    return [item(f"ds/{i:03}.jpg", image=replace(GOOD, dhash=int(hashlib.sha256(str(i).encode()).hexdigest()[:16], 16),
                                                 **changes)) for i in range(n)]


def test_corrupt_wrong_extension_and_duplicates():
    files = [*images(18),
             item("ds/bad1.jpg", "rejected", reason="truncated JPEG; copy it again"),
             item("ds/bad2.jpg", "rejected", reason="truncated JPEG; copy it again"),
             item("ds/bad3.jpg", "rejected", reason="zero bytes; copy it again")]
    files[3] = replace(files[3], file=replace(files[3].file, claimed="png"))
    files[5] = replace(files[5], file=replace(files[5].file, sha256=files[1].file.sha256))
    files[6] = replace(files[6], file=replace(files[6].file, sha256=files[1].file.sha256))
    found = by_check(media.findings(dataset(files, labels=["a"] * 21), SETTINGS))
    corrupt = found["corrupt_file"]
    assert (corrupt.count, corrupt.severity, corrupt.table, corrupt.column) == (3, "major", "ds", None)
    assert corrupt.fraction == pytest.approx(3 / 21)
    assert corrupt.details["reasons"] == {"truncated JPEG; copy it again": 2, "zero bytes; copy it again": 1}
    assert corrupt.details["examples"] == ["ds/bad1.jpg", "ds/bad2.jpg", "ds/bad3.jpg"]
    assert found["wrong_extension"].count == 1
    assert found["wrong_extension"].message.startswith("1 file in ds holds another format")
    assert found["duplicate_files"].count == 2
    assert found["duplicate_files"].details["examples"] == ["ds/005.jpg", "ds/006.jpg"]


def test_image_quality_checks_count_each_rule():
    files = [
        item("ds/dark.jpg", image=replace(GOOD, brightness=10.0, dhash=1)),
        item("ds/bright.jpg", image=replace(GOOD, brightness=240.0, dhash=2 ** 20 - 1)),
        item("ds/blur.jpg", image=replace(GOOD, sharpness=5.0, dhash=2 ** 40 - 1)),
        item("ds/blank.jpg", image=replace(GOOD, entropy=0.5, sharpness=0.0, dhash=2 ** 60 - 1)),
        item("ds/tiny.jpg", image=replace(GOOD, width=20, height=20, dhash=0xF0F0F0F0F0F0F0F0)),
        item("ds/long.jpg", image=replace(GOOD, width=1000, height=100, dhash=0x0F0F0F0F0F0F0F0F)),
        item("ds/ok.jpg", image=replace(GOOD, dhash=0xFF00FF00FF00FF00)),
    ]
    found = by_check(media.findings(dataset(files, labels=["a"] * 7), SETTINGS))
    counts = {check: found[check].count for check in
              ("dark_images", "overexposed_images", "blurry_images", "low_information_images", "odd_size_images")}
    assert counts == {"dark_images": 1, "overexposed_images": 1, "blurry_images": 1, "low_information_images": 1,
                      "odd_size_images": 2}  # the blank image is not also called blurry
    assert found["odd_size_images"].details["examples"] == ["ds/tiny.jpg", "ds/long.jpg"]  # the dataset's order
    assert "near_duplicate_images" not in found and "mixed_image_modes" not in found


def test_modes_near_duplicates_exif_and_faces():
    files = [
        item("ds/a.jpg", image=replace(GOOD, dhash=0)),
        item("ds/b.jpg", image=replace(GOOD, dhash=0b111, mode="L")),  # 3 bits from a: near
        item("ds/c.jpg", sha="sha-ds/a.jpg", image=replace(GOOD, dhash=0)),  # exact copy of a: not near
        item("ds/d.jpg", image=replace(GOOD, dhash=0xFFFF, exif=("gps", "serial"))),
        item("ds/e.jpg", image=replace(GOOD, dhash=0xFFFF0000, mode="RGBA", exif=("capture_time",), faces=2)),
        item("ds/f.jpg", image=replace(GOOD, dhash=0xFFFF0001, faces=0)),  # 1 bit from e: near
    ]
    found = by_check(media.findings(dataset(files, labels=["a"] * 6), SETTINGS))
    modes = found["mixed_image_modes"]
    assert (modes.count, modes.severity, modes.details["modes"]) == (2, "info", {"RGB": 4, "L": 1, "RGBA": 1})
    assert found["duplicate_files"].count == 1
    near = found["near_duplicate_images"]
    assert near.count == 2 and near.details["examples"] == ["ds/b.jpg", "ds/f.jpg"]
    exif = found["pii:exif"]
    assert (exif.count, exif.severity) == (2, "major")
    assert exif.details["kinds"] == ["capture_time", "gps", "serial"] and exif.details["source"] == "exif"
    assert "withholds" in exif.message
    faces = found["pii:faces"]
    assert (faces.count, faces.details["kinds"]) == (1, ["face"])
    assert exif.id != faces.id


def test_audio_checks():
    files = [
        item("ds/a.wav", audio=CLIP),
        item("ds/b.wav", audio=replace(CLIP, sample_rate=44100)),
        item("ds/c.wav", audio=replace(CLIP, duration=0.2)),
        item("ds/d.wav", audio=replace(CLIP, duration=45.0)),
        item("ds/e.wav", audio=replace(CLIP, rms_dbfs=-80.0, clipped_share=0.5)),  # silent, so not clipped
        item("ds/f.wav", audio=replace(CLIP, clipped_share=0.01)),
        item("ds/g.wav", audio=replace(CLIP, rms_dbfs=None, clipped_share=None)),
        item("ds/h.wav", audio=CLIP),
    ]
    transcripts = ["hello there, how are you", "x" * 200, "hi", "a long speech " * 40, None, "", "fine", "ok then"]
    found = by_check(media.findings(dataset(files, labels=["a"] * 8, transcripts=transcripts), SETTINGS))
    rates = found["mixed_sample_rates"]
    assert (rates.count, rates.details["rates"]) == (1, {"16000": 7, "44100": 1})
    assert {c: found[c].count for c in ("clips_too_short", "clips_too_long", "silent_audio", "clipped_audio")} == \
        {"clips_too_short": 1, "clips_too_long": 1, "silent_audio": 1, "clipped_audio": 1}
    assert found["clipped_audio"].details["examples"] == ["ds/f.wav"]
    # b: 200 chars in 3 s (66/s); f: empty transcript of a 3 s clip; c is shorter than 2 s and not judged
    mismatch = found["transcript_mismatch"]
    assert mismatch.count == 2 and mismatch.details["examples"] == ["ds/b.wav", "ds/f.wav"]


def test_document_checks():
    files = [
        item("ds/a.pdf", document=replace(DOC, pages=4, text_pages=1, scanned_pages=3, simhash=0)),
        item("ds/b.pdf", document=replace(DOC, failed_pages=1, simhash=0b11)),  # near a
        item("ds/c.pdf", document=replace(DOC, language="de", simhash=0xFFFF, pii={"email": 2, "phone": 0})),
        item("ds/d.pdf", document=replace(DOC, language="de", simhash=0xFFFF0000, javascript=True,
                                          pii={"secret": 1, "email": 1})),
        item("ds/e.pdf", document=replace(DOC, words=0, chars=0, language=None, simhash=0)),  # no words: not near
        item("ds/f.pdf", document=replace(DOC, simhash=0xFF00FF0000000000)),
    ]
    found = by_check(media.findings(dataset(files, labels=["a"] * 6), SETTINGS))
    scanned = found["scanned_pages"]
    assert (scanned.count, scanned.fraction) == (3, pytest.approx(3 / 14))  # 4 + 5 x 2 pages
    assert found["text_extraction_failed"].count == 1
    near = found["near_duplicate_texts"]
    assert near.count == 1 and near.details["examples"] == ["ds/b.pdf"]
    mix = found["language_mix"]
    assert (mix.count, mix.details["languages"]) == (2, {"en": 3, "de": 2})
    assert found["pdf_javascript"].count == 1
    pii = found["pii:text"]
    assert (pii.count, pii.severity, pii.details["kinds"], pii.details["values"]) == \
        (2, "major", ["email", "secret"], 4)
    assert media.facts(dataset(files, labels=["a"] * 6)) == {"rows": 6, "checked": 14, "labeled": 6, "classes": 1}


def test_unlabeled_missing_rows_small_classes_and_imbalance():
    files = [*images(30), item("ds/broken.jpg", "rejected", reason="truncated")]
    labels = ["big"] * 21 + ["small"] * 6 + [None] * 3 + [None]  # the rejected file is not counted as unlabeled
    labels_file = LabelsFile("ds/labels.csv", "path", "label", rows=40, missing_files=4)
    ds = dataset(files, labels=labels, source="ds/labels.csv", labels_file=labels_file)
    found = by_check(media.findings(ds, SETTINGS))
    unlabeled = found["unlabeled_files"]
    assert (unlabeled.count, unlabeled.fraction, unlabeled.severity) == (3, pytest.approx(3 / 31), "minor")
    missing = found["label_file_missing"]
    assert (missing.count, missing.fraction, missing.severity) == (4, pytest.approx(0.1), "major")
    small = found["class_too_small"]
    assert (small.count, small.severity) == (6, "major")  # one of two classes; 6 is above the blocking 5
    assert small.details == {"classes": {"small": 6}, "minimum": 20, "shortfall": 14, "smallest": 6}
    assert "class_imbalance" not in found and "no_label" not in found  # 21 / 6 = 3.5, under the threshold 10


def test_class_imbalance_and_blocking_class():
    files = images(23)
    labels = ["big"] * 22 + ["rare"]
    found = by_check(media.findings(dataset(files, labels=labels), SETTINGS))
    imbalance = found["class_imbalance"]
    assert (imbalance.count, imbalance.details["ratio"], imbalance.details["threshold"]) == (1, 22.0, 10.0)
    assert (imbalance.details["majority"], imbalance.details["minority"]) == ("big", "rare")
    small = found["class_too_small"]
    assert (small.severity, small.details["smallest"], small.details["shortfall"]) == ("blocker", 1, 19)


def test_label_variants_cat_cat_cats():
    labels = ["Cat"] * 5 + ["cat"] * 2 + ["cats"] + ["dog"] * 4 + ["Golden_Retriever", "golden retriever"]
    files = images(len(labels))
    variants = by_check(media.findings(dataset(files, labels=labels), SETTINGS))["label_variants"]
    assert variants.count == 4  # cat x2, cats, one golden retriever spelling
    assert variants.details["variants"] == {"Cat": ["cat", "cats"], "golden retriever": ["Golden_Retriever"]}


def test_conflicting_labels_count_every_file_of_a_clashing_group():
    files = images(8)
    same = files[0].file.sha256
    for i in (1, 2):
        files[i] = replace(files[i], file=replace(files[i].file, sha256=same))
    files[4] = replace(files[4], file=replace(files[4].file, sha256=files[3].file.sha256))  # same label: no clash
    files[6] = replace(files[6], file=replace(files[6].file, sha256=files[5].file.sha256))  # one unlabeled: no clash
    labels = ["a", "a", "b", "c", "c", "d", None, "e"]
    found = by_check(media.findings(dataset(files, labels=labels), SETTINGS))
    conflict = found["conflicting_labels"]
    assert (conflict.count, conflict.details["groups"]) == (3, 1)
    assert found["duplicate_files"].count == 4


def test_split_overlap_exact_and_near():
    train = [item(f"ds/train/{i}.jpg", image=replace(GOOD, dhash=0xFF << (8 * i))) for i in range(4)]
    test = [
        item("ds/test/0.jpg", sha=train[0].file.sha256, image=replace(GOOD, dhash=0xFF)),  # exact
        item("ds/test/1.jpg", image=replace(GOOD, dhash=(0xFF << 8) ^ 0b11)),  # 2 bits from train 1: near
        item("ds/test/2.jpg", image=replace(GOOD, dhash=0x5555555555555555)),  # far from all
    ]
    val = [item("ds/val/0.jpg", image=replace(GOOD, dhash=(0xFF << 16) ^ 1))]  # near train 2
    files = train + test + val
    ds = dataset(files, labels=["a", "b"] * 4, splits=["train"] * 4 + ["test"] * 3 + ["validation"])
    overlap = by_check(media.findings(ds, SETTINGS))["split_overlap"]
    assert (overlap.count, overlap.details["exact"], overlap.details["near"]) == (3, 1, 2)
    assert overlap.details["splits"] == {"test": 2, "validation": 1}
    assert overlap.severity == "blocker" and overlap.fraction == pytest.approx(3 / 8)


def test_no_label_and_facts_without_labels():
    ds = dataset(images(3))
    found = media.findings(ds, SETTINGS)
    assert [(f.check, f.severity, f.count) for f in found] == [("no_label", "minor", 0)]
    assert media.facts(ds) == {"rows": 3, "checked": 3, "labeled": None, "classes": 0}


def test_settings_move_the_thresholds():
    files = images(10)
    strict = replace(SETTINGS, label=LabelSettings(min_class_count=3, max_imbalance_ratio=100.0))
    found = by_check(media.findings(dataset(files, labels=["a"] * 8 + ["b"] * 2), strict))
    assert found["class_too_small"].count == 2 and "class_imbalance" not in found


def test_summary_of_a_small_dataset():
    files = [
        item("ds/train/cat/1.jpg", image=replace(GOOD, width=100, height=50)),
        item("ds/train/dog/2.jpg", image=replace(GOOD, width=300, height=200, mode="L")),
        item("ds/test/cat/3.jpg", image=replace(GOOD, width=200, height=100)),
        item("ds/test/dog/4.jpg", "rejected", reason="truncated"),
    ]
    ds = dataset(files, labels=["cat", "dog", "cat", "dog"], splits=["train", "train", "test", "test"])
    assert describe(ds) == {
        "name": "ds", "kind": "image", "files": 4, "ok": 3, "rejected": 1, "skipped": 0, "bytes": 400,
        "formats": {"jpeg": 4}, "splits": {"test": 2, "train": 2},
        "labels": {"source": "folders", "column": None, "labeled": 3, "coverage": 1.0,
                   "classes": {"cat": 2, "dog": 1}},
        "images": {"modes": {"RGB": 2, "L": 1}, "width": {"min": 100, "median": 200, "max": 300},
                   "height": {"min": 50, "median": 100, "max": 200}, "megapixels": {"median": 0.02}},
    }


def test_summary_of_audio_and_documents():
    clips = dataset([item("a/1.wav", audio=replace(CLIP, duration=1.25)),
                     item("a/2.wav", audio=replace(CLIP, duration=2.5, sample_rate=8000, channels=2))])
    summary = describe(clips)
    assert summary["labels"] is None and "splits" not in summary and "images" not in summary
    assert summary["audio"] == {"sample_rates": {"16000": 1, "8000": 1}, "channels": {"1": 1, "2": 1},
                                "duration": {"min": 1.25, "median": 1.875, "max": 2.5, "total": 3.75}}
    docs = dataset([item("d/1.pdf", document=replace(DOC, pages=3, scanned_pages=1)),
                    item("d/2.pdf", document=replace(DOC, language=None, words=0))],
                   labels=[None, None], source="d/labels.csv",
                   labels_file=LabelsFile("d/labels.csv", "path", "topic", rows=2))
    summary = describe(docs)
    assert summary["documents"] == {"pages": 5, "scanned_pages": 1, "languages": {"en": 1}, "words": 150}
    assert summary["labels"] == {"source": "d/labels.csv", "column": "topic", "labeled": 0, "coverage": 0.0,
                                 "classes": {}}


def test_near_duplicate_texts_by_skeleton_or_simhash():
    """A text counts when an earlier one has its skeleton (the same but for digits, case and spacing)
    or a SimHash within text_near_distance; exact copies are duplicate_files, no-word documents and a
    skeleton of 0 (facts cached before it was measured) match nothing."""
    far = [int(hashlib.sha256(str(i).encode()).hexdigest()[:16], 16) for i in range(8)]
    files = [
        item("ds/a.pdf", document=replace(DOC, simhash=far[0], skeleton=11)),
        item("ds/b.pdf", document=replace(DOC, simhash=far[1], skeleton=11)),  # a's skeleton: counted
        item("ds/c.pdf", sha="sha-ds/a.pdf", document=replace(DOC, simhash=far[0], skeleton=11)),  # exact copy of a
        item("ds/d.pdf", document=replace(DOC, simhash=far[2] ^ 0, skeleton=0)),
        item("ds/e.pdf", document=replace(DOC, simhash=far[3], skeleton=0)),  # two skeletons of 0: not the same
        item("ds/f.pdf", document=replace(DOC, simhash=far[2] ^ 0b111, skeleton=22)),  # 3 bits from d: counted
        item("ds/g.pdf", document=replace(DOC, words=0, simhash=far[4], skeleton=11)),  # no words: left out
        item("ds/h.pdf", document=replace(DOC, simhash=far[5], skeleton=22)),  # f's skeleton: counted
    ]
    found = by_check(media.findings(dataset(files, labels=["a"] * 8), SETTINGS))
    near = found["near_duplicate_texts"]
    assert near.count == 3 and near.details["examples"] == ["ds/b.pdf", "ds/f.pdf", "ds/h.pdf"]
    assert near.message == "3 files in ds are near copies of an earlier document's text; keep each group on one side " \
                           "of the split"
    assert found["duplicate_files"].count == 1
    one = by_check(media.findings(dataset(files[:2], labels=["a"] * 2), SETTINGS))["near_duplicate_texts"]
    assert one.message.startswith("1 file in ds is a near copy of an earlier document's text;")


def test_conflicting_labels_from_the_labels_file():
    files = images(6)
    files[1] = replace(files[1], file=replace(files[1].file, sha256=files[0].file.sha256))  # a/b: identical, 2 labels
    labels_file = LabelsFile("ds/labels.csv", "path", "label", rows=8,
                             conflicting_files=("ds/001.jpg", "ds/003.jpg", "ds/004.jpg"))  # 001 in both sources
    ds = dataset(files, labels=["x", "y", "x", "x", "y", "x"], source="ds/labels.csv", labels_file=labels_file)
    conflict = by_check(media.findings(ds, SETTINGS))["conflicting_labels"]
    assert (conflict.count, conflict.fraction) == (4, pytest.approx(4 / 6))  # 000, 001, 003, 004
    assert conflict.details["examples"] == ["ds/000.jpg", "ds/001.jpg", "ds/003.jpg", "ds/004.jpg"]
    assert (conflict.details["groups"], conflict.details["identical"], conflict.details["named"],
            conflict.details["by"]) == (1, 2, 3, "sha256+labels_file")
    assert conflict.message == ("4 files in ds carry different labels (2 in 1 group of identical files; 3 named in "
                                "rows of ds/labels.csv that disagree); agree on one label per file")
    one = replace(labels_file, conflicting_files=("ds/005.jpg",))
    files = images(6)
    ds = replace(ds, files=tuple(files), labels_file=one)
    conflict = by_check(media.findings(ds, SETTINGS))["conflicting_labels"]
    assert (conflict.count, conflict.details["by"], conflict.details["examples"]) == (1, "labels_file", ["ds/005.jpg"])
    assert conflict.message.startswith("1 file in ds carries different labels (1 named in rows of ds/labels.csv")


def test_split_overlap_from_the_labels_file():
    train = [item(f"ds/train/{i}.jpg", image=replace(GOOD, dhash=0xFF << (8 * i))) for i in range(4)]
    test = [item("ds/test/0.jpg", sha=train[0].file.sha256, image=replace(GOOD, dhash=0xFF)),  # exact
            item("ds/test/1.jpg", image=replace(GOOD, dhash=0x5555555555555555)),
            item("ds/test/2.jpg", image=replace(GOOD, dhash=0x3333333333333333))]
    labels_file = LabelsFile("ds/labels.csv", "path", "label", split_column="split", rows=7,
                             split_conflicts=("ds/test/0.jpg", "ds/test/2.jpg", "ds/train/3.jpg"))
    ds = dataset(train + test, labels=["a", "b"] * 3 + ["a"], splits=["train"] * 4 + ["test"] * 3,
                 source="ds/labels.csv", labels_file=labels_file)
    overlap = by_check(media.findings(ds, SETTINGS))["split_overlap"]
    # test/0 in both sources, test/2 and train/3 from the labels file: 3 of the 4 files (3 test + train/3)
    assert (overlap.count, overlap.details["exact"], overlap.details["near"], overlap.details["named"]) == (3, 1, 0, 3)
    assert overlap.details["examples"] == ["ds/train/3.jpg", "ds/test/0.jpg", "ds/test/2.jpg"]
    assert overlap.details["splits"] == {"test": 2, "train": 1}
    assert overlap.message == ("3 files of the validation and test files of ds (75.0%) also sit in train (1 identical, "
                               "0 near copies, 3 in two splits of ds/labels.csv); move them to one side of the split")
    # no training file at all: the labels file's conflicts are still found
    alone = replace(ds, files=tuple(test), labels=("a",) * 3, splits=("test",) * 3,
                    labels_file=replace(labels_file, split_conflicts=("ds/test/1.jpg",)))
    overlap = by_check(media.findings(alone, SETTINGS))["split_overlap"]
    assert (overlap.count, overlap.severity) == (1, "blocker")
    assert overlap.message.startswith("1 file of the validation and test files of ds (33.3%) also sits in train")
    assert overlap.message.endswith("move it to one side of the split")


def test_messages_for_one_file_read_right():
    files = [item("ds/a.jpg", image=replace(GOOD, dhash=0, exif=("gps",), faces=1, brightness=5.0, sharpness=1.0,
                                            width=10, height=10)),
             item("ds/b.jpg", image=replace(GOOD, dhash=1, mode="L")),
             item("ds/c.jpg", "rejected", reason="truncated"),
             item("ds/d.jpg", sha="sha-ds/b.jpg", image=replace(GOOD, dhash=1, mode="L"), claimed="png")]
    found = by_check(media.findings(dataset(files, labels=["a"] * 4), SETTINGS))
    said = {check: finding.message for check, finding in found.items()}
    assert said["corrupt_file"].startswith("1 file in ds cannot be decoded; copy it again")
    assert said["wrong_extension"].startswith("1 file in ds holds another format than its extension says; rename it")
    assert said["duplicate_files"].startswith("1 file in ds is an exact copy of an earlier file;")
    assert said["dark_images"] == "1 file in ds is a very dark image; review it"
    assert said["odd_size_images"] == "1 file in ds is a tiny or very elongated image; review it"
    assert said["near_duplicate_images"].startswith("1 file in ds is a near copy of an earlier image")
    assert said["pii:exif"].startswith("1 file in ds carries personal data in its metadata (gps)")
    assert said["pii:faces"].startswith("1 file in ds shows faces;")
    clips = [item("ds/a.wav", audio=replace(CLIP, clipped_share=0.5)),
             item("ds/b.wav", audio=replace(CLIP, duration=0.1))]
    said = {c: f.message for c, f in by_check(media.findings(dataset(clips, labels=["a"] * 2), SETTINGS)).items()}
    assert said["clipped_audio"] == "1 file in ds is clipped (samples at full scale); review it"
    assert said["clips_too_short"] == "1 file in ds is a clip shorter than 0.5 s; review it"
    docs = [item("ds/a.pdf", document=replace(DOC, pages=1, scanned_pages=1, failed_pages=1, javascript=True,
                                              pii={"email": 1}))]
    said = {c: f.message for c, f in by_check(media.findings(dataset(docs, labels=["a"]), SETTINGS)).items()}
    assert said["scanned_pages"] == \
        "1 of 1 pages in ds has no text layer; run OCR on it or send the text with the document"
    assert said["text_extraction_failed"] == "1 file in ds has pages whose text could not be extracted; export it again"
    assert said["pdf_javascript"].startswith("1 file in ds carries JavaScript or launch actions (never run); print it "
                                             "to a plain PDF")
    assert said["pii:text"].startswith("1 file in ds contains personal data in its text (email)")
    labels_file = LabelsFile("ds/labels.csv", "path", "label", rows=10, missing_files=1)
    ds = dataset(images(4), labels=["Cat", "Cat", "cat", None], source="ds/labels.csv", labels_file=labels_file)
    said = {c: f.message for c, f in by_check(media.findings(ds, SETTINGS)).items()}
    assert said["label_file_missing"].startswith("ds/labels.csv has 1 row naming a file not in the folder")
    assert said["label_variants"].startswith("1 label of ds is another spelling of a class: 'cat' for 'Cat'")
    assert said["unlabeled_files"].endswith("(1 of 4); label each or move it out of the folder")


def test_dominant_value_ties_go_to_the_first_name():
    """Two modes (rates, languages) of equal count: the first in sorted order is the dominant one, on every run."""
    files = [item("ds/a.jpg", image=replace(GOOD, dhash=0, mode="RGB")),
             item("ds/b.jpg", image=replace(GOOD, dhash=2 ** 64 - 1, mode="L"))]
    modes = by_check(media.findings(dataset(files[::-1], labels=["a"] * 2), SETTINGS))["mixed_image_modes"]
    assert (modes.count, modes.details["examples"], modes.details["modes"]) == (1, ["ds/a.jpg"], {"L": 1, "RGB": 1})
    assert "(1 file not L)" in modes.message
    clips = [item("ds/a.wav", audio=CLIP), item("ds/b.wav", audio=replace(CLIP, sample_rate=8000))]
    rates = by_check(media.findings(dataset(clips, labels=["a"] * 2), SETTINGS))["mixed_sample_rates"]
    assert rates.details["examples"] == ["ds/b.wav"]
    assert "(1 file not at 16,000 Hz)" in rates.message  # "16000" sorts before "8000"
    docs = [item("ds/a.pdf", document=replace(DOC, language="fr", simhash=0)),
            item("ds/b.pdf", document=replace(DOC, language="de", simhash=2 ** 64 - 1))]
    mix = by_check(media.findings(dataset(docs, labels=["a"] * 2), SETTINGS))["language_mix"]
    assert mix.details["examples"] == ["ds/a.pdf"] and "(1 file not in de)" in mix.message
