"""Hostile and broken media files (bombs, truncations, scripts, hostile names): every one ends ok,
rejected or skipped with a reason that quotes nothing of the file, the audit finishes, nothing in
the folder changes, and the packet neither runs markup nor shows the email address in a folder name."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_audit, snapshot
from tests.corpus.media import EMAIL_FOLDER, MARKER, build

# statuses the contract allows (3 is an internal error, a bug: hostile input must not cause one)
FINISHED = (0, 1, 2)


def _quoted(data: bytes, reason: str, width: int = 12) -> str | None:
    """A run of ``width`` printable characters of the file found in the reason, if any."""
    for run in re.findall(rb"[ -~]{%d,}" % width, data):
        text = run.decode("ascii")
        for start in range(len(text) - width + 1):
            if text[start:start + width] in reason:
                return text[start:start + width]
    return None


def test_hostile_media_end_ok_rejected_or_skipped_and_quote_nothing(tmp_path: Path) -> None:
    data = tmp_path / "corpus"
    expected = build(data)
    before = snapshot(data)
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    assert snapshot(data) == before, "the audit changed the client folder"
    got = {f["path"]: f for f in document["files"]}
    email_paths = [p for p in expected if p.startswith(EMAIL_FOLDER)]
    assert not any(EMAIL_FOLDER in path for path in got), "a folder name holding an email is shown as is"
    renamed = {p: f for p, f in got.items() if p.split("/", 1)[-1] in {q.split("/", 1)[1] for q in email_paths}
               and not p.startswith(("cat/", "<img"))}
    assert len(renamed) == len(email_paths), sorted(got)
    quoted = {}
    for path, allowed in expected.items():
        if path.startswith(EMAIL_FOLDER):
            continue
        entry = got[path]
        assert entry["status"] in allowed, (path, entry["status"], entry["reason"])
        if entry["status"] == "ok":
            continue
        reason = entry["reason"]
        assert reason and ";" in reason, f"{path}: the reason should say what is wrong and what to do: {reason!r}"
        assert "\n" not in reason
        found = _quoted((data / path).read_bytes(), reason)
        if found is not None or MARKER in reason:
            quoted[path] = reason
    assert not quoted, f"reasons quote the files' content: {quoted}"
    assert MARKER not in json.dumps(document)
    run_dir = tmp_path / "out" / "corpus" / document["run_id"]
    for name in ("briefing.html", "briefing.md", "briefing.txt"):
        text = (run_dir / name).read_text(encoding="utf-8")
        assert EMAIL_FOLDER not in text, f"{name} shows the email address of a folder name"
        assert MARKER not in text
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    # a class named like HTML is shown (files per class), escaped; decoded files are summed up, not listed
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(1)</script>.jpg" in {f["path"] for f in document["files"]}
    checks = {f["check"] for f in document["findings"]}
    assert "corrupt_file" in checks and "pdf_javascript" in checks


def test_hostile_media_through_the_cli_finish_quietly_without_a_traceback(tmp_path: Path) -> None:
    data = tmp_path / "corpus"
    build(data)
    result = subprocess.run([sys.executable, "-m", "readiness", "audit", str(data), "--out", str(tmp_path / "out"),
                             "--no-profile", "-q"], capture_output=True, text=True, timeout=600)
    assert result.returncode in FINISHED, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    # -q: nothing but errors; a decoder library's own warnings ("EOF marker not found") are no errors
    assert result.stderr == "" and result.stdout == "", result.stderr
    assert MARKER not in result.stderr + result.stdout and EMAIL_FOLDER not in result.stderr + result.stdout
    assert (tmp_path / "out" / "corpus" / "latest" / "briefing.html").is_file()


def test_corpus_is_small_and_cheap_to_make(tmp_path: Path) -> None:
    expected = build(tmp_path / "corpus")
    size = sum(p.stat().st_size for p in (tmp_path / "corpus").rglob("*") if p.is_file())
    assert len(expected) >= 25 and size < 2 * 1024**2
