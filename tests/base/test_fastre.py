"""The Arrow/RE2 path gives exactly Python's re answers for every pattern the checks use."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.base import fastre
from readiness.base.text import MOJIBAKE
from readiness.profile import dates, formats
from readiness.profile.pii.patterns import FULL_VALUE_PATTERNS, VALUE_PATTERNS
from readiness.validate import suites

PATTERNS = ([layout.pattern for layout in dates.DATE_LAYOUTS] + list(formats.FORMAT_REGEX.values())
            + list(VALUE_PATTERNS.values()) + list(FULL_VALUE_PATTERNS.values()) + [MOJIBAKE])

# the characters that make the patterns differ between engines: digits and spaces of every kind
ALPHABET = st.sampled_from(list("0123456789-/:.,+()@ _TZaAmMpPxXeEsS") + ["\u0663", "\u00a0", "\u3000", "\u2028",
                                                                         "\x1c", "\n", "\t", "Ã", "\x80", "â€", "\ufffd",
                                                                         "é", "ß", "Jan", "March"])
TEXTS = st.lists(st.lists(ALPHABET, max_size=24).map("".join), min_size=1, max_size=40)
SHAPED = st.lists(st.sampled_from([
    "2024-01-02", " 2024-01-02 ", "2024-01-02 10:11:12", "02/01/2024", "2024-02-30", "٢٠٢٤-٠١-٠٢", "Jan 2, 2024",
    "user@example.com", "a@b", "+49 151 1234 5678", "4111 1111 1111 1111", "123-45-6789", "10.0.0.1",
    "DE89370400440532013000", "sk_live_abcdefghijklmnop1234", "12 Main Street", "1.5e3", "-.5", "x\u00a0",
]), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(texts=st.one_of(TEXTS, SHAPED))
def test_fullmatch_and_search_equal_python(texts):
    values = pd.Series(texts, dtype=object)
    for pattern in PATTERNS:
        compiled = re.compile(pattern)
        assert fastre.fullmatch(values, pattern).tolist() == [compiled.fullmatch(t) is not None for t in texts], pattern
        assert fastre.search(values, pattern).tolist() == [compiled.search(t) is not None for t in texts], pattern


@settings(max_examples=100, deadline=None)
@given(texts=TEXTS)
def test_strip_equals_python(texts):
    assert fastre.strip(pd.Series(texts, dtype=object)).tolist() == [t.strip() for t in texts]
    for dtype in (object, pd.StringDtype("pyarrow")):
        assert fastre.stripped_lengths(pd.Series(texts, dtype=dtype)).tolist() == [len(t.strip()) for t in texts]


def test_translation_kinds():
    digit = f"[{fastre._ranges(fastre.PY_DIGITS)}]"
    assert fastre.to_re2(r"\d{4}-\d{2}") == f"{digit}{{4}}-{digit}{{2}}"
    assert fastre.to_re2(r"\b\d{3}\b") is None  # \b: RE2's is ASCII-only, so only a looser form
    assert fastre.to_re2(r"(?<![\w-])\+\d", superset=True) == rf"\+{digit}"
    assert fastre.to_re2(r"(?i)abc") is None  # inline flags: case folding differs
    assert fastre.to_re2(r"a$b") is None  # $ mid-pattern: Python's also matches before a final newline
    assert fastre.exact_re2(r"(") is None  # Python cannot compile it
    assert fastre.exact_re2(r"a{2000}") is None  # RE2 refuses repeats over 1000
    assert fastre.to_re2(r"a\x2e\u00e9[\x5d]") == "a\\.é[\\]]"  # escapes as the characters themselves
    assert fastre.to_re2(r"\x00") is None and fastre.to_re2(r"\x4") is None
    assert fastre.exact_re2(MOJIBAKE) is not None  # the text columns GX checks stay in Arrow


# what users write in suites: anchors, classes, alternation, repeats, dots
SUITE_PATTERNS = [suites.anchored(p) for p in formats.FORMAT_REGEX.values()] + [
    r"^[A-Z]{2}\d+$", r"abc$", r"^\s*$", r"x.y", r"^(?:a|b)+\s\d{1,3}$", r"[^\s@]+@", r"\d\s*$", r"^\D", r"^$",
    MOJIBAKE, r"\x2e|[\x5d\u00e9]|\u00C3\xa9|\U0001F600",  # escapes become the characters themselves
]
SUITE_TEXTS = st.lists(st.lists(st.sampled_from(list("abcxyAZ09.@ ]é") + ["\n", "\t", "\u0663", "\u00a0", "\x1c",
                                                                         "\u2028", "Ã©", "\ufffd", "😀", "Â\xa0"]),
                                max_size=12).map("".join),
                       min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(texts=SUITE_TEXTS)
def test_exact_re2_searches_as_python_does(texts):
    import pyarrow as pa
    import pyarrow.compute as pc

    for pattern in SUITE_PATTERNS:
        translated = fastre.exact_re2(pattern)
        if translated is None:
            continue
        re.compile(translated)  # pandas compiles it with re before Arrow runs it
        hits = pc.match_substring_regex(pa.array(texts, type=pa.string()), pattern=translated).to_pylist()
        assert hits == [re.search(pattern, t) is not None for t in texts], pattern


def test_text_arrow_cannot_take_falls_back_to_python():
    values = pd.Series(["2024-01-02", "\udcff2024-01-02"], dtype=object)  # a lone surrogate
    assert fastre.fullmatch(values, dates.DATE_LAYOUTS[0].pattern).tolist() == [True, False]


@settings(max_examples=150, deadline=None)
@given(texts=st.one_of(TEXTS, SHAPED))
def test_candidates_never_miss_a_match(texts):
    values = pd.Series(texts, dtype=object)
    patterns, whole = list(VALUE_PATTERNS.values()), list(FULL_VALUE_PATTERNS.values())
    kept = fastre.candidates(values, patterns, whole).tolist()
    for text, keep in zip(texts, kept, strict=True):
        if any(re.search(p, text) for p in patterns) or any(re.fullmatch(p, text) for p in whole):
            assert keep, text


def test_texts_are_converted_once_for_every_pattern(monkeypatch):
    values = pd.Series([f"value {i}" for i in range(200)] + ["2024-01-05"], dtype=object)
    converted = []
    real = fastre.arrow_array
    monkeypatch.setattr(fastre, "arrow_array", lambda v: converted.append(len(v)) or real(v))
    texts = fastre.texts(values)
    assert fastre.texts(texts) is texts
    for pattern in (r"value \d+", r"\d{4}-\d{2}-\d{2}", r"(?<!x)value"):
        assert fastre.fullmatch(texts, pattern).tolist() == fastre.fullmatch(values, pattern).tolist()
    assert fastre.strip(texts).tolist() == values.str.strip().tolist()
    assert len(converted) == 1 + 3  # the Texts once; the plain Series once per pattern
