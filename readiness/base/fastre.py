"""Regular expressions over many distinct values at C++ speed, with Python's ``re`` answers.

The checks are written as Python patterns (GX's pandas engine runs them with ``re`` too). Here a
pattern is translated to RE2 and run by Arrow over a whole column of distinct values at once:

- ``exact``: the translation matches exactly what ``re`` matches (``\\d``, ``\\s`` and ``\\w`` become
  their Unicode classes as Python reads them); patterns with look-arounds or ``\\b``, which RE2
  cannot express the same way, are not translated and run with ``re``.
- ``superset``: look-arounds and ``\\b`` are dropped, so every value ``re`` would match is kept; the
  exact Python pattern then runs on those candidates only.

Anything Arrow cannot take (a value that is not valid UTF-8 text) falls back to ``re``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import pandas as pd

PY_WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
PY_DIGITS = "".join(chr(c) for c in range(0x110000) if chr(c).isdecimal())  # what re's \d matches


def _ranges(chars: str) -> str:
    """A character-class body listing exactly these characters, as literal ranges: the same set
    to RE2 and to Python's ``re`` (pandas compiles a pattern with ``re`` before Arrow runs it)."""
    codes = sorted(map(ord, chars))
    parts, start = [], 0
    for i in range(1, len(codes) + 1):
        if i == len(codes) or codes[i] != codes[i - 1] + 1:
            low, high = chr(codes[start]), chr(codes[i - 1])
            low, high = (re.escape(c) if c in "\\]^-[" else c for c in (low, high))
            parts.append(low if start == i - 1 else f"{low}-{high}")
            start = i
    return "".join(parts)


_WS = _ranges(PY_WHITESPACE)
_INSIDE = {"d": _ranges(PY_DIGITS), "s": _WS, "w": None, "D": None, "S": None, "W": None}


def _strip_lookarounds(pattern: str) -> str:
    """Drop ``(?<!...)``, ``(?<=...)``, ``(?!...)``, ``(?=...)`` groups and ``\\b``: a looser pattern."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith(("(?<!", "(?<=", "(?!", "(?="), i):
            depth, j = 0, i
            while j < len(pattern):
                if pattern[j] == "\\":
                    j += 2
                    continue
                if pattern[j] == "(":
                    depth += 1
                elif pattern[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            i = j + 1
            continue
        if pattern.startswith("\\b", i):
            i += 2
            continue
        if pattern[i] == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        out.append(pattern[i])
        i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def to_re2(pattern: str, superset: bool = False, search: bool = False) -> str | None:
    """The RE2 form of a Python pattern, or None when it cannot be translated. ``search``: the
    form for ``re.search`` (a final ``$`` also matches before a final newline there)."""
    if superset:
        pattern = _strip_lookarounds(pattern)
    elif "\\b" in pattern or "(?<" in pattern or "(?=" in pattern or "(?!" in pattern:
        return None
    if "\\B" in pattern or "\\Z" in pattern or "\\A" in pattern or "(?P" in pattern or "\\N" in pattern:
        return None
    if re.search(r"\(\?(?!:)", pattern.replace("\\\\", "").replace("\\(", "")):
        return None  # inline flags ((?i) folds case as RE2 does not quite), named groups, ...
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            code = pattern[i + 1]
            if code == "w" and superset and not in_class:
                out.append(f"[^{_WS}]")  # looser than Python's \w: anything but whitespace
            elif code in _INSIDE:
                inner = _INSIDE[code]
                if inner is None:
                    return None  # \w (exactly) and negated classes: left to re
                out.append(inner if in_class else f"[{inner}]")
            elif code in "xuU":
                size = {"x": 2, "u": 4, "U": 8}[code]
                digits = pattern[i + 2:i + 2 + size]
                if len(digits) != size or any(c not in "0123456789abcdefABCDEF" for c in digits):
                    return None
                literal = chr(int(digits, 16))
                if literal < " " or literal == "\x7f":
                    return None  # control characters: left to re
                # the character itself, valid in both engines (escaped where it means something)
                out.append("\\" + literal if literal in "\\^-[]$.|?*+(){}" else literal)
                i += 2 + size
                continue
            elif code.isdigit():
                return None  # back-references
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            if pattern.startswith("^", i + 1):
                out.append("^")
                i += 1
            if pattern.startswith("]", i + 1):
                out.append("\\]")
                i += 1
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        elif char == "$" and not in_class:
            if i + 1 < len(pattern):
                if not superset:
                    return None  # Python's $ before a final newline, in mid-pattern: no RE2 form
            elif search:
                out.append(r"(?:\n?$)")  # re.search's final $ also matches before a final newline
            else:
                out.append(char)
        else:
            out.append(char)
        i += 1
    return "".join(out)


def arrow_array(values: pd.Series) -> Any:
    """The values as an Arrow string array, or None when Arrow cannot hold them (a value that is
    not text, or not valid UTF-8). Arrow-backed text is taken as it is, with no copy."""
    import pyarrow as pa

    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        return pa.array(values.array)
    try:
        return pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeEncodeError, TypeError):
        return None


class Texts:
    """Text values and their Arrow form, converted when first needed and then kept: handed to the
    functions here in place of the Series, the values are converted once for every pattern run on
    them (a Series of Python strings costs a conversion each time it is handed over)."""

    def __init__(self, values: pd.Series) -> None:
        self.values = values

    @cached_property
    def array(self) -> Any:
        return arrow_array(self.values)


def texts(values: pd.Series | Texts) -> Texts:
    """``values`` ready for several passes (the Texts itself when it is one)."""
    return values if isinstance(values, Texts) else Texts(values)


def exact_re2(pattern: str) -> str | None:
    """An RE2 pattern that ``search``-matches exactly the texts Python's pattern does, or None
    (no exact form, or not a pattern Python or RE2 compiles)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        re.compile(pattern)
    except (re.error, RecursionError):
        return None
    translated = to_re2(pattern, search=True)
    if translated is None:
        return None
    try:
        pc.match_substring_regex(pa.array([""], type=pa.string()), pattern=translated)
    except Exception:  # RE2 refuses it (a repeat count over 1000, ...)
        return None
    return translated


FEW_VALUES = 64  # up to this many values, each at most FEW_CHARACTERS long, Python's re runs the
FEW_CHARACTERS = 256  # pattern itself: Arrow compiles the RE2 form anew on every call (ms: \d is every Unicode digit)


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _few(values: pd.Series) -> bool:
    return len(values) <= FEW_VALUES and all(isinstance(v, str) and len(v) <= FEW_CHARACTERS for v in values)


def candidates(values: pd.Series | Texts, patterns: Sequence[str], whole: Sequence[str] = ()) -> np.ndarray:
    """Values that could contain a match of any of ``patterns`` or be a whole match of any of
    ``whole`` (a superset of what ``search``/``fullmatch`` find, in one RE2 pass; for a few
    values, exactly those, by re)."""
    import pyarrow.compute as pc

    given = texts(values)
    values = given.values
    if not values.empty and _few(values):
        searched = [_compiled(p).search for p in patterns]
        full = [_compiled(p).fullmatch for p in whole]
        return np.fromiter((any(m(v) is not None for m in searched) or any(m(v) is not None for m in full)
                            for v in values), dtype=bool, count=len(values))

    loose = [to_re2(p, superset=True) for p in patterns]
    anchored = [to_re2(p, superset=True) for p in whole]
    array = given.array
    if array is None or any(p is None for p in [*loose, *anchored]) or values.empty:
        return np.ones(len(values), dtype=bool)
    combined = "|".join([*(f"(?:{p})" for p in loose), *(f"^(?:{p})$" for p in anchored)])
    try:
        return np.asarray(pc.match_substring_regex(array, pattern=combined).to_numpy(zero_copy_only=False), dtype=bool)
    except Exception:  # RE2 refused it: no filtering
        return np.ones(len(values), dtype=bool)


def strip(values: pd.Series | Texts) -> pd.Series:
    """``values.str.strip()`` for a Series of text."""
    import pyarrow.compute as pc

    given = texts(values)
    values, array = given.values, given.array
    if array is None:
        return values.str.strip()
    stripped = pc.utf8_trim(array, characters=PY_WHITESPACE)
    if isinstance(values.dtype, pd.StringDtype):
        return pd.Series(pd.arrays.ArrowStringArray(stripped), index=values.index)
    return pd.Series(stripped.to_numpy(zero_copy_only=False), index=values.index, dtype=object)


def stripped_lengths(values: pd.Series | Texts) -> np.ndarray:
    """``values.str.strip().str.len()`` for a Series of text, stripping only the values that
    start or end with whitespace (no copy of the whole column)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    given = texts(values)
    values, array = given.values, given.array
    if array is None:
        return np.fromiter(map(len, values.str.strip()), dtype=np.int64, count=len(values))
    out = np.array(pc.utf8_length(array).to_numpy(zero_copy_only=False), dtype=np.int64)
    edges = np.flatnonzero(np.asarray(pc.match_substring_regex(array, f"^[{_WS}]|[{_WS}]$").to_numpy(
        zero_copy_only=False), dtype=bool))
    if len(edges):
        trimmed = pc.utf8_trim(pc.take(array, pa.array(edges, type=pa.int64())), characters=PY_WHITESPACE)
        out[edges] = pc.utf8_length(trimmed).to_numpy(zero_copy_only=False)
    return out


def fullmatch(values: pd.Series | Texts, pattern: str) -> np.ndarray:
    """``values.str.fullmatch(pattern)`` as a boolean array (values are text, not missing)."""
    return _run(values, pattern, anchored=True)


def search(values: pd.Series | Texts, pattern: str) -> np.ndarray:
    """``values.str.contains(pattern)`` as a boolean array (values are text, not missing)."""
    return _run(values, pattern, anchored=False)


def _run(values: pd.Series | Texts, pattern: str, anchored: bool) -> np.ndarray:
    import pyarrow.compute as pc

    given = texts(values)
    values = given.values
    if values.empty:
        return np.zeros(0, dtype=bool)
    if _few(values):
        method = _compiled(pattern).fullmatch if anchored else _compiled(pattern).search
        return np.fromiter((method(v) is not None for v in values), dtype=bool, count=len(values))
    python = re.compile(pattern)
    exact = to_re2(pattern, search=not anchored)
    loose = exact or to_re2(pattern, superset=True)
    array = given.array if loose is not None else None
    if array is None:
        method = python.fullmatch if anchored else python.search
        return np.fromiter((method(v) is not None for v in values), dtype=bool, count=len(values))
    wrapped = f"^(?:{loose})$" if anchored else loose
    try:
        hits = pc.match_substring_regex(array, pattern=wrapped).to_numpy(zero_copy_only=False)
    except Exception:  # a construct RE2 rejects after all: Python does it
        method = python.fullmatch if anchored else python.search
        return np.fromiter((method(v) is not None for v in values), dtype=bool, count=len(values))
    hits = np.asarray(hits, dtype=bool)
    if exact is None and hits.any():  # candidates only: confirm with Python's pattern
        method = python.fullmatch if anchored else python.search
        positions = np.flatnonzero(hits)
        text = values.iloc[positions].to_numpy(dtype=object)
        hits[positions] = [method(t) is not None for t in text]
    return hits
