"""Write a seeded corpus of broken and hostile client files (and a few good ones) into a folder.

Usage: python tests/corpus/generate.py OUT_DIR

Each entry is (relative path, expected status); most files are made here rather than stored, so
the repository holds the recipe, not 50 MB fields and zip bombs.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import pickle
import random
import sys
import zipfile
from pathlib import Path

SEED = 7


def _xlsx_bytes(sheet_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal workbook with one sheet whose XML is given as is."""
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


SHEET_OK = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
            '<row r="2"><c r="A2"><v>1</v></c></row></sheetData></worksheet>')
BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
                  + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                  '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
XXE = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
       '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')


SHEET_CLAIMS_EVERYTHING = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
    '<row r="2"><c r="A2"><v>1</v></c></row></sheetData></worksheet>')
SEEDED_CELL = "SEEDED-CELL-4711"  # a value that no rejection reason may quote
SHEET_BAD_NUMBER = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
    f'<row r="2"><c r="A2"><v>{SEEDED_CELL}</v></c></row></sheetData></worksheet>')
OUTSIDE_VALUE = 987_654_321  # lives outside the corpus folder: no shareable byte may hold it


def _gzip_lying_isize(data: bytes) -> bytes:
    """A gzip member whose trailer claims 1 byte unpacked."""
    packed = bytearray(gzip.compress(data))
    packed[-4:] = (1).to_bytes(4, "little")
    return bytes(packed)


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    return buffer.getvalue()


def _parquet_bytes(values: list[int] | None = None) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    values = list(range(1000)) if values is None else values
    buffer = io.BytesIO()
    pq.write_table(pa.table({"a": values, "b": [str(i) for i in values]}), buffer)
    return buffer.getvalue()


def build(out: Path) -> dict[str, str]:
    """Write the corpus; returns {relative path: expected status}."""
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    outside = out.parent / f"{out.name}-outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.csv").write_text("password\nhunter2\n", encoding="utf-8")
    expected: dict[str, str] = {}

    def put(name: str, data: bytes | str, status: str) -> None:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expected[name] = status

    good = "id,name,score\n" + "".join(f"{i},n{i},{i % 7 if i % 10 else ''}\n" for i in range(200))
    put("good.csv", good, "ok")
    put("good.jsonl", "".join(json.dumps({"id": i, "v": i * 2}) + "\n" for i in range(50)), "ok")
    put("garbage.csv", bytes(rng.getrandbits(8) for _ in range(4096)), "rejected")
    put("garbage.parquet", bytes(rng.getrandbits(8) for _ in range(4096)), "rejected")
    parquet = _parquet_bytes()
    put("truncated.parquet", parquet[: len(parquet) // 2], "rejected")
    put("bad_magic.parquet", b"XXXX" + parquet[4:], "ok")  # readers check the footer, as Arrow does
    put("footer_only.parquet", b"PAR1", "rejected")
    text = "name,city\nJosé,Zürich\nRenée,Köln\n"
    put("utf16_bom.csv", codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "ok")
    put("utf16_be_bom.csv", codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "ok")
    put("utf16_no_bom.csv", text.encode("utf-16-le"), "ok")
    put("latin1.csv", text.encode("latin-1"), "ok")
    put("cp1252_quotes.csv", "q\n“smart” quotes – dash\n".encode("cp1252"), "ok")
    put("ragged_more.csv", "a,b\n1,2\n3,4,5,6\n7,8\n", "ok")  # extra fields go to column_3, column_4 (ragged_rows)
    put("ragged_less.csv", "a,b,c\n1,2\n3\n", "ok")
    put("unclosed_quote.csv", 'a,b\n1,"never closed\n2,3\n', "rejected")
    put("huge_field.csv", "a,b\n1," + "x" * (50 * 1024 * 1024) + "\n", "rejected")
    put("empty.csv", b"", "rejected")
    put("header_only.csv", "a,b,c\n", "ok")
    put("whitespace.csv", "   \n\n  \n", "rejected")
    put("nul_bytes.csv", b"a,b\n1,\x00\x00\n2,3\n", "ok")
    put("wide.csv", ",".join(f"c{i}" for i in range(6000)) + "\n" + ",".join("1" for _ in range(6000)) + "\n", "rejected")
    put("dup_header.csv", "a,a,a\n1,2,3\n", "ok")
    put("long_line.csv", "a\n" + "y" * 500_000, "ok")
    put("only_bom.csv", codecs.BOM_UTF8, "rejected")
    put("not_gzip.csv.gz", b"this is not gzip at all", "rejected")
    put("truncated.csv.gz", gzip.compress(good.encode())[:60], "rejected")
    put("semicolons.csv", "a;b;c\n1;2;3\n4;5;6\n", "ok")
    put("mixed_delims.tsv", "a\tb\n1,2\t3\n4\t5\n", "ok")
    put("deep.json", "[" * 200_000 + "]" * 200_000, "rejected")
    put("deep100.json", json.dumps([{"x": json.loads("[" * 100 + "]" * 100)}]), "rejected")
    put("scalar.json", "42", "rejected")
    put("scalars.json", "[1, 2, 3]", "rejected")
    put("object.json", '{"a": 1, "b": {"c": 2}}', "rejected")
    put("invalid.json", '[{"a": 1},', "rejected")
    put("bom.json", codecs.BOM_UTF8 + b'[{"a": 1}, {"a": 2}]', "ok")
    put("bad_line.jsonl", '{"a": 1}\n{"a": \n{"a": 3}\n', "rejected")
    put("blank_lines.jsonl", "\n\n\n", "ok")
    put("big_numbers.json", '[{"a": 1e999, "b": -1e999, "c": 123456789012345678901234567890}]', "ok")
    put("nan_literal.json", '[{"a": NaN}, {"a": Infinity}]', "ok")
    put("dup_keys.json", '[{"a": 1, "a": 2}]', "ok")
    put("latin1.jsonl", '{"a": "caf\xe9"}\n'.encode("latin-1"), "rejected")
    put("deep.ndjson", json.dumps({"a": json.loads("[" * 80 + "]" * 80)}) + "\n", "rejected")
    put("zipbomb.xlsx", _zip_bomb(), "rejected")
    put("billion_laughs.xlsx", _xlsx_bytes(BILLION_LAUGHS), "rejected")
    put("xxe.xlsx", _xlsx_bytes(XXE), "rejected")
    put("minimal.xlsx", _xlsx_bytes(SHEET_OK), "ok")
    put("not_zip.xlsx", b"PK but not really a zip", "rejected")
    empty_zip = io.BytesIO()
    zipfile.ZipFile(empty_zip, "w").close()
    put("empty_zip.xlsx", empty_zip.getvalue(), "rejected")
    put("macro.xlsm", _xlsx_bytes(SHEET_OK), "rejected")
    put("legacy.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "rejected")
    put("model.pkl", pickle.dumps({"x": 1}), "skipped")
    put("evil.pickle", b"cos\nsystem\n(S'echo pwned'\ntR.", "skipped")
    put("model.joblib", b"\x80\x04joblib", "skipped")
    put("report.pp", b"\x80\x04profile", "skipped")
    put("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "rejected")  # an image that cannot be decoded
    put("doc.pdf", b"%PDF-1.4\n", "rejected")  # a PDF with nothing after its header
    put("archive.zip", empty_zip.getvalue(), "skipped")
    put(".hidden.csv", "a\n1\n", "skipped")
    put("<img src=x onerror=alert(1)>.csv", "a\n1\n", "ok")
    put("name with\nnewline.csv", "a\n1\n", "ok")
    put("lake/sales/region=eu/part-0.parquet", parquet, "rejected")
    put("lake/sales/region=us/part-0.parquet", b"PAR1garbagePAR1", "rejected")
    os.symlink(outside / "secret.csv", out / "link_outside.csv")
    expected["link_outside.csv"] = "skipped"
    os.symlink(outside, out / "dir_link")
    expected["dir_link"] = "skipped"
    os.symlink(out / "nowhere.csv", out / "dangling.csv")
    expected["dangling.csv"] = "skipped"
    os.mkfifo(out / "pipe.csv")
    expected["pipe.csv"] = "skipped"
    # links that loop, and a partitioned folder whose links and FIFO must never reach Arrow
    os.symlink("loop_b", out / "loop_a")
    os.symlink("loop_a", out / "loop_b")
    os.symlink("self_loop.csv", out / "self_loop.csv")
    expected.update({"loop_a": "skipped", "loop_b": "skipped", "self_loop.csv": "skipped"})
    put("lake/orders/region=eu/part-0.parquet", parquet, "ok")
    (outside / "region=xx").mkdir(exist_ok=True)
    (outside / "region=xx" / "part-0.parquet").write_bytes(_parquet_bytes([OUTSIDE_VALUE]))
    os.symlink(outside / "region=xx", out / "lake/orders/region=xx")
    os.symlink(outside / "region=xx" / "part-0.parquet", out / "lake/orders/region=eu/part-1.parquet")
    os.mkfifo(out / "lake/orders/region=eu/part-2.parquet")
    os.symlink("loop", out / "lake/orders/loop")
    expected.update({"lake/orders/region=xx": "skipped", "lake/orders/region=eu/part-1.parquet": "skipped",
                     "lake/orders/region=eu/part-2.parquet": "skipped", "lake/orders/loop": "skipped"})
    # budgets: a sheet claiming every cell, a line of `,"a` (it once took 55 s), a gzip whose trailer lies
    put("claims_every_cell.xlsx", _xlsx_bytes(SHEET_CLAIMS_EVERYTHING), "rejected")
    put("cell_error.xlsx", _xlsx_bytes(SHEET_BAD_NUMBER), "rejected")
    put("quote_line.csv", ',"a' * (64 * 1024 // 3), "rejected")
    put("lying_isize.csv.gz", _gzip_lying_isize(good.encode()), "rejected")
    return expected


if __name__ == "__main__":
    for name, status in sorted(build(Path(sys.argv[1])).items()):
        print(f"{status:8} {name!r}")
