"""History, diffs, drift, waivers and gates: what scheduled audits rely on."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import readiness
from readiness.cli.app import app
from readiness.history import store as history
from tests.conftest import REPO, SAMPLES, finding, run_audit

runner = CliRunner()


def write_table(folder, frame, name="data.csv"):
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / name, index=False)


def base_frame(n=600, seed=1, shift=0.0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "id": np.arange(n),
        "amount": (rng.normal(100, 15, n) + shift).round(2),
        "channel": rng.choice(["web", "app", "phone"], n, p=[0.5, 0.3, 0.2]),
        "score": rng.normal(0, 1, n).round(3),
        "label": rng.choice(["yes", "no"], n),
    })


def _audit_in_child(args):
    data, out = args
    os.environ["READINESS_NO_PROFILE"] = "1"
    return readiness.audit(data, out=out, label="label").result["run_id"]


def test_eight_audits_at_once_give_eight_rows(tmp_path):
    data = tmp_path / "d"
    write_table(data, base_frame())
    out = tmp_path / "out"
    run_audit(data, out, label="label", profile_enabled=False)  # warm the imports in this process; the children fork from it
    context = multiprocessing.get_context("fork")
    with context.Pool(8) as pool:
        run_ids = pool.map(_audit_in_child, [(data, out)] * 8)
    rows = history.list_runs(out / "history.sqlite", "d")
    assert len(rows) == 9 and len(set(run_ids)) == 8
    assert {r["run_id"] for r in rows} >= set(run_ids)
    assert history.integrity(out / "history.sqlite") == "ok"
    latest = (out / "d" / "latest").resolve().name
    assert latest == rows[0]["run_id"]  # the newest by finish time
    visible = [p.name for p in (out / "d").iterdir() if not p.name.startswith(".")]
    assert sorted(visible) == sorted([r["run_id"] for r in rows] + ["latest"])


@pytest.mark.slow
def test_killed_audits_leave_latest_and_history_intact(tmp_path):
    data = tmp_path / "support"
    data.mkdir()
    for item in (SAMPLES / "support").iterdir():
        (data / item.name).write_bytes(item.read_bytes())
    out = tmp_path / "out"
    env = {**os.environ, "READINESS_NO_PROFILE": ""}
    command = [sys.executable, "-m", "readiness", "audit", str(data), "--out", str(out)]
    first = subprocess.run(command, env=env, capture_output=True, timeout=300)
    assert first.returncode == 0, first.stderr
    good = (out / "support" / "latest").resolve()
    for delay in (0.5, 2.0, 4.0, "staging"):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if delay == "staging":
            deadline = time.time() + 120
            while time.time() < deadline and not list((out / "support").glob(".staging-*")):
                time.sleep(0.02)
        else:
            time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        latest = (out / "support" / "latest").resolve()
        document = json.loads((latest / "readiness.json").read_text())
        assert (latest / "briefing.html").is_file() and document["run_id"] == latest.name
        assert history.integrity(out / "history.sqlite") == "ok"
        for run_dir in (out / "support").iterdir():
            if not run_dir.name.startswith(".") and run_dir.name != "latest":
                assert (run_dir / "readiness.json").is_file(), f"half-written run {run_dir.name} is visible"
    assert good.is_dir()
    assert list((out / "support").glob(".staging-*")), "the kill while writing left a staging folder"
    final = subprocess.run(command, env=env, capture_output=True, timeout=300)
    assert final.returncode == 0
    leftovers = [p.name for p in (out / "support").iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers
    recorded = {r["run_id"] for r in history.list_runs(out / "history.sqlite", "support")}
    on_disk = {p.name for p in (out / "support").iterdir() if p.name != "latest"}
    assert recorded == on_disk


def test_a_staging_folder_appears_with_its_owner_and_leftovers_of_dead_audits_go(tmp_path):
    from readiness.base.files import utc_now
    from readiness.history import runs

    folder = runs.RunFolder(tmp_path, "d", runs.new_run_id(utc_now()))
    owner = (folder.staging / runs.OWNER).read_text().split()
    assert int(owner[0]) == os.getpid() and [p.name for p in folder.base.iterdir()] == [folder.staging.name]
    (folder.staging / "readiness.json").write_text("{}")
    final = folder.publish("2026-01-01T00:00:00.000000Z")
    assert sorted(p.name for p in final.iterdir()) == ["internal", "readiness.json"]  # no owner file left
    # a staging folder whose pid is alive but started later (the pid reused): its audit is gone
    reused = folder.base / ".staging-20260101T000000000000Z-dead"
    reused.mkdir()
    (reused / runs.OWNER).write_text(f"{os.getppid()} 1\n")
    alive = folder.base / ".staging-20260101T000000000000Z-live"
    alive.mkdir()
    (alive / runs.OWNER).write_text(runs._owner_text(os.getppid()))
    # killed before its rename: an old .tmp- folder goes, a fresh one (being made now) stays
    old, fresh = folder.base / ".tmp-old", folder.base / ".tmp-fresh"
    old.mkdir()
    fresh.mkdir()
    os.utime(old, (time.time() - 120, time.time() - 120))
    removed = runs.clean_stale(folder.base)
    assert sorted(removed) == [".staging-20260101T000000000000Z-dead", ".tmp-old"]
    assert alive.is_dir() and fresh.is_dir()


def test_diff_names_added_dropped_and_retyped_columns(tmp_path):
    data = tmp_path / "d"
    out = tmp_path / "out"
    frame = base_frame()
    write_table(data, frame)
    run_audit(data, out, label="label", profile_enabled=False)
    changed = frame.drop(columns=["channel"]).assign(region="north")
    changed["score"] = ["n/a" if i % 2 else "high" for i in range(len(changed))]  # numbers become text
    write_table(data, changed)
    document = run_audit(data, out, label="label", profile_enabled=False)
    result = runner.invoke(app, ["diff", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    change = json.loads(result.stdout)["schema"]["tables"]["data.csv"]
    assert change["added"] == ["region"]
    assert change["removed"] == ["channel"]
    assert [(r["column"], r["from"]) for r in change["retyped"]] == [("score", "numeric")]
    drift = finding(document, "data.csv/schema_drift")
    assert drift["count"] == 3
    text = runner.invoke(app, ["diff", "--out", str(out)]).stdout
    assert "column added region" in text and "column removed channel" in text and "column retyped score" in text


def test_a_drifted_column_is_flagged_and_an_unchanged_one_is_not(tmp_path):
    data = tmp_path / "d"
    out = tmp_path / "out"
    write_table(data, base_frame(seed=1))
    run_audit(data, out, label="label", profile_enabled=False)
    moved = base_frame(seed=1)
    moved["amount"] = moved["amount"] + 40  # a shift of almost three standard deviations
    rng = np.random.default_rng(5)
    moved["channel"] = rng.choice(["web", "app", "phone"], len(moved), p=[0.1, 0.2, 0.7])
    write_table(data, moved)
    document = run_audit(data, out, label="label", profile_enabled=False)
    drifted = {f["column"] for f in document["findings"] if f["check"] == "distribution_drift"}
    assert drifted == {"amount", "channel"}
    psi = finding(document, "data.csv/amount/distribution_drift")["details"]["psi"]
    assert psi > 1.0
    # the same data again: nothing drifts
    again = run_audit(data, out, label="label", profile_enabled=False)
    assert not [f for f in again["findings"] if f["check"] == "distribution_drift"]


def test_waivers_mark_findings_and_lower_nothing_until_they_expire(tmp_path):
    data = tmp_path / "d"
    frame = base_frame()
    frame.loc[:59, "amount"] = None
    write_table(data, frame)
    plain = run_audit(data, tmp_path / "o1", label="label", now="2026-11-22", profile_enabled=False)
    (data / "readiness.toml").write_text(
        '[[waivers]]\nfinding = "data.csv/amount/missing_values"\nreason = "backfill in December"\n'
        'expires = 2026-12-31\n', encoding="utf-8")
    waived = run_audit(data, tmp_path / "o2", label="label", now="2026-11-22", profile_enabled=False)
    entry = finding(waived, "data.csv/amount/missing_values")
    assert entry["waived"] is True and entry["details"]["waiver"]["reason"] == "backfill in December"
    assert waived["score"] > plain["score"]
    html = (tmp_path / "o2" / "d" / waived["run_id"] / "briefing.html").read_text()
    assert 'data-testid="waived"' in html and "backfill in December" in html
    expired = run_audit(data, tmp_path / "o3", label="label", now="2027-01-05", profile_enabled=False)
    assert finding(expired, "data.csv/amount/missing_values")["waived"] is False
    assert expired["score"] == plain["score"]


def test_waiver_without_reason_is_a_config_error(tmp_path):
    data = tmp_path / "d"
    write_table(data, base_frame())
    (data / "readiness.toml").write_text('[[waivers]]\nfinding = "x"\nreason = " "\n', encoding="utf-8")
    result = runner.invoke(app, ["audit", str(data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "waivers[1].reason' must say why the finding is accepted" in result.stderr


def test_gates_fire_on_data_regressions_not_on_rule_changes(tmp_path):
    data = tmp_path / "d"
    out = tmp_path / "out"
    frame = base_frame()
    write_table(data, frame)
    args = ["audit", str(data), "--out", str(out), "--label", "label", "--fail-on-regression", "1",
            "--fail-on-new", "major"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0 and "no previous audit" in first.stderr
    # the client re-weights the score: the score moves, the data did not
    (data / "readiness.toml").write_text("[weights]\nvolume = 3.0\n", encoding="utf-8")
    reweighted = runner.invoke(app, args)
    assert reweighted.exit_code == 0, reweighted.stderr
    # now the data gets worse: a third of the labels disappear
    worse = frame.copy()
    worse.loc[: len(worse) // 3, "label"] = None
    write_table(data, worse)
    failed = runner.invoke(app, args)
    assert failed.exit_code == 1
    assert "Gate failed: score fell" in failed.stderr
    assert "new major-or-worse finding" in failed.stderr and "data.csv/label/label_missing" in failed.stderr
    # the same finding waived trips no gate
    (data / "readiness.toml").write_text(
        '[weights]\nvolume = 3.0\n[[waivers]]\nfinding = "data.csv/label/label_missing"\nreason = "relabeling"\n',
        encoding="utf-8")
    waived = runner.invoke(app, ["audit", str(data), "--out", str(out), "--label", "label", "--fail-on-new", "major"])
    assert waived.exit_code == 0, waived.stderr


def test_history_prune_removes_run_folders(tmp_path):
    data = tmp_path / "d"
    write_table(data, base_frame())
    out = tmp_path / "out"
    ids = [run_audit(data, out, label="label", profile_enabled=False)["run_id"] for _ in range(3)]
    result = runner.invoke(app, ["history", "prune", "--keep", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [r["run_id"] for r in history.list_runs(out / "history.sqlite")] == [ids[-1]]
    assert sorted(p.name for p in (out / "d").iterdir()) == sorted([ids[-1], "latest"])
    listing = runner.invoke(app, ["history", "--out", str(out)])
    assert "d  1 audits" in listing.stdout


def test_history_migrates_from_schema_1(tmp_path):
    db = tmp_path / "history.sqlite"
    connection = sqlite3.connect(db)
    for statement in history.MIGRATIONS[1]:
        connection.execute(statement)
    connection.execute("INSERT INTO runs VALUES ('20250101T000000000000Z-aaaa', 'old', '2025-01-01T00:00:00.000000Z', "
                       "'2025-01-01T00:00:01.000000Z', '0.0.9', '0.9', NULL, 50.0, 'needs-work', 'B', '{}', '[]', '[]', NULL)")
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()
    rows = history.list_runs(db)
    assert [r["dataset"] for r in rows] == ["old"]
    with history.connect(db) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == history.SCHEMA_VERSION
        columns = {row[1] for row in connection.execute("PRAGMA table_info(runs)")}
    assert {"summaries", "score_inputs", "label", "score_exact"} <= columns


def test_the_packet_shows_the_trend_and_changes(tmp_path):
    data = tmp_path / "d"
    out = tmp_path / "out"
    frame = base_frame()
    write_table(data, frame)
    run_audit(data, out, label="label", profile_enabled=False)
    write_table(data, frame.assign(extra=1))
    document = run_audit(data, out, label="label", profile_enabled=False)
    html = (out / "d" / document["run_id"] / "briefing.html").read_text()
    assert 'data-testid="trend"' in html and "<polyline" in html
    assert "Changes since the last audit" in html and "added extra" in html


def test_api_and_cli_give_the_same_result(tmp_path):
    data = SAMPLES / "churn"
    api = readiness.audit(data, out=tmp_path / "a", now="2026-11-22").result
    cli = runner.invoke(app, ["audit", str(data), "--out", str(tmp_path / "c"), "--now", "2026-11-22", "--json"])
    assert cli.exit_code == 0
    from_cli = json.loads(cli.stdout)
    volatile = ("run_id", "started_at", "finished_at")
    assert {k: v for k, v in api.items() if k not in volatile} == {k: v for k, v in from_cli.items() if k not in volatile}


def test_scheduling_doc_commands_run(tmp_path):
    """Every `readiness` command line in docs/scheduling.md runs here as written (paths substituted)."""
    doc = (REPO / "docs" / "scheduling.md").read_text(encoding="utf-8")
    commands = sorted({line.strip().rstrip("\\").strip() for line in doc.splitlines()
                       if line.strip().startswith("readiness ")})
    assert len(commands) >= 3
    data = tmp_path / "client_data"
    write_table(data, base_frame())
    out = tmp_path / "reports"
    import shlex

    for command in commands:
        expanded = command.replace("$DATA", str(data)).replace("$OUT", str(out)).replace("${DATA}", str(data)) \
                          .replace("${OUT}", str(out))
        args = shlex.split(expanded)[1:]
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), f"{command}: {result.output}"


def test_scheduling_doc_python_api_task_runs(tmp_path):
    doc = (REPO / "docs" / "scheduling.md").read_text(encoding="utf-8")
    block = next(b for b in doc.split("```python")[1:] if "def audit_task" in b).split("```")[0]
    data = tmp_path / "client"
    write_table(data, base_frame())
    code = block.replace("/data/client", str(data)).replace("/data/readiness", str(tmp_path / "out"))
    namespace: dict = {}
    exec(compile(code, "scheduling.md", "exec"), namespace)
    first = namespace["audit_task"]()
    assert first["grade"] in ("ready", "needs-work", "not-ready")
    worse = base_frame()
    worse.loc[:300, "label"] = None
    worse.loc[:300, "amount"] = None
    write_table(data, worse)
    with pytest.raises(RuntimeError, match="score fell"):
        namespace["audit_task"]()


def test_the_history_is_the_owners_alone(tmp_path):
    from readiness.history import store as history

    db = tmp_path / "out" / "history.sqlite"
    with history.connect(db):
        pass
    assert db.stat().st_mode & 0o077 == 0  # top categories and quantiles of the client's columns live here
