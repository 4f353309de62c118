"""The packet in a real headless Chromium: it shows everything, fetches nothing, runs no payload."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES, run_audit
from tests.payloads import FILE_NAME_PAYLOADS, XSS_PAYLOADS

pytestmark = pytest.mark.browser
SECTIONS = ["brief", "glance", "inventory", "dictionary", "labels", "findings", "questions", "trial", "appendix"]
ARTIFACTS = REPO / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is not installed; .ci/run installs Debian's chromium package")
    pytest.skip("Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield instance
        instance.close()


class Visit:
    """A page opened from a file, with everything it logged, requested or popped up."""

    def __init__(self, browser, html: Path, width: int = 1200):
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = html.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def close(self):
        self.page.close()


@pytest.mark.parametrize("name", ["support", "shop", "churn"])
def test_sample_packets_show_everything_and_fetch_nothing(browser, tmp_path, name):
    document = run_audit(SAMPLES / name, tmp_path / "out")
    html = tmp_path / "out" / name / document["run_id"] / "briefing.html"
    visit = Visit(browser, html)
    try:
        page = visit.page
        assert page.inner_text("[data-testid=score]") == f"{document['score']:.2f}"
        assert page.inner_text("[data-testid=grade]") == document["grade"]
        assert page.inner_text("[data-testid=band]") == document["band"]
        for section in SECTIONS:
            assert page.locator(f"section#{section}").is_visible(), section
        assert page.locator("#findings .finding").count() == len([f for f in document["findings"] if not f["waived"]])
        assert visit.errors == []
        assert visit.requests == [visit.url]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"briefing-{name}.png"), full_page=True)
    finally:
        visit.close()


def test_packet_fits_a_phone_screen_and_prints(browser, tmp_path):
    document = run_audit(SAMPLES / "support", tmp_path / "out")
    html = tmp_path / "out" / "support" / document["run_id"] / "briefing.html"
    visit = Visit(browser, html, width=390)
    try:
        overflow = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        pdf = visit.page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        visit.page.screenshot(path=str(ARTIFACTS / "briefing-support-phone.png"), full_page=False)
    finally:
        visit.close()


def _xss_folder(root: Path) -> Path:
    import openpyxl
    import pandas as pd

    data = root / "xss"
    data.mkdir()
    # every payload as a column name, and every payload as a value seen often enough to be an example
    frame = pd.DataFrame({p: [XSS_PAYLOADS[(i + j) % len(XSS_PAYLOADS)] for i in range(120)]
                          for j, p in enumerate(XSS_PAYLOADS)})
    frame["label"] = [XSS_PAYLOADS[i % 4] for i in range(120)]
    frame["category"] = [XSS_PAYLOADS[10 + i % 5] for i in range(120)]
    frame.to_csv(data / "payloads.csv", index=False)
    for index, payload in enumerate(FILE_NAME_PAYLOADS):
        header = XSS_PAYLOADS[index].replace('"', '""')
        (data / f"{payload}.csv").write_text(f'"{header}"\n1\n2\n', encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.title = "<img src=x onerror=alert(1)>"
    book.active.append([XSS_PAYLOADS[2], "x"])
    book.active.append([XSS_PAYLOADS[3], "y"])
    book.save(data / "book.xlsx")
    def toml(text: str) -> str:
        return json.dumps(text)  # a JSON string is a valid TOML basic string

    (data / "readiness.toml").write_text(
        f"[project]\ngoal = {toml(XSS_PAYLOADS[1])}\ntimeline = {toml(XSS_PAYLOADS[0])}\n"
        f"success_metric = {toml(XSS_PAYLOADS[2])}\ndeliverables = [{toml(XSS_PAYLOADS[3])}, {toml(XSS_PAYLOADS[25])}]\n"
        f'[label]\ncolumn = "label"\ntable = "payloads.csv"\n', encoding="utf-8")
    return data


def test_payloads_in_names_values_labels_and_config_run_nothing(browser, tmp_path):
    assert len(set(XSS_PAYLOADS)) >= 50
    data = _xss_folder(tmp_path)
    document = run_audit(data, tmp_path / "out")
    assert len(document["tables"]) == 2 + len(FILE_NAME_PAYLOADS)
    html = tmp_path / "out" / "xss" / document["run_id"] / "briefing.html"
    visit = Visit(browser, html)
    try:
        page = visit.page
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert visit.dialogs == []
        assert page.evaluate("document.scripts.length") == 0
        handlers = page.evaluate(
            "Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)"
            ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))")
        assert handlers == []
        assert page.locator("img, iframe, object, video, input, details, link, math").count() == 0
        assert visit.requests == [visit.url]
        text = page.inner_text("body")
        for payload in ("<img src=x onerror=window.__xss=1>", "<script>window.__xss=1</script>"):
            assert payload in text  # shown as text, exactly as the client wrote it
    finally:
        visit.close()


def test_pdf_option_writes_a_pdf(tmp_path):
    chromium_path()
    from typer.testing import CliRunner

    from readiness.cli.app import app

    result = CliRunner().invoke(app, ["audit", str(SAMPLES / "churn"), "--out", str(tmp_path / "out"), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "churn" / "latest" / "briefing.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_pdf_option_says_clearly_when_there_is_no_chromium(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from readiness.cli.app import app

    monkeypatch.setenv("PATH", str(tmp_path))
    result = CliRunner().invoke(app, ["audit", str(SAMPLES / "churn"), "--out", str(tmp_path / "out"), "--pdf"])
    assert result.exit_code == 0
    assert "Warning: no Chromium found for --pdf; install it" in result.stderr
    assert not (tmp_path / "out" / "churn" / "latest" / "briefing.pdf").exists()
