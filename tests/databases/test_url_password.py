"""A password libpq and we could split differently (a raw ``@``, ``/``, ``?``, ``#`` in it) is
refused before any connection, in one line that names no part of it; the same password
percent-encoded connects; and every piece of a password is scrubbed from a message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.ingest import database
from readiness.settings import ReadLimits
from tests.databases.pgserver import Server

PASSWORD = "Zq9x@secretAT"  # noqa: S105 - a throw-away server's
PIECES = ("Zq9x", "secretAT")


def _cli(url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "readiness", "audit", url, "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120, env={**os.environ, "NO_COLOR": "1"})


@pytest.mark.parametrize("password", [PASSWORD, "Zq9x?secretAT", "Zq9x/secretAT", "Zq9x#secretAT", "Zq9x[secretAT",
                                      "Zq9x\tsecretAT", "Zq9x@secretAT@more",
                                      # a raw / before # or ?, an @ before ?: found by a tester after the first fix
                                      "Zq9x/secretAT#more", "Zq9x/secretAT?more", "Zq9x@secretAT?more"])
def test_an_ambiguous_password_is_refused_without_a_piece_of_it(postgres: Server, tmp_path: Path,
                                                                password: str) -> None:
    done = _cli(f"postgresql://postgres:{password}@127.0.0.1:{postgres.port}/postgres", tmp_path)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error: postgresql://: ") and "@ as %40" in lines[0]
    for piece in PIECES:
        assert piece not in done.stderr + done.stdout
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("readiness.json"))


def test_the_same_password_percent_encoded_connects(postgres: Server) -> None:
    postgres.psql(f"CREATE ROLE at_user LOGIN SUPERUSER PASSWORD '{PASSWORD}';")
    source = database.parse(f"postgresql://at_user:Zq9x%40secretAT@127.0.0.1:{postgres.port}/postgres")
    assert source.shown == f"postgresql://at_user@127.0.0.1:{postgres.port}/postgres"
    database.check(source, ReadLimits())  # connects: the password reached libpq whole
    wrong = database.parse(f"postgresql://at_user:Zq9x%40secretAX@127.0.0.1:{postgres.port}/postgres")
    with pytest.raises(Exception, match="password authentication failed") as failed:
        database.check(wrong, ReadLimits())
    assert "Zq9x" not in str(failed.value) and "secretAX" not in str(failed.value)


@pytest.mark.parametrize(("url", "message", "left"), [
    ("postgresql://me:Zq9x%40secretAT@h/db", 'no host "secretAT@h", user "Zq9x"', 'no host "***@h", user "***"'),
    ("postgresql://me:abc:defgh%2Fijkl@h/db", "saw defgh and ijkl, abc:defgh/ijkl", "saw *** and ***, ***"),
    ("postgresql://me:ab:cdefg@h/db", "about cdefg, ab:cdefg", "about ***, ***"),  # a 2-letter piece stays
])
def test_every_piece_of_the_password_is_scrubbed(url: str, message: str, left: str) -> None:
    assert database.parse(url).scrub(message) == left


def test_a_short_password_is_scrubbed_where_it_stands_alone_not_inside_words() -> None:
    """Starred inside words (``***arameter``), a one-letter password would show itself."""
    source = database.parse("postgresql://u:p@h/db")
    assert source.scrub("invalid parameter p; password p accepted") == "invalid parameter ***; password *** accepted"
