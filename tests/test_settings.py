"""Settings: readiness.toml keys, wrong values, and the layering order."""

from __future__ import annotations

import pytest

from readiness.errors import ConfigError
from readiness.settings import build_settings, parse_config


def test_full_config_parses():
    settings = parse_config({
        "project": {"goal": "g", "task": "classification", "deliverables": ["a"]},
        "label": {"column": "y", "classes": ["a", "b"], "min_class_count": 5},
        "tables": {"t.csv": {"id_columns": ["id"], "formats": {"e": "email", "code": "regex:^[A-Z]+$"},
                             "ranges": {"age": [0, 120], "amount": [0, ""]}}},
        "weights": {"privacy": 0.5},
        "pii": {"columns": ["notes"], "ignore": ["country"]},
    })
    assert settings.label.classes == ("a", "b")
    assert settings.table("t.csv").ranges["amount"] == (0, None)
    assert settings.weights["privacy"] == 0.5


@pytest.mark.parametrize(("data", "message"), [
    ({"labels": {}}, "key 'labels' is not a known setting"),
    ({"label": {"colum": "y"}}, "key 'label.colum' is not a known setting"),
    ({"label": {"min_class_count": "5"}}, "key 'label.min_class_count' must be a whole number"),
    ({"weights": {"privacy": -1}}, "key 'weights.privacy' must be a number of at least 0"),
    ({"tables": {"t.csv": {"formats": {"d": "dates"}}}}, "formats.d' must be one of"),
    ({"tables": {"t.csv": {"formats": {"d": "regex:(["}}}}, "invalid regex"),
    ({"task": "clustering"}, "must be one of classification"),
    ({"thresholds": {"date_min_fraction": 2}}, "must be a number from 0 to 1"),
])
def test_wrong_keys_and_values_name_the_key(data, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_config(data, "x/readiness.toml")


def test_layers_defaults_file_environment_options(tmp_path):
    (tmp_path / "readiness.toml").write_text('[label]\ncolumn = "from_file"\n[profile]\nenabled = true\n',
                                             encoding="utf-8")
    settings = build_settings(tmp_path, environ={})
    assert settings.label.column == "from_file" and settings.profile.enabled
    settings = build_settings(tmp_path, environ={"READINESS_NO_PROFILE": "1"})
    assert not settings.profile.enabled
    settings = build_settings(tmp_path, label="from_option", profile=True, environ={"READINESS_NO_PROFILE": "1"})
    assert settings.label.column == "from_option" and settings.profile.enabled


def test_invalid_toml_is_a_config_error(tmp_path):
    (tmp_path / "readiness.toml").write_text("[label\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        build_settings(tmp_path, environ={})
