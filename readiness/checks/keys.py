"""How values are compared by the checks: text by its normal form (case folded, spacing collapsed),
labels by their text, rows by integer codes. Helpers of the label, split and text families.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.ingest.columns import as_text, count_present
from readiness.profile import formats
from readiness.profile.counts import TableStats


def normal_form(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    # casefolded, whitespace runs as one space, stripped (str.split splits on what re's \s matches)
    return " ".join((value if isinstance(value, str) else str(value)).casefold().split())


def normalised_text(series: pd.Series) -> pd.Series:
    return pd.Series([normal_form(v) for v in series.to_numpy(dtype=object)], index=series.index, dtype=object)


# an ASCII value is its own normal form once lower-cased unless it holds other whitespace than
# single spaces between words (Python's ASCII whitespace is \t\n\v\f\r, \x1c-\x1f and space)
_NOT_PLAIN = r"[\x09-\x0d\x1c-\x1f]|  |^ | $"


def _plain(array: Any) -> Any:
    """Which values are ASCII words between single spaces (their normal form is their lower case)."""
    import pyarrow.compute as pc

    return pc.and_(pc.string_is_ascii(array), pc.invert(pc.match_substring_regex(array, _NOT_PLAIN)))


def normal_codes(texts: pd.Series) -> np.ndarray:
    """For text values (none missing): a code per value, equal exactly when their ``normal_form``s
    are equal. Plain ASCII values (words between single spaces) are lower-cased by Arrow, which is
    their casefold; every other value goes through ``normal_form``: no Python string per value for
    the plain majority."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if texts.empty:
        return np.zeros(0, dtype=np.int64)
    array = fastre.arrow_array(texts)
    if array is None:
        return np.asarray(pd.factorize(normalised_text(texts))[0])
    plain = _plain(array)
    folded = pc.ascii_lower(array)
    others = np.flatnonzero(~np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool))
    if len(others):
        normal = [normal_form(v) for v in pc.take(array, pa.array(others)).to_pylist()]
        folded = pc.replace_with_mask(folded, pc.invert(plain), pa.array(normal, type=folded.type))
    return np.asarray(pd.factorize(pd.Series(pd.arrays.ArrowStringArray(folded)))[0])


def normal_distinct(texts: pd.Series) -> int:
    """How many distinct ``normal_form``s distinct text values have, without hashing them all:
    a plain ASCII value already lower-case is its own normal form, and such values differ from
    each other, so only the rest (usually few) are normalised and looked up among them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = fastre.arrow_array(texts)
    if array is None:
        return len(set(normalised_text(texts)))
    plain = _plain(array)
    kept = pc.and_(plain, pc.invert(pc.match_substring_regex(array, "[A-Z]")))  # already in normal form
    rest = pc.invert(kept)
    others = np.flatnonzero(np.asarray(pc.and_(rest, pc.invert(plain)).to_numpy(zero_copy_only=False), dtype=bool))
    normal = [normal_form(v) for v in pc.take(array, pa.array(others, type=pa.int64())).to_pylist()]
    folded = pc.ascii_lower(pc.filter(array, pc.and_(rest, plain)))  # plain values with capitals
    changed = pc.unique(pa.chunked_array([folded, pa.array(normal, type=folded.type)], type=folded.type))
    unchanged = pc.filter(array, kept)
    if isinstance(changed, pa.ChunkedArray):
        changed = changed.combine_chunks()
    both = int(pc.sum(pc.is_in(unchanged, value_set=changed)).as_py() or 0)
    return len(unchanged) + len(changed) - both


def as_compared(series: pd.Series) -> pd.Series:
    """Present values as the text they are compared by (Arrow text is that already)."""
    return series if isinstance(series.dtype, pd.StringDtype) else series.map(as_text)


def label_keys(series: pd.Series) -> np.ndarray:
    """Integer codes of label values compared by their text ("1" and "1.0" differ)."""
    if isinstance(series.dtype, pd.StringDtype) or (
            series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) == "string"):
        return np.asarray(pd.factorize(series)[0])
    return np.asarray(pd.factorize(series.map(as_text))[0])


def row_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Each column as integer codes (missing is a code of its own): exact, vectorised row keys."""
    codes = {}
    for position in range(frame.shape[1]):
        codes[f"c{position}"] = pd.factorize(frame.iloc[:, position], use_na_sentinel=False)[0]
    return pd.DataFrame(codes).reset_index(drop=True)


def text_keys(stats: TableStats, column: str) -> np.ndarray | None:
    """``normal_codes`` of a column's distinct values when every present value is text."""
    counts = stats.text_counts.get(column)
    if counts is None or stats.codes is None or int(counts.to_numpy().sum()) != count_present(stats.table.frame[column]):
        return None
    return normal_codes(formats.distinct_values(counts))


__all__ = ["normal_form", "normalised_text", "normal_codes", "normal_distinct", "as_compared", "label_keys",
           "row_codes", "text_keys"]
