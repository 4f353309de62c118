"""The fast paths a folder of many tiny tables takes give exactly the answers of the general paths."""

from __future__ import annotations

import json
import random
import re

import numpy as np
import pandas as pd
import pytest

from readiness.base import files
from readiness.history import runs
from readiness.ingest import columns
from readiness.profile import counts, infer
from readiness.profile.pii import names as person_names

TEXT = pd.StringDtype("pyarrow")


def _plain_json(depth: int = 0) -> object:
    r = random.random()
    if depth > 3 or r < 0.4:
        return random.choice([None, True, False, random.randint(-10**20, 10**20), random.random() * 10.0 ** random.randint(-30, 30),
                              float("nan"), float("inf"), "", "é\n\"\\\u2028", "\ud800"])
    if r < 0.7:
        return [_plain_json(depth + 1) for _ in range(random.randint(0, 3))]
    return {random.choice(["a", "ü", "1"]) + str(i): _plain_json(depth + 1) for i in range(random.randint(0, 3))}


def _finite(value):
    """``value`` as JSON can hold it: NaN and infinity are null."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def _layout(text: str) -> list[str]:
    """Each line's indent and structure, numbers left out (orjson writes 1e16 where json writes 1e+16)."""
    return [re.sub(r"-?\d[\d.eE+-]*", "0", line) for line in text.splitlines()]


def test_dumps_indented_is_json_dumps() -> None:
    random.seed(7)
    cases = [{}, [], {1: 2, 2.5: 1, False: 0, None: 1, "k": [[], {}]}, (1, (2,)), -0.0, 1e16, 10**30, 1e-7,
             {"a": [1.5, 2, "x"], "b": {"c": None}}] + [_plain_json() for _ in range(500)]
    for case in cases:
        text = files.dumps_indented(case)
        expected = json.dumps(_finite(case), indent=2, ensure_ascii=False)
        assert json.loads(text) == json.loads(expected)  # the same values
        assert _layout(text) == _layout(expected)  # the same lines and indents
    assert files.dumps_indented({"a": [1, "é"], "b": {}}) == json.dumps({"a": [1, "é"], "b": {}}, indent=2, ensure_ascii=False)
    assert files.dumps_indented([float("nan")]) == "[\n  null\n]"  # JSON has no NaN
    assert files.dumps_indented({"s": "\ud800", "n": 10**30}) == json.dumps({"s": "\ud800", "n": 10**30}, indent=2,
                                                                           ensure_ascii=False)  # orjson refuses both
    with pytest.raises(TypeError):  # what json does with a type it cannot write
        files.dumps_indented({"a": object()})


def test_unsynced_files_are_flushed_when_the_run_is_published(tmp_path) -> None:
    folder = runs.RunFolder(tmp_path, "many", runs.new_run_id(files.utc_now()))
    for i in range(3):
        files.write_json(folder.internal / "suites" / f"t{i}.json", {"i": i}, durable=False)
    assert any(p.is_relative_to(folder.staging) for p in files._UNSYNCED)
    final = folder.publish("2026-01-01T00:00:00.000000Z")
    assert not any(p.is_relative_to(folder.staging) for p in files._UNSYNCED)
    assert json.loads((final / "internal" / "suites" / "t2.json").read_text(encoding="utf-8")) == {"i": 2}


def test_person_name_share_few_values_as_arrow_decides() -> None:
    random.seed(3)
    words = ["John", "Mary", "Smith", "van", "de", "Inc", "ACME", "O'Brien", "Jean-Luc", "J.", "(Bob)", "Anna,", "x1", "JOHN",
             "A'BC'DE"]
    separators = [" ", "  ", "\t", ", ", "-", "\n", "\x0b", "\x1f"]
    for trial in range(400):
        values = list({random.choice(separators).join(random.choice(words) for _ in range(random.randint(1, 4)))[:30]
                       for _ in range(random.randint(1, 10))})
        texts = pd.Series(values, dtype=TEXT if trial % 2 else object)
        weights = np.array([random.randint(1, 5) for _ in values])
        assert person_names._few_ascii(texts) is not None
        fast = person_names.person_name_share(texts, weights)
        arrow = person_names.person_name_share(pd.Series(values * (person_names.FEW_NAMES // len(values) + 1), dtype=object),
                                       np.tile(weights, person_names.FEW_NAMES // len(values) + 1))
        assert fast == pytest.approx(arrow, abs=1e-12), values


def test_few_numbers_parse_as_infer_does() -> None:
    pool = ["1", "-0", "007", " 12 ", "1e5", ".5", "inf", "nan", "", "abc", "1,000", "1_000", "12345678901234567890",
            "18446744073709551615", "+3", "١٢", "123456789012345", "1234567890123456", "1e400", "\u3000 7", "True"]
    random.seed(4)
    for trial in range(300):
        values = list(dict.fromkeys(random.choice(pool) for _ in range(random.randint(1, 8))))
        series = pd.Series(values, dtype=TEXT if trial % 2 else object)
        assert np.array_equal(counts._few_numbers(series), infer.numeric_values(series).to_numpy(), equal_nan=True)


def test_normalise_frame_copies_and_normalises() -> None:
    frame = pd.DataFrame({0: pd.array(["a", " NA ", "", None, "x"], dtype=TEXT), 1: [1, 2, 3, 4, 5],
                          2: pd.Categorical(["u", "v", "u", "n/a", "v"])}, index=[5, 6, 7, 8, 9])
    out = columns.normalise_frame(frame)
    assert list(out.columns) == ["0", "1", "2"] and list(out.index) == [0, 1, 2, 3, 4]
    assert out["0"].isna().tolist() == [False, True, True, True, False]
    assert out["2"].isna().tolist() == [False, False, False, True, False]
    out.iloc[0, 1] = 9
    assert frame.iloc[0, 1] == 1  # the frame read is not shared
    assert len(columns.normalise_frame(pd.DataFrame(index=range(4)))) == 4
