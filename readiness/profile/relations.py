"""Keys between tables: each table's key, the columns that refer to another table's key, and the
exact counts that show how well the data keeps them (docs/relations.md).

Values are compared by a canonical text (CSV text "5001", Excel 5001 and JSON 5001 alike; an
integral float 5001.0 is 5001), coded once per column as int64 (an integer is its value, other
text its SipHash): every containment test after that is a sorted search over integers.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from readiness.ingest.model import Table
from readiness.models import DeclaredKey, JoinCoverage, Relations, Relationship, TableKey
from readiness.profile import dates, formats
from readiness.profile.headers import singular, snake

CONTAINMENT = 0.90  # share of a child's distinct keys found in the parent's key
MIN_DISTINCT = 10  # fewer distinct values: a code or a flag, not a key (unless the names match exactly)
NEARLY_UNIQUE = 0.95  # an id-named column this unique is its table's key even though the data breaks it
SAMPLE = 64  # distinct child values tried first: most pairs fail on them
PAIR_COLUMNS = 6  # two-column keys are sought among this many hinted columns
GENERIC = ("id", "key", "ref", "code", "number", "no", "nr", "num")  # key names that name no table
KEY_NAME = re.compile(r"(^|_)(id|key|code|number|no|nr|num|uuid|guid|ref|sku)$")
DATE_HINTS = ("created", "signup", "registered", "opened", "start", "date", "ts", "time")
FILE_SUFFIXES = {"csv", "tsv", "txt", "json", "jsonl", "ndjson", "parquet", "xlsx", "xls", "xlsm", "ods", "feather",
                 "arrow", "orc", "avro", "sqlite", "db", "duckdb", "gz", "zip"}
_MIX = np.uint64(0x9E3779B97F4A7C15)  # combines the hashes of a two-column key


@dataclass(frozen=True, eq=False)
class Column:
    """One column coded: each row's canonical text as an int64 code (0 where missing)."""

    table: str
    name: str
    kind: str  # "integer" (integers, integral floats, integer text: 90% of the distinct values) | "text" | "other"
    hashes: np.ndarray  # per row
    present: np.ndarray  # bool per row
    distinct: np.ndarray  # the present hashes, unique and sorted
    low: float | None = None  # integers only: the smallest and largest value (years, small codes)
    high: float | None = None

    @property
    def unique(self) -> bool:
        return bool(self.present.all()) and len(self.distinct) == len(self.present)


def _text_codes(texts: np.ndarray) -> np.ndarray:
    """SipHash (pandas' ``hash_array``) of text values, as int64."""
    if not len(texts):
        return np.zeros(0, dtype=np.int64)
    return np.asarray(pd.util.hash_array(np.asarray(texts, dtype=object)).view(np.int64))


INTEGER_TEXT = r"^(0|-?[1-9][0-9]{0,17})$"  # digits as an integer writes them: "05001" stays text
# a column is of integers when this share of its distinct values are: one "A5001" or "05001" among
# integer ids is a bad value (an orphan when the column refers to integer ids), not another kind
MOSTLY_INTEGERS = 0.90


def _strings(values: pd.Series) -> tuple[np.ndarray, str, float | None, float | None]:
    """Codes of text values: the integer itself for integer text (so "5001" meets 5001), else the
    text's hash; integers when at least MOSTLY_INTEGERS of the values are integer text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(values.astype(object), type=pa.string())
    digits = np.asarray(pc.match_substring_regex(array, INTEGER_TEXT).to_numpy(zero_copy_only=False), dtype=bool)
    codes = _text_codes(values.to_numpy(dtype=object))
    if digits.any():
        numbers = np.asarray(pc.cast(pc.filter(array, pa.array(digits)), pa.int64()), dtype=np.int64)
        codes[digits] = numbers
        if digits.mean() >= MOSTLY_INTEGERS:
            return codes, "integer", float(numbers.min()), float(numbers.max())
    return codes, "text", None, None


def _canonical(uniques: pd.Series) -> tuple[np.ndarray, str, float | None, float | None]:
    """Distinct values as int64 codes equal exactly when their canonical texts are: an integer (or
    an integral float, or integer text) is its value, any other value its text's hash; with their
    kind and (integers) their range."""
    dtype = uniques.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype) or \
            isinstance(dtype, pd.CategoricalDtype):
        return _text_codes(uniques.astype(str).to_numpy(dtype=object)), "other", None, None
    if pd.api.types.is_integer_dtype(dtype):
        values = uniques.to_numpy(dtype=np.int64)
        return values, "integer", float(values.min(initial=0)), float(values.max(initial=0))
    if pd.api.types.is_float_dtype(dtype):
        values = uniques.to_numpy(dtype=np.float64)
        integral = np.isfinite(values) & (np.floor(values) == values) & (np.abs(values) < 2.0**62)
        codes = _text_codes(np.array([json.dumps(float(v)) for v in values[~integral]], dtype=object))
        out = np.empty(len(values), dtype=np.int64)
        out[integral], out[~integral] = values[integral].astype(np.int64), codes
        if integral.all() and len(values):
            return out, "integer", float(values.min()), float(values.max())
        return out, "other", None, None
    objects = uniques.to_numpy(dtype=object)
    if isinstance(dtype, pd.StringDtype) or pd.api.types.infer_dtype(objects, skipna=True) in ("string", "empty"):
        return _strings(uniques)
    return _mixed(objects)


def _mixed(values: np.ndarray) -> tuple[np.ndarray, str, float | None, float | None]:
    """Codes of an object column of several types, value by value (rare: JSON of mixed types)."""
    codes, kinds, numbers = np.zeros(len(values), dtype=np.int64), set(), []
    for position, value in enumerate(values):
        number = None
        if isinstance(value, (bool, np.bool_)):
            text = "true" if value else "false"
            kinds.add("other")
        elif isinstance(value, (int, np.integer)) or (isinstance(value, (float, np.floating)) and np.isfinite(value)
                                                       and float(value).is_integer() and abs(float(value)) < 2.0**62):
            number = int(value)
        elif isinstance(value, str) and re.fullmatch(INTEGER_TEXT, value):
            number = int(value)
        elif isinstance(value, str):
            text = value
            kinds.add("text")
        else:
            text = json.dumps(float(value)) if isinstance(value, (float, np.floating)) else str(value)
            kinds.add("other")
        if number is not None and not -(2**63) <= number < 2**63:  # wider than int64: its digits' code
            text, number = str(number), None
            kinds.add("integer")
        if number is not None:
            codes[position] = number
            numbers.append(float(number))
            kinds.add("integer")
        else:
            codes[position] = _text_codes(np.array([text], dtype=object))[0]
    kind = kinds.pop() if len(kinds) == 1 else ("text" if kinds <= {"text", "integer"} else "other")
    if kind == "text" and len(numbers) >= MOSTLY_INTEGERS * len(values):
        kind = "integer"
    low, high = (min(numbers), max(numbers)) if kind == "integer" and numbers else (None, None)
    return codes, kind, low, high


def hash_column(table: str, name: str, series: pd.Series) -> Column:
    """The column factorised once; its distinct values canonicalised to int64 codes."""
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # lists or objects a reader kept: compared by their text
        codes, uniques = pd.factorize(series.map(lambda v: v if v is None or v is pd.NA else str(v)))
    hashed, kind, low, high = _canonical(pd.Series(uniques))
    present = codes >= 0
    hashes = hashed[np.where(present, codes, 0)] if len(hashed) else np.zeros(len(codes), dtype=np.int64)
    hashes = np.where(present, hashes, 0).astype(np.int64)
    return Column(table, name, kind, hashes, present, np.unique(hashed), low, high)


def _combined(columns: Sequence[Column]) -> tuple[np.ndarray, np.ndarray]:
    """Row hashes of several columns as one key, and where every part is present."""
    if len(columns) == 1:
        return columns[0].hashes, columns[0].present
    hashes = columns[0].hashes.view(np.uint64).copy()
    present = columns[0].present.copy()
    for column in columns[1:]:
        hashes = hashes * _MIX + column.hashes.view(np.uint64)
        present &= column.present
    return hashes.view(np.int64), present


def _found(sorted_keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which values are among the sorted keys (a sorted search, no sets)."""
    if not len(sorted_keys):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return np.asarray(sorted_keys[at] == values)


def entity(table: str) -> str:
    """What a table's rows are, from its name: ``customers.xlsx:customers`` -> ``customer``."""
    parts = re.split(r"[/:]", table)[-1].split(".")
    if len(parts) > 1 and parts[-1].lower() in FILE_SUFFIXES:
        parts = parts[:-1]
    return singular(snake(parts[-1]))


def _stem(column: str) -> str:
    """``customer_id`` -> ``customer``; ``id`` -> ``""``; a name that is no key name -> ``""``."""
    name = snake(column)
    return singular(KEY_NAME.sub("", name).strip("_")) if KEY_NAME.search(name) else ""


def _similar(a: str, b: str) -> bool:
    return a == b or (len(a) >= 3 and len(b) >= 3 and (a in b or b in a)) or \
        difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def name_score(child: str, parent_table: str, parent_column: str) -> int:
    """How strongly the names say the child column refers to the parent's key: 3 they match
    (``customer_id`` -> ``customers.customer_id`` or ``customers.id``, or one name that is no generic
    key name), 2 alike, 1 a key name that names nothing (``ref``, ``number``), 0 no key name, -1 they name different things (``customer_id`` -> ``events.event_id``)."""
    c, p = snake(child), snake(parent_column)
    stem, target = _stem(child), _stem(parent_column) or entity(parent_table)
    if c == p and c not in GENERIC:
        return 3
    if stem and target:
        if stem == target:
            return 3
        return 2 if _similar(stem, target) else -1
    return 1 if KEY_NAME.search(c) else 0


def _table_key(table: Table, columns: tuple[str, ...], hashed: dict[str, Column], declared: bool) -> TableKey:
    keys, present = _combined([hashed[c] for c in columns])
    rows = len(present)
    present_keys = keys[present]
    duplicates = int(len(present_keys) - len(np.unique(present_keys)))
    missing = int(rows - present.sum())
    return TableKey(table.name, columns, declared, not duplicates and not missing, duplicates, missing, rows)


def _key_like(column: Column) -> bool:
    """Integers or text under a key's name (id, key, code, number, uuid, ...): a unique free text or
    amount is no key."""
    return column.kind in ("integer", "text") and bool(KEY_NAME.search(snake(column.name)))


def _inferred_key(table: Table, hashed: dict[str, Column]) -> tuple[str, ...] | None:
    """The best key the data suggests: one unique, never missing column preferred by its name (the
    table's id first), else a two-column one among the hinted columns; an id-named column that is
    nearly unique counts too (its repeats are then reported)."""
    own = entity(table.name)
    position = {name: i for i, name in enumerate(hashed)}
    ranked = sorted((c for c in hashed.values() if _key_like(c)),
                    key=lambda c: (snake(c.name) not in ("id", f"{own}_id"), position[c.name]))
    for column in ranked:
        if column.unique and len(column.distinct) >= 2:
            return (column.name,)
    for column in ranked:
        named = snake(column.name) in ("id", f"{own}_id")
        if named and column.present.sum() and len(column.distinct) >= NEARLY_UNIQUE * column.present.sum():
            return (column.name,)
    hinted = ranked[:PAIR_COLUMNS]
    for first, second in combinations(hinted, 2):
        keys, present = _combined([first, second])
        if present.all() and len(np.unique(keys)) == len(keys) and len(keys) >= 2:
            return (first.name, second.name)
    return None


def _eligible_child(column: Column, score: int) -> bool:
    """Guards against coincidences: flags, fractions, dates, low-distinct codes and years."""
    if column.kind not in ("integer", "text"):
        return False
    if score >= 3:
        return len(column.distinct) >= 1
    if len(column.distinct) < MIN_DISTINCT:
        return False
    if column.kind == "integer":
        if column.low is not None and column.high is not None and 1800 <= column.low and column.high <= 2100:
            return False  # years, or small codes inside a range of ids
        # integers match by chance (any run of small numbers is inside a range of ids): only a name
        # that names the parent makes them a reference, a bare ``ref`` or ``number`` names nothing
        return score >= 2
    return score >= 0


def _compatible(child: Column, parent: Column) -> bool:
    return child.kind == parent.kind and len(parent.distinct) >= MIN_DISTINCT


def _containment(child: Column, parent: Column) -> float:
    values = child.distinct
    if len(values) > SAMPLE:  # most pairs fail on a sample of the child's values
        sample = values[np.linspace(0, len(values) - 1, SAMPLE).astype(np.int64)]
        if _found(parent.distinct, sample).mean() < CONTAINMENT - 0.2:
            return 0.0
    return float(_found(parent.distinct, values).mean()) if len(values) else 0.0


def relate(child: Table, child_columns: Sequence[Column], parent: Table, parent_columns: Sequence[Column],
           declared: bool, child_dates: np.ndarray | None = None, parent_dates: np.ndarray | None = None,
           timestamps: tuple[str, str] | None = None) -> Relationship:
    """The exact counts of one relationship (see models.Relationship)."""
    child_keys, keyed = _combined(child_columns)
    parent_keys, held = _combined(parent_columns)
    present_parent = parent_keys[held]
    parent_set, first = np.unique(present_parent, return_index=True)
    keys = child_keys[keyed]
    found = _found(parent_set, keys)
    child_set = np.unique(keys)
    containment = float(_found(parent_set, child_set).mean()) if len(child_set) else 1.0
    referred = _found(child_set, parent_set)
    before = None
    if child_dates is not None and parent_dates is not None:
        at = np.minimum(np.searchsorted(parent_set, keys), max(len(parent_set) - 1, 0))
        parent_rows = np.flatnonzero(held)[first[at]] if len(parent_set) else np.zeros(0, np.int64)
        theirs = parent_dates[parent_rows] if len(parent_set) else np.zeros(len(keys), "datetime64[ns]")
        mine = child_dates[keyed]
        both = found & ~np.isnat(mine) & ~np.isnat(theirs)
        before = int((both & (mine < theirs)).sum())
    return Relationship(
        child=child.name, child_columns=tuple(c.name for c in child_columns), parent=parent.name,
        parent_columns=tuple(c.name for c in parent_columns), declared=declared, containment=containment,
        child_rows=len(child.frame), keyed_rows=int(keyed.sum()), orphan_rows=int(len(keys) - found.sum()),
        parent_rows=len(parent.frame), duplicate_parent_keys=int(len(present_parent) - len(parent_set)),
        childless_parents=int(len(parent_set) - referred.sum()),
        child_before_parent=before, timestamps=timestamps if before is not None else None)


def _is_arrow_temporal(dtype: object) -> bool:
    import pyarrow as pa

    return isinstance(dtype, pd.ArrowDtype) and (pa.types.is_date(dtype.pyarrow_dtype)
                                                 or pa.types.is_timestamp(dtype.pyarrow_dtype))


def _holds_dates(series: pd.Series) -> bool:
    """An object column of ``datetime.date`` / ``datetime.datetime`` values (a database's or a
    Parquet file's ``date`` column as pyarrow's ``to_pandas`` gives it)."""
    if series.dtype != object:
        return False
    sample = series.dropna().head(SAMPLE).to_numpy(dtype=object)
    return bool(len(sample)) and all(isinstance(v, (datetime.date, pd.Timestamp)) for v in sample)


def _typed_dates(series: pd.Series) -> np.ndarray | None:
    """The dates of a typed column (datetime64 with or without a time zone, Arrow dates and
    timestamps, objects of ``datetime.date``/``datetime``) as naive UTC ``datetime64[ns]``; None
    for any other column. A date is its midnight, a naive time is taken as UTC."""
    dtype = series.dtype
    if not (pd.api.types.is_datetime64_any_dtype(dtype) or _is_arrow_temporal(dtype) or _holds_dates(series)):
        return None
    objects = series.to_numpy(dtype=object) if not pd.api.types.is_datetime64_any_dtype(dtype) else series
    try:
        values = pd.to_datetime(objects, utc=True, errors="coerce")
    except (TypeError, ValueError, OverflowError):  # a value no date (a mixed column): not compared
        return None
    return np.asarray(pd.DatetimeIndex(values).tz_localize(None).to_numpy(dtype="datetime64[ns]"))


def _parsed_dates(series: pd.Series, fmt: str | None) -> np.ndarray | None:
    """A column's dates per row (NaT where none), parsed as the profile parses them; None when it
    holds no dates."""
    typed = _typed_dates(series)
    if typed is not None:
        return typed
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return None
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    distinct = pd.Series(np.asarray(uniques, dtype=object))
    text = distinct.map(lambda v: v.strip() if isinstance(v, str) else None)
    if fmt is None or not fmt.startswith("date:"):
        counts = pd.Series(np.bincount(codes[codes >= 0], minlength=len(uniques)), index=text.fillna("").to_numpy())
        fmt = (lambda d: f"date:{d}" if d else None)(dates.classify_dates(formats.Distinct(counts)).dominant)
    if fmt is None or fmt[5:] not in dates.LAYOUTS_BY_NAME:
        return None
    layout = dates.LAYOUTS_BY_NAME[fmt[5:]]
    usable = text.dropna()
    usable = usable[usable.str.fullmatch(layout.pattern)]
    parsed = dates.parse_dates(usable.astype(object), layout.name).reindex(distinct.index)
    values = parsed.to_numpy(dtype="datetime64[ns]")
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[codes >= 0] = values[codes[codes >= 0]]
    return out if (~np.isnat(out)).sum() * 2 >= max(int((codes >= 0).sum()), 1) else None


def creation_dates(table: Table, formats_of: Mapping[str, str]) -> tuple[str, np.ndarray] | None:
    """The table's creation-like date column (by name: created, signup, registered, opened, start,
    date, ts, time, in that order of preference) and its dates per row."""
    ranked = []
    for position, name in enumerate(map(str, table.frame.columns)):
        words = snake(name).split("_")
        for rank, hint in enumerate(DATE_HINTS):
            if hint in words or (len(hint) > 3 and any(w.startswith(hint) for w in words)):
                ranked.append((rank, position, name))
                break
    for _, _, name in sorted(ranked):
        parsed = _parsed_dates(table.frame[name], formats_of.get(name))
        if parsed is not None:
            return name, parsed
    return None


def _may_key(series: pd.Series) -> bool:
    """Flags, dates and categories are never keys: not coded unless a declared key names them."""
    dtype = series.dtype
    return not (pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)
                or isinstance(dtype, pd.CategoricalDtype) or _is_arrow_temporal(dtype) or _holds_dates(series))


def infer(tables: Sequence[Table], declared: Sequence[DeclaredKey] = (), *, label_table: str | None = None,
          id_columns: Mapping[str, Sequence[str]] | None = None,
          date_formats: Mapping[str, Mapping[str, str]] | None = None) -> Relations:
    """Every table's key and the relationships between the tables, with exact counts.

    ``declared``: the schema's keys (always kept, whatever the data says); ``id_columns``: each
    table's id columns as configured or inferred (keys even when the data breaks them);
    ``date_formats``: table -> column -> the profile's format (``date:YYYY-MM-DD``), when known;
    ``label_table``: the main table of the join coverage, when it refers to others."""
    by_name = {t.name: t for t in tables}
    # a declared key of a table that could not be read (permission denied, a statement timeout), or a
    # foreign key to such a table, has no data to count and no table for the report to name: the
    # audit keeps only the keys between the tables it holds
    declared = tuple(k for k in declared if k.table in by_name and (k.parent_table is None or k.parent_table in by_name))
    ids = {name: tuple(cols) for name, cols in (id_columns or {}).items()}
    needed = {(k.table, c) for k in declared for c in k.columns} | \
        {(k.parent_table, c) for k in declared for c in k.parent_columns} | \
        {(name, c) for name, cols in ids.items() for c in cols}
    hashed: dict[str, dict[str, Column]] = {
        t.name: {str(c): hash_column(t.name, str(c), t.frame[c]) for c in t.frame.columns
                 if (t.name, str(c)) in needed or _may_key(t.frame[c])} for t in tables}
    known = [k for k in declared if k.table in by_name and all(c in hashed[k.table] for c in k.columns)]

    keys: list[TableKey] = []
    for table in tables:
        mine = [k.columns for k in known if k.table == table.name and k.kind in ("primary", "unique")]
        for columns in dict.fromkeys(mine):
            keys.append(_table_key(table, columns, hashed[table.name], True))
        configured = ids.get(table.name, ())
        if configured and all(c in hashed[table.name] for c in configured) and configured not in mine:
            keys.append(_table_key(table, tuple(configured), hashed[table.name], False))
        elif not mine and not configured and (found := _inferred_key(table, hashed[table.name])) is not None:
            keys.append(_table_key(table, found, hashed[table.name], False))

    dated = {t.name: creation_dates(t, (date_formats or {}).get(t.name, {})) for t in tables} if len(tables) > 1 \
        else {}

    def related(child: str, child_cols: Sequence[str], parent: str, parent_cols: Sequence[str], is_declared: bool,
                ) -> Relationship:
        mine, theirs = dated.get(child), dated.get(parent)
        pair = (mine[0], theirs[0]) if mine and theirs else None
        return relate(by_name[child], [hashed[child][c] for c in child_cols], by_name[parent],
                      [hashed[parent][c] for c in parent_cols], is_declared,
                      mine[1] if pair and mine else None, theirs[1] if pair and theirs else None, pair)

    relationships = [related(k.table, k.columns, k.parent_table, k.parent_columns, True) for k in known
                     if k.kind == "foreign" and k.parent_table in by_name
                     and all(c in hashed[k.parent_table] for c in k.parent_columns)]
    taken = {(r.child, r.child_columns) for r in relationships}
    relationships += [related(child, cols, parent, pcols, False)
                      for child, cols, parent, pcols in _inferred_links(tables, hashed, keys, taken)]
    coverage = join_coverage(relationships, hashed, by_name, label_table)
    return Relations(tuple(keys), tuple(relationships), coverage, tuple(declared))


def _inferred_links(tables: Sequence[Table], hashed: dict[str, dict[str, Column]], keys: list[TableKey],
                    taken: set[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...], str, tuple[str, ...]]]:
    """Foreign keys the data suggests: the best parent key for each child column (names first,
    then containment), at least CONTAINMENT of its distinct values found there."""
    parents: dict[tuple[str, tuple[str, ...]], list[Column]] = {}
    for key in keys:
        parents[(key.table, key.columns)] = [hashed[key.table][c] for c in key.columns]
    for table in tables:  # other unique columns a child may refer to (a table's code beside its id)
        for column in hashed[table.name].values():
            if column.unique and _key_like(column) and len(column.distinct) >= MIN_DISTINCT:
                parents.setdefault((table.name, (column.name,)), [column])
    own = {k.table: k.columns for k in keys}
    links: list[tuple[str, tuple[str, ...], str, tuple[str, ...]]] = []
    for table in tables:
        for column in hashed[table.name].values():
            if (table.name, (column.name,)) in taken:
                continue
            best: tuple[tuple[int, float, int], tuple[str, tuple[str, ...]]] | None = None
            for (parent, parent_columns), columns in parents.items():
                if parent == table.name or len(columns) != 1:
                    continue
                target = columns[0]
                score = name_score(column.name, parent, target.name)
                if score < 0 or not _eligible_child(column, score) or not _compatible(column, target):
                    continue
                if own.get(table.name) == (column.name,) and score < 3:
                    continue  # a table's own key refers to another table only when the names say so
                contained = _containment(column, target)
                if contained < CONTAINMENT:
                    continue
                rank = (score, contained, len(target.distinct))
                if best is None or rank > best[0]:
                    best = (rank, (parent, parent_columns))
            if best is not None:
                links.append((table.name, (column.name,), *best[1]))
        for (parent, parent_columns), columns in parents.items():  # two-column keys: by their names only
            if parent == table.name or len(columns) < 2 or not all(c in hashed[table.name] for c in parent_columns):
                continue
            if (table.name, parent_columns) in taken:
                continue
            child_keys, present = _combined([hashed[table.name][c] for c in parent_columns])
            child_set = np.unique(child_keys[present])
            parent_keys, held = _combined(columns)
            if len(child_set) and _found(np.unique(parent_keys[held]), child_set).mean() >= CONTAINMENT:
                links.append((table.name, parent_columns, parent, parent_columns))
    return _one_direction(links, hashed)


def _one_direction(links: list[tuple[str, tuple[str, ...], str, tuple[str, ...]]],
                   hashed: dict[str, dict[str, Column]]) -> list[tuple[str, tuple[str, ...], str, tuple[str, ...]]]:
    """Two tables keyed alike (``customers`` and ``customer_profiles`` by customer_id) refer to
    each other: keep the direction whose parent the key names, else the parent with more keys."""
    chosen = set(links)
    for link in links:
        child, columns, parent, parent_columns = link
        back = (parent, parent_columns, child, columns)
        if back in chosen and link in chosen:
            def rank(table: str, cols: tuple[str, ...]) -> tuple[bool, int]:
                return _stem(cols[0]) == entity(table), len(hashed[table][cols[0]].distinct)
            chosen.discard(link if rank(parent, parent_columns) < rank(child, columns) else back)
    return [link for link in links if link in chosen]


def join_coverage(relationships: Sequence[Relationship], hashed: dict[str, dict[str, Column]],
                  by_name: Mapping[str, Table], label_table: str | None) -> JoinCoverage | None:
    """Rows of the main table (the label table when it refers to others, else the largest child)
    that survive an inner join with every parent it refers to, and the rows each parent alone loses."""
    children = {r.child for r in relationships}
    if not children:
        return None
    main = label_table if label_table in children else max(sorted(children), key=lambda n: len(by_name[n].frame))
    rows = len(by_name[main].frame)
    surviving = np.ones(rows, dtype=bool)
    lost: dict[str, np.ndarray] = {}
    for relation in (r for r in relationships if r.child == main):
        keys, present = _combined([hashed[main][c] for c in relation.child_columns])
        parent_keys, held = _combined([hashed[relation.parent][c] for c in relation.parent_columns])
        kept = present & _found(np.unique(parent_keys[held]), keys)
        lost[relation.parent] = lost.get(relation.parent, np.zeros(rows, dtype=bool)) | ~kept
        surviving &= kept
    return JoinCoverage(main, rows, int(surviving.sum()), tuple(sorted(lost)),
                        {parent: int(mask.sum()) for parent, mask in sorted(lost.items())})


__all__ = ["infer", "relate", "hash_column", "name_score", "entity", "creation_dates", "join_coverage", "Column",
           "CONTAINMENT", "MIN_DISTINCT"]
