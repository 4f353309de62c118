"""The trial kit: acceptance criteria, the client's checklist, the frozen hold-out and trial/score.py."""

from __future__ import annotations

import csv
import io
import random
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from readiness.checks import explain
from readiness.report import acceptance, holdout, trial, trial_files
from readiness.report.render import render_html, render_markdown, render_text
from readiness.report.view import view
from tests.conftest import SAMPLES, run_audit

# --- acceptance criteria ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "key", "threshold"), [
    ("macro F1 of at least 0.85 on the most recent month of tickets", "macro_f1", 0.85),
    ("accuracy >= 0.9", "accuracy", 0.9),
    ("RMSE below 12", "rmse", 12.0),
    ("MAE <= 3", "mae", 3.0),
    ("AUC of at least 0.8 on the last quarter", "auc", 0.8),
    ("90% accuracy on last year's orders", "accuracy", 0.9),
    ("F1-score above 80%", "macro_f1", 0.8),
    ("weighted F1 of 0.7", "weighted_f1", 0.7),
    ("mean absolute error under 2.5 days", "mae", 2.5),
    ("R2 of at least 0.6", "r2", 0.6),
])
def test_success_metrics_are_parsed(text, key, threshold):
    metric, value = acceptance.parse_metric(text)
    assert metric.key == key
    assert value == pytest.approx(threshold)


def test_a_metric_without_a_number_or_no_metric_at_all():
    metric, value = acceptance.parse_metric("a good macro F1 on recent tickets")
    assert metric.key == "macro_f1" and value is None
    assert acceptance.parse_metric("the support team is happy") is None
    assert acceptance.parse_metric(None) is None


def test_defaults_per_task_ask_for_an_agreed_threshold():
    rule = acceptance.acceptance(None, "text-classification")
    assert (rule.metric.key, rule.threshold, rule.from_brief) == ("macro_f1", None, False)
    assert "agree a threshold" in rule.rule
    rule = acceptance.acceptance("", "regression")
    assert rule.metric.key == "mae" and not rule.metric.higher_is_better
    criteria = acceptance.criteria(rule, "regression", None)
    assert any("mean baseline" in c for c in criteria)
    # a metric that does not fit the task is not used
    rule = acceptance.acceptance("RMSE below 3", "classification")
    assert rule.metric.key == "macro_f1" and rule.threshold is None and "RMSE" in rule.note
    rule = acceptance.acceptance("RMSE below 3", "regression")
    assert (rule.metric.key, rule.threshold, rule.comparison, rule.sign) == ("rmse", 3.0, "below", "<")


# --- effort ranges and money --------------------------------------------------------------------------


def test_effort_ranges_are_half_days_and_money_needs_a_rate():
    assert explain.day_range(0.25) == (0.5, 1.0)
    assert explain.day_range(1.0) == (1.0, 1.5)
    assert explain.day_range(1.5) == (1.5, 2.5)
    assert explain.effort_range("pii", 1, 0.1, {}) == (0.5, 1.0)
    assert trial.money(3, 4.5, 600, "EUR") == "EUR 1,800-2,700"
    assert trial.money(3, 4.5, 600, None) == "1,800-2,700"
    assert trial.money(3, 4.5, None, "EUR") is None


def _findings():
    return [
        {"check": "pii", "severity": "major", "table": "t.csv", "column": "email", "message": "email holds personal data",
         "details": {"kinds": ["email"], "column_is_personal": True}, "effort": 0.5},
        {"check": "pii", "severity": "minor", "table": "t.csv", "column": "note", "message": "note has emails",
         "details": {"kinds": ["email", "phone"]}, "effort": 0.5},
        {"check": "pii", "severity": "major", "table": "t.csv", "column": "api_key", "message": "secrets",
         "details": {"kinds": ["secret"]}, "effort": 0.5},
        {"check": "mojibake", "severity": "minor", "table": "t.csv", "column": "note", "message": "mis-decoded",
         "details": {}, "effort": 0.25},
        {"check": "ragged_rows", "severity": "major", "table": "t.csv", "column": None, "message": "ragged",
         "details": {}, "effort": 0.25},
        {"check": "ragged_rows", "severity": "major", "table": "t.csv", "column": None, "message": "ragged",
         "details": {}, "effort": 0.25},
        {"check": "class_imbalance", "severity": "minor", "table": "t.csv", "column": "y",
         "message": "y is imbalanced", "details": {}, "effort": 0.5},
    ]


def test_checklist_holds_the_clients_chores_once_each_and_no_trial_work():
    items = trial.checklist(_findings())
    assert items[0].startswith("Drop or pseudonymise email in t.csv")
    assert any(i.startswith("Mask the personal data (email, phone) inside the values of note") for i in items)
    assert any("secrets" in i and "api_key" in i for i in items)
    assert any("UTF-8" in i for i in items)
    assert sum("Fix at the source" in i for i in items) == 1  # the two ragged findings: one chore
    assert not any("imbalanced" in i for i in items)  # ML work stays in the trial task
    label = {"table": "t.csv", "column": "y"}
    steps = trial.steps(_findings(), label, "classification", None)
    text = " ".join(s["text"] for s in steps)
    assert "imbalanced" in text and "personal data" not in text and "Fix or work around" not in text


def test_money_is_shown_only_with_a_day_rate():
    label = {"table": "t.csv", "column": "y"}
    plain = trial.kit(_findings(), label, "classification", SimpleNamespace(success_metric=None))
    assert plain["total"]["money"] is None and all(s["money"] is None for s in plain["steps"])
    paid = trial.kit(_findings(), label, "classification",
                     SimpleNamespace(success_metric="accuracy >= 0.9", day_rate=600.0, currency="EUR"))
    low, high = paid["total"]["low"], paid["total"]["high"]
    assert low < high and paid["total"]["money"] == f"EUR {round(low * 600):,}-{round(high * 600):,}"
    assert all(s["money"].startswith("EUR ") for s in paid["steps"])
    assert paid["acceptance"]["threshold"] == 0.9 and paid["acceptance"]["from_brief"]
    assert sum(s["low"] for s in paid["steps"]) == low


# --- the hold-out split -----------------------------------------------------------------------------------


def test_stratified_keeps_every_class_with_two_rows_on_both_sides():
    rng = random.Random(3)
    classes = np.array([rng.choice([0, 0, 0, 0, 1, 1, 2]) for _ in range(300)] + [3, 3, 4], dtype=np.int64)
    labeled = np.arange(len(classes))
    rows = holdout.stratified_holdout(labeled, classes, seed=7)
    held = set(classes[rows].tolist())
    train = set(classes[np.setdiff1d(labeled, rows)].tolist())
    assert held == {0, 1, 2, 3}  # the single row of class 4 stays in training
    assert train == {0, 1, 2, 3, 4}
    assert 0.15 <= len(rows) / len(labeled) <= 0.25
    assert np.array_equal(rows, holdout.stratified_holdout(labeled, classes, seed=7))  # deterministic


def test_grouped_split_never_splits_an_entity():
    rng = random.Random(5)
    groups = [f"c{rng.randrange(40)}" if i % 9 else None for i in range(400)]
    labeled = np.arange(0, 400, 2)  # only the labeled rows take part
    rows = holdout.group_holdout(labeled, groups, seed=11)
    held = {groups[i] for i in rows if groups[i] is not None}
    train = {groups[i] for i in np.setdiff1d(labeled, rows) if groups[i] is not None}
    assert held and not held & train
    assert set(rows.tolist()) <= set(labeled.tolist())
    assert 0.1 <= len(rows) / len(labeled) <= 0.4
    assert np.array_equal(rows, holdout.group_holdout(labeled, groups, seed=11))


def test_time_split_holds_out_the_newest_rows():
    dates = pd.to_datetime(pd.Series(pd.date_range("2024-01-01", periods=200, freq="D"))).to_numpy()
    order = np.random.default_rng(1).permutation(200)
    dates = dates[order].copy()
    dates[[3, 50]] = np.datetime64("NaT")
    labeled = np.arange(200)
    rows = holdout.time_holdout(labeled, dates)
    train = np.setdiff1d(labeled, rows)
    train_dates = dates[train][~np.isnat(dates[train])]
    assert len(rows) == 40
    assert dates[rows].min() > train_dates.max()
    assert 3 not in rows and 50 not in rows  # undated rows stay in training


# --- an audit end to end ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def support(tmp_path_factory):
    out = tmp_path_factory.mktemp("trial") / "out"
    document = run_audit(SAMPLES / "support", out, profile_enabled=False)
    return out / "support" / document["run_id"], document


def _holdout_labels(run_dir: Path) -> dict[int, str]:
    with open(run_dir / "internal" / "holdout" / "labels.csv", encoding="utf-8", newline="") as handle:
        return {int(r["row"]): r["label"] for r in csv.DictReader(handle)}


def test_support_holdout_is_time_based_owner_only_and_newest(support):
    run_dir, document = support
    labels = _holdout_labels(run_dir)
    path = run_dir / "internal" / "holdout" / "labels.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    readme = (run_dir / "internal" / "holdout" / "README.txt").read_text()
    assert "0-based position" in readme and "time-based" in readme
    frame = pd.read_csv(SAMPLES / "support" / "tickets.csv", dtype=str, keep_default_na=False)
    assert all(frame.loc[row, "intent"] == label for row, label in labels.items())  # row = position as read
    labeled = frame[~frame["intent"].isin(["", "NA", "null"])]  # the missing-value tokens the audit knows
    assert len(labeled) == document["label"]["labeled"]
    assert len(labels) == round(len(labeled) * 0.2)
    iso = pd.to_datetime(labeled["created_at"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    held = iso[iso.index.isin(labels)].dropna()
    kept = iso[~iso.index.isin(labels)].dropna()
    assert held.min() >= kept.max()


def test_support_packet_has_the_trial_kit_and_nothing_personal(support):
    run_dir, document = support
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        names = archive.namelist()
        kit = {n: archive.read(n).decode("utf-8") for n in names if n.startswith("trial/")}
    assert set(kit) == {"trial/score.py", "trial/holdout_rows.csv", "trial/README.txt"}
    rows = [int(r) for r in kit["trial/holdout_rows.csv"].split()[1:]]
    assert rows == sorted(_holdout_labels(run_dir))
    for text in kit.values():
        assert "@" not in text.replace("@SETTINGS", "")  # no email from the data
        assert "example.com" not in text
        assert "order_status" not in text and "refund" not in text  # no label values
    assert "Blank the hold-out labels" in kit["trial/README.txt"] and "intent" in kit["trial/README.txt"]
    assert "THRESHOLD = 0.85" in kit["trial/score.py"] and 'METRIC = "macro_f1"' in kit["trial/score.py"].replace("'", '"')
    html = (run_dir / "briefing.html").read_text()
    section = html[html.index('<section id="trial">'):html.index("</section>", html.index('<section id="trial">'))]
    assert "Before you send data: for the client" in section
    assert "Drop or pseudonymise customer_email in tickets.csv" in section
    assert "inside the values of message" in section
    assert "Fix or work around" not in section
    assert "macro F1 of at least 0.85" in section
    assert "labels stay with the client" in section
    assert re.search(r"Total effort:</strong> [\d.]+-[\d.]+ days[ .]", section)
    markdown = (run_dir / "briefing.md").read_text()
    assert "Before you send data" in markdown and "Acceptance criteria" in markdown


def _score(run_dir: Path, tmp_path: Path, lines: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    predictions = tmp_path / "predictions.csv"
    predictions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return subprocess.run([sys.executable, str(run_dir / "trial" / "score.py"), str(predictions), *extra],
                          capture_output=True, text=True, check=False)


def test_score_py_passes_perfect_predictions_and_fails_random_ones(support, tmp_path):
    run_dir, _ = support
    labels = _holdout_labels(run_dir)
    perfect = _score(run_dir, tmp_path, ["row,prediction"] + [f"{r},{v}" for r, v in labels.items()])
    assert perfect.returncode == 0, perfect.stdout + perfect.stderr
    assert "PASS: macro F1 1.0000" in perfect.stdout and "missing: 0" in perfect.stdout
    rng = random.Random(2)
    classes = sorted(set(labels.values()))
    guessed = _score(run_dir, tmp_path, ["row,prediction"] + [f"{r},{rng.choice(classes)}" for r in labels]
                     + ["999999,refund"])
    assert guessed.returncode == 1, guessed.stdout
    value = float(re.search(r"FAIL: macro F1 ([\d.]+)", guessed.stdout).group(1))
    assert value < 0.5 and "extra (ignored): 1" in guessed.stdout
    some = list(labels.items())[:-3]
    missing = _score(run_dir, tmp_path, ["row,prediction"] + [f"{r},{v}" for r, v in some])
    assert missing.returncode == 1 and "3 hold-out rows have no prediction" in missing.stdout
    # the hold-out can be given explicitly
    explicit = _score(run_dir, tmp_path, ["row,prediction"] + [f"{r},{v}" for r, v in labels.items()],
                      "--holdout", str(run_dir / "internal" / "holdout" / "labels.csv"))
    assert explicit.returncode == 0


@pytest.mark.parametrize(("lines", "says"), [
    (["id,label", "1,refund"], "the header must name the columns row and prediction"),
    (["row,prediction", "one,refund"], "row must be a whole number"),
    (["row,prediction", "1,refund", "1,cancel"], "row 1 appears twice"),
    ([""], "the file is empty"),
])
def test_score_py_explains_a_malformed_file_in_one_line(support, tmp_path, lines, says):
    run_dir, _ = support
    result = _score(run_dir, tmp_path, lines)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ") and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_day_rate_shows_money_in_the_briefing(support):
    run_dir, document = support
    from readiness.settings import Settings

    context = view(document, Settings())
    section_of = lambda html: html[html.index('<section id="trial">'):]  # noqa: E731
    assert "EUR" not in section_of(render_html(context)).split("</section>")[0]  # no rate in Settings()
    brief = SimpleNamespace(success_metric="accuracy >= 0.9", day_rate=800, currency="EUR")
    context["trial"] = trial.kit(context["findings"], context["label"], "text-classification", brief, None)
    html = section_of(render_html(context)).split("</section>")[0]
    assert re.search(r"Total effort:</strong> [\d.]+-[\d.]+ days \(EUR [\d,]+-[\d,]+ at EUR 800 a day\)", html)


def test_grouped_holdout_of_an_audit_keeps_each_customer_on_one_side(tmp_path):
    rng = random.Random(9)
    data = tmp_path / "visits"
    data.mkdir()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["customer_id", "amount", "label"])
    for _ in range(400):
        customer = rng.randrange(60)
        writer.writerow([f"C{customer:03d}", rng.randrange(1, 500), "yes" if customer % 3 == 0 else "no"])
    (data / "visits.csv").write_text(buffer.getvalue(), encoding="utf-8")
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    run_dir = tmp_path / "out" / "visits" / document["run_id"]
    assert "grouped by customer_id" in (run_dir / "internal" / "holdout" / "README.txt").read_text()
    frame = pd.read_csv(data / "visits.csv", dtype=str)
    held = set(_holdout_labels(run_dir))
    held_customers = set(frame.loc[sorted(held), "customer_id"])
    train_customers = set(frame.loc[[i for i in range(len(frame)) if i not in held], "customer_id"])
    assert held_customers and not held_customers & train_customers
    html = (run_dir / "briefing.html").read_text()
    assert "grouped by customer_id" in html and "agree a threshold with the client" in html


def test_no_holdout_without_a_label(tmp_path):
    data = tmp_path / "plain"
    data.mkdir()
    (data / "t.csv").write_text("a,b\n" + "".join(f"{i},{i * 2}\n" for i in range(30)), encoding="utf-8")
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    run_dir = tmp_path / "out" / "plain" / document["run_id"]
    assert not (run_dir / "internal" / "holdout").exists()
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        assert not [n for n in archive.namelist() if n.startswith("trial/")]
    assert "No hold-out was frozen" in (run_dir / "briefing.html").read_text()


# --- the tester's findings ------------------------------------------------------------------------------


def _kit_score(tmp_path: Path, success_metric: str, task: str, truth: list[str], predicted: list[str]
               ) -> subprocess.CompletedProcess[str]:
    """trial/score.py for ``success_metric``, run on hold-out labels ``truth`` and ``predicted``."""
    rule = acceptance.acceptance(success_metric, task)
    context = {"key": rule.metric.key, "metric": rule.metric.name, "threshold": rule.threshold,
               "comparison": rule.comparison, "sign": rule.sign, "of_class": rule.metric.of_class}
    script = tmp_path / "score.py"
    script.write_text(trial_files.score_script(context, task), encoding="utf-8")
    (tmp_path / "labels.csv").write_text("row,label\n" + "".join(f"{i},{v}\n" for i, v in enumerate(truth)))
    (tmp_path / "predictions.csv").write_text("row,prediction\n" + "".join(f"{i},{v}\n" for i, v in enumerate(predicted)))
    return subprocess.run([sys.executable, str(script), str(tmp_path / "predictions.csv"),
                           "--holdout", str(tmp_path / "labels.csv")], capture_output=True, text=True, check=False)


def test_score_py_fails_the_majority_class_although_it_reaches_the_threshold(tmp_path):
    truth = ["no"] * 90 + ["yes"] * 10
    result = _kit_score(tmp_path, "accuracy >= 0.8", "classification", truth, ["no"] * 100)
    assert result.returncode == 1, result.stdout
    assert "FAIL" in result.stdout and "most frequent class" in result.stdout and "PASS" not in result.stdout
    better = ["no"] * 90 + ["yes"] * 5 + ["no"] * 5
    assert _kit_score(tmp_path, "accuracy >= 0.8", "classification", truth, better).returncode == 0


def test_score_py_regression_needs_mae_and_rmse_below_the_mean_baseline(tmp_path):
    rng = random.Random(4)
    truth = [round(rng.uniform(0, 20), 2) for _ in range(200)]  # the mean is off by about 5 on average
    shifted = [f"{t + 12:.2f}" for t in truth]  # RMSE 12 meets the threshold, MAE is worse than the mean's
    result = _kit_score(tmp_path, "RMSE of at most 12.5", "regression", [str(t) for t in truth], shifted)
    assert result.returncode == 1, result.stdout
    assert "MAE and RMSE both lower than predicting the mean" in result.stdout and "NOT MET" in result.stdout
    close = [f"{t + rng.uniform(-1, 1):.2f}" for t in truth]
    assert _kit_score(tmp_path, "RMSE of at most 12.5", "regression", [str(t) for t in truth], close).returncode == 0


def test_score_py_compares_labels_trimmed_and_case_folded(tmp_path):
    truth = ["No", "no", "Yes", "yes ", "no", "No", "yes", "no"]
    predicted = ["no", "NO", "yes", "Yes", " no", "no", "YES", "No "]
    result = _kit_score(tmp_path, "accuracy >= 0.9", "classification", truth, predicted)
    assert result.returncode == 0, result.stdout
    assert "accuracy: 1.0000" in result.stdout and "case-folded" in result.stdout


@pytest.mark.parametrize(("text", "key", "of_class", "threshold", "sign"), [
    ("recall for leave at least 0.7", "class_recall", "leave", 0.7, ">="),
    ("F1 on leave >= 0.5", "class_f1", "leave", 0.5, ">="),
    ("precision for class 'high risk' above 0.6", "class_precision", "high risk", 0.6, ">"),
    ("accuracy >= 85%", "accuracy", None, 0.85, ">="),
    ("accuracy > 0.8", "accuracy", None, 0.8, ">"),
    ("accuracy more than 0.8", "accuracy", None, 0.8, ">"),
    ("accuracy over 0.8", "accuracy", None, 0.8, ">"),
    ("RMSE below 12", "rmse", None, 12.0, "<"),
    ("MAE less than 3", "mae", None, 3.0, "<"),
    ("MAE at most 3", "mae", None, 3.0, "<="),
    ("macro F1 of at least 0.85 on the most recent month of tickets", "macro_f1", None, 0.85, ">="),
    ("F1 of 0.7", "macro_f1", None, 0.7, ">="),
])
def test_success_metric_class_range_and_comparison(text, key, of_class, threshold, sign):
    task = "regression" if key in ("rmse", "mae") else "classification"
    rule = acceptance.acceptance(text, task)
    assert (rule.metric.key, rule.metric.of_class, rule.sign) == (key, of_class, sign)
    assert rule.threshold == pytest.approx(threshold)


@pytest.mark.parametrize(("text", "shown"), [("accuracy >= 1.5", "1.5"), ("macro F1 of at least 150%", "150%")])
def test_an_impossible_threshold_is_agreed_with_the_client(text, shown):
    rule = acceptance.acceptance(text, "classification")
    assert rule.threshold is None
    first = acceptance.criteria(rule, "classification", None)[0]
    assert f"agree a threshold with the client (the brief's value {shown} is not a valid" in first


def test_score_py_scores_the_named_class_with_the_printed_comparison(tmp_path):
    truth = ["stay"] * 8 + ["leave"] * 2
    predicted = ["stay"] * 8 + ["leave", "stay"]  # recall of leave 0.5, macro recall 0.75
    result = _kit_score(tmp_path, "recall for leave at least 0.7", "classification", truth, predicted)
    assert result.returncode == 1 and "recall of class leave 0.5000" in result.stdout, result.stdout
    assert _kit_score(tmp_path, "recall for leave at least 0.5", "classification", truth, predicted).returncode == 0
    # "above" is strict: exactly the threshold fails
    result = _kit_score(tmp_path, "recall for leave above 0.5", "classification", truth, predicted)
    assert result.returncode == 1 and "needed > 0.5" in result.stdout, result.stdout
    # the majority class's own recall: the baseline check is on macro F1 (always "stay" has a recall of 1)
    assert _kit_score(tmp_path, "recall for stay >= 0.9", "classification", truth, predicted).returncode == 0
    result = _kit_score(tmp_path, "recall for stay >= 0.9", "classification", truth, ["stay"] * 10)
    assert result.returncode == 1 and "most frequent class" in result.stdout, result.stdout


def test_an_unsupervised_trial_is_exploratory_and_has_no_empty_checklist(tmp_path):
    kit = trial.kit([], None, "unsupervised", SimpleNamespace(success_metric=None))
    text = " ".join(kit["acceptance"]["criteria"] + [s["text"] for s in kit["steps"]])
    for word in ("macro F1", "most frequent class", "hold-out", "mean baseline"):
        assert word not in text
    assert "framing" in text and "reproducible" in text and "data-quality report" in text
    data = tmp_path / "plain"
    data.mkdir()
    (data / "t.csv").write_text("a,b\n" + "".join(f"{i},{i * 2}\n" for i in range(30)), encoding="utf-8")
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    run_dir = tmp_path / "out" / "plain" / document["run_id"]
    markdown = (run_dir / "briefing.md").read_text()
    section = markdown[markdown.index("## Suggested paid trial task"):markdown.index("## Maintenance plan")]
    assert "macro F1" not in section and "most frequent class" not in section
    if not document.get("findings") or "Before you send data" in section:
        head = section[section.index("Before you send data"):section.index("The task:")]
        assert "- " in head or "Nothing to do before sharing" in head
    html = (run_dir / "briefing.html").read_text()
    part = html[html.index('<section id="trial">'):html.index("</section>", html.index('<section id="trial">'))]
    assert "macro F1" not in part and "never sees labeled" not in part


def test_empty_checklist_says_so_in_every_format(support):
    _, document = support
    from readiness.settings import Settings

    context = view(document, Settings())
    context["trial"] = trial.kit([], None, "unsupervised", SimpleNamespace(success_metric=None))
    nothing = "Nothing to do before sharing: no personal data or source-system problem was found."
    for render in (render_html, render_markdown, render_text):
        out = render(context)
        assert nothing in out.replace("\n", " ").replace("  ", " ") or nothing in out, render.__name__


def test_time_holdout_reads_dates_in_a_minority_layout(tmp_path):
    data = tmp_path / "orders"
    data.mkdir()
    rng = random.Random(6)
    days = pd.date_range("2023-01-01", periods=250, freq="D")
    rows = []
    for i, day in enumerate(days):
        # the newest fifth is written dd/mm/yyyy: 80% ISO, 20% day-first
        written = day.strftime("%d/%m/%Y") if i >= 200 else day.strftime("%Y-%m-%d")
        rows.append((written, rng.randrange(1, 500), rng.choice(["a", "b", "c"])))
    order = list(range(len(rows)))
    rng.shuffle(order)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["order_date", "amount", "label"])
    writer.writerows(rows[i] for i in order)
    (data / "orders.csv").write_text(buffer.getvalue(), encoding="utf-8")
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    run_dir = tmp_path / "out" / "orders" / document["run_id"]
    assert "time-based" in (run_dir / "internal" / "holdout" / "README.txt").read_text()
    frame = pd.read_csv(data / "orders.csv", dtype=str)
    parsed = pd.to_datetime(frame["order_date"], format="%Y-%m-%d", errors="coerce").fillna(
        pd.to_datetime(frame["order_date"], format="%d/%m/%Y", errors="coerce"))
    held = set(_holdout_labels(run_dir))
    assert len(held) == 50
    assert parsed[sorted(held)].min() > parsed.drop(index=sorted(held)).max()


def test_mixed_dates_are_parsed_in_every_layout():
    values = pd.Series(["2024-01-05"] * 8 + ["25/12/2024", "13/01/2025"], dtype=object)
    dates = holdout._mixed_dates(values, "YYYY-MM-DD")
    assert not np.isnat(dates).any()
    assert dates[8] == np.datetime64("2024-12-25") and dates[9] == np.datetime64("2025-01-13")


def test_split_advice_follows_a_time_based_holdout():
    findings = [{"check": "grouping_column", "severity": "minor", "table": "t.csv", "column": "store",
                 "message": "store repeats", "details": {}, "effort": 0.5}]
    label = {"table": "t.csv", "column": "y"}
    holdout = {"table": "t.csv", "column": "y", "method": "time", "by": "sold_at", "rows": 20, "labeled": 100}
    text = trial.steps(findings, label, "regression", holdout)[1]["text"]
    assert "split by store (a group split" not in text
    assert "newest" in text and "sold_at" in text and "extra check within the training rows" in text
    grouped = {**holdout, "method": "group", "by": "store"}
    assert "split by store" in trial.steps(findings, label, "regression", grouped)[1]["text"]


def test_label_variants_are_written_as_their_class_in_the_holdout(tmp_path):
    data = tmp_path / "answers"
    data.mkdir()
    rng = random.Random(8)
    spellings = ["yes"] * 6 + ["Yes", "yes ", "no", "no", "no", "no", "No"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["amount", "score", "answer"])
    for _ in range(400):
        writer.writerow([rng.randrange(1, 500), round(rng.random(), 3), rng.choice(spellings)])
    (data / "answers.csv").write_text(buffer.getvalue(), encoding="utf-8")
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    run_dir = tmp_path / "out" / "answers" / document["run_id"]
    assert any(f["check"] == "label_variants" for f in document["findings"])
    assert set(_holdout_labels(run_dir).values()) <= {"yes", "no"}


@pytest.mark.parametrize(("rate", "says"), [(1e308, "from 1 to 1,000,000"), (0.004, "from 1 to 1,000,000"),
                                            (2_000_000, "from 1 to 1,000,000")])
def test_day_rate_out_of_range_is_a_config_error(rate, says):
    from readiness.base.errors import ConfigError
    from readiness.settings import parse_config

    with pytest.raises(ConfigError) as caught:
        parse_config({"project": {"day_rate": rate}}, "r.toml")
    assert str(caught.value).startswith("r.toml: key 'project.day_rate' must be") and says in str(caught.value)
    assert parse_config({"project": {"day_rate": 1}}, "r.toml").brief.day_rate == 1.0
