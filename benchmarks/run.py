"""Benchmarks: the peer baseline (profiler default report + hand-written GX suite) against
``readiness audit`` (packet included), on the same generated files, in the same run.

Usage: python benchmarks/run.py [--rows 1000000 10000000] [--wide] [--many 10000] [--media N] [--database ROWS] [--keys TABLES]
       [--limit SECONDS] [--repeat N] [--out DIR]

Prints wall seconds, peak memory and their ratios: medians of --repeat runs of each side (3
unless told), taken in turns, each run listed too. A run stopped at a limit is not repeated.
``--many N`` adds a folder of N tiny CSVs (2 rows x 3 columns each; target: under 120 s at
N=10,000), audited by readiness alone (the peer reads one file), without the visual profile
unless ``--many-profile``.
Benchmarks are not tests: nothing here asserts.
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


def _tree(pid: int) -> list[int]:
    """The pid and all its descendants (readiness forks GX and the profiler into children)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _pss_mb(pids: list[int]) -> float:
    """Proportional set size of the processes together: pages shared after fork counted once."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total / 1024


def measure(command: list[str], limit: float, cwd: Path, memory_limit_mb: float,
            interval: float = 0.25) -> tuple[float, float, str]:
    """Wall seconds and peak memory (MB) of a command and its children; stopped at a limit.

    Memory is the larger of the main process's peak RSS (wait4) and the peak of the sampled
    PSS summed over the whole process tree, sampled every ``interval`` seconds (reading PSS
    walks every page table of the tree: at 0.1 s the sampling took about 1.8 CPU-s from a
    10 s run on two cores).
    """
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    status = "ok"
    peak_tree = 0.0
    while True:
        pid, code, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak_tree = max(peak_tree, _pss_mb(_tree(process.pid)))
        over_time = time.monotonic() - started > limit
        if over_time or peak_tree > memory_limit_mb:
            os.killpg(process.pid, 9)
            pid, code, usage = os.wait4(process.pid, 0)
            status = (f"stopped at the {limit:g} s limit" if over_time
                      else f"stopped at the {memory_limit_mb:,.0f} MB memory limit")
            break
        time.sleep(interval)
    seconds = time.monotonic() - started
    if status == "ok" and code != 0:
        status = f"failed (exit {os.waitstatus_to_exitcode(code)})"
    return seconds, max(usage.ru_maxrss / 1024, peak_tree), status


def median_run(runs: list[tuple[float, float, str]]) -> tuple[float, float, str]:
    """The median seconds and median MB of repeated runs; the status of the first that was not ok."""
    import statistics

    status = next((st for _, _, st in runs if st != "ok"), "ok")
    return statistics.median(s for s, _, _ in runs), statistics.median(m for _, m, _ in runs), status


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


MANY_TARGET_SECONDS = 120.0  # issue 15: 10,000 tiny CSVs audited in under two minutes


def many(count: int, folder: Path) -> Path:
    """A folder of ``count`` tiny CSVs (2 rows x 3 columns): the per-table costs, not the rows."""
    path = folder / f"many{count}"
    if not (path / f"f{count - 1:05d}.csv").exists():
        path.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            (path / f"f{i:05d}.csv").write_text(f"id,name,x\n{i},a,2\n{i + 1},b,3\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--wide", action="store_true", help="also the 100k x 200 table")
    parser.add_argument("--limit", type=float, default=600.0, help="seconds before a run is stopped")
    parser.add_argument("--memory-limit", type=float, default=16_000.0,
                        help="MB (PSS of the process tree) before a run is stopped; the machine must keep working")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each side per case, in turns; the table shows their medians")
    parser.add_argument("--interval", type=float, default=0.25,
                        help="seconds between memory samples (each reads every page table of the tree)")
    parser.add_argument("--skip-peer", action="store_true", help="time readiness only")
    parser.add_argument("--many", type=int, nargs="*", default=[],
                        help=f"also N tiny CSVs in one folder (readiness only; target {MANY_TARGET_SECONDS:g} s at 10,000)")
    parser.add_argument("--many-profile", action="store_true", help="--many with the visual profile on")
    parser.add_argument("--media", type=int, default=0,
                        help="also N 1-megapixel JPEGs: header pass, full image pass, re-audit (benchmarks/media.py)")
    parser.add_argument("--database", type=int, default=0,
                        help="also N rows in a real PostgreSQL audited by URL against Parquet (benchmarks/database.py)")
    parser.add_argument("--keys", type=int, default=0,
                        help="also key inference over N tables of 100k rows (benchmarks/keys.py)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "data")
    args = parser.parse_args()
    python = sys.executable
    cases = [(f"tickets {rows:,} rows", tickets(rows, args.out / f"t{rows}"), "intent") for rows in args.rows]
    if args.wide:
        cases.append(("wide 100,000 x 200", wide(100_000, 200, args.out / "wide"), "label"))
    lines = [f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"{datetime.now(UTC):%Y-%m-%d}; medians of {args.repeat} runs of each side, in turns (a stopped run: once); "
             f"memory sampled every {args.interval:g} s", "",
             "| case | peer s | peer MB | readiness s | readiness MB | time ratio | memory ratio | notes |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for name, path, label in cases:
        peer_command = [python, str(SHARED / "peer_baseline.py"), str(path), str(args.out / "peer")]
        our_command = [python, "-m", "readiness", "audit", str(path.parent), "--out", str(args.out / "runs"),
                       "--label", label]
        peer_runs: list[tuple[float, float, str]] = []
        our_runs: list[tuple[float, float, str]] = []
        for _ in range(args.repeat):  # taken in turns, so a slower spell of the machine hits both
            if not args.skip_peer and (not peer_runs or peer_runs[0][2] == "ok"):  # a stopped run is not repeated
                peer_runs.append(measure(peer_command, args.limit, REPO, args.memory_limit, args.interval))
            our_runs.append(measure(our_command, args.limit, REPO, args.memory_limit, args.interval))
        peer = median_run(peer_runs) if peer_runs else (float("nan"), float("nan"), "not run")
        ours = median_run(our_runs)
        for who, done in (("peer", peer_runs), ("readiness", our_runs)):
            print(f"  {name}, {who}: " + ", ".join(f"{s:.1f} s / {m:,.0f} MB" + ("" if st == "ok" else f" ({st})")
                                                   for s, m, st in done), flush=True)
        notes = "; ".join(f"{who}: {status}" for who, (_, _, status) in (("peer", peer), ("readiness", ours))
                          if status != "ok")
        stopped = peer[2] != "ok"  # a stopped peer gives a lower bound: the ratio is at most this
        bound = "<= " if stopped else ""
        lines.append(f"| {name} | {'>= ' if stopped else ''}{peer[0]:.1f} | {'>= ' if stopped else ''}{peer[1]:,.0f} | "
                     f"{ours[0]:.1f} | {ours[1]:,.0f} | {bound}{ours[0] / peer[0]:.2f} | {bound}{ours[1] / peer[1]:.2f} | "
                     f"{notes} |")
        print(lines[-1], flush=True)
    for count in args.many:
        folder = many(count, args.out)
        command = [python, "-m", "readiness", "audit", str(folder), "--out", str(args.out / "runs")]
        if not args.many_profile:
            command.append("--no-profile")
        done = [measure(command, args.limit, REPO, args.memory_limit, args.interval) for _ in range(args.repeat)]
        seconds, mb, status = median_run(done)
        print(f"  {count:,} tiny CSVs, readiness: " + ", ".join(
            f"{s:.1f} s / {m:,.0f} MB" + ("" if st == "ok" else f" ({st})") for s, m, st in done), flush=True)
        notes = [f"{seconds / count * 1000:.1f} ms a table"]
        if count == 10_000:
            notes.append(f"target < {MANY_TARGET_SECONDS:g} s: {'met' if seconds < MANY_TARGET_SECONDS and status == 'ok' else 'NOT met'}")
        if status != "ok":
            notes.append(f"readiness: {status}")
        profile = "with" if args.many_profile else "without"
        lines.append(f"| {count:,} tiny CSVs ({profile} visual profile) | - | - | {seconds:.1f} | {mb:,.0f} | - | - | "
                     f"{'; '.join(notes)} |")
        print(lines[-1], flush=True)
    if args.media:
        media = subprocess.run([python, str(REPO / "benchmarks" / "media.py"), "--images", str(args.media)],
                               cwd=REPO, capture_output=True, text=True, check=False)
        lines += ["", "media (benchmarks/media.py):", media.stdout.strip() or media.stderr.strip()[-2000:]]
    if args.database:
        found = subprocess.run([python, str(REPO / "benchmarks" / "database.py"), "--rows", str(args.database),
                                "--repeat", str(args.repeat), "--out", str(args.out)],
                               cwd=REPO, capture_output=True, text=True, check=False)
        lines += ["", "database (benchmarks/database.py):", found.stdout.strip() or found.stderr.strip()[-2000:]]
    if args.keys:
        keys = subprocess.run([python, str(REPO / "benchmarks" / "keys.py"), "--tables", str(args.keys),
                               "--rows", "100000"], cwd=REPO, capture_output=True, text=True, check=False)
        lines += ["", "keys between tables (benchmarks/keys.py):", keys.stdout.strip() or keys.stderr.strip()[-2000:]]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
