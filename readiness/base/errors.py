"""User-facing errors and the exit codes the contract fixes."""

from __future__ import annotations

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_USAGE = 2


class ReadinessError(Exception):
    """An error caused by the user's input; its message is shown as ``Error: ...``."""

    exit_code = EXIT_USAGE


class ConfigError(ReadinessError):
    """readiness.toml (or an option) holds a wrong key or value."""


class UsageError(ReadinessError):
    """A command-line option or argument that cannot be honoured."""
