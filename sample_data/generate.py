"""Make the demo client folders: seeded, realistic, each with a manifest of the defects injected
(sample_data/manifests/<name>.json, kept outside the folders so it is not audited as data).

Usage: python sample_data/generate.py [OUT_DIR]   (default: the folder this script is in)

Every defect is injected at chosen row positions, so its count is known by construction; where
defects interact (a duplicated row repeats a missing label), the manifest's count is what plain
pandas says of the final file. Tests read the manifests and compare the audit's counts with them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261122
FIRST = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hana", "Ivan", "Jia", "Kofi", "Lena"]
LAST = ["Silva", "Okafor", "Novak", "Tanaka", "Haddad", "Larsen", "Moreau", "Kowalski", "Reyes", "Singh"]


def _write_manifest(folder: Path, dataset: str, defects: list[dict[str, object]], notes: str) -> None:
    manifest = {"dataset": dataset, "seed": SEED, "notes": notes, "defects": defects}
    manifests = folder.parent / "manifests"
    manifests.mkdir(exist_ok=True)
    (manifests / f"{dataset}.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _pick(rng: np.random.Generator, pool: np.ndarray, k: int) -> np.ndarray:
    chosen = rng.choice(pool, size=k, replace=False)
    return np.sort(chosen)


def support(folder: Path, rng: np.random.Generator) -> None:
    """Support tickets for an intent chatbot: free text, label gaps, mixed dates, bad emails."""
    n = 3000
    intents = np.array(["order_status", "refund", "shipping", "cancel", "product_question", "complaint",
                        "account", "billing"])
    weights = np.array([0.27, 0.17, 0.16, 0.12, 0.12, 0.09, 0.064, 0.006])
    intent = intents[rng.choice(len(intents), n, p=weights / weights.sum())].astype(object)
    starts = pd.Timestamp("2025-01-01")
    seconds = rng.integers(0, 86400 * 300, n)
    stamps = starts + pd.to_timedelta(np.sort(seconds), unit="s")
    created = stamps.strftime("%Y-%m-%d %H:%M:%S").to_numpy(dtype=object)
    users = rng.integers(1000, 9999, n)
    email = np.array([f"customer{u}@example.com" for u in users], dtype=object)
    phrases = {
        "order_status": ["where is my order", "order has not arrived yet", "tracking shows no update"],
        "refund": ["I want my money back", "please refund the broken item", "refund not received"],
        "shipping": ["how long does shipping take", "can you ship to my country", "delivery was late"],
        "cancel": ["please cancel my order", "cancel the subscription", "I ordered by mistake"],
        "product_question": ["is this jacket waterproof", "what size should I pick", "does it come in blue"],
        "complaint": ["the support was rude", "product quality is poor", "very disappointed with service"],
        "account": ["cannot log in to my account", "reset my password please", "change my address"],
        "billing": ["charged twice on my card", "invoice shows wrong amount", "need a VAT invoice"],
    }
    message = np.array([f"{rng.choice(phrases[i])} (ticket about order {rng.integers(10000, 99999)})"
                        for i in intent], dtype=object)
    channel = rng.choice(["email", "chat", "phone", "web_form"], n).astype(object)
    priority = rng.choice(["low", "medium", "high"], n).astype(object)
    csat = rng.integers(1, 6, n).astype(object).astype(str)

    rows = np.arange(n)
    free = rows.copy()

    def take(k: int) -> np.ndarray:
        nonlocal free
        chosen = _pick(rng, free, k)
        free = np.setdiff1d(free, chosen)
        return chosen

    day_first = take(240)  # valid dates, other layout
    created[day_first] = stamps[day_first].strftime("%d/%m/%Y")
    junk = take(45)
    created[junk] = rng.choice(["not a date", "yesterday", "asap", "12:30"], len(junk))
    impossible = take(6)
    created[impossible] = ["2025-02-30 10:00:00", "2025-04-31 09:15:00", "2025-13-01 11:00:00",
                           "2025-06-31 08:00:00", "2025-02-29 12:00:00", "2025-09-31 17:45:00"]
    created_missing = take(25)
    created[created_missing] = ""

    free = rows.copy()
    bad_email = take(130)
    email[bad_email] = [f"customer{u}.example.com" if j % 2 else f"customer{u}@" for j, u in
                        enumerate(users[bad_email])]
    email_missing = take(60)
    email[email_missing] = rng.choice(["", "N/A", "  "], len(email_missing))

    free = rows.copy()
    label_missing = take(780)
    intent[label_missing] = rng.choice(["", "NA", "null"], len(label_missing))
    pii_in_text = take(12)
    message[pii_in_text] = [f"please call me back at +1 415 555 {1000 + j:04d} about my refund" if j % 2 else
                            f"my other address is backup{j}@mailbox.org, write there" for j in range(len(pii_in_text))]

    free = rows.copy()
    priority[take(610)] = ""
    csat[take(900)] = ""

    frame = pd.DataFrame({
        "ticket_id": [f"T{100000 + i}" for i in range(n)], "created_at": created, "customer_email": email,
        "channel": channel, "message": message, "intent": intent, "priority": priority, "csat": csat,
    })
    duplicates = frame.iloc[_pick(rng, rows, 40)]
    frame = pd.concat([frame, duplicates], ignore_index=True)
    path = folder / "tickets.csv"
    frame.to_csv(path, index=False)

    text = pd.read_csv(path, dtype=str, keep_default_na=True)
    na = text.isna()
    defects = [
        {"check": "label_missing", "table": "tickets.csv", "column": "intent", "count": int(na["intent"].sum())},
        {"check": "mixed_formats", "table": "tickets.csv", "column": "created_at",
         "count": int(frame["created_at"].isin(set(created[day_first])).sum())},
        {"check": "format", "table": "tickets.csv", "column": "created_at",
         "count": int(frame["created_at"].isin(set(created[junk]) | set(created[impossible])).sum())},
        {"check": "missing_values", "table": "tickets.csv", "column": "created_at", "count": int(na["created_at"].sum())},
        {"check": "format", "table": "tickets.csv", "column": "customer_email",
         "count": int(frame["customer_email"].isin(set(email[bad_email])).sum())},
        {"check": "missing_values", "table": "tickets.csv", "column": "customer_email",
         "count": int(frame["customer_email"].str.strip().isin(["", "N/A"]).sum())},
        {"check": "missing_values", "table": "tickets.csv", "column": "priority", "count": int(na["priority"].sum())},
        {"check": "missing_values", "table": "tickets.csv", "column": "csat", "count": int(na["csat"].sum())},
        {"check": "duplicate_rows", "table": "tickets.csv", "column": None, "count": int(text.duplicated().sum())},
        {"check": "not_unique", "table": "tickets.csv", "column": "ticket_id",
         "count": int(text["ticket_id"].duplicated().sum())},
        {"check": "pii", "table": "tickets.csv", "column": "message",
         "count": int(frame["message"].isin(set(message[pii_in_text])).sum())},
        {"check": "class_too_small", "table": "tickets.csv", "column": "intent",
         "count": int((text["intent"] == "billing").sum())},
    ]
    _write_manifest(folder, "support", defects,
                    "240 dates written day-first, 45 non-dates and 6 impossible calendar dates in created_at; "
                    "130 malformed emails; 780 tickets without an intent; 12 messages carrying a phone number "
                    "or an email; 40 exact duplicate rows appended; 'billing' is a rare intent.")
    (folder / "readiness.toml").write_text(SUPPORT_CONFIG, encoding="utf-8")


SUPPORT_CONFIG = """\
# Demo config for the support-ticket folder (see docs/configuration.md).
[project]
goal = "Route incoming customer-support tickets to the right team with an intent classifier"
task = "text-classification"
success_metric = "macro F1 of at least 0.85 on the most recent month of tickets"
timeline = "6 weeks, starting in January"
deliverables = ["trained intent model", "evaluation report", "batch inference script"]
labeling = "Two support leads label tickets with an 8-intent guide; about 1 in 10 tickets is labeled twice (agreement not yet measured)"
data_access = "A copy with personal data removed, shared after an NDA; no access to the live helpdesk"
day_rate = 650
currency = "EUR"
owner = "The support operations lead owns the model and its monitoring after delivery"
constraints = ["runs on-premises as a nightly batch", "no customer data leaves the EU", "under 1 s per ticket"]

[label]
column = "intent"
classes = ["order_status", "refund", "shipping", "cancel", "product_question", "complaint", "account", "billing"]
min_class_count = 20

[tables."tickets.csv"]
id_columns = ["ticket_id"]
"""


def shop(folder: Path, rng: np.random.Generator) -> None:
    """An e-commerce export over several files and formats, with one broken file; its tables refer
    to each other by customer_id, with orphan orders, repeated customer ids and orders dated before
    their customer signed up (injected by a generator of their own, after the other defects)."""
    customers_n, orders_n, events_n = 600, 2500, 6000
    customer_ids = np.arange(5001, 5001 + customers_n)
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(customers_n)]
    signup = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, customers_n), unit="D")
    countries = rng.choice(["DE", "FR", "NL", "ES", "IT", "PL"], customers_n).astype(object)
    customers = pd.DataFrame({
        "customer_id": customer_ids, "name": names,
        "email": [f"{n.split()[0].lower()}.{i}@shopmail.example" for i, n in zip(customer_ids, names, strict=True)],
        "country": countries, "signup_date": signup.to_pydatetime(),
        "lifetime_value": rng.gamma(2.0, 150.0, customers_n).round(2),
    })
    missing_country = _pick(rng, np.arange(customers_n), 18)
    customers.loc[missing_country, "country"] = None
    errors = _pick(rng, np.setdiff1d(np.arange(customers_n), missing_country), 4)

    order_dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 365, orders_n)), unit="D")
    amount = rng.lognormal(3.5, 0.8, orders_n).round(2)
    orders = pd.DataFrame({
        "order_id": np.arange(900001, 900001 + orders_n),
        "customer_id": rng.choice(customer_ids, orders_n),
        "order_date": order_dates.strftime("%Y-%m-%d"),
        "amount": amount.astype(str),
        "currency": "EUR",
        "status": rng.choice(["delivered", "shipped", "cancelled"], orders_n, p=[0.8, 0.15, 0.05]),
        "returned": rng.choice(["no", "yes"], orders_n, p=[0.85, 0.15]).astype(object),
    })
    rows = np.arange(orders_n)
    negative = _pick(rng, rows, 14)
    orders.loc[negative, "amount"] = ["-" + orders.loc[i, "amount"] for i in negative]
    rest = np.setdiff1d(rows, negative)
    not_number = _pick(rng, rest, 9)
    orders.loc[not_number, "amount"] = rng.choice(["free", "TBD", "12,50 EUR"], len(not_number))
    rest = np.setdiff1d(rest, not_number)
    label_gap = _pick(rng, rows, 200)
    orders.loc[label_gap, "returned"] = ""
    odd = _pick(rng, np.setdiff1d(rows, label_gap), 7)
    orders.loc[odd, "returned"] = "maybe"

    event_types = ["page_view", "add_to_cart", "checkout", "search"]
    events_ts = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 86400 * 365, events_n)), unit="s")
    records = []
    no_ts = set(_pick(rng, np.arange(events_n), 33).tolist())
    for i in range(events_n):
        kind = str(rng.choice(event_types))
        record: dict[str, object] = {"event_id": i + 1, "customer_id": int(rng.choice(customer_ids)), "type": kind,
                                     "ts": events_ts[i].strftime("%Y-%m-%dT%H:%M:%SZ")}
        if i in no_ts:
            record["ts"] = None
        if kind == "search":
            record["properties"] = {"query": str(rng.choice(["boots", "rain jacket", "scarf"]))}
        records.append(record)
    (folder / "returns_2023.parquet").write_bytes(b"PAR1" + rng.bytes(300))  # truncated: no footer
    (folder / "README.pdf").write_bytes(b"%PDF-1.4\n% export notes\n")

    keys = _shop_keys(customers, orders, records, np.random.default_rng(SEED + 4242))
    _write_customers(folder, customers, errors)
    orders.to_csv(folder / "orders.csv", index=False)
    (folder / "events.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")

    events = pd.read_json(folder / "events.jsonl", lines=True, dtype=False)
    orders_text = pd.read_csv(folder / "orders.csv", dtype=str)
    defects = [
        {"check": "file_rejected", "table": None, "column": None, "path": "returns_2023.parquet", "count": 1},
        {"check": "missing_values", "table": "customers.xlsx:customers", "column": "country", "count": 18},
        {"check": "missing_values", "table": "customers.xlsx:customers", "column": "lifetime_value", "count": 4},
        {"check": "pii", "table": "customers.xlsx:customers", "column": "name", "count": customers_n},
        {"check": "pii", "table": "customers.xlsx:customers", "column": "email", "count": customers_n},
        {"check": "out_of_range", "table": "orders.csv", "column": "amount", "count": 14},
        {"check": "format", "table": "orders.csv", "column": "amount", "count": 9},
        {"check": "label_missing", "table": "orders.csv", "column": "returned",
         "count": int(orders_text["returned"].isna().sum())},
        {"check": "label_not_in_set", "table": "orders.csv", "column": "returned", "count": 7},
        {"check": "missing_values", "table": "events.jsonl", "column": "ts", "count": int(events["ts"].isna().sum())},
        {"check": "missing_values", "table": "events.jsonl", "column": "properties",
         "count": int(events["properties"].isna().sum())},
        *_key_defects(folder, orders_text, events),
    ]
    _write_manifest(folder, "shop", defects,
                    "orders.csv: 14 negative and 9 non-numeric amounts, 200 orders without a returned label, "
                    "7 labelled 'maybe'; customers.xlsx: 18 missing countries, 4 #VALUE! errors, names and "
                    "emails; events.jsonl: 33 events without a timestamp; returns_2023.parquet is truncated; "
                    "README.pdf is not data. Keys: every order and event follows its customer's signup, except "
                    f"{keys['before']} orders of {keys['late']} customers whose signup was moved after their first "
                    f"order; {keys['orphans']} orders refer to customer ids no customer has; {keys['repeated']} "
                    "customers carry another customer's id (their events moved with it).")
    (folder / "readiness.toml").write_text(SHOP_CONFIG, encoding="utf-8")


def _write_customers(folder: Path, customers: pd.DataFrame, errors: np.ndarray) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "customers"
    sheet.append(list(customers.columns))
    for index, row in enumerate(customers.itertuples(index=False)):
        values = [None if (isinstance(v, float) and np.isnan(v)) else v for v in row]
        sheet.append(values)
        if index in set(errors.tolist()):
            cell = sheet.cell(row=index + 2, column=6)
            cell.value = "#VALUE!"
            cell.data_type = "e"
    regions = book.create_sheet("regions")
    regions.append(["country", "region", "vat_rate"])
    for country, region, vat in [("DE", "DACH", 19), ("FR", "West", 20), ("NL", "Benelux", 21),
                                 ("ES", "South", 21), ("IT", "South", 22), ("PL", "East", 23)]:
        regions.append([country, region, vat])
    book.save(folder / "customers.xlsx")


SHOP_REPEATED, SHOP_ORPHANS, SHOP_LATE = 3, 12, 15


def _shop_keys(customers: pd.DataFrame, orders: pd.DataFrame, records: list[dict[str, object]],
               rng: np.random.Generator) -> dict[str, int]:
    """The keys between the shop's tables, in place: first consistent (every order and event after
    its customer's signup), then the key defects, drawn by their own generator so the other
    defects' rows stay where they were."""
    events_customer = np.array([r["customer_id"] for r in records])
    # a few customers without orders take another customer's id (an earlier row's), events and all
    ordered = set(orders["customer_id"].tolist())
    idle = np.array([i for i in range(1, len(customers)) if customers.at[i, "customer_id"] not in ordered])
    repeated = _pick(rng, idle, SHOP_REPEATED)
    for index in repeated:
        old, new = customers.at[index, "customer_id"], customers.at[int(rng.integers(0, index)), "customer_id"]
        customers.at[index, "customer_id"] = new
        events_customer[events_customer == old] = new
    for record, customer in zip(records, events_customer, strict=True):
        record["customer_id"] = int(customer)

    # consistent: a customer who signed up after its first order or event did so 1 to 365 days before it
    stamps = pd.to_datetime(pd.Series([r["ts"] for r in records]), utc=True).dt.tz_localize(None)
    first_event = stamps.groupby(events_customer).min()
    first_order = pd.to_datetime(orders["order_date"]).groupby(orders["customer_id"].to_numpy()).min()
    first = pd.concat([first_event, first_order], axis=1).min(axis=1).dt.normalize()
    gap = pd.to_timedelta(rng.integers(1, 366, len(customers)), unit="D")
    activity = customers["customer_id"].map(first)
    customers["signup_date"] = pd.Series(customers["signup_date"]).where(
        activity.isna() | (pd.Series(customers["signup_date"]) < activity - gap), activity - gap)

    # late: some customers (first order in January) signed up the day after it, still before their first event
    first_rows = ~customers["customer_id"].duplicated()
    eligible = [i for i in np.flatnonzero(first_rows.to_numpy()) if i not in set(repeated.tolist())
                and customers.at[i, "customer_id"] in first_order.index
                and first_order[customers.at[i, "customer_id"]] < pd.Timestamp("2024-02-01")
                and first_order[customers.at[i, "customer_id"]] + pd.Timedelta(days=1)
                < first_event.get(customers.at[i, "customer_id"], pd.Timestamp.max)
                and customers.at[i, "customer_id"] not in set(customers.loc[repeated, "customer_id"].tolist())]
    late = _pick(rng, np.array(eligible), SHOP_LATE)
    for index in late:
        customers.at[index, "signup_date"] = first_order[customers.at[index, "customer_id"]] + pd.Timedelta(days=1)

    # orphans: orders of customer ids no customer has
    orphans = _pick(rng, np.arange(len(orders)), SHOP_ORPHANS)
    orders.loc[orphans, "customer_id"] = rng.choice(np.arange(7001, 7999), SHOP_ORPHANS, replace=False)
    known = set(customers["customer_id"].tolist())
    before = orders[orders["customer_id"].isin(known)]
    signups = customers.drop_duplicates("customer_id").set_index("customer_id")["signup_date"]
    count = int((pd.to_datetime(before["order_date"]) < pd.to_datetime(before["customer_id"].map(signups))).sum())
    return {"repeated": SHOP_REPEATED, "orphans": SHOP_ORPHANS, "late": SHOP_LATE, "before": count}


def _key_defects(folder: Path, orders: pd.DataFrame, events: pd.DataFrame) -> list[dict[str, object]]:
    """The key defects' exact counts, by plain pandas on the files as written (a repeated customer
    id's first row is the one its orders are compared with)."""
    customers = pd.read_excel(folder / "customers.xlsx", sheet_name="customers")
    parent = "customers.xlsx:customers"
    ids = customers["customer_id"].astype("int64")
    signups = customers.assign(customer_id=ids).drop_duplicates("customer_id").set_index("customer_id")["signup_date"]
    order_customer = orders["customer_id"].astype("int64")
    kept = order_customer.isin(set(ids))
    before = (pd.to_datetime(orders["order_date"]) < order_customer.map(signups))[kept]
    event_dates = pd.to_datetime(events["ts"], utc=True).dt.tz_localize(None)
    event_before = (event_dates < events["customer_id"].map(signups)).sum()
    assert not event_before and events["customer_id"].isin(set(ids)).all(), "events must keep their keys"
    repeated = int(ids.duplicated().sum())
    return [
        {"check": "orphan_rows", "table": "orders.csv", "column": "customer_id", "subject": parent,
         "count": int((~kept).sum())},
        {"check": "duplicate_parent_keys", "table": parent, "column": "customer_id", "subject": "orders.csv",
         "count": repeated},
        {"check": "duplicate_parent_keys", "table": parent, "column": "customer_id", "subject": "events.jsonl",
         "count": repeated},
        {"check": "not_unique", "table": parent, "column": "customer_id", "count": repeated},
        {"check": "child_before_parent", "table": "orders.csv", "column": "customer_id", "subject": parent,
         "count": int(before.sum())},
    ]


SHOP_CONFIG = """\
# Demo config for the e-commerce export (see docs/configuration.md).
[project]
goal = "Predict which orders will be returned, so the warehouse can plan restocking"
task = "classification"
success_metric = "recall of at least 0.7 on returned orders at 0.5 precision"
timeline = "4 weeks"

[label]
column = "returned"
table = "orders.csv"
classes = ["yes", "no"]

[tables."orders.csv"]
id_columns = ["order_id"]

[tables."customers.xlsx:customers"]
id_columns = ["customer_id"]

[tables."events.jsonl"]
id_columns = ["event_id"]
"""


def churn(folder: Path, rng: np.random.Generator) -> None:
    """A telecom churn table in Parquet: typed columns, charges stored as text, implausible ages."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 2400
    tenure = rng.integers(0, 72, n)
    monthly = rng.uniform(20, 120, n).round(2)
    total = (tenure * monthly).round(2).astype(str).astype(object)
    age = rng.integers(18, 85, n).astype(object)
    churned = np.where(rng.random(n) < 0.22 + 0.004 * (24 - np.minimum(tenure, 24)), "Yes", "No").astype(object)
    rows = np.arange(n)
    blank_total = _pick(rng, rows, 11)
    total[blank_total] = " "
    rest = np.setdiff1d(rows, blank_total)
    total[_pick(rng, rest, 5)] = "unknown"
    old = _pick(rng, rows, 3)
    age[old] = [134, 151, 999]
    no_age = _pick(rng, np.setdiff1d(rows, old), 40)
    age[no_age] = None
    no_label = _pick(rng, rows, 48)
    churned[no_label] = None
    ids = np.arange(70001, 70001 + n)
    repeated = _pick(rng, rows, 4)
    sources = _pick(rng, np.setdiff1d(rows, repeated), 4)
    ids[repeated] = ids[sources]
    table = pa.table({
        "customer_id": pa.array(ids, pa.int64()),
        "age": pa.array(list(age), pa.int64()),
        "tenure_months": pa.array(tenure, pa.int64()),
        "contract": pa.array(rng.choice(["month-to-month", "one_year", "two_year"], n)),
        "payment_method": pa.array(rng.choice(["card", "bank_transfer", "paypal"], n)),
        "monthly_charges": pa.array(monthly),
        "total_charges": pa.array(list(total), pa.string()),
        "churn": pa.array(list(churned), pa.string()),
    })
    pq.write_table(table, folder / "churn.parquet")
    defects = [
        {"check": "label_missing", "table": "churn.parquet", "column": "churn", "count": 48},
        {"check": "missing_values", "table": "churn.parquet", "column": "total_charges", "count": 11},
        {"check": "format", "table": "churn.parquet", "column": "total_charges", "count": 5},
        {"check": "missing_values", "table": "churn.parquet", "column": "age", "count": 40},
        {"check": "out_of_range", "table": "churn.parquet", "column": "age", "count": 3},
        {"check": "not_unique", "table": "churn.parquet", "column": "customer_id", "count": 4},
    ]
    _write_manifest(folder, "churn", defects,
                    "11 blank and 5 'unknown' total_charges stored as text; 3 ages above 120 and 40 missing; "
                    "48 customers without a churn label; 4 repeated customer ids.")
    (folder / "readiness.toml").write_text(CHURN_CONFIG, encoding="utf-8")


CHURN_CONFIG = """\
# Demo config for the churn table (see docs/configuration.md).
[project]
goal = "Flag customers likely to cancel in the next 90 days"
task = "classification"
success_metric = "AUC of at least 0.8 on the last quarter"

[label]
column = "churn"
classes = ["Yes", "No"]

[tables."churn.parquet"]
id_columns = ["customer_id"]
formats = { total_charges = "numeric" }
"""


def reviews(folder: Path, rng: np.random.Generator) -> None:
    """Product reviews for a sentiment model, already split: text defects, label variants, overlap."""
    n_train, n_test = 1600, 400
    good = ["love it", "works great", "excellent quality", "fast delivery and well packed", "exactly as described"]
    bad = ["broke after a week", "terrible support", "arrived damaged", "not worth the money", "wrong size sent"]
    meh = ["it is okay", "average product", "does the job I guess", "nothing special", "fine for the price"]
    pools = {"positive": good, "negative": bad, "neutral": meh}

    def make_rows(n: int, start: int) -> pd.DataFrame:
        labels = rng.choice(["positive", "negative", "neutral"], n, p=[0.5, 0.35, 0.15]).astype(object)
        texts = [f"{rng.choice(pools[label])}, order {start + i} size {rng.choice(['S', 'M', 'L'])} "
                 f"color {rng.choice(['red', 'blue', 'black', 'green'])}" for i, label in enumerate(labels)]
        stars = [int(rng.integers(3, 6)) if label == "positive" else int(rng.integers(1, 4)) if label == "negative"
                 else int(rng.integers(2, 5)) for label in labels]
        return pd.DataFrame({"review_id": np.arange(start, start + n), "text": texts, "stars": stars,
                             "sentiment": labels})

    train = make_rows(n_train, 1)
    test = make_rows(n_test, 100001)
    rows = np.arange(n_train)
    variants = _pick(rng, rows, 24)
    train.loc[variants, "sentiment"] = [["Positive", "positive ", "postive"][i % 3] if train.loc[v, "sentiment"] == "positive"
                                        else ["Negative", "negative ", "negatve"][i % 3] if train.loc[v, "sentiment"] == "negative"
                                        else ["Neutral", "neutral ", "nuetral"][i % 3]
                                        for i, v in enumerate(variants)]
    rest = np.setdiff1d(rows, variants)
    mojibake = _pick(rng, rest, 15)
    train.loc[mojibake, "text"] = [t.replace("o", "Ã©", 1) for t in train.loc[mojibake, "text"]]
    rest = np.setdiff1d(rest, mojibake)
    short = _pick(rng, rest, 9)
    train.loc[short, "text"] = rng.choice(["ok", "!", "no"], len(short))
    rest = np.setdiff1d(rest, short)
    # the same text labeled twice, differently: 10 pairs
    sources = _pick(rng, rest, 10)
    rest = np.setdiff1d(rest, sources)
    copies = _pick(rng, rest, 10)
    flip = {"positive": "negative", "negative": "positive", "neutral": "positive"}
    for source, copy in zip(sources, copies, strict=True):
        train.loc[copy, "text"] = train.loc[source, "text"]
        train.loc[copy, "sentiment"] = flip[str(train.loc[source, "sentiment"]).strip().lower()] \
            if str(train.loc[source, "sentiment"]).strip().lower() in flip else "positive"
    # 30 test reviews are copies of training reviews (same text, different case and spacing)
    leaked = _pick(rng, np.arange(n_test), 30)
    from_train = _pick(rng, np.setdiff1d(rest, copies), 30)
    test.loc[leaked, "text"] = ["  " + t.upper() for t in train.loc[from_train, "text"]]
    train.to_csv(folder / "train.csv", index=False)
    test.to_csv(folder / "test.csv", index=False)
    text_train = pd.read_csv(folder / "train.csv", dtype=str, keep_default_na=False)
    key = text_train["text"].str.casefold().str.replace(r"\s+", " ", regex=True).str.strip()
    conflicting = key.map(text_train.groupby(key)["sentiment"].nunique()) > 1
    defects = [
        {"check": "label_variants", "table": "train.csv", "column": "sentiment", "count": 24},
        {"check": "mojibake", "table": "train.csv", "column": "text", "count": 15},
        {"check": "text_too_short", "table": "train.csv", "column": "text", "count": 9},
        {"check": "conflicting_labels", "table": "train.csv", "column": "sentiment", "count": int(conflicting.sum())},
        {"check": "split_overlap", "table": "test.csv", "column": None, "count": 30},
    ]
    _write_manifest(folder, "reviews", defects,
                    "train.csv/test.csv split: 24 sentiment labels spelled another way (case, trailing space, typo), "
                    "15 mis-decoded texts, 9 texts under 3 characters, 10 texts copied with a different label, "
                    "30 test reviews that repeat a training review in other case and spacing.")
    (folder / "readiness.toml").write_text(REVIEWS_CONFIG, encoding="utf-8")


REVIEWS_CONFIG = """\
# Demo config for the product-review folder (see docs/configuration.md).
[project]
goal = "Classify the sentiment of product reviews to route complaints"
task = "text-classification"
success_metric = "macro F1 of at least 0.8 on test.csv"

[label]
column = "sentiment"
classes = ["positive", "negative", "neutral"]
"""


def main(out: Path) -> None:
    for name, make in (("support", support), ("shop", shop), ("churn", churn), ("reviews", reviews)):
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        make(folder, np.random.default_rng(SEED + len(name)))
        print(f"wrote {folder}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
