"""The facing edition against the two single-language PDFs: processor time, wall time, pages.

Usage: ``python benchmarks/bench_facing.py [--repeat N] [--root PATH] [--times N] [--phases]`` (default the sample volume,
the repository root; ``--times 8``: the sample with every document repeated 8 times, as bench_chapters.py makes
it). No cache: everything is laid out on every run. Each round makes the two single-language PDFs, then the
edition as a full build makes it (packed from the single PDFs' flows, their front matter's length taken), then
the edition alone (``--alone``, as
``--format facing`` makes it: each side measured by a layout of its own).

Two clocks: the workers' layout processor time (``layout_cpu_seconds``: layout and verification, as the build's
report counts it), and all the workers' processor time (``RUSAGE_CHILDREN``: start, layout, writing the PDFs;
the parent's assembly aside), which is what the issue's "typesetting time" is held to; and the parent's own
processor time (planning, packing, assembling: on 2 cores it is taken from the workers).

``--phases``: the edition's timeline, each layout's submission, start and end in its worker (wall clock from
the edition's start) and processor time, the parent's assembly; for both runs, how long the workers stood idle
between the first layout's start and the last one's end (the serial tail issue 21 is about) and what share of a
core they got while busy (the other sessions' load).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Self

import taiyaku.facing.edition as facing_edition
from taiyaku.errors import Diagnostics
from taiyaku.facing.edition import EditionResult, make_edition
from taiyaku.facing.plan import SinglePDF
from taiyaku.pdf import make_jobs, run_jobs
from taiyaku.pipeline import BuildOptions, check_translations, load_strings, load_volume


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(entry: Callable[..., Any], *args: Any) -> tuple[float, float, float, Any]:
    """In the worker: ``entry(*args)`` with its start, end (wall clock) and processor time."""
    started, cpu = time.time(), time.process_time()
    value = entry(*args)
    return started, time.time(), time.process_time() - cpu, value


class Phases:
    """Records every job the edition gives its pool, and its assembly (patched in for one edition)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, float, float, float, float]] = []  # name, submitted, start, end, CPU
        self.origin = 0.0

    def __enter__(self) -> Self:
        submit, assemble = ProcessPoolExecutor.submit, facing_edition.assemble_edition
        self.restore = (submit, assemble)
        self.origin = time.time()

        def timed_submit(pool: ProcessPoolExecutor, entry: Callable[..., Any], job: Any) -> Future:
            part = getattr(job, "part", job)
            name = f"{entry.__name__} {getattr(part, 'lang', '')} {getattr(part, 'name', '')}"
            submitted = time.time() - self.origin
            outer: Future = Future()

            def done(inner: Future) -> None:
                if inner.exception() is not None:
                    outer.set_exception(inner.exception())
                    return
                start, end, cpu, value = inner.result()
                self.events.append((name, submitted, start - self.origin, end - self.origin, cpu))
                outer.set_result(value)
            submit(pool, _timed, entry, job).add_done_callback(done)
            return outer

        def timed_assemble(*args: Any, **kwargs: Any) -> bytes:
            start, cpu = time.time(), time.process_time()
            data = assemble(*args, **kwargs)
            self.events.append(("assembly (parent)", start - self.origin, start - self.origin,
                                time.time() - self.origin, time.process_time() - cpu))
            return data
        ProcessPoolExecutor.submit = timed_submit  # type: ignore[method-assign]
        facing_edition.assemble_edition = timed_assemble  # type: ignore[assignment]
        return self

    def __exit__(self, *_: object) -> None:
        ProcessPoolExecutor.submit, facing_edition.assemble_edition = self.restore  # type: ignore[method-assign]

    def summary(self, workers: int) -> str:
        """Where the wall time went: the workers' busy time (wall clock, and the processor time they got in it),
        their idle time between the first layout's start and the last one's end, before it, and after it."""
        jobs = [event for event in self.events if "parent" not in event[0]]
        if not jobs:
            return "no layouts"
        first, last = min(event[2] for event in jobs), max(event[3] for event in jobs)
        busy = sum(end - start for _, _, start, end, _ in jobs)
        cpu = sum(event[4] for event in jobs)
        return (f"{len(jobs)} jobs; first starts at {first:.1f} s, last ends at {last:.1f} s; workers busy "
                f"{busy:.1f} s of {workers} x {last - first:.1f} s ({workers * (last - first) - busy:.1f} s idle), "
                f"{cpu:.1f} s CPU in it ({cpu / busy:.0%} of a core while busy)")

    def show(self, workers: int) -> None:
        """Each layout in order of its start, then the summary."""
        print("    submitted  start    end  CPU s  layout")
        for name, submitted, start, end, cpu in sorted(self.events, key=lambda event: event[2]):
            print(f"    {submitted:8.2f} {start:6.2f} {end:6.2f} {cpu:6.2f}  {name}")
        print(f"    {self.summary(workers)}")


def _line(name: str, edition: EditionResult, wall: float, cpu: float, single_layout: float, single_cpu: float) -> str:
    return (f"  {name}: {wall:.1f} s wall, layout {edition.layout_cpu_seconds:.1f} s CPU "
            f"({edition.layout_cpu_seconds / single_layout:.2f} x), workers {cpu:.1f} s CPU "
            f"({cpu / single_cpu:.2f} x), {edition.pages} pages, {edition.report.layouts} layouts, "
            f"{edition.report.flows_reused} sides from the single PDFs' flows")


def main() -> None:
    """Alternate the two single-language PDFs and the edition, ``--repeat`` times."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--times", type=int, default=1)
    parser.add_argument("--phases", action="store_true", help="the edition's timeline (full build only)")
    parser.add_argument("--alone", action=argparse.BooleanOptionalAction, default=True,
                        help="also make the edition alone (measuring every side itself)")
    args = parser.parse_args()
    if args.times > 1:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_chapters import repeat_volume

        repeated = Path(tempfile.mkdtemp()) / "volume"
        repeat_volume(args.root, repeated, args.times)
        args.root = repeated
    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=args.root), diagnostics)
    strings = load_strings(volume, diagnostics)
    check_translations(volume, diagnostics)
    target = next(lang for lang in volume.languages if lang != volume.config.source_language)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    for _ in range(args.repeat):
        single_phases = Phases()
        cpu, started, parent = _children_cpu(), time.perf_counter(), time.process_time()
        jobs = make_jobs(volume, strings, Path(tempfile.mkdtemp()), diagnostics)
        if args.phases:
            with single_phases:
                results = run_jobs(jobs)
        else:
            results = run_jobs(jobs)
        single_wall, single_cpu = time.perf_counter() - started, _children_cpu() - cpu
        parent = time.process_time() - parent
        single_layout = sum(result.layout_cpu_seconds for result in results)
        print(f"single-language PDFs: {single_wall:.1f} s wall, layout {single_layout:.1f} s CPU, workers "
              f"{single_cpu:.1f} s CPU, parent {parent:.1f} s CPU, pages {[result.pages for result in results]}")
        if args.phases:
            print(f"    {single_phases.summary(max(1, min(os.cpu_count() or 1, 4)))}")
        singles = {result.lang: SinglePDF(job.profile, result.flows, tuple(map(tuple, result.page_map)))
                   for job, result in zip(jobs, results)}
        phases = Phases()
        cpu, started, parent = _children_cpu(), time.perf_counter(), time.process_time()
        if args.phases:
            with phases:
                edition = make_edition(volume, strings, diagnostics, target, singles=singles)
        else:
            edition = make_edition(volume, strings, diagnostics, target, singles=singles)
        assert edition is not None
        print(_line("edition in the same build", edition, time.perf_counter() - started, _children_cpu() - cpu,
                    single_layout, single_cpu) + f", parent {time.process_time() - parent:.1f} s CPU")
        if args.phases:
            phases.show(max(1, min(os.cpu_count() or 1, 4)))
        if args.alone:
            cpu, started = _children_cpu(), time.perf_counter()
            alone = make_edition(volume, strings, diagnostics, target)
            assert alone is not None
            print(_line("edition alone", alone, time.perf_counter() - started, _children_cpu() - cpu,
                        single_layout, single_cpu))
        print(f"  {edition.report.summary()}; peak worker memory "
              f"{max((r.peak_rss_mb for r in edition.results), default=0):.0f} MB; load average "
              f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
