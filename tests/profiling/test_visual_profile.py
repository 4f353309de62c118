"""The visual profile on the default path: tables it cannot draw, a profiler that fails, the cap on
how many tables get one, and the lighter charts of small tables."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from readiness.base import parallel
from readiness.base.errors import ConfigError
from readiness.ingest.model import Table
from readiness.profile import visual
from readiness.settings import environment, load_config
from tests.conftest import run_audit


def _shareable_bytes(run_dir):
    """Every byte outside internal/ (zip members are stored, the packet is checked elsewhere)."""
    return b"".join(p.read_bytes() for p in sorted(run_dir.rglob("*"))
                    if p.is_file() and "internal" not in p.relative_to(run_dir).parts)


def _profiles(run_dir):
    return sorted(p.name for p in (run_dir / "internal" / "profiles").iterdir())


def _visual(document):
    return {t["name"]: t["visual_profile"]["written"] for t in document["tables"]}


def test_tables_without_rows_get_no_profile_and_the_audit_completes(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "header_only.csv").write_text("id,amount,city\n", encoding="utf-8")
    (data / "small.csv").write_text("id,amount,city\n1,2.5,Leeds\n2,3.5,York\n3,1.0,Hull\n", encoding="utf-8")
    schema = pa.schema([("id", pa.int64()), ("name", pa.string())])
    pq.write_table(pa.Table.from_pylist([], schema=schema), data / "no_rows.parquet")
    document = run_audit(data, tmp_path / "out", profile_enabled=True)
    assert _visual(document) == {"header_only.csv": False, "no_rows.parquet": False, "small.csv": True}
    run_dir = tmp_path / "out" / "data" / document["run_id"]
    assert _profiles(run_dir) == ["header_only.csv.txt", "no_rows.parquet.txt", "small.csv.html"]
    note = (run_dir / "internal" / "profiles" / "header_only.csv.txt").read_text(encoding="utf-8")
    assert "no rows" in note


@pytest.mark.parametrize("parallel", ["auto", "never"])  # drawn in a forked child, and in-process
def test_a_profiler_failure_skips_that_table_only_and_its_error_stays_internal(tmp_path, monkeypatch, parallel):
    monkeypatch.setenv("READINESS_PARALLEL", parallel)
    data = tmp_path / "data"
    data.mkdir()
    (data / "good.csv").write_text("id,amount\n1,2.5\n2,3.5\n3,1.0\n", encoding="utf-8")
    (data / "bad.csv").write_text("id,amount\n1,9.5\n2,8.5\n", encoding="utf-8")
    drawn = visual.write_visual_profile

    def flaky(table, destination, settings):
        if table.name == "bad.csv":
            destination.write_text("half a profile", encoding="utf-8")  # a partial file is removed
            raise ValueError("cannot draw value 'SEEDED-SECRET-4242'")
        return drawn(table, destination, settings)

    monkeypatch.setattr(visual, "write_visual_profile", flaky)
    document = run_audit(data, tmp_path / "out", profile_enabled=True)
    assert _visual(document) == {"bad.csv": False, "good.csv": True}
    run_dir = tmp_path / "out" / "data" / document["run_id"]
    assert _profiles(run_dir) == ["bad.csv.txt", "good.csv.html"]
    note = (run_dir / "internal" / "profiles" / "bad.csv.txt").read_text(encoding="utf-8")
    assert "the profiler failed (ValueError" in note
    assert b"SEEDED-SECRET-4242" not in _shareable_bytes(run_dir)


def test_a_drawing_that_fails_as_a_whole_leaves_a_run_without_profiles(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("id,amount\n1,2.5\n2,3.5\n", encoding="utf-8")

    def out_of_memory(tables, folder, settings):
        raise MemoryError("the profiler ran out of memory")

    monkeypatch.setattr(visual, "write_visual_profiles", out_of_memory)
    document = run_audit(data, tmp_path / "out", profile_enabled=True)
    assert _visual(document) == {"a.csv": False}
    run_dir = tmp_path / "out" / "data" / document["run_id"]
    assert "the profiler stopped (MemoryError" in (run_dir / "internal" / "profiles" / "a.csv.txt").read_text()


def test_only_the_largest_tables_get_a_profile_past_max_tables(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "readiness.toml").write_text("[profile]\nmax_tables = 2\n", encoding="utf-8")
    (data / "tiny.csv").write_text("id,amount\n1,2.5\n", encoding="utf-8")
    (data / "wide.csv").write_text("id,a,b,c\n1,2,3,4\n2,3,4,5\n", encoding="utf-8")  # 8 cells
    (data / "long.csv").write_text("id,a\n" + "".join(f"{i},{i % 7}\n" for i in range(6)), encoding="utf-8")
    document = run_audit(data, tmp_path / "out", profile_enabled=True)
    assert _visual(document) == {"long.csv": True, "tiny.csv": False, "wide.csv": True}
    run_dir = tmp_path / "out" / "data" / document["run_id"]
    assert "[profile] max_tables" in (run_dir / "internal" / "profiles" / "tiny.csv.txt").read_text()


def _table(name, rows, columns):
    return Table(name, name, "csv", pd.DataFrame({f"c{i}": range(rows) for i in range(columns)}))


def test_chosen_tables_are_the_largest_by_cells_with_rows_and_columns():
    tables = [_table("a", 10, 2), _table("b", 0, 5), _table("c", 3, 9), _table("d", 20, 1),
              Table("e", "e", "csv", pd.DataFrame(index=range(50)))]
    assert visual.chosen_tables(tables, 50) == {0, 2, 3}  # no rows (b), no columns (e): none
    assert visual.chosen_tables(tables, 2) == {2, 0}  # 27 and 20 cells; d's 20 comes later
    assert visual.chosen_tables(tables, 1) == {2}


def test_small_tables_get_fewer_bins_and_no_length_charts():
    assert visual._charts(3) == {"plot": {"histogram": {"bins": 5}},
                                  "lengths": {"cat": {"length": False}, "text": {"length": False}}}
    assert visual._charts(400)["plot"]["histogram"]["bins"] == 20
    big = visual._charts(visual.SMALL_TABLE_ROWS)
    assert big["lengths"] == {"cat": {"length": True}, "text": {"length": True}}
    assert visual._charts(20_000)["plot"]["histogram"]["bins"] == 50  # the profiler's default


@pytest.mark.parametrize("value", ["0", "-1", "2.5", "\"many\""])
def test_max_tables_must_be_a_whole_number_of_at_least_one(tmp_path, value):
    config = tmp_path / "readiness.toml"
    config.write_text(f"[profile]\nmax_tables = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="profile.max_tables"):
        load_config(config)


def test_profiles_are_drawn_aside_unless_told_not_to(monkeypatch):
    monkeypatch.delenv("READINESS_PARALLEL", raising=False)
    assert parallel.draw_aside(choice=environment.current().parallel)  # any size: the parent never needs the profiler
    monkeypatch.setenv("READINESS_PARALLEL", "never")
    assert not parallel.draw_aside(choice=environment.current().parallel)
