"""Privacy at scale: seeded personal data and secrets never reach a byte outside internal/."""

from __future__ import annotations

import random
import zipfile

import pandas as pd
import pytest

from tests.conftest import column, run_audit


def luhn_complete(prefix: str) -> str:
    digits = [int(c) for c in prefix]
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return prefix + str((10 - total % 10) % 10)


def iban_for(account: str) -> str:
    bban = "NWBK601613" + account
    rearranged = bban + "GB00"
    number = int("".join(str(int(c, 36)) for c in rearranged))
    return f"GB{98 - number % 97:02d}{bban}"


def seeded_people(n: int = 240, seed: int = 11) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    rnd = random.Random(seed)
    first = ["Amelia", "Bartholomew", "Cordelia", "Desmond", "Evangeline", "Fitzgerald", "Guinevere"]
    last = ["Abernathy", "Blackwood", "Castellanos", "Dunleavy", "Everhart", "Fairweather"]
    rows, seeded = [], {k: [] for k in ("email", "phone", "ssn", "card", "iban", "ip", "address", "name", "dob",
                                         "api_key", "password")}
    for i in range(n):
        values = {
            "email": f"person.{i}.{rnd.randint(1000, 9999)}@privatemail.example",
            "phone": f"+1 212 555 {rnd.randint(1000, 9999)}",
            "ssn": f"{rnd.randint(100, 665)}-{rnd.randint(10, 99)}-{rnd.randint(1000, 9999)}",
            "card": luhn_complete("4" + "".join(str(rnd.randint(0, 9)) for _ in range(14))),
            "iban": iban_for(f"{rnd.randint(10000000, 99999999)}"),
            "ip": f"10.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}",
            "address": f"{rnd.randint(10, 9999)} {rnd.choice(['Maple', 'Oak', 'Cedar'])} Street",
            "name": f"{rnd.choice(first)} {rnd.choice(last)}{i}",
            "dob": f"19{rnd.randint(50, 99)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            "api_key": "sk_live_" + "".join(rnd.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789") for _ in range(24)),
            "password": f"Hunter{rnd.randint(100000, 999999)}!",
        }
        for key, value in values.items():
            seeded[key].append(value)
        pattern_kind = ["email", "phone", "ssn", "card", "iban", "ip", "api_key"][i % 7]
        notes = f"customer wrote from {values[pattern_kind]} asking about order status"
        rows.append({
            "row_id": i, "email_address": values["email"], "mobile": values["phone"], "ssn": values["ssn"],
            "card_number": values["card"], "iban": values["iban"], "client_ip": values["ip"],
            "street_address": values["address"], "full_name": values["name"], "date_of_birth": values["dob"],
            "api_key": values["api_key"], "password": values["password"], "notes": notes,
            "segment": rnd.choice(["retail", "business"]), "churned": rnd.choice(["yes", "no"]),
        })
    return pd.DataFrame(rows), seeded


def shared_bytes(run_dir) -> bytes:
    blobs = []
    for path in run_dir.rglob("*"):
        if path.is_file() and "internal" not in path.relative_to(run_dir).parts:
            blobs.append(path.read_bytes())
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    blobs.extend(archive.read(name) for name in archive.namelist())
    return b"\n".join(blobs)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_no_seeded_personal_value_leaves_internal(tmp_path, fmt):
    frame, seeded = seeded_people()
    data = tmp_path / "people"
    data.mkdir()
    if fmt == "csv":
        frame.to_csv(data / "people.csv", index=False)
    else:
        frame.to_parquet(data / "people.parquet", index=False)
    document = run_audit(data, tmp_path / "out", label="churned", profile_enabled=True)
    run_dir = tmp_path / "out" / "people" / document["run_id"]
    shared = shared_bytes(run_dir)
    tried = 0
    for kind, values in seeded.items():
        for value in values:
            tried += 1
            assert value.encode() not in shared, f"{kind} value leaked"
    assert tried == 11 * 240
    # the full profiles under internal/ do hold raw values: that is why they stay there
    internal = b"".join(p.read_bytes() for p in (run_dir / "internal").rglob("*.html"))
    assert seeded["email"][0].encode() in internal
    table = document["tables"][0]["name"]
    for name in ("email_address", "mobile", "ssn", "card_number", "iban", "client_ip", "street_address",
                 "full_name", "date_of_birth", "api_key", "password"):
        assert column(document, table, name)["pii"] is not None, name
    notes = [f for f in document["findings"] if f["id"] == f"{table}/notes/pii"][0]
    assert notes["count"] == 240  # every note carries one pattern-detectable value
    assert set(notes["details"]["kinds"]) >= {"email", "phone", "national_id", "payment_card", "iban",
                                              "ip_address", "secret"}


def test_label_classes_hidden_when_the_label_is_personal_data(tmp_path):
    frame, _ = seeded_people(40)
    data = tmp_path / "p"
    data.mkdir()
    frame[["row_id", "segment", "full_name"]].to_csv(data / "t.csv", index=False)
    document = run_audit(data, tmp_path / "out", label="full_name")
    assert document["label"]["classes"] is None
    html = (tmp_path / "out" / "p" / document["run_id"] / "briefing.html").read_text()
    assert frame["full_name"][0] not in html
