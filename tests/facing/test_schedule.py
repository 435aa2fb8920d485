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


def test_a_job_waits_for_a_started_worker_unless_two_would_wait():
    """With one of two workers started and busy, one more job waits for it (the pool would start a worker for
    it, ready half a second later); a second waiting job lets the pool start the other."""
    gate = threading.Event()
    started = [1]

    def job(name: str) -> str:
        gate.wait(5)
        return name

    with ThreadPoolExecutor(2) as pool:
        jobs = Scheduler(pool, 2, lambda: started[0])  # type: ignore[arg-type]
        first = jobs.submit(job, "first", PLACE, 10)
        second = jobs.submit(job, "second", PLACE, 10)
        assert jobs._running == 1 and len(jobs._waiting) == 1  # held for the started worker
        third = jobs.submit(job, "third", PLACE, 10)
        assert jobs._running == 3 and not jobs._waiting  # two would wait: the pool may start the other worker
        started[0] = 2
        gate.set()
        assert [future.result(5) for future in (first, second, third)] == ["first", "second", "third"]


def test_with_no_worker_started_a_job_goes_to_the_pool_which_starts_one():
    with ThreadPoolExecutor(2) as pool:
        jobs = Scheduler(pool, 2, lambda: 0)  # type: ignore[arg-type]
        assert jobs.submit(str, 1, PLACE, 10).result(5) == "1"


def test_a_held_job_goes_to_the_started_worker_when_it_is_free():
    with ThreadPoolExecutor(2) as pool:
        jobs = Scheduler(pool, 2, lambda: 1)  # type: ignore[arg-type]
        gate = threading.Event()
        first = jobs.submit(lambda _: gate.wait(5), None, PLACE, 10)
        second = jobs.submit(str, 2, PLACE, 10)
        assert not second.done() and jobs._waiting
        gate.set()
        assert first.result(5) is True and second.result(5) == "2"
