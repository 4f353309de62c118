"""The reader stays inside PATH and within its budgets: links, loops, deep folders, decompression
bombs and sheets claiming every cell end as a listed status in a written run, never a crash."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import readiness
from readiness.base.errors import ConfigError
from readiness.ingest import limits as ingest_limits
from readiness.ingest import sandbox
from readiness.ingest.walk import ingest
from readiness.settings import ReadLimits, build_settings
from tests.conftest import REPO, run_audit
from tests.corpus.generate import SHEET_OK, _xlsx_bytes

OUTSIDE_VALUE = 918_273_645
SECRET = "SEEDED-SECRET-0815"


def _statuses(document: dict) -> dict[str, dict]:
    return {entry["path"]: entry for entry in document["files"]}


def _shareable_bytes(run_dir: Path) -> bytes:
    """Every byte of the run folder outside internal/ (packet.zip as stored)."""
    return b"".join(p.read_bytes() for p in sorted(run_dir.rglob("*"))
                    if p.is_file() and "internal" not in p.relative_to(run_dir).parts)


def _nest(root: Path, depth: int, name: str) -> None:
    """``depth`` folders inside each other under root, a CSV at the bottom; built through file
    descriptors, since the whole path may be longer than the system lets a path be."""
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open("deep.csv", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w", encoding="utf-8") as handle:
            handle.write("a\n1\n")
    finally:
        os.close(fd)


def _unnest(top: Path) -> None:
    """Remove what _nest built, through file descriptors and without recursion: pytest's own clean-up
    (shutil.rmtree) recurses once per level and would fail on 1,100 of them, in every later session."""
    fds = [os.open(top, os.O_RDONLY)]
    names: list[str] = []
    while True:
        folders = []
        for entry in os.scandir(fds[-1]):
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.name)
            else:
                os.unlink(entry.name, dir_fd=fds[-1])
        if not folders:
            break
        names.append(folders[0])
        fds.append(os.open(folders[0], os.O_RDONLY, dir_fd=fds[-1]))
    os.close(fds.pop())
    while names:
        os.rmdir(names.pop(), dir_fd=fds[-1])
        os.close(fds.pop())


def _good(folder: Path) -> None:
    (folder / "good.csv").write_text("id,score\n" + "".join(f"{i},{i % 5}\n" for i in range(60)), encoding="utf-8")


# --- links -------------------------------------------------------------------------------------


def test_links_loops_and_fifos_are_listed_never_opened_and_the_run_is_written(tmp_path):
    data, outside = tmp_path / "data", tmp_path / "outside"
    data.mkdir()
    (outside / "region=xx").mkdir(parents=True)
    pq.write_table(pa.table({"v": [OUTSIDE_VALUE]}), outside / "region=xx" / "part-0.parquet")
    (outside / "secret.csv").write_text(f"v\n{OUTSIDE_VALUE}\n", encoding="utf-8")
    _good(data)
    os.symlink("loop_b", data / "loop_a")
    os.symlink("loop_a", data / "loop_b")
    os.symlink("itself.csv", data / "itself.csv")
    os.symlink(outside / "secret.csv", data / "outside.csv")
    lake = data / "lake" / "region=eu"
    lake.mkdir(parents=True)
    pq.write_table(pa.table({"v": [1, 2, 3]}), lake / "part-0.parquet")
    os.symlink(outside / "region=xx", data / "lake" / "region=xx")  # Arrow's own discovery would follow it
    os.symlink(outside / "region=xx" / "part-0.parquet", lake / "part-1.parquet")
    os.mkfifo(lake / "part-2.parquet")
    os.symlink("cycle", data / "lake" / "cycle")

    audit = readiness.audit(data, out=tmp_path / "out", profile_enabled=True)
    document = json.loads((audit.run_dir / "readiness.json").read_text(encoding="utf-8"))
    files = _statuses(document)
    assert "loop" in files["loop_a"]["reason"] and "loop" in files["loop_b"]["reason"]
    assert "loop" in files["itself.csv"]["reason"] and "loop" in files["lake/cycle"]["reason"]
    for path in ("outside.csv", "lake/region=xx", "lake/region=eu/part-1.parquet"):
        assert files[path]["status"] == "skipped" and "outside the folder" in files[path]["reason"], path
    assert files["lake/region=eu/part-2.parquet"]["status"] == "skipped"
    assert "FIFO" in files["lake/region=eu/part-2.parquet"]["reason"]
    assert files["lake/region=eu/part-0.parquet"]["status"] == "ok"
    lake_table = [t for t in document["tables"] if t["name"] == "lake"][0]
    assert lake_table["rows"] == 3
    assert str(OUTSIDE_VALUE).encode() not in _shareable_bytes(audit.run_dir)
    assert str(OUTSIDE_VALUE) not in json.dumps(document)


def test_suites_dir_must_resolve_inside_the_dataset(tmp_path):
    data, outside = tmp_path / "data", tmp_path / "elsewhere"
    data.mkdir()
    outside.mkdir()
    _good(data)
    for value in (str(outside), "../elsewhere", "."):
        (data / "readiness.toml").write_text(f"suites_dir = {json.dumps(value)}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="suites_dir") as caught:
            build_settings(data)
        assert "\n" not in str(caught.value) and "expectations" in str(caught.value)  # one line, with the fix
    (data / "readiness.toml").write_text('suites_dir = "checks/suites"\n', encoding="utf-8")
    assert build_settings(data).suites_dir == "checks/suites"
    (data / "readiness.toml").unlink()
    os.symlink(outside, data / "expectations")  # the default, made a link leaving the folder
    with pytest.raises(ConfigError, match="link leaving the dataset folder"):
        readiness.audit(data, out=tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("readiness.json"))


def test_cli_reports_a_suites_dir_outside_as_one_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _good(data)
    (data / "readiness.toml").write_text('suites_dir = "/etc"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "readiness", "audit", str(data), "--out", str(tmp_path / "out"),
                             "--no-profile"], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "suites_dir" in lines[0] and "Traceback" not in result.stderr


# --- crashes become statuses -------------------------------------------------------------------


def test_1100_nested_folders_end_in_a_written_run(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _good(data)
    (data / "short").mkdir()
    (data / "long").mkdir()
    try:
        _nest(data / "short", 1_100, "d")
        _nest(data / "long", 1_100, "n" * 200)  # the path passes PATH_MAX long before the depth limit
        document = run_audit(data, tmp_path / "out", profile_enabled=True)
    finally:
        _unnest(data / "short")
        _unnest(data / "long")
    files = _statuses(document)
    deep = [entry for path, entry in files.items() if path.startswith("short/")]
    assert len(deep) == 1 and deep[0]["status"] == "skipped" and "max_depth" in deep[0]["reason"]
    assert deep[0]["path"].count("/") == ReadLimits().max_depth  # the first folder past the limit
    long = [entry for path, entry in files.items() if path.startswith("long/")]
    assert len(long) == 1 and long[0]["status"] == "skipped" and "longer than the system allows" in long[0]["reason"]
    assert files["good.csv"]["status"] == "ok"


def test_max_depth_is_a_setting(tmp_path):
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "b" / "near.csv").write_text("x\n1\n", encoding="utf-8")
    (tmp_path / "a" / "b" / "c" / "far.csv").write_text("x\n1\n", encoding="utf-8")
    files = {f.path: f for f in ingest(tmp_path, limits=ReadLimits(max_depth=2)).files}
    assert files["a/b/near.csv"].status == "ok"
    assert files["a/b/c"].status == "skipped" and "deeper than 2 levels" in (files["a/b/c"].reason or "")
    assert "a/b/c/far.csv" not in files


# --- budgets on decompressed work --------------------------------------------------------------


def _ingest_one(folder: Path, limits: ReadLimits | None = None) -> tuple[str, str | None]:
    [entry] = ingest(folder, limits=limits or ReadLimits()).files
    return entry.status, entry.reason


def test_gzip_is_counted_as_it_unpacks_not_trusted(tmp_path):
    text = ("a,b\n" + "1,2\n" * 800_000).encode()  # 3.2 MB unpacked
    packed = bytearray(gzip.compress(text))
    packed[-4:] = (10).to_bytes(4, "little")  # the trailer claims 10 bytes
    (tmp_path / "t.csv.gz").write_bytes(bytes(packed))
    status, reason = _ingest_one(tmp_path, ReadLimits(max_uncompressed_mb=1))
    assert status == "rejected" and "max_uncompressed_mb" in (reason or "")


def test_gzip_bomb_is_refused_by_its_ratio(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_limits, "EXPANSION_FLOOR", 1024**2)  # the default floor is 256 MB: too slow a test
    with gzip.open(tmp_path / "bomb.csv.gz", "wb", compresslevel=9) as handle:
        handle.write(b"a,b\n")
        block = b"0,0\n" * (1024 * 1024 // 4)
        for _ in range(4):  # 4 MB unpacked, about 4 KB packed
            handle.write(block)
    status, reason = _ingest_one(tmp_path)
    assert status == "rejected" and "max_expansion" in (reason or "")
    status, reason = _ingest_one(tmp_path, ReadLimits(max_expansion=5_000))
    assert status == "ok", reason


# the parent's peak is VmHWM: ru_maxrss would carry the forking pytest worker's peak across exec
ZEROS_SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from readiness.ingest import sandbox
    from readiness.ingest.walk import ingest
    [entry] = ingest(Path(sys.argv[1])).files
    child = max((r.peak_rss_bytes for r in sandbox.LAST_REPORT.values()), default=0)
    status = open("/proc/self/status", encoding="ascii").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) * 1024
    print(json.dumps({"status": entry.status, "reason": entry.reason, "child": child, "parent": peak}))
""")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="peak memory is read from /proc")
def test_a_parquet_of_zeros_is_refused_from_its_footer_and_the_parent_stays_small(tmp_path):
    chunk = pa.table({"z": pa.array([0] * 1_000_000, type=pa.int64())})
    with pq.ParquetWriter(tmp_path / "zeros.parquet", chunk.schema, compression="zstd") as writer:
        for _ in range(40):  # 40 million zeros: 320 MB in memory, a few hundred KB on disk
            writer.write_table(chunk)
    assert (tmp_path / "zeros.parquet").stat().st_size < 320 * 1024  # the shape of the attack
    result = subprocess.run([sys.executable, "-c", ZEROS_SCRIPT, str(tmp_path)], capture_output=True, text=True,
                            timeout=300, cwd=REPO, check=True)
    measured = json.loads(result.stdout)
    assert measured["status"] == "rejected" and "max_expansion" in measured["reason"]
    assert measured["child"] < 400 * 1024**2  # the footer was read, the rows never were
    assert measured["parent"] < 400 * 1024**2


def test_parquet_cells_are_refused_before_reading(tmp_path):
    pq.write_table(pa.table({"a": list(range(2_000)), "b": list(range(2_000))}), tmp_path / "t.parquet")
    status, reason = _ingest_one(tmp_path, ReadLimits(max_cells=3_000))
    assert status == "rejected" and "max_cells" in (reason or "") and "4,000 cells" in (reason or "")
    lake = tmp_path / "lake"
    for region in ("eu", "us"):
        (lake / f"region={region}").mkdir(parents=True)
        pq.write_table(pa.table({"a": list(range(1_000))}), lake / f"region={region}" / "p.parquet")
    (tmp_path / "t.parquet").unlink()
    files = ingest(tmp_path, limits=ReadLimits(max_cells=1_500)).files
    assert {f.status for f in files} == {"rejected"} and all("max_cells" in (f.reason or "") for f in files)


def test_the_parent_refuses_a_parsed_result_above_the_limit_before_loading_it():
    with pytest.raises(sandbox.SandboxError, match="max_uncompressed_mb"):
        sandbox.run(bytes, 3 * 1024**2, limits=sandbox.Limits(result_bytes=1024**2))
    assert len(sandbox.run(bytes, 1024, limits=sandbox.Limits(result_bytes=1024**2))) == 1024


SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
              'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def test_a_sheet_claiming_every_cell_is_refused_and_a_lying_claim_is_counted(tmp_path):
    claims = SHEET_HEAD + ('<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a'
                           '</t></is></c></row></sheetData></worksheet>')
    (tmp_path / "claims.xlsx").write_bytes(_xlsx_bytes(claims))
    sandbox.LAST_REPORT.clear()
    status, reason = _ingest_one(tmp_path)
    assert status == "rejected" and "1,048,576 rows x 16,384 columns" in (reason or "") and "max_cells" in (reason or "")
    (tmp_path / "claims.xlsx").unlink()
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{r}</v></c></row>' for r in range(1, 400))
    lying = SHEET_HEAD + f'<dimension ref="A1:B2"/><sheetData>{rows}</sheetData></worksheet>'
    (tmp_path / "lying.xlsx").write_bytes(_xlsx_bytes(lying))
    status, reason = _ingest_one(tmp_path, ReadLimits(max_cells=500))
    assert status == "rejected" and "more than 500 cells" in (reason or "")
    (tmp_path / "lying.xlsx").write_bytes(_xlsx_bytes(SHEET_OK))
    assert _ingest_one(tmp_path, ReadLimits(max_cells=500))[0] == "ok"


def test_a_long_line_of_quotes_is_refused_from_the_sample(tmp_path):
    (tmp_path / "q.csv").write_text(',"a' * (64 * 1024 // 3), encoding="utf-8")
    status, reason = _ingest_one(tmp_path)
    assert status == "rejected" and "max_columns" in (reason or "")
    (tmp_path / "q.csv").write_text("h\n" + ',"a' * (64 * 1024 // 3) + "\n", encoding="utf-8")
    assert _ingest_one(tmp_path)[0] in ("ok", "rejected")


# --- parse errors name places, never content ---------------------------------------------------


def test_error_summary_keeps_places_and_drops_content():
    summary = sandbox.error_summary(ValueError(f"CSV parse error: Row #5: Expected 3 columns, got 4: 1,2,{SECRET},4"))
    assert SECRET not in summary and "row 5" in summary and "expected 3 columns" in summary and "got 4" in summary
    summary = sandbox.error_summary(ValueError(f"could not convert string to float: '{SECRET}'"))
    assert summary == "ValueError"


def test_rejections_never_quote_the_file(tmp_path):
    cases = {
        "unclosed.csv": f'a,b\n1,"{SECRET}\n2,3\n'.encode(),
        "not_gzip.csv.gz": f"{SECRET} is not gzip".encode(),
        "bad.jsonl": f'{{"a": 1}}\n{{"a": {SECRET}}}\n'.encode(),
        "bad.json": f'[{{"a": {SECRET}}}]'.encode(),
        "cell.xlsx": _xlsx_bytes(SHEET_HEAD + f'<sheetData><row r="1"><c r="A1"><v>{SECRET}</v></c></row>'
                                 '</sheetData></worksheet>'),
        "bad.parquet": b"PAR1" + SECRET.encode() * 20 + b"PAR1",
    }
    for name, payload in cases.items():
        folder = tmp_path / name.replace(".", "_")
        folder.mkdir()
        (folder / name).write_bytes(payload)
        status, reason = _ingest_one(folder)
        assert status == "rejected", name
        assert "SEEDED" not in (reason or "") and "0815" not in (reason or "") and "b'" not in (reason or ""), reason
    assert "line 2" in _ingest_one(tmp_path / "bad_jsonl")[1]
    assert "row 1" in _ingest_one(tmp_path / "cell_xlsx")[1]


def test_a_row_of_a_million_commas_after_a_short_header_is_refused_from_the_sample(tmp_path):
    (tmp_path / "commas.csv").write_text("a,b\n1,2\n" + "," * 1_000_000 + "\n", encoding="utf-8")
    status, reason = _ingest_one(tmp_path)
    assert status == "rejected" and "at least" in (reason or "") and "max_columns" in (reason or "")
