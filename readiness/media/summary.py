"""One media dataset as readiness.json's ``media`` list describes it: counts by status, format,
split and class, and per kind the measures a reader plans with (sizes, rates, durations, pages,
languages). Plain JSON types and string keys only; no paths and no text of any file.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from readiness.media.model import MediaDataset


def _counts(values: list[str]) -> dict[str, int]:
    """Counts, most common first (ties by name)."""
    return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 3)


def _spread(values: list[float]) -> dict[str, int | float]:
    return {"min": _number(min(values)), "median": _number(statistics.median(values)), "max": _number(max(values))}


def describe(dataset: MediaDataset) -> dict[str, Any]:
    """The dataset's entry in readiness.json's ``media`` list."""
    files = dataset.files
    ok = [i for i, item in enumerate(files) if item.status == "ok"]
    status = Counter(item.status for item in files)
    out: dict[str, Any] = {
        "name": dataset.name,
        "kind": dataset.kind,
        "files": len(files),
        "ok": status["ok"],
        "rejected": status["rejected"],
        "skipped": status["skipped"],
        "bytes": sum(item.file.bytes for item in files),
        "formats": _counts([item.file.format for item in files]),
    }
    splits = [split for split in dataset.splits if split is not None]
    if splits:
        out["splits"] = _counts(splits)
    out["labels"] = None
    if dataset.label_source is not None:
        labels = [label for i in ok if (label := dataset.labels[i]) is not None]
        out["labels"] = {
            "source": dataset.label_source,
            "column": dataset.labels_file.label_column
            if dataset.labels_file is not None and dataset.label_source != "folders" else None,
            "labeled": len(labels),
            "coverage": round(len(labels) / len(ok), 4) if ok else 0.0,
            "classes": _counts(labels),
        }
    images = [item.image for item in files if item.status == "ok" and item.image is not None]
    if images:
        out["images"] = {
            "modes": _counts([image.mode for image in images]),
            "width": _spread([image.width for image in images]),
            "height": _spread([image.height for image in images]),
            "megapixels": {"median": _number(statistics.median(image.width * image.height / 1e6 for image in images))},
        }
    clips = [item.audio for item in files if item.status == "ok" and item.audio is not None]
    if clips:
        durations = [clip.duration for clip in clips]
        out["audio"] = {
            "sample_rates": _counts([str(clip.sample_rate) for clip in clips]),
            "channels": _counts([str(clip.channels) for clip in clips]),
            "duration": {**_spread(durations), "total": _number(sum(durations))},
        }
    documents = [item.document for item in files if item.status == "ok" and item.document is not None]
    if documents:
        out["documents"] = {
            "pages": sum(d.pages for d in documents),
            "scanned_pages": sum(d.scanned_pages for d in documents),
            "languages": _counts([d.language for d in documents if d.language is not None]),
            "words": sum(d.words for d in documents),
        }
    return out


__all__ = ["describe"]
