"""One verdict: the score, the grade and the opening sentence never point in opposite directions."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from readiness.checks import catalog
from readiness.cli.app import app
from readiness.history import rescore
from readiness.models import Finding
from readiness.report import verdict
from readiness.score import ScoreInputs, TableFacts, score
from readiness.settings import Settings
from tests.conftest import SAMPLES, run_audit

ROWS = 1000
RULES = Settings()


def make(check: str, count: int, severity: str, column: str = "a", **details) -> Finding:
    return Finding(check=check, severity=severity, dimension=catalog.check(check).dimension, table="t.csv", column=column,
                   count=count, fraction=count / ROWS, expectation=catalog.check(check).expectation, message=f"{count} {check}",
                   details=details)


def inputs(findings) -> ScoreInputs:
    facts = TableFacts("t.csv", ROWS, cells=ROWS * 5, checked_values=ROWS * 3, date_values=ROWS, labeled=ROWS,
                       classes=3)
    return ScoreInputs((facts,), tuple(findings), 1, True, "classification")


SEVERITIES = st.sampled_from(["blocker", "major", "minor", "info"])
CHECKS = st.sampled_from(["missing_values", "format", "duplicate_rows", "not_unique", "split_overlap", "pii"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(CHECKS, st.integers(1, ROWS // 10), SEVERITIES, st.sampled_from("abc")),
                max_size=8, unique_by=lambda t: (t[0], t[3])))
def test_the_score_and_the_grade_always_agree(items):
    result = score(inputs(make(c, n, s, col) for c, n, s, col in items), RULES)
    thresholds = RULES.thresholds
    if result.grade == "ready":
        assert result.score >= thresholds.grade_ready
    elif result.grade == "needs-work":
        assert thresholds.grade_needs_work <= result.score < thresholds.grade_ready
    else:
        assert result.score < thresholds.grade_needs_work
    severities = {s for _, _, s, _ in items}
    assert ("blocker" in severities) == (result.capped_by == "blocker")


def test_a_blocker_keeps_the_score_below_needs_work_and_every_defect_still_lowers_it():
    clean = score(inputs([make("format", 1, "minor")]), RULES)
    assert clean.score > 99 and clean.grade == "ready"
    blocked = score(inputs([make("format", 1, "minor"), make("split_overlap", 1, "blocker", "b")]), RULES)
    assert blocked.score < RULES.thresholds.grade_needs_work and blocked.grade == "not-ready"
    assert blocked.capped_by == "blocker" and blocked.uncapped is not None and blocked.uncapped > 99
    worse = score(inputs([make("format", 2, "minor"), make("split_overlap", 1, "blocker", "b")]), RULES)
    assert worse.exact < blocked.exact  # a scale, not a clamp
    waived = score(inputs([make("format", 1, "minor"), replace(make("split_overlap", 1, "blocker", "b"),
                                                                  waived=True)]), RULES)
    assert waived.grade == "ready" and waived.capped_by is None


def test_a_major_keeps_the_score_below_ready():
    result = score(inputs([make("not_unique", 3, "major")]), RULES)
    assert result.grade == "needs-work"
    assert RULES.thresholds.grade_needs_work <= result.score < RULES.thresholds.grade_ready


def test_a_class_with_too_few_labeled_rows_is_a_blocker_also_when_rescoring_an_old_run():
    old_minor = make("class_too_small", 1, "minor", "label", classes={"rare": 1}, minimum=20, shortfall=19)
    result = score(inputs([old_minor]), RULES)
    assert result.grade == "not-ready" and result.capped_by == "blocker"
    a_few_short = make("class_too_small", 15, "minor", "label", classes={"rare": 15}, minimum=20, shortfall=5,
                       smallest=15)
    assert score(inputs([a_few_short]), RULES).capped_by is None
    # an old run (formula 1.2) stored the class as minor: re-scored under today's rules it blocks too,
    # so --fail-on-regression compares like with like
    stored = {"score_inputs": rescore.score_inputs_json(inputs([old_minor]), RULES)}
    assert rescore.rescore(stored, stored) == result.score


def test_headline_says_one_plain_thing_first():
    doc = {"tables": [{}], "task": "classification", "grade": "not-ready", "score": 40.0, "findings": [
        {"id": "b", "check": "split_overlap", "severity": "blocker", "count": 30, "fraction": 0.075,
         "message": "30 rows of test.csv also appear in train.csv", "details": {}},
        {"id": "m", "check": "format", "severity": "major", "count": 3, "fraction": 0.3, "message": "x",
         "details": {}}]}
    assert verdict.headline(doc) == ("Not ready: 30 rows of test.csv also appear in train.csv. "
                                     "Fix that first (about a day).")
    doc["findings"][0]["waived"] = True
    doc["grade"], doc["score"] = "needs-work", 70.0
    assert verdict.headline(doc).startswith("Needs work: x. Fix that first")
    doc["findings"] = []
    doc["grade"] = "ready"
    assert verdict.headline(doc) == "Ready for classification: no blocker or major finding."
    assert verdict.headline({"tables": [], "files": [{"status": "rejected"}], "findings": []}).startswith(
        "Not ready: no table could be read (1 rejected file)")


def test_reviews_sample_opens_with_its_blocker_and_a_score_below_needs_work(tmp_path):
    document = run_audit(SAMPLES / "reviews", tmp_path / "out", profile_enabled=False)
    assert document["grade"] == "not-ready" and document["score"] < 60
    assert document["score_cap"]["by"] == "blocker" and document["score_cap"]["uncapped"] > 90
    assert document["headline"].startswith("Not ready: 30 rows of test.csv")
    run_dir = tmp_path / "out" / "reviews" / document["run_id"]
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    assert html.index("Not ready: 30 rows of test.csv") < html.index('id="brief"')
    assert "Not ready: 30 rows of test.csv" in (run_dir / "briefing.md").read_text(encoding="utf-8")


def test_terminal_opens_with_the_headline_and_the_guessed_label(tmp_path):
    data = tmp_path / "support"
    shutil.copytree(SAMPLES / "support", data)
    (data / "readiness.toml").unlink()
    result = CliRunner().invoke(app, ["audit", str(data), "--out", str(tmp_path / "out"), "--no-profile"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Score ") and lines[2].startswith(("Not ready:", "Needs work:", "Ready for"))
    assert "Label guessed: intent (a name labels often have)" in result.stdout
    assert "confirm with --label or [label] column in readiness.toml" in result.stdout
    document = json.loads(next((tmp_path / "out" / "support").glob("2*/readiness.json")).read_text())
    assert document["label"]["column"] == "intent" and document["task"] == "text-classification"
    assert document["label_guess"]["column"] == "intent"


def test_no_data_rows_is_a_blocker_not_a_ready_verdict(tmp_path):
    data = tmp_path / "empty"
    data.mkdir()
    (data / "h.csv").write_text("a,b,label\n", encoding="utf-8")
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    assert document["grade"] == "not-ready" and document["score"] < 60
    assert document["headline"].startswith("Not ready: the table holds no data rows")
    (data / "full.csv").write_text("a,b\n" + "".join(f"{i},{i % 3}\n" for i in range(50)), encoding="utf-8")
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    assert any(f["id"] == "h.csv/empty_table" and f["severity"] == "minor" for f in document["findings"])
    assert not any(f["check"] == "no_rows" for f in document["findings"])


@pytest.mark.parametrize("thresholds", ["grade_ready = 100\ngrade_needs_work = 0",
                                        "grade_ready = 50\ngrade_needs_work = 95",
                                        "grade_ready = 101"])
def test_thresholds_that_would_split_the_verdict_are_config_errors(tmp_path, thresholds):
    from readiness.base.errors import ConfigError

    (tmp_path / "readiness.toml").write_text(f"[thresholds]\n{thresholds}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="thresholds.grade_"):
        from readiness.settings import build_settings

        build_settings(tmp_path, None)


def test_classes_differing_only_by_spacing_or_case_are_drawn_apart(tmp_path):
    from readiness.report.view import distinguishable

    names = ["yes", "Yes", "yes ", "no", "z"]
    shown = [distinguishable(n, names) for n in names]
    assert shown == ["'yes'", "'Yes'", "'yes\u2420'", "no", "z"] and len(set(shown)) == len(names)
    data = tmp_path / "ws"
    data.mkdir()
    (data / "a.csv").write_text("v,n\n" + "yes,1\nYes,2\nyes ,3\nno,4\n" * 30, encoding="utf-8")
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    html = (tmp_path / "out" / "ws" / document["run_id"] / "briefing.html").read_text(encoding="utf-8")
    assert "&#39;yes\u2420&#39;" in html
    assert document["tables"][0]["columns"][0]["examples"] == ["yes", "Yes", "yes ", "no"]  # the data as is
