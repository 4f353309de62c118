"""Each sample folder's packet, read as a founder and a freelancer would: one verdict, a maintenance
plan, a trial kit, format evidence, and no sentence that contradicts another (issue 16)."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from html.parser import HTMLParser

import pytest

from readiness.settings import Settings
from tests.conftest import SAMPLES, run_audit

RULES = Settings()
FOLDERS = ["support", "shop", "churn", "reviews", "support-zero-config"]


class Sections(HTMLParser):
    """The visible text of each <section id=...>, and of the verdict line."""

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, list[str]] = {}
        self.current: str | None = None
        self.depth = 0
        self.verdict: list[str] | None = None
        self.in_verdict = False
        self.class_labels: list[str] = []
        self._in_labels_li_span = False
        self.order: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section" and attributes.get("id"):
            self.current, self.depth = attributes["id"], 0
            self.order.append(self.current)
            self.text[self.current] = []
        elif tag == "section" and self.current:
            self.depth += 1
        if tag == "p" and attributes.get("data-testid") == "verdict":
            self.in_verdict, self.verdict = True, []
            self.order.append("verdict")

    def handle_endtag(self, tag):
        if tag == "section" and self.current:
            if self.depth:
                self.depth -= 1
            else:
                self.current = None
        if tag == "p" and self.in_verdict:
            self.in_verdict = False

    def handle_data(self, data):
        if self.in_verdict and self.verdict is not None:
            self.verdict.append(data)
        if self.current:
            self.text[self.current].append(data)

    def section(self, name: str) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text.get(name, [])))


@pytest.fixture(scope="module")
def packets(tmp_path_factory):
    out = tmp_path_factory.mktemp("packets")
    made = {}
    for name in FOLDERS:
        source = SAMPLES / name.replace("-zero-config", "")
        data = out / "data" / name
        shutil.copytree(source, data)
        if name.endswith("zero-config"):
            (data / "readiness.toml").unlink()
        document = run_audit(data, out / "reports", profile_enabled=False)
        run_dir = out / "reports" / name / document["run_id"]
        parser = Sections()
        parser.feed((run_dir / "briefing.html").read_text(encoding="utf-8"))
        made[name] = (document, run_dir, parser)
    return made


@pytest.mark.parametrize("name", FOLDERS)
def test_one_verdict(packets, name):
    document, run_dir, page = packets[name]
    score, grade = document["score"], document["grade"]
    thresholds = RULES.thresholds
    assert (grade == "ready") == (score >= thresholds.grade_ready)
    assert (grade == "not-ready") == (score < thresholds.grade_needs_work)
    opening = {"ready": "Ready for", "needs-work": "Needs work:", "not-ready": "Not ready:"}[grade]
    verdict = re.sub(r"\s+", " ", "".join(page.verdict or [])).strip()
    assert verdict.startswith(opening) and verdict == document["headline"]
    assert page.order.index("verdict") < page.order.index("brief")  # the packet opens with it
    if any(f["severity"] == "blocker" and not f["waived"] for f in document["findings"]):
        assert grade == "not-ready" and document["score_cap"]["by"] == "blocker"
    for text_file in ("briefing.md", "briefing.txt"):
        text = re.sub(r"\s+", " ", (run_dir / text_file).read_text(encoding="utf-8"))  # .txt is wrapped
        assert document["headline"] in text.replace("**", "")


@pytest.mark.parametrize("name", FOLDERS)
def test_maintenance_plan_and_monitoring_suites(packets, name):
    document, run_dir, page = packets[name]
    text = page.section("maintenance")
    assert "Who owns monitoring" in text and "Refresh cadence" in text
    assert "readiness audit" in text and "--fail-on-regression" in text
    timed = [(t["name"], c) for t in document["tables"] for c in (t.get("time") or {})]
    if timed:
        assert any(column in text for _, column in timed)
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        suites = [n for n in archive.namelist() if n.startswith("monitoring/") and n.endswith(".json")]
        assert suites and "monitoring/README.txt" in archive.namelist()
        for member in suites:
            suite = json.loads(archive.read(member))
            assert suite["expectations"], member


@pytest.mark.parametrize("name", FOLDERS)
def test_trial_kit(packets, name):
    document, run_dir, page = packets[name]
    text = page.section("trial")
    assert "Before you send data" in text and "Acceptance criteria" in text
    assert "Fix or work around" not in text  # the client's chores are no trial work
    assert re.search(r"Total effort: [\d.]+-[\d.]+ days", text)
    if document["label"]:
        assert (run_dir / "internal" / "holdout" / "labels.csv").is_file()
        with zipfile.ZipFile(run_dir / "packet.zip") as archive:
            assert {"trial/score.py", "trial/holdout_rows.csv"} <= set(archive.namelist())
            shared_rows = archive.read("trial/holdout_rows.csv").decode()
        assert "label" not in shared_rows.splitlines()[0]


@pytest.mark.parametrize("name", FOLDERS)
def test_failing_formats_show_masked_shapes(packets, name):
    document, _, page = packets[name]
    findings = page.section("findings")
    for finding in document["findings"]:
        if finding["check"] in ("format", "mixed_formats") and finding["count"]:
            shapes = finding["details"].get("shapes")
            assert shapes, finding["id"]
            assert all(re.fullmatch(r"[^A-Za-z0-9]*(?:(?:word|d)[^A-Za-z0-9]*)*…?", s["shape"]) for s in shapes), shapes
            assert shapes[0]["shape"] in findings


@pytest.mark.parametrize("name", FOLDERS)
def test_no_contradictions(packets, name):
    document, run_dir, page = packets[name]
    labels = page.section("labels")
    label = document["label"]
    if label and label.get("classes"):
        smallest = min(label["classes"].values())
        if smallest < RULES.label.min_class_count:
            assert "Every class has at least" not in labels
            assert not re.search(r"(?<!im)balanced", labels)
        names = list(label["classes"])
        assert len({n.strip().casefold() for n in names}) == len(names) or "\u2420" in labels or "'" in labels
    # freshness evidence is a date, never "0 rows"
    assert not re.search(r"Evidence: 0 rows", page.section("findings"))
    # rows per feature only for tabular tasks
    if document["task"] not in ("classification", "regression"):
        assert "rows per feature" not in labels
    # the GX appendix: a count that differs from the findings' says why
    appendix = page.section("appendix")
    by_key: dict = {}
    for finding in document["findings"]:
        if not finding["waived"]:
            key = (finding["table"], finding["column"], finding["check"])
            by_key[key] = by_key.get(key, 0) + finding["count"]
    for entry in document["validation"]["tables"]:
        for result in entry["results"]:
            if result["success"] or result.get("check") is None or result["unexpected_count"] is None:
                continue
            checks = ("format", "mixed_formats") if result["check"] == "format" else (result["check"],)
            counted = sum(by_key.get((entry["table"], result["column"], c), 0) for c in checks)
            if counted and counted != result["unexpected_count"]:
                assert f"findings: {by_key.get((entry['table'], result['column'], checks[0]), 0):,}" in appendix \
                    or "findings:" in appendix


def test_diff_does_not_call_an_unchanged_count_worse(tmp_path):
    from typer.testing import CliRunner

    from readiness.cli.app import app

    for _ in range(2):
        run_audit(SAMPLES / "churn", tmp_path / "out", profile_enabled=False)
    result = CliRunner().invoke(app, ["diff", "--out", str(tmp_path / "out"), "--name", "churn", "--json"])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)
    assert changes["findings_worse"] == [] and changes["findings_severity_raised"] == []
