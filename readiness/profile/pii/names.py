"""Person names: values shaped like a person's name that hold a known given name."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.profile.pii.patterns import QUALIFIERS, THING_NAMES, TITLE_WORDS

NAME_SAMPLE = 20_000  # distinct values looked at to decide whether a `name` column holds people

# a person's name: one to six capitalised words (initials, O'Brien, Jean-Luc, al-Assad), name particles,
# "Last, First", parentheses; no digits. RE2 syntax for Arrow (Python's re never runs it); Latin letters
# as ranges, not Unicode classes: Arrow compiles the pattern on every call, and those take 0.2 s
_UPPER = "A-ZÀ-ÖØ-Þ\u0100-\u024f"
_LETTER = "A-Za-zÀ-ÖØ-öø-\u024f"
_NAME_WORD = (r"(?:(?:al|el|ad|as|ash|ibn|bin|d|l)['’-])?[" + _UPPER + "](?:[" + _LETTER + "]|['’][" + _LETTER
              + "]{2,}|['’][" + _UPPER + "]|-[" + _LETTER + r"])*\.?")
_PARTICLE = r"(?:van|von|de|der|den|del|della|di|da|du|dos|das|do|le|la|al|el|bin|ibn|bint|y|e|ter|ten|zu|af|av)"
_NAME_ITEM = r"[\"(]?(?:" + _NAME_WORD + "|" + _PARTICLE + r")[\")]?,?"
# a value with letters of other scripts only (Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, CJK, Hangul)
OTHER_SCRIPT = ("^[^A-Za-zÀ-ÖØ-öø-\u024f]*[\u0370-\u1fff\u3040-\u9fff\uac00-\ud7af]"
                "[^A-Za-zÀ-ÖØ-öø-\u024f]*$")
PERSON_NAME_SHAPE = r"^\s*" + _NAME_ITEM + r"(?:\s+" + _NAME_ITEM + r"){0,5}\s*$"
# words that make a name-shaped value a company, a place or a title rather than a person
NOT_PERSON_WORDS = frozenset("""
inc incorporated corp corporation co company ltd limited llc llp plc gmbh ag sa srl bv nv pty group holdings
bank trust fund capital partners associates services solutions systems technologies technology tech software
labs industries international global enterprises consulting media foods food restaurant restaurants cafe café
coffee pizza pizzeria pub bar grill diner bakery kitchen deli tavern inn hotel motel club market store shop
stores mart pharmacy school academy college university institute church hospital clinic center centre
foundation association society council department ministry agency office team fc united city county state
national republic kingdom island islands river lake mountain park street avenue road the and of for on in at to
with from north south east west new fort port mount airport station museum library theatre theater cinema
studio studios records productions pictures films brewery winery farm farms motors auto automotive garage
express airlines airways railway transport logistics energy oil gas power electric water insurance health care
medical dental pharma laboratories communications telecom network networks wireless digital online web
""".split())


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Common given names across cultures, lower case (readiness/data/given_names.txt)."""
    text = resources.files("readiness").joinpath("data/given_names.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=4)
def _vocabulary(which: str, large: bool) -> object:
    """A word list as an Arrow array, for ``is_in`` (built once)."""
    import pyarrow as pa

    words = given_names() if which == "given" else NOT_PERSON_WORDS
    return pa.array(sorted(words), type=pa.large_string() if large else pa.string())



# Python's re for a few short ASCII values (Arrow compiles the RE2 pattern anew on every call, ms
# each, and a folder of tiny tables makes thousands of calls): the same patterns, RE2's \s spelt out
# and $ as the end of the text. Short only: _NAME_WORD backtracks exponentially on a near miss in
# Python (30 characters: under a millisecond; 40: 10 ms; 60: 0.6 s).
_PY_NAME_SHAPE = re.compile(PERSON_NAME_SHAPE.replace(r"\s", r"[\t\n\f\r ]").removesuffix("$") + r"\Z")
_PY_ASCII_WORDS = re.compile("[^A-Za-z]+")  # _LETTER's ASCII part: the words of an ASCII value
FEW_NAMES = 64
FEW_NAME_CHARACTERS = 30


def _few_ascii(texts: pd.Series) -> list[str] | None:
    """The values as Python strings when they are few, short and ASCII, else None."""
    if len(texts) > FEW_NAMES:
        return None
    values = texts.tolist()
    if all(isinstance(v, str) and len(v) <= FEW_NAME_CHARACTERS and v.isascii() for v in values):
        return values
    return None


def _person_name_share_few(values: list[str], weights: np.ndarray) -> float:
    """_person_name_share for a few short ASCII values (no other script among them), by Python."""
    total = float(weights.sum())
    if not total:
        return 0.0
    given = given_names()
    person = np.zeros(len(values), dtype=bool)
    for i, value in enumerate(values):
        if _PY_NAME_SHAPE.match(value) is None:
            continue
        words = _PY_ASCII_WORDS.split(value.lower())
        person[i] = any(w in given for w in words) and not any(w in NOT_PERSON_WORDS for w in words)
    return float(weights[person].sum()) / total


def person_name_share(texts: pd.Series | fastre.Texts, weights: np.ndarray, other_scripts: bool = True) -> float:
    """The share of the values (weighted by their counts) that are shaped like a person's name and
    hold a known given name, or are written in a script the list cannot judge (王伟, Иван Петров: the
    column's name is taken at its word there); decided on at most NAME_SAMPLE distinct values spread
    over the column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    given = fastre.texts(texts)
    if len(given.values) > NAME_SAMPLE:
        keep = np.linspace(0, len(given.values) - 1, NAME_SAMPLE).astype(np.int64)
        given, weights = fastre.texts(given.values.iloc[keep].reset_index(drop=True)), weights[keep]
    texts = given.values
    few = _few_ascii(texts)
    if few is not None:
        return _person_name_share_few(few, weights)
    array: Any = given.array
    if array is None:  # text Arrow cannot take as it is (a lone surrogate): read it with replacements
        array = pa.array([str(t).encode("utf-8", "replace").decode("utf-8") for t in texts], type=pa.string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    total = float(weights.sum())
    if not total:
        return 0.0
    other_script = np.asarray(pc.match_substring_regex(array, pattern=OTHER_SCRIPT).to_numpy(zero_copy_only=False),
                              dtype=bool)
    unread = float(weights[other_script].sum()) if other_scripts else 0.0
    shaped = np.asarray(pc.match_substring_regex(array, pattern=PERSON_NAME_SHAPE).to_numpy(zero_copy_only=False),
                        dtype=bool)
    if not shaped.any():
        return unread / total
    positions = np.flatnonzero(shaped)
    words = pc.split_pattern_regex(pc.utf8_lower(array.take(pa.array(positions))), pattern="[^" + _LETTER + "]+")
    flat = pc.list_flatten(words)
    parents = np.asarray(pc.list_parent_indices(words).to_numpy(zero_copy_only=False), dtype=np.int64)

    def holds(vocabulary: str) -> np.ndarray:
        found = np.asarray(pc.is_in(flat, value_set=_vocabulary(vocabulary, pa.types.is_large_string(flat.type)))
                           .to_numpy(zero_copy_only=False), dtype=bool)
        return np.bincount(parents[found], minlength=len(positions)) > 0

    person = holds("given") & ~holds("not_person")
    return (float(weights[positions][person].sum()) + unread) / total


# words that make a two- or three-word capitalised name a thing, not a person (Grace Period, Nova Scotia)
_NAME_OF_THING_WORDS = NOT_PERSON_WORDS | THING_NAMES | TITLE_WORDS | QUALIFIERS | frozenset("""
period speed length width height depth weight size price cost value rate ratio score level grade rank age year
month week day hour minute second total sum mean average median min max range count number amount balance
income revenue sales profit loss margin growth share index change time date status type class label target
flag id code name title note notes comment description text summary result output input feature variable
scotia zealand jersey york orleans england wales ireland scotland island coast valley beach bay hill hills
""".split())


def person_shaped(text: str) -> bool:
    """A capitalised given name and a surname, two or three words, none of them a thing-word."""
    words = text.strip().split()
    if not 2 <= len(words) <= 3:
        return False
    if not all(re.fullmatch(r"[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)*\.?|[A-Z]\.", w) for w in words):
        return False
    lowered = [w.lower().strip(".") for w in words]
    if any(w in _NAME_OF_THING_WORDS for w in lowered):
        return False
    return lowered[0] in given_names() and len(lowered[-1]) >= 2
