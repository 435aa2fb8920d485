"""Benchmark: what the search index adds to a build: Pagefind's wall time and peak memory, and the index's size.

Builds the site (HTML only) once, then runs the indexer ``--repeat`` times on a copy of the staged site, each in a
fresh staging folder, and reports medians; sizes per language count the files a browser may load for that
language (its meta, index chunks, fragments and WebAssembly; a query loads only some chunks and fragments).
``--copies N`` makes a larger volume (each of the sample's papers N times per language) to see how the cost grows.
Record the figures in docs/benchmarks.md with the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from taiyaku.errors import Diagnostics  # noqa: E402
from taiyaku.pipeline import BuildOptions, build  # noqa: E402
from taiyaku.search import SEARCH_DIR, write_search_index  # noqa: E402
from taiyaku.writer import OutputWriter  # noqa: E402


def make_volume(copies: int, into: Path) -> Path:
    """The sample volume with every paper repeated ``copies`` times per language (``copies`` 1: as it is)."""
    volume = into / "volume"
    shutil.copytree(ROOT, volume, ignore=shutil.ignore_patterns(".git", ".venv", "build", ".cache", "tests",
                                                                 ".taiyaku-cache", "node_modules"))
    for lang_dir in sorted((volume / "content").iterdir()):
        papers = sorted(p for p in lang_dir.glob("*.md") if not p.name.startswith("00-"))
        for copy in range(1, copies):
            for paper in papers:
                text = paper.read_text(encoding="utf-8")
                (lang_dir / f"{90 + copy:03d}-{paper.stem}-{copy}.md").write_text(text, encoding="utf-8")
    return volume


def sizes(index: Path) -> dict[str, int]:
    """Bytes per language of what its readers may load, and the whole folder."""
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    shared = sum(p.stat().st_size for p in (index / "pagefind.js", index / "pagefind-worker.js"))
    found = {"all files": sum(p.stat().st_size for p in index.rglob("*") if p.is_file())}
    for lang, info in entry["languages"].items():
        own = [index / f"pagefind.{info['hash']}.pf_meta", index / f"wasm.{info['wasm'] or 'unknown'}.pagefind"]
        own += [p for p in (index / "index").glob(f"{lang}_*")] + [p for p in (index / "fragment").glob(f"{lang}_*")]
        found[lang] = shared + sum(p.stat().st_size for p in own if p.is_file())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=1, help="papers repeated this many times per language")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        volume = make_volume(args.copies, Path(tmp))
        out = Path(tmp) / "out"
        started = time.perf_counter()
        build(BuildOptions(root=volume, out=out, format="html", cache=False))
        whole = time.perf_counter() - started
        pages = sum(1 for _ in (out / "html").rglob("*.html"))
        times = []
        for _ in range(args.repeat):
            shutil.rmtree(out / "html" / SEARCH_DIR, ignore_errors=True)
            writer = OutputWriter(Path(tmp) / "again", ["html"])
            shutil.copytree(out / "html", writer.stage / "html")
            started = time.perf_counter()
            index = write_search_index(writer, Diagnostics())
            times.append(time.perf_counter() - started)
            assert index is not None
            found = sizes(writer.stage / "html" / SEARCH_DIR)
            writer.abort()
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"volume: {pages} HTML pages ({args.copies} cop{'y' if args.copies == 1 else 'ies'} of the sample's papers);"
          f" indexed: {', '.join(f'{n} {lang}' for lang, n in sorted(index.pages.items()))}")
    print(f"HTML build with the index, one run: {whole:.2f} s")
    print(f"indexing (Pagefind), median of {args.repeat}: {statistics.median(times):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)}); Pagefind's peak memory {peak:.0f} MB")
    print("index size: " + ", ".join(f"{name} {size / 1000:.0f} kB" for name, size in found.items()))
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
