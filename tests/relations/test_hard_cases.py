"""Key inference where a tester broke it: declared keys of tables that could not be read, typed
dates (a database's or Parquet's ``date``), one bad value among integer ids, and generic names
(``ref``, ``number``) over small integers. Every count is known by construction."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from readiness.ingest.columns import normalise_frame
from readiness.ingest.model import Table
from readiness.models import DeclaredKey
from readiness.profile import relations
from tests.conftest import run_audit


def table(name: str, frame: pd.DataFrame, fmt: str = "csv") -> Table:
    return Table(name, name, fmt, normalise_frame(frame))


def text(values) -> pd.Series:
    """Values as a CSV reader holds them: Arrow text."""
    return pd.Series([None if v is None else str(v) for v in values], dtype="string[pyarrow]")


# 1. declared keys of a table the audit could not read

def test_declared_keys_of_tables_not_read_are_left_out():
    customers = table("public.customers", pd.DataFrame({"id": np.arange(1, 21)}), "postgresql")
    orders = table("public.orders", pd.DataFrame({"id": np.arange(1, 41), "customer_id": np.resize(np.arange(1, 21), 40),
                                                  "payment_id": np.arange(1, 41)}), "postgresql")
    kept = (DeclaredKey("primary", "public.customers", ("id",), name="customers_pkey"),
            DeclaredKey("primary", "public.orders", ("id",), name="orders_pkey"),
            DeclaredKey("foreign", "public.orders", ("customer_id",), "public.customers", ("id",), "orders_customer_fk"))
    unread = (DeclaredKey("primary", "public.payments", ("id",), name="payments_pkey"),  # permission denied
              DeclaredKey("unique", "public.payments", ("ref",), name="payments_ref_key"),
              DeclaredKey("foreign", "public.orders", ("payment_id",), "public.payments", ("id",), "orders_payment_fk"),
              DeclaredKey("foreign", "public.payments", ("customer_id",), "public.customers", ("id",), "pay_cust_fk"))
    found = relations.infer([customers, orders], kept[:2] + unread[:2] + kept[2:] + unread[2:])
    assert found.declared == kept
    assert {k.table for k in found.keys} == {"public.customers", "public.orders"}
    assert [(r.child, r.child_columns, r.parent, r.declared) for r in found.relationships] == \
        [("public.orders", ("customer_id",), "public.customers", True)]
    named = {t for k in found.declared for t in (k.table, k.parent_table) if t} | \
        {t for r in found.relationships for t in (r.child, r.parent)} | {k.table for k in found.keys}
    assert named <= {"public.customers", "public.orders"}


# 2. typed dates: a database's or Parquet's date column holds datetime.date objects

def accounts_and_moves() -> tuple[pd.DataFrame, pd.DataFrame]:
    """100 accounts opened 2024-03-01..28; 300 moves dated within the month, 10 of them (accounts
    1..10) on 2024-02-01, before every account opened; one move without a date."""
    opened = [datetime.date(2024, 3, int(d)) for d in np.resize(np.arange(1, 29), 100)]
    accounts = pd.DataFrame({"account_id": np.arange(1, 101), "opened": opened})
    moves = pd.DataFrame({"move_id": np.arange(1, 301), "account_id": np.resize(np.arange(1, 101), 300),
                          "created": list(np.resize(np.array(opened, dtype=object), 300))})
    moves.loc[:9, "created"] = datetime.date(2024, 2, 1)
    moves.loc[10, "created"] = None
    return accounts, moves


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_typed_dates_count_children_before_their_parent(tmp_path, fmt):
    accounts, moves = accounts_and_moves()
    data = tmp_path / "bank"
    data.mkdir()
    for name, frame in (("accounts", accounts), ("moves", moves)):
        if fmt == "csv":
            frame.to_csv(data / f"{name}.csv", index=False)
        else:
            arrow = pa.Table.from_pandas(frame, preserve_index=False)
            assert pa.types.is_date32(arrow.schema.field("opened" if name == "accounts" else "created").type)
            pq.write_table(arrow, data / f"{name}.parquet")
    document = run_audit(data, tmp_path / "out")
    [link] = document["relations"]["relationships"]
    assert (link["child"], link["parent"]) == (f"moves.{fmt}", f"accounts.{fmt}")
    assert link["child_before_parent"] == 10 and link["timestamps"] == ["created", "opened"]


def test_object_dates_and_zoned_timestamps_compare_in_utc():
    accounts, moves = accounts_and_moves()
    found = relations.infer([table("main.accounts", accounts, "duckdb"), table("main.moves", moves, "duckdb")])
    [link] = found.relationships
    assert link.child_before_parent == 10 and link.timestamps == ("created", "opened")
    # parents opened at 00:30 Berlin time (23:30 UTC the day before); children 15 minutes later in
    # UTC, which naive local times would put before; 10 children an hour before their parent
    opened = pd.Timestamp("2024-03-01 00:30", tz="Europe/Berlin") + pd.to_timedelta(np.arange(100), unit="D")
    zoned = pd.DataFrame({"account_id": np.arange(1, 101), "opened_at": opened})
    utc = opened.tz_convert("UTC")
    created = [t.to_pydatetime() for t in np.resize(utc + pd.Timedelta(minutes=15), 300)]
    created[:10] = [t.to_pydatetime() for t in utc[:10] - pd.Timedelta(hours=1)]
    moves = pd.DataFrame({"move_id": np.arange(1, 301), "account_id": np.resize(np.arange(1, 101), 300),
                          "created": pd.Series(created, dtype=object)})
    assert moves["created"].dtype == object and isinstance(moves["created"][0], datetime.datetime)
    [link] = relations.infer([table("a.accounts", zoned, "postgresql"), table("a.moves", moves, "postgresql")]
                             ).relationships
    assert link.child_before_parent == 10 and link.timestamps == ("created", "opened_at")


# 3. one bad value among integer ids

def orders_with(bad: str) -> pd.DataFrame:
    """200 orders over customers 5001..5100 (each twice) and one more with a bad customer id."""
    ids = [str(v) for v in np.resize(np.arange(5001, 5101), 200)] + [bad]
    return pd.DataFrame({"order_id": np.arange(1, 202), "customer_id": ids})


@pytest.mark.parametrize("bad", ["05001", "A5001"])
def test_one_bad_value_is_an_orphan_not_the_end_of_the_relationship(tmp_path, bad):
    data = tmp_path / "shop"
    data.mkdir()
    pd.DataFrame({"customer_id": np.arange(5001, 5101), "name": [f"c{i}" for i in range(100)]}).to_parquet(
        data / "customers.parquet", index=False)
    orders_with(bad).to_csv(data / "orders.csv", index=False)
    document = run_audit(data, tmp_path / "out")
    [link] = document["relations"]["relationships"]
    assert (link["child"], link["child_columns"], link["parent"]) == ("orders.csv", ["customer_id"], "customers.parquet")
    assert link["orphan_rows"] == 1 and link["keyed_rows"] == 201 and link["containment"] == pytest.approx(100 / 101)


@pytest.mark.parametrize("bad", ["05001", "A5001"])
def test_json_ids_with_one_bad_value(bad):
    customers = table("customers.parquet", pd.DataFrame({"customer_id": np.arange(5001, 5101)}), "parquet")
    as_strings = orders_with(bad)  # JSON strings: "5001", ..., bad
    as_numbers = orders_with(bad)  # JSON numbers with one string among them
    as_numbers["customer_id"] = pd.Series([int(v) for v in as_numbers["customer_id"][:200]] + [bad], dtype=object)
    for frame in (as_strings, as_numbers):
        [link] = relations.infer([customers, table("orders.json", frame, "json")]).relationships
        assert (link.child, link.parent, link.orphan_rows, link.keyed_rows) == ("orders.json", "customers.parquet", 1, 201)
        assert link.containment == pytest.approx(100 / 101)


def test_a_parent_key_of_mostly_integer_text_takes_integer_children():
    keys = [str(v) for v in range(5001, 5101)] + ["X-1"]  # 100 of 101 distinct keys are integers
    customers = table("customers.csv", pd.DataFrame({"customer_id": text(keys)}))
    orders = table("orders.parquet", pd.DataFrame({"order_id": np.arange(1, 301),
                                                   "customer_id": np.resize(np.arange(5001, 5101), 300)}), "parquet")
    [link] = relations.infer([customers, orders]).relationships
    assert (link.child, link.parent, link.orphan_rows, link.childless_parents) == \
        ("orders.parquet", "customers.csv", 0, 1)


# 4. generic names over small integers name no parent

def test_generic_names_over_small_integers_invent_no_links():
    rng = np.random.default_rng(5)
    invoices = table("invoices.csv", pd.DataFrame({"invoice_no": np.arange(1, 301), "ref": rng.integers(1, 40, 300),
                                                   "key": rng.integers(1, 30, 300)}))
    survey = table("survey.csv", pd.DataFrame({"survey_id": np.arange(1, 201), "number": rng.integers(1, 50, 200),
                                               "code": rng.integers(1, 45, 200), "num": rng.integers(1, 25, 200),
                                               "no": rng.integers(1, 20, 200)}))
    products = table("products.csv", pd.DataFrame({"id": np.arange(1, 51), "name": [f"p{i}" for i in range(50)]}))
    assert all(len(np.unique(t.frame[c])) >= 10 for t in (invoices, survey) for c in t.frame.columns)
    assert relations.infer([invoices, survey, products]).relationships == ()
    # a name that names the parent still makes the link
    survey.frame["invoice_no"] = rng.integers(1, 301, 200)
    survey.frame["product_ref"] = rng.integers(1, 51, 200)
    found = relations.infer([invoices, survey, products])
    assert sorted((r.child, r.child_columns[0], r.parent, r.parent_columns[0]) for r in found.relationships) == \
        [("survey.csv", "invoice_no", "invoices.csv", "invoice_no"), ("survey.csv", "product_ref", "products.csv", "id")]
    assert relations.name_score("number", "invoices.csv", "number") == 1
    assert relations.name_score("ref", "survey.csv", "survey_id") == 1
