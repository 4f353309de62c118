"""Masking: personal data and secrets in free text replaced by their kind (``[email]``), and the
kind of personal data a name of a thing holds."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from readiness.profile.pii.names import person_shaped
from readiness.profile.pii.numbers import (
    aadhaar_ok,
    card_grouped,
    german_tax_id_ok,
    iban_ok,
    isbn_ok,
    luhn_ok,
)
from readiness.profile.pii.patterns import STREET_TYPES, VALUE_PATTERNS


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
        r"\b\d{1,5}[A-Za-z]?,?[ \t]{1,3}(?:[A-Z][A-Za-z'.-]{0,30}[ \t]{1,3}){1,4}(?:" + STREET_TYPES + r")\b\.?"
        r"(?:,?[ \t]{1,3}(?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.?[ \t]{0,3}[A-Za-z0-9-]{1,8})?"
        r"(?:,[ \t]{0,3}[A-Z][a-z'-]{1,30}(?:[ \t][A-Z][a-z'-]{1,30}){0,2})?"
        r"(?:,?[ \t]{1,3}(?:[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]{2}[ \t]{1,3}\d{5}(?:-\d{4})?|\d{5}(?:-\d{4})?)\b)?"),
             trigger=tuple(f" {t.lower()}" for t in STREET_TYPES.split("|"))),
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



def name_kind(text: str) -> str | None:
    """The kind of personal data a NAME of a thing holds (a column, file, sheet or label class name,
    a category), or None. Names *about* personal data (``customer_email``, ``card_number``) are not
    personal data: only a value written in the name counts."""
    if not text:
        return None
    found = kinds_in(text) or kinds_in(_split_name(text))
    if found:
        return found[0]
    if person_shaped(_split_name(text)):
        return "person_name"
    if _NAME_PHONE.search(text) and _replace(MASK_RULES[-1], text) != text:
        return "phone"  # (474) 806-4083, 07470 764803: digits grouped as phones are, not a date or a stamp
    return "person_name" if person_shaped(text) else None


def _split_name(text: str) -> str:
    """A name with its joins made spaces: the extension dropped, ``_``, ``=`` and a dot between two
    capitalised words split, letters split from digits (``card4111...``, ``Jane_Doe.csv``)."""
    stem = re.sub(r"(?:\.[A-Za-z0-9]{1,5}){1,2}$", "", text)
    stem = re.sub(r"[_=]+", " ", stem)
    stem = re.sub(r"(?<=[a-z])\.(?=[A-Z])", " ", stem)
    return re.sub(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z]{3})", " ", stem)


# a run of digits in a name that is written like a phone number: parentheses, a leading 0 or +, or groups
_NAME_PHONE = re.compile(r"\(\d{2,5}\)|(?<![\d])[+0]\d{2,5}[ .-]?\d{3,}|(?<![\d.])\d{3}[ .-]\d{3}[ .-]\d{4}(?!\d)")
