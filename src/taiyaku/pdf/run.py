"""Run the print stage's jobs: each in a worker process (never in the parent, which does not load WeasyPrint)."""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Callable

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
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_typeset, job) for job in jobs]
        for future in futures:
            result = future.result()
            results.append(result)
            if progress is not None:
                progress(result)
    return results


def _typeset(job: TypesetJob) -> TypesetResult:
    """The worker's entry point (imports the typesetter, and so WeasyPrint, in the worker only)."""
    from .typeset import typeset

    return typeset(job)
