"""The relations check family (checks/relations.py): each finding's count, table, column, subject
and severity from the exact counts of the relationships; and a folder of CSVs audited end to end."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness.checks import relations as relation_checks
from readiness.models import DeclaredKey, Relations, Relationship, TableKey
from tests.conftest import finding, run_audit

ORDERS = Relationship(child="orders", child_columns=("customer_id",), parent="customers",
                      parent_columns=("customer_id",), declared=False, containment=0.95, child_rows=1000,
                      keyed_rows=990, orphan_rows=40, parent_rows=200, duplicate_parent_keys=1,
                      childless_parents=30, child_before_parent=3, timestamps=("ordered", "signup"))


def by_id(found):
    return {f.id: f for f in found}


def test_each_count_becomes_a_finding_on_the_table_it_counts():
    found = by_id(relation_checks.findings(Relations(relationships=(ORDERS,)), {"customers": ("customer_id",)}))
    assert set(found) == {"orders/customer_id/orphan_rows/customers",
                          "customers/customer_id/duplicate_parent_keys/orders",
                          "customers/customer_id/childless_parents/orders",
                          "orders/customer_id/child_before_parent/customers"}
    orphans = found["orders/customer_id/orphan_rows/customers"]
    assert (orphans.count, orphans.fraction, orphans.severity, orphans.dimension) == (40, 0.04, "major", "consistency")
    assert orphans.details["parent_table"] == "customers" and orphans.details["keyed_rows"] == 990
    repeats = found["customers/customer_id/duplicate_parent_keys/orders"]
    assert (repeats.count, repeats.fraction, repeats.severity, repeats.dimension) == (1, 0.005, "minor", "uniqueness")
    assert repeats.details["also_not_unique"] is True
    childless = found["customers/customer_id/childless_parents/orders"]
    assert (childless.count, childless.severity) == (30, "info")  # customers without orders are normal
    before = found["orders/customer_id/child_before_parent/customers"]
    assert (before.count, before.severity, before.details["child_timestamp"]) == (3, "minor", "ordered")


def test_severity_follows_the_share():
    few = Relationship("a", ("b_id",), "b", ("id",), False, 0.999, 10_000, 10_000, 1, 100, 0, 80)
    found = by_id(relation_checks.findings(Relations(relationships=(few,))))
    assert found["a/b_id/orphan_rows/b"].severity == "minor"  # any orphan is at least minor
    assert found["b/id/childless_parents/a"].severity == "minor"  # most parents without a child
    assert "b/id/duplicate_parent_keys/a" not in found


def test_two_relationships_of_one_table_keep_apart():
    other = Relationship("returns", ("customer_id",), "customers", ("customer_id",), False, 1.0, 50, 50, 5, 200, 1, 0)
    found = relation_checks.findings(Relations(relationships=(ORDERS, other)))
    repeats = [f for f in found if f.check == "duplicate_parent_keys"]
    assert sorted(f.id for f in repeats) == ["customers/customer_id/duplicate_parent_keys/orders",
                                             "customers/customer_id/duplicate_parent_keys/returns"]


def test_declared_key_violated_for_keys_and_foreign_keys():
    declared = (DeclaredKey("primary", "items", ("shop", "item_no")),
                DeclaredKey("foreign", "lines", ("item_no",), "items", ("item_no",)))
    key = TableKey("items", ("shop", "item_no"), True, False, 2, 1, 50)
    link = Relationship("lines", ("item_no",), "items", ("item_no",), True, 0.5, 10, 10, 4, 50, 0, 40)
    found = by_id(relation_checks.findings(Relations((key,), (link,), None, declared)))
    broken = found["items/shop+item_no/declared_key_violated/primary"]
    assert (broken.count, broken.fraction, broken.dimension, broken.severity) == (3, 0.06, "validity", "major")
    assert found["lines/item_no/declared_key_violated/foreign:items"].count == 4
    assert found["lines/item_no/orphan_rows/items"].count == 4


def test_a_folder_of_csvs(tmp_path):
    data = tmp_path / "crm"
    data.mkdir()
    rng = np.random.default_rng(11)
    ids = np.arange(1, 301)
    signup = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, 300), unit="D")
    pd.DataFrame({"account_id": ids, "plan": rng.choice(["free", "pro"], 300),
                  "signup_date": signup.strftime("%Y-%m-%d")}).to_csv(data / "accounts.csv", index=False)
    tickets = pd.DataFrame({"ticket_id": np.arange(1, 2001), "account_id": rng.choice(ids[:250], 2000),
                            "created_at": "2024-06-01", "priority": rng.choice(["low", "high"], 2000),
                            "escalated": rng.choice(["yes", "no"], 2000)})
    tickets.loc[:24, "account_id"] = np.arange(5000, 5025)  # 25 tickets of accounts that do not exist
    tickets.loc[25:30, "created_at"] = "2023-06-01"  # 6 tickets before their account signed up
    tickets.to_csv(data / "tickets.csv", index=False)
    (data / "readiness.toml").write_text('[label]\ncolumn = "escalated"\ntable = "tickets.csv"\n', encoding="utf-8")
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    assert finding(document, "tickets.csv/account_id/orphan_rows/accounts.csv")["count"] == 25
    assert finding(document, "tickets.csv/account_id/child_before_parent/accounts.csv")["count"] == 6
    childless = 300 - len(set(tickets["account_id"]) & set(ids))
    assert finding(document, "accounts.csv/account_id/childless_parents/tickets.csv")["count"] == childless
    assert not [f for f in document["findings"] if f["check"] in ("duplicate_parent_keys", "declared_key_violated")]
