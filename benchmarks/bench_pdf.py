"""Benchmark the PDF stage: taiyaku's typesetting against bare WeasyPrint on the same volume.

For each language, in fresh processes (one per run, so patches and caches do not leak between the two):

- **bare**: the print document without taiyaku's preparation (no Japanese spacing markup, no joiners),
  laid out by unpatched WeasyPrint; ``render()`` only.
- **taiyaku**: the prepared document, laid out with taiyaku's WeasyPrint fixes and Japanese line adjustment,
  then verified (footnotes, line ends, overflows) — what the build's "pdf layout" phase measures.

Both then write the volume PDF (``write_pdf``; taiyaku adds page labels); taiyaku's offprints are timed apart.
Prints medians over ``--repeat`` runs and the layout ratio taiyaku / bare, which the project keeps ≤ 1.3; the
ratio of processor time is the one to read on a shared machine (wall time varies with the neighbours' load).
Run: ``.venv/bin/python benchmarks/bench_pdf.py [--root DIR] [--repeat N] [--lang ja]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _jobs(root: Path, typography: bool, stage: Path):  # type: ignore[no-untyped-def]
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf import make_jobs
    from taiyaku.pipeline import BuildOptions, load_strings, load_volume

    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=root), diagnostics)
    strings = load_strings(volume, diagnostics)
    return make_jobs(volume, strings, stage, diagnostics, offprints=typography, typography=typography)


def _run(args: tuple[str, str, bool]) -> dict:
    """One measurement in a fresh process: returns seconds for layout, write, offprints."""
    import time

    root, lang, typography = args
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        job = next(j for j in _jobs(Path(root), typography, Path(tmp)) if j.lang == lang)
        prepare = time.perf_counter() - started
        from taiyaku.pdf.typeset import typeset

        result = typeset(job)
        if result.error:
            raise SystemExit(f"{job.label}: {result.error}")
        return {"prepare": prepare, "layout": result.layout_seconds, "layout_cpu": result.layout_cpu_seconds,
                "write": result.write_seconds,
                "offprints": result.offprint_seconds, "pages": result.pages, "footnotes": result.footnotes,
                "lines": result.japanese_lines, "flush": result.japanese_flush}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="volume to typeset (default: the sample volume)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", action="append", default=[])
    parser.add_argument("--json", action="store_true", help="print the raw measurements as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        langs = args.lang or sorted({j.lang for j in _jobs(args.root, False, Path(tmp))})
    context = multiprocessing.get_context("spawn")
    raw: dict[str, dict[str, list[dict]]] = {}
    for lang in langs:
        raw[lang] = {"bare": [], "taiyaku": []}
        for _ in range(args.repeat):
            # Alternate the two, each in a fresh process, so drift on a shared machine hits both alike.
            for kind, typography in (("bare", False), ("taiyaku", True)):
                with context.Pool(1) as pool:
                    raw[lang][kind].append(pool.apply(_run, ((str(args.root), lang, typography),)))
    if args.json:
        print(json.dumps(raw, indent=1))
    print(f"{'lang':<5} {'kind':<8} {'pages':>5} {'layout s':>9} {'layout cpu':>11} {'write s':>8} "
          f"{'offprints s':>12} {'pages/s':>8}")
    for lang, kinds in raw.items():
        medians, cpu = {}, {}
        for kind, runs in kinds.items():
            layout = statistics.median(r["layout"] for r in runs)
            cpu[kind] = statistics.median(r["layout_cpu"] for r in runs)
            write = statistics.median(r["write"] for r in runs)
            offprints = statistics.median(r["offprints"] for r in runs)
            pages = runs[0]["pages"]
            medians[kind] = layout
            print(f"{lang:<5} {kind:<8} {pages:>5} {layout:9.2f} {cpu[kind]:11.2f} {write:8.2f} {offprints:12.2f} "
                  f"{pages / (layout + write):8.1f}")
        extra = kinds["taiyaku"][0]
        flush = f", Japanese lines flush {extra['flush']}/{extra['lines']}" if extra["lines"] else ""
        print(f"{lang:<5} layout ratio taiyaku/bare: {cpu['taiyaku'] / cpu['bare']:.2f} processor time, "
              f"{medians['taiyaku'] / medians['bare']:.2f} wall (bar: 1.30); footnotes {extra['footnotes']}{flush}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
