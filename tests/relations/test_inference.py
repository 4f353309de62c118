"""Key inference (profile/relations.py) over frames built here: every count is known by
construction, and the guards keep coincidences (codes, years, flags) from becoming keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from readiness.ingest.columns import normalise_frame
from readiness.ingest.model import Table
from readiness.models import DeclaredKey
from readiness.profile import relations


def table(name: str, frame: pd.DataFrame, fmt: str = "csv") -> Table:
    return Table(name, name, fmt, normalise_frame(frame))


def text(values) -> pd.Series:
    """Values as a CSV reader holds them: Arrow text."""
    return pd.Series([None if v is None else str(v) for v in values], dtype="string[pyarrow]")


def shop(orphans: int = 0, repeats: int = 0) -> tuple[Table, Table]:
    """200 customers (ids 101..300), 1,000 orders over the first 150 of them; ``orphans`` orders
    refer to ids 901.., ``repeats`` customers carry the id of the customer before them."""
    ids = np.arange(101, 301)
    customer_ids = ids.copy()
    customer_ids[50:50 + repeats] = customer_ids[49]
    customers = pd.DataFrame({"customer_id": customer_ids, "country": np.resize(["DE", "FR", "NL"], 200),
                              "signup": pd.date_range("2023-01-01", periods=200, freq="D")})
    rng = np.random.default_rng(7)
    order_customers = np.resize(np.concatenate([ids[:50], ids[50 + repeats:150]]), 1000)
    order_customers[:orphans] = np.arange(901, 901 + orphans)
    orders = pd.DataFrame({"order_id": np.arange(1, 1001), "customer_id": text(order_customers),
                           "amount": rng.gamma(2.0, 20.0, 1000).round(2), "quantity": rng.integers(1, 6, 1000),
                           "order_date": text(["2025-06-01"] * 1000)})
    return table("customers.xlsx:customers", customers, "excel"), table("orders.csv", orders)


def test_keys_and_a_relationship_with_exact_counts():
    customers, orders = shop(orphans=7, repeats=3)
    found = relations.infer([customers, orders], label_table="orders.csv",
                            id_columns={"customers.xlsx:customers": ("customer_id",)})
    keys = {k.table: k for k in found.keys}
    assert keys["orders.csv"].columns == ("order_id",) and keys["orders.csv"].holds
    customer_key = keys["customers.xlsx:customers"]
    assert (customer_key.columns, customer_key.holds, customer_key.duplicates, customer_key.missing) == \
        (("customer_id",), False, 3, 0)
    [link] = found.relationships
    assert (link.child, link.child_columns, link.parent, link.parent_columns) == \
        ("orders.csv", ("customer_id",), "customers.xlsx:customers", ("customer_id",))
    assert not link.declared
    assert link.orphan_rows == 7 and link.keyed_rows == 1000 and link.child_rows == 1000
    assert link.duplicate_parent_keys == 3
    # 197 distinct customer ids (the 3 repeats' own ids 151..153 are gone); orders refer to the first 147
    parent_keys = set(customers.frame["customer_id"])
    referred = set(map(int, orders.frame["customer_id"]))
    assert link.childless_parents == len(parent_keys - referred) == 50
    child_keys = set(map(int, orders.frame["customer_id"]))
    assert link.containment == pytest.approx(len(child_keys & parent_keys) / len(child_keys))
    assert link.child_before_parent == 0 and link.timestamps == ("order_date", "signup")
    assert found.coverage is not None
    assert (found.coverage.table, found.coverage.rows, found.coverage.surviving) == ("orders.csv", 1000, 993)
    assert found.coverage.lost_by == {"customers.xlsx:customers": 7}


def test_canonical_text_matches_csv_text_excel_floats_and_json_numbers():
    ids = np.arange(5001, 5041)
    parent = table("people.json", pd.DataFrame({"person_id": pd.array(ids, dtype="Int64"),
                                                "name": [f"n{i}" for i in range(40)]}), "json")
    as_float = table("visits.xlsx:visits", pd.DataFrame({"person_id": np.resize(ids, 80).astype(float)}), "excel")
    as_text = table("calls.csv", pd.DataFrame({"person_id": text(np.resize(ids, 60))}))
    as_object = table("notes.jsonl", pd.DataFrame({"person_id": pd.Series(list(np.resize(ids, 30)), dtype=object)}))
    found = relations.infer([parent, as_float, as_text, as_object])
    links = {r.child: r for r in found.relationships}
    assert set(links) == {"visits.xlsx:visits", "calls.csv", "notes.jsonl"}
    assert all(r.parent == "people.json" and r.orphan_rows == 0 and r.containment == 1.0 for r in links.values())
    # "5001.0" as text is not 5001 (CSV values compare as the text in the file)
    written = table("calls.csv", pd.DataFrame({"person_id": text([f"{i}.0" for i in np.resize(ids, 60)])}))
    assert not relations.infer([parent, written]).relationships


def test_coincidences_do_not_become_keys():
    ids = np.arange(1, 3001)
    parent = table("accounts.csv", pd.DataFrame({"account_id": ids, "opened": text(["2024-01-01"] * 3000)}))
    rng = np.random.default_rng(3)
    child = table("payments.csv", pd.DataFrame({
        "payment_id": np.arange(1, 501) + 10_000,
        "rating": rng.integers(1, 6, 500),  # small integer codes 1..5, all among the account ids
        "year": rng.integers(1990, 2025, 500),  # years, all among the account ids
        "flag": rng.integers(0, 2, 500).astype(bool),
        "quantity": rng.integers(1, 3000, 500),  # integers inside the ids' range, but no key name
        "price": rng.gamma(2.0, 10.0, 500),
    }))
    found = relations.infer([parent, child])
    assert found.relationships == ()
    # the child's own key is no child of the parent's key (payment ids are no account ids)
    keyed = table("payments.csv", pd.DataFrame({"payment_id": np.arange(1, 501)}))
    assert relations.infer([parent, keyed]).relationships == ()


def test_names_break_ties_and_forbid_mismatched_names():
    ids = np.arange(100, 400)
    customers = table("customers.csv", pd.DataFrame({"id": ids}))
    events = table("events.csv", pd.DataFrame({"event_id": np.arange(1, 1001)}))
    orders = table("orders.csv", pd.DataFrame({"order_id": np.arange(1, 401), "customer_id": np.resize(ids, 400)}))
    found = relations.infer([customers, events, orders])
    assert [(r.child, r.parent, r.parent_columns) for r in found.relationships] == \
        [("orders.csv", "customers.csv", ("id",))]
    # with customers gone, customer_id does not fall back to the event ids that contain it
    assert relations.infer([events, orders]).relationships == ()
    assert relations.name_score("customer_id", "customers.csv", "id") == 3
    assert relations.name_score("customer_id", "events.csv", "event_id") == -1
    assert relations.entity("shop/customers.xlsx:customers") == "customer"


def test_two_column_keys():
    stores, days = np.repeat(np.arange(1, 21), 30), np.tile(np.arange(1, 31), 20)
    totals = table("store_days.csv", pd.DataFrame({"store_id": stores, "day_no": days, "total": np.arange(600.0)}))
    sales = table("sales.csv", pd.DataFrame({"sale_id": np.arange(1, 1201), "store_id": np.resize(stores, 1200),
                                             "day_no": np.resize(days, 1200)}))
    sales.frame.loc[:4, "day_no"] = 99  # 5 sales of a day no store total has
    found = relations.infer([totals, sales])
    keys = {k.table: k for k in found.keys}
    assert keys["store_days.csv"].columns == ("store_id", "day_no") and keys["store_days.csv"].holds
    pairs = [r for r in found.relationships if len(r.child_columns) == 2]
    assert [(r.child, r.child_columns, r.parent, r.orphan_rows) for r in pairs] == \
        [("sales.csv", ("store_id", "day_no"), "store_days.csv", 5)]


def test_child_before_parent_counts_rows_dated_before_their_parent():
    accounts = table("accounts.csv", pd.DataFrame({
        "account_id": np.arange(1, 101), "opened_at": text([f"2024-03-{d:02d}" for d in np.resize(np.arange(1, 29), 100)])}))
    dates = [f"2024-03-{d:02d}" for d in np.resize(np.arange(1, 29), 100)]
    moves = pd.DataFrame({"move_id": np.arange(1, 301), "account_id": np.resize(np.arange(1, 101), 300),
                          "created": text(np.resize(dates, 300))})
    moves.loc[:9, "created"] = "2024-02-01"  # 10 rows before any account opened (accounts 1..10)
    moves.loc[10, "created"] = None  # no date: not compared
    moves.loc[11, "account_id"] = 999  # an orphan: not compared
    found = relations.infer([accounts, table("moves.csv", moves)])
    [link] = found.relationships
    assert link.timestamps == ("created", "opened_at")
    assert link.child_before_parent == 10 and link.orphan_rows == 1


def test_declared_keys_are_kept_whatever_the_data_says():
    parent = table("main.items", pd.DataFrame({"item_id": [1, 2, 2, 4, None], "code": list("abcde")}))
    child = table("main.lines", pd.DataFrame({"line_id": [1, 2, 3], "item": [1, 7, 8]}))
    declared = (DeclaredKey("primary", "main.items", ("item_id",), name="items_pkey"),
                DeclaredKey("foreign", "main.lines", ("item",), "main.items", ("item_id",), "lines_item_fkey"))
    found = relations.infer([parent, child], declared)
    key = next(k for k in found.keys if k.table == "main.items")
    assert (key.declared, key.holds, key.duplicates, key.missing) == (True, False, 1, 1)
    [link] = found.relationships  # containment 1/3: kept, as the schema declares it
    assert link.declared and link.orphan_rows == 2 and link.containment == pytest.approx(1 / 3)
    assert found.declared == declared and found


def test_one_table_relates_nothing():
    customers, _ = shop()
    found = relations.infer([customers])
    assert not found and found.relationships == () and found.coverage is None
