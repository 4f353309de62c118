"""Stages in forked children: results and errors come back as if run in-process."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from readiness import parallel
from readiness.errors import ConfigError


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


def test_size_rule_and_override(monkeypatch):
    monkeypatch.delenv("READINESS_PARALLEL", raising=False)
    assert not parallel.worth_forking(1000) and parallel.worth_forking(parallel.PARALLEL_CELLS)
    monkeypatch.setenv("READINESS_PARALLEL", "never")
    assert not parallel.worth_forking(10**9)
    monkeypatch.setenv("READINESS_PARALLEL", "always")
    assert parallel.worth_forking(1)
