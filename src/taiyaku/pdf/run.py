"""Run the print stage's jobs: each in a worker process (never in the parent, which does not load WeasyPrint).

Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the parent alone decides what an interrupt
means (it ends the workers and cleans up), so no worker prints a traceback of its own. A worker that dies
(the OOM killer, a crash in a C library) fails the build with one located error instead of a traceback.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from ..errors import PDFError
from .jobs import TypesetJob, TypesetResult

log = logging.getLogger(__name__)


def run_jobs(jobs: list[TypesetJob],
             progress: Callable[[TypesetResult], None] | None = None) -> list[TypesetResult]:
    """Typeset every job in spawned worker processes (as many as jobs, at most one per core); results in order."""
    if not jobs:
        return []
    workers = min(len(jobs), multiprocessing.cpu_count() or 1)
    results: list[TypesetResult] = []
    # "spawn": a clean interpreter per worker, independent of what the parent has loaded; WeasyPrint and
    # taiyaku's fixes to it live only there, even for a single job.
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_ignore_interrupts)
    try:
        futures = [pool.submit(_typeset, job) for job in jobs]
        for job, future in zip(jobs, futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                raise PDFError("the typesetting worker ended without a result (killed, perhaps for lack of "
                               "memory); nothing was written", f"pdf/{job.label}") from None
            results.append(result)
            if progress is not None:
                progress(result)
    except BaseException:
        # Interrupted or failed: end the workers now rather than wait for their jobs to finish.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results


def _ignore_interrupts() -> None:
    """Worker initializer: the parent handles Ctrl-C for the whole build."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _typeset(job: TypesetJob) -> TypesetResult:
    """The worker's entry point (imports the typesetter, and so WeasyPrint, in the worker only)."""
    from .typeset import typeset

    return typeset(job)
