"""The edition's scheduler: the most urgent, then the largest job first, one more in the pool than workers."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from taiyaku.facing.schedule import LATER, PLACE, URGENT, Scheduler


def test_jobs_run_by_priority_then_size_and_a_later_urgent_job_jumps_the_queue():
    ran: list[str] = []
    gate = threading.Event()

    def job(name: str) -> str:
        if name == "first":
            gate.wait(5)
        ran.append(name)
        return name

    with ThreadPoolExecutor(1) as pool:
        jobs = Scheduler(pool, 1)  # type: ignore[arg-type] # one job running, one ready in the pool
        jobs.hold()
        futures = [jobs.submit(job, "first", PLACE, 1000),
                   jobs.submit(job, "cover", LATER, 5000),
                   jobs.submit(job, "small", PLACE, 10),
                   jobs.submit(job, "large", PLACE, 500)]
        assert not any(future.running() or future.done() for future in futures)  # held: nothing started
        jobs.release()
        # "first" holds the only worker, "large" is ready behind it; a repeat submitted now goes before all
        # that still waits.
        futures.append(jobs.submit(job, "repeat", URGENT, 1))
        gate.set()
        assert [future.result(5) for future in futures] == ["first", "cover", "small", "large", "repeat"]
    assert ran == ["first", "large", "repeat", "small", "cover"]


def test_a_failing_job_and_a_pool_shut_down_reach_whoever_waits():
    def fail(_: object) -> None:
        raise ValueError("broken side")

    pool = ThreadPoolExecutor(2)
    jobs = Scheduler(pool, 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="broken side"):
        jobs.submit(fail, None, PLACE, 1).result(5)
    pool.shutdown()
    with pytest.raises(RuntimeError, match="shutdown"):
        jobs.submit(str, 1, PLACE, 1).result(5)

