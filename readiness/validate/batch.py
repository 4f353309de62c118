"""What GX validates when an engine other than pandas holds the table: the engine's own frame.

Validation defines the shape; each engine (readiness/engines/) hands one over. Defined here, not in
the engines, so validation never imports an engine.
"""

from __future__ import annotations

from typing import Any, Protocol


class Batch(Protocol):
    """A table as GX validates it through the engine's own GX data source."""

    @property
    def source(self) -> str:
        """GX's kind of data source (the context's ``data_sources.add_<source>``): "spark"."""

    def select(self, columns: list[str] | None) -> Any:
        """The engine's frame of the table, of ``columns`` only (None: all of them)."""
