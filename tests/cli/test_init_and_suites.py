"""`readiness init` and user-edited GX suites: the audit runs the user's suite, counts stay exact."""

from __future__ import annotations

import json
import tomllib

from typer.testing import CliRunner

from readiness.cli.app import app
from tests.conftest import finding, run_audit, without_progress

runner = CliRunner()


def make_folder(tmp_path):
    data = tmp_path / "client data"
    data.mkdir()
    rows = ["order_id,email,ordered,amount,label"]
    for i in range(40):
        email = "bad-address" if i % 10 == 0 else f"u{i}@shop.example"
        date = "05/01/2024" if i % 8 == 0 else f"2024-01-{1 + i % 28:02d}"
        rows.append(f"{i},{email},{date},{'-5' if i == 3 else str(10 + i)},{'a' if i % 2 else 'b'}")
    (data / "orders.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return data


def test_init_writes_config_and_suites_and_keeps_existing_files(tmp_path):
    data = make_folder(tmp_path)
    result = runner.invoke(app, ["init", str(data), "--label", "label"])
    assert result.exit_code == 0, result.output
    config = tomllib.loads((data / "readiness.toml").read_text())
    assert config["label"]["column"] == "label"
    assert config["tables"]["orders.csv"]["id_columns"] == ["order_id"]
    assert config["tables"]["orders.csv"]["date_columns"] == ["ordered"]
    assert config["tables"]["orders.csv"]["formats"]["email"] == "email"
    suite = json.loads((data / "expectations" / "orders.csv.json").read_text())
    types = {e["type"] for e in suite["expectations"]}
    assert {"expect_column_values_to_not_be_null", "expect_column_values_to_match_regex",
            "expect_column_values_to_be_unique"} <= types
    (data / "readiness.toml").write_text("# mine\n", encoding="utf-8")
    again = runner.invoke(app, ["init", str(data)])
    assert again.exit_code == 0
    assert "kept" in again.stdout
    assert (data / "readiness.toml").read_text() == "# mine\n"
    forced = runner.invoke(app, ["init", str(data), "--force", "--label", "label"])
    assert forced.exit_code == 0 and (data / "readiness.toml").read_text() != "# mine\n"


def test_audit_runs_the_users_suite_and_keeps_counts_exact(tmp_path):
    data = make_folder(tmp_path)
    assert runner.invoke(app, ["init", str(data), "--label", "label"]).exit_code == 0
    baseline = run_audit(data, tmp_path / "out")
    suite_path = data / "expectations" / "orders.csv.json"
    suite = json.loads(suite_path.read_text())
    # the user drops the email regex and adds an expectation of their own
    suite["expectations"] = [e for e in suite["expectations"]
                             if not (e["type"] == "expect_column_values_to_match_regex" and e["kwargs"]["column"] == "email")]
    suite["expectations"].append({"type": "expect_column_values_to_be_in_set",
                                  "kwargs": {"column": "label", "value_set": ["a"]}})
    suite_path.write_text(json.dumps(suite), encoding="utf-8")
    edited = run_audit(data, tmp_path / "out")
    assert edited["validation"]["tables"][0]["suite"] == "expectations/orders.csv.json"
    for fid in ("orders.csv/email/format", "orders.csv/ordered/mixed_formats", "orders.csv/amount/out_of_range"):
        assert finding(edited, fid)["count"] == finding(baseline, fid)["count"]
    assert finding(edited, "orders.csv/email/format")["count"] == 4
    own = finding(edited, "orders.csv/label/expectation_failed/expect_column_values_to_be_in_set")
    assert own["count"] == 20
    types = {r["type"] for r in edited["validation"]["tables"][0]["results"] if r["column"] == "email"}
    assert "expect_column_values_to_match_regex" not in types


def test_broken_suite_is_a_config_error(tmp_path):
    data = make_folder(tmp_path)
    (data / "expectations").mkdir()
    suite = data / "expectations" / "orders.csv.json"
    suite.write_text('{"expectations": [{"type": "expect_nonsense", "kwargs": {}}]}')
    result = runner.invoke(app, ["audit", str(data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert without_progress(result.stderr).startswith("Error: expectations/orders.csv.json: ")
    assert "expect_nonsense not found" in result.stderr and without_progress(result.stderr).count("\n") == 1
    suite.write_text('{"expectations": [{"type": "expect_nonsense"}]}')
    result = runner.invoke(app, ["audit", str(data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert without_progress(result.stderr) == (f"Error: {suite}: expectation 1 (expect_nonsense) needs a 'type' string "
                             "and a 'kwargs' object\n")
    assert not (tmp_path / "out" / "client data").exists()


def test_suite_naming_a_missing_column_is_reported_not_fatal(tmp_path):
    data = make_folder(tmp_path)
    (data / "expectations").mkdir()
    (data / "expectations" / "orders.csv.json").write_text(json.dumps({"name": "x", "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "gone"}}]}))
    document = run_audit(data, tmp_path / "out")
    error = finding(document, "orders.csv/gone/expectation_error/expect_column_values_to_not_be_null")
    assert "does not exist" in error["message"]
    assert finding(document, "orders.csv/email/format")["count"] == 4


def test_findings_name_their_expectations(tmp_path):
    data = make_folder(tmp_path)
    document = run_audit(data, tmp_path / "out", label="label")
    assert finding(document, "orders.csv/email/format")["expectation"] == "expect_column_values_to_match_regex"
    assert finding(document, "orders.csv/amount/out_of_range")["expectation"] == "expect_column_values_to_be_between"
    results = document["validation"]["tables"][0]["results"]
    regex = [r for r in results if r["type"] == "expect_column_values_to_match_regex" and r["column"] == "email"]
    assert regex and regex[0]["unexpected_count"] == 4 and not regex[0]["success"]


def test_shipped_suite_templates_are_valid_gx_suites():
    from readiness.validate.gx import _expectations
    from readiness.validate.suites import read_suite
    from tests.conftest import REPO

    templates = sorted((REPO / "expectations").rglob("*.json"))
    assert len(templates) >= 4
    for path in templates:
        suite = read_suite(path)
        assert len(_expectations(suite, str(path))) == len(suite["expectations"]) > 0
