"""One place builds the settings: defaults, then readiness.toml, then environment, then options."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from readiness.base.errors import ConfigError

TASKS = ("classification", "regression", "forecasting", "text-classification", "unsupervised")
SUPERVISED_TASKS = ("classification", "regression", "forecasting", "text-classification")
FORMAT_KINDS = ("date", "email", "phone", "url", "numeric")

DEFAULT_WEIGHTS: dict[str, float] = {
    "completeness": 0.2,
    "validity": 0.2,
    "uniqueness": 0.1,
    "consistency": 0.1,
    "label_readiness": 0.25,
    "volume": 0.05,
    "privacy": 0.1,
}
MAX_WEIGHT = 1000.0  # a weight is relative: any larger ratio is this one, and inf breaks the sum


@dataclass(frozen=True)
class Brief:
    goal: str | None = None
    task: str | None = None
    success_metric: str | None = None
    timeline: str | None = None
    deliverables: tuple[str, ...] = ()
    labeling: str | None = None  # who labels, the guidelines, agreement between labelers
    data_access: str | None = None  # how a candidate gets the data; NDA
    budget: str | None = None  # free text: "EUR 8,000 fixed"
    day_rate: float | None = None  # above 0, in ``currency``
    currency: str | None = None
    owner: str | None = None  # who owns the model after delivery, and its monitoring
    constraints: tuple[str, ...] = ()  # deployment, latency, on-premises


@dataclass(frozen=True)
class LabelSettings:
    column: str | None = None
    table: str | None = None
    classes: tuple[str, ...] | None = None
    min_class_count: int = 20
    max_imbalance_ratio: float = 10.0
    unlabeled_splits: tuple[str, ...] = ()
    after_outcome: tuple[str, ...] = ()  # columns recorded after the outcome: leakage by declaration


@dataclass(frozen=True)
class TableSettings:
    id_columns: tuple[str, ...] | None = None
    date_columns: tuple[str, ...] = ()
    formats: dict[str, str] = field(default_factory=dict)
    ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class ProfileSettings:
    enabled: bool = True
    sample_rows: int = 20_000
    seed: int = 0
    minimal: bool = True
    max_columns: int = 40  # the profiler draws two charts per column (about 0.4 s each column)
    words: bool = False  # word counts and word clouds of text columns (about 0.5 s per text column)
    max_tables: int = 50  # the largest tables by cells get a profile; the rest none (about 1 s per table)


@dataclass(frozen=True)
class Thresholds:
    min_rows: int = 1000
    date_min_fraction: float = 0.5
    numeric_min_fraction: float = 0.9
    grade_ready: float = 85.0
    grade_needs_work: float = 60.0
    drift_psi: float = 0.2


@dataclass(frozen=True)
class PiiSettings:
    columns: tuple[str, ...] = ()  # "column" or "table:column", always treated as personal data
    ignore: tuple[str, ...] = ()  # never treated as personal data


@dataclass(frozen=True)
class ReadLimits:
    """What a client file may cost to read; past a limit the file is rejected with the reason."""

    max_file_mb: int = 4096
    max_columns: int = 5000
    max_field_chars: int = 1_000_000
    json_max_depth: int = 64
    max_memory_mb: int = 4096
    max_parse_seconds: int = 300
    xlsx_max_uncompressed_mb: int = 1024
    xlsx_max_ratio: int = 200
    max_depth: int = 64  # folders nested deeper are listed as skipped, never entered
    max_cells: int = 200_000_000  # rows x columns of one table (Parquet and Excel: checked before reading)
    max_uncompressed_mb: int = 4096  # a .gz member, a Parquet file or a parsed table, once unpacked
    max_expansion: int = 200  # unpacked size / size on disk, checked once a file unpacks past 256 MB


@dataclass(frozen=True)
class Waiver:
    """A finding accepted for now: it stays listed, marked waived, and lowers nothing until it expires."""

    finding: str  # a finding id, e.g. "tickets.csv/intent/label_missing"
    reason: str
    expires: date | None = None

    def active(self, today: date) -> bool:
        return self.expires is None or today <= self.expires


@dataclass(frozen=True)
class ShareSettings:
    """Confidentiality before an NDA: what the packet leaves out or renames."""

    hide_tables: tuple[str, ...] = ()
    hide_columns: tuple[str, ...] = ()  # "column" (in every table) or "table:column"
    rename: dict[str, str] = field(default_factory=dict)  # table, column or "table:column" -> shown name
    examples: bool = True  # example values (categories, ranges, masked text) in the packet

    def column_hidden(self, table: str, column: str) -> bool:
        return column in self.hide_columns or f"{table}:{column}" in self.hide_columns

    def table_name(self, table: str) -> str:
        return self.rename.get(table, table)

    def column_name(self, table: str, column: str) -> str:
        return self.rename.get(f"{table}:{column}", self.rename.get(column, column))


@dataclass(frozen=True)
class Settings:
    name: str | None = None
    suites_dir: str = "expectations"
    task: str | None = None
    brief: Brief = Brief()
    label: LabelSettings = LabelSettings()
    tables: dict[str, TableSettings] = field(default_factory=dict)
    profile: ProfileSettings = ProfileSettings()
    thresholds: Thresholds = Thresholds()
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    pii: PiiSettings = PiiSettings()
    share: ShareSettings = ShareSettings()
    waivers: tuple[Waiver, ...] = ()
    limits: ReadLimits = ReadLimits()
    config_path: str | None = None

    def table(self, name: str) -> TableSettings:
        return self.tables.get(name, TableSettings())


# --- reading readiness.toml -------------------------------------------------------------


def _where(path: str | None, key: str) -> str:
    return f"{path}: key '{key}'" if path else f"key '{key}'"


def _expect(value: Any, kind: type | tuple[type, ...], key: str, path: str | None, hint: str) -> Any:
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise ConfigError(f"{_where(path, key)} must be {hint}, not {value!r}")
    if not isinstance(value, kind):
        raise ConfigError(f"{_where(path, key)} must be {hint}, not {value!r}")
    return value


def _str_list(value: Any, key: str, path: str | None) -> tuple[str, ...]:
    _expect(value, list, key, path, "a list of strings")
    for item in value:
        _expect(item, str, key, path, "a list of strings")
    return tuple(value)


def _field_names(cls: type) -> frozenset[str]:
    return frozenset(item.name for item in fields(cls))


# The keys each readiness.toml table accepts: the fields of the dataclass its values fill, so a key
# the parsing below reads is a key the check for unknown keys knows.
PROJECT_KEYS = _field_names(Brief)
LABEL_KEYS = _field_names(LabelSettings)
TABLE_KEYS = _field_names(TableSettings)  # each tables."NAME"; its formats and ranges name columns
PROFILE_KEYS = _field_names(ProfileSettings)
THRESHOLD_KEYS = _field_names(Thresholds)
PII_KEYS = _field_names(PiiSettings)
SHARE_KEYS = _field_names(ShareSettings)  # share.rename names tables and columns
LIMIT_KEYS = _field_names(ReadLimits)
WAIVER_KEYS = _field_names(Waiver)  # each [[waivers]] table
WEIGHT_KEYS = frozenset(DEFAULT_WEIGHTS)
SECTION_KEYS: dict[str, frozenset[str]] = {
    "project": PROJECT_KEYS, "label": LABEL_KEYS, "profile": PROFILE_KEYS, "thresholds": THRESHOLD_KEYS,
    "weights": WEIGHT_KEYS, "pii": PII_KEYS, "share": SHARE_KEYS, "limits": LIMIT_KEYS,
}
TOP_KEYS = frozenset({"name", "suites_dir", "task", "tables", "waivers", *SECTION_KEYS})


@dataclass(frozen=True)
class _UnknownKey:
    full: str  # the dotted path, e.g. tables."orders.csv".id_column
    key: str
    section: str  # where it sits, e.g. profile; "" at the top level
    known: frozenset[str]

    def suggestion(self) -> str:
        close = difflib.get_close_matches(self.key, sorted(self.known), n=1, cutoff=0.6)
        return f" (did you mean {close[0]}?)" if close else ""


def _unknown_keys(data: dict[str, Any]) -> list[_UnknownKey]:
    """Every key of readiness.toml that no setting reads, in file order; sections of the wrong type are
    left to the parsing, which names them."""
    unknown: list[_UnknownKey] = []

    def check(section: Any, known: frozenset[str], where: str) -> None:
        if isinstance(section, dict):
            prefix = f"{where}." if where else ""
            unknown.extend(_UnknownKey(prefix + key, key, where, known) for key in section if key not in known)

    check(data, TOP_KEYS, "")
    for name, value in data.items():
        if name in SECTION_KEYS:
            check(value, SECTION_KEYS[name], name)
        elif name == "tables" and isinstance(value, dict):
            for table_name, table in value.items():
                check(table, TABLE_KEYS, f'tables."{table_name}"')
        elif name == "waivers" and isinstance(value, list):
            for number, item in enumerate(value, start=1):
                check(item, WAIVER_KEYS, f"waivers[{number}]")
    return unknown


def _check_known_keys(data: dict[str, Any], path: str | None) -> None:
    """Refuse unknown keys all at once, each with the known key it is closest to, if any."""
    unknown = _unknown_keys(data)
    if not unknown:
        return
    if len(unknown) == 1:
        (only,) = unknown
        raise ConfigError(
            f"{_where(path, only.full)} is not a known setting{only.suggestion()}; remove or rename it; "
            f"the known keys here are: {', '.join(sorted(only.known))} (see docs/configuration.md)"
        )
    named = [f"'{item.full}'{item.suggestion()}" for item in unknown]
    listed: dict[str, frozenset[str]] = {}
    for item in unknown:
        if not item.suggestion():  # no close match: the keys known there say what was meant
            listed.setdefault(item.section, item.known)
    known = "; ".join(
        f"{'at the top level' if section == '' else 'in ' + section}: {', '.join(sorted(keys))}"
        for section, keys in listed.items()
    )
    where = f"{path}: " if path else ""
    raise ConfigError(
        f"{where}keys {', '.join(named[:-1])} and {named[-1]} are not known settings; remove or rename them"
        + (f"; known keys {known}" if known else "") + " (see docs/configuration.md)"
    )


def _fraction(value: Any, key: str, path: str | None) -> float:
    _expect(value, (int, float), key, path, "a number from 0 to 1")
    if not 0 <= value <= 1:
        raise ConfigError(f"{_where(path, key)} must be a number from 0 to 1, not {value!r}")
    return float(value)


def _positive_int(value: Any, key: str, path: str | None) -> int:
    _expect(value, int, key, path, "a whole number of at least 1")
    if value < 1:
        raise ConfigError(f"{_where(path, key)} must be a whole number of at least 1, not {value!r}")
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
            raise ConfigError(f"{_where(path, key)} holds an invalid regex ({exc}); fix the pattern") from exc
        return spec
    raise ConfigError(
        f"{_where(path, key)} must be one of {', '.join(FORMAT_KINDS)} or 'regex:PATTERN', not {spec!r}"
    )


def parse_config(data: dict[str, Any], path: str | None = None) -> Settings:
    """Turn a parsed readiness.toml into Settings, refusing unknown keys and wrong values."""
    _check_known_keys(data, path)
    settings = Settings(config_path=path)
    if "name" in data:
        settings = replace(settings, name=_expect(data["name"], str, "name", path, "a string"))
    if "suites_dir" in data:
        settings = replace(settings, suites_dir=_expect(data["suites_dir"], str, "suites_dir", path, "a string"))
    if "task" in data:
        settings = replace(settings, task=check_task(_expect(data["task"], str, "task", path, "a string"), _where(path, "task")))

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
        raise ConfigError(f"{_where(path, 'label.max_imbalance_ratio')} must be a number of at least 1")
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
                raise ConfigError(f"{_where(path, key)} must be [min, max] (use \"\" for an open end)")
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
            raise ConfigError(f"{_where(path, 'thresholds.' + key)} must be a score above 0 and at most 100, "
                              f"not {value!r}")
    if needs_work >= ready:
        raise ConfigError(f"{_where(path, 'thresholds.grade_needs_work')} ({needs_work:g}) must be below "
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
            raise ConfigError(f"{_where(path, 'weights.' + key)} must be a number from 0 to {MAX_WEIGHT:g}, "
                              f"not {value!r}")
        weights[key] = float(value)
    if sum(weights.values()) <= 0:
        raise ConfigError(f"{_where(path, 'weights')}: at least one weight must be above 0")
    settings = replace(settings, weights=weights)

    settings = replace(settings, share=_parse_share(data, path))
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
            raise ConfigError(f"{_where(path, 'project.day_rate')} must be {hint}, not {day_rate!r}")
        if not 1 <= day_rate <= MAX_DAY_RATE:
            raise ConfigError(f"{_where(path, 'project.day_rate')} must be a day rate from 1 to {MAX_DAY_RATE:,} "
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
            raise ConfigError(f"{_where(path, key + '.reason')} must say why the finding is accepted")
        expires = item.get("expires")
        if isinstance(expires, str):
            try:
                expires = date.fromisoformat(expires)
            except ValueError as exc:
                raise ConfigError(f"{_where(path, key + '.expires')} must be a date like 2027-01-31") from exc
        elif isinstance(expires, datetime):
            expires = expires.date()
        elif expires is not None and not isinstance(expires, date):
            raise ConfigError(f"{_where(path, key + '.expires')} must be a date like 2027-01-31")
        waivers.append(Waiver(finding, reason, expires))
    return tuple(waivers)


def _parse_share(data: dict[str, Any], path: str | None) -> ShareSettings:
    share = _expect(data.get("share", {}), dict, "share", path, "a table")
    rename = _expect(share.get("rename", {}), dict, "share.rename", path, "a table of name = shown name")
    for key, value in rename.items():
        _expect(value, str, f"share.rename.{key}", path, "a string")
        if not value.strip():
            raise ConfigError(f"{_where(path, 'share.rename.' + key)} must not be empty")
    return ShareSettings(
        hide_tables=_str_list(share.get("hide_tables", []), "share.hide_tables", path),
        hide_columns=_str_list(share.get("hide_columns", []), "share.hide_columns", path),
        rename=dict(rename),
        examples=_expect(share.get("examples", True), bool, "share.examples", path, "true or false"),
    )


def check_suites_dir(dataset: Path, settings: Settings) -> None:
    """The suites folder must resolve to a folder inside the dataset's folder: suites are read
    there (and ``init`` writes them there), so a path or a link leaving it would reach outside."""
    base = dataset if dataset.is_dir() else dataset.parent
    real_base = os.path.realpath(base)
    real = os.path.realpath(base / settings.suites_dir)  # an absolute suites_dir replaces the base
    if real.startswith(real_base.rstrip(os.sep) + os.sep):
        return
    if settings.suites_dir == Settings.suites_dir:
        raise ConfigError(f"the suites folder {settings.suites_dir} is a link leaving the dataset folder; "
                          "replace the link with a folder, or set suites_dir to a folder inside the dataset")
    raise ConfigError(f"{_where(settings.config_path, 'suites_dir')} must name a folder inside the dataset "
                      f"folder, not {settings.suites_dir!r}; use a relative path such as \"expectations\"")


def build_settings(
    dataset: Path,
    config: Path | None = None,
    *,
    label: str | None = None,
    label_table: str | None = None,
    task: str | None = None,
    profile: bool | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Defaults, then the config file, then environment, then the caller's options."""
    if config is None:
        default = dataset / "readiness.toml" if dataset.is_dir() else dataset.parent / "readiness.toml"
        settings = load_config(default) if default.is_file() and dataset.is_dir() else Settings()
    else:
        if not config.is_file():
            raise ConfigError(f"{config}: no such config file; check the --config path")
        settings = load_config(config)

    check_suites_dir(dataset, settings)
    env = os.environ if environ is None else environ
    if env.get("READINESS_NO_PROFILE", "") not in ("", "0"):
        settings = replace(settings, profile=replace(settings.profile, enabled=False))

    if label is not None:
        settings = replace(settings, label=replace(settings.label, column=label))
    if label_table is not None:
        settings = replace(settings, label=replace(settings.label, table=label_table))
    if task is not None:
        settings = replace(settings, task=check_task(task, "--task"))
    elif settings.task is None and settings.brief.task in TASKS:
        settings = replace(settings, task=settings.brief.task)
    if profile is not None:
        settings = replace(settings, profile=replace(settings.profile, enabled=profile))
    return settings
