"""Benchmark: incremental builds of a copy of a volume — cold, no-op rebuild, one source paragraph edited,
one translation paragraph edited — each a fresh ``taiyaku build`` process, with what came from the cache.

Ratios are to the cold build of the same run (the machine is noisy; compare within one run). Run with
``make bench``; record the figures in docs/benchmarks.md with the machine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import machine  # noqa: E402 (the benchmarks share the machine line)

ROOT = Path(__file__).resolve().parent.parent


def build(volume: Path, out: Path, cache: Path) -> tuple[float, str]:
    """One build in a fresh process; (wall seconds, its last line)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from taiyaku.cli import run; run()", "--root", str(volume), "build", "--out", str(out),
                           "--cache-dir", str(cache)], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    lines = (done.stdout + done.stderr).strip().splitlines()
    return time.perf_counter() - started, lines[-1] if lines else ""


def edit(path: Path) -> None:
    """Append a sentence to the first body paragraph of a document."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    first, rest = body.lstrip("\n").split("\n\n", 1)
    path.write_text(f"{head}{sep}\n{first} One more sentence.\n\n{rest}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="volume to copy (default: the sample volume)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        volume = Path(tmp) / "volume"
        volume.mkdir()
        for name in ("content", "templates", "locales", "images", "volume.toml"):  # images/: the sample's cover
            source = args.root / name
            if source.is_dir():
                shutil.copytree(source, volume / name)
            elif source.is_file():
                shutil.copy(source, volume / name)
        out, cache = Path(tmp) / "build", Path(tmp) / "cache"
        source_doc = sorted((volume / "content/en").glob("*.md"))[len(list((volume / "content/en").glob("*.md"))) // 2]
        translation = volume / "content/ja" / source_doc.name
        steps = [("cold", None), ("no-op rebuild", None), ("one English paragraph", source_doc),
                 ("one Japanese paragraph", translation)]
        print(f"machine: {machine()}")
        print(f"volume:  {'the sample volume' if args.root.resolve() == ROOT else args.root} (a copy, no git)")
        cold = 0.0
        for name, changed in steps:
            if changed is not None:
                edit(changed)
            seconds, last = build(volume, out, cache)
            cold = cold or seconds
            print(f"{name:<24} {seconds:6.2f} s  {seconds / cold:5.2f}x  {last.split(': ', 1)[-1][:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
