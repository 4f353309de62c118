"""The packet's media parts: each media dataset's inventory line and class counts, the contact
sheet of thumbnails (only where ``[share] thumbnails`` allows it), and the trial steps and
questions that fit vision, audio or document work.

Thumbnails are re-encoded from the pixels (no EXIF, no file name) and embedded in the HTML as
data URIs, so the packet stays one file that opens offline. An image is left out of the sheet
when a face was found in it, and when faces could not be looked for (OpenCV's face detector is
the ``faces`` extra), unless ``[share] faces = true``. Faces are looked for only in the images
the sheet would show (at most SHEET_MAX a dataset; upright per EXIF and in four rotations).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from readiness.ingest.sniff import KINDS
from readiness.media import images
from readiness.media.model import MediaDataset
from readiness.settings import Settings

SHEET_PER_CLASS = 4
SHEET_MAX = 48
THUMBNAIL_SIZE = 96
FACE_LOOKS = 2 * SHEET_MAX  # images searched for faces per dataset (about a second each), then the sheet stops
KIND_WORDS = {"image": ("image", "images"), "audio": ("recording", "recordings"),
              "document": ("document", "documents"), "mixed": ("file", "files")}


def _plural(count: int, kind: str) -> str:
    one, many = KIND_WORDS.get(kind, ("file", "files"))
    return f"{count:,} {one if count == 1 else many}"


def describe_line(dataset: dict[str, Any]) -> str:
    """One plain sentence on a media dataset of readiness.json."""
    name = dataset["name"]
    where = "the folder itself" if name == "." else name
    parts = [f"{_plural(dataset['files'], dataset['kind'])} in {where}"]
    if dataset.get("rejected"):
        parts.append(f"{dataset['rejected']:,} could not be decoded")
    if dataset.get("skipped"):
        parts.append(f"{dataset['skipped']:,} need an extra to be read")
    formats = dataset.get("formats") or {}
    if formats:
        parts.append("formats " + ", ".join(f"{fmt} {count:,}" for fmt, count in sorted(formats.items())))
    splits = dataset.get("splits") or {}
    if splits:
        parts.append("splits " + ", ".join(f"{split} {count:,}" for split, count in sorted(splits.items())))
    labels = dataset.get("labels")
    if labels:
        source = "class sub-folders" if labels.get("source") == "folders" else f"labels file {labels.get('source')}"
        parts.append(f"labels from {source}: {labels['labeled']:,} labeled ({labels['coverage'] * 100:.1f}%), "
                     f"{len(labels.get('classes') or {}):,} classes")
    else:
        parts.append("no labels (no class sub-folders or labels file)")
    return "; ".join(parts) + "."


def _facts_lines(dataset: dict[str, Any]) -> list[str]:
    lines = []
    image = dataset.get("images") or {}
    if image:
        width, height = image.get("width") or {}, image.get("height") or {}
        modes = ", ".join(f"{mode} {count:,}" for mode, count in sorted((image.get("modes") or {}).items()))
        if width:
            lines.append(f"Image sizes: width {width.get('min', 0):,.0f} to {width.get('max', 0):,.0f} px (median "
                         f"{width.get('median', 0):,.0f}), height {height.get('min', 0):,.0f} to "
                         f"{height.get('max', 0):,.0f} px (median {height.get('median', 0):,.0f}); colour modes: {modes}.")
    sound = dataset.get("audio") or {}
    if sound:
        rates = ", ".join(f"{rate} Hz {count:,}" for rate, count in sorted((sound.get("sample_rates") or {}).items()))
        duration = sound.get("duration") or {}
        if duration:
            lines.append(f"Clip lengths: {duration.get('min', 0):,.1f} to {duration.get('max', 0):,.1f} s (median "
                         f"{duration.get('median', 0):,.1f} s, {duration.get('total', 0) / 3600:,.2f} hours in all); "
                         f"sample rates: {rates}.")
    text = dataset.get("documents") or {}
    if text:
        languages = ", ".join(f"{lang} {count:,}" for lang, count in sorted((text.get("languages") or {}).items()))
        lines.append(f"Pages: {text.get('pages', 0):,}, of which {text.get('scanned_pages', 0):,} without a text "
                     f"layer; {text.get('words', 0):,} words" + (f"; languages: {languages}." if languages else "."))
    return lines


def _bars(classes: dict[str, int]) -> list[dict[str, Any]]:
    top = max(classes.values(), default=0)
    ordered = sorted(classes.items(), key=lambda item: (-item[1], item[0]))
    return [{"label": name, "value": count, "width": 100.0 * count / top if top else 0.0} for name, count in ordered]


def view(document: dict[str, Any], thumbnails: dict[str, list[dict[str, str]]] | None) -> list[dict[str, Any]]:
    """What the templates show of each media dataset."""
    out = []
    for dataset in document.get("media") or []:
        labels = dataset.get("labels") or {}
        out.append({**dataset, "line": describe_line(dataset), "facts": _facts_lines(dataset),
                    "class_bars": _bars(labels.get("classes") or {}) if labels else [],
                    "sheet": (thumbnails or {}).get(dataset["name"], [])})
    return out


def decoded(file: dict[str, Any]) -> bool:
    """An inventory entry of an image, recording or document that decoded without a problem."""
    return file["status"] == "ok" and not file.get("tables") and file["format"] in KINDS


def main_kind(document: dict[str, Any]) -> str | None:
    """The kind of the largest media dataset, when every table is only a labels file of a media
    dataset (or there is none): what the trial is about."""
    media = document.get("media") or []
    labels_files = {(m.get("labels") or {}).get("source") for m in media}
    if not media or any(t["name"] not in labels_files for t in document.get("tables") or []):
        return None
    return str(max(media, key=lambda d: d["files"])["kind"])


TRIAL_STEPS = {
    "image": ("Load the images with their labels (class sub-folders or the labels file) and read this briefing; "
              "set aside a test part that keeps exact and near-duplicate images on one side of the split.",
              "Fine-tune a small pretrained image model (for example a ResNet or ViT) on the training part, with the "
              "augmentations the images call for; report accuracy and a confusion matrix per class."),
    "audio": ("Load the recordings with their labels or transcripts and read this briefing; resample to one rate "
              "and set aside a test part split by speaker or session, not by clip.",
              "Fine-tune a small pretrained audio model (for example wav2vec 2.0 or Whisper for speech, a spectrogram "
              "CNN for sounds) on the training part; report its error rate per class or word error rate."),
    "document": ("Load the documents with their labels and read this briefing; extract the text (OCR the pages "
                 "without a text layer) and set aside a test part that keeps near-duplicate documents together.",
                 "Train a baseline text classifier (TF-IDF with a linear model) and one pretrained language model on "
                 "the training part; report per-class results and what the OCR errors cost."),
}
QUESTIONS = {
    "image": "How would you check that our photos look like the images your model will meet in production "
             "(cameras, lighting, resolution)?",
    "audio": "How would you handle different microphones, background noise and speakers between training and "
             "production recordings?",
    "document": "How would you extract text from our documents reliably (layout, tables, scans), and measure "
                "the extraction's errors?",
}


def trial_steps(kind: str) -> tuple[str, str] | None:
    return TRIAL_STEPS.get(kind)


def question(kind: str | None) -> str | None:
    return QUESTIONS.get(kind) if kind else None


def contact_sheet(root: Path, datasets: Sequence[MediaDataset], settings: Settings,
                  shown: Callable[[str], str] = str) -> dict[str, list[dict[str, str]]]:
    """Thumbnails by dataset name, a few per class, as data URIs; nothing unless ``[share]
    thumbnails`` is on. ``shown`` gives a class name as shared (a name holding personal data
    replaced by its placeholder). Images with personal data in their metadata are re-encoded without it;
    images with faces (or not looked at for faces) are left out unless ``[share] faces`` is on."""
    if not settings.share.thumbnails:
        return {}
    sheets: dict[str, list[dict[str, str]]] = {}
    for dataset in datasets:
        taken: dict[str | None, int] = {}
        sheet: list[dict[str, str]] = []
        looked = 0
        for examined, label in zip(dataset.files, dataset.labels, strict=True):
            facts = examined.image
            if facts is None or examined.status != "ok" or len(sheet) >= SHEET_MAX:
                continue
            if taken.get(label, 0) >= SHEET_PER_CLASS:
                continue
            path = root if root.is_file() else root / examined.file.path
            if not settings.share.faces:
                looked += 1
                if looked > FACE_LOOKS:
                    break
                found = images.faces(path, settings.media.max_pixels)
                if found is None or found > 0:  # a face, or no detector to look for one: left out
                    continue
            try:
                data = images.thumbnail(path, THUMBNAIL_SIZE)
            except (OSError, ValueError):
                continue
            taken[label] = taken.get(label, 0) + 1
            sheet.append({"label": shown(label) if label else "", "src": "data:image/jpeg;base64," + base64.b64encode(data).decode()})
        if sheet:
            sheets[dataset.name] = sheet
    return sheets
