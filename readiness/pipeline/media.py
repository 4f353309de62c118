"""The media step of reading: images, audio and documents found by the walk decoded (or taken
from the per-file cache), grouped into datasets, and their inventory entries given the status the
decoding found."""

from __future__ import annotations

from dataclasses import replace

from readiness.base.progress import stage
from readiness.ingest.model import Ingested
from readiness.media import examine
from readiness.media.model import MediaDataset
from readiness.pipeline.stages import Request

# a folder of tables with one or two text files beside them (notes, a data dictionary): not a corpus
STRAY_TEXT_FILES = 2
STRAY_TEXT = ("a text file beside the tables; not audited as data (a folder with 3 or more documents, "
              "or a PDF or DOCX, is)")


def read_media(request: Request, ingested: Ingested) -> tuple[Ingested, tuple[MediaDataset, ...]]:
    """The media datasets of PATH, and the inventory with each media file's final status."""
    if not ingested.media:
        return ingested, ()
    stage("decoding images, audio and documents", len(ingested.media), "files")
    db = request.db if request.out_dir.is_dir() else None  # the cache lives in the history's file
    found = examine.media_datasets(request.root, ingested.media, ingested.tables, request.settings, db,
                                   request.dataset_name, request.settings.label.column)
    kept: list[MediaDataset] = []
    stray: list[str] = []
    for dataset in found:
        only_text = all(e.file.format in ("txt", "md") for e in dataset.files)
        if ingested.tables and only_text and len(dataset.files) <= STRAY_TEXT_FILES:
            stray.extend(e.file.path for e in dataset.files)
        else:
            kept.append(dataset)
    examined = {e.file.path: e for d in found for e in d.files}
    status = {path: (e.status, e.reason) for path, e in examined.items()}
    status.update({path: ("skipped", STRAY_TEXT) for path in stray})
    files = tuple(replace(f, status=status[f.path][0], reason=status[f.path][1], sha256=examined[f.path].file.sha256)
                  if f.path in examined else f for f in ingested.files)
    return replace(ingested, files=files), tuple(kept)


def tables_only_label(table_names: list[str], media: tuple[MediaDataset, ...]) -> bool:
    """Whether the media is the data: some media dataset has labels, and every table is a labels
    file of a media dataset (or there is none). The task is then the media's (classification)."""
    labels_files = {d.labels_file.table for d in media if d.labels_file is not None}
    return any(d.label_source for d in media) and all(name in labels_files for name in table_names)
