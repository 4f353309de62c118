"""Names of things that hold personal data (columns, files, folders, sheets, label classes) never
reach a shared byte: placeholders everywhere outside internal/, the real names in internal/names.json."""

from __future__ import annotations

import csv
import json
import random
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from readiness.base import files
from readiness.cli.app import app
from readiness.models import FileEntry
from readiness.profile import names, placeholders
from readiness.settings import ShareSettings

EMAIL_COLUMN = "jane.doe@example.com"
CARD_COLUMN = "4111 1111 1111 1111"
PERSON_COLUMN = "John Smith"
EMAIL_FILE = "bob.smith@example.com.csv"
PERSON_FOLDER = "Laura Palmer"
PERSON_SHEET = "Peter Miller"
PERSON_CLASS = "Mary Johnson"
EMAIL_CLASS = "alice.w@example.org"
CONTROL_COLUMN = "na\x1bme\u202e"
SEEDS = (EMAIL_COLUMN, CARD_COLUMN, "4111111111111111", PERSON_COLUMN, "bob.smith", PERSON_FOLDER, PERSON_SHEET,
         PERSON_CLASS, EMAIL_CLASS)


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Every placement at once: column names, a file name, a folder, a sheet, label classes."""
    from openpyxl import Workbook

    data = tmp_path / "clinic"
    (data / PERSON_FOLDER).mkdir(parents=True)
    rng = random.Random(7)
    rows: list[list[object]] = [["id", EMAIL_COLUMN, CARD_COLUMN, PERSON_COLUMN, "Total 2023", CONTROL_COLUMN, "label"]]
    for i in range(120):
        rows.append([i, f"v{i % 5}", i * 3, rng.choice(["north", "south"]), i % 7, "x",
                     rng.choice(["yes", "no", PERSON_CLASS, EMAIL_CLASS])])
    _write_csv(data / "visits.csv", rows)
    _write_csv(data / EMAIL_FILE, [["a", "b"], *[[i, i % 3] for i in range(10)]])
    _write_csv(data / PERSON_FOLDER / "notes.csv", [["a", "b"], *[[i, i % 4] for i in range(10)]])
    book = Workbook()
    first = book.active
    first.title = "Summary"
    first.append(["region", "count"])
    first.append(["north", 3])
    second = book.create_sheet(PERSON_SHEET)
    second.append(["x", "y"])
    second.append([1, 2])
    book.save(data / "book.xlsx")
    return data


def _shared_bytes(run_dir: Path) -> list[tuple[str, bytes]]:
    """Every byte a candidate may receive: each file outside internal/ (its path too) and every
    member of packet.zip (its name too)."""
    out = []
    for path in sorted(run_dir.rglob("*")):
        relative = path.relative_to(run_dir)
        if "internal" in relative.parts:
            continue
        out.append((f"path {relative}", str(relative).encode()))
        if not path.is_file():
            continue
        out.append((str(relative), path.read_bytes()))
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    out.append((f"{relative}!{member}", member.encode() + b"\n" + archive.read(member)))
    return out


def _leaks(blobs: list[tuple[str, bytes]]) -> list[str]:
    return [f"{seed!r} in {where}" for where, data in blobs for seed in SEEDS
            if seed.encode() in data or seed.lower().encode() in data.lower()]


def test_no_personal_name_reaches_a_shared_byte_or_the_terminal(folder, tmp_path, monkeypatch):
    monkeypatch.delenv("READINESS_NO_PROFILE", raising=False)  # the visual profile on: the default path
    out = tmp_path / "out"
    runner = CliRunner()
    summary = runner.invoke(app, ["audit", str(folder), "--out", str(out), "--label", "label"])
    assert summary.exit_code == 0, summary.output
    as_json = runner.invoke(app, ["audit", str(folder), "--out", str(out), "--label", "label", "--json"])
    assert as_json.exit_code == 0, as_json.output
    runs = sorted(p for p in (out / "clinic").iterdir() if not p.name.startswith(".") and p.name != "latest")
    assert len(runs) == 2
    for run_dir in runs:
        assert (run_dir / "internal" / "profiles").is_dir()  # the profile ran, and stays internal
        assert _leaks(_shared_bytes(run_dir)) == []
    assert _leaks([("stdout", summary.stdout.encode()), ("stdout --json", as_json.stdout.encode())]) == []
    assert "\x1b" not in summary.stdout and "\u202e" not in summary.stdout

    document = json.loads(as_json.stdout)
    assert document == json.loads((runs[1] / "readiness.json").read_text(encoding="utf-8"))
    visits = next(t for t in document["tables"] if t["name"] == "visits.csv")
    assert [c["name"] for c in visits["columns"]][:5] == ["id", "column_2", "column_3", "column_4", "Total 2023"]
    tables = {t["name"] for t in document["tables"]}
    assert {"file_2.csv", "folder_1/notes.csv", "book.xlsx:Summary", "book.xlsx:sheet_2"} <= tables
    classes = document["label"]["classes"]
    assert len(classes) == 4 and {"yes", "no"} <= set(classes)
    assert all(name.startswith("class_") and count > 0 for name, count in classes.items() if name not in ("yes", "no"))
    # a finding says so, on the right table and column
    named = {f["id"]: f for f in document["findings"] if f["check"] == "pii" and f["details"].get("name_of")}
    assert named["visits.csv/column_2/pii/name"]["message"] == (
        "the name of column_2 holds personal data (email); it is shown as column_2 in every shared file")
    assert named["visits.csv/column_3/pii/name"]["details"]["kinds"] == ["payment_card"]
    assert named["visits.csv/column_4/pii/name"]["details"]["kinds"] == ["person_name"]
    assert "file_2.csv/pii/name" in named and "folder_1/pii/name" in named
    assert named["book.xlsx:sheet_2/pii/name"]["table"] == "book.xlsx:sheet_2"
    assert named["visits.csv/label/pii/class_names"]["count"] > 0

    # the real names stay with the owner, and map back; the same input gives the same placeholders
    mappings = []
    for run_dir in runs:
        internal = run_dir / "internal" / "names.json"
        assert internal.stat().st_mode & 0o077 == 0
        mappings.append({(n["thing"], n["shown"]): n["real"] for n in json.loads(internal.read_text())["names"]})
    assert mappings[0] == mappings[1]
    assert mappings[0][("column", "column_2")] == EMAIL_COLUMN
    assert mappings[0][("column", "column_3")] == CARD_COLUMN
    assert mappings[0][("column", "column_4")] == PERSON_COLUMN
    assert mappings[0][("file", "file_2.csv")] == EMAIL_FILE
    assert mappings[0][("folder", "folder_1")] == PERSON_FOLDER
    assert mappings[0][("sheet", "sheet_2")] == PERSON_SHEET
    assert {mappings[0][k] for k in mappings[0] if k[0] == "class"} == {PERSON_CLASS, EMAIL_CLASS}

    # a control character in a name is written out, never passed through
    markdown = (runs[1] / "briefing.md").read_text(encoding="utf-8")
    html = (runs[1] / "briefing.html").read_text(encoding="utf-8")
    assert "na\\x1bme\\u202e" in markdown  # a backslash before a letter escapes nothing in Markdown
    assert "na\\x1bme\\u202e" in html
    for where, data in _shared_bytes(runs[1]):
        if not where.endswith(".zip"):  # the archive's members are checked one by one, not its compressed bytes
            assert b"\x1b" not in data and "\u202e".encode() not in data, where


def test_names_hold_personal_data_only_when_written_in_them():
    files = [FileEntry("a/visits.csv", "csv", 1, None, "ok", None, tables=("a/visits.csv",)),
             FileEntry(f"{PERSON_FOLDER}/{EMAIL_FILE}", "csv", 1, None, "ok", None,
                       tables=(f"{PERSON_FOLDER}/{EMAIL_FILE}",))]
    tables = [("a/visits.csv", "a/visits.csv", ["customer_email", EMAIL_COLUMN, "Total 2023", "card_number"]),
              (f"{PERSON_FOLDER}/{EMAIL_FILE}", f"{PERSON_FOLDER}/{EMAIL_FILE}", ["x", PERSON_COLUMN])]
    built = placeholders.build(files, tables, {("a/visits.csv", "label"): [("yes", 5), (PERSON_CLASS, 3)]})
    again = placeholders.build(files, tables, {("a/visits.csv", "label"): [("yes", 5), (PERSON_CLASS, 3)]})
    assert built == again
    assert built.columns == {"a/visits.csv": {EMAIL_COLUMN: "column_2"},
                             f"{PERSON_FOLDER}/{EMAIL_FILE}": {PERSON_COLUMN: "column_2"}}
    assert built.table(f"{PERSON_FOLDER}/{EMAIL_FILE}") == "folder_1/file_1.csv"  # upper case sorts first
    assert built.table("a/visits.csv") == "a/visits.csv"
    # free text: each table's own placeholder for its column, word-bounded, longest first
    own = built.text_of(f"{PERSON_FOLDER}/{EMAIL_FILE}")
    assert own(f"{PERSON_COLUMN} in {PERSON_FOLDER}/{EMAIL_FILE}") == "column_2 in folder_1/file_1.csv"
    assert built.text(f"{PERSON_CLASS} and {PERSON_CLASS}son") == f"class_2 and {PERSON_CLASS}son"
    shared = built.share(ShareSettings(hide_columns=(f"a/visits.csv:{EMAIL_COLUMN}",),
                                       rename={PERSON_COLUMN: "contact"}))
    assert shared.hide_columns == ("a/visits.csv:column_2",)
    assert shared.rename == {"column_2": "contact"}


def test_examples_and_classes_are_masked_like_free_text():
    assert names.mask_value("mail jane.doe@example.com now") == "mail [email] now"
    assert names.mask_value("John Smith") == "[person_name]"
    assert names.mask_value("north") == "north"


def test_control_characters_are_written_out():
    assert names.visible("a\x1b[31mb\u202ec\u2066d\x85e\x7f") == "a\\x1b[31mb\\u202ec\\u2066d\\x85e\\x7f"
    assert names.visible("zero\u200dwidth joiner") == "zero\u200dwidth joiner"
    assert json.loads(files.json_text(json.dumps({"k": "a\u202eb\x9b"}, ensure_ascii=False))) == {"k": "a\u202eb\x9b"}
    assert "\u202e" not in files.json_text(json.dumps("a\u202eb", ensure_ascii=False))


def test_a_backslash_in_a_shown_name_is_literal():
    assert names.replacer({"a": "\\1x"})("a b a") == "\\1x b \\1x"
    assert names.replacer({"a": "\\g<0>"})("a") == "\\g<0>"


def test_dataset_name_holding_personal_data_gets_a_stable_placeholder():
    shown = names.dataset_name(PERSON_COLUMN)
    assert shown.startswith("dataset-") and shown == names.dataset_name(PERSON_COLUMN)
    assert names.dataset_name("support") == "support"


def test_diff_masks_personal_names_it_prints(tmp_path):
    data = tmp_path / "shop"
    data.mkdir()
    _write_csv(data / "orders.csv", [["id", "amount"], *[[i, i * 2] for i in range(30)]])
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(app, ["audit", str(data), "--out", str(out), "--no-profile"]).exit_code == 0
    _write_csv(data / "orders.csv", [["id", "amount", EMAIL_COLUMN], *[[i, i * 2, "x"] for i in range(30)]])
    _write_csv(data / EMAIL_FILE, [["a"], ["1"]])
    assert runner.invoke(app, ["audit", str(data), "--out", str(out), "--no-profile"]).exit_code == 0
    for options in ([], ["--json"]):
        shown = runner.invoke(app, ["diff", "--out", str(out), *options])
        assert shown.exit_code == 0, shown.output
        assert "[email]" in shown.stdout  # the change is shown, its personal name masked
        assert EMAIL_COLUMN not in shown.stdout and "bob.smith" not in shown.stdout


def test_a_placeholder_never_takes_a_name_the_folder_already_uses(tmp_path):
    """A real file_1.csv and folder_1 beside a file and a folder named after people: every shown
    name stays one file's, and every suite reaches the packet (a stranger found two file_1.csv)."""
    import readiness

    data = tmp_path / "data"
    (data / "folder_1").mkdir(parents=True)
    (data / "zed.folder@collide-mail.org").mkdir()
    (data / "555-867-5309.csv").write_text("a\n1\n", encoding="utf-8")
    (data / "file_1.csv").write_text("b\n1\n2\n3\n", encoding="utf-8")
    (data / "folder_1" / "a.csv").write_text("c\n1\n", encoding="utf-8")
    (data / "zed.folder@collide-mail.org" / "a.csv").write_text("d\n1\n2\n", encoding="utf-8")
    result = readiness.audit(data, out=tmp_path / "out", profile_enabled=False)
    shown = [t["name"] for t in result.result["tables"]]
    assert len(set(shown)) == len(shown) == 4 and "file_1.csv" in shown and "folder_1/a.csv" in shown
    assert len({f["path"] for f in result.result["files"]}) == 4
    with zipfile.ZipFile(result.run_dir / "packet.zip") as archive:
        members = [m for m in archive.namelist() if m.startswith("suites/")]
        assert len(members) == len(set(members)) == 4
        text = "".join(archive.read(m).decode("utf-8") for m in archive.namelist())
    assert "collide-mail" not in text and "867-5309" not in text
    assert sorted(p.name for p in (result.run_dir / "suites").iterdir()) == sorted(m[len("suites/"):] for m in members)


def test_a_file_name_that_is_not_utf8_is_audited_and_written_escaped(tmp_path):
    import os

    import readiness

    data = tmp_path / "data"
    data.mkdir()
    os.close(os.open(os.path.join(os.fsencode(data), b"bad\xffname.csv"), os.O_WRONLY | os.O_CREAT, 0o600))
    with open(os.path.join(os.fsencode(data), b"bad\xffname.csv"), "wb") as handle:
        handle.write(b"a\n1\n2\n")
    (data / "good.csv").write_text("a\n1\n", encoding="utf-8")
    result = readiness.audit(data, out=tmp_path / "out", profile_enabled=False)
    assert {t["name"]: t["rows"] for t in result.result["tables"]} == {"bad\\xffname.csv": 2, "good.csv": 1}
    for written in (result.run_dir / "briefing.html", result.run_dir / "readiness.json"):
        assert "bad\\xffname.csv" in written.read_text(encoding="utf-8").replace("\\\\", "\\")
