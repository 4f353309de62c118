"""Value shapes: what the values that fail a format check look like, with no letter or digit of theirs.

A shape masks a value so that a freelancer can estimate the clean-up without seeing the data:

- every run of letters (any script, with its combining marks) becomes ``word``;
- every digit or other number character (any script: ``٣``, ``²``, ``Ⅻ``) becomes ``d``;
- every run of whitespace becomes one space;
- ASCII punctuation and symbols (``/ : . @ - + ( ) ,`` ...) are kept: they are the layout;
- anything else (control, zero-width and bidi characters, emoji, other symbols) becomes ``\ufffd``;
- a shape longer than ``MAX_SHAPE`` characters is cut there (before a ``word`` that would not
  fit whole) and ends with ``…``.

So ``31/12/2024`` is ``dd/dd/dddd``, ``jane.doe@example`` is ``word.word@word``, ``12:30`` is
``dd:dd``. A shape holds only ``word``, ``d``, spaces, ASCII punctuation, ``\ufffd`` and ``…``:
nothing of a value but its layout. Shapes are computed on the distinct values of a column
(stripped, as the format checks see them) and weighted by their counts, by Arrow's regexes when
there are many of them.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.profile import formats

LETTERS = "word"
DIGIT = "d"
OTHER = "\ufffd"
MAX_SHAPE = 40
ELLIPSIS = "…"
TOP_SHAPES = 5
KEPT = frozenset(string.punctuation)  # ASCII punctuation and symbols: the layout of a value

# Arrow (RE2) forms of the same classes, run in this order
_PUNCTUATION_CLASS = "".join("\\" + c if c in "\\]^-[" else c for c in string.punctuation)
_RE2_OTHER = rf"[^\p{{L}}\p{{M}}\p{{N}}{fastre._WS}{_PUNCTUATION_CLASS}]"
_RE2_SPACES = rf"[{fastre._WS}]+"
_RE2_LETTERS = r"[\p{L}\p{M}]+"
_RE2_DIGITS = r"\p{N}"


@lru_cache(maxsize=4096)
def _piece(char: str) -> str:
    """What one character becomes in a shape."""
    category = unicodedata.category(char)
    if category[0] in "LM":
        return LETTERS
    if category[0] == "N":
        return DIGIT
    if char.isspace():  # as str.strip and fastre see whitespace
        return " "
    if char in KEPT:
        return char
    return OTHER


def shape(text: str) -> str:
    """The masked shape of one (stripped) value."""
    out: list[str] = []
    length = 0
    previous = ""
    for char in text:
        piece = _piece(char)
        if piece == previous and piece in (LETTERS, " "):
            continue  # a run of letters is one word, a run of whitespace one space
        previous = piece
        out.append(piece)
        length += len(piece)
        if length > MAX_SHAPE:  # a shape only grows: the rest cannot change what is shown
            break
    return _cut("".join(out))


_PARTIAL_WORD = re.compile(f"(?:{'|'.join(LETTERS[:n] for n in range(1, len(LETTERS)))})$")


def _cut(text: str) -> str:
    """A shape cut at MAX_SHAPE, never inside a ``word`` (its letters stand for nothing else)."""
    return _PARTIAL_WORD.sub("", text[:MAX_SHAPE]) + ELLIPSIS if len(text) > MAX_SHAPE else text


def shapes_arrow(values: pd.Series) -> list[str] | None:
    """``shape`` of each value, by Arrow (many values), or None when Arrow cannot take them."""
    masked = _masked_arrow(values)
    return None if masked is None else list(masked.to_pylist())


def _masked_arrow(values: pd.Series) -> Any:
    """The shapes of the values as one Arrow string array in their order, or None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    converted: Any = fastre.arrow_array(values)
    if converted is None:
        return None
    if isinstance(converted, pa.ChunkedArray):
        converted = converted.combine_chunks()
    array = converted.cast(pa.large_string())
    ascii_only = np.asarray(pc.string_is_ascii(array).to_numpy(zero_copy_only=False), dtype=bool)
    if ascii_only.all():
        masked = _masked_ascii(array)
    elif not ascii_only.any():
        masked = _masked_unicode(array)
    else:  # most values are ASCII: a byte table for them, Unicode classes for the rest, in their order
        ascii_at, other_at = np.flatnonzero(ascii_only), np.flatnonzero(~ascii_only)
        both = pa.concat_arrays([_masked_ascii(array.take(pa.array(ascii_at))),
                                 _masked_unicode(array.take(pa.array(other_at)))])
        order = np.empty(len(array), dtype=np.int64)
        order[np.concatenate([ascii_at, other_at])] = np.arange(len(array))
        masked = both.take(pa.array(order))
    long = pc.greater(pc.utf8_length(masked), MAX_SHAPE)
    if not pc.any(long).as_py():
        return masked
    head = pc.replace_substring_regex(pc.utf8_slice_codeunits(masked.filter(long), 0, MAX_SHAPE),
                                      pattern=_PARTIAL_WORD.pattern, replacement="")
    cut = pc.binary_join_element_wise(head, pa.scalar(ELLIPSIS, pa.large_string()), pa.scalar("", pa.large_string()))
    return pc.replace_with_mask(masked, long, cut)


def _masked_unicode(array: Any) -> Any:
    """Shapes (uncut) by RE2's Unicode classes."""
    import pyarrow.compute as pc

    masked = pc.replace_substring_regex(array, pattern=_RE2_OTHER, replacement=OTHER)
    masked = pc.replace_substring_regex(masked, pattern=_RE2_SPACES, replacement=" ")
    masked = pc.replace_substring_regex(masked, pattern=_RE2_LETTERS, replacement=LETTERS)
    return pc.replace_substring_regex(masked, pattern=_RE2_DIGITS, replacement=DIGIT)


# ASCII text byte by byte: each byte's piece as one byte (runs of letters and of spaces then dropped
# to their first byte, and the placeholders widened), the same as ``_piece`` says
_LETTER_BYTE, _SPACE_BYTE, _OTHER_BYTE = 1, 2, 3
_PLACEHOLDER = {LETTERS: _LETTER_BYTE, " ": _SPACE_BYTE, OTHER: _OTHER_BYTE}
_ASCII_TABLE = np.array([_PLACEHOLDER.get(_piece(chr(c)), ord(_piece(chr(c))[0])) for c in range(128)]
                        + [_OTHER_BYTE] * 128, dtype=np.uint8)


def _masked_ascii(array: Any) -> Any:
    """Shapes (uncut) of ASCII-only values (a large_string array): a byte table and numpy, then
    three plain substring replacements; no regex over the values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset:array.offset + len(array) + 1]
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    offsets = offsets - offsets[0]
    pieces = _ASCII_TABLE[data]
    first = np.zeros(len(pieces), dtype=bool)
    first[offsets[:-1][offsets[:-1] < len(pieces)]] = True  # a value's first byte starts a run
    repeated = np.zeros(len(pieces), dtype=bool)
    repeated[1:] = pieces[1:] == pieces[:-1]
    keep = ~(repeated & ~first & ((pieces == _LETTER_BYTE) | (pieces == _SPACE_BYTE)))
    dropped = np.flatnonzero(~keep)
    kept_offsets = offsets - np.searchsorted(dropped, offsets)  # bytes kept before each value's start
    collapsed = pa.LargeStringArray.from_buffers(len(array), pa.py_buffer(kept_offsets.astype(np.int64)),
                                                 pa.py_buffer(pieces[keep].tobytes()))
    masked = pc.replace_substring(collapsed, pattern=chr(_LETTER_BYTE), replacement=LETTERS)
    masked = pc.replace_substring(masked, pattern=chr(_SPACE_BYTE), replacement=" ")
    return pc.replace_substring(masked, pattern=chr(_OTHER_BYTE), replacement=OTHER)


@dataclass(frozen=True)
class Shapes:
    """The shapes of some values, most common first, and what the top ones leave out."""

    top: tuple[tuple[str, int], ...] = ()
    other_shapes: int = 0  # how many shapes beyond the top ones
    other_values: int = 0  # how many values have them
    not_text: int = 0  # values that are no text at all (numbers, lists in a JSON column): no shape

    @property
    def total(self) -> int:
        return sum(count for _, count in self.top) + self.other_values + self.not_text

    def details(self) -> dict[str, Any]:
        """A finding's ``details`` entries; their counts add up to the finding's count."""
        return {"shapes": [{"shape": text, "count": count} for text, count in self.top],
                "other_shapes": {"shapes": self.other_shapes, "count": self.other_values},
                "values_not_text": self.not_text}


def shapes_of(values: formats.Distinct, chosen: np.ndarray, not_text: int = 0, top: int = TOP_SHAPES) -> Shapes:
    """The shapes of the distinct values ``chosen`` (a mask over the values), each weighted by its
    count: the ``top`` commonest (ties by shape), and how many more."""
    weights = values.counts.to_numpy()[chosen]
    if not len(weights):
        return Shapes(not_text=not_text)
    few = values.few
    masked: Any = None
    if few is not None:
        masked = [shape(text) for text, keep in zip(few, chosen, strict=True) if keep]
    else:
        stripped = values.stripped.values[chosen]
        masked = _masked_arrow(stripped)
        if masked is None:  # text Arrow cannot hold (an undecodable byte kept as a surrogate)
            masked = [shape(text) for text in stripped]
    if isinstance(masked, list):
        totals = pd.Series(weights, dtype="int64").groupby(np.asarray(masked, dtype=object), sort=False).sum()
        ranked = pd.DataFrame({"shape": totals.index.astype(str), "count": totals.to_numpy()})
    else:  # many shapes: summed by Arrow, no Python string per value
        import pyarrow as pa

        summed = pa.table({"shape": masked, "count": pa.array(weights, type=pa.int64())}).group_by("shape").aggregate(
            [("count", "sum")])
        ranked = pd.DataFrame({"shape": summed["shape"].to_pylist(), "count": summed["count_sum"].to_numpy()})
    ranked = ranked.sort_values(["count", "shape"], ascending=[False, True], kind="stable")
    shown = tuple(zip(ranked["shape"].iloc[:top].tolist(), ranked["count"].iloc[:top].astype(int).tolist(),
                      strict=True))
    return Shapes(shown, max(0, len(ranked) - top), int(weights.sum()) - sum(count for _, count in shown), not_text)
