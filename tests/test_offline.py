"""Nothing leaves the machine: no socket is opened during a full audit, profiler included."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import SAMPLES, run_audit


@pytest.mark.slow
def test_full_audit_opens_no_connection(tmp_path, monkeypatch):
    monkeypatch.delenv("YDATA_PROFILING_NO_ANALYTICS", raising=False)
    monkeypatch.delenv("GX_ANALYTICS_ENABLED", raising=False)
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: attempts.append(a) or [])
    run_audit(SAMPLES / "churn", tmp_path / "out", profile_enabled=True)
    assert attempts == []
