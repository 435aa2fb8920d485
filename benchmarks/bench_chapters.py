"""Benchmark: per-part typesetting on a long volume — the sample volume repeated ``--times`` times (8 by
default: about 230 pages per language), generated here.

``--rounds N``: only the cold build against bare WeasyPrint, N rounds interleaved, with the median ratio.

- **cold**: ``taiyaku build --format pdf`` in a fresh process with an empty cache (every part laid out, both
  languages' parts in one pool);
- **bare**: bare WeasyPrint on the same print HTML (unprepared, unpatched), each language in a fresh process,
  one after the other and both at once (the fair comparison on two cores);
- **whole**: taiyaku's older route, the whole volume in one layout per language (fresh processes, both at once):
  its volume PDF size is "today's size";
- **middle edit**: one paragraph of the middle English paper changed, rebuilt with the cache;
- **a page more**: paragraphs added to the same paper (a page or two more: every paper after it moves);
- **no-op**: nothing changed.

The edit steps give their processor time (every process) beside the wall time, each with its ratio to the cold
build's: on a shared machine the processor time moves less with the load than the wall time does.

Peak RSS is the largest resident set of any process of the step (``RUSAGE_CHILDREN``, each step a fresh
process). Ratios are within one run (the machine is shared). Run: ``.venv/bin/python
benchmarks/bench_chapters.py [--times N]``; record the figures in docs/benchmarks.md with the machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import machine  # noqa: E402 (the benchmarks share the machine line)
from bench_cache import edit  # noqa: E402 (the same one-sentence edit)

_LINK = re.compile(r"\]\((\d\d)-([\w-]+)\.md")


def repeat_volume(source: Path, target: Path, times: int) -> None:
    """The volume at ``source`` with every document repeated ``times`` times (``order`` and links adjusted)."""
    target.mkdir(parents=True)
    for name in ("templates", "locales", "images"):  # images/: the sample's cover
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
    shutil.copy(source / "volume.toml", target / "volume.toml")
    for lang_dir in sorted(p for p in (source / "content").iterdir() if p.is_dir()):
        out = target / "content" / lang_dir.name
        out.mkdir(parents=True)
        for extra in lang_dir.iterdir():
            if extra.is_dir():
                shutil.copytree(extra, out / extra.name)
        for doc in sorted(lang_dir.glob("*.md")):
            number, _, stem = doc.stem.partition("-")
            text = doc.read_text(encoding="utf-8")
            for copy in range(times):
                body = re.sub(r"^order: (\d+)", lambda m: f"order: {copy * 100 + int(m.group(1))}", text, count=1,
                              flags=re.M)
                body = _LINK.sub(lambda m: f"]({copy}{m.group(1)}-{m.group(2)}-{copy}.md", body)
                (out / f"{copy}{number}-{stem}-{copy}.md").write_text(body, encoding="utf-8")


def snapshot_code(target: Path) -> Path:
    """A copy of taiyaku's source to run the builds from: the cache keys on taiyaku's own code, which must not
    change between the steps of one run (a working tree others edit would make every step cold)."""
    shutil.copytree(ROOT / "src", target, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return target


CODE = ROOT / "src"
"""Where the builds import taiyaku from (:func:`snapshot_code` in :func:`main`)."""


def build(volume: Path, out: Path, cache: Path, *extra: str) -> tuple[float, float, str]:
    """One ``taiyaku build --format pdf`` in a fresh process: wall seconds, peak RSS (MB) of any of its
    processes, the last line of its output. Its processor time (all processes) is in ``LAST_CPU``."""
    global LAST_CPU
    child = ("import resource, subprocess, sys\n"
             "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
             "sys.stdout.write(done.stdout + done.stderr)\n"
             "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
             "print('CPU', usage.ru_utime + usage.ru_stime)\n"
             "print('RSS', usage.ru_maxrss)\n"
             "raise SystemExit(done.returncode)\n")
    command = [sys.executable, "-c", child, sys.executable, "-c",
               "from taiyaku.cli import run; run()", "--root", str(volume), "build", "--format",
               "pdf", "--out", str(out), "--cache-dir", str(cache), *extra]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={"PYTHONPATH": str(CODE),
                                                                          "PATH": "/usr/bin:/bin"})
    seconds = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    if done.returncode:
        raise SystemExit("\n".join(lines[-20:]))
    rss = float(lines[-1].split()[1]) / 1024
    LAST_CPU = float(lines[-2].split()[1])
    return seconds, rss, lines[-3] if len(lines) > 2 else ""


LAST_CPU = 0.0
"""Processor seconds (user + system, every process) of the last :func:`build`."""


def _one_layout(args: tuple[str, str, str, bool]) -> dict[str, float]:
    """The whole volume of one language in one layout (bare WeasyPrint or taiyaku's older route)."""
    root, lang, stage, typography = args
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf import make_jobs
    from taiyaku.pdf import weasy
    from taiyaku.pdf.typeset import typeset
    from taiyaku.pipeline import BuildOptions, load_strings, load_volume

    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=Path(root)), diagnostics)
    strings = load_strings(volume, diagnostics)
    (job,) = make_jobs(volume, strings, Path(stage), diagnostics, offprints=typography, typography=typography,
                       languages=[lang])
    started = time.perf_counter()
    if typography:
        result = typeset(job)
        pages, size = result.pages, result.size_bytes
    else:
        document = weasy.render(job.html, job.base_url, weasy.VolumeFetcher(job.allowed_roots), job.pdf_variant)
        data = document.write_pdf(pdf_variant=job.pdf_variant, pdf_tags=True)
        pages, size = len(document.pages), len(data)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": time.perf_counter() - started, "pages": pages, "size": size,
            "rss": usage.ru_maxrss / 1024, "cpu": usage.ru_utime + usage.ru_stime}


def layouts(root: Path, stage: Path, langs: list[str], typography: bool, together: bool) -> tuple[float, list[dict]]:
    """Each language in a fresh process, one after the other or both at once: (wall seconds, results)."""
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    work = [(str(root), lang, str(stage / f"{lang}-{typography}"), typography) for lang in langs]
    if together:
        with context.Pool(len(work)) as pool:
            results = pool.map(_one_layout, work)
    else:
        results = []
        for item in work:
            with context.Pool(1) as pool:
                results.append(pool.apply(_one_layout, (item,)))
    return time.perf_counter() - started, results


def grow(path: Path) -> None:
    """Add paragraphs at the end of a document's body: a page or two more, so that every paper after it moves."""
    text = path.read_text(encoding="utf-8")
    added = "\n\n".join("A paragraph added to make the paper longer, so that the folios after it move. " * 6
                         for _ in range(6))
    path.write_text(text.rstrip("\n") + "\n\n" + added + "\n", encoding="utf-8")


def _pages(line: str) -> str:
    """The page counts a build's last line reports."""
    return "/".join(re.findall(r"\((\d+) pages\)", line))


def interleaved(times: int, rounds: int) -> int:
    """The cold build and bare WeasyPrint one after the other, ``rounds`` times: each round's ratios and their
    medians."""
    import statistics

    global CODE
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        CODE = snapshot_code(Path(tmp) / "src")
        volume = Path(tmp) / "volume"
        repeat_volume(ROOT, volume, times)
        langs = sorted(p.name for p in (volume / "content").iterdir() if p.is_dir())
        ratios = []
        for number in range(1, rounds + 1):
            wall, _, _ = build(volume, Path(tmp) / f"build{number}", Path(tmp) / f"cache{number}")
            cpu = LAST_CPU
            bare, results = layouts(volume, Path(tmp) / f"bare{number}", langs, False, True)
            bare_cpu = sum(r["cpu"] for r in results)
            ratios.append((wall / bare, cpu / bare_cpu))
            print(f"round {number}: cold build {wall:.1f} s, {cpu:.1f} CPU-s; bare WeasyPrint, both at once "
                  f"{bare:.1f} s, {bare_cpu:.1f} CPU-s: {wall / bare:.2f}x wall, {cpu / bare_cpu:.2f}x CPU", flush=True)
        print(f"median of {rounds} rounds: {statistics.median(r[0] for r in ratios):.2f}x wall, "
              f"{statistics.median(r[1] for r in ratios):.2f}x CPU")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=8)
    parser.add_argument("--skip-whole", action="store_true", help="do not run the older whole-volume route")
    parser.add_argument("--incremental-only", action="store_true",
                        help="only the cold build and the rebuilds (no bare WeasyPrint, no one-language build)")
    parser.add_argument("--rounds", type=int, default=0, metavar="N",
                        help="only the cold build against bare WeasyPrint (both languages at once), N rounds "
                             "interleaved, and the median of their ratios (the machine's speed drifts between runs)")
    args = parser.parse_args()
    if args.rounds:
        return interleaved(args.times, args.rounds)
    global CODE
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        CODE = snapshot_code(Path(tmp) / "src")
        volume = Path(tmp) / "volume"
        repeat_volume(ROOT, volume, args.times)
        langs = sorted(p.name for p in (volume / "content").iterdir() if p.is_dir())
        docs = sorted((volume / "content/en").glob("*.md"))
        print(f"volume:  the sample volume x{args.times} ({len(docs)} documents per language, a copy, no git)")
        out, cache = Path(tmp) / "build", Path(tmp) / "cache"
        cold, cold_rss, last = build(volume, out, cache)
        cold_cpu = LAST_CPU
        print(f"{'cold build (parts)':<28} {cold:7.1f} s  1.00x  peak RSS {cold_rss:6.0f} MB  CPU {cold_cpu:6.1f} s"
              f"  {last[-80:]}")
        slug = next(out.joinpath("pdf").glob("*-en.pdf")).name[: -len("-en.pdf")]
        sizes = {lang: (out / "pdf" / f"{slug}-{lang}.pdf").stat().st_size for lang in langs}
        seconds, rss, _ = build(volume, Path(tmp) / "build2", cache)
        print(f"{'no-op (other folder)':<28} {seconds:7.1f} s  {seconds / cold:4.2f}x  CPU {LAST_CPU:6.1f} s "
              f"{LAST_CPU / cold_cpu:4.2f}x")
        papers = [doc for doc in docs if "about" not in doc.name]
        middle = papers[len(papers) // 2]
        edit(middle)
        seconds, rss, last = build(volume, out, cache)
        print(f"{'one paragraph, middle paper':<28} {seconds:7.1f} s  {seconds / cold:4.2f}x  peak RSS {rss:6.0f} MB"
              f"  CPU {LAST_CPU:6.1f} s {LAST_CPU / cold_cpu:4.2f}x  ({middle.name})")
        grow(middle)
        seconds, rss, grown = build(volume, out, cache)
        print(f"{'a page more, middle paper':<28} {seconds:7.1f} s  {seconds / cold:4.2f}x  peak RSS {rss:6.0f} MB"
              f"  CPU {LAST_CPU:6.1f} s {LAST_CPU / cold_cpu:4.2f}x  {_pages(last)} -> {_pages(grown)} pages")
        if args.incremental_only:
            return 0
        for together in (False, True):
            wall, results = layouts(volume, Path(tmp) / "bare", langs, False, together)
            how = "both at once" if together else "one after the other"
            print(f"{'bare WeasyPrint, ' + how:<28} {wall:7.1f} s  {wall / cold:4.2f}x  peak RSS "
                  f"{max(r['rss'] for r in results):6.0f} MB  CPU {sum(r['cpu'] for r in results):6.1f} s  "
                  f"pages {[int(r['pages']) for r in results]}")
        # One language: the case where parts laid out in parallel can use a core bare WeasyPrint leaves idle.
        lang = "ja" if "ja" in langs else langs[-1]
        seconds, rss, _ = build(volume, Path(tmp) / f"build-{lang}", Path(tmp) / f"cache-{lang}", "--lang", lang)
        print(f"{'cold build, ' + lang + ' only':<28} {seconds:7.1f} s  {seconds / cold:4.2f}x  peak RSS {rss:6.0f} MB"
              f"  CPU {LAST_CPU:6.1f} s")
        wall, results = layouts(volume, Path(tmp) / "bare-one", [lang], False, False)
        print(f"{'bare WeasyPrint, ' + lang + ' only':<28} {wall:7.1f} s  {wall / cold:4.2f}x  peak RSS "
              f"{results[0]['rss']:6.0f} MB  CPU {results[0]['cpu']:6.1f} s")
        if not args.skip_whole:
            wall, results = layouts(volume, Path(tmp) / "whole", langs, True, True)
            print(f"{'whole-volume route (before)':<28} {wall:7.1f} s  {wall / cold:4.2f}x  peak RSS "
                  f"{max(r['rss'] for r in results):6.0f} MB  pages {[int(r['pages']) for r in results]}")
            for lang, result in zip(langs, results):
                print(f"  {lang}: volume PDF {sizes[lang] / 1e6:.2f} MB from parts, {result['size'] / 1e6:.2f} MB "
                      f"in one layout: {sizes[lang] / result['size']:.2f}x")
        else:
            print("  volume PDF sizes (parts): " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sizes.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
