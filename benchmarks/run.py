"""Benchmarks: the peer baseline (profiler default report + hand-written GX suite) against
``readiness audit`` (packet included), on the same generated files, in the same run.

Usage: python benchmarks/run.py [--rows 1000000 10000000] [--wide] [--limit SECONDS] [--out DIR]

Prints wall seconds, peak RSS and their ratios. Benchmarks are not tests: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared" / "bench"


def measure(command: list[str], limit: float, cwd: Path) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MB) of a command; stopped at the limit."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    status = "ok"
    while True:
        pid, code, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > limit:
            process.kill()
            pid, code, usage = os.wait4(process.pid, 0)
            status = f"stopped at the {limit:g} s limit"
            break
        time.sleep(0.05)
    seconds = time.monotonic() - started
    if status == "ok" and code != 0:
        status = f"failed (exit {os.waitstatus_to_exitcode(code)})"
    return seconds, usage.ru_maxrss / 1024, status


def tickets(rows: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tickets.csv"
    if not path.exists():
        generator = SHARED / "make_tickets.py"
        subprocess.run([sys.executable, str(generator), str(rows), str(path)], check=True)
    return path


def wide(rows: int, columns: int, folder: Path) -> Path:
    import numpy as np
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "wide.csv"
    if not path.exists():
        rng = np.random.default_rng(0)
        data = {f"f{i}": rng.normal(size=rows).round(4) for i in range(columns - 1)}
        data["label"] = rng.choice(["a", "b", "c"], rows)
        pd.DataFrame(data).to_csv(path, index=False)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--wide", action="store_true", help="also the 100k x 200 table")
    parser.add_argument("--limit", type=float, default=900.0, help="seconds before a run is stopped")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "data")
    args = parser.parse_args()
    python = sys.executable
    cases = [(f"tickets {rows:,} rows", tickets(rows, args.out / f"t{rows}"), "intent") for rows in args.rows]
    if args.wide:
        cases.append(("wide 100,000 x 200", wide(100_000, 200, args.out / "wide"), "label"))
    lines = [f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"{datetime.now(UTC):%Y-%m-%d}", "",
             "| case | peer s | peer MB | readiness s | readiness MB | time ratio | memory ratio | notes |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for name, path, label in cases:
        peer = measure([python, str(SHARED / "peer_baseline.py"), str(path), str(args.out / "peer")], args.limit, REPO)
        ours = measure([python, "-m", "readiness", "audit", str(path.parent), "--out", str(args.out / "runs"),
                        "--label", label], args.limit, REPO)
        notes = "; ".join(f"{who}: {status}" for who, (_, _, status) in (("peer", peer), ("readiness", ours))
                          if status != "ok")
        lines.append(f"| {name} | {peer[0]:.1f} | {peer[1]:,.0f} | {ours[0]:.1f} | {ours[1]:,.0f} | "
                     f"{ours[0] / peer[0]:.2f} | {ours[1] / peer[1]:.2f} | {notes} |")
        print(lines[-1], flush=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
