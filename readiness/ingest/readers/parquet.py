"""The Parquet reader: one file, or the parts of a hive-partitioned folder as one table, parsed
by Arrow in a child process (sandbox) after the footers have shown the table fits the limits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from readiness.ingest import sandbox
from readiness.ingest.columns import unique_names
from readiness.ingest.limits import check_cells, check_expansion
from readiness.ingest.readers.common import DEFAULT_LIMITS, Part, Read, RejectedFile, Request
from readiness.settings import ReadLimits

SUFFIXES = (".parquet", ".pq")


def read_file(path: Path, request: Request) -> Read:
    frame = sandbox.run(read_parquet, [path], None, request.limits, limits=request.child, label=request.name)
    return Read((Part(request.name, frame),))


def read_parts(directory: Path, parts: list[Path], request: Request) -> pd.DataFrame:
    """The data parts of a partitioned folder (found by the walk) as one table, with a column per
    partition key."""
    return sandbox.run(read_parquet, parts, directory, request.limits, limits=request.child,
                       label=request.name)


def is_part(relative: str) -> bool:
    """A data part of a partitioned folder, as Arrow's discovery picks them: a Parquet file or a
    file without suffix, with no name on its path (folders included) starting with ``.`` or ``_``."""
    names = relative.split("/")
    if any(name.startswith((".", "_")) for name in names):
        return False
    return names[-1].lower().endswith(SUFFIXES) or "." not in names[-1]


def _parquet_frame(table: Any) -> pd.DataFrame:
    import pyarrow as pa

    def mapper(arrow_type: Any) -> Any:
        if pa.types.is_integer(arrow_type):
            return pd.Int64Dtype()
        if pa.types.is_boolean(arrow_type):
            return pd.BooleanDtype()
        return None

    frame = table.to_pandas(types_mapper=mapper)
    if not isinstance(frame.index, pd.RangeIndex):
        # an index pandas stored as a column of the file is a field like any other: kept as a column,
        # where the file keeps it (after the others)
        levels = frame.index.nlevels
        names = unique_names([*map(str, frame.columns), *(n if n is not None else ("index" if levels == 1 else f"level_{i}")
                                                          for i, n in enumerate(frame.index.names))])
        frame = frame.reset_index(drop=False, allow_duplicates=True)
        frame = frame.iloc[:, [*range(levels, frame.shape[1]), *range(levels)]]
        frame.columns = names
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    return frame


def _parquet_error(exc: BaseException) -> RejectedFile:
    message = str(exc)
    if "magic bytes" in message:
        message = "footer missing: the file is truncated or is not Parquet"
    elif "smaller than" in message:
        message = "the file is shorter than its own footer says: it is truncated or is not Parquet"
    else:
        message = sandbox.error_summary(exc)  # Arrow's text can quote a value or a path
    return RejectedFile(f"not a valid Parquet file ({message}); re-export it")


def parquet_budget(files: list[Path], limits: ReadLimits) -> None:
    """Refuse Parquet whose footers promise more than the limits allow, before a row is read: the
    cells (rows x columns), the unpacked size, and the estimated size in memory (8 bytes a cell at
    least: a file of a billion run-length-encoded zeros is a few hundred KB on disk)."""
    import pyarrow.parquet as pq

    rows = cells = unpacked = packed = 0
    columns = 0
    for file in files:
        metadata = pq.read_metadata(file)
        packed += file.stat().st_size
        rows += metadata.num_rows
        columns = max(columns, metadata.num_columns)
        cells += metadata.num_rows * metadata.num_columns
        unpacked += sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if cells > limits.max_cells:
        raise RejectedFile(f"{rows:,} rows x {columns:,} columns is {cells:,} cells, above the {limits.max_cells:,} "
                           "limit; split the table, or raise [limits] max_cells")
    check_expansion(max(unpacked, 8 * cells), packed, limits)


def read_parquet(files: list[Path], base: Path | None = None, limits: ReadLimits = DEFAULT_LIMITS) -> pd.DataFrame:
    """One Parquet file, or the listed parts of a hive-partitioned folder under ``base``: Arrow is
    handed the files the walk found (inside PATH, links left out) and never lists a folder itself."""
    import pyarrow.lib
    import pyarrow.parquet as pq

    try:
        parquet_budget(files, limits)
        if base is None:
            table = pq.read_table(files[0])
        else:
            import pyarrow.dataset as ds

            dataset = ds.dataset([str(file) for file in files], format="parquet", partition_base_dir=str(base),
                                 partitioning=ds.HivePartitioning.discover(infer_dictionary=True))
            table = dataset.to_table()
    except (pyarrow.lib.ArrowInvalid, pyarrow.lib.ArrowException, OSError) as exc:
        raise _parquet_error(exc) from exc
    check_cells(table.num_rows, table.num_columns, limits.max_cells)
    return _parquet_frame(table)
