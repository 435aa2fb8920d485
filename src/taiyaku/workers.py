"""The build's worker processes: spawned, each ending with its parent, shared by the outputs that lay out.

WeasyPrint runs only in workers (the parent never imports it), and a worker's start costs about a second: the
interpreter, WeasyPrint, taiyaku's fixes, the fonts. :class:`Workers` is one build's pool, started on first use
and kept for every output after it (the PDFs, then the facing edition), so each worker starts once per build
instead of once per output. :func:`start_worker` is every worker's initializer.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor

from .signals import signals_deferred

READY_SECONDS = 30
"""How long :meth:`Workers.ready` waits for the prestarted worker at most."""

PR_SET_PDEATHSIG = 1
"""prctl(2) option: the signal a process gets when its parent ends."""


def start_worker(parent: int) -> None:
    """Worker initializer: the parent handles Ctrl-C for the whole build, and the worker ends with its parent.

    A parent killed with -9 (the OOM killer, a CI timeout) cannot end its workers: without this they would
    live on, holding the build's stdout and stderr open, so that whoever captured them waits forever. Linux's
    ``PR_SET_PDEATHSIG`` sends SIGTERM when the parent goes (the pool starts its workers from the thread that
    submits, the build's, which outlives them); a parent gone already before that is checked for.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: a worker may outlive a parent killed with -9
        pass
    if os.getppid() != parent:
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
        callbacks, self._closing = self._closing, []
        for callback in callbacks:
            callback(ending)

    def prestart(self) -> None:
        """Start one worker now, importing the typesetter (about a second) while this process reads, checks and
        plans: the first part laid out does not wait for it. One, not one per core: the other core is this
        process's. If no output lays anything out after all, :meth:`close` ends it at once."""
        if self._pool is None:
            self._warming = self.pool().submit(_warm)
            self._used = False

    def ready(self) -> None:
        """Wait until the worker :meth:`prestart` started has imported the typesetter. A job submitted while it
        imports starts a second worker, which is ready later than the first (it starts later and does the same):
        for a job or two — an edit's lone paper — waiting is sooner (0.2 s on the sample)."""
        warming = self._warming
        if warming is not None and not warming.done():
            try:
                warming.result(timeout=READY_SECONDS)
            except Exception:  # noqa: BLE001 - a worker that failed to warm fails its first job, reported there
                pass

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
        if not self._used and self._warming is not None and not self._warming.cancel() \
                and not self._warming.done():  # (a worker still waiting for its first task just goes)
            self.end()
            return
        pool, self._pool = self._pool, None
        pool.shutdown(wait=wait, cancel_futures=True)


def _whole_starts(submit: Callable[..., Future]) -> Callable[..., Future]:
    """``submit`` with SIGINT and SIGTERM held back: the pool starts a worker in the submitting thread, writing
    it its start-up data, and a build interrupted there left a half-started worker printing a traceback
    (``EOFError`` in ``spawn_main``) on the build's stderr after the build's own message."""
    def submit_whole(*args: object, **kwargs: object) -> Future:
        with signals_deferred():
            return submit(*args, **kwargs)

    return submit_whole


def _warm() -> None:
    """A prestarted worker's first task: import what every part needs, and load the fonts (fontconfig's list,
    Pango's font map) into the configuration its documents share."""
    import taiyaku.pdf.typeset  # noqa: F401 - the import is the work
    from taiyaku.pdf.weasy import _shared_fonts

    _shared_fonts()
