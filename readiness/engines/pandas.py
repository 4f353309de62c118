"""The pandas engine (the default): the profile stage counts each table in this process, and GX
validates the tables' own frames, in a forked child when that pays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from readiness.engines import Engine
from readiness.ingest.model import Ingested, Table
from readiness.profile import counts
from readiness.profile.counts import Prepared
from readiness.profile.labels import LabelTarget
from readiness.settings import Settings


@dataclass(frozen=True)
class PandasEngine:
    name: str = "pandas"
    forkable: bool = True  # the frames are plain memory: a child has them by fork

    def start(self) -> None:
        """Nothing to start."""

    def prepare(self, ingested: Ingested, settings: Settings, target: LabelTarget) -> list[Prepared]:
        return counts.prepare_all(list(ingested.tables), settings, target)

    def batch(self, table: Table) -> None:
        return None  # GX's pandas source on the table's frame (sliced, as Arrow text or codes: validate.frames)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "read_by": {}}


def create(spark_master: str) -> Engine:
    """The engine; ``spark_master`` is for Spark only."""
    return PandasEngine()
