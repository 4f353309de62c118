"""The keys readiness.toml accepts, and the check that refuses the others all at once."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields
from typing import Any

from readiness.base.errors import ConfigError
from readiness.settings.model import (
    DEFAULT_WEIGHTS,
    Brief,
    LabelSettings,
    MediaSettings,
    PiiSettings,
    ProfileSettings,
    ReadLimits,
    ShareSettings,
    TableSettings,
    Thresholds,
    Waiver,
)


def located(path: str | None, key: str) -> str:
    return f"{path}: key '{key}'" if path else f"key '{key}'"


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
MEDIA_KEYS = _field_names(MediaSettings)
WAIVER_KEYS = _field_names(Waiver)  # each [[waivers]] table
WEIGHT_KEYS = frozenset(DEFAULT_WEIGHTS)
SECTION_KEYS: dict[str, frozenset[str]] = {
    "project": PROJECT_KEYS, "label": LABEL_KEYS, "profile": PROFILE_KEYS, "thresholds": THRESHOLD_KEYS,
    "weights": WEIGHT_KEYS, "pii": PII_KEYS, "share": SHARE_KEYS, "limits": LIMIT_KEYS,
    "media": MEDIA_KEYS,
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


def check_known_keys(data: dict[str, Any], path: str | None) -> None:
    """Refuse unknown keys all at once, each with the known key it is closest to, if any."""
    unknown = _unknown_keys(data)
    if not unknown:
        return
    if len(unknown) == 1:
        (only,) = unknown
        raise ConfigError(
            f"{located(path, only.full)} is not a known setting{only.suggestion()}; remove or rename it; "
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
