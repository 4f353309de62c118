"""The installed console script as users and schedulers run it: in a subprocess, with a
pseudo-terminal and without one; exit codes, the first line of each error, the log lines."""

from __future__ import annotations

import json
import os
import pty
import random
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).parent / "readiness")
LOG_LINE = re.compile(r"^readiness: +\d+\.\ds  ")


def write_tickets(folder: Path, rows: int = 300) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    draw = random.Random(rows)  # labels independent of the other columns: no leakage finding
    lines = ["ticket_id,created_at,channel,intent"]
    lines += [f"{i},2025-03-{draw.randint(1, 28):02d},{draw.choice(['email', 'chat', 'phone'])},"
              f"{draw.choice(['refund', 'other', 'billing'])}" for i in range(rows)]
    (folder / "tickets.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("READINESS_OUT", "READINESS_DEBUG")}
    environment.update(env or {})
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=300, env=environment, cwd=cwd)


def run_in_terminal(*args: str, columns: int = 120) -> tuple[int, str]:
    """The command with stdin, stdout and stderr on a pseudo-terminal: (exit code, what it showed)."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": "40"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([SCRIPT, *args], stdin=terminal, stdout=terminal, stderr=terminal, env=env,
                               close_fds=True)
    os.close(terminal)
    shown = bytearray()
    while True:
        ready, _, _ = select.select([controller], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the process ended
                break
            if not chunk:
                break
            shown += chunk
        elif process.poll() is not None:
            break
    code = process.wait(timeout=300)
    os.close(controller)
    return code, shown.decode("utf-8", "replace")


def first_error(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if not LOG_LINE.match(line)]
    assert lines, result.stderr
    return lines[0]


# -- progress -------------------------------------------------------------------------------------


def test_outside_a_terminal_each_stage_is_one_log_line_on_stderr(tmp_path):
    data = write_tickets(tmp_path / "tickets")
    result = run("audit", str(data), "--out", str(tmp_path / "out"), "--label", "intent")
    assert result.returncode == 0, result.stderr
    logged = [line for line in result.stderr.splitlines() if LOG_LINE.match(line)]
    stages = [re.sub(r"^readiness: +\d+\.\ds  ", "", line) for line in logged]
    assert stages[0] == "reading files"
    assert "counting 300 rows (4 columns)" in stages
    assert stages.index("counting 300 rows (4 columns)") < stages.index("writing the packet")
    assert stages[-1] == "done"
    seconds = [float(re.search(r"(\d+\.\d)s", line).group(1)) for line in logged]
    assert seconds == sorted(seconds) and seconds[-1] > 0  # elapsed since the start, growing
    assert "\x1b[" not in result.stderr and "\r" not in result.stderr  # a log gets lines, not redraws
    assert "Score" in result.stdout  # the summary is on stdout as before


def test_quiet_prints_nothing_and_json_stays_clean_on_stdout(tmp_path):
    data = write_tickets(tmp_path / "tickets")
    quiet = run("audit", str(data), "--out", str(tmp_path / "out"), "--label", "intent", "-q")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    as_json = run("audit", str(data), "--out", str(tmp_path / "out"), "--label", "intent", "--json")
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout)["tables"][0]["rows"] == 300
    assert any(LOG_LINE.match(line) for line in as_json.stderr.splitlines())


def test_in_a_terminal_the_stages_show_amounts_elapsed_time_and_a_tick(tmp_path):
    data = write_tickets(tmp_path / "tickets", rows=2000)
    code, shown = run_in_terminal("audit", str(data), "--out", str(tmp_path / "out"), "--label", "intent")
    assert code == 0, shown[-2000:]
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    assert "\x1b[" in shown  # a live display, with colour
    assert re.search(r"reading files\s.*\d+\.\d kB / \d+\.\d kB", plain)
    assert re.search(r"counting 2,000 rows\s.*4 / 4 columns", plain)
    assert re.search(r"✓ writing the packet .* \d:\d\d:\d\d", plain)
    assert "readiness: " not in plain  # no log lines in a terminal
    assert "Score" in plain


def test_an_80_column_terminal_shows_every_stage_with_its_elapsed_time(tmp_path):
    data = write_tickets(tmp_path / "tickets", rows=2000)
    code, shown = run_in_terminal("audit", str(data), "--out", str(tmp_path / "out"), "--label", "intent",
                                  "--no-profile", "-q", columns=80)
    assert code == 0
    assert shown == ""  # -q: not even the progress display
    code, shown = run_in_terminal("audit", str(data), "--out", str(tmp_path / "out"), "--label", "intent",
                                  "--no-profile", columns=80)
    assert code == 0
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown).replace("\r", "\n")
    finished = [line for line in plain.splitlines() if line.startswith("✓ ")]
    assert {"reading", "counting", "checking", "writing"} <= {line.split()[1] for line in finished}
    for line in finished:
        assert len(line) <= 80 and re.search(r" \d:\d\d:\d\d ", line), line  # the elapsed time is not cut off


def test_color_never_and_no_color_leave_the_terminal_plain(tmp_path):
    data = write_tickets(tmp_path / "tickets")
    code, shown = run_in_terminal("audit", str(data), "--out", str(tmp_path / "out"), "--label", "intent",
                                  "--color", "never", "--no-profile")
    assert code == 0
    assert not re.search(r"\x1b\[[0-9;]*m", shown)  # cursor moves, but no colour codes


# -- errors: one line, the right exit code ------------------------------------------------------------


def test_an_output_folder_that_is_a_file_stops_before_any_data_is_read(tmp_path):
    data = write_tickets(tmp_path / "tickets")
    taken = tmp_path / "out"
    taken.write_text("not a folder")
    result = run("audit", str(data), "--out", str(taken))
    assert result.returncode == 2
    assert first_error(result) == f"Error: --out {taken}: this is a file, not a folder; give a folder for the runs (it is made if missing)"
    assert result.stderr.count("\n") == 1 and result.stdout == ""  # nothing read, nothing else printed


def test_an_output_folder_that_cannot_be_made_stops_at_once(tmp_path):
    data = write_tickets(tmp_path / "tickets")
    result = run("audit", str(data), "--out", "/proc/readiness-test/out")
    assert result.returncode == 2
    assert first_error(result).startswith("Error: --out /proc/readiness-test/out: the folder cannot be made (")
    assert "reading files" not in result.stderr


def test_a_folder_without_a_readable_table_is_one_line_and_exit_2_without_a_scorecard(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("audit", str(empty), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stdout == ""  # no scorecard, no "No findings", no disclosure
    errors = [line for line in result.stderr.splitlines() if not LOG_LINE.match(line)]
    assert len(errors) == 1
    assert errors[0].startswith(f"Error: {empty}: no table could be read: it holds no files; supported formats: CSV, TSV")
    assert "Parquet" in errors[0] and "readiness.json" in errors[0]
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "notes.bin").write_bytes(b"\x00\x01binary")
    (junk / "broken.csv").write_text('a,b\n"open quote,2\n', encoding="utf-8")
    result = run("audit", str(junk), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and result.stdout == ""
    assert f"Error: {junk}: no table could be read: found 2 files (1 rejected, 1 skipped)" in first_error(result)


def test_every_unknown_config_key_is_reported_at_once_with_did_you_mean(tmp_path):
    data = write_tickets(tmp_path / "tickets")
    (data / "readiness.toml").write_text('[lable]\ncolumn = "intent"\n[profile]\nsampel_rows = 5\n', encoding="utf-8")
    result = run("audit", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    line = first_error(result)
    assert line.startswith("Error: ") and "(did you mean label?)" in line and "(did you mean sample_rows?)" in line
    assert result.stderr.strip().count("\n") == 0


@pytest.mark.parametrize(("args", "start"), [
    (["--fail-on-grade", "awful"], "Error: --fail-on-grade must be not-ready or needs-work, not 'awful'"),
    (["--color", "sometimes"], "Error: --color must be auto, always or never, not 'sometimes'"),
    (["--fail-under", "140"], "Error: --fail-under must be a score from 0 to 100, not 140"),
])
def test_bad_options_are_usage_errors(tmp_path, args, start):
    data = write_tickets(tmp_path / "tickets")
    result = run("audit", str(data), "--out", str(tmp_path / "out"), *args)
    assert result.returncode == 2 and first_error(result) == start


def test_an_out_folder_above_the_data_and_earlier_output_inside_it(tmp_path):
    data = write_tickets(tmp_path / "tickets")
    # from the folder above the data, --out . would put the runs (./tickets) into the data folder itself
    refused = run("audit", "tickets", "--out", ".", "--label", "intent", cwd=tmp_path)
    assert refused.returncode == 2
    assert first_error(refused) == ("Error: --out .: the runs would go to tickets, which is the dataset folder "
                                    "tickets itself; give another --out (e.g. reports)")
    assert sorted(p.name for p in data.iterdir()) == ["tickets.csv"]
    named = run("audit", "tickets", "--out", ".", "--name", "tickets-audit", "--label", "intent", "-q", cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    assert json.loads((tmp_path / "tickets-audit" / "latest" / "readiness.json").read_text())["tables"][0]["rows"] == 300
    run("audit", str(data), "--out", str(data / "reports"), "--label", "intent", "-q")  # output inside PATH
    again = run("audit", str(data), "--out", str(tmp_path / "elsewhere"), "--label", "intent", "--json")
    document = json.loads(again.stdout)
    assert [t["name"] for t in document["tables"]] == ["tickets.csv"]  # the earlier runs are not read as data
    skipped = [f for f in document["files"] if f["path"] == "reports"]
    assert skipped and skipped[0]["status"] == "skipped" and "history.sqlite" in skipped[0]["reason"]


def test_a_run_that_read_no_table_is_not_the_next_runs_baseline(tmp_path):
    data = write_tickets(tmp_path / "tickets")
    empty = tmp_path / "empty"
    empty.mkdir()
    out = str(tmp_path / "out")
    first = run("audit", str(data), "--out", out, "--name", "shop", "--label", "intent", "-q")
    assert first.returncode == 0
    assert run("audit", str(empty), "--out", out, "--name", "shop", "-q").returncode == 2
    again = run("audit", str(data), "--out", out, "--name", "shop", "--label", "intent",
                "--fail-on-new", "major", "--fail-on-regression", "0")
    assert again.returncode == 0, again.stderr  # compared with the first run: nothing new, no drop


def test_now_outside_the_dates_an_audit_counts_is_a_usage_error(tmp_path):
    data = write_tickets(tmp_path / "tickets")
    for value in ("0001-01-01", "9999-12-31T23:59:59Z"):
        result = run("audit", str(data), "--out", str(tmp_path / "out"), "--now", value)
        assert result.returncode == 2
        assert first_error(result).startswith(f"Error: --now '{value}' is outside the dates an audit can count from")


def test_a_missing_path_is_a_usage_error(tmp_path):
    result = run("audit", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert first_error(result) == f"Error: {tmp_path / 'nowhere'}: no such file or folder; check the path"


def test_an_internal_error_is_exit_3_and_one_line(tmp_path):
    data = write_tickets(tmp_path / "tickets")
    code = ("import sys; from readiness.pipeline import scoring\n"
            "def broken(*a, **k): raise RuntimeError('secret cell value')\n"
            "scoring.score = broken\n"
            "from readiness.cli.app import main\n"
            f"sys.argv = ['readiness', 'audit', {str(data)!r}, '--out', {str(tmp_path / 'out')!r}, '-q']\n"
            "main()\n")
    env = {k: v for k, v in os.environ.items() if k != "READINESS_DEBUG"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 3
    assert result.stderr.strip() == ("Error: internal error (RuntimeError); re-run with READINESS_DEBUG=1 "
                                     "and report it")  # one line, and the exception's text (data) not shown
    debug = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                           env={**env, "READINESS_DEBUG": "1"})
    assert debug.returncode == 3 and "Traceback" in debug.stderr  # the traceback, and still the code of a bug


# -- gates ----------------------------------------------------------------------------------------


def test_fail_on_grade_and_fail_on_new_on_a_first_audit(tmp_path):
    data = tmp_path / "headers"
    data.mkdir()
    (data / "orders.csv").write_text("order_id,amount,label\n", encoding="utf-8")  # no rows: a blocker
    out = str(tmp_path / "out")
    graded = run("audit", str(data), "--out", out, "--fail-on-grade", "needs-work", "-q")
    assert graded.returncode == 1
    assert "Gate failed: grade not-ready is needs-work or worse (--fail-on-grade needs-work)" in graded.stderr
    fresh = str(tmp_path / "fresh")
    first = run("audit", str(data), "--out", fresh, "--fail-on-new", "blocker")
    assert first.returncode == 1
    assert "Note: no previous audit of this dataset: every blocker-or-worse finding counts as new" in first.stderr
    assert "new blocker-or-worse finding (first audit: no baseline)" in first.stderr
    good = write_tickets(tmp_path / "tickets")
    passing = run("audit", str(good), "--out", out, "--label", "intent", "--fail-on-grade", "not-ready", "-q")
    assert passing.returncode == 0, passing.stderr


# -- history and diff -------------------------------------------------------------------------------


def test_readiness_out_is_the_default_for_audit_history_and_diff(tmp_path):
    data = write_tickets(tmp_path / "tickets")
    nowhere = tmp_path / "no-audits"
    listed = run("history", env={"READINESS_OUT": str(nowhere)})
    assert listed.returncode == 0
    assert listed.stdout.startswith(f"No audits recorded in {nowhere / 'history.sqlite'};")
    assert "READINESS_OUT" in listed.stdout
    compared = run("diff", env={"READINESS_OUT": str(nowhere)})
    assert compared.returncode == 2
    assert first_error(compared).startswith(f"Error: {nowhere / 'history.sqlite'}: no history yet;")
    shared = tmp_path / "shared-out"
    audited = run("audit", str(data), "--label", "intent", "-q", env={"READINESS_OUT": str(shared)}, cwd=tmp_path)
    assert audited.returncode == 0, audited.stderr
    assert (shared / "tickets" / "latest" / "readiness.json").is_file() and not (tmp_path / "reports").exists()
    history = run("history", "--json", env={"READINESS_OUT": str(shared)})
    assert [r["dataset"] for r in json.loads(history.stdout)] == ["tickets"]


# -- help ---------------------------------------------------------------------------------------------


def test_help_has_examples_short_flags_and_fits_80_columns():
    root = run("-h", env={"COLUMNS": "80"})
    assert root.returncode == 0 and "Examples:" in root.stdout
    commands = root.stdout.split("Commands:")[1].split("Examples:")[0]
    assert {"audit", "init", "diff", "history"} <= {line.split()[0] for line in commands.strip().splitlines()}
    assert "..." not in commands and all(len(line) <= 80 for line in commands.splitlines())
    for command in (["audit"], ["init"], ["diff"], ["history"], ["history", "prune"]):
        shown = run(*command, "-h", env={"COLUMNS": "80"})
        assert shown.returncode == 0 and "Example" in shown.stdout, command
    assert "PATH" in run("audit", "--help").stdout.splitlines()[0]
    assert re.fullmatch(r"readiness \d+\.\d+\.\d+\S*\n", run("-V").stdout)
