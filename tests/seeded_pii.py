"""A seeded generator of valid personal values and secrets, planted in a dataset folder in 7 placements.

Written from issue 15 as an attacker would, without reading the masking code: every value is valid
for its kind (Luhn, mod-97, Verhoeff, ISO 7064 check digits), and each one is placed once, so a
value found in a shareable byte says which kind and which placement leaked. ``scan`` greps text for
every value in its escaped and normalised forms (JSON, HTML, Markdown, URL, digits-only, compact),
and for a secret any 8-character piece of its secret part.
"""

from __future__ import annotations

import base64
import html
import ipaddress
import json
import random
import re
import string
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path

PLACEMENTS = ("free_text", "column_name", "file_name", "sheet_name", "label_class", "category", "numeric")
WINDOW = 8  # a secret leaks when any WINDOW characters of its secret part appear


@dataclass(frozen=True)
class Seed:
    """One planted value: its kind, where it was put, and what counts as finding it."""

    kind: str
    value: str  # as written into the dataset
    secret: tuple[str, ...] = ()  # secret parts: any WINDOW-long piece of one is a leak
    forms: tuple[str, ...] = ()  # other forms of the same value (compact, digits-only, decoded)
    known_limit: bool = False  # documented as not masked (a person's name inside free text)
    placement: str = ""
    where: str = ""  # the dataset file (and column or sheet) it was written to


@dataclass
class Planted:
    """The dataset folder and everything planted in it."""

    root: Path
    seeds: list[Seed] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every data file written, relative to root
    other_files: list[str] = field(default_factory=list)  # files that are not data (listed as skipped)
    tables: int = 0

    def add(self, seed: Seed, placement: str, where: str) -> Seed:
        placed = Seed(seed.kind, seed.value, seed.secret, seed.forms, seed.known_limit, placement, where)
        self.seeds.append(placed)
        return placed


# ---------------------------------------------------------------- check digits


def luhn_complete(prefix: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(prefix)):
        digit = int(ch)
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return prefix + str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return luhn_complete(number[:-1]) == number


def iban_check(country: str, bban: str) -> str:
    rearranged = (bban + country + "00").upper()
    number = int("".join(str(int(c, 36)) for c in rearranged))
    return f"{country}{98 - number % 97:02d}{bban}"


def iban_valid(iban: str) -> bool:
    compact = iban.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]
_VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_complete(prefix: str) -> str:
    check = 0
    for i, ch in enumerate(reversed(prefix + "0")):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(ch)]]
    return prefix + str(_VERHOEFF_INV[check])


def verhoeff_valid(number: str) -> bool:
    check = 0
    for i, ch in enumerate(reversed(number)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(ch)]]
    return check == 0


def de_tax_id_complete(first10: str) -> str:
    """ISO 7064 MOD 11,10 check digit of the German Steuer-IdNr."""
    product = 10
    for ch in first10:
        total = (int(ch) + product) % 10 or 10
        product = (total * 2) % 11
    check = 11 - product
    return first10 + str(0 if check == 10 else check)


def de_tax_id_valid(number: str) -> bool:
    head = number[:10]
    counts = sorted((head.count(d) for d in set(head)), reverse=True)
    return (len(number) == 11 and number[0] != "0" and counts[0] in (2, 3) and all(c == 1 for c in counts[1:])
            and de_tax_id_complete(head) == number)


# ---------------------------------------------------------------- kinds

ALNUM = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"
FIRST = ["Amelia", "Bartholomew", "Cordelia", "Desmond", "Evangeline", "Fitzgerald", "Guinevere", "Horatio"]
LAST = ["Abernathy", "Blackwood", "Castellanos", "Dunleavy", "Everhart", "Fairweather", "Gallagher"]
STREETS = ["Maple", "Juniper", "Wexford", "Harrowgate", "Linden", "Calloway", "Brookfield"]


class Gen:
    """Makes valid values of every kind from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.counter = 0

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rnd.choice(alphabet) for _ in range(n))

    def digits(self, n: int, first_nonzero: bool = False) -> str:
        head = str(self.rnd.randint(1, 9)) if first_nonzero else ""
        return head + self.chars(string.digits, n - len(head))

    def unique(self) -> int:
        self.counter += 1
        return self.counter

    # -- national ids
    def nino_parts(self) -> tuple[str, str, str]:
        bad_first, bad_pairs = set("DFIQUV"), {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
        while True:
            prefix = self.rnd.choice([c for c in string.ascii_uppercase if c not in bad_first])
            prefix += self.rnd.choice([c for c in string.ascii_uppercase if c not in bad_first | {"O"}])
            if prefix not in bad_pairs:
                return prefix, self.digits(6), self.rnd.choice("ABCD")

    def nino(self) -> Seed:
        p, d, s = self.nino_parts()
        return Seed("uk_nino", f"{p}{d}{s}")

    def nino_spaced(self) -> Seed:
        p, d, s = self.nino_parts()
        return Seed("uk_nino_spaced", f"{p} {d[:2]} {d[2:4]} {d[4:]} {s}", forms=(f"{p}{d}{s}",))

    def pan(self) -> Seed:
        value = self.chars(string.ascii_uppercase, 3) + self.rnd.choice("PCHFATBLJG")
        value += self.chars(string.ascii_uppercase, 1) + self.digits(4) + self.chars(string.ascii_uppercase, 1)
        return Seed("in_pan", value)

    def aadhaar_digits(self) -> str:
        return verhoeff_complete(str(self.rnd.randint(2, 9)) + self.digits(10))

    def aadhaar(self) -> Seed:
        d = self.aadhaar_digits()
        return Seed("in_aadhaar", f"{d[:4]} {d[4:8]} {d[8:]}", forms=(d,))

    def de_tax_digits(self) -> str:
        pool = list(string.digits)
        self.rnd.shuffle(pool)
        while pool[0] == "0":
            self.rnd.shuffle(pool)
        head = pool[:9]
        head.insert(self.rnd.randint(1, 9), self.rnd.choice(head))
        number = de_tax_id_complete("".join(head))
        assert de_tax_id_valid(number), number
        return number

    def de_tax(self) -> Seed:
        d = self.de_tax_digits()
        return Seed("de_tax_id", d)

    def passport(self) -> Seed:
        style = self.rnd.randrange(3)
        if style == 0:
            value = self.digits(9, first_nonzero=True)  # US / UK
        elif style == 1:
            value = "C" + self.chars("CFGHJKLMNPRTVWXYZ0123456789", 8)  # German
        else:
            value = self.rnd.choice("JKLMNPRSTUVWZ") + self.digits(7, first_nonzero=True)  # Indian
        return Seed("passport", value)

    def ssn(self) -> Seed:
        area = self.rnd.choice([a for a in range(1, 900) if a != 666])
        value = f"{area:03d}-{self.rnd.randint(1, 99):02d}-{self.rnd.randint(1, 9999):04d}"
        return Seed("us_ssn", value, forms=(value.replace("-", ""),))

    # -- bank
    def bban(self, country: str) -> str:
        upper = string.ascii_uppercase
        return {
            "DE": lambda: self.digits(18),
            "GB": lambda: self.chars(upper, 4) + self.digits(14),
            "FR": lambda: self.digits(10) + self.chars(upper + string.digits, 11) + self.digits(2),
            "NL": lambda: self.chars(upper, 4) + self.digits(10),
            "ES": lambda: self.digits(20),
            "IT": lambda: self.chars(upper, 1) + self.digits(10) + self.chars(upper + string.digits, 12),
            "BE": lambda: self.digits(12),
        }[country]()

    def iban_compact(self) -> str:
        country = self.rnd.choice(["DE", "GB", "FR", "NL", "ES", "IT", "BE"])
        return iban_check(country, self.bban(country))

    def iban_lower(self) -> Seed:
        value = self.iban_compact()
        return Seed("iban_lower", value.lower(), forms=(value,))

    def iban_spaced(self, max_len: int = 99) -> Seed:
        while True:
            value = self.iban_compact()
            spaced = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
            if len(spaced) <= max_len:
                return Seed("iban_spaced", spaced, forms=(value,))

    def card_digits(self, length: int = 16, prefix: str | None = None) -> str:
        head = prefix or self.rnd.choice(["4", "51", "52", "53", "54", "55", "2221", "6011"])
        return luhn_complete(head + self.digits(length - len(head) - 1))

    def card(self, kind: str) -> Seed:
        if kind == "card_amex_4_6_5":
            d = self.card_digits(15, self.rnd.choice(["34", "37"]))
            return Seed(kind, f"{d[:4]} {d[4:10]} {d[10:]}", forms=(d,))
        if kind == "card_19_digits":
            d = self.card_digits(19, self.rnd.choice(["4", "62", "6759"]))
            return Seed(kind, d)
        d = self.card_digits()
        if kind == "card_6_10":
            return Seed(kind, f"{d[:6]} {d[6:]}", forms=(d,))
        if kind == "card_8_8":
            return Seed(kind, f"{d[:8]}-{d[8:]}", forms=(d,))
        sep = {"card_underscore": "_", "card_dot": ".", "card_slash": "/", "card_space": " ", "card_dash": "-"}[kind]
        return Seed(kind, sep.join(d[i:i + 4] for i in range(0, 16, 4)), forms=(d,))

    # -- contact
    def person(self) -> tuple[str, str]:
        return self.rnd.choice(FIRST), self.rnd.choice(LAST)

    def email(self, short: bool = False) -> Seed:
        first, last = self.person()
        if short:  # fits a sheet name (31 characters)
            return Seed("email", f"{first[0].lower()}.{last.lower()}{self.unique()}@gmx.de")
        domain = self.rnd.choice(["privatemail.example", "kestrel-mail.co.uk", "posteo.example.de"])
        return Seed("email", f"{first.lower()}.{last.lower()}{self.unique()}@{domain}")

    def email_obfuscated(self) -> Seed:
        first, last = self.person()
        user, host, tld = f"{first.lower()}{last.lower()}{self.unique()}", self.rnd.choice(["fastmail", "gmx"]), "com"
        style = self.rnd.randrange(3)
        value = [f"{user} at {host} dot {tld}", f"{user} [at] {host} [dot] {tld}", f"{user}(at){host}(dot){tld}"][style]
        return Seed("email_obfuscated", value, forms=(f"{user}@{host}.{tld}",))

    def phone_e164(self) -> Seed:
        value = self.rnd.choice(["+447", "+4915", "+3361", "+1415"]) + self.digits(9 if self.rnd.random() < .5 else 8)
        return Seed("phone_e164", value, forms=(value[1:],))

    def phone_uk(self) -> Seed:
        if self.rnd.random() < 0.5:
            value = f"07{self.digits(3)} {self.digits(6)}"
        else:
            value = f"+44 20 {self.digits(4)} {self.digits(4)}"
        return Seed("phone_uk", value, forms=(re.sub(r"\D", "", value),))

    def phone_us(self) -> Seed:
        value = f"({self.rnd.randint(201, 989)}) {self.rnd.randint(201, 989)}-{self.digits(4)}"
        return Seed("phone_us", value, forms=(re.sub(r"\D", "", value),))

    # -- network
    def ipv4(self) -> Seed:
        return Seed("ipv4", f"{self.rnd.randint(11, 223)}.{self.rnd.randint(0, 255)}.{self.rnd.randint(0, 255)}."
                            f"{self.rnd.randint(1, 254)}")

    def ipv6(self, compressed: bool) -> Seed:
        groups = ["2a02", self.chars(HEX, 4), self.chars(HEX, 4), self.chars(HEX, 4)]
        groups += ["0000", "0000", self.chars(HEX, 4), self.chars(HEX, 4)] if compressed else \
            [self.chars(HEX, 4) for _ in range(4)]
        address = ipaddress.IPv6Address(":".join(groups))
        value = address.compressed if compressed else address.exploded
        return Seed("ipv6_compressed" if compressed else "ipv6_full", value,
                    forms=(address.exploded, address.compressed))

    def mac(self, sep: str | None = None) -> Seed:
        parts = [self.chars(HEX, 2) for _ in range(6)]
        parts[0] = f"{int(parts[0], 16) & 0xFC:02x}"  # unicast, globally administered
        sep = sep or self.rnd.choice([":", "-"])
        value = sep.join(parts)
        value = value.upper() if sep == "-" else value
        return Seed("mac_address", value, forms=(":".join(parts), "-".join(parts), "".join(parts)))

    def gps(self) -> Seed:
        lat, lon = self.rnd.uniform(-55, 70), self.rnd.uniform(-179, 179)
        a, b = f"{lat:.6f}", f"{lon:.6f}"
        return Seed("gps_pair", f"{a}, {b}", forms=(a, b, f"{a},{b}"))

    # -- life
    def dob(self) -> tuple[Seed, str]:
        born = date(1940, 1, 1) + timedelta(days=self.rnd.randint(0, 60 * 365))
        layout = self.rnd.choice(["%d/%m/%Y", "%Y-%m-%d", "%B %d, %Y", "%d.%m.%Y"])
        cue = self.rnd.choice(["born on {}", "date of birth: {}", "DOB {}", "birthday {}", "d.o.b. {}"])
        value = born.strftime(layout)
        return Seed("date_of_birth", value, forms=(born.isoformat(),)), cue

    def address(self) -> tuple[Seed, str]:
        number = f"{self.rnd.randint(12, 4999)}{self.rnd.choice(['', '', 'B'])}"
        street = f"{self.rnd.choice(STREETS)} {self.rnd.choice(['Street', 'Road', 'Avenue', 'Lane'])}"
        city = self.rnd.choice(["Springfield, IL 62704", "Leeds LS6 2AB", "Bristol BS8 1TH"])
        return Seed("street_address", f"{number} {street}"), "ship to {}, " + city

    def name(self) -> Seed:
        first, last = self.person()
        return Seed("person_name", f"{first} {last}{self.rnd.choice(['son', 'ford', 'ley'])}", known_limit=True)

    # -- secrets
    def prefixed(self, kind: str, prefix: str, body: str) -> Seed:
        return Seed(kind, prefix + body, secret=(body,))

    def aws_access(self, prefix: str) -> Seed:
        return self.prefixed("aws_access_key_" + prefix.lower(), prefix, self.chars(B32, 16))

    def aws_secret(self) -> Seed:
        key = self.chars(ALNUM + "/+", 40)
        return Seed("aws_secret_key", f"aws_secret_access_key = {key}", secret=(key,))

    def github_classic(self) -> Seed:
        return self.prefixed("github_token_classic", "ghp_", self.chars(ALNUM, 36))

    def github_fine(self) -> Seed:
        return self.prefixed("github_token_fine_grained", "github_pat_", self.chars(ALNUM, 22) + "_" +
                             self.chars(ALNUM, 59))

    def slack_token(self) -> Seed:
        kind = self.rnd.choice(["xoxb-", "xoxp-"])
        return self.prefixed("slack_token", kind, f"{self.digits(12)}-{self.digits(13)}-{self.chars(ALNUM, 24)}")

    def slack_webhook(self) -> Seed:
        path = f"T{self.chars(B32, 9)}/B{self.chars(B32, 10)}/{self.chars(ALNUM, 24)}"
        return Seed("slack_webhook", "https://hooks.slack.com/services/" + path, secret=(path,))

    def stripe(self, kind: str) -> Seed:
        prefix = {"stripe_secret_key": "sk_live_", "stripe_publishable_key": "pk_live_",
                  "stripe_restricted_key": "rk_live_", "stripe_webhook_secret": "whsec_"}[kind]
        return self.prefixed(kind, prefix, self.chars(ALNUM, 32 if prefix == "whsec_" else 99))

    def google_api_key(self) -> Seed:
        return self.prefixed("google_api_key", "AIza", self.chars(ALNUM + "_-", 35))

    def pem_body(self, kind: str) -> list[str]:
        if kind == "RSA":
            der = bytes.fromhex("308204a40201000282010100") + self.rnd.randbytes(1180)
        elif kind == "EC":
            der = (bytes.fromhex("30770201010420") + self.rnd.randbytes(32) +
                   bytes.fromhex("a00a06082a8648ce3d030107a14403420004") + self.rnd.randbytes(64))
        elif kind == "OPENSSH":
            der = b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none" + self.rnd.randbytes(380)
        else:  # PKCS#8, as in a GCP service-account file
            der = bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7") + self.rnd.randbytes(1180)
        text = base64.b64encode(der).decode()
        width = 70 if kind == "OPENSSH" else 64
        return [text[i:i + width] for i in range(0, len(text), width)]

    def pem(self, kind: str) -> Seed:
        label = {"RSA": "RSA PRIVATE KEY", "EC": "EC PRIVATE KEY", "OPENSSH": "OPENSSH PRIVATE KEY"}[kind]
        lines = self.pem_body(kind)
        value = f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"
        return Seed(f"pem_private_key_{kind.lower()}", value, secret=tuple(lines))

    def gcp_service_account(self) -> Seed:
        project = f"acme-{self.rnd.choice(['prod', 'data', 'ml'])}-{self.digits(6)}"
        key_id = self.chars(HEX, 40)
        lines = self.pem_body("PKCS8")
        pem = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----\n"
        client = f"etl-runner@{project}.iam.gserviceaccount.com"
        # the key first, as above: the fields of a service-account file in an order an example shows
        value = json.dumps({"private_key_id": key_id, "private_key": pem, "client_email": client,
                            "type": "service_account", "project_id": project, "client_id": self.digits(21)})
        return Seed("gcp_service_account", value, secret=(key_id, *lines), forms=(client,))

    def azure_account_key(self) -> Seed:
        key = base64.b64encode(self.rnd.randbytes(64)).decode()
        value = (f"DefaultEndpointsProtocol=https;AccountName=acme{self.digits(4)};AccountKey={key};"
                 "EndpointSuffix=core.windows.net")
        return Seed("azure_account_key", value, secret=(key,))

    def azure_sas(self) -> Seed:
        raw = base64.b64encode(self.rnd.randbytes(32)).decode()
        sig = urllib.parse.quote(raw, safe="")
        # sig first: a packet that cuts long examples short must not hide it by the cut alone
        value = (f"https://acme{self.digits(2)}.blob.core.windows.net/o.csv?sig={sig}&sv=2022-11-02&ss=b&srt=o"
                 "&sp=r&se=2031-01-01T00:00:00Z&spr=https")
        return Seed("azure_sas_signature", value, secret=(sig, raw))

    def jwt(self) -> Seed:
        def b64url(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).decode().rstrip("=")

        first, last = self.person()
        header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        payload = b64url(json.dumps({"sub": self.digits(10), "name": f"{first} {last}",
                                     "email": f"{first.lower()}@corp.example", "iat": 1700000000 + self.unique()},
                                    separators=(",", ":")).encode())
        signature = b64url(self.rnd.randbytes(32))
        return Seed("jwt", f"{header}.{payload}.{signature}", secret=(f"{payload}.{signature}",))

    def password(self) -> str:
        return self.chars(ALNUM, 6) + self.rnd.choice("!#%^*-_~") + self.chars(ALNUM, 9)

    def url_password(self, kind: str) -> Seed:
        pw, user = self.password(), self.rnd.choice(["analyst", "etl_user", "app", "admin"])
        value = {
            "url_password_postgres": f"postgres://{user}:{pw}@db{self.digits(2)}.internal.example:5432/sales",
            "url_password_mongodb": f"mongodb+srv://{user}:{pw}@cluster0.{self.chars(HEX, 5)}.mongodb.net/prod"
                                    "?retryWrites=true&w=majority",
            "url_password_https": f"https://{user}:{pw}@files.internal.example/export.csv",
            "url_password_redis": f"redis://:{pw}@cache.internal.example:6379/0",
        }[kind]
        return Seed(kind, value, secret=(pw,))

    def ado_password(self) -> Seed:
        pw = self.password()
        key = self.rnd.choice(["Password", "Pwd"])
        value = (f"Server=tcp:acme.database.windows.net,1433;Database=prod;User ID=admin;{key}={pw};"
                 "Encrypt=True;")
        return Seed("connection_string_password", value, secret=(pw,))


# every free-text kind: a maker and the sentence around the value
FREE_TEXT: dict[str, Callable[[Gen], tuple[Seed, str]]] = {
    "uk_nino": lambda g: (g.nino(), "NI number {} on the form"),
    "uk_nino_spaced": lambda g: (g.nino_spaced(), "her national insurance is {} per payroll"),
    "in_pan": lambda g: (g.pan(), "PAN {} attached for KYC"),
    "in_aadhaar": lambda g: (g.aadhaar(), "aadhaar {} verified at the branch"),
    "de_tax_id": lambda g: (g.de_tax(), "Steuer-ID {} laut Lohnzettel"),
    "passport": lambda g: (g.passport(), "passport number {} expires soon"),
    "us_ssn": lambda g: (g.ssn(), "customer gave SSN {} on the call"),
    "iban_lower": lambda g: (g.iban_lower(), "refund to {} please"),
    "iban_spaced": lambda g: (g.iban_spaced(), "refund to IBAN {} please"),
    "card_underscore": lambda g: (g.card("card_underscore"), "card {} declined"),
    "card_dot": lambda g: (g.card("card_dot"), "paid with {} yesterday"),
    "card_slash": lambda g: (g.card("card_slash"), "card on file {}"),
    "card_space": lambda g: (g.card("card_space"), "charge {} again"),
    "card_dash": lambda g: (g.card("card_dash"), "card {} was stolen"),
    "card_amex_4_6_5": lambda g: (g.card("card_amex_4_6_5"), "amex {} expired"),
    "card_6_10": lambda g: (g.card("card_6_10"), "card number {} in the chat"),
    "card_8_8": lambda g: (g.card("card_8_8"), "card {} (new)"),
    "card_19_digits": lambda g: (g.card("card_19_digits"), "card {} on hold"),
    "email": lambda g: (g.email(), "reply to {} today"),
    "email_obfuscated": lambda g: (g.email_obfuscated(), "write to {} instead"),
    "phone_e164": lambda g: (g.phone_e164(), "call back on {}"),
    "phone_uk": lambda g: (g.phone_uk(), "mobile {} after 5pm"),
    "phone_us": lambda g: (g.phone_us(), "reach me at {} weekdays"),
    "ipv4": lambda g: (g.ipv4(), "login from {} blocked"),
    "ipv6_full": lambda g: (g.ipv6(False), "login from {} blocked"),
    "ipv6_compressed": lambda g: (g.ipv6(True), "session from {} expired"),
    "mac_address": lambda g: (g.mac(), "device {} registered"),
    "gps_pair": lambda g: (g.gps(), "delivered at {} by the courier"),
    "date_of_birth": lambda g: g.dob(),
    "street_address": lambda g: g.address(),
    "person_name": lambda g: (g.name(), "customer name: {} called twice"),
    "aws_access_key_akia": lambda g: (g.aws_access("AKIA"), "aws_access_key_id={} in the script"),
    "aws_access_key_asia": lambda g: (g.aws_access("ASIA"), "temporary key {} from STS"),
    "aws_secret_key": lambda g: (g.aws_secret(), "pasted config: {}"),
    "github_token_classic": lambda g: (g.github_classic(), "token {} in the repo"),
    "github_token_fine_grained": lambda g: (g.github_fine(), "use {} for CI"),
    "slack_token": lambda g: (g.slack_token(), "bot token {} leaked"),
    "slack_webhook": lambda g: (g.slack_webhook(), "alerts go to {}"),
    "stripe_secret_key": lambda g: (g.stripe("stripe_secret_key"), "stripe key {}"),
    "stripe_publishable_key": lambda g: (g.stripe("stripe_publishable_key"), "checkout uses {}"),
    "stripe_restricted_key": lambda g: (g.stripe("stripe_restricted_key"), "reporting key {}"),
    "stripe_webhook_secret": lambda g: (g.stripe("stripe_webhook_secret"), "endpoint secret {}"),
    "pem_private_key_rsa": lambda g: (g.pem("RSA"), "deploy key below\n{}\nend of key"),
    "pem_private_key_ec": lambda g: (g.pem("EC"), "signing key: {}"),
    "pem_private_key_openssh": lambda g: (g.pem("OPENSSH"), "my ssh key {} thanks"),
    "gcp_service_account": lambda g: (g.gcp_service_account(), "service account file: {}"),
    "azure_account_key": lambda g: (g.azure_account_key(), "storage: {}"),
    "azure_sas_signature": lambda g: (g.azure_sas(), "download from {}"),
    "jwt": lambda g: (g.jwt(), "Authorization: Bearer {}"),
    "url_password_postgres": lambda g: (g.url_password("url_password_postgres"), "DATABASE_URL={}"),
    "url_password_mongodb": lambda g: (g.url_password("url_password_mongodb"), "mongo at {}"),
    "url_password_https": lambda g: (g.url_password("url_password_https"), "fetch {} nightly"),
    "url_password_redis": lambda g: (g.url_password("url_password_redis"), "cache {}"),
    "connection_string_password": lambda g: (g.ado_password(), "conn string {}"),
    "google_api_key": lambda g: (g.google_api_key(), "maps key {}"),
}

MINORITY_KINDS = ("card_underscore", "card_dot", "card_slash", "card_space", "card_dash", "ipv6_full",
                  "ipv6_compressed", "mac_address", "slack_token", "slack_webhook", "stripe_secret_key",
                  "stripe_restricted_key", "stripe_webhook_secret", "jwt", "url_password_postgres",
                  "url_password_mongodb", "url_password_https", "url_password_redis", "connection_string_password")

CANARY = ("the parcel arrived on a wet Tuesday", "the blue kettle is back in stock",
          "thanks for the quick answer on the hinge")  # plain sentences: the packet must show some of them

BENIGN_NOTES = [
    "customer asked about the delivery window", "refund approved after review", "printer jammed again",
    "wants the invoice in PDF", "duplicate ticket, closed", "asked for a callback next week",
    "order 5512 arrived damaged", "password reset link worked", "upgrade to the premium plan",
    "survey sent, no reply yet",
]


# ---------------------------------------------------------------- the dataset


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _write_csv(path: Path, header: list[str], rows: Iterable[list[object]]) -> None:
    lines = [",".join(_csv_cell(h) for h in header)]
    lines += [",".join(_csv_cell(str(v)) for v in row) for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _fresh(planted: Planted, make: Callable[[], tuple[Seed, str]]) -> tuple[Seed, str]:
    """A value not planted before (a value in two places could not say which one leaked)."""
    taken = {s.value for s in planted.seeds}
    for _ in range(50):
        seed, template = make()
        if seed.value not in taken:
            return seed, template
    raise AssertionError(f"no fresh value of {seed.kind}")


def build(root: Path, seed: int = 15, per_kind: int = 2) -> Planted:
    """Write the seeded dataset folder under ``root`` and return what was planted where."""
    import openpyxl
    import pandas as pd

    g = Gen(seed)
    planted = Planted(root)
    root.mkdir(parents=True, exist_ok=True)

    # 1. free text. tickets.csv: sentences in a long `notes` column, as a client's export has them. The
    # packet shows only three examples of a column, so messages.csv also holds one more value of each
    # kind, three kinds to a column (m01, m02, ...: names that say nothing), so that every one is shown.
    notes: list[str] = []
    wide: dict[str, list[str]] = {"m00": list(CANARY)}
    for n, (kind, make) in enumerate(FREE_TEXT.items()):
        def one(make: Callable[[Gen], tuple[Seed, str]] = make) -> tuple[Seed, str]:
            return make(g)

        for _ in range(per_kind):
            s, template = _fresh(planted, one)
            assert s.kind == kind, (s.kind, kind)
            planted.add(s, "free_text", "tickets.csv:notes")
            notes.append(template.format(s.value))
        name = f"m{n // 3 + 1:02d}"
        s, template = _fresh(planted, one)
        planted.add(s, "free_text", f"messages.csv:{name}")
        wide.setdefault(name, []).append(template.format(s.value))
    for sentences in wide.values():  # the last column may hold fewer kinds
        sentences += BENIGN_NOTES[: 3 - len(sentences)]
    # replies.csv: kinds a packet tends to withhold whole columns of (so their masking is never seen)
    # get a column each where they are the minority, one seeded sentence beside two plain ones
    replies: dict[str, list[str]] = {}
    for n, kind in enumerate(MINORITY_KINDS, start=1):
        s, template = _fresh(planted, partial(FREE_TEXT[kind], g))
        planted.add(s, "free_text", f"replies.csv:r{n:02d}")
        sentences = [template.format(s.value), *g.rnd.sample(BENIGN_NOTES, 2)]
        g.rnd.shuffle(sentences)
        replies[f"r{n:02d}"] = sentences
    notes += BENIGN_NOTES * 4
    g.rnd.shuffle(notes)
    _write_csv(root / "tickets.csv", ["ticket_id", "channel", "notes"],
               [[1000 + i, g.rnd.choice(["email", "phone", "chat"]), n] for i, n in enumerate(notes)])
    _write_csv(root / "messages.csv", list(wide), [list(r) for r in zip(*wide.values(), strict=True)])
    _write_csv(root / "replies.csv", list(replies), [list(r) for r in zip(*replies.values(), strict=True)])
    planted.files += ["tickets.csv", "messages.csv", "replies.csv"]

    # 2. names of columns
    makers = [g.email, g.nino, g.ssn, lambda: g.card("card_dash"), g.iban_spaced, g.phone_us, g.ipv4,
              lambda: g.aws_access("AKIA"), g.github_classic, lambda: g.stripe("stripe_secret_key"),
              lambda: g.url_password("url_password_postgres"), g.jwt, g.pan, g.de_tax]
    names = [planted.add(m(), "column_name", "survey.csv").value for m in makers]
    _write_csv(root / "survey.csv", ["respondent", *names],
               [[i, *(g.rnd.randint(1, 5) for _ in names)] for i in range(30)])
    planted.files.append("survey.csv")

    # 3. names of files (and of a folder): data files, and files the audit lists but does not read
    makers = [g.email, g.ssn, lambda: g.card("card_dash"), lambda: Seed("iban", g.iban_compact()),
              lambda: g.aws_access("AKIA")]
    for m in makers:
        s = m()
        rel = f"exports/{s.value}.csv"
        planted.add(s, "file_name", rel)
        _write_csv(root / rel, ["id", "amount"], [[i, round(g.rnd.uniform(5, 500), 2)] for i in range(4)])
        planted.files.append(rel)
    makers = [g.nino, g.phone_e164, g.ipv4, lambda: g.stripe("stripe_secret_key"), g.pan, g.aadhaar,
              g.google_api_key]
    for m, ext in zip(makers, [".bin", ".dat", ".bin", ".key", ".bin", ".bak", ".bin"], strict=True):
        s = m()
        rel = f"scans/{s.value}{ext}"
        planted.add(s, "file_name", rel)
        (root / "scans").mkdir(exist_ok=True)
        (root / rel).write_bytes(g.rnd.randbytes(64))
        planted.other_files.append(rel)
    s = g.email()
    rel = f"clients/{s.value}/orders.csv"
    planted.add(s, "file_name", rel)
    _write_csv(root / rel, ["order_id", "total"], [[i, g.rnd.randint(10, 90)] for i in range(5)])
    planted.files.append(rel)
    s = g.passport()
    rel = f"passport_{s.value}.csv"
    planted.add(s, "file_name", rel)
    _write_csv(root / rel, ["page", "scanned"], [[i, "yes"] for i in range(3)])
    planted.files.append(rel)

    # 4. names of sheets (31 characters at most, none of : \ / ? * [ ])
    book = openpyxl.Workbook()
    book.active.title = "summary"
    book.active.append(["metric", "value"])
    for i in range(5):
        book.active.append([f"m{i}", i * 3])
    makers = [lambda: g.email(short=True), g.nino_spaced, g.ssn, lambda: g.card("card_space"),
              lambda: g.iban_spaced(31), g.phone_uk, lambda: g.aws_access("AKIA"), lambda: g.mac("-")]
    for m in makers:
        s = m()
        for _ in range(50):
            if len(s.value) <= 31:
                break
            s = m()
        assert len(s.value) <= 31, s
        planted.add(s, "sheet_name", f"contacts.xlsx:{s.value}")
        sheet = book.create_sheet(s.value)
        sheet.append(["item", "qty"])
        for i in range(4):
            sheet.append([f"sku-{i}", g.rnd.randint(1, 9)])
    book.save(root / "contacts.xlsx")
    planted.files.append("contacts.xlsx")

    # 5. label classes: a few personal values among ordinary classes
    ordinary = ["approved", "rejected", "pending", "escalated"]
    makers = [g.email, g.ssn, g.phone_e164, g.nino, lambda: g.card("card_space"), g.ipv4, g.iban_lower]
    personal = [planted.add(m(), "label_class", "labels.csv:label").value for m in makers]
    labels = [ordinary[i % 4] for i in range(80)] + [p for p in personal for _ in range(3)]
    g.rnd.shuffle(labels)
    _write_csv(root / "labels.csv", ["age_band", "score", "label"],
               [[g.rnd.choice(["18-25", "26-40", "41-65"]), round(g.rnd.uniform(0, 1), 3), lab] for lab in labels])
    planted.files.append("labels.csv")

    # 6. categories: a personal value repeated >= 5 times in a short categorical column
    columns = {"owner": g.email, "contact": g.phone_uk, "agent": g.nino, "routing": g.iban_spaced,
               "gateway": g.ipv4, "badge": g.ssn, "device": lambda: g.mac(":"), "key_ref": lambda: g.aws_access("AKIA"),
               "card_ref": lambda: g.card("card_dash"), "tax_ref": g.pan}
    rows = 60
    table: dict[str, Sequence[object]] = {"account": list(range(rows)),
                                      "region": [g.rnd.choice(["north", "south", "east", "west"]) for _ in range(rows)]}
    for name, m in columns.items():
        s = planted.add(m(), "category", f"accounts.csv:{name}")
        values = [s.value] * 6 + [g.rnd.choice(["team-a", "team-b", "unassigned"]) for _ in range(rows - 6)]
        g.rnd.shuffle(values)
        table[name] = values
    # numbers in a CSV too: cards and 12-digit ids written as bare integers, read back as integer columns
    member = [g.card_digits() for _ in range(rows)]
    citizen = [g.aadhaar_digits() for _ in range(rows)]
    table["member_no"], table["citizen_no"] = list(member), list(citizen)
    for value in member:
        planted.add(Seed("card_integer_csv", value, forms=(f"{int(value):,}",)), "numeric", "accounts.csv:member_no")
    for value in citizen:
        planted.add(Seed("in_aadhaar_integer_csv", value, forms=(f"{int(value):,}",)), "numeric",
                    "accounts.csv:citizen_no")
    _write_csv(root / "accounts.csv", list(table), [list(r) for r in zip(*table.values(), strict=True)])
    planted.files.append("accounts.csv")

    # 7. numeric columns in Parquet: cards and national ids as int64, coordinates as floats, birth dates
    n = 50
    cards = [int(g.card_digits()) for _ in range(n)]
    aadhaar = [int(g.aadhaar_digits()) for _ in range(n)]
    tax = [int(g.de_tax_digits()) for _ in range(n)]
    lat = [round(g.rnd.uniform(50.8, 53.9), 6) for _ in range(n)]
    lon = [round(g.rnd.uniform(-4.2, 1.7), 6) for _ in range(n)]
    born = [date(1950, 1, 1) + timedelta(days=g.rnd.randint(0, 50 * 365)) for _ in range(n)]
    frame = pd.DataFrame({"payment_id": range(n), "account_ref": pd.array(cards, dtype="int64"),
                          "citizen_ref": pd.array(aadhaar, dtype="int64"), "tax_ref": pd.array(tax, dtype="int64"),
                          "lat": lat, "lon": lon, "date_of_birth": born,
                          "amount": [round(g.rnd.uniform(1, 900), 2) for _ in range(n)]})
    frame.to_parquet(root / "payments.parquet", index=False)
    planted.files.append("payments.parquet")
    for number in cards:
        planted.add(Seed("card_int64", str(number), forms=(f"{number:,}",)), "numeric", "payments.parquet:account_ref")
    for number in aadhaar:
        planted.add(Seed("in_aadhaar_int64", str(number), forms=(f"{number:,}",)), "numeric",
                    "payments.parquet:citizen_ref")
    for number in tax:
        planted.add(Seed("de_tax_id_int64", str(number), forms=(f"{number:,}",)), "numeric", "payments.parquet:tax_ref")
    for col, coords in (("lat", lat), ("lon", lon)):
        for coord in coords:
            # 4 decimals is still about 11 metres: a rounded min/max is a leak too
            planted.add(Seed("gps_float", f"{coord:.6f}", forms=(repr(coord), f"{coord:.5f}", f"{coord:.4f}")),
                        "numeric", f"payments.parquet:{col}")
    for day in born:
        planted.add(Seed("date_of_birth_date", day.isoformat(), forms=(day.strftime("%d/%m/%Y"),)), "numeric",
                    "payments.parquet:date_of_birth")
    planted.tables = len(planted.files) - 1 + len(book.sheetnames)  # every file is a table; the book one per sheet
    return planted


# ---------------------------------------------------------------- the scan


def _markdown(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", text)


def _escapes(text: str) -> set[str]:
    """The forms a value takes inside JSON, HTML, Markdown, a URL, or a mix of them."""
    as_json = json.dumps(text)[1:-1]
    forms = {text, as_json, json.dumps(text, ensure_ascii=False)[1:-1], html.escape(text), html.escape(text, False),
             html.escape(as_json), urllib.parse.quote(text, safe=""), urllib.parse.quote(text, safe="@:/+"),
             _markdown(text), text.replace("\n", " "),
             text.replace("\n", "<br>"), text.replace("/", "\\/")}
    forms.add(html.escape(_markdown(text)))
    return {f for f in forms if f}


@dataclass(frozen=True)
class Hit:
    seed: int  # index into the seeds
    form: str  # which form was found (value, a form, or "secret window")
    file: str  # where


class Scanner:
    """Finds every planted value in text, in one pass per text (an index on the first 8 characters)."""

    def __init__(self, seeds: list[Seed]) -> None:
        self.seeds = seeds
        self.exact: dict[str, list[tuple[str, int, str]]] = defaultdict(list)  # secrets: case matters
        self.folded: dict[str, list[tuple[str, int, str]]] = defaultdict(list)  # personal values: any case
        self.short: list[tuple[str, int, str]] = []
        for i, s in enumerate(seeds):
            if s.secret:
                for part in s.secret:
                    assert len(part) >= WINDOW, (s.kind, part)
                    for form in _escapes(part):
                        for k in range(len(form) - WINDOW + 1):
                            window = form[k:k + WINDOW]
                            if not any(h[1] == i for h in self.exact.get(window, [])):
                                self.exact[window].append((window, i, "secret"))
                for f in s.forms:  # e.g. a service account's client_email
                    self._add_folded(f, i, "form")
            else:
                self._add_folded(s.value, i, "value")
                for f in s.forms:
                    self._add_folded(f, i, "form")

    def _add_folded(self, text: str, index: int, form: str) -> None:
        for variant in _escapes(text):
            key = variant.lower()
            if len(key) < WINDOW:
                self.short.append((key, index, form))
            else:
                self.folded[key[:WINDOW]].append((key, index, form))

    def scan(self, text: str, where: str) -> set[Hit]:
        hits: set[Hit] = set()
        lower = text.lower()
        exact, folded = self.exact, self.folded
        for k in range(len(text) - WINDOW + 1):
            window = text[k:k + WINDOW]
            if window in exact:
                for _, i, form in exact[window]:
                    hits.add(Hit(i, form, where))
            low = lower[k:k + WINDOW]
            if low in folded:
                for needle, i, form in folded[low]:
                    if lower.startswith(needle, k):
                        hits.add(Hit(i, form, where))
        for needle, i, form in self.short:
            if needle in lower:
                hits.add(Hit(i, form, where))
        return hits


def shareable_texts(run_dir: Path) -> Iterable[tuple[str, str]]:
    """(where, text) for every byte outside internal/: files, their names, and packet.zip members."""
    import gzip
    import zipfile

    for path in sorted(run_dir.rglob("*")):
        rel = path.relative_to(run_dir)
        if rel.parts and rel.parts[0] == "internal":
            continue
        yield f"{run_dir.name}/{rel} (name)", str(rel)
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix != ".zip":  # a zip's members are read below; its raw bytes are compressed
            yield f"{run_dir.name}/{rel}", data.decode("utf-8", errors="replace")
        if path.suffix == ".gz":
            yield f"{run_dir.name}/{rel} (gunzipped)", gzip.decompress(data).decode("utf-8", errors="replace")
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{run_dir.name}/{rel}!{member} (name)", member
                    body = archive.read(member).decode("utf-8", errors="replace")
                    yield f"{run_dir.name}/{rel}!{member}", body


def scan_all(scanner: Scanner, texts: Iterable[tuple[str, str]]) -> set[Hit]:
    """Scan each distinct text once (packet.zip repeats the run folder's files) and report every place."""
    places: dict[str, list[str]] = defaultdict(list)
    for where, text in texts:
        places[text].append(where)
    hits: set[Hit] = set()
    for text, wheres in places.items():
        for hit in scanner.scan(text, wheres[0]):
            hits.update(Hit(hit.seed, hit.form, where) for where in wheres)
    return hits


def leak_table(seeds: list[Seed], hits: Iterable[Hit]) -> dict[tuple[str, str], dict[str, object]]:
    """(kind, placement) -> how many values leaked of how many, and where they were found."""
    table: dict[tuple[str, str], dict[str, object]] = {}
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for s in seeds:
        totals[(s.kind, s.placement)] += 1
    leaked: dict[tuple[str, str], set[int]] = defaultdict(set)
    files: dict[tuple[str, str], set[str]] = defaultdict(set)
    for h in hits:
        s = seeds[h.seed]
        leaked[(s.kind, s.placement)].add(h.seed)
        files[(s.kind, s.placement)].add(h.file.split(" (")[0].split("/", 1)[-1] + f" [{h.form}]")
    for key, ids in leaked.items():
        table[key] = {"leaked": len(ids), "of": totals[key], "files": sorted(files[key]),
                      "known_limit": any(seeds[i].known_limit for i in ids)}
    return table


def format_table(table: dict[tuple[str, str], dict[str, object]]) -> str:
    lines = [f"{'kind':34} {'placement':12} {'leaked':>9}  where [form]"]
    for (kind, placement), row in sorted(table.items()):
        note = " (known limit)" if row["known_limit"] else ""
        files = row["files"]
        assert isinstance(files, list)
        lines.append(f"{kind:34} {placement:12} {row['leaked']:>4}/{row['of']:<4}  {'; '.join(files)}{note}")
    return "\n".join(lines)
