"""A real, throw-away PostgreSQL server from the Debian packages, for the tests and the benchmark:
initdb into a temporary folder, a free port, its socket in that folder, pg_ctl to start and stop.

As root (CI containers) the server runs as the ``postgres`` user: initdb refuses root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "postgres"


def binaries() -> Path | None:
    """The folder of initdb, pg_ctl and postgres: ``pg_config --bindir``, else the newest Debian one."""
    found = shutil.which("pg_config")
    if found:
        try:
            folder = Path(subprocess.run([found, "--bindir"], capture_output=True, text=True, check=True).stdout.strip())
            if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
                return folder
        except (OSError, subprocess.CalledProcessError):
            pass
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                        if Path(p).parent.name.isdigit() else 0)
    for candidate in reversed(candidates):
        if (Path(candidate) / "initdb").is_file():
            return Path(candidate)
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """One PostgreSQL cluster: ``start()``, then ``url(database)``, ``psql(sql)``; ``stop()`` removes it."""

    def __init__(self, bindir: Path, password: str = "s3cret-Pw-7781") -> None:
        self.bindir = bindir
        self.password = password
        self.folder = Path(tempfile.mkdtemp(prefix="readiness-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *command: str, input_text: str | None = None) -> str:
        argv = ["runuser", "-u", SUPERUSER, "--", *command] if self.as_root else list(command)
        done = subprocess.run(argv, capture_output=True, text=True, input=input_text, timeout=120,
                              env={**os.environ, "PGPASSWORD": self.password, "LC_ALL": "C"})
        if done.returncode:
            raise RuntimeError(f"{' '.join(command[:2])} failed: {done.stderr.strip()[-2000:]}")
        return done.stdout

    def start(self) -> Server:
        os.chmod(self.folder, 0o755)
        if self.as_root:
            shutil.chown(self.folder, SUPERUSER, SUPERUSER)
        pwfile = self.folder / "pw"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        if self.as_root:
            shutil.chown(pwfile, SUPERUSER, SUPERUSER)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=scram-sha-256",
                  f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "log"), "-w", "start")
        return self

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None) -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        return self._run(str(self.bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                         "-p", str(self.port), "-U", SUPERUSER, "-d", database, "-At", input_text=sql)

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except (RuntimeError, OSError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.folder, ignore_errors=True)
