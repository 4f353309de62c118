"""The READINESS_* environment switches, read in one place: each documented, typed and parsed once.

Read at the moment an audit (or a command) needs them, from the mapping passed in, so a test or a
scheduler can hand over its own environment instead of changing the process's.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

PARALLEL_VARIABLE = "READINESS_PARALLEL"
OVERLAP_VARIABLE = "READINESS_OVERLAP"
DEBUG_VARIABLE = "READINESS_DEBUG"
OUT_VARIABLE = "READINESS_OUT"
CHROMIUM_VARIABLES = ("READINESS_CHROMIUM", "CHROME_PATH")  # a browser named in the environment, in this order
NO_PROFILE_VARIABLE = "READINESS_NO_PROFILE"

OFF_WORDS = ("", "0", "false", "no", "off")  # READINESS_DEBUG set to one of these (any case) is off


def override(value: str | None) -> bool | None:
    """A switch set to ``always`` (True) or ``never`` (False), any case, spaces around ignored; None
    (the size rule decides) for ``auto``, anything else, or unset."""
    return {"always": True, "never": False}.get((value or "auto").strip().lower())


@dataclass(frozen=True)
class Environment:
    """What the READINESS_* variables ask for."""

    # READINESS_PARALLEL=always|never: fork the independent stages whatever the size, or never
    # (tests use always); None: by the size of the data (base/parallel.py)
    parallel: bool | None = None
    # READINESS_OVERLAP=always|never: run the memory-hungry stages side by side, or one after the
    # other, whatever the size; None: by the number of cells (base/parallel.py)
    overlap: bool | None = None
    # READINESS_DEBUG=1: an internal error prints its traceback, not one line (anything but
    # "", 0, false, no, off)
    debug: bool = False
    # READINESS_OUT=PATH: where runs and history.sqlite go when --out is not given (the CLI's default)
    out: str | None = None
    # READINESS_CHROMIUM, then CHROME_PATH: browsers to print briefing.pdf with, before those on PATH
    chromium: tuple[str, ...] = ()
    # READINESS_NO_PROFILE=1: no visual profile, as if [profile] enabled = false (anything but "", 0)
    no_profile: bool = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Environment:
        """The switches as set in ``environ`` (os.environ, or a test's own mapping)."""
        return cls(
            parallel=override(environ.get(PARALLEL_VARIABLE)),
            overlap=override(environ.get(OVERLAP_VARIABLE)),
            debug=environ.get(DEBUG_VARIABLE, "").strip().lower() not in OFF_WORDS,
            out=environ.get(OUT_VARIABLE) or None,
            chromium=tuple(named for named in (environ.get(v) for v in CHROMIUM_VARIABLES) if named),
            no_profile=environ.get(NO_PROFILE_VARIABLE, "") not in ("", "0"),
        )


def current() -> Environment:
    """The switches as the process's environment sets them now."""
    return Environment.from_environ(os.environ)
