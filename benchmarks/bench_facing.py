"""The facing edition against the two single-language PDFs: layout processor time, wall time, pages.

Usage: ``python benchmarks/bench_facing.py [--repeat N] [--root PATH] [--times N]`` (default the sample volume,
the repository root; ``--times 8``: the sample with every document repeated 8 times, as bench_chapters.py makes
it). No cache: everything is laid out on every run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from taiyaku.errors import Diagnostics
from taiyaku.facing.edition import make_edition
from taiyaku.pdf import make_jobs, run_jobs
from taiyaku.pipeline import BuildOptions, check_translations, load_strings, load_volume


def main() -> None:
    """Alternate the two single-language PDFs and the edition, ``--repeat`` times."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--times", type=int, default=1)
    parser.add_argument("--single", action=argparse.BooleanOptionalAction, default=True,
                        help="also make the two single-language PDFs, for comparison")
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
    for _ in range(args.repeat):
        single, cpu, results = 0.0, 0.0, []
        if args.single:
            started = time.perf_counter()
            results = run_jobs(make_jobs(volume, strings, Path(tempfile.mkdtemp()), diagnostics))
            single = time.perf_counter() - started
            cpu = sum(result.layout_cpu_seconds for result in results)
        started = time.perf_counter()
        edition = make_edition(volume, strings, diagnostics, target)
        assert edition is not None
        both = time.perf_counter() - started
        print(f"single-language: {single:.1f} s wall, layout {cpu:.1f} s CPU, pages "
              f"{[result.pages for result in results]}; edition: {both:.1f} s wall, layout "
              f"{edition.layout_cpu_seconds:.1f} s CPU, {edition.pages} pages ({edition.report.summary()}); "
              f"peak worker memory {max((r.peak_rss_mb for r in edition.results), default=0):.0f} MB")


if __name__ == "__main__":
    main()
