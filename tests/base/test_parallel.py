"""Stages in forked children: results and errors come back as if run in-process."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from readiness.base import parallel
from readiness.base.errors import ConfigError
from readiness.settings import environment


def _pid_and_sum(values):
    return os.getpid(), sum(values)


def _bad_suite():
    raise ConfigError("expectations/t.json: expectation 1 is not valid; fix the suite")


def test_result_comes_from_a_child():
    pid, total = parallel.Background(_pid_and_sum, [1, 2, 3]).result()
    assert total == 6 and pid != os.getpid()


def test_error_in_the_child_is_raised_in_the_parent():
    with pytest.raises(ConfigError, match="fix the suite"):
        parallel.Background(_bad_suite).result()


def test_without_fork_it_runs_in_process():
    pid, total = parallel.Background(_pid_and_sum, [4], fork=False).result()
    assert (pid, total) == (os.getpid(), 4)


def _in_pool_worker(_):
    return parallel.Background(_pid_and_sum, [5]).result()[1]


def test_works_inside_a_daemonic_pool_worker():
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map(_in_pool_worker, [0]) == [5]


def choice():
    return environment.current().parallel


def overlap():
    return environment.current().overlap


def test_size_rule_and_override(monkeypatch):
    monkeypatch.delenv("READINESS_PARALLEL", raising=False)
    assert not parallel.worth_forking(1000, choice=choice()) and parallel.worth_forking(parallel.PARALLEL_CELLS, choice=choice())
    monkeypatch.setenv("READINESS_PARALLEL", "never")
    assert not parallel.worth_forking(10**9, choice=choice())
    monkeypatch.setenv("READINESS_PARALLEL", "always")
    assert parallel.worth_forking(1, choice=choice())


def test_memory_bound_rule_and_override(monkeypatch):
    monkeypatch.delenv("READINESS_OVERLAP", raising=False)
    assert not parallel.memory_bound(10**6, choice=overlap()) and parallel.memory_bound(parallel.MEMORY_BOUND_CELLS, choice=overlap())
    monkeypatch.setenv("READINESS_OVERLAP", "never")
    assert parallel.memory_bound(1, choice=overlap())
    monkeypatch.setenv("READINESS_OVERLAP", "always")
    assert not parallel.memory_bound(10**12, choice=overlap())


def test_validation_after_the_ml_checks_gives_the_same_document(tmp_path, monkeypatch):
    from pathlib import Path

    from tests.conftest import run_audit

    sample = Path(__file__).resolve().parents[2] / "sample_data" / "support"
    monkeypatch.setenv("READINESS_PARALLEL", "always")
    documents = []
    for overlap in ("always", "never"):
        monkeypatch.setenv("READINESS_OVERLAP", overlap)
        document = run_audit(sample, tmp_path / overlap, now="2026-11-22", profile_enabled=False)
        documents.append({k: v for k, v in document.items() if k not in ("run_id", "started_at", "finished_at")})
    assert documents[0] == documents[1] and documents[0]["validation"]


_READY: list[int] = []


def _get_ready():
    _READY.append(os.getpid())


def _pid_ready_and_sum(base, extra):
    return os.getpid(), list(_READY), sum(base) + extra


def test_deferred_child_gets_ready_first_and_its_input_later():
    _READY.clear()
    waiting = parallel.Deferred(_get_ready, _pid_ready_and_sum, [1, 2], fork=True)
    waiting.start(10)  # the rest of the input, made after the fork
    pid, ready_in, total = waiting.result()
    assert total == 13 and pid != os.getpid() and ready_in == [pid] and _READY == []


def test_deferred_child_errors_come_back_and_cancel_before_start_ends_it():
    waiting = parallel.Deferred(_get_ready, lambda: _bad_suite())
    waiting.start()
    with pytest.raises(ConfigError, match="fix the suite"):
        waiting.result()
    idle = parallel.Deferred(_get_ready, _pid_ready_and_sum, [1])
    assert idle._child is not None
    pid = idle._child.pid
    idle.cancel()  # never started: the child is gone, nothing waits on it
    assert idle._child.status is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_deferred_without_fork_runs_in_process():
    waiting = parallel.Deferred(_get_ready, _pid_ready_and_sum, [4], fork=False)
    waiting.start(1)
    assert waiting.result()[0::2] == (os.getpid(), 5)
