"""The seeded personal-data proof: 50+ kinds in 7 placements, and not one byte of them outside internal/.

The dataset comes from tests/seeded_pii.py (valid values, one placement each). It is audited on the
default path (visual profile on) through the API and through the CLI (human summary and --json);
then every shareable byte is grepped: each file of each run folder outside internal/, every
packet.zip member, every file name, and the terminal output. A failure prints the leak table:
kind x placement -> how many of how many values, and the files and forms they were found in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import readiness
from readiness.report.document import validate_document
from tests import seeded_pii as sp
from tests.conftest import REPO

ARTIFACTS = REPO / "test-artifacts"


@dataclass(frozen=True)
class Audited:
    planted: sp.Planted
    document: dict
    runs: list[Path]  # the API run and the two CLI runs
    terminal: list[tuple[str, str]]  # (where, text) of every stdout and stderr


def _cli(data: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("READINESS_NO_PROFILE", "READINESS_DEBUG")}
    return subprocess.Popen([sys.executable, "-m", "readiness", "audit", str(data), "--out", str(out), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Audited:
    base = tmp_path_factory.mktemp("seeded")
    planted = sp.build(base / "data")
    # the API run takes the default path (visual profile on); the CLI runs skip the profile to keep
    # this test near a minute: they are here for the terminal output and the CLI's own writing
    # (they run beside the API audit, so the wall time is the slowest of the three on an idle machine)
    procs = {"audit": _cli(planted.root, base / "cli", "--no-profile"),
             "audit --json": _cli(planted.root, base / "cli-json", "--json", "--label", "label", "--no-profile")}
    try:
        result = readiness.audit(planted.root, out=base / "api", profile_enabled=True, label="label")
        outputs = {name: proc.communicate(timeout=600) for name, proc in procs.items()}
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
    terminal = [(f"terminal: {name} {stream}", text.decode("utf-8", errors="replace"))
                for name, pair in outputs.items() for stream, text in zip(("stdout", "stderr"), pair, strict=True)]
    for name, proc in procs.items():
        assert proc.returncode == 0, f"{name} exited {proc.returncode}: {outputs[name][1].decode(errors='replace')[-2000:]}"
    runs = [result.run_dir] + [next(p for p in (base / out).glob("*/*") if p.is_dir() and not p.is_symlink()
                                    and not p.name.startswith("."))
                               for out in ("cli", "cli-json")]
    return Audited(planted, result.result, runs, terminal)


def test_the_generator_makes_valid_values_of_enough_kinds(tmp_path: Path) -> None:
    planted = sp.build(tmp_path / "data")
    kinds = {s.kind for s in planted.seeds}
    free_text = {s.kind for s in planted.seeds if s.placement == "free_text" and not s.known_limit}
    assert len(free_text) >= 40, sorted(free_text)
    assert {s.placement for s in planted.seeds} == set(sp.PLACEMENTS)
    groups: dict[str, set[tuple[str, str]]] = {}
    for s in planted.seeds:
        groups.setdefault(s.value, set()).add((s.kind, s.placement))
    twice = {v: g for v, g in groups.items() if len(g) > 1}
    assert not twice, f"a value planted in two places could not say where it leaked: {twice}"
    for s in planted.seeds:
        digits = "".join(c for c in s.value if c.isdigit())
        if s.kind.startswith("card"):
            assert luhn(digits), s
        if s.kind.startswith("iban"):
            assert sp.iban_valid(s.value), s
        if s.kind.startswith("in_aadhaar"):
            assert len(digits) == 12 and sp.verhoeff_valid(digits), s
        if s.kind.startswith("de_tax_id"):
            assert sp.de_tax_id_valid(digits), s
    assert "iban_lower" in kinds and any(s.value.islower() for s in planted.seeds if s.kind == "iban_lower")
    assert not sp.verhoeff_valid("234567890123") or not sp.verhoeff_valid("234567890124")
    assert not sp.de_tax_id_valid("12345678901")  # every digit once: not a tax id


def luhn(digits: str) -> bool:
    return len(digits) >= 12 and sp.luhn_valid(digits)


def test_the_scan_finds_escaped_values_and_secret_pieces_and_skips_internal(tmp_path: Path) -> None:
    """The grep itself can fail: planted forms in a fake run folder are found, internal/ is not read."""
    planted = sp.build(tmp_path / "data")
    by_kind = {s.kind: s for s in planted.seeds if s.placement == "free_text"}
    email, card, pem, iban = (by_kind[k] for k in ("email", "card_dot", "pem_private_key_rsa", "iban_spaced"))
    run = tmp_path / "run"
    (run / "internal").mkdir(parents=True)
    (run / "readiness.json").write_text(json.dumps({"example": email.value.upper()}))
    (run / "briefing.html").write_text("<p>card " + card.value.replace(".", "") + "</p>")
    (run / "internal" / "profile.html").write_text(iban.value)
    with zipfile.ZipFile(run / "packet.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("briefing.md", "key piece: xx" + pem.secret[3][10:18] + "yy")
    scanner = sp.Scanner(planted.seeds)
    hits = sp.scan_all(scanner, sp.shareable_texts(run))
    found = {(planted.seeds[h.seed].value, h.file) for h in hits}
    assert found == {(email.value, "run/readiness.json"), (card.value, "run/briefing.html"),
                     (pem.value, "run/packet.zip!briefing.md")}, found
    report = sp.format_table(sp.leak_table(planted.seeds, hits))
    assert "email " in report and "pem_private_key_rsa" in report and "iban" not in report, report


def test_the_audit_read_every_planted_file(audited: Audited) -> None:
    document = audited.document
    validate_document(document)
    statuses = [f["status"] for f in document["files"]]
    assert statuses.count("ok") == len(audited.planted.files), document["files"]
    assert len(statuses) == len(audited.planted.files) + len(audited.planted.other_files), document["files"]
    assert len(document["tables"]) == audited.planted.tables, [t["name"] for t in document["tables"]]
    label = document["label"]
    assert (label["table"], label["column"], label["labeled"]) == ("labels.csv", "label", 80 + 3 * 7), label
    rows = sorted(t["rows"] for t in document["tables"])
    assert max(rows) >= 150, rows  # the notes table, one sentence per row


def test_the_packet_shows_plain_text_examples(audited: Audited) -> None:
    """Else the free-text half of the proof is empty: a packet that shows no text hides no leak either."""
    shown = "\n".join(text for _, text in sp.shareable_texts(audited.runs[0]))
    assert any(sentence in shown for sentence in sp.CANARY), "no example of messages.csv:m00 in the packet"


def _shown(audited: Audited) -> dict[str, int]:
    """How many messages.csv and replies.csv values the packet shows as (masked) examples, not withheld."""
    shown = {f"{t['name']}:{c['name']}" for t in audited.document["tables"] for c in t["columns"] if c.get("examples")}
    seeds = [s for s in audited.planted.seeds if s.where.split(":")[0] in ("messages.csv", "replies.csv")]
    return {"shown": sum(s.where in shown for s in seeds), "of": len(seeds)}


def test_no_seeded_value_reaches_a_shareable_byte(audited: Audited) -> None:
    planted = audited.planted
    scanner = sp.Scanner(planted.seeds)
    texts = [pair for run in audited.runs for pair in sp.shareable_texts(run)] + audited.terminal
    assert sum(len(t) for _, t in texts) > 10_000, "nothing was written to scan"
    hits = sp.scan_all(scanner, texts)
    table = sp.leak_table(planted.seeds, hits)
    failing = {k: v for k, v in table.items() if not v["known_limit"]}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "privacy-seeded.json").write_text(json.dumps({
        "kinds": len({s.kind for s in planted.seeds}),
        "free_text_kinds": len({s.kind for s in planted.seeds if s.placement == "free_text"}),
        "placements": len({s.placement for s in planted.seeds}),
        "values": len(planted.seeds),
        "leaked_values": sum(int(str(v["leaked"])) for v in failing.values()),
        "messages_values_shown": _shown(audited),
        "leaks": [{"kind": k, "placement": p, **v} for (k, p), v in sorted(table.items())],
    }, indent=2))
    assert not failing, (f"{sum(int(str(v['leaked'])) for v in failing.values())} of {len(planted.seeds)} seeded "
                         f"values reached a shareable byte:\n" + sp.format_table(failing))
