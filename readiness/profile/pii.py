"""Personal data and secrets: found by column name and by value pattern.

Only counts and kinds leave this module; matched values are never returned.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from readiness.base import fastre
from readiness.profile import formats

# column-name tokens (after lower-casing and splitting on non-alphanumerics) -> kind: the name alone is proof
NAME_RULES: tuple[tuple[str, str], ...] = (
    (r"(^|_)(e_?mail|email_address)($|_)", "email"),
    (r"(^|_)(phone|mobile|telephone|tel|msisdn|whatsapp_number)($|_)", "phone"),
    (r"(^|_)(ssn|social_security(_number)?|national_id|nino|passport(_number)?|tax_id)($|_)", "national_id"),
    (r"(^|_)(first_?name|last_?name|full_?name|given_name|family_name|middle_name|maiden_name|surname|forename"
     r"|fname|lname|(customer|contact|person|patient|employee|client|applicant|passenger|student|member"
     r"|cardholder|card_holder|account_holder|recipient|sender|beneficiary|spouse|mother|father|parent|guardian"
     r"|emergency_contact|doctor|physician)_name)$", "person_name"),
    (r"(^|_)(ip|ip_address|ipv4|ipv6|client_ip)($|_)", "ip_address"),
    (r"(^|_)(address|street|street_address|addr|address_line\d?|home_address)($|_)", "street_address"),
    (r"(^|_)(dob|date_of_birth|birth_date|birthdate|birthday)($|_)", "date_of_birth"),
    (r"(^|_)(iban|bank_account|account_number)($|_)", "iban"),
    (r"(^|_)(credit_card|card_number|cc_number)($|_)", "payment_card"),
    (r"(^|_)(password|passwd|pwd|secret|api_key|apikey|access_key|secret_key|token|auth_token|access_token)($|_)", "secret"),
)
# a word beside the kind that makes the column about the data, not the data itself:
# ssn_flag, phone_type, email_verified, has_email, ip_country, token_count, card_brand
QUALIFIERS = frozenset({
    "flag", "flags", "type", "types", "kind", "category", "class", "status", "state", "verified", "verification",
    "valid", "validated", "validity", "present", "provided", "missing", "available", "known", "exists", "count",
    "counts", "cnt", "total", "length", "len", "size", "changed", "updated", "confirmed", "consent", "optin", "opt",
    "subscribed", "bounced", "domain", "country", "city", "region", "prefix", "area", "code", "format", "provider",
    "carrier", "brand", "network", "issuer", "bin", "last4", "expiry", "exp", "expires", "expiration", "strength",
    "policy", "required", "enabled", "reset", "attempts", "score", "risk", "match", "sent", "opened", "clicked",
    "received", "at", "date", "time", "timestamp", "ts", "usage", "requests", "version", "mac", "url", "web",
    "host", "server", "contract", "memory",
})
QUALIFIER_PREFIXES = frozenset({"is", "has", "n", "num", "no", "nb", "count", "total", "avg", "mean", "pct", "share"})
DATE_QUALIFIERS = frozenset({"date", "time", "timestamp", "ts", "at"})  # dob_date is still a date of birth

# a column named like this may hold person names: the values decide (Toyota Corolla is no person)
NAME_HINT = r"(^|_)(names?|person|people|customer|client|patient|employee|contact|author|passenger|owner|member"\
            r"|user|student|leader|holder|recipient|salesperson|seller|agent|rep|manager|doctor|physician|nurse"\
            r"|teacher|driver|staff|officer|interviewer|reviewer|assignee|reporter|approver|signatory)$|_names?$"
# `*_name` columns about things, not people: never personal by name, never checked as names
THING_NAMES = frozenset({
    "product", "company", "business", "brand", "city", "country", "state", "county", "region", "province",
    "district", "street", "place", "location", "venue", "store", "shop", "restaurant", "hotel", "file", "host",
    "domain", "table", "column", "field", "feature", "model", "species", "genus", "breed", "team", "club", "school",
    "university", "college", "institution", "organization", "organisation", "org", "bank", "drug", "course", "ship",
    "song", "album", "track", "movie", "film", "book", "game", "station", "airport", "airline", "app", "project",
    "dataset", "event", "category", "item", "variable", "metric", "sheet", "tag", "department", "dept", "unit",
    "group", "role", "job", "plan", "campaign", "channel", "device", "browser", "package", "service", "server",
    "database", "schema", "index", "stock", "ticker", "currency", "language", "font", "color", "colour", "module",
    "function", "method", "tool", "vendor", "supplier", "manufacturer", "make", "merchant", "pet", "animal", "plant",
    "disease", "condition", "procedure", "test", "lab", "facility", "hospital", "clinic", "site", "building", "room",
    "neighborhood", "neighbourhood", "town", "village", "area", "zone", "route", "road", "river", "park", "market",
    "fund", "sector", "industry", "segment", "key", "param", "parameter", "option", "step", "stage", "task",
    "process", "attribute", "property", "image", "sample", "strain", "gene",
    "protein", "compound", "chemical", "material", "ingredient", "recipe", "dish", "menu",
})
# a column whose name says it holds works or things is never a street address by its values
NOT_ADDRESS_NAMES = r"(^|_)(title|titles|movie|movies|film|films|book|books|song|songs|album|product|products|company"\
                    r"|companies|brand|show|series|episode|game|novel|play|artwork|painting|name|names)($|_)"
NOT_IP_NAMES = r"(^|_)(version|versions|ver|release|build|revision|rev)($|_)"

SECRET_PATTERNS = (
    r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b",
    r"\bAKIA[0-9A-Z]{16}\b",
    r"\bgh[pousr]_[A-Za-z0-9]{30,}\b",
    r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b",
    r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b",
    r"\bAIza[0-9A-Za-z_-]{35}\b",
)

# a digit pattern starts where no word, decimal, sign or longer dashed number goes on before it, and ends
# where none goes on after it: 0.847058823529412 holds no card, 1.2.3.4.5 no IP address
_START = r"(?<![\w.,+-])"
_END = r"(?![\w-]|[.,]\d)"
VALUE_PATTERNS: dict[str, str] = {
    # the look-behind makes a search start only where a run begins: linear time on long texts
    "email": r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
    "national_id": _START + r"\d{3}-\d{2}-\d{4}" + _END,
    # 13-19 digits, in groups split by single spaces or dashes (card_shaped checks the grouping);
    # a group of digits before or after, split by a space, would make it part of a longer number
    "payment_card": _START + r"(?<!\d )(?:\d[ -]?){12,18}\d(?![\w-]|[.,]\d| \d)",
    "iban": r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b",
    "ip_address": r"(?<![\w.-])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)" + _END,
    # a signed decimal (+0.8470588235) is no phone number
    "phone": r"(?<![\w.,+-])(?!\+\d+[.,]\d+(?!\d|[\s.,-]\d))\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}" + _END,
    "secret": "|".join(f"(?:{p})" for p in SECRET_PATTERNS),
}
_STREET_TYPES = ("St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Lane|Ln|Dr|Drive|Way|Ct|Court|Pl|Place|Sq|Square"
                 "|Ter|Terrace|Cres|Crescent|Close|Hwy|Highway|Pkwy|Parkway|Cir|Circle|Trl|Trail")
FULL_VALUE_PATTERNS: dict[str, str] = {
    "phone": r"\+?[0-9(][0-9 ().\-/]{5,22}[0-9]",
    # a house number, one to five capitalised words, a street type, then perhaps a unit, a town, a postcode
    "street_address": (r"\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'.-]*\s+){1,5}(?:" + _STREET_TYPES + r")\.?"
                       r"(?:(?:,\s*|\s+)(?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.?\s*[A-Za-z0-9-]+)?"
                       r"(?:,\s*[A-Za-z][A-Za-z .'-]*(?:,?\s*[A-Z0-9][A-Z0-9 -]{1,9})?)?"),
}
SECRET_KINDS = frozenset({"secret"})
DIGIT_KINDS = frozenset({"national_id", "payment_card", "ip_address", "phone", "iban"})
# a plain number with a fraction (not 4155551234.0, a phone number once read as a float): a column
# of them holds measurements, not cards or phone numbers
DECIMAL = r"\s*[-+]?\d*\.\d*[1-9]\d*(?:[eE][-+]?\d+)?\s*"
NUMBER = r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*"

BOOLEAN_TOKENS = frozenset({"0", "1", "true", "false", "t", "f", "yes", "no", "y", "n", "0.0", "1.0", "-1"})
SHORT_CATEGORIES = 20  # a named column with at most this many distinct values is checked against its kind
CARD_LUHN_MIN = 0.5  # card-shaped runs that pass Luhn: about 1 in 10 for ids, all of them for cards
ADDRESS_MIN = 0.5  # whole values shaped like an address, for a column to count as addresses by value
PERSON_NAME_MIN = 0.5  # values shaped like a person's name with a known given name, for a `name` column
# a column whose name gives no hint holds person names only when most of many distinct values are names
UNNAMED_NAMES_MIN = 0.6
UNNAMED_NAMES_MIN_DISTINCT = 5
TITLE_WORDS = frozenset({"title", "titles", "movie", "film", "book", "song", "album", "show", "series", "episode",
                         # companies are often named after people (Ralph Lauren, John Deere)
                         "firm", "firms", "maker", "make", "manufacturer", "vendor", "supplier", "employer",
                         "publisher", "studio", "agency", "sponsor", "label", "franchise", "chain", "fund"})
NAME_SAMPLE = 20_000  # distinct values looked at to decide whether a `name` column holds people
DECIMAL_SAMPLE = 2_000  # distinct values looked at to tell a named column of measurements

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


def _tokens(column: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", re.sub(r"([a-z])([A-Z])", r"\1_\2", column).lower()).strip("_")


def kind_by_name(column: str) -> str | None:
    """The kind of personal data a column's name alone proves, or None. A qualifier beside the kind
    (ssn_flag, phone_type, email_verified, has_email) makes the column about the data, not the data."""
    token = _tokens(column)
    for pattern, kind in NAME_RULES:
        found = re.search(pattern, token)
        if found is None:
            continue
        rest = [w for w in (token[:found.start()] + "_" + token[found.end():]).split("_") if w]
        qualifiers = QUALIFIERS - DATE_QUALIFIERS if kind == "date_of_birth" else QUALIFIERS
        if any(w in qualifiers for w in rest) or token.split("_")[0] in QUALIFIER_PREFIXES:
            return None
        return kind
    return None


def name_hint(column: str) -> bool:
    """Whether a column's name says it may hold person names (``name``, ``author``, ``owner_name``):
    a hint that the values confirm or refute, not proof."""
    token = _tokens(column)
    if re.search(NAME_HINT, token) is None or kind_by_name(column) is not None:
        return False
    words = token.split("_")
    if words[0] in QUALIFIER_PREFIXES or any(w in QUALIFIERS for w in words[1:]):
        return False
    thing = "_".join(words[:-1])
    return not (thing in THING_NAMES or (len(words) > 1 and words[-2] in THING_NAMES))


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


def _about_things(column: str) -> bool:
    """A column whose name says it is about things (product, city, title, ...), never people."""
    return any(word in THING_NAMES or word in TITLE_WORDS for word in _tokens(column).split("_"))


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


def _person_name_share(texts: pd.Series, weights: np.ndarray, other_scripts: bool = True) -> float:
    """The share of the values (weighted by their counts) that are shaped like a person's name and
    hold a known given name, or are written in a script the list cannot judge (王伟, Иван Петров: the
    column's name is taken at its word there); decided on at most NAME_SAMPLE distinct values spread
    over the column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(texts) > NAME_SAMPLE:
        keep = np.linspace(0, len(texts) - 1, NAME_SAMPLE).astype(np.int64)
        texts, weights = texts.iloc[keep].reset_index(drop=True), weights[keep]
    few = _few_ascii(texts)
    if few is not None:
        return _person_name_share_few(few, weights)
    array: Any = fastre.arrow_array(texts)
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


@dataclass(frozen=True)
class PiiVerdict:
    kind: str | None  # the column is personal data of this kind
    matched: dict[str, int]  # kind -> values that matched (weighted by row counts)
    total: int = 0  # values that matched any kind


@lru_cache(maxsize=4096)
def _column_name_facts(column: str) -> tuple[str | None, bool, bool, str]:
    """What detect reads from a column's name alone (the rules are constants): kind_by_name,
    name_hint, _about_things and _tokens, once per name (a folder of many tables repeats them)."""
    return kind_by_name(column), name_hint(column), _about_things(column), _tokens(column)


def detect(column: str, counts: pd.Series, non_missing: int, *, forced: bool = False,
           ignored: bool = False) -> PiiVerdict:
    """Classify a column from its name and its distinct text values (index) with their counts."""
    if ignored:
        return PiiVerdict(None, {})
    by_name, hinted, about_things, token = _column_name_facts(column)
    texts = formats.distinct_values(counts)
    weights = counts.to_numpy()
    if by_name is not None and not forced:
        if not non_missing:
            return PiiVerdict(None, {})  # a personal-data column left empty holds nobody's data
        if not _clearly_not(by_name, texts, weights):
            # a column named as personal data is personal whatever its values: no need to look at them all
            return PiiVerdict(by_name, {by_name: non_missing}, non_missing)
        by_name = None
    elif by_name is None and not forced and len(texts) and hinted:
        if _person_name_share(texts, weights) >= PERSON_NAME_MIN:
            return PiiVerdict("person_name", {"person_name": non_missing}, non_missing)
    elif by_name is None and not forced and len(texts) >= UNNAMED_NAMES_MIN_DISTINCT and not about_things:
        # a column whose name says nothing (ehead, winner_of_1990) is judged on its values alone, more strictly
        if _person_name_share(texts, weights, other_scripts=False) >= UNNAMED_NAMES_MIN:
            return PiiVerdict("person_name", {"person_name": non_missing}, non_missing)
    matched: dict[str, int] = {}
    any_hit = np.zeros(len(texts), dtype=bool)
    if len(texts) and by_name is None:
        whole = {} if re.search(NOT_ADDRESS_NAMES, token) else {"street_address": FULL_VALUE_PATTERNS["street_address"]}
        # one pass finds the few values that could hold anything; each kind then runs on those only
        maybe = fastre.candidates(texts, list(VALUE_PATTERNS.values()), list(whole.values()))
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
    if by_name is None and len(texts) and non_missing and _may_hold_number_text(column, texts, weights):
        numbers = number_kind(column, texts, weights)  # integers and decimals read from text
        if numbers is not None:
            return PiiVerdict(numbers, {numbers: non_missing}, non_missing)
    return PiiVerdict(None, matched, total)


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
    found = re.search(COORDINATE_NAMES, _tokens(column))
    if not total or found is None:
        return False
    rest = set(_tokens(column)[:found.start()].split("_") + _tokens(column)[found.end():].split("_"))
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


def _numbers_as_text(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
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


def _may_hold_number_text(column: str, texts: pd.Series, weights: np.ndarray) -> bool:
    """``_may_hold_number_kind`` for numbers read as text: a named coordinate column, or nearly all
    values (by count) 11 to 22 characters long, the length of a long id (one vectorised pass)."""
    if re.search(COORDINATE_NAMES, _tokens(column)):
        return True
    if len(texts) <= formats.FEW_VALUES:  # a few values: no pandas call for them
        lengths = np.fromiter((len(str(t)) for t in texts), dtype=np.int64, count=len(texts))
    elif (array := fastre.arrow_array(texts)) is not None:  # in Arrow: no Python string per value
        import pyarrow.compute as pc

        lengths = pc.fill_null(pc.utf8_length(array), 0).to_numpy(zero_copy_only=False)
    else:
        lengths = texts.astype(str).str.len().to_numpy()
    return bool(weights[(lengths >= 11) & (lengths <= 22)].sum() >= ID_VALID_MIN * weights.sum())


def _may_hold_number_kind(column: str, series: pd.Series) -> bool:
    """Whether a numeric column could be cards, long national ids or coordinates at all, decided on
    the numbers themselves (no text per value): a named coordinate column, or nearly all values whole
    numbers of 11 to 19 digits. A column of measurements costs one vectorised pass, not a string each."""
    if re.search(COORDINATE_NAMES, _tokens(column)):
        return True
    values = series.dropna().to_numpy(dtype=np.float64, na_value=np.nan)
    if not len(values):
        return False
    size = np.abs(values)
    long_whole = (size >= 1e10) & (size < 1e19) & (values == np.floor(values))
    return bool(long_whole.sum() >= ID_VALID_MIN * len(values))


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
        if numeric and non_missing and _may_hold_number_kind(column, series):
            kind = number_kind(column, *_numbers_as_text(series))
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


@dataclass(frozen=True)
class MaskRule:
    """One kind of value found in free text.

    ``group``: the part replaced (0: the whole match; -1: the first alternative group that matched);
    ``check``: a test the match must pass; ``fit``: the length of the value at the start of the part
    (0: none); ``left``: characters the value goes on with before the match (an email's local part:
    the pattern starts at ``@``, so a search never rescans a long run of letters); ``trigger``: words
    of which one must be in the lower-cased text for the rule to run at all."""

    kind: str
    pattern: re.Pattern[str]
    group: int = 0
    check: Callable[[re.Match[str]], bool] | None = None
    fit: Callable[[re.Match[str], int], int] | None = None
    left: frozenset[str] = frozenset()
    not_after: str = ""  # a character class the match must not follow (a look-behind, checked after)
    spans: Callable[[re.Match[str]], tuple[int, int] | None] | None = None  # all of the above, done by hand
    trigger: tuple[str, ...] = ()


_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_LOCAL_PART = _ALNUM | frozenset("._%+-")
_SCHEME = _ALNUM | frozenset("+.-")
LEFT_MAX = 200  # characters a value may go on with before its pattern's anchor


def _left_start(text: str, start: int, chars: frozenset[str]) -> int:
    """Where a run of ``chars`` that ends at ``start`` begins (at most LEFT_MAX characters back)."""
    i, stop = start, max(0, start - LEFT_MAX)
    while i > stop and text[i - 1] in chars:
        i -= 1
    return i


def _iban_fit(match: re.Match[str], group: int) -> int:
    """The length of the longest start of the part (groups split by spaces or dashes) that is a valid
    IBAN and ends where a word ends."""
    text, after = match.group(group), match.string[match.end(group):match.end(group) + 1]
    ends = [m.start() for m in re.finditer(r"[ -]", text)]
    if not after or not after.isalnum():
        ends.append(len(text))
    for end in reversed(ends):
        if iban_ok(re.sub(r"[ -]", "", text[:end]).upper()):
            return end
    return 0


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _aws_secret_check(match: re.Match[str]) -> bool:
    """A 40-character key next to an AWS or secret word, with a digit or a sign and letters of both cases."""
    value = match.group(0)
    before = match.string[max(0, match.start() - 80):match.start()].lower()
    mixed = any(c.isdigit() or c in "/+" for c in value) and any(c.isupper() for c in value) \
        and any(c.islower() for c in value)
    if not mixed:
        return False
    if any(w in before for w in ("aws", "secret", "access_key", "access key")):
        return True
    return any(c in "/+" for c in value) and any(c.isdigit() for c in value) and not value.isalpha()


def _scheme_check(match: re.Match[str]) -> bool:
    """``://`` follows a URL scheme (postgres, mongodb+srv, https)."""
    begin = _left_start(match.string, match.start(), _SCHEME)
    return begin < match.start() and match.string[begin].isalpha()


# words around " at " and " dot " in prose (look at the dot com boom), never an address's parts
_PROSE_WORDS = frozenset("""
a an the this that these those my your our their his her its me us them him it is was are were be been look
looking looked arrive arrived arriving meet met stay stayed stayed work home school least most all once first last
night noon dawn dusk time times end start one two some any no every each where who what which when here there
""".split())


def _spelled_email_check(match: re.Match[str]) -> bool:
    """An address spelled out (jane at example dot com) whose parts are not words of prose."""
    local = re.split(r"[^a-z0-9]+", match.string[max(0, match.start() - 64):match.start()].lower())[-1]
    domain = re.findall(r"[a-z0-9][\w-]*", match.group(0).lower())[1:2]
    return local not in _PROSE_WORDS and not (set(domain) & _PROSE_WORDS)


def _location_check(match: re.Match[str]) -> bool:
    lat, lon = float(match.group(1)), float(match.group(2))
    return abs(lat) <= 90 and abs(lon) <= 180 and (abs(lat) >= 1 or abs(lon) >= 1)


def _long_digits_check(match: re.Match[str]) -> bool:
    """Any other run of 9+ digits could be a phone or an account number, unless it is plainly a
    decimal (one dot or comma), a date (perhaps with its hour) or an ISBN."""
    text = match.group(0)
    if _digits(text) < 9:
        return False
    separators = [c for c in text if not c.isdigit()]
    if separators in (["."], [","]):
        return False  # 3.14159265, 1234567.89
    if re.fullmatch(r"\d{4}([-./])\d{1,2}\1\d{1,2}(?: \d{1,2})?|\d{1,2}([-./])\d{1,2}\2\d{4}(?: \d{1,2})?", text):
        return False
    before = match.string[max(0, match.start() - 12):match.start()].lower()
    return not (isbn_ok(text) and ("isbn" in before or _digits(text) == 13))


def _first(char: str, not_after: str) -> str:
    """A pattern's first character, not preceded by one of ``not_after``: the class comes first so that
    a search skips quickly to where it can start (a leading look-behind makes ``re`` try every position)."""
    return f"{char}(?<!{not_after}{char})"


_NUM = r"[\w.,+/:-]"  # a digit run starts where no word, decimal, sign or longer number goes on
_NUM_END = r"(?![\w]|[ _./:,-]?\d)"
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_DATE = (r"(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}"
         r"|\d{1,2}(?:st|nd|rd|th)?\s{1,3}" + _MONTHS + r",?\s{1,3}\d{4}"
         r"|" + _MONTHS + r"\s{1,3}\d{1,2}(?:st|nd|rd|th)?,?\s{1,3}\d{4})")
_LABEL = r"[a-z0-9][\w-]{0,62}"
_AT_WORD = r"\s{1,3}at\s{1,3}"
_AT_SIGN = r"\s{0,3}[\[({<]\s?at\s?[\])}>]\s{0,3}"
_DOT = r"(?:\s{1,3}dot\s{1,3}|\s{0,3}[\[({<]\s?dot\s?[\])}>]\s{0,3})"
_HEX = "[0-9A-Fa-f]{1,4}"
_IPV6 = "|".join((
    rf"(?:{_HEX}:){{7}}{_HEX}",
    rf"(?:{_HEX}:){{1,7}}:(?!:)",
    rf"(?:{_HEX}:){{1,6}}:{_HEX}",
    rf"(?:{_HEX}:){{1,5}}(?::{_HEX}){{1,2}}",
    rf"(?:{_HEX}:){{1,4}}(?::{_HEX}){{1,3}}",
    rf"(?:{_HEX}:){{1,3}}(?::{_HEX}){{1,4}}",
    rf"(?:{_HEX}:){{1,2}}(?::{_HEX}){{1,5}}",
    rf"{_HEX}:(?::{_HEX}){{1,6}}",
    rf"::(?:{_HEX}:){{0,5}}{_HEX}",
))
_IPV6_FULL = rf"(?:{_HEX}:){{7}}{_HEX}"
# key = value, key: "value", key=value; in JSON, config files, connection strings and query strings
SECRET_KEYS = tuple(k.replace("_", sep) for k in (
    "password", "passwd", "pwd", "pass", "secret", "client_secret", "api_key", "access_key", "secret_key",
    "auth_token", "access_token", "refresh_token", "token", "private_key_id", "private_key", "accountkey",
    "sharedaccesskey", "sharedaccesssignature", "sig", "aws_secret_access_key", "aws_session_token")
    for sep in ("_", "-", ""))
_SECRET_VALUE = re.compile(r"[\"']?\s{0,3}[:=]\s{0,3}(?:\"([^\"\n]{1,2000})\"|'([^'\n]{1,2000})'"
                           r"|([^\s\"';,&<>]{1,2000}))")


def _secret_value(match: re.Match[str]) -> tuple[int, int] | None:
    """The value after a secret's key (password=..., "api_key": "...", AccountKey=...;), or None."""
    text, end = match.string, match.end()
    before = text[max(0, end - 24):end].lower()
    key = next((k for k in SECRET_KEYS if before.endswith(k)), None)
    if key is None or (end - len(key) > 0 and text[end - len(key) - 1].isalnum()):
        return None
    value = _SECRET_VALUE.match(text, end)
    if value is None:
        return None
    group = next(g for g in (1, 2, 3) if value.group(g) is not None)
    return value.span(group)
_TOKEN_START = "[A-Za-z0-9_]"

MASK_RULES: tuple[MaskRule, ...] = (
    # a PEM private key, header to footer (the footer may be cut off); escaped newlines as JSON holds them
    MaskRule("secret", re.compile(r"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY-----(?:[A-Za-z0-9+/=\s]|\\n|\\r"
                                  r"|Proc-Type:[^\n\\]{0,80}|DEK-Info:[^\n\\]{0,80})*+"
                                  r"(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY-----)?"), trigger=("private key",)),
    # a key's base64 body without its header: DER starts MII (RSA, PKCS#8), MC4CAQ (Ed25519), MHcCAQ (EC)
    MaskRule("secret", re.compile(r"M(?<![A-Za-z0-9+/]M)(?:II|C4CAQ|HcCAQ)[A-Za-z0-9+/]{30,}+={0,2}"
                                  r"(?:(?:\s|\\n)++[A-Za-z0-9+/]{16,}+={0,2})*+"), trigger=("mii", "mc4caq", "mhccaq")),
    # a password in a URL or connection string: scheme://user:secret@host (the last @ ends the secret)
    MaskRule("secret", re.compile(r"://[^\s:/@]{0,200}:([^\s]{1,500})@(?=[^\s@]{0,500}(?:\s|$))"), group=1,
             check=_scheme_check, trigger=("://",)),
    MaskRule("secret", re.compile(r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{1,300}",
                                  re.IGNORECASE), trigger=("hooks.slack",)),
    # key=value pairs: the value up to the quote that closes it, or to a separator
    MaskRule("secret", re.compile(r"(?i)[dstyng](?=[\"']?\s{0,3}[:=])"), spans=_secret_value),
    MaskRule("secret", re.compile(_first("A", "[A-Za-z0-9]") + r"(?:KIA|SIA|GPA|IDA|ROA|NPA)[0-9A-Z]{16}"
                                  r"(?![A-Za-z0-9])")),
    MaskRule("secret", re.compile(_first("[A-Za-z0-9/+]", "[A-Za-z0-9/+=]") + r"[A-Za-z0-9/+]{39}(?![A-Za-z0-9/+=])"),
             check=_aws_secret_check, trigger=("aws", "secret", "access", "/", "+")),
    # OpenAI keys (sk-..., sk-proj-...), bearer tokens, Twilio API keys
    MaskRule("secret", re.compile(_first("s", _TOKEN_START) + r"k-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,255}"),
             trigger=("sk-",)),
    MaskRule("secret", re.compile(r"(?i)\bbearer\s{1,3}([A-Za-z0-9._~+/-]{16,4000}=*)"), group=1, trigger=("bearer",)),
    MaskRule("secret", re.compile(_first("S", _TOKEN_START) + r"K[0-9a-fA-F]{32}(?![A-Za-z0-9])")),
    MaskRule("secret", re.compile(_first("g", _TOKEN_START) + r"ithub_pat_[A-Za-z0-9_]{20,255}")),
    MaskRule("secret", re.compile(_first("g", _TOKEN_START) + r"h[pousr]_[A-Za-z0-9]{30,255}")),
    MaskRule("secret", re.compile(_first("x", _TOKEN_START) + r"ox[abposr]-[A-Za-z0-9-]{10,255}")),
    MaskRule("secret", re.compile(_first("[spr]", _TOKEN_START) + r"k_(?:live|test)_[A-Za-z0-9]{10,255}")),
    MaskRule("secret", re.compile(_first("w", _TOKEN_START) + r"hsec_[A-Za-z0-9+/=]{16,255}")),
    MaskRule("secret", re.compile(_first("e", "[A-Za-z0-9_-]") + r"yJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,4000}"
                                  r"\.[A-Za-z0-9_-]{0,4000}")),
    MaskRule("secret", re.compile(_first("A", "[A-Za-z0-9_-]") + r"Iza[0-9A-Za-z_-]{35}")),
    # the pattern starts at @; the local part before it is taken by ``left``
    MaskRule("email", re.compile(r"@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])"),
             left=_LOCAL_PART, trigger=("@",)),
    # jane at example dot com, jane [at] example [dot] com, jane(at)example.com
    MaskRule("email", re.compile(r"(?i)(?:" + _AT_WORD + _LABEL + r"(?:" + _DOT + _LABEL + r"){0,4}" + _DOT
                                 + r"[a-z]{2,12}|" + _AT_SIGN + _LABEL + r"(?:(?:" + _DOT + r"|\.)" + _LABEL
                                 + r"){0,4}(?:" + _DOT + r"|\.)[a-z]{2,12})(?!\w)"),
             left=_LOCAL_PART, check=_spelled_email_check, trigger=("at",)),
    MaskRule("iban", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")),
    MaskRule("iban", re.compile(r"(?i)([a-z]{2}\d{2}(?:[ -]?[a-z0-9]){11,30}+)"), group=1, fit=_iban_fit,
             not_after="[A-Za-z0-9]"),
    MaskRule("date_of_birth", re.compile(r"(?i)\b(?:born(?:\s{1,3}on)?|d\.?o\.?b\.?|date\s{1,3}of\s{1,3}birth"
                                         r"|birth\s{0,3}date|birthdate|birthday|geboren(?:\s{1,3}am)?|n[ée]e?\s{1,3}le)"
                                         r"\s{0,3}[:=-]?\s{0,3}(" + _DATE + r")"), group=1,
             trigger=("born", "dob", "d.o.b", "birth", "geboren", "né", "ne le")),
    MaskRule("location", re.compile(r"([-+]?\d{1,2}\.\d{4,15})\s{0,3}°?\s{0,3}[NS]?\s{0,3}[,;/]\s{0,3}"
                                    r"([-+]?\d{1,3}\.\d{4,15})\s{0,3}°?\s{0,3}[EW]?(?![\w.]|\s{0,3},\s{0,3}[-+]?\d)"),
             not_after=r"[\w.,+-]", check=_location_check, trigger=(".",)),
    MaskRule("ip_address", re.compile(r"(?:" + _IPV6 + r")(?![\w:]|\.\d)"), not_after=r"[\w:.]", trigger=("::",),
             check=lambda m: len(m.group(0)) >= 6 and any(c.isdigit() for c in m.group(0))),  # not a::b
    MaskRule("ip_address", re.compile(r"(?:" + _IPV6_FULL + r")(?![\w:]|\.\d)"), not_after=r"[\w:.]", trigger=(":",)),
    MaskRule("mac_address", re.compile(_first("[0-9A-Fa-f]", r"[\w:.-]") + r"[0-9A-Fa-f]([:-])(?:[0-9A-Fa-f]{2}\1){4}"
                                       r"[0-9A-Fa-f]{2}(?![\w:.-])|" + _first("[0-9A-Fa-f]", r"[\w.]")
                                       + r"[0-9A-Fa-f]{3}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w.])")),
    MaskRule("ip_address", re.compile(VALUE_PATTERNS["ip_address"])),
    # a UK national insurance number, an Indian PAN
    MaskRule("national_id", re.compile(r"(?i)" + _first("[A-CEGHJ-PR-TW-Z]", "[A-Za-z0-9]")
                                       + r"[A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])")),
    MaskRule("national_id", re.compile(r"(?i)" + _first("[a-z]", "[A-Za-z0-9]")
                                       + r"[a-z]{2}[pcfhatblgj][a-z]\d{4}[a-z](?![A-Za-z0-9])")),
    MaskRule("national_id", re.compile(VALUE_PATTERNS["national_id"])),
    MaskRule("payment_card", re.compile(_first(r"\d", _NUM) + r"(?:[ \u00a0_./-]?\d){12,18}+" + _NUM_END),
             check=lambda m: card_grouped(m.group(0)) and luhn_ok(m.group(0))),
    MaskRule("national_id", re.compile(_first("[2-9]", _NUM) + r"\d{3}[ -]?\d{4}[ -]?\d{4}" + _NUM_END),
             check=lambda m: aadhaar_ok(m.group(0))),  # Aadhaar
    MaskRule("national_id", re.compile(_first("[1-9]", _NUM) + r"\d(?: ?\d{3}){3}" + _NUM_END),
             check=lambda m: german_tax_id_ok(m.group(0))),  # a German tax id
    MaskRule("passport", re.compile(r"(?i)(?:passport|passeport|pasaporte|reisepass)(?:[\s_]{0,3}(?:no|nr|number|num|#)"
                                    r"\.?)?[\s_]{0,3}[:#=_-]?[\s_]{0,3}((?=[a-z]{0,3}\d)[a-z0-9]{6,9})(?![A-Za-z0-9])"),
             group=1, trigger=("pass",)),
    MaskRule("phone", re.compile(VALUE_PATTERNS["phone"])),
    # a house number, one to four capitalised words and a street type, then perhaps a town and a postcode
    MaskRule("street_address", re.compile(
        r"\b\d{1,5}[A-Za-z]?,?[ \t]{1,3}(?:[A-Z][A-Za-z'.-]{0,30}[ \t]{1,3}){1,4}(?:" + _STREET_TYPES + r")\b\.?"
        r"(?:,?[ \t]{1,3}(?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.?[ \t]{0,3}[A-Za-z0-9-]{1,8})?"
        r"(?:,[ \t]{0,3}[A-Z][a-z'-]{1,30}(?:[ \t][A-Z][a-z'-]{1,30}){0,2})?"
        r"(?:,?[ \t]{1,3}(?:[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]{2}[ \t]{1,3}\d{5}(?:-\d{4})?|\d{5}(?:-\d{4})?)\b)?"),
             trigger=tuple(f" {t.lower()}" for t in _STREET_TYPES.split("|"))),
    # any other long run of digits could be a phone or an account number
    MaskRule("phone", re.compile(_first(r"[(\d]", r"[\w.,/:+-]") + r"(?<=[(\d])\d?[\d ().-]{6,30}\d"
                                 r"(?![\w]|[.,/:-]\d)"), check=_long_digits_check),
)
# the rules that find a value in a NAME (of a column, a file, a sheet, a class): all but the catch-all run of
# digits (20230101 in a file name is a date)
NAME_MASK_RULES = MASK_RULES[:-1]


def _span(rule: MaskRule, match: re.Match[str]) -> tuple[int, int] | None:
    """The span a match of the rule replaces, or None when it holds no value after all."""
    if rule.spans is not None:
        return rule.spans(match)
    if rule.not_after and match.start() and re.match(rule.not_after, match.string[match.start() - 1]):
        return None
    if rule.check is not None and not rule.check(match):
        return None
    group = rule.group
    if group < 0:  # the first of the alternative groups that matched
        group = next((g for g in range(1, (match.re.groups or 0) + 1) if match.group(g) is not None), 0)
    start, end = match.span(group)
    if rule.fit is not None:
        end = start + rule.fit(match, group)
        if end == start:
            return None
    if rule.left:
        start = _left_start(match.string, start, rule.left)
        while start < match.start() and not match.string[start].isalnum():
            start += 1  # a local part starts with a letter or digit
        if start == match.start():
            return None
    return start, end


def _replace(rule: MaskRule, text: str) -> str:
    out: list[str] = []
    last = 0
    for match in rule.pattern.finditer(text):
        span = _span(rule, match)
        if span is None or span[0] < last:
            continue
        out += [text[last:span[0]], f"[{rule.kind}]"]
        last = span[1]
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _runs(rule: MaskRule, lowered: str) -> bool:
    return not rule.trigger or any(word in lowered for word in rule.trigger)


def mask(text: str) -> str:
    """Free text with every personal-data pattern replaced by its kind, e.g. ``[email]``.

    Every pattern is bounded, or starts at a literal, so a long cell costs linear time."""
    for rule in MASK_RULES:
        if _runs(rule, text.lower()):
            text = _replace(rule, text)
    return text


def kinds_in(text: str) -> list[str]:
    """The kinds of personal data found in free text, in the order the masks look for them."""
    found = []
    lowered = text.lower()
    for rule in NAME_MASK_RULES:
        if _runs(rule, lowered) and _replace(rule, text) != text:
            found.append(rule.kind)
    return found


# words that make a two- or three-word capitalised name a thing, not a person (Grace Period, Nova Scotia)
_NAME_OF_THING_WORDS = NOT_PERSON_WORDS | THING_NAMES | TITLE_WORDS | QUALIFIERS | frozenset("""
period speed length width height depth weight size price cost value rate ratio score level grade rank age year
month week day hour minute second total sum mean average median min max range count number amount balance
income revenue sales profit loss margin growth share index change time date status type class label target
flag id code name title note notes comment description text summary result output input feature variable
scotia zealand jersey york orleans england wales ireland scotland island coast valley beach bay hill hills
""".split())


def _person_shaped(text: str) -> bool:
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


def name_kind(text: str) -> str | None:
    """The kind of personal data a NAME of a thing holds (a column, file, sheet or label class name,
    a category), or None. Names *about* personal data (``customer_email``, ``card_number``) are not
    personal data: only a value written in the name counts."""
    if not text:
        return None
    found = kinds_in(text) or kinds_in(_split_name(text))
    if found:
        return found[0]
    if _person_shaped(_split_name(text)):
        return "person_name"
    if _NAME_PHONE.search(text) and _replace(MASK_RULES[-1], text) != text:
        return "phone"  # (474) 806-4083, 07470 764803: digits grouped as phones are, not a date or a stamp
    return "person_name" if _person_shaped(text) else None


def _split_name(text: str) -> str:
    """A name with its joins made spaces: the extension dropped, ``_``, ``=`` and a dot between two
    capitalised words split, letters split from digits (``card4111...``, ``Jane_Doe.csv``)."""
    stem = re.sub(r"(?:\.[A-Za-z0-9]{1,5}){1,2}$", "", text)
    stem = re.sub(r"[_=]+", " ", stem)
    stem = re.sub(r"(?<=[a-z])\.(?=[A-Z])", " ", stem)
    return re.sub(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z]{3})", " ", stem)


# a run of digits in a name that is written like a phone number: parentheses, a leading 0 or +, or groups
_NAME_PHONE = re.compile(r"\(\d{2,5}\)|(?<![\d])[+0]\d{2,5}[ .-]?\d{3,}|(?<![\d.])\d{3}[ .-]\d{3}[ .-]\d{4}(?!\d)")
