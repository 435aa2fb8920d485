"""The build's worker processes: spawned, each ending with its parent, shared by the outputs that lay out.

WeasyPrint runs only in workers (the parent never imports it), and a worker's start costs about a second: the
interpreter, WeasyPrint, taiyaku's fixes, the fonts. :class:`Workers` is one build's pool, started on first use
and kept for every output after it (the PDFs, then the facing edition), so each worker starts once per build
instead of once per output. :func:`start_worker` is every worker's initializer.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from .signals import signals_deferred

ORPHAN_CHECK_SECONDS = 0.25
"""How often a worker checks that the build that started it is still there."""


def start_worker(parent: int) -> None:
    """Worker initializer: the parent handles Ctrl-C for the whole build, the worker ends with its parent, and it
    imports the typesetter (:func:`_warm`) before it takes a job.

    Why before: the pool hands a job to whichever worker asks first, and a worker asks as soon as its process
    runs. A second worker, started because jobs queue up while the first is busy, took the next one (an edit's
    sheet of folios, its front matter) and then spent 0.4 s importing WeasyPrint with it, while the first worker
    came free and took the jobs after it; the volume's assembly waited for the late one. Warming in the
    initializer, a worker asks for its first job once it can start on it at once.

    A parent killed with -9 (the OOM killer, a CI timeout) cannot end its workers: without this they would
    live on, holding the build's stdout and stderr open, so that whoever captured them waits forever. A daemon
    thread of the worker checks every quarter of a second that its parent is still the build and ends the worker
    when it is not. (Not Linux's ``PR_SET_PDEATHSIG``: it signals the worker when the *thread* that started it
    ends, and the pool starts workers from whichever thread submits, a short-lived helper's as well as the
    build's.)
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_end_with, args=(parent,), name="taiyaku-orphan-check", daemon=True).start()
    atexit.register(_exit_at_once)
    try:
        _warm()
    except Exception:  # noqa: BLE001 - the first job imports the same and reports the problem as a result
        pass


def _exit_at_once() -> None:
    """A worker's last step: its output flushed, the process ends without tearing the interpreter down.

    The build waits for its workers to exit, and a worker's teardown (freeing WeasyPrint's, Pango's and
    fontconfig's objects module by module) took 0.06 s of every build's end. Nothing of a worker's needs it: its
    results went back through the pool, its files are written and closed, multiprocessing's own exit work ran
    before this (``Process._bootstrap``), and the pool reads no worker's exit code once it is shut down (a
    worker that died *during* a job is seen by its sentinel, before any exit handler). Registered last, so it
    runs first among the exit handlers."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed or broken stream: nothing more can reach it anyway
            pass
    os._exit(0)


def _end_with(parent: int) -> None:
    """End this worker as soon as ``parent`` is no longer its parent (it ended; the worker was adopted)."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)


class Workers:
    """One build's pool of spawned workers (one per core), started on first use or by :meth:`prestart`, ended
    by :meth:`close`."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._warming: Future[None] | None = None
        self._used = False
        self._closing: list[Callable[[bool], None]] = []

    def on_close(self, callback: Callable[[bool], None]) -> None:
        """Call ``callback(ending)`` when the workers are closed (``ending`` false) or ended (true): work handed
        over early and never taken is cancelled there, whether the build used the rest or stopped first."""
        self._closing.append(callback)

    def _call_closing(self, ending: bool) -> None:
        """Every callback runs, even after one failed (the first failure is raised after them)."""
        callbacks, self._closing = self._closing, []
        failed: BaseException | None = None
        for callback in callbacks:
            try:
                callback(ending)
            except BaseException as exc:  # noqa: BLE001 - raised after the other callbacks have run
                failed = failed or exc
        if failed is not None:
            raise failed

    def prestart(self) -> None:
        """Start one worker now, importing the typesetter (0.4 s) while this process reads, checks and plans: the
        first part laid out does not wait for it. One, not one per core: the other core is this
        process's. If no output lays anything out after all, :meth:`close` ends it at once."""
        if self._pool is None:
            self._warming = self.pool().submit(_warm)
            self._used = False

    @property
    def size(self) -> int:
        """How many workers the pool has at most."""
        return multiprocessing.cpu_count() or 1

    def pool(self) -> ProcessPoolExecutor:
        """The pool (started now if it is not): "spawn", a clean interpreter per worker, independent of what the
        parent has loaded; WeasyPrint and taiyaku's fixes to it live only there."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.size, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=start_worker, initargs=(os.getpid(),))
            self._pool.submit = _whole_starts(self._pool.submit)  # type: ignore[method-assign]
            _start_when_needed(self._pool)
        self._used = True
        return self._pool

    def end(self) -> None:
        """After a failure or an interrupt: the workers end now, whatever they are doing."""
        if self._pool is None:
            self._call_closing(True)
            return
        pool, self._pool = self._pool, None
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(5)
        self._call_closing(True)  # after the workers are gone: none writes into what the callbacks remove
        pool.shutdown(wait=True, cancel_futures=True)

    def settle(self) -> None:
        """The build stopped (a problem, not an interrupt) before its staging folder is thrown away: work handed
        over early is cancelled or finished first, so that nothing is written there afterwards."""
        self._call_closing(False)

    def close(self, wait: bool = True) -> None:
        """The build is done with its workers: they end once idle (``wait``: this call returns when they have);
        a worker started by :meth:`prestart` that no output used and that is still importing ends now (the
        process must not wait for it to exit)."""
        self._call_closing(False)
        if self._pool is None:
            return
        if not self._used and self._warming is not None and not self._warming.done():
            self.end()  # (still importing, in its initializer: shutting down would wait for it)
            return
        pool, self._pool = self._pool, None
        pool.shutdown(wait=wait, cancel_futures=True)


def _start_when_needed(pool: ProcessPoolExecutor) -> None:
    """The pool starts a worker only when more jobs are pending than it has workers, not counting jobs marked
    ``starts_no_worker`` (:func:`no_new_worker`): a prestarted worker's warming (:func:`_warm`), and assemblies,
    shorter than a worker's start (an edit's volume and offprint would start a second worker, 0.5 s of
    processor time beside the first, for 0.1 s of work).

    ``ProcessPoolExecutor`` starts one whenever a job finds no worker counted idle. A worker importing WeasyPrint
    for :meth:`Workers.prestart` is not idle, so an edit's one paper, planned meanwhile, started a second worker,
    ready later than the first (it starts later and does the same); it now waits for the first, queued behind its
    warming (the sample's one paragraph: the paper 0.67 → 0.31 s). And the pool counts a worker idle only after
    its last job's result has been handed back, callbacks and all: a job submitted as soon as the last one is
    known (the facing edition's repair of a side it has just checked) started a worker half a second away while
    the first sat free (a side placed in 0.75 s instead of 0.3). Done on the pool's private
    ``_adjust_process_count`` and ``_pending_work_items`` (CPython 3.9+), and left as it is where those are not
    there."""
    needed = ("_adjust_process_count", "_pending_work_items", "_processes", "_max_workers", "_spawn_process")
    if not all(hasattr(pool, name) for name in needed):
        return

    def adjust_process_count() -> None:
        processes = len(pool._processes)  # type: ignore[attr-defined]
        jobs = sum(1 for item in list(pool._pending_work_items.values())  # type: ignore[attr-defined]
                   if not getattr(getattr(item, "fn", None), "starts_no_worker", False))
        if (processes == 0 or jobs > processes) and processes < pool._max_workers:  # type: ignore[attr-defined]
            pool._spawn_process()  # type: ignore[attr-defined]

    pool._adjust_process_count = adjust_process_count  # type: ignore[method-assign]


def _whole_starts(submit: Callable[..., Future]) -> Callable[..., Future]:
    """``submit`` with SIGINT and SIGTERM held back: the pool starts a worker in the submitting thread, writing
    it its start-up data, and a build interrupted there left a half-started worker printing a traceback
    (``EOFError`` in ``spawn_main``) on the build's stderr after the build's own message."""
    def submit_whole(*args: object, **kwargs: object) -> Future:
        with signals_deferred():
            return submit(*args, **kwargs)

    return submit_whole


def no_new_worker(function: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a worker's entry point as not worth starting a worker for (:func:`_start_when_needed`)."""
    function.starts_no_worker = True  # type: ignore[attr-defined]
    return function


_warmed = False


@no_new_worker
def _warm() -> None:
    """Every worker's start (:func:`start_worker`), and the job :meth:`Workers.prestart` submits to start one:
    import what every part needs, load the fonts (fontconfig's list, Pango's font map) into the configuration its
    documents share, and lay a small document out (:func:`taiyaku.pdf.weasy.warm_up`). The modules a part's
    layout and writing import on first use (the fixes to WeasyPrint, the fonts' placeholders, the metadata and
    with it pikepdf: 0.04 s) are imported here too, while the build still reads and plans, not in an edit's one
    paper."""
    global _warmed
    if _warmed:  # (the prestarted worker's job, after its initializer)
        return
    import taiyaku.pdf.flow  # noqa: F401 - the imports are the work
    import taiyaku.pdf.metadata  # noqa: F401
    import taiyaku.pdf.typeset  # noqa: F401
    import taiyaku.pdf.weasy.deferfonts  # noqa: F401
    from taiyaku.pdf.weasy import _shared_fonts, fixes, warm_up

    fixes()
    _shared_fonts()
    warm_up()
    _warmed = True
