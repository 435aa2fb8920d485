"""Benchmark: build a volume cold (a fresh process, empty output folder) and print each phase's figures.

Per language and phase (read, HTML, PDF layout, PDF write): wall time, peak memory (RSS) of the process that
ran it, and pages per second. Run with ``make bench``; record the figures in docs/benchmarks.md with the machine.
Figures are medians over ``--repeat`` runs; compare ratios measured in one run, the machine is noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[3])
from taiyaku.cli import setup_logging
from taiyaku.pipeline import BuildOptions, build
setup_logging(-1)
report = build(BuildOptions(root=__import__("pathlib").Path(sys.argv[1]), out=__import__("pathlib").Path(sys.argv[2]), cache=False))
print(json.dumps({
    "total": time.perf_counter() - started,
    "parent_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "timings": [t.__dict__ for t in report.timings],
    "pdfs": report.pdfs,
}))
"""


def run_once(root: Path) -> dict:
    """One cold build in a fresh interpreter; returns its report."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, str(root), str(Path(tmp) / "build"), str(ROOT / "src")],
                             capture_output=True, text=True, check=True)
        data = json.loads(out.stdout.strip().splitlines()[-1])
        data["wall"] = time.perf_counter() - started
        return data


def machine() -> str:
    """A one-line description of this machine."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {platform.platform()}, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="volume to build (default: the sample volume)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [run_once(args.root) for _ in range(args.repeat)]
    print(f"machine: {machine()}")
    shown = "the sample volume (repository root)" if args.root.resolve() == ROOT else args.root
    print(f"volume:  {shown}  ({args.repeat} cold builds, medians)")
    print(f"{'phase':<12} {'lang':<5} {'seconds':>8} {'peak MB':>8} {'pages':>6} {'pages/s':>8}")
    keys = [(t["phase"], t["lang"]) for t in runs[0]["timings"]]
    for phase, lang in keys:
        rows = [next(t for t in r["timings"] if (t["phase"], t["lang"]) == (phase, lang)) for r in runs]
        seconds = statistics.median(t["seconds"] for t in rows)
        pages = rows[0]["pages"]
        peak = statistics.median(t["peak_rss_mb"] for t in rows) or statistics.median(r["parent_rss_mb"] for r in runs)
        rate = f"{pages / seconds:8.1f}" if pages and seconds else f"{'':>8}"
        print(f"{phase:<12} {lang:<5} {seconds:8.2f} {peak:8.0f} {pages or '':>6} {rate}")
    wall = statistics.median(r["wall"] for r in runs)
    print(f"{'whole build':<12} {'all':<5} {wall:8.2f} {'':>8} {sum(runs[0]['pdfs'].values()):>6}  (process start to exit)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
