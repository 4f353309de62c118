"""Numeric columns judged by their values (issue 15, item 2): cards stored as integers, 11- and
12-digit national ids, precise coordinates; as int64/float64 (Parquet, JSON, Excel) and as the text
a CSV gives. Ordinary long ids, measurements and city-level coordinates stay unflagged, and a
personal column's plan carries no range.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from readiness.ingest.model import Table
from readiness.profile import pii
from readiness.profile.pii.numbers import aadhaar_ok, german_tax_id_ok, luhn_ok
from readiness.profile.plan import plan_table
from readiness.settings import Settings


def _complete(prefix: str, check) -> str:
    return next(prefix + str(d) for d in range(10) if check(prefix + str(d)))


def cards(n: int, seed: int = 1) -> list[int]:
    r = random.Random(seed)
    return [int(_complete("4" + "".join(r.choice("0123456789") for _ in range(14)), luhn_ok)) for _ in range(n)]


def aadhaars(n: int, seed: int = 2) -> list[int]:
    r = random.Random(seed)
    return [int(_complete(str(r.randint(2 * 10**10, 10**11 - 1)), aadhaar_ok)) for _ in range(n)]


def tax_ids(n: int, seed: int = 3) -> list[int]:
    r, out = random.Random(seed), []
    while len(out) < n:
        value = str(r.randint(10**10, 10**11 - 1))
        if german_tax_id_ok(value):
            out.append(int(value))
    return out


def long_ids(n: int, digits: int, seed: int = 4) -> list[int]:
    r = random.Random(seed)
    return [r.randint(10 ** (digits - 1), 10**digits - 1) for _ in range(n)]


def as_text(values) -> pd.Series:
    """A column's distinct values as a CSV gives them (text), with their counts."""
    return pd.Series([str(v) for v in values]).value_counts()


@pytest.mark.parametrize(("values", "kind"), [
    (cards(60), "payment_card"), (aadhaars(60), "national_id"), (tax_ids(60), "national_id"),
])
def test_long_numbers_that_pass_their_check_are_personal(values, kind):
    assert pii.detect_numbers("ref", pd.Series(values, dtype="int64"), len(values)).kind == kind
    assert pii.detect("ref", as_text(values), len(values)).kind == kind


@pytest.mark.parametrize("digits", [11, 12, 13, 16, 18])
def test_ordinary_long_ids_are_not_personal(digits):
    values = long_ids(500, digits)
    assert pii.detect_numbers("order_id", pd.Series(values, dtype="int64"), 500).kind is None
    assert pii.detect("order_id", as_text(values), 500).kind is None


def test_a_few_valid_values_among_ids_prove_nothing():
    values = long_ids(90, 12) + aadhaars(10)
    assert pii.detect_numbers("ref", pd.Series(values, dtype="int64"), 100).kind is None
    assert pii.detect_numbers("ref", pd.Series(aadhaars(2), dtype="int64"), 2).kind is None  # too few to tell


def test_cards_read_as_floats_are_found_when_exact():
    values = [float(v) for v in cards(40) if v < 2**53]
    assert len(values) > 10
    assert pii.detect_numbers("x", pd.Series(values), len(values)).kind == "payment_card"


def test_precise_coordinates_are_a_location():
    r = random.Random(5)
    lat = pd.Series([51.5 + r.random() / 10 for _ in range(200)])
    lon = pd.Series([-0.12 - r.random() / 10 for _ in range(200)])
    assert pii.detect_numbers("latitude", lat, 200).kind == "location"
    assert pii.detect_numbers("pickup_lng", lon, 200).kind == "location"
    assert pii.detect("lat", as_text(f"{v:.5f}" for v in lat), 200).kind == "location"


def test_city_coordinates_and_unnamed_decimals_are_not():
    r = random.Random(6)
    lat = pd.Series([round(51.5 + r.random(), 2) for _ in range(200)])
    assert pii.detect_numbers("latitude", lat, 200).kind is None  # 2 decimals: a city, not a person
    assert pii.detect("lat", as_text(f"{v:.2f}" for v in lat), 200).kind is None
    precise = pd.Series([51.5 + r.random() for _ in range(200)])
    assert pii.detect_numbers("temperature", precise, 200).kind is None  # a measurement, not a place
    assert pii.detect_numbers("latitude_bin", pd.Series(np.arange(200) % 7), 200).kind is None


def test_a_personal_numeric_column_has_no_range_in_its_plan():
    r = random.Random(7)
    frame = pd.DataFrame({
        "card": pd.Series(cards(50), dtype="int64"),
        "lat": [51.5 + r.random() / 10 for _ in range(50)],
        "amount": [r.random() * 100 for _ in range(50)],
    })
    plan = plan_table(Table(name="t.parquet", source="t.parquet", format="parquet", frame=frame), Settings(), None, None)
    by_name = {c.name: c for c in plan.columns}
    assert by_name["card"].pii == "payment_card" and by_name["card"].low is None and by_name["card"].high is None
    assert by_name["lat"].pii == "location" and not by_name["lat"].has_range
    assert by_name["amount"].pii is None


def test_a_column_repeating_one_or_two_cards_is_personal():
    values = [4111111111111111, 5500000000000004] * 30
    assert pii.detect_numbers("cardint", pd.Series(values, dtype="int64"), len(values)).kind == "payment_card"
    assert pii.detect_numbers("c", pd.Series([4111111111111111] * 10, dtype="int64"), 10).kind == "payment_card"
