"""What personal data looks like: column names that prove it or hint at it, and value patterns."""

from __future__ import annotations

import re

from readiness.profile.headers import snake

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
STREET_TYPES = ("St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Lane|Ln|Dr|Drive|Way|Ct|Court|Pl|Place|Sq|Square"
                 "|Ter|Terrace|Cres|Crescent|Close|Hwy|Highway|Pkwy|Parkway|Cir|Circle|Trl|Trail")
FULL_VALUE_PATTERNS: dict[str, str] = {
    "phone": r"\+?[0-9(][0-9 ().\-/]{5,22}[0-9]",
    # a house number, one to five capitalised words, a street type, then perhaps a unit, a town, a postcode
    "street_address": (r"\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'.-]*\s+){1,5}(?:" + STREET_TYPES + r")\.?"
                       r"(?:(?:,\s*|\s+)(?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.?\s*[A-Za-z0-9-]+)?"
                       r"(?:,\s*[A-Za-z][A-Za-z .'-]*(?:,?\s*[A-Z0-9][A-Z0-9 -]{1,9})?)?"),
}
SECRET_KINDS = frozenset({"secret"})
DIGIT_KINDS = frozenset({"national_id", "payment_card", "ip_address", "phone", "iban"})
# a plain number with a fraction (not 4155551234.0, a phone number once read as a float): a column
# of them holds measurements, not cards or phone numbers
DECIMAL = r"\s*[-+]?\d*\.\d*[1-9]\d*(?:[eE][-+]?\d+)?\s*"
NUMBER = r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*"
TITLE_WORDS = frozenset({"title", "titles", "movie", "film", "book", "song", "album", "show", "series", "episode",
                         # companies are often named after people (Ralph Lauren, John Deere)
                         "firm", "firms", "maker", "make", "manufacturer", "vendor", "supplier", "employer",
                         "publisher", "studio", "agency", "sponsor", "label", "franchise", "chain", "fund"})


def kind_by_name(column: str) -> str | None:
    """The kind of personal data a column's name alone proves, or None. A qualifier beside the kind
    (ssn_flag, phone_type, email_verified, has_email) makes the column about the data, not the data."""
    token = snake(column)
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
    token = snake(column)
    if re.search(NAME_HINT, token) is None or kind_by_name(column) is not None:
        return False
    words = token.split("_")
    if words[0] in QUALIFIER_PREFIXES or any(w in QUALIFIERS for w in words[1:]):
        return False
    thing = "_".join(words[:-1])
    return not (thing in THING_NAMES or (len(words) > 1 and words[-2] in THING_NAMES))



def about_things(column: str) -> bool:
    """A column whose name says it is about things (product, city, title, ...), never people."""
    return any(word in THING_NAMES or word in TITLE_WORDS for word in snake(column).split("_"))

