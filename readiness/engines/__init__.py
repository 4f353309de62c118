"""Execution engines: how an audit counts its tables and what GX validates. ``pandas`` (the
default) and ``spark`` (``--engine spark``) each implement ``Engine``; the pipeline names neither."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol

from readiness.base.errors import UsageError

if TYPE_CHECKING:
    from readiness.ingest.model import Ingested, Table
    from readiness.profile.counts import Prepared
    from readiness.profile.labels import LabelTarget
    from readiness.settings import Settings
    from readiness.validate.batch import Batch


class Engine(Protocol):
    """One engine for one audit; it keeps what it read (its frames) until the audit ends."""

    @property
    def name(self) -> str:
        """readiness.json's engine.name."""

    @property
    def forkable(self) -> bool:
        """Whether GX may validate in a forked child that gets the tables by fork."""

    def start(self) -> None:
        """Start what the engine needs (a session), after the audit's children are forked."""

    def prepare(self, ingested: Ingested, settings: Settings, target: LabelTarget) -> list[Prepared]:
        """Every table counted and its plan inferred, in the order of ``ingested.tables``."""

    def batch(self, table: Table) -> Batch | None:
        """What GX validates for ``table``; None: the table's pandas frame, through GX's pandas source."""

    def describe(self) -> dict[str, Any]:
        """readiness.json's "engine": its name and how each table reached it (``read_by``)."""


ENGINES = {"pandas": "readiness.engines.pandas", "spark": "readiness.engines.spark"}


def chosen(name: str, spark_master: str = "local[*]") -> Engine:
    """The engine called ``name``, checked before any file is read: an unknown name or a missing
    extra is one line, not an error after the reading."""
    module = ENGINES.get(name)
    if module is None:
        raise UsageError(f"--engine {name!r} is not an engine; use {' or '.join(ENGINES)}")
    engine: Engine = importlib.import_module(module).create(spark_master)
    return engine
