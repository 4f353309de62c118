"""readiness: audit a client's dataset folder for ML readiness.

The plain API is ``readiness.audit(path, ...)``; the CLI is a thin shell around it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from readiness.base.version import SCHEMA_VERSION, SCORE_VERSION, __version__

if TYPE_CHECKING:
    from readiness.api import Audit


def audit(path: Any, **options: Any) -> Audit:
    """Audit PATH (a folder or one file); see :func:`readiness.api.audit`."""
    from readiness.api import audit as _audit

    return _audit(path, **options)


__all__ = ["audit", "__version__", "SCHEMA_VERSION", "SCORE_VERSION"]
