"""The delimited-file reader never misreads silently: ragged rows, metadata lines, files without a
header, whitespace-aligned and fixed-width files, other delimiters, and one-column tables that hold
delimiters. Every count is checked against pandas told the right options."""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from pathlib import Path

import lifelines
import numpy as np
import pandas as pd
import pytest
import sklearn

from readiness.ingest.columns import NA_TOKENS
from readiness.ingest.model import Table
from readiness.ingest.readers.delimited import read_delimited_table
from readiness.ingest.readers.delimited_layout import detect_layout
from readiness.ingest.readers.delimited_rows import count_fields, count_fields_slowly
from readiness.ingest.walk import ingest
from tests.conftest import finding, run_audit

SKLEARN_DATA = Path(sklearn.__file__).parent / "datasets" / "data"
LIFELINES_DATA = Path(lifelines.__file__).parent / "datasets"


def read_one(folder: Path, name: str, content: str | bytes) -> Table:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    ingested = ingest(folder)
    assert [f.status for f in ingested.files] == ["ok"], ingested.files
    return ingested.tables[0]


def notes(table: Table) -> dict[str, int]:
    return {note.check: note.count for note in table.notes}


def pandas_missing(reference: pd.DataFrame) -> list[int]:
    """Missing per column as the contract counts it, from a frame pandas read with its default NA tokens."""
    blank = reference.apply(lambda column: column.astype("string").str.strip().isin(["", *NA_TOKENS]))
    return [int(n) for n in (reference.isna() | blank.fillna(False).astype(bool)).sum()]


def assert_same_as(table: Table, reference: pd.DataFrame) -> None:
    """Rows, columns, per-column missing counts and every present value agree with pandas."""
    frame = table.frame
    assert frame.shape == reference.shape
    assert [int(n) for n in frame.isna().sum()] == pandas_missing(reference)
    ours = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    theirs = reference.astype(object).where(reference.notna(), None).to_numpy().tolist()
    assert ours == [[None if v is None or str(v).strip() in NA_TOKENS else v for v in row] for row in theirs]


# --- ragged rows --------------------------------------------------------------------------------


def test_rows_longer_than_the_header_keep_every_field_in_extra_columns(tmp_path):
    table = read_one(tmp_path / "d", "t.csv", "a,b\n1,2,3\n4,5,6\n")
    assert list(table.frame.columns) == ["a", "b", "column_3"]
    assert table.frame.to_numpy().tolist() == [["1", "2", "3"], ["4", "5", "6"]]  # no field became an index
    reference = pd.read_csv(tmp_path / "d" / "t.csv", header=None, skiprows=1, names=["a", "b", "column_3"],
                            dtype=str, index_col=False)
    assert_same_as(table, reference)
    (note,) = table.notes
    assert (note.check, note.count, note.severity) == ("ragged_rows", 2, "major")
    assert note.details == {"header_fields": 2, "max_fields": 3, "min_fields": 2, "longer": 2, "shorter": 0}
    assert "1" not in note.message.replace("t.csv", "")  # names the file, quotes no value


def test_rows_shorter_than_the_header_get_missing_values(tmp_path):
    table = read_one(tmp_path / "d", "t.csv", "a,b,c\n1,2\n3\n4,5,6\n")
    reference = pd.read_csv(tmp_path / "d" / "t.csv", dtype=str)
    assert_same_as(table, reference)
    assert notes(table) == {"ragged_rows": 2}
    assert table.notes[0].details["shorter"] == 2 and table.notes[0].details["min_fields"] == 1


def test_a_header_one_field_short_is_ragged_not_an_index(tmp_path):
    # R's write.table(row.names = TRUE): pandas would make the first field an index
    text = 'x,y\n"r1",5,6\n"r2",7,8\n"r3",9,\n'
    assert pd.read_csv(io.StringIO(text), dtype=str).index.tolist() == ["r1", "r2", "r3"]
    table = read_one(tmp_path / "d", "t.csv", text)
    assert list(table.frame.columns) == ["x", "y", "column_3"]
    assert table.frame["x"].tolist() == ["r1", "r2", "r3"]
    assert notes(table) == {"ragged_rows": 3}


def _tricky_rows(rows: int, longer: dict[int, int], shorter: set[int]) -> tuple[str, list[int]]:
    """A CSV with quoted commas, quoted newlines, blank and whitespace-only lines; the field counts
    of its data rows as Python's csv module counts them (blank lines skipped, as pandas does)."""
    lines = ["id,text,amount,note"]
    for i in range(rows):
        fields = [str(i), f'"say ""hi"", {i}\nsecond line"', f"{i % 7}.5" if i % 5 else "", "NA" if i % 3 else "ok"]
        if i in shorter:
            fields = fields[:2]
        fields += [f"x{j}" for j in range(longer.get(i, 0))]
        lines.append(",".join(fields))
        if i % 50 == 0:
            lines.append("   " if i % 100 else "")
    text = "\n".join(lines) + "\n"
    counts = [len(r) for r in csv.reader(io.StringIO(text, newline="")) if r and (len(r) > 1 or r[0].strip())]
    return text, counts[1:]


def test_ragged_count_is_exact_with_quoted_commas_and_newlines(tmp_path):
    text, counts = _tricky_rows(300, longer={10: 1, 200: 3}, shorter={50, 299})
    table = read_one(tmp_path / "d", "t.csv", text)
    differing = [c for c in counts if c != 4]
    note = {n.check: n for n in table.notes}["ragged_rows"]
    assert note.count == len(differing) == 4
    assert note.severity == "major"  # 4 of 300 rows: at least 1%
    assert (note.details["longer"], note.details["shorter"], note.details["max_fields"]) == (2, 2, 7)
    names = ["id", "text", "amount", "note", "column_5", "column_6", "column_7"]
    reference = pd.read_csv(tmp_path / "d" / "t.csv", header=None, skiprows=1, names=names, dtype=str, index_col=False)
    assert_same_as(table, reference)
    assert table.frame["text"].str.contains("\n").all()  # a quoted newline stays inside its field


def test_a_few_ragged_rows_are_minor_and_found_past_the_sample(tmp_path):
    regular = "".join(f"{i},name {i},{i * 3}\n" for i in range(20_000))  # well past the 64 KiB sample
    table = read_one(tmp_path / "d", "t.csv", "id,name,score\n" + regular + "20000,late,1,2\n")
    note = table.notes[0]
    assert (note.check, note.count, note.severity, note.details["longer"]) == ("ragged_rows", 1, "minor", 1)
    assert table.frame.shape == (20_001, 4)
    assert int(table.frame["column_4"].notna().sum()) == 1


@pytest.mark.parametrize("kind", ["utf-8-sig", "cp1252", "utf-16", "gzip", "crlf"])
def test_ragged_rows_are_counted_in_every_encoding(tmp_path, kind):
    text, counts = _tricky_rows(120, longer={7: 2}, shorter={8, 9})
    text = text.replace("hi", "héé")
    if kind == "gzip":
        name, data = "t.csv.gz", gzip.compress(text.encode("utf-8"))
    elif kind == "crlf":
        name, data = "t.csv", text.replace("\n", "\r\n").encode("utf-8")
    else:
        name, data = "t.csv", text.encode(kind)
    table = read_one(tmp_path / "d", name, data)
    assert notes(table) == {"ragged_rows": 3}
    assert table.frame.shape == (120, 6)
    assert table.frame["text"].str.contains("héé").all()


def test_arrow_and_python_count_the_same_fields(tmp_path):
    text, counts = _tricky_rows(200, longer={3: 1, 150: 2}, shorter={4})
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    layout = detect_layout(text, "csv")
    fast, slow = count_fields(path, "utf-8", layout), count_fields_slowly(path, "utf-8", layout)
    assert sorted(fast.tolist()) == sorted(slow.tolist()) == sorted(c for c in counts if c != 4)


def test_a_regular_file_keeps_the_arrow_fast_path(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n" + "".join(f"{i},x{i},\n" for i in range(1000)), encoding="utf-8")
    delimited = read_delimited_table(path, "csv")
    assert delimited.notes == ()
    assert all(isinstance(dtype, pd.StringDtype) for dtype in delimited.frame.dtypes)  # Arrow read it
    assert_same_as(read_one(tmp_path / "d", "t.csv", path.read_bytes()), pd.read_csv(path, dtype=str))


# --- the first line ------------------------------------------------------------------------------

SKLEARN_FILES = [
    # (file, pandas options that read it right, notes)
    ("breast_cancer.csv", {"skiprows": 1, "header": None}, {"metadata_line", "no_header"}),
    ("iris.csv", {"skiprows": 1, "header": None}, {"metadata_line", "no_header"}),
    ("wine_data.csv", {"skiprows": 1, "header": None}, {"metadata_line", "no_header"}),
    ("digits.csv.gz", {"header": None}, {"no_header"}),
    ("diabetes_data_raw.csv.gz", {"header": None, "sep": r"\s+"}, {"no_header"}),
    ("diabetes_target.csv.gz", {"header": None}, {"no_header"}),
    ("linnerud_exercise.csv", {"sep": r"\s+"}, set()),
    ("linnerud_physiological.csv", {"sep": r"\s+"}, set()),
]


@pytest.mark.parametrize(("name", "options", "expected"), SKLEARN_FILES, ids=[f[0] for f in SKLEARN_FILES])
def test_scikit_learn_data_files_are_read_whole(tmp_path, name, options, expected):
    source = SKLEARN_DATA / name
    table = read_one(tmp_path / "d", name, source.read_bytes())
    reference = pd.read_csv(source, dtype=str, **options)
    assert_same_as(table, reference)
    assert set(notes(table)) == expected
    if "header" in options:
        assert list(table.frame.columns) == [f"column_{i + 1}" for i in range(reference.shape[1])]
    else:
        assert list(table.frame.columns) == list(reference.columns)


def test_scikit_learn_shapes_by_hand(tmp_path):
    # what each file holds, read by eye (and as scikit-learn's loaders read them)
    from sklearn.datasets import load_breast_cancer, load_iris, load_wine

    for loader, name in ((load_breast_cancer, "breast_cancer.csv"), (load_iris, "iris.csv"), (load_wine, "wine_data.csv")):
        bunch = loader()
        table = read_one(tmp_path / name, name, (SKLEARN_DATA / name).read_bytes())
        assert table.frame.shape == (bunch.data.shape[0], bunch.data.shape[1] + 1)
        assert table.frame.iloc[:, -1].astype(int).tolist() == bunch.target.tolist()


def test_a_counts_line_above_the_header_is_left_out(tmp_path):
    # the layout of scikit-learn's old boston_house_prices.csv: "rows,features", then the header
    text = "4,2\nCRIM,ZN,MEDV\n0.00632,18,24\n0.02731,0,21.6\n0.02729,,34.7\n0.03237,0,33.4\n"
    table = read_one(tmp_path / "d", "boston.csv", text)
    assert list(table.frame.columns) == ["CRIM", "ZN", "MEDV"]
    assert_same_as(table, pd.read_csv(tmp_path / "d" / "boston.csv", skiprows=1, dtype=str))
    assert notes(table) == {"metadata_line": 1}


def test_a_title_line_above_the_header_is_left_out(tmp_path):
    text = "Sales export\nregion,amount\nEU,5\nUS,7\nUK,\n"
    table = read_one(tmp_path / "d", "t.csv", text)
    assert list(table.frame.columns) == ["region", "amount"]
    assert_same_as(table, pd.read_csv(tmp_path / "d" / "t.csv", skiprows=1, dtype=str))
    assert notes(table) == {"metadata_line": 1}


@pytest.mark.parametrize("header", ["country,2019,2020,2021", ",0,1,2", "id,x,y,z"])
def test_headers_that_hold_numbers_stay_headers(tmp_path, header):
    text = header + "\n" + "".join(f"c{i},{i}.5,{i * 2},{i * 3}\n" for i in range(30))
    table = read_one(tmp_path / "d", "t.csv", text)
    assert table.notes == ()
    assert_same_as(table, pd.read_csv(tmp_path / "d" / "t.csv", dtype=str, index_col=False))


def test_a_numeric_first_row_is_data(tmp_path):
    text = "".join(f"{i},{i * 0.5},{i % 3}\n" for i in range(1, 40))
    table = read_one(tmp_path / "d", "t.csv", text)
    assert table.frame.shape == (39, 3)
    assert_same_as(table, pd.read_csv(tmp_path / "d" / "t.csv", header=None, dtype=str))
    assert notes(table) == {"no_header": 1}


# --- separators ----------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", "|", "\t", ":"])
def test_other_delimiters_are_found_with_commas_in_values(tmp_path, delimiter):
    rows = [["id", "amount", "note"], *([str(i), f"{i},5", f"a, b {i}" if i % 4 else ""] for i in range(40))]
    text = "".join(delimiter.join(row) + "\n" for row in rows)
    table = read_one(tmp_path / "d", "t.csv", text)
    assert table.notes == ()
    assert_same_as(table, pd.read_csv(tmp_path / "d" / "t.csv", sep=delimiter, dtype=str))


def test_whitespace_aligned_columns(tmp_path):
    text = "OBS GPA TUCE PSI\n" + "".join(f"{i:>3}  {2 + i / 40:.2f}  {20 + i % 7:>2}   {i % 2}\n" for i in range(1, 33))
    table = read_one(tmp_path / "d", "t.csv", text)
    assert list(table.frame.columns) == ["OBS", "GPA", "TUCE", "PSI"]
    assert_same_as(table, pd.read_csv(tmp_path / "d" / "t.csv", sep=r"\s+", dtype=str))
    assert table.notes == ()


def test_whitespace_rows_wider_than_the_sample_are_kept(tmp_path):
    text = "a b c\n" + "".join(f"{i}  {i % 9}  x\n" for i in range(20_000)) + "1 2 3 4\n5 6\n"
    table = read_one(tmp_path / "d", "t.csv", text)
    assert list(table.frame.columns) == ["a", "b", "c", "column_4"]
    reference = pd.read_csv(tmp_path / "d" / "t.csv", sep=r"\s+", header=None, skiprows=1, dtype=str,
                            names=list(table.frame.columns))
    assert_same_as(table, reference)
    note = table.notes[0]
    assert (note.check, note.count, note.details["longer"], note.details["shorter"]) == ("ragged_rows", 2, 1, 1)


def test_lifelines_space_separated_files(tmp_path):
    anderson = read_one(tmp_path / "a", "anderson.csv", (LIFELINES_DATA / "anderson.csv").read_bytes())
    assert_same_as(anderson, pd.read_csv(LIFELINES_DATA / "anderson.csv", sep=" ", dtype=str))
    # a .tsv holding spaces, its header indented over an unnamed row-names column: that column
    # gets an empty name (never a pandas index), and no row is ragged
    holly = read_one(tmp_path / "h", "holly.tsv", (LIFELINES_DATA / "holly_molly_polly.tsv").read_bytes())
    reference = pd.read_csv(LIFELINES_DATA / "holly_molly_polly.tsv", sep=r"\s+", header=None, skiprows=1, dtype=str)
    header = (LIFELINES_DATA / "holly_molly_polly.tsv").read_text().splitlines()[0].split()
    assert list(holly.frame.columns) == ["Unnamed: 0", *header]
    assert_same_as(holly, reference.set_axis(list(holly.frame.columns), axis=1))
    assert notes(holly) == {}


def test_fixed_width_columns_with_spaces_inside_values(tmp_path):
    # lifelines' divorce.dat: right-aligned columns, "12-15 years" holds a space
    source = LIFELINES_DATA / "divorce.dat"
    table = read_one(tmp_path / "d", "divorce.csv", source.read_bytes())
    by_hand = [(0, 9), (9, 22), (22, 32), (32, 40), (40, 50), (50, None)]
    reference = pd.read_fwf(source, colspecs=by_hand, dtype=str)
    assert list(table.frame.columns) == ["id", "heduc", "heblack", "mixed", "years", "div"]
    assert_same_as(table, reference)
    assert table.frame["heduc"].value_counts().to_dict() == {"12-15 years": 1655, "< 12 years": 1288, "16+ years": 428}


def test_a_small_fixed_width_export(tmp_path):
    text = ("NAME         AGE  CITY\n"
            "John Smith    34  New York\n"
            "Al Bo          5  La Paz\n"
            "Mary Ann      41  Rome\n")
    table = read_one(tmp_path / "d", "t.csv", text)
    assert table.frame.to_numpy().tolist() == [["John Smith", "34", "New York"], ["Al Bo", "5", "La Paz"],
                                               ["Mary Ann", "41", "Rome"]]
    assert list(table.frame.columns) == ["NAME", "AGE", "CITY"]


# --- one column that should have been several ---------------------------------------------------


def test_one_column_of_delimited_values_is_suspect(tmp_path):
    text = "record\n" + "".join(f"{i};name {i};{i * 2}\n" for i in range(30)) + "plain\n"
    table = read_one(tmp_path / "d", "t.csv", text)
    assert table.frame.shape == (31, 1)
    (note,) = table.notes
    assert (note.check, note.count, note.severity, note.column) == ("suspect_delimiter", 30, "major", "record")


@pytest.mark.parametrize("values", [["12:30", "13:45:10"], ["https://example.com/a", "http://x.org"],
                                    ['"one, two"', '"three, four"'], ["plain words", "more words"]])
def test_ordinary_one_column_tables_are_not_suspect(tmp_path, values):
    text = "value\n" + "".join(f"{v}\n" for v in values * 10)
    table = read_one(tmp_path / "d", "t.csv", text)
    assert table.frame.shape == (20, 1)
    assert table.notes == ()


def test_one_column_with_half_its_values_delimited_is_suspect(tmp_path):
    text = "v\n" + "a  b\n" * 5 + "c\n" * 5 + "\n\n"
    assert notes(read_one(tmp_path / "d", "t.csv", text)) == {"suspect_delimiter": 5}
    text = "v\n" + "a  b\n" * 4 + "c\n" * 5
    assert notes(read_one(tmp_path / "e", "t.csv", text)) == {}


# --- through the audit -----------------------------------------------------------------------------


def test_the_audit_reports_every_reading_note(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SKLEARN_DATA / "breast_cancer.csv", data / "breast_cancer.csv")
    (data / "ragged.csv").write_text("a,b\n1,2,3\n4,5,6\n7,8\n", encoding="utf-8")
    (data / "onecol.csv").write_text("record\n" + "".join(f"{i};x;{i}\n" for i in range(20)), encoding="utf-8")
    document = run_audit(data, tmp_path / "out")
    assert all(f["status"] == "ok" for f in document["files"])
    tables = {t["name"]: t for t in document["tables"]}
    assert tables["breast_cancer.csv"]["rows"] == 569 and len(tables["breast_cancer.csv"]["columns"]) == 31
    assert finding(document, "breast_cancer.csv/no_header")["severity"] == "major"
    assert finding(document, "breast_cancer.csv/metadata_line")["count"] == 1
    ragged = finding(document, "ragged.csv/ragged_rows")
    assert (ragged["count"], ragged["details"]["longer"]) == (2, 2)
    assert tables["ragged.csv"]["rows"] == 3
    column_3 = next(c for c in tables["ragged.csv"]["columns"] if c["name"] == "column_3")
    assert column_3["missing"] == 1
    assert finding(document, "onecol.csv/record/suspect_delimiter")["count"] == 20
    for item in document["findings"]:
        if item["check"] in ("ragged_rows", "no_header", "metadata_line", "suspect_delimiter"):
            assert not any(token in item["message"] for token in ("569", "malignant", ";x;")), item["message"]
    assert np.isclose(ragged["fraction"], 2 / 3)


@pytest.mark.parametrize(("above", "lines"), [
    ("Quarterly report 2023,,,\nGenerated 2024-01-05,,,\n", 2),  # titles padded to the header's width
    ("Quarterly report 2023\nSource: ERP export\n", 2),
    ("Quarterly report 2023\n\n", 1),  # a title, then a blank line
])
def test_title_lines_above_the_header_are_left_out_and_reported(tmp_path, above, lines):
    body = "sku,store,qty,price\n" + "".join(f"S{i},{'abc'[i % 3]},{i % 9},{i * 1.25:.2f}\n" for i in range(40))
    table = read_one(tmp_path / "t", "report.csv", above + body)
    assert_same_as(table, pd.read_csv(io.StringIO(body), dtype=str))
    assert notes(table) == {"metadata_line": lines}


def test_a_header_of_years_over_numbers_is_a_header(tmp_path):
    body = "1990,1995,2000,2005\n" + "".join(f"{100 + i * 0.5},{101 + i},{99.5 - i},{100.25 + i}\n" for i in range(30))
    table = read_one(tmp_path / "y", "wide.csv", body)
    assert_same_as(table, pd.read_csv(io.StringIO(body), dtype=str))
    assert notes(table) == {}


def test_lines_quoted_whole_are_a_suspect_delimiter(tmp_path):
    text = '"id,name,score"\n' + "".join(f'"{i},n{i},{i * 3}"\n' for i in range(30))
    table = read_one(tmp_path / "q", "quoted.csv", text)
    assert table.frame.shape == (30, 1)
    assert notes(table) == {"suspect_delimiter": 30}


def test_title_rows_above_an_excel_header_are_left_out_and_reported(tmp_path):
    frame = pd.DataFrame({"sku": [f"S{i}" for i in range(40)], "qty": [i % 9 for i in range(40)],
                          "price": [round(i * 1.25, 2) for i in range(40)]})
    folder = tmp_path / "x"
    folder.mkdir()
    with pd.ExcelWriter(folder / "book.xlsx") as writer:
        frame.to_excel(writer, sheet_name="report", index=False, startrow=3)
        writer.sheets["report"].cell(row=1, column=1, value="Quarterly report 2023")
        writer.sheets["report"].cell(row=2, column=1, value="Source: ERP export")
    table = ingest(folder).tables[0]
    assert list(table.frame.columns) == ["sku", "qty", "price"]
    assert len(table.frame) == 40
    assert table.frame["qty"].tolist() == frame["qty"].tolist()  # numbers stay numbers under the titles
    assert notes(table) == {"metadata_line": 2}
