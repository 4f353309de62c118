"""The project brief: [project] keys, how complete it is, the warning before sharing, the interview."""

from __future__ import annotations

import shutil
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import readiness
from readiness.base.errors import ConfigError
from readiness.cli.app import app
from readiness.report import brief
from readiness.settings import Brief, build_settings, parse_config
from tests.conftest import SAMPLES

runner = CliRunner()

FULL_PROJECT = """
[project]
goal = "Route tickets to the right team"
task = "text-classification"
success_metric = "macro F1 >= 0.85"
timeline = "6 weeks"
deliverables = ["model", "report"]
labeling = "two agents, written guidelines, 90% agreement"
data_access = "NDA first, then a read-only S3 bucket"
day_rate = 650
currency = "EUR"
owner = "the data team"
constraints = "on-premises only"
"""


def support_copy(tmp_path, config: str | None = None):
    """The support sample without its readiness.toml (a zero-config run), or with ``config``."""
    folder = tmp_path / "support"
    folder.mkdir()
    shutil.copy(SAMPLES / "support" / "tickets.csv", folder / "tickets.csv")
    if config is not None:
        (folder / "readiness.toml").write_text(config, encoding="utf-8")
    return folder


def small_folder(tmp_path):
    data = tmp_path / "client data"
    data.mkdir()
    rows = ["order_id,amount,label"] + [f"{i},{10 + i},{'a' if i % 2 else 'b'}" for i in range(40)]
    (data / "orders.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return data


# --- parsing ---------------------------------------------------------------------------------------


def test_every_new_key_is_read():
    settings = parse_config(tomllib.loads(FULL_PROJECT + 'budget = "EUR 8,000 fixed"\n'), "r.toml")
    got = settings.brief
    assert got.labeling == "two agents, written guidelines, 90% agreement"
    assert got.data_access == "NDA first, then a read-only S3 bucket"
    assert got.budget == "EUR 8,000 fixed"
    assert got.day_rate == 650.0 and isinstance(got.day_rate, float)
    assert got.currency == "EUR"
    assert got.owner == "the data team"
    assert got.constraints == ("on-premises only",)  # a string is one constraint
    listed = parse_config({"project": {"constraints": ["on-premises", "< 200 ms"]}})
    assert listed.brief.constraints == ("on-premises", "< 200 ms")
    assert Brief().day_rate is None and Brief().currency is None and Brief().owner is None


@pytest.mark.parametrize(("project", "message"), [
    ({"day_rate": "600"}, "r.toml: key 'project.day_rate' must be a number above 0, like 600 (the currency goes "
                          "in project.currency, e.g. \"EUR\"), not '600'"),
    ({"day_rate": 0}, "r.toml: key 'project.day_rate' must be a number above 0, like 600 (the currency goes "
                      "in project.currency, e.g. \"EUR\"), not 0"),
    ({"day_rate": -5.5}, "r.toml: key 'project.day_rate' must be a number above 0"),
    ({"day_rate": True}, "r.toml: key 'project.day_rate' must be a number above 0"),
    ({"day_rate": float("nan")}, "r.toml: key 'project.day_rate' must be a number above 0"),
    ({"day_rate": float("inf")}, "r.toml: key 'project.day_rate' must be a number above 0"),
    ({"labeling": 3}, "r.toml: key 'project.labeling' must be a string, not 3"),
    ({"data_access": ["nda"]}, "r.toml: key 'project.data_access' must be a string, not ['nda']"),
    ({"owner": True}, "r.toml: key 'project.owner' must be a string, not True"),
    ({"currency": 978}, "r.toml: key 'project.currency' must be a string, not 978"),
    ({"budget": 8000}, "r.toml: key 'project.budget' must be a string, not 8000"),
    ({"constraints": 5}, "r.toml: key 'project.constraints' must be a string or a list of strings, not 5"),
    ({"constraints": ["ok", 5]}, "r.toml: key 'project.constraints' must be a string or a list of strings, not 5"),
])
def test_wrong_values_name_the_file_and_key(project, message):
    with pytest.raises(ConfigError) as caught:
        parse_config({"project": project}, "r.toml")
    assert str(caught.value).startswith(message)


def test_an_unknown_project_key_lists_the_new_keys():
    with pytest.raises(ConfigError) as caught:
        parse_config({"project": {"dayrate": 600}}, "r.toml")
    text = str(caught.value)
    assert text.startswith("r.toml: key 'project.dayrate' is not a known setting")
    for key in ("labeling", "data_access", "budget", "day_rate", "currency", "owner", "constraints"):
        assert key in text


def test_a_bad_day_rate_is_one_error_line_from_the_cli(tmp_path):
    folder = small_folder(tmp_path)
    (folder / "readiness.toml").write_text('[project]\nday_rate = "600 EUR"\n', encoding="utf-8")
    result = runner.invoke(app, ["audit", str(folder), "--out", str(tmp_path / "out"), "--no-profile"])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {folder / 'readiness.toml'}: key 'project.day_rate' must be a number above 0, "
                             "like 600 (the currency goes in project.currency, e.g. \"EUR\"), not '600 EUR'\n")


# --- completeness ------------------------------------------------------------------------------------


def test_completeness_counts_each_field_once():
    assert brief.completeness(Brief()) == (0, 10)
    assert brief.completeness(Brief(), "classification") == (1, 10)  # the audit's task fills the task
    assert brief.missing(Brief(), "classification") == [
        "Goal", "Success metric", "Timeline", "Deliverables", "Labeling", "Data access", "Budget or day rate",
        "Owner after delivery", "Constraints"]
    # budget and day rate are one field: either fills it, both do not count twice
    assert brief.completeness(Brief(budget="EUR 8,000")) == (1, 10)
    assert brief.completeness(Brief(day_rate=600.0)) == (1, 10)
    assert brief.completeness(Brief(budget="EUR 8,000", day_rate=600.0)) == (1, 10)
    # blank text and empty lists are still empty
    assert brief.completeness(Brief(goal="  ", deliverables=("",), constraints=())) == (0, 10)
    full = parse_config(tomllib.loads(FULL_PROJECT)).brief
    assert brief.completeness(full) == (10, 10) and brief.missing(full) == []


def test_items_show_what_the_packet_lists():
    shown = {item["title"]: item["value"] for item in brief.items(Brief(day_rate=1200.5, currency="EUR",
                                                                         budget="about 10k"), "regression")}
    assert shown["Task"] == "regression"
    assert shown["Budget or day rate"] == "about 10k; day rate EUR 1,200.5"
    assert shown["Goal"] is None and shown["Constraints"] is None
    listed = {item["title"]: item["value"] for item in brief.items(Brief(constraints=("a", "b")))}
    assert listed["Constraints"] == ["a", "b"]


def test_the_warning_line():
    assert brief.warning([]) is None
    line = brief.warning(["Goal", "Success metric"], "client data")
    assert line == ("the brief is missing 2 of 10 fields (goal, success metric); fill [project] in readiness.toml "
                    "or run readiness init 'client data' --interview before you share the packet")
    assert brief.warning(["Goal"], "data", "data/readiness.toml") == (
        "the brief is missing 1 of 10 fields (goal); fill [project] in data/readiness.toml before you share the packet")


# --- the audit warns; the packet shows it -----------------------------------------------------------


def test_a_zero_config_audit_warns_before_the_disclosure(tmp_path):
    folder = support_copy(tmp_path)
    result = runner.invoke(app, ["audit", str(folder), "--out", str(tmp_path / "out"), "--no-profile"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: the brief")]
    assert warnings == [
        "Warning: the brief is missing 9 of 10 fields (goal, success metric, timeline, deliverables, labeling, "
        "data access, budget or day rate, owner after delivery, constraints); fill [project] in readiness.toml "
        f"or run readiness init {folder} --interview before you share the packet"]
    for quiet in (["--quiet"], ["--json"]):
        again = runner.invoke(app, ["audit", str(folder), "--out", str(tmp_path / "out"), "--no-profile", *quiet])
        assert again.exit_code == 0 and "Warning: the brief" not in again.stderr
    html = (tmp_path / "out" / "support" / "latest" / "briefing.html").read_text(encoding="utf-8")
    assert "Brief complete: 1 of 10 fields" in html
    assert html.count("To be written by the client") == 9
    markdown = (tmp_path / "out" / "support" / "latest" / "briefing.md").read_text(encoding="utf-8")
    assert "Brief complete: 1 of 10 fields." in markdown


def test_a_complete_brief_gives_no_warning_and_the_packet_escapes_it(tmp_path):
    config = FULL_PROJECT.replace('"Route tickets to the right team"', '"<script>alert(1)</script> & more"')
    folder = support_copy(tmp_path, config)
    result = runner.invoke(app, ["audit", str(folder), "--out", str(tmp_path / "out"), "--no-profile"])
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.stderr
    audit = readiness.audit(folder, out=tmp_path / "out", profile_enabled=False)
    assert audit.brief_missing == []
    html = (audit.run_dir / "briefing.html").read_text(encoding="utf-8")
    assert "Brief complete: 10 of 10 fields" in html
    assert "To be written by the client" not in html
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "day rate EUR 650" in html and "on-premises only" in html and "the data team" in html
    markdown = (audit.run_dir / "briefing.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown


def test_the_api_lists_the_missing_fields_and_the_warning_names_the_config(tmp_path):
    folder = support_copy(tmp_path, '[project]\ngoal = "route tickets"\nbudget = "EUR 8,000"\n')
    audit = readiness.audit(folder, out=tmp_path / "out", profile_enabled=False)
    assert audit.brief_missing == ["Success metric", "Timeline", "Deliverables", "Labeling", "Data access",
                                   "Owner after delivery", "Constraints"]
    result = runner.invoke(app, ["audit", str(folder), "--out", str(tmp_path / "out"), "--no-profile"])
    assert result.exit_code == 0, result.output
    # a readiness.toml exists: init --interview would refuse it, so the file to fill is named instead
    assert ("Warning: the brief is missing 7 of 10 fields (success metric, timeline, deliverables, labeling, "
            "data access, owner after delivery, constraints); fill [project] in "
            f"{folder / 'readiness.toml'} before you share the packet\n") in result.stderr


# --- init and the interview --------------------------------------------------------------------------


def test_plain_init_writes_every_brief_key_as_a_commented_example(tmp_path):
    folder = small_folder(tmp_path)
    assert runner.invoke(app, ["init", str(folder), "--label", "label"]).exit_code == 0
    text = (folder / "readiness.toml").read_text(encoding="utf-8")
    for key in ("goal", "success_metric", "timeline", "deliverables", "labeling", "data_access", "budget",
                "day_rate", "currency", "owner", "constraints"):
        assert f"\n# {key} = " in text, key
    assert tomllib.loads(text)["project"] == {"task": "classification"}
    examples = "\n".join(line[2:] for line in text.splitlines() if line.startswith("# ") and " = " in line
                         and line[2:].split(" ")[0] in brief.PROJECT_KEYS)
    # uncommented, the examples are a valid and complete brief
    assert brief.completeness(parse_config(tomllib.loads("[project]\n" + examples)).brief) == (9, 10)


ANSWERS = [
    'a"b\\c',  # goal: a quote and a backslash
    "",  # task: Enter takes the inferred one
    "<script>alert(1)</script>",  # success metric
    "6 semaines, début en janvier 日本",  # timeline
    "model, report ,, notebook",  # deliverables
    "two agents\tguidelines",  # labeling
    "NDA first",  # data access
    "",  # budget: skipped
    "six hundred",  # day rate: not a number, asked again
    "1,200.50",  # day rate
    "EUR",  # currency
    "data team",  # owner
    "on-premises; <200 ms",  # constraints
]


def test_interview_round_trips_through_readiness_toml(tmp_path):
    folder = small_folder(tmp_path)
    result = runner.invoke(app, ["init", str(folder), "--label", "label", "--interview"],
                           input="\n".join(ANSWERS) + "\n")
    assert result.exit_code == 0, result.output
    assert "Goal: What should the model do for your business" in result.stdout
    assert "Task: What kind of ML task is it" in result.stdout and "[classification]" in result.stdout
    assert "'six hundred' is not a number" in result.stdout
    settings = build_settings(folder)
    got = settings.brief
    assert got.goal == 'a"b\\c'
    assert got.task == "classification"
    assert got.success_metric == "<script>alert(1)</script>"
    assert got.timeline == "6 semaines, début en janvier 日本"
    assert got.deliverables == ("model", "report", "notebook")
    assert got.labeling == "two agents\tguidelines"
    assert got.data_access == "NDA first"
    assert got.budget is None
    assert got.day_rate == 1200.5 and got.currency == "EUR"
    assert got.owner == "data team"
    assert got.constraints == ("on-premises; <200 ms",)
    assert settings.label.column == "label"  # the rest of the inferred config is still written
    assert brief.missing(got) == []
    assert (folder / "expectations" / "orders.csv.json").is_file()


def test_interview_rejects_a_task_that_is_not_a_kind(tmp_path):
    folder = small_folder(tmp_path)
    answers = ["", "classify", "regression"] + [""] * 10
    result = runner.invoke(app, ["init", str(folder), "--interview"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "'classify' is not a task kind" in result.stdout
    got = build_settings(folder).brief
    assert got.task == "regression" and got.goal is None and got.day_rate is None
    assert brief.completeness(got) == (1, 10)


def test_interview_never_overwrites_without_force_and_asks_nothing(tmp_path):
    folder = small_folder(tmp_path)
    (folder / "readiness.toml").write_text("# mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(folder), "--interview"], input="my goal\n")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {folder / 'readiness.toml'}: exists, and --interview would replace it; add "
                             "--force to overwrite it, or edit its [project] section (see docs/configuration.md)\n")
    assert "Goal" not in result.stdout
    assert (folder / "readiness.toml").read_text(encoding="utf-8") == "# mine\n"
    assert not (folder / "expectations").exists()
    forced = runner.invoke(app, ["init", str(folder), "--interview", "--force"], input="my goal\n" + "\n" * 12)
    assert forced.exit_code == 0, forced.output
    assert build_settings(folder).brief.goal == "my goal"


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_toml_string_round_trips_any_text(text):
    assert tomllib.loads(f"key = {brief.toml_string(text)}")["key"] == text


def test_toml_string_escapes_the_awkward_characters():
    for text in ('a"b\\c', "line\nbreak\r\n", "\x00\x1b\x7f", "\u2028 \U0001F600 é", '"""', "'''"):
        assert tomllib.loads(f"key = {brief.toml_string(text)}")["key"] == text
    undecodable = "bad \udcff byte"  # what surrogateescape makes of a byte the terminal could not decode
    assert tomllib.loads(f"key = {brief.toml_string(undecodable)}")["key"] == "bad \ufffd byte"
    assert brief.toml_value(["a", 'b"']) == '["a", "b\\""]' and brief.toml_value(1200.5) == "1200.5"
