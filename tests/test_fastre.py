"""The Arrow/RE2 path gives exactly Python's re answers for every pattern the checks use."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness import fastre, formats, pii, suites

PATTERNS = ([layout.pattern for layout in formats.DATE_LAYOUTS] + list(formats.FORMAT_REGEX.values())
            + list(pii.VALUE_PATTERNS.values()) + list(pii.FULL_VALUE_PATTERNS.values()) + [suites.MOJIBAKE])

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


def test_translation_kinds():
    assert fastre.to_re2(r"\d{4}-\d{2}") == r"[\p{Nd}]{4}-[\p{Nd}]{2}"
    assert fastre.to_re2(r"\b\d{3}\b") is None  # \b: RE2's is ASCII-only, so only a looser form
    assert fastre.to_re2(r"(?<![\w-])\+\d", superset=True) == r"\+[\p{Nd}]"


def test_text_arrow_cannot_take_falls_back_to_python():
    values = pd.Series(["2024-01-02", "\udcff2024-01-02"], dtype=object)  # a lone surrogate
    assert fastre.fullmatch(values, formats.DATE_LAYOUTS[0].pattern).tolist() == [True, False]


@settings(max_examples=150, deadline=None)
@given(texts=st.one_of(TEXTS, SHAPED))
def test_candidates_never_miss_a_match(texts):
    values = pd.Series(texts, dtype=object)
    patterns = [*pii.VALUE_PATTERNS.values(), *pii.FULL_VALUE_PATTERNS.values()]
    kept = fastre.candidates(values, patterns).tolist()
    for text, keep in zip(texts, kept, strict=True):
        if any(re.search(p, text) for p in patterns):
            assert keep, text


def test_an_audit_leaves_no_cached_columns_behind(tmp_path):
    from tests.conftest import SAMPLES, run_audit

    run_audit(SAMPLES / "support", tmp_path / "out", profile_enabled=False)
    assert formats._CLASSIFIED == [] and formats._STRIPPED == [] and fastre._CONVERTED == []
