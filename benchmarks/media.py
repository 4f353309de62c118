"""Benchmark of the image path: header pass, full examine pass, an audit and its re-audit from the
per-file cache, and cleanvision on the same folder when it is installed.

Usage: python benchmarks/media.py [--images N] [--out FILE] [--data DIR] [--no-cleanvision]

Makes N one-megapixel JPEGs (1155 x 866, quality 90, natural-ish textures) in class folders of a
temporary folder (or DIR, kept and reused), then times:
  (a) the header pass: ``readiness.ingest.sniff.sniff`` and Pillow's header (``Image.open().size``)
  (b) the full pass: ``readiness.media.images.examine`` on every image, one process (per core)
  (c) ``readiness audit`` twice on the folder (the second run reads the per-file cache)
  (d) cleanvision's ``Imagelab(...).find_issues()`` (its default issue types), if importable
  (e) peak memory (RSS) of this process and of the audit children
Prints a table (measure | value | target) and writes the numbers as JSON to --out.
Benchmarks are not tests: nothing here asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WIDTH, HEIGHT = 1155, 866
CLASSES = ("cat", "dog", "bird")
TARGETS = {"header": 1000.0, "full": 100.0, "reaudit": 10.0}  # files/s, images/s per core, times faster


def make_images(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """``count`` distinct 1-megapixel JPEGs in class folders (made once; an existing set is reused)."""
    import numpy as np
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    # grain in 4x4 blocks: it survives the reduction to a 256-pixel copy, so the pictures are sharp
    grain = np.repeat(np.repeat(rng.normal(0.0, 12.0, (HEIGHT // 4 + 16, WIDTH // 4 + 16, 1)), 4, axis=0), 4, axis=1)
    paths = []
    for i in range(count):
        path = folder / "train" / CLASSES[i % len(CLASSES)] / f"img_{i:05d}.jpg"
        paths.append(path)
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        image = Image.new("RGB", (WIDTH, HEIGHT), tuple(int(v) for v in rng.integers(60, 200, 3)))
        draw = ImageDraw.Draw(image)
        for _ in range(int(rng.integers(8, 16))):
            x0, y0 = int(rng.integers(-200, WIDTH)), int(rng.integers(-150, HEIGHT))
            box = (x0, y0, x0 + int(rng.integers(80, 700)), y0 + int(rng.integers(60, 520)))
            colour = tuple(int(v) for v in rng.integers(20, 236, 3))
            (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
        pixels = np.asarray(image, dtype=np.float64)
        dy, dx = (int(v) for v in rng.integers(0, 16, 2) * 4)
        pixels = pixels + grain[dy:dy + HEIGHT, dx:dx + WIDTH]
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB").save(path, "JPEG", quality=90)
    return paths


def header_pass(paths: list[Path]) -> dict[str, Any]:
    """Files a second through the content sniffer and Pillow's header (no pixel decoded)."""
    from PIL import Image

    sniffer: Any = None
    try:
        from readiness.ingest.sniff import sniff

        sniffer = sniff
    except ImportError:  # before the sniffer existed: Pillow's header alone
        pass
    started = time.perf_counter()
    for path in paths:
        if sniffer is not None:
            sniffer(path)
        with Image.open(path) as image:
            image.size  # noqa: B018 (the header is what is timed)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "files_per_s": len(paths) / seconds, "sniff": sniffer is not None}


def full_pass(paths: list[Path]) -> dict[str, Any]:
    """Images a second through the image examiner, in this one process (so: per core)."""
    from readiness.ingest.model import MediaFile
    from readiness.media.images import examine
    from readiness.settings.model import MediaSettings

    settings = MediaSettings()
    files = []
    for path in paths:  # the walk hashes files before examining them: not part of this measure
        data = path.read_bytes()
        files.append(MediaFile(path=str(path), kind="image", format="jpeg", bytes=len(data), mtime_ns=0,
                               sha256=hashlib.sha256(data).hexdigest()))
    started = time.perf_counter()
    statuses: dict[str, int] = {}
    for path, file in zip(paths, files, strict=True):
        result = examine(path, file, settings)
        statuses[result.status] = statuses.get(result.status, 0) + 1
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "images_per_s": len(paths) / seconds, "statuses": statuses}


def audits(folder: Path, out: Path) -> dict[str, Any]:
    """``readiness audit`` twice into one output folder: the second run may reuse the per-file cache."""
    command = [sys.executable, "-m", "readiness", "audit", str(folder), "--out", str(out), "--no-profile", "-q"]
    runs: list[dict[str, Any]] = []
    for _ in range(2):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
        runs.append({"seconds": time.perf_counter() - started, "exit": done.returncode,
                     "error": done.stderr.strip().splitlines()[-1] if done.returncode not in (0, 1) and done.stderr.strip()
                     else None})
    first, second = float(runs[0]["seconds"]), float(runs[1]["seconds"])
    return {"first": runs[0], "second": runs[1], "speedup": first / second if second else None}


def media_pass(folder: Path, out: Path) -> dict[str, Any]:
    """The audit's media step alone (walk, decode on two processes, cache), cold then warm: what the
    per-file cache saves, without the fixed cost of starting Python and writing the packet."""
    from readiness.ingest.walk import ingest
    from readiness.media import examine
    from readiness.settings import Settings

    out.mkdir(parents=True, exist_ok=True)
    db = out / "history.sqlite"
    times = []
    for _ in range(2):
        started = time.perf_counter()
        examine.examine_all(folder, ingest(folder).media, Settings(), db, "bench")
        times.append(time.perf_counter() - started)
    return {"first": times[0], "second": times[1], "speedup": times[0] / times[1] if times[1] else None}


def cleanvision(folder: Path, count: int) -> dict[str, Any]:
    """cleanvision's default issue search on the same folder, when it is installed."""
    try:
        from cleanvision import Imagelab
    except ImportError as error:
        return {"skipped": f"cleanvision not importable ({type(error).__name__})"}
    started = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as quiet, contextlib.redirect_stderr(quiet), \
            contextlib.redirect_stdout(quiet):  # its progress bars
        lab = Imagelab(data_path=str(folder))
        lab.find_issues(verbose=False)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "images_per_s": count / seconds}


def _mb(kilobytes: int) -> float:
    return kilobytes / 1024 if sys.platform != "darwin" else kilobytes / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=600)
    parser.add_argument("--out", type=Path, default=None, help="write the numbers as JSON here")
    parser.add_argument("--data", type=Path, default=None, help="make (or reuse) the images here instead of a temp folder")
    parser.add_argument("--no-cleanvision", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="readiness-media-bench-") as scratch:
        folder = args.data or Path(scratch) / "images"
        started = time.perf_counter()
        paths = make_images(folder, args.images)
        made = time.perf_counter() - started
        print(f"{len(paths)} images of {WIDTH}x{HEIGHT} in {folder} ({made:.1f} s to make)", flush=True)
        result: dict[str, Any] = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "images": len(paths), "size": [WIDTH, HEIGHT],
            "megabytes": round(sum(p.stat().st_size for p in paths) / 1024**2, 1),
        }
        result["header"] = header_pass(paths)
        print(f"  header pass: {result['header']['files_per_s']:,.0f} files/s", flush=True)
        result["full"] = full_pass(paths)
        print(f"  full pass: {result['full']['images_per_s']:,.1f} images/s", flush=True)
        result["media_pass"] = media_pass(folder, Path(scratch) / "pass")
        print(f"  media pass: {result['media_pass']['first']:.2f} s, cached {result['media_pass']['second']:.2f} s",
              flush=True)
        result["audit"] = audits(folder, Path(scratch) / "out")
        print(f"  audit: {result['audit']['first']['seconds']:.1f} s, re-audit {result['audit']['second']['seconds']:.1f} s",
              flush=True)
        result["cleanvision"] = {"skipped": "--no-cleanvision"} if args.no_cleanvision else cleanvision(folder, len(paths))
    result["peak_rss_mb"] = round(_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), 1)
    result["peak_rss_children_mb"] = round(_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss), 1)

    def status(value: float | None, target: float) -> str:
        return "-" if value is None else ("met" if value >= target else "NOT met")

    audit, clean, media = result["audit"], result["cleanvision"], result["media_pass"]
    speedup = audit["speedup"]
    rows = [
        ("header pass (sniff + Pillow header)", f"{result['header']['files_per_s']:,.0f} files/s",
         f">= {TARGETS['header']:,.0f} files/s", status(result["header"]["files_per_s"], TARGETS["header"])),
        ("full image pass (examine, 1 process)", f"{result['full']['images_per_s']:,.1f} images/s",
         f">= {TARGETS['full']:,.0f} images/s per core", status(result["full"]["images_per_s"], TARGETS["full"])),
        ("media pass, first (walk + decode on 2 cores)", f"{media['first']:.2f} s "
         f"({len(paths) / media['first']:,.0f} images/s)", "-", "-"),
        ("media pass, re-audit (per-file cache)", f"{media['second']:.2f} s", "-", "-"),
        ("media pass re-audit speed-up", f"{media['speedup']:.1f}x" if media["speedup"] else "-",
         f">= {TARGETS['reaudit']:g}x faster", status(media["speedup"], TARGETS["reaudit"])),
        ("whole audit, first run", f"{audit['first']['seconds']:.1f} s (exit {audit['first']['exit']})", "-", "-"),
        ("whole audit, re-run", f"{audit['second']['seconds']:.1f} s (exit {audit['second']['exit']})", "-", "-"),
        ("whole audit speed-up (start-up, GX and the packet are fixed costs)",
         f"{speedup:.1f}x" if speedup else "-", "-", "-"),
        ("cleanvision find_issues", f"{clean['images_per_s']:,.1f} images/s ({clean['seconds']:.1f} s)"
         if "seconds" in clean else clean["skipped"], "(peer)", "-"),
        ("peak RSS, this process", f"{result['peak_rss_mb']:,.0f} MB", "-", "-"),
        ("peak RSS, largest audit child", f"{result['peak_rss_children_mb']:,.0f} MB", "-", "-"),
    ]
    lines = [f"machine: {result['machine']}; {len(paths)} JPEGs {WIDTH}x{HEIGHT} q90 ({result['megabytes']} MB)", "",
             "| measure | value | target | |", "|---|---:|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    print("\n".join(lines))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
