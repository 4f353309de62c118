"""The settings: defaults, then readiness.toml, then environment, then options, built in one place
(build_settings) and passed explicitly. This is the package's public surface:

- model.py: the frozen dataclasses, one per readiness.toml section, and their defaults;
- keys.py: the keys each section accepts, and the check that refuses unknown ones;
- parse.py: readiness.toml read into the dataclasses, wrong values refused;
- environment.py: the READINESS_* environment switches, read in one place;
- build.py: build_settings, which layers all of them (and checks the suites folder).
"""

from readiness.settings.build import build_settings
from readiness.settings.environment import Environment
from readiness.settings.keys import SECTION_KEYS, TABLE_KEYS, TOP_KEYS, WAIVER_KEYS
from readiness.settings.model import (
    DEFAULT_WEIGHTS,
    SUPERVISED_TASKS,
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
from readiness.settings.parse import load_config, parse_config

__all__ = [
    "DEFAULT_WEIGHTS",
    "SECTION_KEYS",
    "SUPERVISED_TASKS",
    "TABLE_KEYS",
    "TASKS",
    "TOP_KEYS",
    "WAIVER_KEYS",
    "Brief",
    "Environment",
    "LabelSettings",
    "MediaSettings",
    "PiiSettings",
    "ProfileSettings",
    "ReadLimits",
    "Settings",
    "ShareSettings",
    "TableSettings",
    "Thresholds",
    "Waiver",
    "build_settings",
    "load_config",
    "parse_config",
]
