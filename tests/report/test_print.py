"""Print and phone: briefing.pdf (paper size, page numbers, no half-empty pages, in packet.zip,
named in the terminal) and the packet on a 390 px screen (nothing overflows, chart text legible),
in a real headless Chromium; and how --pdf finds its browser (--chromium, the environment, macOS)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

import readiness
from readiness.report import pdf as printing
from readiness.settings.environment import CHROMIUM_VARIABLES
from tests.conftest import SAMPLES, run_audit
from tests.report.test_browser import FLAGS  # the same browser flags as the other browser tests

PHONE = 390  # an iPhone's CSS width
LEGIBLE_PX = 11  # smallest chart text, in CSS px, at PHONE width
A4 = (595, 842)  # points
LETTER = (612, 792)
# a page other than the last may end this far up (a small block moved whole to the next page);
# more than that is the half-empty page that a big block kept unbroken leaves behind
MOST_BLANK = 0.4


# --- finding Chromium (no browser runs) -------------------------------------------------------------


def _fake_program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def no_browser(tmp_path, monkeypatch):
    """Nothing on PATH, in the environment or in the app folders: each test adds its own."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    for variable in CHROMIUM_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    folders = (tmp_path / "Applications", tmp_path / "home" / "Applications")
    monkeypatch.setattr(printing, "APPLICATIONS", tuple(str(f) for f in folders))
    return folders


def test_find_chromium_looks_in_macos_app_bundles(no_browser):
    system, user = no_browser
    assert printing.find_chromium() is None
    chromium = _fake_program(user / "Chromium.app" / "Contents" / "MacOS" / "Chromium")
    assert printing.find_chromium() == str(chromium)
    chrome = _fake_program(system / "Google Chrome.app" / "Contents" / "MacOS" / "Google Chrome")
    assert printing.find_chromium() == str(chrome)  # /Applications before ~/Applications
    chrome.chmod(0o644)  # a bundle whose program cannot run is passed over
    assert printing.find_chromium() == str(chromium)


def test_find_chromium_prefers_the_environment_then_path(no_browser, tmp_path, monkeypatch):
    system, _ = no_browser
    _fake_program(system / "Chromium.app" / "Contents" / "MacOS" / "Chromium")
    on_path = _fake_program(tmp_path / "empty-bin" / "chromium")
    assert printing.find_chromium() == str(on_path)
    named = _fake_program(tmp_path / "browsers" / "my-chrome")
    monkeypatch.setenv("CHROME_PATH", str(named))
    assert printing.find_chromium() == str(named)
    monkeypatch.setenv("READINESS_CHROMIUM", str(tmp_path / "not-there"))  # a wrong name is passed over
    assert printing.find_chromium() == str(named)


def _cli(*args: str):
    from typer.testing import CliRunner

    from readiness.cli.app import app

    return CliRunner().invoke(app, ["audit", *args])


@pytest.mark.parametrize("kind", ["missing", "folder", "not executable"])
def test_chromium_option_must_name_an_executable(tmp_path, kind):
    target = tmp_path / "Google Chrome.app"
    if kind == "folder":
        target.mkdir()
    elif kind == "not executable":
        target.write_text("not a program", encoding="utf-8")
    result = _cli(str(SAMPLES / "churn"), "--out", str(tmp_path / "out"), "--pdf", "--chromium", str(target))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"Error: --chromium '{target}'")
    assert ("no such file" in result.stderr) == (kind == "missing")
    assert not (tmp_path / "out").exists()  # refused before any data was read


def test_paper_option_must_be_a4_or_letter(tmp_path):
    result = _cli(str(SAMPLES / "churn"), "--out", str(tmp_path / "out"), "--paper", "A3")
    assert result.exit_code == 2
    assert result.stderr == "Error: --paper 'A3' is not a paper size; use a4 or letter\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("environ", "paper"), [
    ({"LANG": "en_US.UTF-8"}, "letter"),
    ({"LANG": "en_CA.UTF-8"}, "letter"),
    ({"LANG": "es_MX.UTF-8"}, "letter"),
    ({"LANG": "fil_PH"}, "letter"),
    ({"LANG": "en_GB.UTF-8"}, "a4"),
    ({"LANG": "de_DE.UTF-8@euro"}, "a4"),
    ({"LANG": "C.UTF-8"}, "a4"),
    ({}, "a4"),
    ({"LANG": "en_US.UTF-8", "LC_PAPER": "fr_FR.UTF-8"}, "a4"),  # LC_PAPER decides paper, not LANG
    ({"LC_PAPER": "fr_FR.UTF-8", "LC_ALL": "en_US.UTF-8"}, "letter"),  # LC_ALL overrides both
])
def test_default_paper_follows_the_locale(environ, paper):
    assert printing.default_paper(environ) == paper


# --- in a real headless Chromium ----------------------------------------------------------------------


def chromium_path() -> str:
    found = printing.find_chromium()
    if found:
        return found
    if os.environ.get("CI") or os.environ.get("READINESS_REQUIRE_CHROMIUM"):
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


def _hostile_folder(root: Path) -> Path:
    """Everything that pushes a page sideways: unbroken names everywhere and a 60-column table."""
    import pandas as pd

    data = root / "hostile"
    data.mkdir()
    rows = 50
    frame = pd.DataFrame({f"measurement_{'without_any_break_' * 4}{i}": [(i * 7 + r) % 10 for r in range(rows)]
                          for i in range(60)})
    frame["label"] = [f"class_{'z' * 90}{r % 3}" for r in range(rows)]
    frame["category"] = [f"category_{'w' * 150}{r % 2}" for r in range(rows)]
    frame["website"] = [f"https://example.com/{'p' * 120}/{r}" for r in range(rows)]
    frame.to_csv(data / f"wide_{'n' * 140}.csv", index=False)
    (data / "readiness.toml").write_text(
        f'[project]\ngoal = "{"g" * 300}"\ndeliverables = ["{"d" * 200}"]\n[label]\ncolumn = "label"\n',
        encoding="utf-8")
    return data


def _phone_check(browser, html: Path) -> dict:
    page = browser.new_page(viewport={"width": PHONE, "height": 900})
    try:
        page.goto(html.resolve().as_uri())
        return page.evaluate("""() => ({
          scrollWidth: document.documentElement.scrollWidth,
          svgText: Array.from(document.querySelectorAll('svg text')).map(t => t.getBoundingClientRect().height),
          barText: Array.from(document.querySelectorAll('ul.bars li > span:not(.bar)'))
                     .map(s => parseFloat(getComputedStyle(s).fontSize)),
          boxes: Array.from(document.querySelectorAll('.tablewrap')).map(w => ({
            right: w.getBoundingClientRect().right, scrolls: w.scrollWidth > w.clientWidth,
            overflow: getComputedStyle(w).overflowX})),
        })""")
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["support", "shop", "churn", "reviews", "hostile"])
def test_packet_fits_a_390px_screen_with_legible_charts(browser, tmp_path, name):
    data = _hostile_folder(tmp_path) if name == "hostile" else SAMPLES / name
    out = tmp_path / "out"
    run_audit(data, out, profile_enabled=False)
    document = run_audit(data, out, profile_enabled=False)  # a second audit draws the score trend
    layout = _phone_check(browser, out / name / document["run_id"] / "briefing.html")
    assert layout["scrollWidth"] <= PHONE
    assert len(layout["svgText"]) >= 2  # the trend's axis
    assert min(layout["svgText"]) >= LEGIBLE_PX
    if document.get("label") and document["label"].get("classes"):
        assert len(layout["barText"]) == 2 * len(document["label"]["classes"])
        assert min(layout["barText"]) >= LEGIBLE_PX
    for box in layout["boxes"]:
        assert box["right"] <= PHONE and box["overflow"] == "auto"
    if name == "hostile":  # its wide tables scroll inside their own box, not the page
        assert any(box["scrolls"] for box in layout["boxes"])


def _pages(pdf_path: Path) -> list[tuple[tuple[int, int], str, float]]:
    """Each page: (width, height) in points, its text, and how far down its body text reaches
    (the lowest line above the bottom margin, as a fraction of the page height from the top)."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(pdf_path).pages:
        height = float(page.mediabox.height)
        lows: list[float] = []

        def visit(text, cm, tm, _font, _size, lows=lows):
            y = cm[5] + tm[5] * cm[3]
            if text.strip() and y > 50:  # the page number sits in the bottom margin
                lows.append(y)

        text = page.extract_text(visitor_text=visit)
        reach = 1 - min(lows) / height if lows else 0.0
        pages.append(((round(float(page.mediabox.width)), round(height)), text, reach))
    return pages


def _assert_printed_well(pages, size: tuple[int, int]) -> None:
    assert len(pages) > 1
    for number, (page_size, text, reach) in enumerate(pages, start=1):
        assert page_size == size
        assert f"page {number} of {len(pages)}" in text
        if number < len(pages):
            assert reach >= 1 - MOST_BLANK, f"page {number} is {1 - reach:.0%} blank"


@pytest.mark.browser
def test_pdf_is_paged_numbered_zipped_and_named(tmp_path):
    executable = chromium_path()
    out = tmp_path / "out"
    result = _cli(str(SAMPLES / "support"), "--out", str(out), "--no-profile", "--paper", "a4",
                  "--chromium", executable)
    assert result.exit_code == 0, result.output
    run_dir = next(p for p in (out / "support").iterdir() if not p.name.startswith(".") and p.name != "latest")
    pdf = run_dir / "briefing.pdf"
    assert f"Briefing PDF: {pdf}\n" in result.stdout
    assert "Warning: no Chromium" not in result.stderr and "could not print" not in result.stderr
    _assert_printed_well(_pages(pdf), A4)
    with zipfile.ZipFile(run_dir / "packet.zip") as archive:
        assert archive.read("briefing.pdf") == pdf.read_bytes()


@pytest.mark.browser
def test_pdf_paper_defaults_to_the_locale(tmp_path, monkeypatch):
    chromium_path()
    monkeypatch.setenv("LC_ALL", "en_CA.UTF-8")
    audit = readiness.audit(SAMPLES / "churn", out=tmp_path / "out", pdf=True, profile_enabled=False)
    assert audit.pdf_problem is None
    assert "size: letter;" in (audit.run_dir / "briefing.html").read_text(encoding="utf-8")  # printing it too
    _assert_printed_well(_pages(audit.run_dir / "briefing.pdf"), LETTER)


@pytest.mark.browser
def test_a_long_packet_prints_without_half_empty_pages(browser, tmp_path):
    """The hostile packet's 60-row dictionary and long findings break across pages."""
    data = _hostile_folder(tmp_path)
    document = run_audit(data, tmp_path / "out", profile_enabled=False, paper="letter")
    page = browser.new_page()
    try:
        page.goto((tmp_path / "out" / "hostile" / document["run_id"] / "briefing.html").as_uri())
        pdf = tmp_path / "hostile.pdf"
        pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    finally:
        page.close()
    _assert_printed_well(_pages(pdf), LETTER)


def test_no_chromium_anywhere_keeps_the_warning(no_browser, tmp_path):
    result = _cli(str(SAMPLES / "churn"), "--out", str(tmp_path / "out"), "--no-profile", "--pdf")
    assert result.exit_code == 0
    assert "Warning: no Chromium found for --pdf" in result.stderr
    assert "Briefing PDF" not in result.stdout
    latest = tmp_path / "out" / "churn" / "latest"
    assert not (latest / "briefing.pdf").exists()
    with zipfile.ZipFile(latest / "packet.zip") as archive:
        assert "briefing.pdf" not in archive.namelist()

