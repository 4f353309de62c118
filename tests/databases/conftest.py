"""A real PostgreSQL server for the database tests, started once per test session from the Debian
packages (tests/databases/pgserver.py) and removed after; skipped where no server binaries are
installed, unless READINESS_REQUIRE_POSTGRES=1 (CI), where that is a failure."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.databases.pgserver import Server, binaries


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    """A running server (superuser ``postgres``, password ``server.password``)."""
    bindir = binaries()
    if bindir is None:
        if os.environ.get("READINESS_REQUIRE_POSTGRES") == "1":
            pytest.fail("READINESS_REQUIRE_POSTGRES=1 but no PostgreSQL server binaries (apt-get install postgresql)")
        pytest.skip("no PostgreSQL server binaries (pg_config --bindir, /usr/lib/postgresql/*/bin)")
    server = Server(bindir)
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres: Server) -> str:
    """The URL of the ``postgres`` database, password included (tests prove it never shows)."""
    return postgres.url("postgres", password=postgres.password)
