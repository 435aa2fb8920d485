"""Benchmark two revisions of taiyaku in one run: the code at a git revision against the current tree.

Both build the same volume (the sample volume as it was at the old revision, which both revisions read) and run
``check`` on it, interleaved round by round (old, new, then new, old, …) so that a machine whose load drifts
treats both alike. Each command runs in a fresh interpreter; wall time, CPU time (user + system, PDF workers
included) and peak RSS (the largest process of the run) come from ``os.wait4``. The builds run a third time
as "new −search": the current tree without the Pagefind index, which came after c0a85d0, so that the rest of the
build is compared like with like. Prints medians and the ratios to the old revision. Not part of ``make bench``:
it needs the git history. Run from the repository::

    .venv/bin/python benchmarks/bench_compare.py                  # c0a85d0: the commit before issue 8's refactor
    .venv/bin/python benchmarks/bench_compare.py --rev HEAD~5 --rounds 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = "import sys, taiyaku.cli as cli; cli.run() if hasattr(cli, 'run') else sys.exit(cli.main())"
"""The command as installed: ``cli.run`` (ends without the interpreter's teardown), or ``main`` in revisions
before it."""
NO_SEARCH = ("import taiyaku.site_output as p; p.write_search_index = lambda *args: None; "
             "p.SiteOutput._index_early = lambda self, ctx: None; "
             "from taiyaku.cli import run; run()")
"""The current tree without the Pagefind index (added after the old revision), to compare like with like."""
SIDES = ("old", "new", "new −search")


@dataclass
class Sample:
    """One run of one command."""

    wall: float
    cpu: float
    rss_mb: float


@dataclass(frozen=True)
class Case:
    """A command to time: its arguments after ``taiyaku``; ``{out}`` is a fresh output folder."""

    name: str
    args: tuple[str, ...]
    new_only: tuple[str, ...] = ()
    """Arguments the old revision does not know (``--no-cache``: it had no cache to skip)."""


CASES = (
    Case("build --format html", ("build", "--format", "html", "--out", "{out}", "-q"), ("--no-cache",)),
    # The site and the volume PDFs, as the old revision's "all" made them (the EPUBs and the facing edition came
    # after 29f12b1: named apart so that the same work is compared).
    Case("build (HTML + PDFs)", ("build", "--out", "{out}", "-q"), ("--no-cache", "--format", "html,pdf")),
    # Cold (every pair compared) is the like-with-like comparison; the old revision had no cache of findings.
    Case("check", ("check", "-q"), ("--no-cache",)),
    Case("check, cache warm", ("check", "-q")),
)


def run(src: Path, volume: Path, case: Case, side: str) -> Sample:
    """Run ``case`` with the package under ``src`` on ``volume`` in a fresh interpreter and measure it."""
    new = side != "old"
    with tempfile.TemporaryDirectory() as tmp:
        args = [a.replace("{out}", str(Path(tmp) / "build")) for a in case.args]
        args += ["--root", str(volume), *(case.new_only if new else ())]
        if not new and case.args[0] == "build" and "--no-cache" in case.new_only \
                and "--no-cache" in (src / "taiyaku" / "cli.py").read_text():
            args.append("--no-cache")  # an old revision with a cache of its own: skipped too, like with like
        env = {**os.environ, "PYTHONPATH": str(src), "SOURCE_DATE_EPOCH": "1789776000"}
        started = time.perf_counter()
        entry = NO_SEARCH if side == "new −search" else ENTRY
        process = subprocess.Popen([sys.executable, "-c", entry, *args], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        # wait4: this process's own usage, its PDF workers' included (they are waited for by it).
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        errors = process.stderr.read().decode() if process.stderr else ""
        process.returncode = os.waitstatus_to_exitcode(status)
        # check exits 1 when a translation is incomplete; that is a report, not a failure of the run.
        if process.returncode not in (0, 1) or (process.returncode == 1 and case.args[0] == "build"):
            raise SystemExit(f"{case.name} ({side}) failed ({process.returncode}):\n{errors}")
        return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _median(samples: list[Sample], key: str) -> float:
    return statistics.median(getattr(sample, key) for sample in samples)


def machine() -> str:
    """CPU model and count, for the record."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{cpu}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default="c0a85d0", help="the old revision (default c0a85d0, before issue 8)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every command on each side (default 3)")
    parser.add_argument("--case", action="append", choices=[case.name for case in CASES], metavar="NAME",
                        help="time only this command (repeatable: 'build --format html', 'build (HTML + PDFs)', "
                             "'check', 'check, cache warm'; default: all)")
    options = parser.parse_args()
    cases = [case for case in CASES if not options.case or case.name in options.case]

    tmp = Path(tempfile.mkdtemp(prefix="taiyaku-bench-"))
    old_tree = tmp / "old"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old_tree), options.rev],
                   check=True)
    try:
        sides = {"old": old_tree / "src", "new": ROOT / "src", "new −search": ROOT / "src"}
        samples: dict[tuple[str, str], list[Sample]] = {}
        for number in range(options.rounds):
            order = SIDES if number % 2 == 0 else SIDES[::-1]
            for case in cases:
                for side in order:
                    if side == "new −search" and case.args[0] != "build":
                        continue
                    sample = run(sides[side], old_tree, case, side)
                    samples.setdefault((case.name, side), []).append(sample)
                    print(f"round {number + 1} {side} {case.name}: {sample.wall:.2f} s wall, {sample.cpu:.2f} s "
                          f"CPU, {sample.rss_mb:.0f} MB", file=sys.stderr)
        print(f"{options.rev} (old) against the working tree (new), {options.rounds} rounds interleaved; "
              f"medians. {machine()}; load average {os.getloadavg()[0]:.1f} at the end.")
        print("| command | side | wall (s) | /old | CPU (s) | /old | peak RSS (MB) |")
        print("|---|---|---|---|---|---|---|")
        for case in cases:
            base = samples[(case.name, "old")]
            for side in SIDES:
                if side == "new −search" and case.args[0] != "build":
                    continue
                these = samples[(case.name, side)]
                wall, cpu = _median(these, "wall"), _median(these, "cpu")
                print(f"| {case.name} | {side} | {wall:.2f} | {wall / _median(base, 'wall'):.2f} | {cpu:.2f} | "
                      f"{cpu / _median(base, 'cpu'):.2f} | {_median(these, 'rss_mb'):.0f} |")
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)], check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
