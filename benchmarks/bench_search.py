"""Benchmark: what the search index adds to a build: Pagefind's wall time and peak memory, and the index's size.

Builds the site (HTML only) once, then runs the indexer ``--repeat`` times on a copy of the staged site, each in a
fresh staging folder, and reports medians; sizes per language count the files a browser may load for that
language (its meta, index chunks, fragments and WebAssembly; a query loads only some chunks and fragments).
``--copies N`` makes a larger volume (each of the sample's papers N times per language) to see how the cost grows.
``--serve N`` measures instead what a writer of the volume waits for in ``taiyaku serve`` with search on: N edits
of an English paper, each timed from the file's write to the reloaded page's ``load`` event in Chromium
(Playwright, /usr/bin/chromium), and to the edit's new word found by the page's search field. ``--src`` runs
another source tree's ``serve`` (e.g. an earlier commit's, from ``git archive``, with ``--volume`` its sample)
for a comparison in one session.
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
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from taiyaku.errors import Diagnostics  # noqa: E402
from taiyaku.pipeline import BuildOptions, build  # noqa: E402
from taiyaku.search import SEARCH_DIR, write_search_index  # noqa: E402
from taiyaku.writer import OutputWriter  # noqa: E402


def make_volume(copies: int, into: Path, source: Path = ROOT) -> Path:
    """The sample volume with every paper repeated ``copies`` times per language (``copies`` 1: as it is)."""
    volume = into / "volume"
    shutil.copytree(source, volume, ignore=shutil.ignore_patterns(".git", ".venv", "build", ".cache", "tests",
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


def serve_edits(edits: int, src: Path, source: Path) -> None:
    """Edit → reloaded page, and edit → found by search, in ``serve`` run from ``src`` on a copy of the volume
    ``source`` (the module's docstring)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        volume = make_volume(1, Path(tmp), source)
        paper = min((volume / "content" / "en").glob("0[1-9]-*.md"))
        server = subprocess.Popen([sys.executable, "-c", "from taiyaku.cli import run; run()",
                                   "serve", "--root", str(volume), "--port", "0"],
                                  stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(src)})
        assert server.stderr is not None
        url = ""
        for line in server.stderr:
            if line.startswith("serving "):
                url = line.split(" at ", 1)[1].split()[0]
                break
        # The server's log, stamped as it comes: when it saw the change, and how long the build took.
        seen: list[tuple[float, str]] = []
        threading.Thread(target=lambda: seen.extend((time.perf_counter(), line) for line in server.stderr),
                         daemon=True).start()
        reloads, found, noticed, builds = [], [], [], []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                page = browser.new_page()
                page.goto(f"{url}en/{paper.stem.split('-', 1)[1]}/", wait_until="load")
                search = page.locator("input[type=search]")
                time.sleep(3)  # the first index, and a quiet start
                for n in range(edits):
                    word = f"Zyzzogeton{n}x"
                    started = time.perf_counter()
                    with page.expect_event("load", timeout=30_000), paper.open("a", encoding="utf-8") as file:
                        file.write(f"\nThe {word} paragraph.\n")
                    reloads.append(time.perf_counter() - started)
                    noticed += [at - started for at, line in seen if at > started and line.startswith("changed:")][:1]
                    builds += [float(line.split()[2]) for at, line in seen
                               if at > started and line.startswith("rebuilt in")][:1]
                    assert word in page.inner_text("main")
                    while time.perf_counter() - started < 30:
                        search.fill(word)
                        try:
                            page.locator(".site-search-results li").first.wait_for(timeout=300)
                            break
                        except Exception:  # noqa: BLE001 (Playwright's timeout: not indexed yet)
                            search.fill("")
                    found.append(time.perf_counter() - started)
                    search.fill("")
                    time.sleep(1)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"serve from {src}: {edits} edits of {paper.name}, search on")
    print(f"edit → reloaded page (load event), median {statistics.median(reloads):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in reloads)})")
    if builds:
        print(f"of which: the change seen after {statistics.median(noticed):.2f} s, the rebuild "
              f"{statistics.median(builds):.2f} s (medians; the rest is the event and the browser's reload)")
    print(f"edit → new word found by search, median {statistics.median(found):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in found)})")
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=1, help="papers repeated this many times per language")
    parser.add_argument("--serve", type=int, default=0, metavar="N", help="time N edits in `taiyaku serve` instead")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the source tree whose serve is timed")
    parser.add_argument("--volume", type=Path, default=ROOT,
                        help="the volume edited (an earlier commit's sample for an earlier --src: its volume.toml)")
    args = parser.parse_args()
    if args.serve:
        serve_edits(args.serve, args.src.resolve(), args.volume.resolve())
        return
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
