"""The visual profile (fg-data-profiling): an HTML page per table, for the owner only.

It may use a seeded sample above ``profile.sample_rows``, and it is written under ``internal/``
only, because it shows raw values. The only module that imports ``data_profiling``, inside
functions: ``readiness --help`` never loads it.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.ingest.columns import objects
from readiness.ingest.model import Table
from readiness.settings import Settings


def _quiet_profiler() -> None:
    """The profiler phones home unless told not to; the tool always tells it."""
    os.environ["YDATA_PROFILING_NO_ANALYTICS"] = "1"
    os.environ.setdefault("TQDM_DISABLE", "1")


def _import_profiler() -> None:
    """Import the profiler without its optional Spark and numba backends (about 70 MB less): it
    looks them up when imported and uses them only if found, and a profile of a pandas sample
    needs neither. They stay importable for everything else afterwards."""
    import sys

    if "data_profiling" in sys.modules:
        return
    hidden = [name for name in ("pyspark", "numba") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "not installed" for the profiler's lookups
    try:
        import data_profiling  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


SMALL_TABLE_ROWS = 1_000  # below this many rows a table's text columns get no length chart (see _charts)


def _charts(rows: int) -> dict[str, Any]:
    """The profiler's chart options for a table of ``rows`` rows (after sampling).

    Histograms get about sqrt(rows) bins, 5 to 50: 50 bars over 3 values show nothing, and each
    bar is drawn (matplotlib spends most of a small table's profile drawing). Below
    SMALL_TABLE_ROWS the length histograms of text columns are left out (their length
    statistics stay): in a table that small the values themselves are quicker to read.
    """
    bins = min(50, max(5, math.ceil(math.sqrt(max(rows, 1)))))
    lengths = rows >= SMALL_TABLE_ROWS
    return {"plot": {"histogram": {"bins": bins}},
            "lengths": {"cat": {"length": lengths}, "text": {"length": lengths}}}


_AUDITS_DRAWN = 0  # audits of this process whose profiles were placed (place_profiles)


def warm_if_repeated() -> None:
    """From the second audit of a process on (a scheduler, the test suite), import the profiler
    here (on parallel.preload's thread), so each audit's drawing child starts with it imported
    rather than importing it afresh (about 3 s of CPU). A one-off audit (the CLI) leaves the
    import to its child, where it overlaps the counts and GX."""
    if _AUDITS_DRAWN:
        _quiet_profiler()
        _import_profiler()


def write_visual_profile(table: Table, destination: Path, settings: Settings) -> int | None:
    """Write the HTML profile; returns the sample size when the profile was sampled.
    The table has at least one row and one column (write_visual_profiles sees to that)."""
    _quiet_profiler()
    import warnings

    _import_profiler()
    from data_profiling import ProfileReport
    from data_profiling.model.pandas import summary_pandas
    from data_profiling.utils import common, logger

    # belt and braces: even with the variable unset, no analytics call can be made
    common.analytics_features = lambda *args, **kwargs: None
    logger.analytics_features = lambda *args, **kwargs: None
    # the per-column summary draws a progress bar whatever progress_bar says
    summary_pandas.tqdm = lambda iterable, **kwargs: iterable
    frame = table.frame
    sampled = None
    if len(frame) > settings.profile.sample_rows:
        frame = frame.sample(n=settings.profile.sample_rows, random_state=settings.profile.seed)
        sampled = settings.profile.sample_rows
    title = f"{table.name} (internal: do not share)"
    if sampled:
        title += f" - seeded random sample of {sampled:,} of {len(table.frame):,} rows"
    limit = settings.profile.max_columns
    if frame.shape[1] > limit:  # a chart per column: wide tables show their first columns only
        title += f" - first {limit} of {frame.shape[1]} columns ([profile] max_columns)"
        frame = frame.iloc[:, :limit]
    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.StringDtype):
            frame[column] = objects(frame[column])
        if isinstance(frame[column].dtype, pd.BooleanDtype | pd.Int64Dtype):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        elif frame[column].dtype == object and frame[column].notna().any():
            # numbers stored as text (every CSV column) are drawn as numbers: a histogram, not a
            # word cloud per column (the counts in readiness.json keep comparing them as text)
            numbers = pd.to_numeric(frame[column], errors="coerce")
            if int(numbers.notna().sum()) == int(frame[column].notna().sum()):
                frame[column] = numbers
    charts = _charts(len(frame))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        words = settings.profile.words  # word clouds cost more than every other chart of a text column
        report = ProfileReport(frame, minimal=settings.profile.minimal, progress_bar=False, title=title,
                               plot=charts["plot"],
                               vars={"cat": {"words": words, **charts["lengths"]["cat"]},
                                     "text": {"words": words, **charts["lengths"]["text"]}})
        destination.parent.mkdir(parents=True, exist_ok=True)
        report.to_file(destination, silent=True)
    return sampled


def chosen_tables(tables: list[Table], limit: int) -> set[int]:
    """Positions of the tables that get a visual profile: those with rows and columns, the
    ``limit`` largest by cells when there are more (ties: the first listed)."""
    drawable = [i for i, t in enumerate(tables) if t.frame.shape[0] and t.frame.shape[1]]
    drawable.sort(key=lambda i: (-tables[i].frame.shape[0] * tables[i].frame.shape[1], i))
    return set(drawable[:limit])


def _why_not(table: Table, limit: int) -> str:
    rows, columns = table.frame.shape
    if not rows:
        return "the table has no rows"
    if not columns:
        return "the table has no columns"
    return f"only the {limit} largest tables (by cells) get one; see [profile] max_tables"


def _note(folder: Path, table: Table, reason: str) -> None:
    """Why a table has no visual profile, beside the profiles (internal: the reason may quote
    the profiler's error, which may quote a value)."""
    from readiness.base.text import slug

    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug(table.name)}.txt").write_text(
            f"No visual profile of table {table.name!r}: {reason}.\n", encoding="utf-8")
    except OSError:  # a note is a courtesy: a name too long for the file system loses it, not the run
        pass


def write_visual_profiles(tables: list[Table], folder: Path, settings: Settings) -> list[int | None]:
    """Every table's visual profile into ``folder`` (file names by slug); the sample size of each.

    A table with no rows or no columns, one past ``[profile] max_tables``, or one the profiler
    fails on gets no profile but a note (``<slug>.txt``) saying why; the other tables are drawn
    all the same, and the audit goes on."""
    from readiness.base.text import slug

    chosen = chosen_tables(tables, settings.profile.max_tables)
    samples: list[int | None] = []
    for position, table in enumerate(tables):
        samples.append(None)
        if position not in chosen:
            _note(folder, table, _why_not(table, settings.profile.max_tables))
            continue
        destination = folder / f"{slug(table.name)}.html"
        try:
            samples[-1] = write_visual_profile(table, destination, settings)
        except Exception as exc:  # noqa: BLE001 - one table's profile never stops the audit
            destination.unlink(missing_ok=True)
            _note(folder, table, f"the profiler failed ({type(exc).__name__}: {str(exc)[:300]})")
    return samples


def place_profiles(drawn: Callable[[], list[int | None]], tables: list[Table], scratch: Path,
                   folder: Path) -> list[tuple[int | None, str | None]]:
    """Move what write_visual_profiles left in ``scratch`` into ``folder`` (internal/profiles):
    for each table its sample size and the file name of its profile, None when it has none.
    ``drawn()`` waits for the drawing; if the drawing as a whole failed (its child was killed,
    out of memory), no table has a profile and each gets a note: the audit still completes."""
    from readiness.base.text import slug

    global _AUDITS_DRAWN
    _AUDITS_DRAWN += 1
    try:
        samples = drawn()
    except Exception as exc:  # noqa: BLE001 - the profile is a courtesy to the owner, the audit goes on
        samples = [None] * len(tables)
        for table in tables:
            (scratch / f"{slug(table.name)}.html").unlink(missing_ok=True)
            _note(scratch, table, f"the profiler stopped ({type(exc).__name__}: {str(exc)[:300]})")
    placed: list[tuple[int | None, str | None]] = []
    for table, sampled in zip(tables, samples, strict=True):
        name = slug(table.name)
        written = None
        for file_name in (f"{name}.html", f"{name}.txt"):
            if (scratch / file_name).is_file():
                folder.mkdir(parents=True, exist_ok=True)
                shutil.move(scratch / file_name, folder / file_name)
                os.chmod(folder / file_name, 0o600)
                written = file_name if file_name.endswith(".html") else written
        placed.append((sampled if written else None, written))
    return placed
