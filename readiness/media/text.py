"""Facts about a document's text that keep none of it: its dominant language, a SimHash and a skeleton hash.

All are pure and fast: the language reads the first LANGUAGE_WINDOW characters only, the SimHash
hashes each distinct word once and the skeleton the text once (stable hashes, so a cached value
means the same next run).
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

LANGUAGE_WINDOW = 20_000  # characters looked at to judge the language
MIN_WORDS = 20  # fewer words (or letters of a non-Latin script) than this: too little to judge
MIN_STOPWORD_SHARE = 0.05  # the winning language's stopwords are at least this share of the words

# 25-35 of the commonest words of each language; words shared by several languages count for each
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("""the and of to is that it was for on are with as be at this have from or by not but what all
        were we when your can there an which their has would been if will they you he she""".split()),
    "de": frozenset("""der die das und ist nicht ein eine zu den mit sich des auf für dem im auch es als wird
        sie ich er wir aber noch nach bei aus wenn oder sind""".split()),
    "fr": frozenset("""le la les et est un une des du pour dans que qui pas sur au avec ce il elle nous vous sont
        ne par mais ou leur cette été être aux""".split()),
    "es": frozenset("""el los las y es un una del por con para que se no lo como más pero sus le ya está son
        muy también fue hay ha entre cuando sin sobre""".split()),
    "it": frozenset("""il lo gli le è un una del della di che non per con sono nel alla anche come più ma ci
        questo si ha dei delle essere stato quando""".split()),
    "pt": frozenset("""o os as e é um uma do da dos das para que não com por se mais como mas foi ao ele ela
        está são também seu sua muito há quando""".split()),
    "nl": frozenset("""de het een en is van dat niet op te voor met zijn er maar als ook aan bij nog wel wordt
        door dit naar heeft worden kan geen deze""".split()),
}
# letters of one script name the language without stopwords; kana decides Japanese over Chinese
_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("ja", "\u3040-\u30ff"),  # hiragana, katakana
    ("ko", "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"),  # hangul
    ("zh", "\u4e00-\u9fff\u3400-\u4dbf"),  # han
    ("ru", "\u0400-\u04ff"),  # cyrillic (Russian the commonest; Ukrainian, Bulgarian... read as ru)
    ("ar", "\u0600-\u06ff\u0750-\u077f"),
    ("he", "\u0590-\u05ff"),
    ("el", "\u0370-\u03ff"),
    ("hi", "\u0900-\u097f"),  # devanagari
)
_SCRIPT_RES = tuple((lang, re.compile(f"[{chars}]")) for lang, chars in _SCRIPTS)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters


def language(text: str) -> str | None:
    """The dominant language of a text: by script for zh, ja, ko, ru, ar, he, el and hi, by stopword
    counts for en, de, fr, es, it, pt and nl; None when there is too little to judge or no clear winner."""
    window = text[:LANGUAGE_WINDOW]
    latin = len(_LATIN.findall(window))
    scripts = {lang: len(pattern.findall(window)) for lang, pattern in _SCRIPT_RES}
    if scripts["ja"] and scripts["zh"]:
        scripts["ja"] += scripts.pop("zh")  # Japanese writes kanji beside kana
    lang, count = max(scripts.items(), key=lambda item: item[1])
    if count > latin:
        return lang if count >= MIN_WORDS else None
    words = _WORD.findall(window.lower())
    if len(words) < MIN_WORDS:
        return None
    hits = {lang: sum(1 for w in words if w in stops) for lang, stops in STOPWORDS.items()}
    best = max(hits, key=lambda k: hits[k])
    return best if hits[best] >= MIN_STOPWORD_SHARE * len(words) else None


_STRIP = re.compile(r"[^\w\s]+")
SIMHASH_WORDS = 1_000_000  # words of a longer text hashed (about 2,000 pages): the rest is left out
SIMHASH_CHARS = 12 * SIMHASH_WORDS  # characters cut first (words average 5-7 with their space)
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves about half of the output bits."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _rotate(x: np.ndarray, by: int) -> np.ndarray:
    return ((x << np.uint64(by)) | (x >> np.uint64(64 - by))) & _MASK


def words(text: str) -> list[str]:
    """The words SimHash reads: lower-cased, punctuation stripped."""
    return _STRIP.sub(" ", text.lower()).split()


def simhash(text: str) -> int:
    """A 64-bit SimHash of the text's word 3-shingles, one vote per shingle (a text of one or two
    words is one shingle). Texts that share most shingles differ in few bits (Hamming distance);
    unrelated texts in about 32. Empty text: 0.

    Each distinct word is hashed once with blake2b (stable across runs and machines, unlike
    ``hash()``); a shingle's hash mixes its three word hashes, in order, with splitmix64, all in numpy:
    a million words take well under a second. Only the first SIMHASH_WORDS words are read."""
    found = words(text[:SIMHASH_CHARS])[:SIMHASH_WORDS]
    if not found:
        return 0
    index: dict[str, int] = {}
    ids = np.fromiter((index.setdefault(w, len(index)) for w in found), dtype=np.int64, count=len(found))
    table = np.fromiter((int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "little")
                         for w in index), dtype=np.uint64, count=len(index))
    hashed = table[ids]
    if len(hashed) < 3:
        hashed = np.concatenate([hashed, np.zeros(3 - len(hashed), dtype=np.uint64)])
    first, second, third = hashed[:-2], hashed[1:-1], hashed[2:]
    shingle = _mix(first ^ _mix(_rotate(second, 21) ^ _mix(_rotate(third, 42) ^ np.uint64(0x9E3779B97F4A7C15))))
    total = len(shingle)
    value = 0
    for bit in range(64):
        ones = int(np.count_nonzero(shingle & np.uint64(1 << bit)))
        if 2 * ones > total:
            value |= 1 << bit
    return value


_DIGIT = re.compile(r"\d")


def skeleton(text: str) -> int:
    """A 64-bit stable hash (blake2b) of the text with every digit replaced by 0, case folded and runs
    of whitespace collapsed; 0 for a text with no words. Texts that differ only in their numbers (an
    invoice number, a date) share it: in a short text one changed digit moves a third of the
    shingles, too many bits of the SimHash to call it near. Reads the text SimHash reads."""
    bounded = text[:SIMHASH_CHARS]
    if not words(bounded):
        return 0
    folded = " ".join(_DIGIT.sub("0", bounded).casefold().split())
    return int.from_bytes(hashlib.blake2b(folded.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def distance(a: int, b: int) -> int:
    """Hamming distance of two 64-bit hashes."""
    return (a ^ b).bit_count()
