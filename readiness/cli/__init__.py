"""The command line. The library never imports this package."""

from readiness.cli.app import main

__all__ = ["main"]
