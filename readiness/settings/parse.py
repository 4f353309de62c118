"""Reading readiness.toml: each section into its dataclass, every wrong value refused with the
key, what it must be and how to fix it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from readiness.base.errors import ConfigError
from readiness.settings.keys import check_known_keys, located
from readiness.settings.model import (
    DEFAULT_WEIGHTS,
    FORMAT_KINDS,
    TASKS,
    Brief,
    LabelSettings,
    MediaSettings,
    PiiSettings,
    ProfileSettings,
    ReadLimits,
    Settings,
    ShareSettings,
    TableSettings,
    Thresholds,
    Waiver,
)

MAX_WEIGHT = 1000.0  # a weight is relative: any larger ratio is this one, and inf breaks the sum


def _expect(value: Any, kind: type | tuple[type, ...], key: str, path: str | None, hint: str) -> Any:
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise ConfigError(f"{located(path, key)} must be {hint}, not {value!r}")
    if not isinstance(value, kind):
        raise ConfigError(f"{located(path, key)} must be {hint}, not {value!r}")
    return value


def _str_list(value: Any, key: str, path: str | None) -> tuple[str, ...]:
    _expect(value, list, key, path, "a list of strings")
    for item in value:
        _expect(item, str, key, path, "a list of strings")
    return tuple(value)


def _fraction(value: Any, key: str, path: str | None) -> float:
    _expect(value, (int, float), key, path, "a number from 0 to 1")
    if not 0 <= value <= 1:
        raise ConfigError(f"{located(path, key)} must be a number from 0 to 1, not {value!r}")
    return float(value)


def _positive_int(value: Any, key: str, path: str | None) -> int:
    _expect(value, int, key, path, "a whole number of at least 1")
    if value < 1:
        raise ConfigError(f"{located(path, key)} must be a whole number of at least 1, not {value!r}")
    return int(value)


def check_task(task: str, where: str) -> str:
    if task not in TASKS:
        raise ConfigError(f"{where} must be one of {', '.join(TASKS)}, not {task!r}")
    return task


def _check_format(spec: str, key: str, path: str | None) -> str:
    if spec in FORMAT_KINDS:
        return spec
    if spec.startswith("regex:"):
        try:
            re.compile(spec[len("regex:") :])
        except re.error as exc:
            raise ConfigError(f"{located(path, key)} holds an invalid regex ({exc}); fix the pattern") from exc
        return spec
    raise ConfigError(
        f"{located(path, key)} must be one of {', '.join(FORMAT_KINDS)} or 'regex:PATTERN', not {spec!r}"
    )


def parse_config(data: dict[str, Any], path: str | None = None) -> Settings:
    """Turn a parsed readiness.toml into Settings, refusing unknown keys and wrong values."""
    check_known_keys(data, path)
    settings = Settings(config_path=path)
    if "name" in data:
        settings = replace(settings, name=_expect(data["name"], str, "name", path, "a string"))
    if "suites_dir" in data:
        settings = replace(settings, suites_dir=_expect(data["suites_dir"], str, "suites_dir", path, "a string"))
    if "task" in data:
        settings = replace(settings, task=check_task(_expect(data["task"], str, "task", path, "a string"), located(path, "task")))

    project = _expect(data.get("project", {}), dict, "project", path, "a table")
    settings = replace(settings, brief=_parse_brief(project, path))

    label = _expect(data.get("label", {}), dict, "label", path, "a table")
    label_settings = LabelSettings(
        column=_expect(label.get("column"), (str, type(None)), "label.column", path, "a string"),
        table=_expect(label.get("table"), (str, type(None)), "label.table", path, "a string"),
        classes=_str_list(label["classes"], "label.classes", path) if "classes" in label else None,
        min_class_count=_positive_int(label.get("min_class_count", 20), "label.min_class_count", path),
        max_imbalance_ratio=float(_expect(label.get("max_imbalance_ratio", 10.0), (int, float), "label.max_imbalance_ratio", path, "a number of at least 1")),
        unlabeled_splits=_str_list(label.get("unlabeled_splits", []), "label.unlabeled_splits", path),
        after_outcome=_str_list(label.get("after_outcome", []), "label.after_outcome", path),
    )
    if label_settings.max_imbalance_ratio < 1:
        raise ConfigError(f"{located(path, 'label.max_imbalance_ratio')} must be a number of at least 1")
    settings = replace(settings, label=label_settings)

    tables: dict[str, TableSettings] = {}
    for table_name, table in _expect(data.get("tables", {}), dict, "tables", path, "a table").items():
        prefix = f'tables."{table_name}".'
        _expect(table, dict, prefix.rstrip("."), path, "a table")
        formats = _expect(table.get("formats", {}), dict, prefix + "formats", path, "a table of column = format")
        ranges_in = _expect(table.get("ranges", {}), dict, prefix + "ranges", path, "a table of column = [min, max]")
        ranges: dict[str, tuple[float | None, float | None]] = {}
        for column, bounds in ranges_in.items():
            key = f"{prefix}ranges.{column}"
            if not (isinstance(bounds, list) and len(bounds) == 2):
                raise ConfigError(f"{located(path, key)} must be [min, max] (use \"\" for an open end)")
            low, high = (None if b == "" else _expect(b, (int, float), key, path, "[min, max] numbers") for b in bounds)
            ranges[column] = (low, high)
        tables[table_name] = TableSettings(
            id_columns=_str_list(table["id_columns"], prefix + "id_columns", path) if "id_columns" in table else None,
            date_columns=_str_list(table.get("date_columns", []), prefix + "date_columns", path),
            formats={c: _check_format(_expect(f, str, f"{prefix}formats.{c}", path, "a string"), f"{prefix}formats.{c}", path)
                     for c, f in formats.items()},
            ranges=ranges,
        )
    settings = replace(settings, tables=tables)

    profile = _expect(data.get("profile", {}), dict, "profile", path, "a table")
    settings = replace(settings, profile=ProfileSettings(
        enabled=_expect(profile.get("enabled", True), bool, "profile.enabled", path, "true or false"),
        sample_rows=_positive_int(profile.get("sample_rows", 20_000), "profile.sample_rows", path),
        seed=_expect(profile.get("seed", 0), int, "profile.seed", path, "a whole number"),
        minimal=_expect(profile.get("minimal", True), bool, "profile.minimal", path, "true or false"),
        max_columns=_positive_int(profile.get("max_columns", 40), "profile.max_columns", path),
        words=_expect(profile.get("words", False), bool, "profile.words", path, "true or false"),
        max_tables=_positive_int(profile.get("max_tables", 50), "profile.max_tables", path),
    ))

    thresholds = _expect(data.get("thresholds", {}), dict, "thresholds", path, "a table")
    defaults = Thresholds()
    settings = replace(settings, thresholds=Thresholds(
        min_rows=_positive_int(thresholds.get("min_rows", defaults.min_rows), "thresholds.min_rows", path),
        date_min_fraction=_fraction(thresholds.get("date_min_fraction", defaults.date_min_fraction), "thresholds.date_min_fraction", path),
        numeric_min_fraction=_fraction(thresholds.get("numeric_min_fraction", defaults.numeric_min_fraction), "thresholds.numeric_min_fraction", path),
        grade_ready=float(_expect(thresholds.get("grade_ready", defaults.grade_ready), (int, float), "thresholds.grade_ready", path, "a score from 0 to 100")),
        grade_needs_work=float(_expect(thresholds.get("grade_needs_work", defaults.grade_needs_work), (int, float), "thresholds.grade_needs_work", path, "a score from 0 to 100")),
        drift_psi=float(_expect(thresholds.get("drift_psi", defaults.drift_psi), (int, float), "thresholds.drift_psi", path, "a number above 0")),
    ))
    ready, needs_work = settings.thresholds.grade_ready, settings.thresholds.grade_needs_work
    for key, value in (("grade_ready", ready), ("grade_needs_work", needs_work)):
        if not 0 < value <= 100 or value != value:
            raise ConfigError(f"{located(path, 'thresholds.' + key)} must be a score above 0 and at most 100, "
                              f"not {value!r}")
    if needs_work >= ready:
        raise ConfigError(f"{located(path, 'thresholds.grade_needs_work')} ({needs_work:g}) must be below "
                          f"thresholds.grade_ready ({ready:g}): a score first needs work, then is ready")
    settings = replace(settings, waivers=_parse_waivers(data, path))
    limits = _expect(data.get("limits", {}), dict, "limits", path, "a table")
    defaults_limits = ReadLimits()
    settings = replace(settings, limits=ReadLimits(**{
        key: _positive_int(limits.get(key, value), f"limits.{key}", path) for key, value in vars(defaults_limits).items()
    }))

    weights_in = _expect(data.get("weights", {}), dict, "weights", path, "a table")
    weights = dict(DEFAULT_WEIGHTS)
    for key, value in weights_in.items():
        _expect(value, (int, float), f"weights.{key}", path, "a number of at least 0")
        if not 0 <= value <= MAX_WEIGHT:  # NaN fails this too; inf would make the score NaN
            raise ConfigError(f"{located(path, 'weights.' + key)} must be a number from 0 to {MAX_WEIGHT:g}, "
                              f"not {value!r}")
        weights[key] = float(value)
    if sum(weights.values()) <= 0:
        raise ConfigError(f"{located(path, 'weights')}: at least one weight must be above 0")
    settings = replace(settings, weights=weights)

    settings = replace(settings, share=_parse_share(data, path))
    settings = replace(settings, media=_parse_media(data, path))
    pii = _expect(data.get("pii", {}), dict, "pii", path, "a table")
    settings = replace(settings, pii=PiiSettings(
        columns=_str_list(pii.get("columns", []), "pii.columns", path),
        ignore=_str_list(pii.get("ignore", []), "pii.ignore", path),
    ))
    return settings


def load_config(path: Path) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror}); check the --config path") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: is not UTF-8 text; save it as UTF-8") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: is not valid TOML ({exc}); fix that line") from exc
    return parse_config(data, str(path))


MAX_DAY_RATE = 1_000_000  # a day rate above this is a typo (1e308 overflows the money ranges)
BRIEF_TEXT_KEYS = ("goal", "task", "success_metric", "timeline", "labeling", "data_access", "budget", "currency",
                   "owner")


def _parse_brief(project: dict[str, Any], path: str | None) -> Brief:
    text = {key: _expect(project.get(key), (str, type(None)), f"project.{key}", path, "a string")
            for key in BRIEF_TEXT_KEYS}
    day_rate = project.get("day_rate")
    if day_rate is not None:
        hint = 'a number above 0, like 600 (the currency goes in project.currency, e.g. "EUR")'
        _expect(day_rate, (int, float), "project.day_rate", path, hint)
        if not 0 < day_rate < float("inf"):
            raise ConfigError(f"{located(path, 'project.day_rate')} must be {hint}, not {day_rate!r}")
        if not 1 <= day_rate <= MAX_DAY_RATE:
            raise ConfigError(f"{located(path, 'project.day_rate')} must be a day rate from 1 to {MAX_DAY_RATE:,} "
                              f"(a whole day's fee in project.currency, like 600), not {day_rate!r}")
    constraints = project.get("constraints", [])
    if isinstance(constraints, str):
        constraints = [constraints]
    return Brief(
        **text,
        deliverables=_str_list(project.get("deliverables", []), "project.deliverables", path),
        day_rate=None if day_rate is None else float(day_rate),
        constraints=_expect_str_list(constraints, "project.constraints", path, "a string or a list of strings"),
    )


def _expect_str_list(value: Any, key: str, path: str | None, hint: str) -> tuple[str, ...]:
    _expect(value, list, key, path, hint)
    for item in value:
        _expect(item, str, key, path, hint)
    return tuple(value)


def _parse_waivers(data: dict[str, Any], path: str | None) -> tuple[Waiver, ...]:
    items = _expect(data.get("waivers", []), list, "waivers", path, "a list of [[waivers]] tables")
    waivers = []
    for number, item in enumerate(items, start=1):
        key = f"waivers[{number}]"
        _expect(item, dict, key, path, "a table with finding, reason and expires")
        finding = _expect(item.get("finding"), str, key + ".finding", path, "a finding id (see readiness.json)")
        reason = _expect(item.get("reason"), str, key + ".reason", path, "a string saying why it is accepted")
        if not reason.strip():
            raise ConfigError(f"{located(path, key + '.reason')} must say why the finding is accepted")
        expires = item.get("expires")
        if isinstance(expires, str):
            try:
                expires = date.fromisoformat(expires)
            except ValueError as exc:
                raise ConfigError(f"{located(path, key + '.expires')} must be a date like 2027-01-31") from exc
        elif isinstance(expires, datetime):
            expires = expires.date()
        elif expires is not None and not isinstance(expires, date):
            raise ConfigError(f"{located(path, key + '.expires')} must be a date like 2027-01-31")
        waivers.append(Waiver(finding, reason, expires))
    return tuple(waivers)


def _parse_share(data: dict[str, Any], path: str | None) -> ShareSettings:
    share = _expect(data.get("share", {}), dict, "share", path, "a table")
    rename = _expect(share.get("rename", {}), dict, "share.rename", path, "a table of name = shown name")
    for key, value in rename.items():
        _expect(value, str, f"share.rename.{key}", path, "a string")
        if not value.strip():
            raise ConfigError(f"{located(path, 'share.rename.' + key)} must not be empty")
    return ShareSettings(
        hide_tables=_str_list(share.get("hide_tables", []), "share.hide_tables", path),
        hide_columns=_str_list(share.get("hide_columns", []), "share.hide_columns", path),
        rename=dict(rename),
        examples=_expect(share.get("examples", True), bool, "share.examples", path, "true or false"),
        thumbnails=_expect(share.get("thumbnails", False), bool, "share.thumbnails", path, "true or false"),
        faces=_expect(share.get("faces", False), bool, "share.faces", path, "true or false"),
    )


def _parse_media(data: dict[str, Any], path: str | None) -> MediaSettings:
    media = _expect(data.get("media", {}), dict, "media", path, "a table")
    values: dict[str, Any] = {}
    for key, default in vars(MediaSettings()).items():
        value = media.get(key, default)
        if isinstance(default, int):
            values[key] = _positive_int(value, f"media.{key}", path)
        else:
            number = _expect(value, (int, float), f"media.{key}", path, "a number")
            if isinstance(number, bool) or number != number or number in (float("inf"), float("-inf")):
                raise ConfigError(f"{located(path, 'media.' + key)} must be a finite number, not {number!r}")
            values[key] = float(number)
    return MediaSettings(**values)
