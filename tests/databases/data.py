"""The table the database tests load into PostgreSQL, SQLite and DuckDB and write as CSV: seeded,
with the defects whose counts the audits must agree on (NA tokens, blanks, NaN, duplicate rows)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

ROWS = 400
DUPLICATES = 7  # exact copies of earlier rows appended at the end
TABLE_SQL = ("ticket_id bigint, customer_id bigint, intent text, email text, amount double precision, "
             "created_at text, priority text")


def tickets(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = ROWS
    intent = rng.choice(np.array(["refund", "shipping", "cancel", "other"], dtype=object), n)
    intent[rng.random(n) < 0.2] = None
    intent[:4] = [" NA ", "  ", "null", "N/A"]  # missing by the counting rules
    email = np.array([f"user{i % 50}@example.com" for i in range(n)], dtype=object)
    email[rng.random(n) < 0.1] = "bad-email"
    amount = rng.lognormal(3, 1, n).round(2)
    amount[rng.random(n) < 0.1] = np.nan
    created = np.array([f"2024-0{1 + i % 9}-{1 + i % 28:02d}" for i in range(n)], dtype=object)
    created[rng.random(n) < 0.1] = "not a date"
    priority = rng.choice(np.array(["low", "high", "Low", "LOW"], dtype=object), n)
    customer = pd.array(rng.integers(1, 60, n), dtype="Int64")
    customer[rng.random(n) < 0.05] = pd.NA
    frame = pd.DataFrame({
        "ticket_id": pd.array(rng.permutation(n) * 7 + 11, dtype="Int64"), "customer_id": customer,
        "intent": intent, "email": email, "amount": amount, "created_at": created, "priority": priority,
    })
    return pd.concat([frame, frame.iloc[[5, 9, 9, 40, 77, 123, 300]]], ignore_index=True)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def python_rows(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    """The rows as Python values, None for missing (NaN included)."""
    rows = []
    for record in frame.astype(object).itertuples(index=False):
        rows.append(tuple(None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else
                          (int(v) if isinstance(v, (np.integer,)) else v) for v in record))
    return rows


def write_sqlite(frame: pd.DataFrame, path: Path, name: str = "tickets") -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(f'CREATE TABLE "{name}" ({TABLE_SQL.replace("bigint", "INTEGER").replace("double precision", "REAL")})')
        marks = ", ".join("?" for _ in frame.columns)
        connection.executemany(f'INSERT INTO "{name}" VALUES ({marks})', python_rows(frame))
    connection.close()


def expected_counts(frame: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """(missing, distinct) per column by pandas, under the contract's rules (tokens stripped)."""
    from readiness.ingest.columns import NA_TOKENS

    out = {}
    for name in frame.columns:
        values = frame[name].astype(object)
        missing = values.map(lambda v: v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
                             or (isinstance(v, str) and v.strip() in NA_TOKENS))
        out[name] = (int(missing.sum()), int(values[~missing].nunique()))
    return out
