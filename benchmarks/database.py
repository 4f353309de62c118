"""Benchmark: a tickets table in a real PostgreSQL (loaded with COPY) audited by URL, against the same
table from Parquet; wall seconds and peak memory of each audit's process tree (benchmarks/run.py's
``measure``). Target (issue 20): the database audit within 2x of Parquet's time, its peak memory
below the Parquet run's.

Usage: python benchmarks/database.py [--rows 1000000] [--repeat 1] [--out DIR]
Needs the PostgreSQL server binaries (apt-get install postgresql); nothing here asserts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]

from run import measure, median_run, tickets  # noqa: E402  (benchmarks/run.py, beside this file)

from tests.databases.pgserver import Server, binaries  # noqa: E402

COLUMNS = ("ticket_id bigint, created_at text, customer_email text, channel text, message text, intent text, "
           "priority text, order_id bigint, amount double precision, country text, csat double precision")


def parquet_copy(csv_path: Path, folder: Path) -> Path:
    """The CSV as Parquet, typed as pandas reads it (the table the database holds)."""
    import pandas as pd

    path = folder / "tickets.parquet"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        pd.read_csv(csv_path).to_parquet(path, index=False)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--limit", type=float, default=1800.0)
    parser.add_argument("--memory-limit", type=float, default=16_000.0)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "data")
    args = parser.parse_args()
    bindir = binaries()
    if bindir is None:
        print("| database | - | - | - | - | - | - | no PostgreSQL server binaries (apt-get install postgresql) |")
        return
    csv_path = tickets(args.rows, args.out / f"t{args.rows}")
    parquet = parquet_copy(csv_path, args.out / f"pq{args.rows}")
    server = Server(bindir).start()
    runs = Path(tempfile.mkdtemp(prefix="readiness-dbbench-"))
    try:
        server.psql("CREATE DATABASE bench;")
        csv_path.parent.chmod(0o755)
        csv_path.chmod(0o644)
        server.psql(f"CREATE TABLE tickets ({COLUMNS});\n"
                    f"\\copy tickets FROM '{csv_path}' WITH (FORMAT csv, HEADER true)\nVACUUM ANALYZE tickets;\n", "bench")
        url = server.url("bench", password=server.password)
        python = sys.executable
        from_db = [python, "-m", "readiness", "audit", url, "--out", str(runs), "--label", "intent", "-q"]
        from_file = [python, "-m", "readiness", "audit", str(parquet.parent), "--out", str(runs), "--label", "intent", "-q"]
        db_runs, file_runs = [], []
        for _ in range(args.repeat):  # in turns
            file_runs.append(measure(from_file, args.limit, REPO, args.memory_limit))
            db_runs.append(measure(from_db, args.limit, REPO, args.memory_limit))
        for who, done in (("parquet", file_runs), ("postgresql", db_runs)):
            print(f"  {args.rows:,} rows, {who}: " + ", ".join(f"{s:.1f} s / {m:,.0f} MB" + ("" if st == "ok" else f" ({st})")
                                                             for s, m, st in done), flush=True)
        file_s, file_mb, file_status = median_run(file_runs)
        db_s, db_mb, db_status = median_run(db_runs)
        time_ok = db_s <= 2 * file_s and db_status == "ok"
        memory_ok = db_mb < file_mb and db_status == "ok"
        notes = [f"target time <= 2x Parquet: {'met' if time_ok else 'NOT met'}",
                 f"memory below Parquet's: {'met' if memory_ok else 'NOT met'}"]
        notes += [f"{who}: {status}" for who, status in (("parquet", file_status), ("postgresql", db_status)) if status != "ok"]
        print("| case | Parquet s | Parquet MB | PostgreSQL s | PostgreSQL MB | time ratio | memory ratio | notes |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        print(f"| tickets {args.rows:,} rows, PostgreSQL URL vs Parquet | {file_s:.1f} | {file_mb:,.0f} | {db_s:.1f} | "
              f"{db_mb:,.0f} | {db_s / file_s:.2f} | {db_mb / file_mb:.2f} | {'; '.join(notes)} |", flush=True)
    finally:
        server.stop()
        import shutil

        shutil.rmtree(runs, ignore_errors=True)


if __name__ == "__main__":
    main()
