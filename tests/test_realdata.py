"""Every real-data corpus table read as its hand-written truth says (tests/realdata/truth/*.toml).

Each package folder is audited once; each table is its own test. ``make realdata`` prints the
same comparison as a confusion table (tests/realdata/report.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_audit
from tests.realdata.build import build, load_truths
from tests.realdata.judge import judge

TRUTHS = load_truths()
CASES = [pytest.param(package, truth, id=f"{package}/{truth.name}")
         for package, tables in TRUTHS.items() for truth in tables]


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """package -> its readiness.json, audited on first use (one audit per package folder)."""
    corpus = tmp_path_factory.mktemp("realdata")
    folders = build(corpus, truths=TRUTHS)
    documents: dict[str, dict[str, Any]] = {}

    def document(package: str) -> dict[str, Any]:
        if package not in documents:
            documents[package] = run_audit(folders[package], Path(tmp_path_factory.mktemp("out")), profile_enabled=False)
        return documents[package]

    return document


def test_the_corpus_is_large_enough():
    assert sum(len(tables) for tables in TRUTHS.values()) >= 110
    assert {t.format for tables in TRUTHS.values() for t in tables} >= {"csv", "tsv", "parquet", "xlsx", "json", "jsonl"}


@pytest.mark.parametrize(("package", "truth"), CASES)
def test_table_reads_as_its_truth(audited, package, truth):
    verdict = judge(truth, audited(package))
    assert verdict.ok, f"{package}/{truth.name} ({truth.notes}):\n" + "\n".join(
        f"  {p.aspect}: {p.message}" for p in verdict.problems)
