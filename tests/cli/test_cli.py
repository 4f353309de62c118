"""The CLI: exit codes, one-line errors, --json, gates, and a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from readiness.cli.app import app
from readiness.report.document import validate_document
from tests.conftest import without_progress

runner = CliRunner()


@pytest.fixture
def folder(tmp_path):
    data = tmp_path / "client"
    data.mkdir()
    rows = ["id,text,intent"] + [f"{i},hello there number {i},{'refund' if i % 3 else ''}" for i in range(60)]
    (data / "tickets.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return data


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_help_in_a_subprocess():
    result = subprocess.run([sys.executable, "-m", "readiness", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "audit" in result.stdout and "init" in result.stdout


def test_cli_start_does_not_import_heavy_libraries():
    code = ("import sys, readiness.cli.app; "
            "print(sorted(m for m in ('great_expectations', 'data_profiling', 'pandas', 'pyarrow') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]"


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == "readiness 0.1.0"


def test_audit_prints_summary_and_exits_0(folder, tmp_path):
    result = invoke("audit", folder, "--out", tmp_path / "out", "--label", "intent")
    assert result.exit_code == 0, result.output
    assert "Score" in result.stdout and "band" in result.stdout
    assert "no intent label" in result.stdout
    assert (tmp_path / "out" / "client" / "latest" / "readiness.json").is_file()


def test_json_output_is_the_document(folder, tmp_path):
    result = invoke("audit", folder, "--out", tmp_path / "out", "--label", "intent", "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    validate_document(document)
    assert document["label"]["labeled"] == 40


def test_fail_under_gate(folder, tmp_path):
    result = invoke("audit", folder, "--out", tmp_path / "out", "--label", "intent", "--fail-under", "99.5")
    assert result.exit_code == 1
    assert "below --fail-under 99.5" in result.stderr
    ok = invoke("audit", folder, "--out", tmp_path / "out", "--label", "intent", "--fail-under", "1")
    assert ok.exit_code == 0


@pytest.mark.parametrize("value", ["101", "-1"])
def test_fail_under_out_of_range_is_a_usage_error(folder, tmp_path, value):
    result = invoke("audit", folder, "--out", tmp_path / "out", "--fail-under", value)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --fail-under must be a score from 0 to 100, not {float(value):g}\n"


def test_unknown_label_lists_the_candidates(folder, tmp_path):
    result = invoke("audit", folder, "--out", tmp_path / "out", "--label", "target")
    assert result.exit_code == 2
    assert without_progress(result.stderr) == ("Error: --label 'target' names no column in any table; "
                             "the candidates are: id, text, intent\n")
    assert not (tmp_path / "out" / "client").exists()


def test_unknown_label_table(folder, tmp_path):
    result = invoke("audit", folder, "--out", tmp_path / "out", "--label", "intent", "--label-table", "x.csv")
    assert result.exit_code == 2
    assert without_progress(result.stderr) == "Error: --label-table 'x.csv' names no table in the dataset; the tables are: tickets.csv\n"


def test_bad_config_key_is_one_line(folder, tmp_path):
    (folder / "readiness.toml").write_text("[label]\ncolumn = 3\n", encoding="utf-8")
    result = invoke("audit", folder, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: ") and "key 'label.column' must be a string" in result.stderr


def test_bad_task_and_now(folder, tmp_path):
    assert invoke("audit", folder, "--out", tmp_path / "o", "--task", "magic").exit_code == 2
    result = invoke("audit", folder, "--out", tmp_path / "o", "--now", "yesterday")
    assert result.exit_code == 2 and "is not an ISO date" in result.stderr


def test_missing_path(tmp_path):
    result = invoke("audit", tmp_path / "nope", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope'}: no such file or folder; check the path\n"


def test_no_readable_table_still_writes_the_run(tmp_path):
    data = tmp_path / "broken"
    data.mkdir()
    (data / "a.parquet").write_bytes(b"garbage")
    (data / "b.json").write_text("[1, 2", encoding="utf-8")
    result = invoke("audit", data, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert without_progress(result.stderr).startswith(f"Error: {data}: no table could be read")
    document = json.loads((tmp_path / "out" / "broken" / "latest" / "readiness.json").read_text())
    validate_document(document)
    assert (document["score"], document["grade"], document["band"]) == (0, "not-ready", "C")
    assert sorted(f["id"] for f in document["findings"]) == ["a.parquet/file_rejected", "b.json/file_rejected"]


def test_history_lists_runs_newest_first(folder, tmp_path):
    for _ in range(2):
        assert invoke("audit", folder, "--out", tmp_path / "out", "--label", "intent").exit_code == 0
    result = invoke("history", "--out", tmp_path / "out", "--json")
    runs = json.loads(result.stdout)
    assert len(runs) == 2
    assert runs[0]["finished_at"] > runs[1]["finished_at"]
    assert {"run_id", "dataset", "started_at", "finished_at", "score", "grade"} <= set(runs[0])
    latest = (tmp_path / "out" / "client" / "latest").resolve().name
    assert latest == runs[0]["run_id"]


@pytest.mark.parametrize("name", ["n" * 300, "a/../../b", "..", "x\ny", "nul\x00name", "/"])
def test_odd_dataset_names_end_in_a_run(tmp_path, name):
    data = tmp_path / "d"
    data.mkdir()
    (data / "t.csv").write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("audit", data, "--out", out, "--name", name, "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    folders = [p for p in out.iterdir() if p.is_dir()]  # one folder, inside --out, of a length file systems take
    assert len(folders) == 1 and len(folders[0].name) <= 100 and not folders[0].name.startswith(".")
    assert (folders[0] / "latest" / "readiness.json").is_file()
    assert json.loads((folders[0] / "latest" / "readiness.json").read_text())["dataset"]["name"] == name


def test_unknown_label_does_not_print_a_personal_column_name(tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    (data / "t.csv").write_text("id,jane.doe@example.com\n1,2\n", encoding="utf-8")
    result = invoke("audit", data, "--out", tmp_path / "out", "--label", "nope")
    assert result.exit_code == 2
    assert "jane.doe" not in result.output and "[email in the name]" in result.output
