"""Inference: what each column is (type, expected format, id, label, personal data, range).

The plan drives both the exact counts (checks.py) and the GX suite (suites.py), so the two
always look at the same columns in the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from readiness.base import fastre, progress
from readiness.ingest.tables import count_present, is_text, objects
from readiness.models import Table
from readiness.profile import formats, pii
from readiness.settings import Settings

NON_NEGATIVE = re.compile(
    r"(^|_)(amount|price|cost|qty|quantity|age|count|total|revenue|salary|income|fee|tenure|"
    r"duration|weight|height|charges|spend|balance_due|units)($|_)"
)
SPACES = re.compile(r"\s+")
BOOL_TEXT = {"true", "false", "yes", "no", "y", "n", "t", "f", "0", "1"}


@dataclass(frozen=True)
class ColumnPlan:
    name: str
    type: str
    format: str | None = None  # "date:<layout>", "email", "phone", "url", "numeric", "regex:..."
    pattern: str | None = None  # full-match regex GX runs for the format
    low: float | None = None
    high: float | None = None
    is_id: bool = False
    is_label: bool = False
    pii: str | None = None
    pii_matches: tuple[tuple[str, int], ...] = ()
    pii_count: int = 0  # values that matched any personal-data kind

    @property
    def has_range(self) -> bool:
        return self.low is not None or self.high is not None

    @property
    def is_row_index(self) -> bool:
        """Only the row number: left out of duplicate rows, label conflicts, leakage and features."""
        return self.type == "row_index"


@dataclass(frozen=True)
class TablePlan:
    table: str
    rows: int
    columns: tuple[ColumnPlan, ...]
    label: str | None = None
    classes: tuple[str, ...] | None = None

    def column(self, name: str) -> ColumnPlan:
        return next(c for c in self.columns if c.name == name)


def snake(name: str) -> str:
    """``OrderID`` -> ``order_id``, ``BirthYear`` -> ``birth_year`` (lower-cased before the cut)."""
    return re.sub(r"[^a-z0-9]+", "_", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()).strip("_")


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def infer_id_columns(table: Table, declared: tuple[str, ...] | None,
                     value_counts: dict[str, pd.Series] | None = None,
                     codes: Sequence[np.ndarray] | None = None) -> tuple[str, ...]:
    """Declared ids, else a column named ``id`` or ``<table>_id``, else a unique-looking first ``*id``.

    A candidate whose values name entities measured in several rows (most rows repeat a value,
    or its repeats differ in a time column) is no id: it is a grouping column (entities.py), and
    its repeats are not reported as ``not_unique``. ``value_counts``: text columns' counts;
    ``codes``: every column's factorised codes (profile.column_codes), when the caller has them.
    """
    if declared is not None:
        return declared
    from readiness.profile import entities

    frame = table.frame
    known = value_counts or {}
    stem = snake(re.split(r"[/:]", table.name)[-1].split(".")[0])
    names = {snake(c): c for c in frame.columns}
    for candidate in dict.fromkeys(("id", f"{_singular(stem)}_id", f"{stem}_id")):
        if candidate in names and not entities.repeats(frame, names[candidate], known.get(names[candidate]),
                                                       codes).grouping:
            return (names[candidate],)
    if len(frame.columns) and len(frame):
        first = frame.columns[0]
        if re.search(r"(^|_)id$", snake(first)):
            verdict = entities.repeats(frame, first, known.get(first), codes)
            if verdict.present and verdict.entities / verdict.present >= 0.95 and not verdict.grouping:
                return (first,)
    return ()


# Names writers give a row number: pandas' index written to a file (an empty header, read as
# "Unnamed: N"; "index", "level_0" after reset_index; "__index_level_0__" in Parquet), R's row
# names ("", "X" once read back, "rownames", "row.names"), readr's "...1", and the plain ones.
ROW_NUMBER_NAME = re.compile(
    r"(unnamed[:_ ]*\d+(\.\d+)?|index|idx|level_\d+|__index_level_\d+__|row[._]?names?|row_?num(ber)?|"
    r"row_?n[or]|rowid|\.\.\.\d+|)", re.IGNORECASE)
FIRST_COLUMN_ROW_NUMBER_NAME = re.compile(r"x", re.IGNORECASE)  # R's read.csv names an empty header X
ROW_NUMBER_MIN_DISTINCT = 0.1  # a named row number repeats at most as often as frames were stacked


def _integer_text(series: pd.Series) -> np.ndarray | None:
    """A text column as integers when every value is plain digits (no sign, blank or missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = fastre.arrow_array(series)
    if not isinstance(array, pa.Array | pa.ChunkedArray) or array.null_count:
        return None
    if not pc.all(pc.match_substring_regex(array, r"^[0-9]{1,18}$")).as_py():
        return None
    return np.asarray(pc.cast(array, pa.int64()), dtype=np.int64)


def _row_numbers(series: pd.Series) -> np.ndarray | None:
    """The column's values as non-negative integers when it could be a row number (no missing
    value; integers, or integer text as a CSV holds them), else None."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if pd.api.types.is_integer_dtype(dtype):
        if series.hasnans:
            return None
        values = series.to_numpy(dtype=np.int64)
        return values if not len(values) or values.min() >= 0 else None
    if is_text(series):
        return _integer_text(series)
    return None


def _years(values: np.ndarray) -> bool:
    """Every value a plausible year (1700-2100): a row number never starts that high."""
    return bool(len(values)) and formats.YEARS_YYYY[0] <= int(values.min()) and int(values.max()) <= formats.YEARS_YYYY[1]


def _numbers_the_rows(series: pd.Series, codes: np.ndarray | None) -> bool:
    """Whether the values are exactly 0..n-1 or 1..n in file order (integers, or their plain text)."""
    rows = len(series)
    if rows < 2:
        return False
    if codes is not None and (len(codes) != rows or codes[-1] != rows - 1):
        return False  # codes number values by first appearance: n distinct present values end at n-1
    dtype = series.dtype
    if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        first, last = series.iloc[0], series.iloc[-1]
        if pd.isna(first) or pd.isna(last) or int(first) not in (0, 1) or int(last) != int(first) + rows - 1:
            return False
        values = _row_numbers(series)
        return values is not None and bool(np.array_equal(values, np.arange(int(first), int(first) + rows)))
    if not is_text(series):
        return False
    import pyarrow as pa
    import pyarrow.compute as pc

    first = series.iloc[0]
    if not isinstance(first, str) or first not in ("0", "1"):
        return False
    array = fastre.arrow_array(series)
    if not isinstance(array, pa.Array | pa.ChunkedArray) or array.null_count:
        return False
    start = int(first)
    expected = pc.cast(pa.array(np.arange(start, start + rows, dtype=np.int64)), pa.string())
    return bool(pc.all(pc.equal(array, expected)).as_py())


def row_index_columns(table: Table, settings: Settings, label: str | None,
                      codes: list[np.ndarray] | tuple[np.ndarray, ...] | None = None) -> tuple[str, ...]:
    """Columns that are only the row number: named like one (an empty header, ``index``,
    ``Unnamed: N``, R's row names, ...) with non-negative integer values, or holding exactly
    0..n-1 or 1..n in file order. Declared ids, inferred ids and the label never are.

    ``codes`` (profile.column_codes) make the common "no" a constant-time look: a column whose
    last row's code is not n-1 has a repeat or a missing value."""
    frame = table.frame
    rows = len(frame)
    declared = settings.table(table.name).id_columns
    never = {label, *(declared or ())}
    inferred_ids: set[str] | None = None
    found = []
    unique = frame.columns.is_unique
    for position, name in enumerate(frame.columns):
        if name in never or not rows:
            continue
        series = frame[name] if unique else frame.iloc[:, position]  # by name: pandas keeps the Series
        column_codes = codes[position] if codes is not None else None
        stripped = str(name).strip()
        named = bool(ROW_NUMBER_NAME.fullmatch(stripped)) or (
            position == 0 and bool(FIRST_COLUMN_ROW_NUMBER_NAME.fullmatch(stripped)))
        if named:
            values = _row_numbers(series)
            if values is None or _years(values):
                continue  # an unnamed column of years (R writes a yearly series' time as its row names)
            distinct = int(column_codes.max()) + 1 if column_codes is not None else len(np.unique(values))
            if distinct >= ROW_NUMBER_MIN_DISTINCT * rows:
                found.append(name)
            continue
        if _numbers_the_rows(series, column_codes):
            if inferred_ids is None:  # a column named as an id keeps being one, whatever it holds
                inferred_ids = set(infer_id_columns(table, declared))
            if name not in inferred_ids:
                found.append(name)
    return tuple(found)


SAMPLE_ABOVE = 5000  # distinct values; above this, a clear "no" to a type question is read off a sample
SAMPLE_DRAWS = 2000
SAMPLE_MARGIN = 0.15


def _draws(counts: pd.Series) -> pd.Series:
    """A seeded sample of the column's values drawn by frequency (each draw counts once)."""
    picked = counts.sample(n=SAMPLE_DRAWS, weights=counts.astype("float64"), random_state=0, replace=True)
    return pd.Series(1, index=picked.index)


def share(counts: pd.Series, pattern: str, threshold: float) -> float:
    """The share of values that fully match ``pattern``, for comparing with ``threshold``.

    Exact, except for columns with many distinct values whose seeded sample falls clearly
    below the threshold: inference only asks "is it at least the threshold?", and the counts
    reported later are always exact.
    """
    if counts.empty:
        return 0.0
    if len(counts) > SAMPLE_ABOVE:
        sampled = formats.conforming(_draws(counts), pattern) / SAMPLE_DRAWS
        if sampled < threshold - SAMPLE_MARGIN:
            return sampled
    return formats.conforming(counts, pattern) / counts.to_numpy().sum()


def _numeric_text_share(counts: pd.Series, threshold: float = 0.9) -> float:
    return share(counts, formats.NUMBER_RE, threshold)


def column_type(series: pd.Series, counts: pd.Series | None, fmt: str | None, is_id: bool,
                numeric_share: float, numeric_min: float, non_missing: int | None = None) -> str:
    if is_id:
        return "id"
    if not (count_present(series) if non_missing is None else non_missing):
        return "empty"
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "datetime" if fmt and fmt.startswith("date:") else "integer"  # 1958, 19580329 as numbers
    if pd.api.types.is_float_dtype(dtype):
        return "numeric"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if fmt and fmt.startswith("date:"):
        return "datetime"
    if counts is None or counts.empty:
        return "mixed"
    if numeric_share >= numeric_min:
        integral = formats.conforming(counts, r"[+-]?\d+")
        return "integer" if integral == counts.to_numpy().sum() else "numeric"
    distinct = len(counts)
    lowered = {str(v).strip().lower() for v in counts.index[:20]}
    if distinct <= 2 and lowered <= BOOL_TEXT:
        return "boolean"
    weighted = _draws(counts) if len(counts) > SAMPLE_ABOVE else counts  # a type guess, not a count
    if len(weighted) <= formats.FEW_VALUES:  # str.count is re's findall, value by value: the same sums
        weights = [int(w) for w in weighted.to_numpy()]
        words = sum((len(SPACES.findall(text)) + 1) * w for text, w in zip(weighted.index, weights, strict=True)
                    if isinstance(text, str))  # pandas counts nothing (NaN, skipped) for a non-text value
        mean_words = words / sum(weights)
    else:
        texts = pd.Series(weighted.index, dtype=object)
        mean_words = float((texts.str.count(r"\s+") + 1).mul(weighted.to_numpy()).sum() / weighted.sum())
    if mean_words >= 4:
        return "text"
    if distinct <= 50 and distinct <= max(2, 0.5 * counts.to_numpy().sum()):
        return "categorical"
    return "string"


def plan_table(table: Table, settings: Settings, label: str | None, classes: tuple[str, ...] | None,
               value_counts: dict[str, pd.Series] | None = None,
               row_index: tuple[str, ...] | None = None,
               codes: Sequence[np.ndarray] | None = None) -> TablePlan:
    """Decide, for each column of a table, what the audit checks and how.

    ``value_counts`` may hold each text column's distinct values with their counts
    (formats.value_counts_text), computed once by the caller; ``row_index`` the
    ``row_index_columns`` the caller found; ``codes`` every column's factorised codes.
    """
    frame = table.frame
    known = value_counts or {}
    table_settings = settings.table(table.name)
    if row_index is None:
        row_index = row_index_columns(table, settings, label)
    row_numbers = set(row_index)
    ids = set(infer_id_columns(table, table_settings.id_columns, known, codes)) - row_numbers
    thresholds = settings.thresholds
    plans = []
    for name in frame.columns:
        progress.advance(0.5)  # a column's hashing pass was the other half (profile.column_codes)
        if name in row_numbers:  # a row number: no format, range or personal data to look for
            plans.append(ColumnPlan(name=name, type="row_index"))
            continue
        series = frame[name]
        counts = None
        if is_text(series):
            counts = known[name] if name in known else formats.value_counts_text(series)
        non_missing = count_present(series)
        declared = table_settings.formats.get(name)
        if name in table_settings.date_columns and declared is None:
            declared = "date"
        is_label = name == label
        fmt: str | None = None
        pattern: str | None = None
        numeric_share = _numeric_text_share(counts, thresholds.numeric_min_fraction) if counts is not None else 0.0
        if counts is not None and not counts.empty and not is_label:
            fmt, pattern = _infer_format(name, counts, declared, numeric_share, thresholds)
        elif declared is not None and declared.startswith("regex:"):
            fmt, pattern = declared, declared[len("regex:"):]
        elif not is_label and pd.api.types.is_integer_dtype(series.dtype):
            fmt = integer_date_format(name, series, declared)  # no pattern: GX matches regexes on text only
        low, high = _range(name, series, counts, fmt, table_settings.ranges.get(name))
        forced = name in settings.pii.columns or f"{table.name}:{name}" in settings.pii.columns
        ignored = name in settings.pii.ignore or f"{table.name}:{name}" in settings.pii.ignore
        if counts is not None:
            verdict = pii.detect(name, counts, non_missing, forced=forced, ignored=ignored)
        else:
            verdict = pii.detect_numbers(name, series, non_missing, forced=forced, ignored=ignored)
        if fmt == "email" and verdict.kind is None and not ignored:
            verdict = pii.PiiVerdict("email", {"email": non_missing}, non_missing)
        if verdict.kind is not None:
            low = high = None  # a personal column's range or dates would show its values
        plans.append(ColumnPlan(
            name=name,
            type=column_type(series, counts, fmt, name in ids, numeric_share, thresholds.numeric_min_fraction,
                             non_missing),
            format=fmt, pattern=pattern, low=low, high=high, is_id=name in ids, is_label=is_label,
            pii=verdict.kind, pii_matches=tuple(sorted(verdict.matched.items())), pii_count=verdict.total,
        ))
    plans = _embedding_personal(frame, plans, {n for n in frame.columns if n in settings.pii.ignore
                                                or f"{table.name}:{n}" in settings.pii.ignore})
    return TablePlan(table.name, len(frame), tuple(plans), label if label in frame.columns else None, classes)


EMBED_SAMPLE = 2000  # rows looked at to decide whether a column embeds another column's personal values
EMBED_MIN = 0.5


def _embedding_personal(frame: pd.DataFrame, plans: list[ColumnPlan], ignored: set[str]) -> list[ColumnPlan]:
    """A text column whose values carry the same row's value of a personal column (a key built as
    ``Name.Country.1946.1952``, a greeting with the customer's name) is personal data of that kind
    too. Decided on a spread sample of rows; the count is every present value, as for a named column."""
    personal = [p for p in plans if p.pii is not None and not p.is_row_index and is_text(frame[p.name])]
    if not personal:
        return plans
    rows = len(frame)
    picked = np.unique(np.linspace(0, max(rows - 1, 0), min(rows, EMBED_SAMPLE)).astype(np.int64))
    out = []
    for plan in plans:
        if plan.pii is None and not plan.is_label and not plan.is_row_index and plan.name not in ignored \
                and is_text(frame[plan.name]):
            values = objects(frame[plan.name].iloc[picked])
            for source in personal:
                keys = objects(frame[source.name].iloc[picked])
                pairs = [(str(v), str(k)) for v, k in zip(values, keys, strict=True)
                         if v is not None and k is not None and len(str(k).strip()) >= 3]
                if pairs and sum(k.strip() in v for v, k in pairs) >= EMBED_MIN * len(pairs):
                    present_values = count_present(frame[plan.name])
                    plan = replace(plan, pii=source.pii, pii_matches=((str(source.pii), present_values),),
                                   pii_count=present_values)
                    break
        out.append(plan)
    return out


YEAR_NAME = re.compile(r"(^|_)(year|yr)($|_)")  # year, yr, birth_year, year_built (snake-cased)
BARE_DATE_MIN = 0.9  # bare digits (YYYYMMDD, YYYY) are dates when this share of the values are real dates


def year_column(name: str) -> bool:
    """Whether the column's name says it holds years (BirthYear, YEAR too: lower-cased before snake)."""
    if ROW_NUMBER_NAME.fullmatch(name.strip()):  # an unnamed first column may hold a series' years
        return True
    return YEAR_NAME.search(snake(re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower())) is not None


def _is_date_column(verdict: formats.DateVerdict, total: int, date_min: float) -> bool:
    """Enough values in a date layout; for a layout of bare digits (an id column could look alike),
    nearly all of them real dates."""
    if verdict.date_values < date_min * total:
        return False
    bare = verdict.dominant is not None and formats.LAYOUTS_BY_NAME[verdict.dominant].bare
    return not bare or verdict.conforming + verdict.mixed >= BARE_DATE_MIN * total


def integer_date_format(name: str, series: pd.Series, declared: str | None) -> str | None:
    """``date:YYYY`` or ``date:YYYYMMDD`` for a whole-number column (Parquet, Excel, JSON) every
    value of which is a real date in that layout (a year only in a column named or declared so)."""
    if declared not in (None, "date"):
        return None
    layout = formats.integer_layout(series, year_column=declared == "date" or year_column(name))
    return None if layout is None else f"date:{layout}"


def _infer_format(name: str, counts: pd.Series, declared: str | None, numeric_share: float,
                  thresholds: object) -> tuple[str | None, str | None]:
    date_min = getattr(thresholds, "date_min_fraction", 0.5)
    numeric_min = getattr(thresholds, "numeric_min_fraction", 0.9)
    total = counts.to_numpy().sum()
    if declared is not None and declared.startswith("regex:"):
        return declared, declared[len("regex:"):]
    if declared in ("email", "phone", "url", "numeric"):
        return declared, formats.FORMAT_REGEX[declared]
    if declared == "date" or (declared is None and year_column(name)):
        years = formats.classify_dates(counts, forced_layout="YYYY")
        if years.conforming >= BARE_DATE_MIN * total:
            return "date:YYYY", formats.LAYOUTS_BY_NAME["YYYY"].pattern
    if declared is None and len(counts) > SAMPLE_ABOVE:
        # type inference only (counts are exact later): a sample far below the threshold is no date column
        sample = _draws(counts)
        if formats.classify_dates(sample).date_values < (date_min - SAMPLE_MARGIN) * len(sample):
            declared = "not-a-date"
    if declared == "date" or declared is None:
        verdict = formats.classify_dates(counts)
        if verdict.dominant and (declared == "date" or _is_date_column(verdict, total, date_min)):
            return f"date:{verdict.dominant}", formats.LAYOUTS_BY_NAME[verdict.dominant].pattern
    if declared == "date":
        return "date:YYYY-MM-DD", formats.LAYOUTS_BY_NAME["YYYY-MM-DD"].pattern
    token = snake(name)
    for kind, regex in (("email", r"(^|_)e_?mail($|_)"), ("phone", r"(^|_)(phone|mobile|telephone)($|_)"),
                        ("url", r"(^|_)(url|link|website|homepage)($|_)")):
        if re.search(regex, token):
            return kind, formats.FORMAT_REGEX[kind]
    for kind in ("email", "url"):
        if share(counts, formats.FORMAT_REGEX[kind], 0.5) >= 0.5:
            return kind, formats.FORMAT_REGEX[kind]
    if numeric_share >= numeric_min:
        return "numeric", formats.NUMBER_RE
    return None, None


def _range(name: str, series: pd.Series, counts: pd.Series | None, fmt: str | None,
           declared: tuple[float | None, float | None] | None) -> tuple[float | None, float | None]:
    if declared is not None:
        return declared
    numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
    if not (numeric or fmt == "numeric"):
        return None, None
    token = snake(name)
    if re.search(r"(^|_)age($|_)", token):
        return 0.0, 120.0
    if NON_NEGATIVE.search(token):
        return 0.0, None
    if re.search(r"(^|_)(pct|percent|percentage)($|_)", token):
        return 0.0, 100.0
    return None, None


def numeric_values(series: pd.Series) -> pd.Series:
    """The column as numbers (text parsed; what does not parse is NaN)."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("float64")
    if isinstance(series.dtype, pd.StringDtype):
        return _text_numbers(fastre.strip(series))
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=False) == "string":
        # all text: strip by Arrow (as str.strip does), parse as pandas parses the string dtype
        return pd.to_numeric(fastre.strip(series), errors="coerce").astype("float64")
    return pd.to_numeric(series.astype("string").str.strip(), errors="coerce").astype("float64")


PLAIN_INTEGER = r"^-?[0-9]{1,15}$"  # exact in float64 whichever parser reads it


def _text_numbers(texts: pd.Series) -> pd.Series:
    """``pd.to_numeric(texts, errors="coerce")`` as float64, for stripped text: plain integers of
    at most 15 digits (most id and count columns) cast by Arrow, everything else parsed by pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = fastre.arrow_array(texts)
    out = np.full(len(texts), np.nan)
    rest = texts.notna().to_numpy()
    if array is not None:
        plain = np.asarray(pc.fill_null(pc.match_substring_regex(array, PLAIN_INTEGER), False), dtype=bool)
        if plain.any():
            try:
                out[plain] = np.asarray(pc.cast(pc.filter(array, plain), pa.int64()), dtype=np.float64)
                rest &= ~plain
            except pa.ArrowInvalid:  # not what the pattern promised: pandas parses all of it
                out[:] = np.nan
    if rest.any():
        out[rest] = pd.to_numeric(objects(texts[rest]), errors="coerce").astype("float64").to_numpy()
    return pd.Series(out, index=texts.index, dtype="float64")
