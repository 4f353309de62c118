"""The label found without config: named like one, beside free text, or the table's last column of few values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from readiness.cli.app import app
from readiness.ingest.model import Table
from readiness.ingest.walk import ingest
from readiness.profile import labels
from readiness.settings import build_settings
from tests.conftest import run_audit

RNG = np.random.default_rng(7)
WORDS = ["order", "late", "refund", "please", "box", "broken", "help", "account", "card", "thanks", "where", "is"]


def table(frame: pd.DataFrame, name: str = "t.csv") -> Table:
    folder_frame = frame.astype("string[pyarrow]")  # as a CSV is read: every column text
    return Table(name=name, source=name, format="csv", frame=folder_frame)


def sentences(n: int) -> list[str]:
    return [" ".join(RNG.choice(WORDS, 8)) + f" #{i}" for i in range(n)]


def guess_of(frame: pd.DataFrame):
    return labels.guess((table(frame),))


def test_a_column_named_like_a_label_is_the_sure_guess():
    frame = pd.DataFrame({"ticket": range(300), "text": sentences(300), "intent": RNG.choice(["a", "b"], 300)})
    assert guess_of(frame)[:2] == ("intent", "a name labels often have")
    frame = pd.DataFrame({"x": range(300), "target": RNG.choice(["a", "b"], 300), "y2": range(300)})
    assert guess_of(frame)[:2] == ("target", "named like a label")
    frame = pd.DataFrame({"x": range(300), "true_label": RNG.choice(["a", "b"], 300)})
    assert guess_of(frame)[0] == "true_label"


def test_the_one_column_of_few_values_beside_free_text():
    frame = pd.DataFrame({"body": sentences(400), "team": RNG.choice(["billing", "tech", "sales"], 400),
                          "opened": [f"2024-01-{1 + i % 28:02d}" for i in range(400)]})
    column, why, _ = guess_of(frame)
    assert column == "team" and "beside free text" in why


def test_several_candidates_guess_nothing_and_list_them():
    frame = pd.DataFrame({"body": sentences(400), "team": RNG.choice(["billing", "tech"], 400),
                          "channel": RNG.choice(["mail", "phone", "chat"], 400)})
    column, why, candidates = guess_of(frame)
    assert column is None and why is None and set(candidates) == {"team", "channel"}


def test_class_codes_in_the_last_column_of_a_numeric_table():
    frame = pd.DataFrame({f"m{i}": RNG.normal(5, 1, 150).round(2) for i in range(4)})
    frame["column_5"] = np.repeat([0, 1, 2], 50)
    assert guess_of(frame)[0] == "column_5"
    # a last column of counts is no class code
    frame["column_5"] = RNG.integers(100, 110, 150)
    assert guess_of(frame)[0] is None


def test_econometric_dummies_are_candidates_not_a_label():
    frame = pd.DataFrame({"wage": RNG.normal(20, 4, 500).round(2), "female": RNG.integers(0, 2, 500),
                          "married": RNG.integers(0, 2, 500), "south": RNG.integers(0, 2, 500)})
    column, _, candidates = guess_of(frame)
    assert column is None and candidates[0] == "south"


def test_a_personal_data_name_or_an_id_is_never_guessed():
    frame = pd.DataFrame({"body": sentences(300), "email": RNG.choice(["a@x.io", "b@y.io"], 300),
                          "class_id": RNG.choice(["1", "2"], 300)})
    assert guess_of(frame)[0] is None


def write(folder, frame, name="data.csv"):
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / name, index=False)
    return folder


def test_resolve_uses_the_guess_on_every_split_and_frames_text_tasks(tmp_path):
    data = tmp_path / "d"
    for split in ("train", "test"):
        write(data, pd.DataFrame({"review": sentences(200), "sentiment": RNG.choice(["pos", "neg"], 200)}),
              f"{split}.csv")
    target = labels.resolve(ingest(data).tables, build_settings(data, None))
    assert target.column == "sentiment" and set(target.tables) == {"train.csv", "test.csv"}
    assert target.task == "text-classification" and target.guessed
    assert labels.guess_json(target)["notice"].startswith("label guessed: sentiment (")
    declared = labels.resolve(ingest(data).tables, build_settings(data, None, label="sentiment"))
    assert not declared.guessed and labels.guess_json(declared) is None
    none = labels.resolve(ingest(data).tables, build_settings(data, None, task="unsupervised"))
    assert none.column is None and none.task == "unsupervised"


def test_zero_config_audit_records_the_guess_and_the_packet_says_so(tmp_path):
    data = write(tmp_path / "d", pd.DataFrame({"body": sentences(300), "<b>team</b>": RNG.choice(["x", "y"], 300)}))
    document = run_audit(data, tmp_path / "out", profile_enabled=False)
    assert document["label"]["column"] == "<b>team</b>"
    assert document["label_guess"]["why"].startswith("the one column of few values")
    html = next((tmp_path / "out" / "d").glob("2*/briefing.html")).read_text(encoding="utf-8")
    assert "Label guessed: &lt;b&gt;team&lt;/b&gt;" in html and "<b>team</b>" not in html


@pytest.mark.parametrize("sure", [True, False])
def test_init_writes_the_same_guess(tmp_path, sure):
    frame = pd.DataFrame({"body": sentences(200), "team": RNG.choice(["a", "b"], 200)})
    if not sure:
        frame["channel"] = RNG.choice(["mail", "chat"], 200)
    data = write(tmp_path / "d", frame)
    result = CliRunner().invoke(app, ["init", str(data)])
    assert result.exit_code == 0, result.output
    config = (data / "readiness.toml").read_text(encoding="utf-8")
    if sure:
        assert 'column = "team"  # guessed: the one column of few values' in config
        assert build_settings(data, None).label.column == "team"
    else:
        assert '# column = "channel"  # no sure label; candidates: "channel", "team"' in config
        assert build_settings(data, None).label.column is None


def test_a_split_column_is_never_guessed_as_the_label():
    import pandas as pd

    from readiness.ingest.model import Table
    from readiness.profile.labels import guess

    frame = pd.DataFrame({"image": [f"{n}.png" for n in range(40)], "split": ["train"] * 30 + ["test"] * 10})
    column, _, candidates = guess((Table("splits.csv", "splits.csv", "csv", frame),))
    assert column is None and "split" not in candidates
