"""One place builds the settings: defaults, then readiness.toml, then environment, then options."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from readiness.base.errors import ConfigError
from readiness.settings.environment import Environment
from readiness.settings.keys import located
from readiness.settings.model import TASKS, Settings
from readiness.settings.parse import check_task, load_config


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
    raise ConfigError(f"{located(settings.config_path, 'suites_dir')} must name a folder inside the dataset "
                      f"folder, not {settings.suites_dir!r}; use a relative path such as \"expectations\"")


def build_settings(
    dataset: Path,
    config: Path | None = None,
    *,
    label: str | None = None,
    label_table: str | None = None,
    task: str | None = None,
    profile: bool | None = None,
    environ: Mapping[str, str] | None = None,
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
    if Environment.from_environ(os.environ if environ is None else environ).no_profile:
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
