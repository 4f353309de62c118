"""The audit's stages in order, with their parallelism (forked children for GX and the visual
profiles): ``run(Request, Engine) -> Published``. readiness.api builds the request."""

from readiness.pipeline.run import run
from readiness.pipeline.stages import Printer, Published, Request

__all__ = ["Printer", "Published", "Request", "run"]
