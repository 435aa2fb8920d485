"""The build's workers (``taiyaku.workers``): one pool per build, one worker started before reading."""

from __future__ import annotations

import concurrent.futures
import os
import time
from pathlib import Path

import pytest

import taiyaku.workers as workers_module

pytestmark = pytest.mark.slow  # spawns real workers (the session's shared pools are left out)


@pytest.fixture
def real_pools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers_module, "ProcessPoolExecutor", concurrent.futures.ProcessPoolExecutor)


def test_a_prestarted_worker_no_output_used_ends_at_once(real_pools: None) -> None:
    """A build that typesets nothing (every PDF from the cache, or it stopped at a problem) does not wait for the
    worker it started to finish importing WeasyPrint (about a second) before it can exit."""
    workers = workers_module.Workers()
    workers.prestart()
    processes = list(workers._pool._processes.values())  # type: ignore[union-attr]
    assert len(processes) == 1  # one worker: the other core is the reading process's
    started = time.perf_counter()
    workers.close(wait=False)
    assert time.perf_counter() - started < 0.8
    assert not any(process.is_alive() for process in processes)


def test_a_prestarted_worker_an_output_used_ends_when_idle(real_pools: None) -> None:
    workers = workers_module.Workers()
    workers.prestart()
    pool = workers.pool()  # an output takes the pool: the prestarted worker is its
    assert pool.submit(sum, [1, 2]).result(timeout=60) == 3
    processes = list(pool._processes.values())
    workers.close(wait=True)
    assert all(process.exitcode == 0 for process in processes)


def test_a_lone_job_waits_for_the_prestarted_worker_and_two_start_another(real_pools: None) -> None:
    """An edit's one paper, submitted while the prestarted worker imports WeasyPrint, is queued for it (a second
    worker would be ready later than the first); two jobs beside the warming start the second worker."""
    import os

    workers = workers_module.Workers()
    workers.prestart()
    pool = workers.pool()
    warmed = list(pool._processes)  # type: ignore[attr-defined]
    lone = pool.submit(os.getpid)
    assert list(pool._processes) == warmed  # type: ignore[attr-defined] # no second worker for one job
    assert lone.result(timeout=60) == warmed[0]
    assert workers._warming is not None and workers._warming.done()  # (it ran after the warming)
    gate = [pool.submit(time.sleep, 0.5), pool.submit(time.sleep, 0.5)]
    assert len(pool._processes) == 2  # type: ignore[attr-defined]
    concurrent.futures.wait(gate, timeout=60)
    workers.close(wait=True)


def test_work_handed_over_early_is_settled_before_the_stage_goes_and_ended_with_the_workers(real_pools: None) -> None:
    """``on_close`` callbacks (``pdf.early``): told ``ending=False`` by ``settle`` and ``close`` (work still running
    is waited for there), ``ending=True`` by ``end`` once the worker processes are gone (nothing can write into
    what the callback removes); each callback is called once."""
    workers = workers_module.Workers()
    calls: list[tuple[bool, bool]] = []
    pool = workers.pool()
    assert pool.submit(sum, [1]).result(timeout=60) == 1
    processes = list(pool._processes.values())
    workers.on_close(lambda ending: calls.append((ending, any(_running(p.pid) for p in processes))))
    workers.settle()
    workers.close(wait=True)  # the callback was taken by settle
    assert calls == [(False, True)]
    workers = workers_module.Workers()
    pool = workers.pool()
    assert pool.submit(sum, [1]).result(timeout=60) == 1
    processes = list(pool._processes.values())
    workers.on_close(lambda ending: calls.append((ending, any(_running(p.pid) for p in processes))))
    workers.end()
    assert calls[1:] == [(True, False)]


def _running(pid: int) -> bool:
    """Whether the process runs (a zombie does not; ``Process.is_alive`` cannot tell once the pool's own thread
    has reaped it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _write_unflushed(text: str) -> int:
    """A worker's job that leaves ``text`` in its stdout's buffer (no newline, no flush)."""
    import os
    import sys

    sys.stdout.write(text)
    return os.getpid()


def test_a_worker_ends_without_teardown_and_its_output_still_reaches_the_build(tmp_path: Path) -> None:
    """Workers end with ``os._exit`` (no interpreter teardown: 0.06 s of every build's end): what a worker wrote
    last still reaches the build's output, the exit code stays 0, and nothing is reported on stderr (no
    traceback, no resource warning)."""
    import subprocess
    import sys

    script = tmp_path / "run.py"
    script.write_text(
        "import sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from taiyaku.workers import Workers\n"
        "from test_workers import _write_unflushed\n"
        "if __name__ == '__main__':\n"
        "    workers = Workers()\n"
        "    pool = workers.pool()\n"
        "    pool.submit(_write_unflushed, 'left in the buffer').result(timeout=60)\n"
        "    processes = list(pool._processes.values())\n"
        "    workers.close(wait=True)\n"
        "    print('\\nexit codes', [p.exitcode for p in processes])\n", encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(Path(workers_module.__file__).parents[1]), str(Path(__file__).parent)]),
           "PATH": os.environ.get("PATH", "")}
    done = subprocess.run([sys.executable, str(script), str(Path(__file__).parent)], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "left in the buffer" in done.stdout
    assert "exit codes [0]" in done.stdout
    assert done.stderr == ""


def test_a_job_submitted_as_the_last_one_is_handed_back_goes_to_the_started_worker(real_pools: None) -> None:
    """The pool counts a worker idle only after its job's callbacks: a job submitted from one (as the facing
    edition repairs a side it has just checked) started a second worker while the first was free."""
    import os

    workers = workers_module.Workers()
    pool = workers.pool()
    first = pool.submit(os.getpid)
    pid = first.result(timeout=60)
    followed: concurrent.futures.Future = concurrent.futures.Future()

    def next_job(done: concurrent.futures.Future) -> None:
        followed.set_result(pool.submit(os.getpid))  # runs before the pool counts the worker idle

    second = pool.submit(os.getpid)
    second.add_done_callback(next_job)
    assert second.result(timeout=60) == pid
    assert followed.result(timeout=60).result(timeout=60) == pid
    assert list(pool._processes) == [pid]  # type: ignore[attr-defined] # no second worker
    many = [pool.submit(time.sleep, 0.3) for _ in range(3)]  # more jobs than workers: the pool starts another
    concurrent.futures.wait(many, timeout=60)
    assert len(pool._processes) == 2  # type: ignore[attr-defined]
    workers.close(wait=True)


def _typesetter_loaded() -> bool:
    import sys

    return "weasyprint" in sys.modules and "taiyaku.pdf.typeset" in sys.modules


def test_a_worker_imports_the_typesetter_before_it_takes_a_job(real_pools: None) -> None:
    """Not only the prestarted one: a worker the pool starts later warms in its initializer, so it does not take
    the next job (an edit's sheet, its front matter) and then import WeasyPrint for 0.4 s while the first worker
    comes free."""
    workers = workers_module.Workers()
    pool = workers.pool()  # no prestart: the first job starts the worker
    assert pool.submit(_typesetter_loaded).result(timeout=60)
    workers.close(wait=True)


@pytest.mark.pdf
def test_warming_runs_once_and_lays_out_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    """``_warm`` (every worker's initializer, and the prestarted worker's job after it) lays its small document
    out once: the second call returns at once."""
    from taiyaku.pdf import weasy

    laid_out: list[int] = []
    original = weasy.render
    monkeypatch.setattr(workers_module, "_warmed", False)
    monkeypatch.setattr(weasy, "render", lambda *args, **kwargs: laid_out.append(1) or original(*args, **kwargs))
    workers_module._warm()
    workers_module._warm()
    assert laid_out == [1] and workers_module._warmed
    document = original(weasy.WARM_UP.format(serif_latin="serif", serif_ja="serif", sans="sans-serif",
                                            sans_ja="sans-serif"))
    assert len(document.pages) == 1


@workers_module.no_new_worker
def _short_assembly() -> int:
    import os

    return os.getpid()


def test_assemblies_start_no_worker(real_pools: None) -> None:
    """An edit's volume and offprints, queued together (``no_new_worker``), run on the worker there is: a second
    worker would take 0.5 s of processor time to start for 0.1 s of work; three layouts start one."""
    import os

    workers = workers_module.Workers()
    pool = workers.pool()
    pid = pool.submit(os.getpid).result(timeout=60)
    assemblies = [pool.submit(_short_assembly) for _ in range(3)]
    assert len(pool._processes) == 1  # type: ignore[attr-defined]
    assert {future.result(timeout=60) for future in assemblies} == {pid}
    layouts = [pool.submit(time.sleep, 0.3) for _ in range(3)]
    assert len(pool._processes) == 2  # type: ignore[attr-defined]
    concurrent.futures.wait(layouts, timeout=60)
    workers.close(wait=True)


@pytest.mark.pdf
def test_warming_leaves_weasyprints_fixes_as_they_were() -> None:
    """A job laid out without taiyaku's typography (a sheet of folios) finds WeasyPrint as a fresh worker would:
    the warm-up switches the fixes on for its own layout only."""
    from taiyaku.pdf import weasy

    with weasy.unpatched():
        weasy.warm_up()
        assert not any(fix.active for fix in weasy.fixes())
    weasy.apply()
    weasy.warm_up()
    assert all(fix.active for fix in weasy.fixes() if fix.applies())
