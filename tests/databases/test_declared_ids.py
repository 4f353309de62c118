"""A database's declared primary key is its table's id column: never a row number to drop."""

from __future__ import annotations

import sqlite3

from tests.conftest import run_audit


def test_a_declared_primary_key_is_the_id_not_a_row_number(tmp_path):
    database = tmp_path / "refs.db"
    with sqlite3.connect(database) as connection:
        connection.execute("create table refs (rid integer primary key, kind text, amount real)")
        connection.executemany("insert into refs values (?, ?, ?)",
                               [(i, "same" if i <= 2 else f"k{i % 7}", 1.5 if i <= 2 else i * 0.5)
                                for i in range(1, 61)])
    connection.close()
    document = run_audit(f"sqlite:///{database}", tmp_path / "out")
    (table,) = document["tables"]
    types = {c["name"]: c["type"] for c in table["columns"]}
    assert types["rid"] == "id"
    checks = {f["check"] for f in document["findings"]}
    assert "row_index_column" not in checks
    assert table["duplicate_rows"] == 0  # rows 1 and 2 differ in their key
