"""Which reader reads a file, by its suffix: one line per format. A new format is one module in
this package (a function ``read(path, request) -> Read``) and one Reader line in READERS.

Suffixes that are never read are listed too, each with the reason the inventory gives.
"""

from __future__ import annotations

from pathlib import Path

from readiness.ingest.readers import delimited, excel, json, parquet
from readiness.ingest.readers.common import Reader

READERS = (
    Reader("csv", (".csv", ".csv.gz"), delimited.read_csv),
    Reader("tsv", (".tsv", ".tsv.gz"), delimited.read_tsv),
    Reader("parquet", parquet.SUFFIXES, parquet.read_file),
    Reader("json", (".json", ".json.gz"), json.read_json),
    Reader("jsonl", (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"), json.read_jsonl),
    Reader("xlsx", (".xlsx",), excel.read_file),
)
BY_SUFFIX = {suffix: reader for reader in READERS for suffix in reader.suffixes}

REJECT_ONLY = {  # suffix: (format, reason)
    ".xls": ("xls", "legacy Excel .xls is not read; open it and save as .xlsx or CSV"),
    ".xlsm": ("xlsx", "macro-enabled workbooks are not opened; save a copy as .xlsx without macros"),
}
SKIP_REASONS = {
    ".pkl": "pickle files are never loaded (they can run code); export the data as CSV or Parquet",
    ".pickle": "pickle files are never loaded (they can run code); export the data as CSV or Parquet",
    ".joblib": "joblib files are never loaded (they can run code); export the data as CSV or Parquet",
    ".zip": "archives are not read yet; extract it into the folder",
    ".tar": "archives are not read yet; extract it into the folder",
    ".tar.gz": "archives are not read yet; extract it into the folder",
    ".tgz": "archives are not read yet; extract it into the folder",
    ".7z": "archives are not read yet; extract it into the folder",
}
KNOWN_SUFFIXES = sorted({*BY_SUFFIX, *REJECT_ONLY, *SKIP_REASONS}, key=len, reverse=True)  # longest first


def suffix_of(path: Path) -> str:
    """The longest suffix of the name that some entry above claims (``.tar.gz`` before ``.gz``),
    else the last suffix, lower-cased."""
    name = path.name.lower()
    for ext in KNOWN_SUFFIXES:
        if name.endswith(ext):
            return ext
    return path.suffix.lower()


def reader_for(path: Path) -> Reader | None:
    """The reader of a data file; None for a file no reader claims (skipped, refused, not data)."""
    return BY_SUFFIX.get(suffix_of(path))
