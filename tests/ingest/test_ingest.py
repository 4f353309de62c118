"""Ingestion: every format, the counting rules, and every file accounted for."""

from __future__ import annotations

import gzip
import json
import os
import pickle

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from readiness.ingest.columns import normalise_frame
from readiness.ingest.walk import ingest
from tests.conftest import column, finding, run_audit, snapshot


def test_csv_keeps_text_leading_zeros_and_normalises_na_tokens(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "zip.csv").write_text("zip,score,note\n02134,1,NA\n00501,1.0,   \n02134,n/a,ok\n10001,,null\n",
                                  encoding="utf-8")
    ingested = ingest(data)
    frame = ingested.tables[0].frame
    assert frame["zip"].tolist() == ["02134", "00501", "02134", "10001"]
    assert frame["score"].tolist()[:2] == ["1", "1.0"]  # compared as the text in the file
    assert frame["note"].isna().sum() == 3
    assert frame["score"].isna().sum() == 2
    document = run_audit(data, tmp_path / "out")
    assert column(document, "zip.csv", "note")["missing"] == 3
    assert column(document, "zip.csv", "score")["distinct"] == 2  # "1" and "1.0" differ


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiter_is_detected(tmp_path, delimiter):
    rows = ["a,b,c", "1,x,2024-01-01", "2,y,2024-01-02", "3,z,2024-01-03"]
    (tmp_path / "t.csv").write_text("\n".join(r.replace(",", delimiter) for r in rows) + "\n", encoding="utf-8")
    frame = ingest(tmp_path).tables[0].frame
    assert list(frame.columns) == ["a", "b", "c"]
    assert len(frame) == 3


@pytest.mark.parametrize(("encoding", "expected"), [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252")])
def test_csv_encoding_and_bom_are_detected_and_reported(tmp_path, encoding, expected):
    text = "name,city\nJosé,Zürich\nRenée,Köln\n"
    (tmp_path / "people.csv").write_bytes(text.encode(encoding))
    ingested = ingest(tmp_path)
    assert ingested.tables[0].frame["city"].tolist() == ["Zürich", "Köln"]
    assert list(ingested.tables[0].frame.columns) == ["name", "city"]
    assert ingested.files[0].encoding == expected


def test_gzip_csv_tsv_and_jsonl(tmp_path):
    with gzip.open(tmp_path / "a.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write("x,y\n1,2\n3,\n")
    (tmp_path / "b.tsv").write_text("x\ty\n1\t2\n", encoding="utf-8")
    with gzip.open(tmp_path / "c.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write('{"x": 1}\n{"x": 2, "y": [1, 2]}\n')
    ingested = ingest(tmp_path)
    names = {t.name: t for t in ingested.tables}
    assert set(names) == {"a.csv.gz", "b.tsv", "c.jsonl.gz"}
    assert names["a.csv.gz"].frame["y"].isna().sum() == 1
    assert names["c.jsonl.gz"].frame["y"].tolist()[1] == "[1, 2]"  # lists compare by their JSON text
    assert all(f.status == "ok" for f in ingested.files)


def test_json_keeps_numbers_as_parsed(tmp_path):
    records = [{"id": 1, "label": 1, "v": 1.5}, {"id": 2, "label": 0, "v": None}, {"id": 3, "label": 1, "v": 2}]
    (tmp_path / "r.json").write_text(json.dumps(records), encoding="utf-8")
    document = run_audit(tmp_path, tmp_path.parent / "out", label="label")
    assert document["label"]["classes"] == {"1": 2, "0": 1}
    assert column(document, "r.json", "v")["missing"] == 1


def test_parquet_and_hive_partitions(tmp_path):
    data = tmp_path / "data"
    lake = data / "lake" / "sales"
    for region in ("eu", "us"):
        part = lake / f"region={region}"
        part.mkdir(parents=True)
        pq.write_table(pa.table({"amount": [1.0, None, 3.0], "sku": ["a", "NULL", "c"]}), part / "part-0.parquet")
    pq.write_table(pa.table({"n": pa.array([1, None, 3], pa.int64())}), data / "single.parquet")
    ingested = ingest(data)
    tables = {t.name: t.frame for t in ingested.tables}
    assert set(tables) == {"lake/sales", "single.parquet"}
    assert sorted(tables["lake/sales"]["region"].unique()) == ["eu", "us"]
    assert tables["lake/sales"]["sku"].isna().sum() == 2  # NA tokens in text are missing in Parquet too
    assert tables["single.parquet"]["n"].tolist()[0] == 1
    part_entries = [f for f in ingested.files if f.path.startswith("lake/")]
    assert len(part_entries) == 2 and all(f.status == "ok" and f.tables == ("lake/sales",) for f in part_entries)


def test_xlsx_sheets_error_values_and_types(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["id", "ratio", "when"])
    sheet.append([1, 0.5, pd.Timestamp("2024-01-01").to_pydatetime()])
    sheet.append([2, None, pd.Timestamp("2024-01-02").to_pydatetime()])
    sheet.append([3, 0.25, pd.Timestamp("2024-01-03").to_pydatetime()])
    cell = sheet.cell(row=4, column=2)
    cell.value, cell.data_type = "#DIV/0!", "e"
    other = book.create_sheet("<b>x<img src=x>")
    other.append(["k"])
    other.append(["v"])
    book.save(tmp_path / "book.xlsx")
    ingested = ingest(tmp_path)
    tables = {t.name: t.frame for t in ingested.tables}
    assert set(tables) == {"book.xlsx:Sheet1", "book.xlsx:<b>x<img src=x>"}
    sheet1 = tables["book.xlsx:Sheet1"]
    assert sheet1["ratio"].isna().sum() == 2  # the #DIV/0! error is missing
    assert pd.api.types.is_float_dtype(sheet1["ratio"].dtype)
    assert pd.api.types.is_datetime64_any_dtype(sheet1["when"].dtype)
    assert ingested.files[0].tables == tuple(tables)


def test_bad_files_are_rejected_with_reasons_and_the_rest_is_audited(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "good.csv").write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    (data / "empty.csv").write_bytes(b"")
    (data / "empty.json").write_bytes(b" \n")
    (data / "broken.parquet").write_bytes(b"PAR1 not really")
    (data / "bad.json").write_text("{not json", encoding="utf-8")
    (data / "bad.jsonl").write_text('{"a": 1}\n{"a": \n', encoding="utf-8")
    (data / "object.json").write_text('{"a": 1, "b": 2}', encoding="utf-8")
    (data / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (data / "fake.xlsx").write_bytes(b"not a zip")
    (data / "photo.png").write_bytes(b"\x89PNG\r\n")
    (data / "model.pkl").write_bytes(pickle.dumps({"x": 1}))
    document = run_audit(data, tmp_path / "out")
    status = {f["path"]: (f["status"], f["reason"]) for f in document["files"]}
    assert status["good.csv"] == ("ok", None)
    assert status["empty.json"][1].startswith("the file is empty") and status["empty.csv"][1].startswith("the file is")
    for rejected in ("empty.csv", "empty.json", "broken.parquet", "bad.json", "bad.jsonl", "object.json", "old.xls", "fake.xlsx"):
        assert status[rejected][0] == "rejected", rejected
        assert ";" in status[rejected][1], f"reason says what to do: {status[rejected][1]}"
        assert finding(document, f"{rejected}/file_rejected")["count"] == 1
    # a truncated image is data that cannot be decoded: rejected, counted by corrupt_file, not file_rejected
    assert status["photo.png"][0] == "rejected" and ";" in status["photo.png"][1]
    assert finding(document, "./corrupt_file")["count"] == 1
    assert not [f for f in document["findings"] if f["id"] == "photo.png/file_rejected"]
    assert status["model.pkl"][0] == "skipped" and "never loaded" in status["model.pkl"][1]
    assert [t["name"] for t in document["tables"]] == ["good.csv"]
    assert document["band"] != "C"
    for entry in document["files"]:
        assert len(entry["sha256"]) == 64


def test_links_fifos_and_the_output_folder_are_never_read(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("secret\nhunter2\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "t.csv").write_text("a\n1\n", encoding="utf-8")
    os.symlink(outside, data / "link.csv")
    os.mkfifo(data / "pipe.csv")
    out = data / "reports"
    before = snapshot(data)
    document = run_audit(data, out)
    status = {f["path"]: f["status"] for f in document["files"]}
    assert status["link.csv"] == "skipped"
    assert status["pipe.csv"] == "skipped"
    assert not any(p.startswith("reports") for p in status)
    assert [t["name"] for t in document["tables"]] == ["t.csv"]
    after = {k: v for k, v in snapshot(data).items() if not k.startswith("reports")}
    assert after == {k: v for k, v in before.items() if not k.startswith("reports")}
    # a second audit into the same out folder does not read the first one's output
    second = run_audit(data, out)
    assert [t["name"] for t in second["tables"]] == ["t.csv"]


def test_normalise_frame_counts_match_pandas_na_rules():
    frame = pd.DataFrame({"t": ["a", "", " ", "NULL", "None", "#N/A", "nan", "x"],
                          "n": [1.0, np.nan, 2.0, 3.0, np.nan, 4.0, 5.0, 6.0]})
    out = normalise_frame(frame)
    assert out["t"].isna().sum() == 6
    assert out["n"].isna().sum() == 2


def test_arrow_reader_reads_what_the_c_parser_reads(tmp_path, monkeypatch):
    from readiness.ingest.readers import delimited
    from readiness.ingest.readers.delimited_layout import detect_layout
    from readiness.ingest.readers.delimited_rows import arrow_rows

    def arrow(path):
        text = path.read_text(encoding="utf-8")
        return arrow_rows(path, text, detect_layout(text, "csv", separators=(",",)))[0]

    path = tmp_path / "t.csv"
    path.write_text('id,name,name,,note\n1,"a, b",x,,"two\nlines"\n2,"say ""hi""",y,  ,é ü\n\n3,,z,0,\n',
                    encoding="utf-8")
    expected = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, engine="c")
    assert arrow(path) is not None  # the fast path takes it
    monkeypatch.setattr(delimited, "pandas_rows", lambda *args: pytest.fail("the C parser read the file"))
    table = delimited.read_delimited_table(path, "csv")
    assert table.encoding == "utf-8"
    assert list(table.frame.columns) == list(expected.columns) == ["id", "name", "name.1", "Unnamed: 3", "note"]
    assert table.frame.values.tolist() == expected.values.tolist()
    path.write_text('a,b\n1,"open\n', encoding="utf-8")  # an unclosed quote goes to the C parser
    assert arrow(path) is None


def test_the_registry_names_one_reader_per_suffix_and_knows_what_it_never_reads():
    from pathlib import Path

    from readiness.ingest.readers.registry import READERS, REJECT_ONLY, SKIP_REASONS, reader_for

    suffixes = [suffix for reader in READERS for suffix in reader.suffixes]
    assert len(suffixes) == len(set(suffixes)) and not set(suffixes) & {*REJECT_ONLY, *SKIP_REASONS}
    assert len({reader.format for reader in READERS}) == len(READERS)
    assert {name: getattr(reader_for(Path(name)), "format", None) for name in (
        "a.csv", "a.CSV.GZ", "b.tsv", "c.pq", "d.parquet", "e.json.gz", "f.ndjson", "g.xlsx", "h.xlsm", "i.xls",
        "j.tar.gz", "k.gz", "l.txt", "m")} == {
        "a.csv": "csv", "a.CSV.GZ": "csv", "b.tsv": "tsv", "c.pq": "parquet", "d.parquet": "parquet",
        "e.json.gz": "json", "f.ndjson": "jsonl", "g.xlsx": "xlsx", "h.xlsm": None, "i.xls": None, "j.tar.gz": None,
        "k.gz": None, "l.txt": None, "m": None}
