"""Nothing leaves the machine: no socket is opened during a full audit, profiler included."""

from __future__ import annotations

import gc
import socket

import pytest

from tests.conftest import SAMPLES, run_audit


@pytest.mark.slow
def test_full_audit_opens_no_connection(tmp_path, monkeypatch):
    monkeypatch.delenv("YDATA_PROFILING_NO_ANALYTICS", raising=False)
    monkeypatch.delenv("GX_ANALYTICS_ENABLED", raising=False)
    monkeypatch.setenv("READINESS_PARALLEL", "always")  # GX and the profiler in their forked children
    # GX and the profiler run in forked children: attempts go to a file every process appends to
    log = tmp_path / "attempts.log"

    def note(what):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{what!r}\n")

    def refuse(self, address, *args, **kwargs):
        note(address)
        raise OSError("network disabled in tests")

    gc.collect()  # finalizers of objects earlier tests left (a JVM gateway's proxies) run before the patch counts
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: note(a) or [])
    document = run_audit(SAMPLES / "churn", tmp_path / "out", profile_enabled=True)
    assert list((tmp_path / "out").glob("*/*/internal/profiles/*.html")), "the profile ran (in its child)"
    assert document["validation"]["evaluated"] > 0, "GX ran (in its child)"
    assert not log.exists(), log.read_text(encoding="utf-8")
