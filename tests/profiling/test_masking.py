"""Free-text masking (``pii.mask``) and the personal data a name of a thing holds (``pii.name_kind``).

Every value seeded below must be gone from the masked text, with its kind in its place; ordinary text
(decimals, dates, versions, times, prices, ISBNs, UUIDs, prose) must come back unchanged. The
adversarial inputs only assert the output: their time is measured by hand, not in a unit test.
"""

from __future__ import annotations

import random
import warnings

import pandas as pd
import pytest

from readiness.profile import pii
from readiness.profile.pii.numbers import aadhaar_ok, german_tax_id_ok, isbn_ok, verhoeff_ok
from tests.conftest import SAMPLES

# (text, the personal value in it, the kind it is masked as)
SEEDED = [
    ("mail jane.doe@example.com today", "jane.doe@example.com", "email"),
    ("write to jane at example dot com", "jane at example dot com", "email"),
    ("write to jane [at] example [dot] com", "jane [at] example [dot] com", "email"),
    ("write to jane(at)example.co.uk please", "jane(at)example.co.uk", "email"),
    ("NINO AB 12 34 56 C on file", "AB 12 34 56 C", "national_id"),
    ("NINO AB123456C on file", "AB123456C", "national_id"),
    ("pan abcpe1234f given", "abcpe1234f", "national_id"),
    ("PAN ABCPE1234F given", "ABCPE1234F", "national_id"),
    ("Aadhaar 2345 6789 0124 verified", "2345 6789 0124", "national_id"),
    ("Aadhaar 234567890124 verified", "234567890124", "national_id"),
    ("Steuer-ID 86095742719.", "86095742719", "national_id"),
    ("Steuer-ID 86 095 742 719.", "86 095 742 719", "national_id"),
    ("SSN 123-45-6789", "123-45-6789", "national_id"),
    ("passport no: C01X00T47, expires", "C01X00T47", "passport"),
    ("Passport number 123456789", "123456789", "passport"),
    ("iban gb82 west 1234 5698 7654 32 is mine", "gb82 west 1234 5698 7654 32", "iban"),
    ("IBAN GB82-WEST-1234-5698-7654-32.", "GB82-WEST-1234-5698-7654-32", "iban"),
    ("IBAN DE89370400440532013000", "DE89370400440532013000", "iban"),
    ("card 4111_1111_1111_1111 used", "4111_1111_1111_1111", "payment_card"),
    ("card 4111.1111.1111.1111 used", "4111.1111.1111.1111", "payment_card"),
    ("card 4111/1111/1111/1111 used", "4111/1111/1111/1111", "payment_card"),
    ("card 4111 1111 1111 1111 used", "4111 1111 1111 1111", "payment_card"),
    ("card 4111-1111-1111-1111 exp 12/25", "4111-1111-1111-1111", "payment_card"),
    ("amex 3782 822463 10005 used", "3782 822463 10005", "payment_card"),
    ("card 411111 1111111111 used", "411111 1111111111", "payment_card"),
    ("card 41111111 11111111 used", "41111111 11111111", "payment_card"),
    ("card 4111111111111111 used", "4111111111111111", "payment_card"),
    ("from 2001:0db8:85a3:0000:0000:8a2e:0370:7334 today", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "ip_address"),
    ("from 2001:db8::8a2e:370:7334 today", "2001:db8::8a2e:370:7334", "ip_address"),
    ("from fe80::1ff:fe23:4567:890a today", "fe80::1ff:fe23:4567:890a", "ip_address"),
    ("from 192.168.12.34 today", "192.168.12.34", "ip_address"),
    ("device 00:1A:2B:3C:4D:5E seen", "00:1A:2B:3C:4D:5E", "mac_address"),
    ("device 00-1a-2b-3c-4d-5e seen", "00-1a-2b-3c-4d-5e", "mac_address"),
    ("device 001a.2b3c.4d5e seen", "001a.2b3c.4d5e", "mac_address"),
    ("we met at 51.5074, -0.1278 yesterday", "51.5074, -0.1278", "location"),
    ("found at 40.7128° N, 74.0060° W", "40.7128° N, 74.0060° W", "location"),
    ("she was born 12/03/1985 in Leeds", "12/03/1985", "date_of_birth"),
    ("DOB: 1985-03-12", "1985-03-12", "date_of_birth"),
    ("date of birth 3 March 1985", "3 March 1985", "date_of_birth"),
    ("call +44 20 7946 0958 now", "+44 20 7946 0958", "phone"),
    ("call 020 7946 0958 now", "020 7946 0958", "phone"),
    ("key AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE", "secret"),
    ("key ASIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPLE", "secret"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     "secret"),
    ("the aws secret is wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ok", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     "secret"),
    ("token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW end",
     "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW", "secret"),
    ("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 end", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "secret"),
    ("hook https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX end",
     "hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "secret"),
    ("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "secret"),
    ("stripe rk_test_abcdefghijklmnop1234", "rk_test_abcdefghijklmnop1234", "secret"),
    ("stripe pk_live_abcdefghijklmnop1234", "pk_live_abcdefghijklmnop1234", "secret"),
    ("webhook whsec_1234567890abcdefABCDEF", "whsec_1234567890abcdefABCDEF", "secret"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98Zp3kQ1\nYlq2Vd0QbM7wZ==\n-----END RSA PRIVATE KEY-----",
     "Ylq2Vd0QbM7wZ", "secret"),
    ("key body\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
     "VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\nend",
     "VJTUt9Us8cKjMzEfYyjiWA4R4", "secret"),
    ('{"private_key_id": "0123456789abcdef0123456789abcdef01234567", "private_key": '
     '"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\nabc==\\n-----END PRIVATE KEY-----\\n"}',
     "0123456789abcdef0123456789abcdef01234567", "secret"),
    ('{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\nabc==\\n-----END PRIVATE'
     ' KEY-----\\n"}', "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "secret"),
    ('"client_email": "svc-1@my-project.iam.gserviceaccount.com"', "svc-1@my-project.iam.gserviceaccount.com", "email"),
    ("DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=abc123+/def456ghi789==;EndpointSuffix=core.windows.net",
     "abc123+/def456ghi789==", "secret"),
    ("https://acc.blob.core.windows.net/c?sv=2020-08-04&sig=abcDEF123%2B456%3D&se=2021", "abcDEF123%2B456%3D",
     "secret"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
     "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "secret"),
    ("db postgres://admin:s3cr3t/p@ss@db.example.com:5432/app", "s3cr3t/p@ss", "secret"),
    ("db mongodb+srv://user:hunter2@cluster0.example.net/test", "hunter2", "secret"),
    ("Server=tcp:x;Database=y;User Id=z;Password=hunter2!x;Encrypt=True", "hunter2!x", "secret"),
    ('config {"api_key": "abc def 123"}', "abc def 123", "secret"),
    ("Google AIzaSyA-abcdefghijklmnopqrstuvwxyz01234", "AIzaSyA-abcdefghijklmnopqrstuvwxyz01234", "secret"),
]

ORDINARY = [
    "The meeting is at noon. Look at the dot com boom. I was born in 1985.",
    "version 1.2.3.4.5 released at 12:30:45 on 2023-01-12",
    "pi is 3.14159265 and e is 2.718281828; the price was $1,234.56 or 1234567.89 EUR",
    "ISBN 978-3-16-148410-0, also 9783161484100 and ISBN 0-306-40615-2",
    "request 123e4567-e89b-12d3-a456-426614174000 failed",
    "scores 0.8470, 0.1234, 0.5555 and 0.25, 0.75",
    "city centre at 51.51, -0.13 (two decimals)",
    "Total 2023 revenue grew 12% to 4.5m; Q1 was up 3.2%",
    "Meet me at home at 10:30 on 12/03/2024",
    "std::vector<int> and a::b in C++",
    "the password policy requires 12 characters",
    "timestamps 2023-01-12 12:30:45 and 2023-01-12T12:30:45Z",
]


@pytest.mark.parametrize(("text", "value", "kind"), SEEDED, ids=[s[2] + ":" + s[1][:24] for s in SEEDED])
def test_a_seeded_value_is_masked_whole(text, value, kind):
    masked = pii.mask(text)
    assert value not in masked, masked
    assert f"[{kind}]" in masked, masked
    # no long piece of the secret is left behind either (a prefix or a suffix)
    pieces = [value[i:i + 8] for i in range(0, max(len(value) - 7, 1))]
    assert not any(p in masked and len(p) == 8 and any(c.isdigit() for c in p) for p in pieces), masked


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_left_alone(text):
    assert pii.mask(text) == text


def test_the_surrounding_words_are_kept():
    masked = pii.mask("Hi, I'm Jane: jane.doe@example.com, card 4111 1111 1111 1111, born 12/03/1985.")
    assert masked == "Hi, I'm Jane: [email], card [payment_card], born [date_of_birth]."


def test_checks_decide_national_ids():
    assert verhoeff_ok("2363") and not verhoeff_ok("2364")
    assert aadhaar_ok("2345 6789 0124") and not aadhaar_ok("2345 6789 0125")
    assert german_tax_id_ok("86095742719") and not german_tax_id_ok("86095742718")
    assert not german_tax_id_ok("12345678901")  # every digit once: not how the ids are built
    assert pii.mask("order 2345 6789 0125") == "order [phone]"  # not an Aadhaar, still a long number
    assert isbn_ok("978-3-16-148410-0") and isbn_ok("0-306-40615-2")


# long and hostile cells: every pattern is bounded or anchored, so these stay linear (timed by hand)
ADVERSARIAL = {
    "comma-quote": ',"a' * (64 * 1024 // 3),
    "digits-and-spaces": "".join(random.Random(0).choice("0123456789 ") for _ in range(100_000)),
    "digit-space": "1 " * 50_000,
    "digits": "7" * 100_000,
    "spelled-at": "a at b dot " * 9_090,
    "bracket-at": "a [at] b [dot] " * 6_666,
    "at-signs": "a@" * 50_000,
    "colons": "ab:" * 33_333,
    "key-headers": "-----BEGIN RSA PRIVATE KEY-----" * 3_000,
    "key-values": 'password="' * 10_000,
    "schemes": "ab://u:" * 14_000,
    "letters": "a" * 1_000_000,
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_hostile_cells_are_masked(name):
    text = ADVERSARIAL[name]
    masked = pii.mask("jane.doe@example.com " + text)
    assert masked.startswith("[email] ")
    assert "jane" not in masked
    assert len(masked) <= len(text) + len("[email] ")


def test_a_million_character_cell_keeps_its_text_and_loses_its_secrets():
    words = " ".join(random.Random(1).choice(["the", "quick", "fox", "at", "dot", "1985", "3.14"]) for _ in range(150_000))
    text = words + " card 4111 1111 1111 1111 and key AKIAIOSFODNN7EXAMPLE"
    masked = pii.mask(text)
    assert masked.startswith(words[:10_000])
    assert masked.endswith("card [payment_card] and key [secret]")


# --- names of things -----------------------------------------------------------------------------

PERSONAL_NAMES = [
    ("jane.doe@example.com", "email"), ("4111-1111-1111-1111", "payment_card"), ("AKIAIOSFODNN7EXAMPLE", "secret"),
    ("+44 20 7946 0958", "phone"), ("AB 12 34 56 C", "national_id"), ("John Smith", "person_name"),
    ("Priya Sharma", "person_name"), ("report for jane@example.com.csv", "email"),
    ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "secret"), ("192.168.1.20", "ip_address"),
]
THING_NAMES = [
    "customer_email", "card_number", "Total 2023", "Grace period", "Grace Period", "sepal length (cm)",
    "Mercedes-Benz", "Q1 revenue", "0.75", "Max Speed", "Nova Scotia", "date_of_birth", "ssn", "passport_no",
    "orders_20230101.csv", "Sheet1", "New York", "Victoria Station", "John Deere Inc", "phone_type", "ip_address",
    "2023-01-12", "v1.2.3", "12:30:45", "id_123456789",
]


@pytest.mark.parametrize(("text", "kind"), PERSONAL_NAMES)
def test_a_name_holding_personal_data_is_found(text, kind):
    assert pii.name_kind(text) == kind


@pytest.mark.parametrize("text", THING_NAMES)
def test_a_name_about_personal_data_is_not_personal(text):
    assert pii.name_kind(text) is None


def test_sample_data_names_are_not_personal():
    root = SAMPLES
    names: set[str] = set()
    for path in root.rglob("*"):
        names |= {path.name, path.stem}
        if path.suffix == ".csv":
            frame = pd.read_csv(path, nrows=500)
            names |= {str(c) for c in frame.columns}
            names |= {str(v) for c in frame.columns if frame[c].dtype == object and frame[c].nunique() <= 50
                      for v in frame[c].dropna().unique()}
    assert len(names) > 20
    assert {n: pii.name_kind(n) for n in names if pii.name_kind(n)} == {}


def test_realdata_corpus_column_names_are_not_personal(tmp_path):
    from tests.realdata.build import build

    folders = build(tmp_path)
    names: set[str] = set()
    for folder in folders.values():
        for path in folder.iterdir():
            names |= {path.name}
            if path.suffix in (".csv", ".tsv"):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        frame = pd.read_csv(path, sep=None, engine="python", nrows=0, encoding_errors="replace")
                    except (ValueError, pd.errors.ParserError):
                        continue
                names |= {str(c) for c in frame.columns}
    assert len(names) > 300
    assert {n: pii.name_kind(n) for n in names if pii.name_kind(n)} == {}


# --- what a stranger found (names joined to words, keys of other providers, odd separators) -----------

JOINED_NAMES = [
    ("report_536-22-8841.csv", "national_id"), ("card4111111111111111.parquet", "payment_card"),
    ("Henrietta_Pocklington.csv", "person_name"), ("ssn_219-09-9999", "national_id"),
    ("card_6011000990139424", "payment_card"), ("passport_928062901.csv", "passport"),
    ("07470 764803", "phone"), ("(474) 806-4083", "phone"),
]


@pytest.mark.parametrize(("text", "kind"), JOINED_NAMES)
def test_a_value_joined_to_a_word_in_a_name_is_found(text, kind):
    assert pii.name_kind(text) == kind


@pytest.mark.parametrize("text", ["Sepal.Length", "train_v2.csv", "Sales_Q1_2023", "First_Name", "New_York.csv",
                                  "Grace_Period", "export_1700000000.csv", "orders_2023.csv"])
def test_joined_names_about_things_stay(text):
    assert pii.name_kind(text) is None


@pytest.mark.parametrize(("text", "secret"), [
    ("key sk-proj-abcdefghijklmnopqrstuvwx1234 here", "abcdefghijklmnopqrstuvwx1234"),
    ("Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
    ("twilio SK0123456789abcdef0123456789abcdef ok", "0123456789abcdef0123456789abcdef"),
    ("Customer said wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY please call", "K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("card 4111\u00a01111\u00a01111\u00a01111 on file", "1111\u00a01111\u00a01111"),
    ("Ship to 2943B Calloway Street, Leeds LS6 2AB by Friday", "Calloway Street"),
])
def test_keys_of_other_providers_and_odd_separators_are_masked(text, secret):
    masked = pii.mask(text)
    assert secret not in masked and "[" in masked
