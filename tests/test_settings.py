"""Settings: readiness.toml keys, wrong values, and the layering order."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from datetime import date

import pytest

from readiness.base.errors import ConfigError
from readiness.settings import (
    DEFAULT_WEIGHTS,
    SECTION_KEYS,
    TABLE_KEYS,
    TOP_KEYS,
    WAIVER_KEYS,
    Brief,
    Environment,
    LabelSettings,
    MediaSettings,
    PiiSettings,
    ProfileSettings,
    ReadLimits,
    ShareSettings,
    TableSettings,
    Thresholds,
    Waiver,
    build_settings,
    parse_config,
)


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
    ({"weights": {"privacy": -1}}, "key 'weights.privacy' must be a number from 0 to 1000"),
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


# --- unknown keys: all of them in one error ------------------------------------------------------------


def _config_error(toml_text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(tomllib.loads(toml_text), "x/readiness.toml")
    return str(caught.value)


def test_every_unknown_key_is_named_at_once_with_its_suggestion():
    text = _config_error(
        '[lable]\ncolumn = "y"\n'
        '[profile]\nsampel_rows = 5\n'
        '[thresholds]\nmin_row = 3\n'
        '[tables."orders.csv"]\nid_column = ["id"]\n'
        '[weights]\nprivcy = 1\n'
        '[share]\nhide_column = ["notes"]\n'
        '[limits]\nmax_file_gb = 1\n'
        '[project]\ndayrate = 600\n'
        '[pii]\ncolumn = ["notes"]\n'
        '[[waivers]]\nfinding = "f"\nreasn = "r"\n'
    )
    assert text == (
        "x/readiness.toml: keys 'lable' (did you mean label?), 'profile.sampel_rows' (did you mean sample_rows?), "
        "'thresholds.min_row' (did you mean min_rows?), 'tables.\"orders.csv\".id_column' (did you mean id_columns?), "
        "'weights.privcy' (did you mean privacy?), 'share.hide_column' (did you mean hide_columns?), "
        "'limits.max_file_gb' (did you mean max_file_mb?), 'project.dayrate' (did you mean day_rate?), "
        "'pii.column' (did you mean columns?) and 'waivers[1].reasn' (did you mean reason?) are not known settings; "
        "remove or rename them (see docs/configuration.md)"
    )
    assert "\n" not in text


def test_an_unknown_key_without_a_close_match_gets_no_suggestion_but_the_known_keys():
    text = _config_error('colour_scheme = "dark"\n[profile]\nsampel_rows = 5\nturbo = true\n')
    assert text == (
        "x/readiness.toml: keys 'colour_scheme', 'profile.sampel_rows' (did you mean sample_rows?) and "
        "'profile.turbo' are not known settings; remove or rename them; "
        "known keys at the top level: label, limits, media, name, pii, profile, project, share, suites_dir, tables, task, "
        "thresholds, waivers, weights; in profile: enabled, max_columns, max_tables, minimal, sample_rows, seed, words "
        "(see docs/configuration.md)"
    )
    assert "did you mean" not in text.replace("(did you mean sample_rows?)", "")
    assert "\n" not in text


def test_one_unknown_key_keeps_the_single_key_message_with_its_suggestion():
    assert _config_error("[thresholds]\nmin_row = 3\n") == (
        "x/readiness.toml: key 'thresholds.min_row' is not a known setting (did you mean min_rows?); remove or "
        "rename it; the known keys here are: date_min_fraction, drift_psi, grade_needs_work, grade_ready, min_rows, "
        "numeric_min_fraction (see docs/configuration.md)"
    )


def test_unknown_keys_come_before_wrong_values_and_wrong_values_still_stop_at_the_first():
    assert _config_error('[profile]\nsample_rows = "many"\nsample_row = 5\n').startswith(
        "x/readiness.toml: key 'profile.sample_row' is not a known setting (did you mean sample_rows?)")
    assert _config_error('[profile]\nsample_rows = "many"\nseed = "x"\n') == (
        "x/readiness.toml: key 'profile.sample_rows' must be a whole number of at least 1, not 'many'")
    assert _config_error('label = "y"\n') == "x/readiness.toml: key 'label' must be a table, not 'y'"


def test_unknown_keys_are_reported_from_the_file(tmp_path):
    (tmp_path / "readiness.toml").write_text("[lable]\n[profile]\nsampel_rows = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        build_settings(tmp_path, environ={})
    assert str(caught.value) == (
        f"{tmp_path / 'readiness.toml'}: keys 'lable' (did you mean label?) and 'profile.sampel_rows' "
        "(did you mean sample_rows?) are not known settings; remove or rename them (see docs/configuration.md)"
    )


def test_a_config_with_every_known_key_parses_and_every_key_is_read():
    limits = {key: value + 1 for key, value in vars(ReadLimits()).items()}
    media = {key: value + 1 for key, value in vars(MediaSettings()).items()}
    data = {
        "name": "n", "suites_dir": "suites", "task": "regression",
        "project": {"goal": "g", "task": "classification", "success_metric": "m", "timeline": "t",
                    "deliverables": ["a"], "labeling": "l", "data_access": "d", "budget": "b", "day_rate": 600,
                    "currency": "EUR", "owner": "o", "constraints": ["c"]},
        "label": {"column": "y", "table": "t.csv", "classes": ["a", "b"], "min_class_count": 5,
                  "max_imbalance_ratio": 3, "unlabeled_splits": ["test"], "after_outcome": ["refund"]},
        # formats, ranges and share.rename name columns: a column called like a setting is no unknown key
        "tables": {"t.csv": {"id_columns": ["id"], "date_columns": ["d"], "formats": {"lable": "email"},
                             "ranges": {"sampel_rows": [0, 1]}}},
        "profile": {"enabled": False, "sample_rows": 5, "seed": 1, "minimal": False, "max_columns": 3,
                    "words": True, "max_tables": 2},
        "thresholds": {"min_rows": 10, "date_min_fraction": 0.1, "numeric_min_fraction": 0.2, "grade_ready": 90,
                       "grade_needs_work": 50, "drift_psi": 0.3},
        "weights": dict.fromkeys(DEFAULT_WEIGHTS, 1.0),
        "pii": {"columns": ["notes"], "ignore": ["country"]},
        "share": {"hide_tables": ["x"], "hide_columns": ["y"], "rename": {"lable": "shown"}, "examples": False,
                  "thumbnails": True, "faces": True},
        "limits": limits,
        "media": media,
        "waivers": [{"finding": "f", "reason": "r", "expires": date(2027, 1, 31)}],
    }
    # the config uses every key the check knows, so a new key must be added here ...
    assert set(data) == TOP_KEYS
    for section, keys in SECTION_KEYS.items():
        assert set(data[section]) == keys, section
    assert set(data["tables"]["t.csv"]) == TABLE_KEYS
    assert set(data["waivers"][0]) == WAIVER_KEYS
    settings = parse_config(data, "x/readiness.toml")
    # ... and every key lands in the settings (none is known but silently ignored)
    for parsed, default in ((settings.brief, Brief()), (settings.label, LabelSettings()),
                            (settings.table("t.csv"), TableSettings()), (settings.profile, ProfileSettings()),
                            (settings.thresholds, Thresholds()), (settings.pii, PiiSettings()),
                            (settings.share, ShareSettings()), (settings.limits, ReadLimits()),
                            (settings.media, MediaSettings())):
        for item in fields(default):
            assert getattr(parsed, item.name) != getattr(default, item.name), (type(default).__name__, item.name)
    assert settings.weights == dict.fromkeys(DEFAULT_WEIGHTS, 1.0)
    assert settings.waivers == (Waiver("f", "r", date(2027, 1, 31)),)
    assert (settings.name, settings.suites_dir, settings.task) == ("n", "suites", "regression")
    assert settings.table("t.csv").formats == {"lable": "email"}
    assert settings.share.rename == {"lable": "shown"}


def test_environment_switches_are_read_in_one_place():
    assert Environment.from_environ({}) == Environment()
    switches = Environment.from_environ({
        "READINESS_PARALLEL": " Always ", "READINESS_OVERLAP": "never", "READINESS_DEBUG": "yes",
        "READINESS_OUT": "/srv/reports", "READINESS_CHROMIUM": "/opt/chromium", "CHROME_PATH": "/opt/chrome",
        "READINESS_NO_PROFILE": "1",
    })
    assert switches == Environment(parallel=True, overlap=False, debug=True, out="/srv/reports",
                                   chromium=("/opt/chromium", "/opt/chrome"), no_profile=True)
    # auto, an unknown word or empty: the size rule decides; the usual words for off are off
    for value in ("auto", "sometimes", ""):
        assert Environment.from_environ({"READINESS_PARALLEL": value}).parallel is None
    for value in ("", "0", "false", "No", " off "):
        assert not Environment.from_environ({"READINESS_DEBUG": value}).debug
    assert Environment.from_environ({"READINESS_NO_PROFILE": "0", "CHROME_PATH": ""}) == Environment()
