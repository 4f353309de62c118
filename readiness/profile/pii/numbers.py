"""Numbers that are personal data: check digits (cards, IBANs, national ids, ISBNs) and columns of
numbers that hold cards, national ids or precise coordinates."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.profile import formats
from readiness.profile.headers import snake
from readiness.profile.pii.patterns import THING_NAMES


def luhn_ok(text: str) -> bool:
    digits = [int(c) for c in text if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def card_shaped(text: str) -> bool:
    """13-19 digits written as a card is: in one run, or in groups of 3-6 digits split by one kind of
    separator (4-4-4-4, 4-6-5, 4-4-4-4-3), the first group of 4-6 digits."""
    groups = re.split(r"[ -]", text)
    if not 13 <= sum(len(g) for g in groups) <= 19:
        return False
    if len(groups) == 1:
        return True
    if len({c for c in text if c in " -"}) != 1 or not 4 <= len(groups[0]) <= 6:
        return False
    return all(3 <= len(g) <= 6 for g in groups[1:-1]) and 1 <= len(groups[-1]) <= 6


def card_ok(text: str) -> bool:
    return card_shaped(text) and luhn_ok(text)


def ssn_ok(text: str) -> bool:
    """A US social security number as issued: no area 000, 666 or 900-999, no group 00, no serial 0000."""
    area, group, serial = text.split("-")
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def iban_ok(text: str) -> bool:
    compact = text.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    try:
        number = int("".join(str(int(c, 36)) for c in moved))
    except ValueError:
        return False
    return number % 97 == 1


VALIDATORS = {"payment_card": card_ok, "iban": iban_ok, "national_id": ssn_ok}
SHAPES = {"payment_card": card_shaped}  # the shape alone, to tell a card column from a column of long ids


_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0))
_VERHOEFF_P1 = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)


def _verhoeff_p() -> tuple[tuple[int, ...], ...]:
    rows = [tuple(range(10))]
    for _ in range(7):
        rows.append(tuple(_VERHOEFF_P1[d] for d in rows[-1]))
    return tuple(rows)


_VERHOEFF_P = _verhoeff_p()


def verhoeff_ok(text: str) -> bool:
    """The Verhoeff check over the digits of ``text`` (an Aadhaar number's last digit)."""
    check = 0
    for i, c in enumerate(reversed([c for c in text if c.isdigit()])):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(c)]]
    return check == 0


def aadhaar_ok(text: str) -> bool:
    """12 digits, not starting with 0 or 1, passing Verhoeff."""
    digits = "".join(c for c in text if c.isdigit())
    return len(digits) == 12 and digits[0] not in "01" and verhoeff_ok(digits)


def german_tax_id_ok(text: str) -> bool:
    """A German tax id (Steuer-IdNr): 11 digits, no leading 0, one digit of the first ten used two or
    three times and the others at most once, and the ISO 7064 MOD 11,10 check digit."""
    digits = [int(c) for c in text if c.isdigit()]
    if len(digits) != 11 or digits[0] == 0:
        return False
    counts = [digits[:10].count(d) for d in range(10)]
    if sum(1 for c in counts if c > 1) != 1 or max(counts) > 3:
        return False
    product = 10
    for d in digits[:10]:
        total = (d + product) % 10 or 10
        product = total * 2 % 11
    return (11 - product) % 10 == digits[10]


def isbn_ok(text: str) -> bool:
    """An ISBN-13 (978/979, weights 1 and 3) or ISBN-10 (weights 10..1, X for 10)."""
    chars = [c for c in text.upper() if c.isdigit() or c == "X"]
    if len(chars) == 13 and "X" not in chars and "".join(chars[:3]) in ("978", "979"):
        return sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(chars)) % 10 == 0
    if len(chars) == 10 and "X" not in chars[:9]:
        values = [10 if c == "X" else int(c) for c in chars]
        return sum(v * (10 - i) for i, v in enumerate(values)) % 11 == 0
    return False


def card_grouped(text: str) -> bool:
    """13-19 digits written as a card is, with any one separator (space, dash, underscore, dot, slash):
    one run, 4-4-4-4(-3), 4-6-5, 4-4-4-1..4, or two groups of at least four (6-10, 8-8) but not
    with a dot or comma (a decimal)."""
    separators = {c for c in text if not c.isdigit()}
    groups = re.split(r"[^0-9]+", text)
    if not 13 <= sum(len(g) for g in groups) <= 19 or len(separators) > 1:
        return False
    if len(groups) == 1:
        return True
    if len(groups) == 2:
        return not separators & {".", ","} and all(len(g) >= 4 for g in groups)
    return 4 <= len(groups[0]) <= 6 and all(3 <= len(g) <= 6 for g in groups[1:-1]) and 1 <= len(groups[-1]) <= 6



# a column of long numbers holds national ids or cards when nearly all of its values pass the check
# (random ids pass Luhn or a check digit about one time in ten); a few values prove nothing
ID_VALID_MIN = 0.9
ID_MIN_DISTINCT = 3
# coordinates with four decimals or more place a person within about ten metres
COORDINATE_NAMES = r"(^|_)(lat|latitude|lon|lng|longitude)($|_)"
COORDINATE_DECIMALS = 4
COORDINATE_MIN = 0.5
# words beside lat/lon that make the place a thing's or an aggregate's (centroid_lat, station_lon, avg_lat)
PLACE_OF_THINGS = frozenset({"centroid", "center", "centre", "mean", "avg", "average", "median", "grid", "cell",
                             "tile", "bbox", "min", "max", "zip", "postcode", "county", "state", "city", "airport"})
_PLAIN_DIGITS = re.compile(r"\s*(\d{11,19})(?:\.0*)?\s*")
_DECIMALS = re.compile(r"\s*[-+]?\d{1,3}\.(\d*?)0*\s*")


# the first digits of cards of the big networks: Visa, Mastercard, Amex, Discover
_CARD_ISSUER = re.compile(r"4\d{12}(?:\d{3}|\d{6})?$|5[1-5]\d{14}$|2(?:2[2-9]|[3-6]\d|7[01])\d{13}$|3[47]\d{13}$"
                          r"|6(?:011|5\d\d)\d{12}$")


def _number_ids(texts: pd.Series, weights: np.ndarray) -> str | None:
    """The kind of a column of long whole numbers (as text) that nearly all pass one check: cards
    (13-19 digits, Luhn), Aadhaar (12 digits, Verhoeff), German tax ids (11 digits, check digit)."""
    total = float(weights.sum())
    if not total:
        return None
    digits = [m.group(1) if (m := _PLAIN_DIGITS.fullmatch(str(t))) else "" for t in texts]
    for kind, check in (("payment_card", luhn_ok), ("national_id", aadhaar_ok), ("national_id", german_tax_id_ok)):
        valid = np.fromiter((bool(d) and check(d) for d in digits), dtype=bool, count=len(digits))
        # a column repeating one or two card numbers: every one valid and with a card issuer's prefix
        few = kind == "payment_card" and all(_CARD_ISSUER.match(d) for d in digits)
        needed = min(ID_MIN_DISTINCT, len(texts)) if few else ID_MIN_DISTINCT
        if valid.sum() >= needed and weights[valid].sum() >= ID_VALID_MIN * total:
            return kind
    return None


def _coordinates(column: str, texts: pd.Series, weights: np.ndarray) -> bool:
    """A latitude or longitude column (by name) whose values (as text) locate to about ten metres."""
    total = float(weights.sum())
    found = re.search(COORDINATE_NAMES, snake(column))
    if not total or found is None:
        return False
    rest = set(snake(column)[:found.start()].split("_") + snake(column)[found.end():].split("_"))
    if rest & (THING_NAMES | PLACE_OF_THINGS):
        return False  # a station's, a zone's or a centroid's place is no person's
    matches = [_DECIMALS.fullmatch(str(t)) for t in texts]
    precise = np.array([m is not None and len(m.group(1)) >= COORDINATE_DECIMALS for m in matches], dtype=bool)
    return bool(weights[precise].sum() >= COORDINATE_MIN * total)


def number_kind(column: str, texts: pd.Series, weights: np.ndarray) -> str | None:
    """The kind of personal data a column of numbers holds by its values (distinct values as text,
    with their counts): cards, national ids, precise coordinates; None for anything else."""
    if _coordinates(column, texts, weights):
        return "location"
    return _number_ids(texts, weights)


def numbers_as_text(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """A numeric column's distinct values as text (whole numbers without a fraction, others in their
    shortest form), with their counts."""
    counts = series.dropna().value_counts(sort=False)
    values = counts.index.to_numpy()
    if pd.api.types.is_integer_dtype(series.dtype):
        texts = [str(int(v)) for v in values]
    else:
        texts = [f"{v:.0f}" if np.isfinite(v) and v == np.round(v) and abs(v) < 2 ** 53
                 else np.format_float_positional(float(v), trim="-") for v in values]
    return pd.Series(texts, dtype=object), counts.to_numpy()


# kinds a column of numbers can hold: a phone, an SSN or a card number read as an integer, a birth date
NUMBER_KINDS = frozenset({"phone", "national_id", "payment_card", "date_of_birth", "secret"})


def may_hold_number_text(column: str, texts: pd.Series | fastre.Texts, weights: np.ndarray) -> bool:
    """``_may_hold_number_kind`` for numbers read as text: a named coordinate column, or nearly all
    values (by count) 11 to 22 characters long, the length of a long id (one vectorised pass)."""
    if re.search(COORDINATE_NAMES, snake(column)):
        return True
    given = fastre.texts(texts)
    texts = given.values
    if len(texts) <= formats.FEW_VALUES:  # a few values: no pandas call for them
        lengths = np.fromiter((len(str(t)) for t in texts), dtype=np.int64, count=len(texts))
    elif (array := given.array) is not None:  # in Arrow: no Python string per value
        import pyarrow.compute as pc

        lengths = pc.fill_null(pc.utf8_length(array), 0).to_numpy(zero_copy_only=False)
    else:
        lengths = texts.astype(str).str.len().to_numpy()
    return bool(weights[(lengths >= 11) & (lengths <= 22)].sum() >= ID_VALID_MIN * weights.sum())


def may_hold_number_kind(column: str, series: pd.Series) -> bool:
    """Whether a numeric column could be cards, long national ids or coordinates at all, decided on
    the numbers themselves (no text per value): a named coordinate column, or nearly all values whole
    numbers of 11 to 19 digits. A column of measurements costs one vectorised pass, not a string each."""
    if re.search(COORDINATE_NAMES, snake(column)):
        return True
    values = series.dropna().to_numpy(dtype=np.float64, na_value=np.nan)
    if not len(values):
        return False
    size = np.abs(values)
    long_whole = (size >= 1e10) & (size < 1e19) & (values == np.floor(values))
    return bool(long_whole.sum() >= ID_VALID_MIN * len(values))

