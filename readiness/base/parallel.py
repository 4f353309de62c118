"""Independent stages on the second core: GX validation and the visual profile run in forked
children while the parent computes the exact counts and the ML checks.

A child inherits the tables by fork (copy-on-write, no pickling of the data) and sends its
result back through a private temporary file (base/children.py runs it). An exception in the child is re-raised in the
parent, so a bad suite is the same one-line error it would be in-process. Without ``fork``
(Windows) the function simply runs in-process when its result is asked for.
"""

from __future__ import annotations

import functools
import gc
import os
import pickle
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, ParamSpec, TypeVar

from readiness.base.children import Child, can_fork, private_folder

T = TypeVar("T")
PREFIX = "readiness-stage-"


class Background(Generic[T]):
    """``function(*args)`` started now in a forked child; ``result()`` waits for it."""

    def __init__(self, function: Callable[..., T], *args: Any, fork: bool = True) -> None:
        self._function, self._args = function, args
        self._child: Child | None = None
        if fork and can_fork():
            self._child = Child(lambda: function(*args), prefix=PREFIX)

    def result(self) -> T:
        if self._child is None:
            return self._function(*self._args)
        child = self._child
        try:
            child.wait()
            if child.result_bytes() is None:
                raise RuntimeError(f"a background stage ({getattr(self._function, '__name__', 'stage')}) ended without "
                                   f"a result (status {child.status})")
            status, value = child.outcome()
        finally:
            child.close()
        if status == "error":
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child (the audit failed elsewhere) and remove its files."""
        if self._child is not None:
            self._child.close()


class Deferred(Background[T]):
    """A child forked now that gets ready at once (``ready()``: imports, warm-up) and runs
    ``function(*args, *rest)`` when ``start(*rest)`` hands it the rest of its input, which does
    not exist yet at fork time. ``rest`` is pickled to the child; ``args`` come by fork.

    Without ``fork`` nothing happens until ``result()``, which then runs the function here."""

    def __init__(self, ready: Callable[[], Any], function: Callable[..., T], *args: Any, fork: bool = True) -> None:
        super().__init__(function, *args, fork=False)
        self._go: int | None = None
        if fork and can_fork():
            read_end, write_end = os.pipe()
            folder = private_folder(PREFIX)
            self._rest_path = os.path.join(folder, "rest.pickle")

            def work() -> T:
                os.close(write_end)
                try:
                    ready()
                except Exception:  # noqa: BLE001 - only a warm-up: the run itself reports problems
                    pass
                with os.fdopen(read_end, "rb") as signal_in:
                    go = signal_in.read()
                if go != b"go":
                    os._exit(1)  # cancelled before it started: nothing to report
                with open(self._rest_path, "rb") as handle:
                    rest = pickle.load(handle)  # written by our own parent a moment ago
                return function(*args, *rest)

            self._child = Child(work, folder=folder)
            os.close(read_end)
            self._go = write_end

    def start(self, *rest: Any) -> None:
        """Hand the child the rest of its input; it starts the function now."""
        if self._child is None:
            self._args = (*self._args, *rest)
            return
        with open(self._rest_path, "wb") as handle:
            pickle.dump(rest, handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._signal(b"go")

    def _signal(self, message: bytes) -> None:
        if self._go is not None:
            try:
                os.write(self._go, message)
            finally:
                os.close(self._go)
                self._go = None

    def cancel(self) -> None:
        self._signal(b"")  # a child still getting ready ends on its own
        super().cancel()


class Claims:
    """Which of ``count`` items are taken, shared by a parent and the child it forks next: the
    parent takes items from the front, the child from the back, until they meet. Neither waits for
    the other, however busy the second core is (GX's child imports GX meanwhile)."""

    def __init__(self, count: int) -> None:
        import mmap
        import multiprocessing

        self._taken = mmap.mmap(-1, max(1, count))  # anonymous and shared: a fork sees the same bytes
        self._lock = multiprocessing.get_context("fork").Lock()
        self.count = count

    def take(self, position: int) -> bool:
        with self._lock:
            if self._taken[position]:
                return False
            self._taken[position] = 1
            return True

    def from_front(self) -> Iterator[int]:
        """The parent's part: every item the child has not taken, in order."""
        return (position for position in range(self.count) if self.take(position))

    def from_back(self, wanted: Callable[[int], bool] = lambda _position: True) -> Iterator[int]:
        """The child's part: items from the back until one the parent took; an item not ``wanted``
        (too large to send back) is left to the parent."""
        for position in range(self.count - 1, -1, -1):
            if not wanted(position):
                continue
            if not self.take(position):
                return
            yield position


def shared_work(count: int, work: Callable[[int], T], *, wanted: Callable[[int], bool] = lambda _position: True,
                sent: Callable[[int, T], Any] = lambda _position, value: value,
                received: Callable[[int, Any], T] = lambda _position, value: value) -> list[T]:
    """``[work(0), ..., work(count - 1)]``, shared with a forked child (``Claims``): this process
    works from the front, the child from the back on the items it ``wanted``, and what it did
    comes back pickled (``sent`` by the child, ``received`` here: to leave out what the parent has)."""
    claims = Claims(count)
    other = Background(lambda: [(position, sent(position, work(position)))
                                for position in settled(claims.from_back(wanted))])
    try:
        done = {position: work(position) for position in settled(claims.from_front())}
        done.update((position, received(position, value)) for position, value in other.result())
    finally:
        other.cancel()
    return [done[position] for position in range(count)]


def settle(generation: int = 2) -> None:
    """Mark every object alive now as long-lived (``gc.freeze``), after collecting the garbage of
    the generations up to ``generation``: an audit of thousands of tables keeps millions of
    objects (tables, plans, counts, the history's last runs) to its end, and each full collection
    would walk them all again (a third of a 10,000-table audit). Objects settled are still freed
    when no longer referenced; ``settling`` thaws them when the audit ends."""
    gc.collect(generation)
    gc.freeze()


SETTLE_EVERY = 256  # items of a per-table loop between settlings


def settled(items: Iterable[T]) -> Iterator[T]:
    """The items of a per-table loop, settling what the loop keeps every SETTLE_EVERY items
    (the young generations collected first: what the last items left behind)."""
    for number, item in enumerate(items, 1):
        yield item
        if number % SETTLE_EVERY == 0:
            settle(1)


P = ParamSpec("P")


AUDIT_GC_THRESHOLD = (100_000, 10, 10)  # Python's default is (700, 10, 10)


def settling(function: Callable[P, T]) -> Callable[P, T]:
    """``function`` (an audit), after which the objects it ``settle``-d are ordinary again.

    While it runs (its forked children too), the young generation is collected every 100,000
    allocations instead of 700: an audit allocates millions of small objects it keeps (per-table
    plans, counts, documents), and each collection walks what is still young; on 10,000 tiny
    tables that was about 8 s of 106. Garbage in cycles waits a little longer; the peak memory
    of that audit did not change."""
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        before = gc.get_threshold()
        gc.set_threshold(*AUDIT_GC_THRESHOLD)
        try:
            return function(*args, **kwargs)
        finally:
            gc.set_threshold(*before)
            gc.unfreeze()
    return wrapper


def preload(*modules: str | Callable[[], Any]) -> threading.Thread:
    """Import ``modules`` on a thread now (join it before forking). For modules both children
    import (scipy, through GX and the profiler): imported once, while this process reads the
    files (Arrow reads without the GIL), instead of once in each child. A callable is called
    instead (an import that needs more than its name, visual.warm_if_repeated)."""
    import importlib

    def run() -> None:
        for module in modules:
            try:
                if callable(module):
                    module()
                else:
                    importlib.import_module(module)
            except Exception:  # noqa: BLE001 - only a head start: the real import reports problems
                pass

    thread = threading.Thread(target=run, name="readiness-preload", daemon=True)
    thread.start()
    return thread


PARALLEL_CELLS = 2_000_000  # below this many cells, forking costs more (fresh imports) than it saves
PARALLEL_TABLES = 64  # or from this many tables on: each costs every stage milliseconds, whatever its size


def worth_forking(cells: int, tables: int = 1, *, choice: bool | None) -> bool:
    """Whether to run independent stages in children: for large tables or many tables, or when told to.

    ``choice`` (READINESS_PARALLEL=always|never, read by settings.environment) overrides the size
    rule (tests use ``always``); None keeps it.
    """
    return (cells >= PARALLEL_CELLS or tables >= PARALLEL_TABLES) if choice is None else choice


def draw_aside(*, choice: bool | None) -> bool:
    """Whether to draw the visual profiles in a forked child, whatever the size: the parent never
    needs the profiler, so the child's imports are no extra cost, and the drawing (about 1 s for
    even a tiny table, mostly matplotlib) overlaps the counts and GX. Only
    ``choice`` False (READINESS_PARALLEL=never) keeps it in-process."""
    return choice is not False and can_fork()


MEMORY_BOUND_CELLS = 50_000_000  # from here on, memory, not the cores, limits an audit


def memory_bound(cells: int, *, choice: bool | None) -> bool:
    """Whether stages that each need working memory in proportion to the table (GX's whole-row
    check, the ML checks) should run one after the other rather than side by side: above
    MEMORY_BOUND_CELLS their peaks would add up (10M rows x 11 columns: about 1 GB more).
    ``choice`` (READINESS_OVERLAP=always|never: side by side or not) overrides the size rule."""
    return cells >= MEMORY_BOUND_CELLS if choice is None else not choice
