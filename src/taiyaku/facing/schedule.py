"""Hand the edition's layouts to the worker pool the most urgent first, a few at a time.

A :class:`~concurrent.futures.ProcessPoolExecutor` runs its jobs in the order they were submitted. The edition
knows better: a side placed again for a row out of step holds its paper (and so the front matter and the
assembly) back, while the first placements are all known at once. Were they all submitted at once, such a
repeat would wait behind every one of them and run last, alone, one core idle (measured with 2 workers: it
waited 5–15 s and ran alone 0.8–2.1 s at the end, about 7 % of the edition's wall time). So jobs wait here, in a heap: what a paper waits for (:data:`URGENT`) before the first
placements (:data:`PLACE`), the largest first (the longest jobs do not run last), then what only the end
needs (:data:`LATER`: cover, contributors), which fills the workers while the last papers are checked.

What each job makes does not depend on when it runs: the edition's bytes are the same in any order.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

URGENT = 0
"""A side placed again, the front matter and the folio sheet: what the end of the run waits for."""
PLACE = 1
"""A side's first placement (or its measuring layout)."""
LATER = 2
"""What only the assembly needs: the cover, the contributors, the front matter laid out to be measured."""


class Scheduler:
    """Jobs for ``pool`` by priority (:data:`URGENT`, :data:`PLACE`, :data:`LATER`), then size, largest first;
    at most one more in the pool than it has ``workers`` (one waits there, ready for the next worker free: no
    worker waits for the parent to hand it a job: 10-60 ms a job under load), so a job submitted
    later waits behind at most one that came before it."""

    def __init__(self, pool: ProcessPoolExecutor, workers: int) -> None:
        self.pool = pool
        self.limit = workers + 1
        self._waiting: list[tuple[int, int, int, Callable[..., Any], Any, Future]] = []
        self._order = itertools.count()
        self._running = 0
        self._held = False
        self._lock = threading.Lock()

    def hold(self) -> None:
        """Keep jobs waiting until :meth:`release`: a batch submitted meanwhile starts largest first, not in the
        order it was submitted."""
        self._held = True

    def release(self) -> None:
        """Let the jobs held back run."""
        self._held = False
        self._dispatch()

    def submit(self, entry: Callable[..., Any], job: Any, priority: int, size: int) -> Future:
        """A future for ``entry(job)``, run when the pool has room and nothing more urgent (or larger) waits."""
        future: Future = Future()
        with self._lock:
            heapq.heappush(self._waiting, (priority, -size, next(self._order), entry, job, future))
        self._dispatch()
        return future

    def _dispatch(self) -> None:
        """Give free workers the first jobs waiting (called by the submitting thread and, as jobs finish, by the
        pool's result thread)."""
        while True:
            with self._lock:
                if self._held or self._running >= self.limit or not self._waiting:
                    return
                *_, entry, job, future = heapq.heappop(self._waiting)
                self._running += 1
            try:
                running = self.pool.submit(entry, job)
            except BaseException as exc:  # noqa: BLE001 - a pool shut down or broken: whoever waits is told
                with self._lock:
                    self._running -= 1
                future.set_exception(exc)
                continue
            running.add_done_callback(lambda done, future=future: self._finished(done, future))

    def _finished(self, done: Future, future: Future) -> None:
        """A job ended: its worker takes the next one before the result is handed on."""
        with self._lock:
            self._running -= 1
        self._dispatch()
        if done.cancelled():
            future.cancel()
        elif done.exception() is not None:
            future.set_exception(done.exception())
        else:
            future.set_result(done.result())
