"""Benchmark of key inference: ``readiness.profile.relations.infer`` over a random but realistic
schema of TABLES tables of ROWS rows each (ids, foreign ids, codes, dates, amounts, text codes).

Usage: python benchmarks/keys.py [--tables 20] [--rows 100000] [--seed 0] [--out FILE]

Each table has its own id, one to three foreign ids into earlier tables (about 1% orphans, some as
CSV text, some as integral floats as Excel holds them), a small integer code (1..5), a year, an
amount, a date and a text code. Prints one line (tables, rows, seconds, relationships found of
those built, target 60 s on 2 cores) and writes the numbers as JSON to --out. Nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TARGET_SECONDS = 60.0


def make_tables(count: int, rows: int, seed: int):  # type: ignore[no-untyped-def]
    """The tables and the relationships built into them (child, column, parent)."""
    import numpy as np
    import pandas as pd

    from readiness.ingest.columns import normalise_frame
    from readiness.ingest.model import Table

    rng = np.random.default_rng(seed)
    tables, built = [], []
    names = [f"entity{i:02d}s" for i in range(count)]
    for index, name in enumerate(names):
        stem = name[:-1]
        start = 10_000 * (index + 1) * 7
        frame = {f"{stem}_id": np.arange(start, start + rows)}
        parents = rng.choice(index, size=min(index, int(rng.integers(1, 4))), replace=False) if index else []
        for parent in parents:
            parent_stem = names[parent][:-1]
            parent_start = 10_000 * (parent + 1) * 7
            values = rng.integers(parent_start, parent_start + rows, rows).astype(np.int64)
            values[rng.random(rows) < 0.01] = 10**9 + rng.integers(0, 10**6)  # orphans
            style = int(rng.integers(0, 3))
            column = pd.Series(values.astype(str), dtype="string[pyarrow]") if style == 0 else \
                pd.Series(values.astype(float)) if style == 1 else pd.Series(values)
            frame[f"{parent_stem}_id"] = column
            built.append((name, f"{parent_stem}_id", names[parent]))
        frame["status_code"] = rng.integers(1, 6, rows)
        frame["year"] = rng.integers(1990, 2025, rows)
        frame["amount"] = rng.gamma(2.0, 40.0, rows).round(2)
        frame["created_at"] = pd.Series((pd.Timestamp("2024-01-01") + pd.to_timedelta(
            rng.integers(0, 365, rows), unit="D")).strftime("%Y-%m-%d"), dtype="string[pyarrow]")
        frame["ref_code"] = pd.Series([f"R{v:06d}" for v in rng.integers(0, 50_000, rows)], dtype="string[pyarrow]")
        tables.append(Table(f"{name}.csv", f"{name}.csv", "csv", normalise_frame(pd.DataFrame(frame))))
    return tables, built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    from readiness.profile import relations

    tables, built = make_tables(args.tables, args.rows, args.seed)
    started = time.perf_counter()
    found = relations.infer(tables)
    seconds = time.perf_counter() - started
    links = {(r.child, r.child_columns[0], r.parent) for r in found.relationships}
    expected = {(f"{child}.csv", column, f"{parent}.csv") for child, column, parent in built}
    result = {"tables": args.tables, "rows": args.rows, "seconds": round(seconds, 2), "built": len(expected),
              "found": len(links & expected), "extra": len(links - expected), "target_seconds": TARGET_SECONDS,
              "cores": os.cpu_count(), "python": platform.python_version()}
    print(f"key inference: {args.tables} tables x {args.rows:,} rows in {seconds:.1f} s "
          f"(target {TARGET_SECONDS:.0f} s); relationships {len(links & expected)} of {len(expected)} found, "
          f"{len(links - expected)} extra")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
