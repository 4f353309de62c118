"""Personal data and secrets: found by column name and by value pattern.

Only counts and kinds leave this module; matched values are never returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from readiness import fastre, formats

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


def detect(column: str, counts: pd.Series, non_missing: int, *, forced: bool = False,
           ignored: bool = False) -> PiiVerdict:
    """Classify a column from its name and its distinct text values (index) with their counts."""
    if ignored:
        return PiiVerdict(None, {})
    by_name = kind_by_name(column)
    texts = formats.distinct_values(counts)
    weights = counts.to_numpy()
    if by_name is not None and not forced:
        if not non_missing:
            return PiiVerdict(None, {})  # a personal-data column left empty holds nobody's data
        if not _clearly_not(by_name, texts, weights):
            # a column named as personal data is personal whatever its values: no need to look at them all
            return PiiVerdict(by_name, {by_name: non_missing}, non_missing)
        by_name = None
    elif by_name is None and not forced and len(texts) and name_hint(column):
        if _person_name_share(texts, weights) >= PERSON_NAME_MIN:
            return PiiVerdict("person_name", {"person_name": non_missing}, non_missing)
    elif by_name is None and not forced and len(texts) >= UNNAMED_NAMES_MIN_DISTINCT and not _about_things(column):
        # a column whose name says nothing (ehead, winner_of_1990) is judged on its values alone, more strictly
        if _person_name_share(texts, weights, other_scripts=False) >= UNNAMED_NAMES_MIN:
            return PiiVerdict("person_name", {"person_name": non_missing}, non_missing)
    matched: dict[str, int] = {}
    any_hit = np.zeros(len(texts), dtype=bool)
    if len(texts) and by_name is None:
        token = _tokens(column)
        whole = {} if re.search(NOT_ADDRESS_NAMES, token) else {"street_address": FULL_VALUE_PATTERNS["street_address"]}
        # one pass finds the few values that could hold anything; each kind then runs on those only
        maybe = fastre.candidates(texts, list(VALUE_PATTERNS.values()), list(whole.values()))
        subset = texts[maybe]
        found: dict[str, np.ndarray] = {}
        for kind in VALUE_PATTERNS:
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
        for kind, pattern in whole.items():
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
    return PiiVerdict(None, matched, total)


# kinds a column of numbers can hold: a phone, an SSN or a card number read as an integer, a birth date
NUMBER_KINDS = frozenset({"phone", "national_id", "payment_card", "date_of_birth", "secret"})


def detect_numbers(column: str, series: pd.Series, non_missing: int, *, forced: bool = False,
                   ignored: bool = False) -> PiiVerdict:
    """Classify a column that is not text (numbers, booleans, dates) from its name, with its values
    to refute the name: ``ip`` holding industrial production (decimals) is no IP address, ``ssn``
    holding 0/1 no social security number. Values that are not text match no pattern."""
    by_name = None if ignored else kind_by_name(column)
    if ignored or (by_name is None and not forced):
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


MASKS = (
    ("secret", VALUE_PATTERNS["secret"]),
    ("email", VALUE_PATTERNS["email"]),
    ("iban", VALUE_PATTERNS["iban"]),
    ("national_id", VALUE_PATTERNS["national_id"]),
    ("payment_card", VALUE_PATTERNS["payment_card"]),
    ("ip_address", VALUE_PATTERNS["ip_address"]),
    ("phone", VALUE_PATTERNS["phone"]),
    ("phone", r"\b\d[\d ().-]{7,}\d\b"),  # any other long run of digits could be a phone or an account
)


def mask(text: str) -> str:
    """Free text with every personal-data pattern replaced by its kind, e.g. ``[email]``."""
    for kind, pattern in MASKS:
        text = re.sub(pattern, f"[{kind}]", text)
    return text
