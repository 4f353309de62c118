"""A column's verdict: which kind of personal data it holds, by its name and by its values.

Only counts and kinds leave here; matched values are never returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.profile import formats
from readiness.profile.headers import snake
from readiness.profile.pii.names import person_name_share
from readiness.profile.pii.numbers import (
    NUMBER_KINDS,
    SHAPES,
    VALIDATORS,
    may_hold_number_kind,
    may_hold_number_text,
    number_kind,
    numbers_as_text,
)
from readiness.profile.pii.patterns import (
    DECIMAL,
    DIGIT_KINDS,
    FULL_VALUE_PATTERNS,
    NOT_ADDRESS_NAMES,
    NOT_IP_NAMES,
    NUMBER,
    SECRET_KINDS,
    VALUE_PATTERNS,
    about_things,
    kind_by_name,
    name_hint,
)

BOOLEAN_TOKENS = frozenset({"0", "1", "true", "false", "t", "f", "yes", "no", "y", "n", "0.0", "1.0", "-1"})
SHORT_CATEGORIES = 20  # a named column with at most this many distinct values is checked against its kind
CARD_LUHN_MIN = 0.5  # card-shaped runs that pass Luhn: about 1 in 10 for ids, all of them for cards
ADDRESS_MIN = 0.5  # whole values shaped like an address, for a column to count as addresses by value
PERSON_NAME_MIN = 0.5  # values shaped like a person's name with a known given name, for a `name` column
# a column whose name gives no hint holds person names only when most of many distinct values are names
UNNAMED_NAMES_MIN = 0.6
UNNAMED_NAMES_MIN_DISTINCT = 5
DECIMAL_SAMPLE = 2_000  # distinct values looked at to tell a named column of measurements


def _matches(texts: pd.Series, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Which distinct texts contain a value of this kind (checked with Luhn/mod-97 where it applies), and
    which contain one of its shape (before that check)."""
    pattern = VALUE_PATTERNS[kind]
    hits = np.asarray(fastre.search(texts, pattern), dtype=bool)
    shaped = hits.copy()
    validator = VALIDATORS.get(kind)
    if validator is not None and hits.any():
        positions = np.flatnonzero(hits)
        found = [re.findall(pattern, t) for t in texts.iloc[positions].to_numpy(dtype=object)]
        hits[positions] = [any(validator(m) for m in runs) for runs in found]
        shape = SHAPES.get(kind)
        if shape is not None:
            shaped[positions] = [any(shape(m) for m in runs) for runs in found]
    return hits, shaped


def _looks_like(kind: str, text: str) -> bool:
    """Could this single value be personal data of this kind at all (a loose test, for short categories)?"""
    digits = sum(c.isdigit() for c in text)
    letters = sum(c.isalpha() for c in text)
    if kind == "email":
        return "@" in text
    if kind == "phone":
        return digits >= 7
    if kind in ("national_id", "iban"):
        return digits >= 5
    if kind == "payment_card":
        return digits >= 12
    if kind == "ip_address":
        return digits >= 2 and ("." in text or ":" in text)
    if kind == "date_of_birth":
        return digits >= 2
    if kind == "street_address":
        return digits >= 1 or len(text.split()) >= 2
    if kind == "person_name":
        return letters >= 2 and digits == 0
    return True


def _measurements(texts: pd.Series, weights: np.ndarray) -> bool:
    """Whether a column's values (a spread sample of them) are plain numbers, most with a fraction."""
    keep = np.unique(np.linspace(0, len(texts) - 1, min(len(texts), DECIMAL_SAMPLE)).astype(np.int64))
    sample, counts = texts.iloc[keep].reset_index(drop=True), weights[keep]
    total = counts.sum()
    return bool(counts[fastre.fullmatch(sample, NUMBER)].sum() >= 0.9 * total
                and counts[fastre.fullmatch(sample, DECIMAL)].sum() >= 0.5 * total)


def _clearly_not(kind: str, texts: pd.Series, weights: np.ndarray) -> bool:
    """A named column whose values are plainly not of its kind: booleans (ssn 0/1), a few short
    categories none of which could be one (phone: mobile/home/work), one constant that is not, or
    numbers with a fraction (``ip`` holding industrial production)."""
    if not len(texts):
        return False
    if _measurements(texts, weights):
        return True
    if len(texts) > SHORT_CATEGORIES:
        return False
    values = [str(t).strip() for t in texts]
    if all(v.lower() in BOOLEAN_TOKENS for v in values):
        return True
    if kind in SECRET_KINDS:
        return False  # any short word can be a password
    return not any(_looks_like(kind, v) for v in values)


@dataclass(frozen=True)
class PiiVerdict:
    kind: str | None  # the column is personal data of this kind
    matched: dict[str, int]  # kind -> values that matched (weighted by row counts)
    total: int = 0  # values that matched any kind


@lru_cache(maxsize=4096)
def _column_name_facts(column: str) -> tuple[str | None, bool, bool, str]:
    """What detect reads from a column's name alone (the rules are constants): kind_by_name,
    name_hint, about_things and snake, once per name (a folder of many tables repeats them)."""
    return kind_by_name(column), name_hint(column), about_things(column), snake(column)


def detect(column: str, counts: pd.Series, non_missing: int, *, forced: bool = False,
           ignored: bool = False) -> PiiVerdict:
    """Classify a column from its name and its distinct text values (index) with their counts."""
    if ignored:
        return PiiVerdict(None, {})
    by_name, hinted, of_things, token = _column_name_facts(column)
    texts = formats.distinct_values(counts)
    given = fastre.texts(texts)  # converted to Arrow once, for every pass over the values below
    weights = counts.to_numpy()
    if by_name is not None and not forced:
        if not non_missing:
            return PiiVerdict(None, {})  # a personal-data column left empty holds nobody's data
        if not _clearly_not(by_name, texts, weights):
            # a column named as personal data is personal whatever its values: no need to look at them all
            return PiiVerdict(by_name, {by_name: non_missing}, non_missing)
        by_name = None
    elif by_name is None and not forced and len(texts) and hinted:
        if person_name_share(given, weights) >= PERSON_NAME_MIN:
            return PiiVerdict("person_name", {"person_name": non_missing}, non_missing)
    elif by_name is None and not forced and len(texts) >= UNNAMED_NAMES_MIN_DISTINCT and not of_things:
        # a column whose name says nothing (ehead, winner_of_1990) is judged on its values alone, more strictly
        if person_name_share(given, weights, other_scripts=False) >= UNNAMED_NAMES_MIN:
            return PiiVerdict("person_name", {"person_name": non_missing}, non_missing)
    matched: dict[str, int] = {}
    any_hit = np.zeros(len(texts), dtype=bool)
    if len(texts) and by_name is None:
        whole = {} if re.search(NOT_ADDRESS_NAMES, token) else {"street_address": FULL_VALUE_PATTERNS["street_address"]}
        # one pass finds the few values that could hold anything; each kind then runs on those only
        maybe = fastre.candidates(given, list(VALUE_PATTERNS.values()), list(whole.values()))
        found: dict[str, np.ndarray] = {}
        subset = texts[maybe] if maybe.any() else None
        for kind in VALUE_PATTERNS if subset is not None else ():  # no candidate: no kind matches
            if kind == "ip_address" and re.search(NOT_IP_NAMES, token):
                continue
            hits = np.zeros(len(texts), dtype=bool)
            shaped = np.zeros(len(texts), dtype=bool)
            hits[maybe], shaped[maybe] = _matches(subset, kind)
            if kind == "payment_card" and hits.any() and weights[hits].sum() < CARD_LUHN_MIN * weights[shaped].sum():
                continue  # long ids: about one in ten passes Luhn by chance, every real card does
            if hits.any():
                found[kind] = hits
        if found.keys() & DIGIT_KINDS and _measurements(texts, weights):
            found = {k: v for k, v in found.items() if k not in DIGIT_KINDS}  # no card or phone among measurements
        for kind, pattern in whole.items() if subset is not None else ():
            hits = np.zeros(len(texts), dtype=bool)
            hits[maybe] = fastre.fullmatch(subset, pattern)
            if non_missing and weights[hits].sum() >= ADDRESS_MIN * non_missing:
                found[kind] = found[kind] | hits if kind in found else hits
        for kind, hits in found.items():
            any_hit |= hits
            matched[kind] = int(weights[hits].sum())
    if forced:
        kind = by_name or (max(matched, key=lambda k: matched[k]) if matched else "personal")
        # a named column is personal data through and through: every present value counts
        return PiiVerdict(kind, {kind: non_missing}, non_missing)
    total = int(weights[any_hit].sum()) if len(texts) else 0
    dominant = max(matched, key=lambda k: matched[k]) if matched else None
    if dominant is not None and non_missing and matched[dominant] / non_missing >= 0.5:
        return PiiVerdict(dominant, matched, total)
    if by_name is None and len(texts) and non_missing and may_hold_number_text(column, given, weights):
        numbers = number_kind(column, texts, weights)  # integers and decimals read from text
        if numbers is not None:
            return PiiVerdict(numbers, {numbers: non_missing}, non_missing)
    return PiiVerdict(None, matched, total)



def detect_numbers(column: str, series: pd.Series, non_missing: int, *, forced: bool = False,
                   ignored: bool = False) -> PiiVerdict:
    """Classify a column that is not text (numbers, booleans, dates) from its name, with its values
    to refute the name: ``ip`` holding industrial production (decimals) is no IP address, ``ssn``
    holding 0/1 no social security number. Values that are not text match no pattern."""
    by_name = None if ignored else kind_by_name(column)
    if ignored:
        return PiiVerdict(None, {})
    if by_name is None and not forced:
        numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
        if numeric and non_missing and may_hold_number_kind(column, series):
            kind = number_kind(column, *numbers_as_text(series))
            if kind is not None:
                return PiiVerdict(kind, {kind: non_missing}, non_missing)
        return PiiVerdict(None, {})
    if forced:
        kind = by_name or "personal"
        return PiiVerdict(kind, {kind: non_missing} if non_missing else {}, non_missing)
    if not non_missing or by_name is None:
        return PiiVerdict(None, {})  # a personal-data column left empty holds nobody's data
    if pd.api.types.is_bool_dtype(series.dtype):
        return PiiVerdict(None, {})
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.dropna().to_numpy(dtype=np.float64, na_value=np.nan)
        whole = np.isfinite(values) & (values == np.round(values))
        if by_name not in NUMBER_KINDS or whole.sum() < 0.5 * len(values):
            return PiiVerdict(None, {})  # measurements with decimals, or a kind never written as a number
        distinct = pd.unique(values[whole])
        if len(distinct) <= SHORT_CATEGORIES and _clearly_not(by_name, pd.Series([f"{v:.0f}" for v in distinct]),
                                                              np.ones(len(distinct))):
            return PiiVerdict(None, {})
    return PiiVerdict(by_name, {by_name: non_missing}, non_missing)
