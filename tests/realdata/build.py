"""The real-data corpus: tables as public PyPI data packages ship them, and a few that a user would
write from them with pandas, each with a hand-written truth in ``truth/<package>.toml``.

Usage: python tests/realdata/build.py DEST   (writes DEST/<package>/<file>, one folder per package)

Nothing is downloaded: every source is a file inside an installed package (the dev extras).
"""

from __future__ import annotations

import bz2
import gzip
import importlib
import importlib.util
import shutil
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TRUTH_DIR = Path(__file__).resolve().parent / "truth"


@dataclass(frozen=True)
class TableTruth:
    """What a correct reading of one corpus table gives (column positions are 0-based)."""

    package: str  # the truth file's stem = the folder the table is audited in
    name: str  # the table's name in that folder (``book.xlsx:Sheet1`` for a sheet)
    source: str  # the file inside the installed package (relative to site-packages), or how it was made
    write: str  # copy | bunzip2 | bz2-to-gzip | pandas
    format: str
    header_line: int  # 1-based line of the header, 0 when the file has none
    metadata_lines: tuple[int, ...]  # 1-based lines that are neither header nor data
    fields: int
    rows: int
    delimiter: str | None = None  # None for Parquet, Excel and JSON; " " for whitespace-separated
    ids: tuple[int, ...] = ()
    row_index: tuple[int, ...] = ()
    dates: tuple[int, ...] = ()
    pii: dict[int, str] = field(default_factory=dict)  # position -> kind
    constant: tuple[int, ...] = ()
    free_text: tuple[int, ...] = ()  # the only columns where duplicate_texts may be right
    ragged: int = 0  # rows whose field count differs from the header's
    label: int | None = None
    notes: str = ""
    path: str | None = None  # the file read when ``source`` is a description (relative to site-packages)
    read: dict[str, Any] = field(default_factory=dict)  # pandas.read_csv options (write = "pandas")
    loader: str | None = None  # "module:function" instead of reading ``source`` (write = "pandas")
    loader_kwargs: dict[str, Any] = field(default_factory=dict)
    to: str | None = None  # csv | parquet | xlsx | json | jsonl (write = "pandas")
    to_kwargs: dict[str, Any] = field(default_factory=dict)
    set_index: str | None = None  # a column pandas makes the index before writing (write = "pandas")

    @property
    def file(self) -> str:
        return self.name.split(":", 1)[0]


TUPLE_KEYS = ("metadata_lines", "ids", "row_index", "dates", "constant", "free_text")


def load_truths(truth_dir: Path = TRUTH_DIR) -> dict[str, list[TableTruth]]:
    """Every truth file: package folder -> its tables, in the order written."""
    out: dict[str, list[TableTruth]] = {}
    for path in sorted(truth_dir.glob("*.toml")):
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        tables = []
        for entry in document["table"]:
            values = dict(entry)
            for key in TUPLE_KEYS:
                values[key] = tuple(values.get(key, ()))
            values["pii"] = {int(k): v for k, v in values.get("pii", {}).items()}
            tables.append(TableTruth(package=path.stem, **values))
        names = [t.name for t in tables]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise ValueError(f"{path.name}: table names used twice: {sorted(duplicates)}")
        out[path.stem] = tables
    return out


def package_root(module: str) -> Path:
    """The site-packages folder holding an installed top-level module."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"{module} is not installed; pip install -e '.[dev]'")
    return Path(spec.origin).resolve().parent.parent


def _source_path(truth: TableTruth) -> Path:
    relative = truth.path or truth.source
    module = relative.split("/", 1)[0]
    path = package_root(module) / relative
    if not path.is_file():
        raise FileNotFoundError(f"{truth.package}/{truth.name}: {relative} is not in the installed {module}")
    return path


def _frame(truth: TableTruth) -> Any:
    import pandas as pd

    if truth.loader:
        module, function = truth.loader.split(":")
        result = getattr(importlib.import_module(module), function)(**truth.loader_kwargs)
        result = getattr(result, "frame", result)
        return result.to_frame() if isinstance(result, pd.Series) else result
    return pd.read_csv(_source_path(truth), **truth.read)


def write_table(truth: TableTruth, dest: Path) -> Path:
    """Write one corpus table into ``dest`` (its package folder); return the file."""
    target = dest / truth.file
    if truth.write == "copy":
        shutil.copyfile(_source_path(truth), target)
    elif truth.write == "bunzip2":
        target.write_bytes(bz2.decompress(_source_path(truth).read_bytes()))
    elif truth.write == "bz2-to-gzip":
        # mtime=0: the same bytes on every build
        target.write_bytes(gzip.compress(bz2.decompress(_source_path(truth).read_bytes()), mtime=0))
    elif truth.write == "pandas":
        frame = _frame(truth)
        if truth.set_index:
            frame = frame.set_index(truth.set_index)
        options = dict(truth.to_kwargs)
        if truth.to == "csv":
            frame.to_csv(target, **options)
        elif truth.to == "parquet":
            frame.to_parquet(target, **options)
        elif truth.to == "xlsx":
            frame.to_excel(target, **options)
        elif truth.to == "json":
            frame.to_json(target, orient="records", **options)
        elif truth.to == "jsonl":
            frame.to_json(target, orient="records", lines=True, **options)
        else:
            raise ValueError(f"{truth.package}/{truth.name}: unknown 'to' {truth.to!r}")
    else:
        raise ValueError(f"{truth.package}/{truth.name}: unknown 'write' {truth.write!r}")
    return target


def build(dest: Path, packages: list[str] | None = None,
          truths: dict[str, list[TableTruth]] | None = None) -> dict[str, Path]:
    """Write every corpus table into ``dest/<package>/``; return package -> folder."""
    truths = truths if truths is not None else load_truths()
    folders = {}
    for package, tables in truths.items():
        if packages is not None and package not in packages:
            continue
        folder = Path(dest) / package
        folder.mkdir(parents=True, exist_ok=True)
        for truth in tables:
            write_table(truth, folder)
        folders[package] = folder
    return folders


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/realdata/build.py DEST")
    for package, folder in build(Path(sys.argv[1])).items():
        print(f"{package}: {len(list(folder.iterdir()))} files in {folder}")
