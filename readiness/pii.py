"""Personal data and secrets: found by column name and by value pattern.

Only counts and kinds leave this module; matched values are never returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from readiness import fastre, formats

# column-name tokens (after lower-casing and splitting on non-alphanumerics) -> kind
NAME_RULES: tuple[tuple[str, str], ...] = (
    (r"(^|_)(e_?mail|email_address)($|_)", "email"),
    (r"(^|_)(phone|mobile|telephone|tel|msisdn|whatsapp_number)($|_)", "phone"),
    (r"(^|_)(ssn|social_security(_number)?|national_id|nino|passport(_number)?|tax_id)($|_)", "national_id"),
    (r"(^|_)(first_name|last_name|full_name|given_name|family_name|surname|customer_name|contact_name|person_name|name)$", "person_name"),
    (r"(^|_)(address|street|street_address|addr|address_line\d?|home_address)($|_)", "street_address"),
    (r"(^|_)(dob|date_of_birth|birth_date|birthdate|birthday)($|_)", "date_of_birth"),
    (r"(^|_)(ip|ip_address|ipv4|ipv6|client_ip)($|_)", "ip_address"),
    (r"(^|_)(iban|bank_account|account_number)($|_)", "iban"),
    (r"(^|_)(credit_card|card_number|cc_number)($|_)", "payment_card"),
    (r"(^|_)(password|passwd|pwd|secret|api_key|apikey|access_key|secret_key|token|auth_token|access_token)($|_)", "secret"),
)

SECRET_PATTERNS = (
    r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b",
    r"\bAKIA[0-9A-Z]{16}\b",
    r"\bgh[pousr]_[A-Za-z0-9]{30,}\b",
    r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b",
    r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b",
    r"\bAIza[0-9A-Za-z_-]{35}\b",
)

VALUE_PATTERNS: dict[str, str] = {
    # the look-behind makes a search start only where a run begins: linear time on long texts
    "email": r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
    "national_id": r"\b\d{3}-\d{2}-\d{4}\b",
    "payment_card": r"\b(?:\d[ -]?){12,18}\d\b",
    "iban": r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b",
    "ip_address": r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b",
    "phone": r"(?<![\w-])\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?![\w-])",
    "secret": "|".join(f"(?:{p})" for p in SECRET_PATTERNS),
}
FULL_VALUE_PATTERNS: dict[str, str] = {
    "phone": r"\+?[0-9(][0-9 ().\-/]{5,22}[0-9]",
    "street_address": r"\d{1,5}\s+\w+(?:\s\w+)*\s(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Lane|Ln|Dr|Drive|Way|Ct|Court)\b.*",
}
SECRET_KINDS = frozenset({"secret"})


def kind_by_name(column: str) -> str | None:
    token = re.sub(r"[^a-z0-9]+", "_", re.sub(r"([a-z])([A-Z])", r"\1_\2", column)).strip("_").lower()
    for pattern, kind in NAME_RULES:
        if re.search(pattern, token):
            return kind
    return None


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


VALIDATORS = {"payment_card": luhn_ok, "iban": iban_ok}


def _matches(texts: pd.Series, kind: str) -> pd.Series:
    """Which distinct texts contain a value of this kind (checked with Luhn/mod-97 where it applies)."""
    pattern = VALUE_PATTERNS[kind]
    hits = pd.Series(fastre.search(texts, pattern), index=texts.index)
    validator = VALIDATORS.get(kind)
    if validator is not None and hits.any():
        candidates = texts[hits]
        confirmed = candidates.map(lambda t: any(validator(m) for m in re.findall(pattern, t)))
        hits = hits & confirmed.reindex(texts.index, fill_value=False).astype(bool)
    return hits


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
    matched: dict[str, int] = {}
    any_hit = pd.Series(False, index=texts.index).to_numpy()
    # a column named as personal data is personal whatever its values: no need to look at them
    whole = {kind: pattern for kind, pattern in FULL_VALUE_PATTERNS.items() if kind != "phone" or by_name == "phone"}
    if len(texts) and by_name is None:
        # one pass finds the few values that could hold anything; each kind then runs on those only
        maybe = fastre.candidates(texts, list(VALUE_PATTERNS.values()), list(whole.values()))
        subset = texts[maybe]
        for kind in VALUE_PATTERNS:
            hits = np.zeros(len(texts), dtype=bool)
            hits[maybe] = _matches(subset, kind).to_numpy()
            any_hit = any_hit | hits
            if hits.any():
                matched[kind] = int(weights[hits].sum())
        for kind, pattern in whole.items():
            hits = np.zeros(len(texts), dtype=bool)
            hits[maybe] = fastre.fullmatch(subset, pattern)
            any_hit = any_hit | hits
            if hits.any():
                matched[kind] = max(matched.get(kind, 0), int(weights[hits].sum()))
    if by_name is not None or forced:
        kind = by_name or (max(matched, key=lambda k: matched[k]) if matched else "personal")
        # a named column is personal data through and through: every present value counts
        return PiiVerdict(kind, {kind: non_missing}, non_missing)
    total = int(weights[any_hit].sum()) if len(texts) else 0
    dominant = max(matched, key=lambda k: matched[k]) if matched else None
    if dominant is not None and non_missing and matched[dominant] / non_missing >= 0.5:
        return PiiVerdict(dominant, matched, total)
    return PiiVerdict(None, matched, total)


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
