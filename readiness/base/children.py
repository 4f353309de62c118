"""Forked children that run one function and hand back its outcome: the one way this project
forks, for the stages run beside each other (parallel.py) and for parsers run within limits
(ingest/sandbox.py).

A child inherits the parent's objects by fork (copy-on-write, no pickling of its input) and
writes ``("ok", value)`` or ``("error", what describe made of the exception)`` with pickle to a
file in a folder only this user can read; the parent loads it once the child has exited. A
plain fork, not multiprocessing: it works inside daemonic pool workers too (schedulers).
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from typing import Any

RESULT = "result.pickle"


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith(("linux", "darwin"))


def private_folder(prefix: str) -> str:
    """A new temporary folder only this user can read: what a child returns may hold data."""
    folder = tempfile.mkdtemp(prefix=prefix)
    os.chmod(folder, 0o700)
    return folder


def _same(exc: BaseException) -> Any:
    return exc


class Child:
    """``work()`` running in a forked child now; ``wait`` for it, then ``outcome``.

    ``describe`` turns an exception of the child into what the parent gets (by default the
    exception itself, raised again there). ``folder`` is the child's private folder, made by the
    caller when it must name files in it before the fork."""

    def __init__(self, work: Callable[[], Any], *, describe: Callable[[BaseException], Any] = _same,
                 prefix: str = "readiness-child-", folder: str | None = None) -> None:
        self.folder = folder or private_folder(prefix)
        self.status: int | None = None  # as os.waitpid gives it, once the child has ended
        ended, holding = os.pipe()  # readable (at end of file) once the child has exited
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError:  # no memory or processes left for a child: nothing to clean up later
            os.close(ended)
            os.close(holding)
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        if pid == 0:
            try:
                os.close(ended)
                gc.freeze()  # the parent's objects: the child's collections skip them (and copy none)
                _report(work, describe, self.path(RESULT))
            finally:
                os._exit(1)
        os.close(holding)
        self.pid = pid
        self._ended: int | None = ended

    def path(self, name: str) -> str:
        return os.path.join(self.folder, name)

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the child has ended, waiting up to ``timeout`` seconds (None: until it ends)."""
        if self.status is None:
            if timeout is not None and self._ended is not None:
                ready, _, _ = select.select([self._ended], [], [], timeout)
                if not ready:
                    return False
            self.status = os.waitpid(self.pid, 0)[1]
            self._close_pipe()
        return True

    @property
    def exit_code(self) -> int | None:
        """The exit code as multiprocessing gives it (minus the signal that killed the child)."""
        return None if self.status is None else os.waitstatus_to_exitcode(self.status)

    def kill(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.wait()

    def result_bytes(self) -> int | None:
        """The size of what the child returned; None when it wrote nothing."""
        try:
            return os.path.getsize(self.path(RESULT))
        except OSError:
            return None

    def outcome(self) -> tuple[str, Any]:
        """``("ok", value)`` or ``("error", described)``, as the child wrote it."""
        with open(self.path(RESULT), "rb") as handle:
            return pickle.load(handle)  # type: ignore[no-any-return]  # written by our own child

    def close(self) -> None:
        """Stop the child if it still runs, and remove its folder."""
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _close_pipe(self) -> None:
        if self._ended is not None:
            os.close(self._ended)
            self._ended = None


def _report(work: Callable[[], Any], describe: Callable[[BaseException], Any], result_path: str) -> None:
    """Run ``work`` (in the child), write its outcome, and end the child."""
    try:
        value: tuple[str, Any] = ("ok", work())
    except BaseException as exc:  # every failure goes back to the parent
        value = ("error", describe(exc))
    try:
        with open(result_path, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # a value that does not pickle still reaches the parent, as text
        text = f"{type(value[1]).__name__}: {value[1]}"[:500] or str(exc)
        with open(result_path, "wb") as handle:
            pickle.dump(("error", describe(RuntimeError(text))), handle)
    os._exit(0)
