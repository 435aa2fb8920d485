"""Limits of a build: very large inputs, each built (``--format html``) and checked in a process of its own.

    .venv/bin/python benchmarks/bench_limits.py [--only NAME] [--timeout 900] [--scale 1.0]

Each case is the minimal test volume plus one generated input (in both languages, so the check aligns them):
a 5 MB document, a paragraph of 200,000 characters, 5,000 footnotes, a 10,000-row table, 1,000 documents.
Reports wall time, the exit code and the peak resident memory of the process (``wait4``), and the first line
of any error. A run that exceeds ``--timeout`` is killed and reported as a hang. ``--scale`` shrinks every
case (0.1 for a quick look). The numbers go into docs/reliability.md with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests" / "roots" / "minimal"
MAIN = "from taiyaku.cli import run; run()"
EN = "The alliance agreed in {n} to share the cost of the forces, about {m} units a year. "
JA = "同盟は{n}年に部隊の費用を分担することで合意し、年に約{m}単位を負担した。"


def sentence(lang: str, i: int) -> str:
    """One sentence with numbers (the check compares them across languages)."""
    return (EN if lang == "en" else JA).format(n=1950 + i % 80, m=i % 997)


def big_document(lang: str, scale: float) -> dict[str, str]:
    """About 5 MB of Markdown in paragraphs of ten sentences, a heading every 50 paragraphs."""
    # As many paragraphs in both languages (sized by the English ones), so that the check pairs them all.
    count = int(5_000_000 * scale) // len("".join(sentence("en", k) for k in range(10)).encode())
    parts = []
    for i in range(count):
        if i % 50 == 0:
            parts.append(f"## Section {i // 50 + 1}\n")
        parts.append("".join(sentence(lang, i * 10 + k) for k in range(10)) + "\n")
    return {"03-big.md": "\n".join(parts)}


def long_paragraph(lang: str, scale: float) -> dict[str, str]:
    """One paragraph of 200,000 characters."""
    chars = int(200_000 * scale)
    pieces: list[str] = []
    length, i = 0, 0
    while length < chars:
        piece = sentence(lang, i)
        pieces.append(piece)
        length += len(piece)
        i += 1
    text = "".join(pieces)[:chars]
    return {"03-paragraph.md": text + "\n"}


def footnotes(lang: str, scale: float) -> dict[str, str]:
    """5,000 footnotes, one call per sentence."""
    count = int(5_000 * scale)
    calls = "\n\n".join(f"{sentence(lang, i)}[^{i}]" for i in range(count))
    notes = "\n".join(f"[^{i}]: {sentence(lang, i + 7)}" for i in range(count))
    return {"03-notes.md": f"{calls}\n\n{notes}\n"}


def table(lang: str, scale: float) -> dict[str, str]:
    """A table of 10,000 rows and four columns."""
    rows = int(10_000 * scale)
    head = "| Year | Item | Units | Note |\n|---:|---|---:|---|\n" if lang == "en" else \
        "| 年 | 項目 | 単位 | 注 |\n|---:|---|---:|---|\n"
    body = "\n".join(f"| {1950 + i % 80} | {'item' if lang == 'en' else '項目'} {i} | {i % 997} | "
                     f"{'ok' if lang == 'en' else '可'} |" for i in range(rows))
    return {"03-table.md": head + body + "\n"}


def many_documents(lang: str, scale: float) -> dict[str, str]:
    """1,000 short documents."""
    count = int(1_000 * scale)
    return {f"docs/{i:04d}.md": "\n\n".join(sentence(lang, i * 5 + k) for k in range(5)) + "\n" for i in range(count)}


CASES: dict[str, Callable[[str, float], dict[str, str]]] = {
    "5 MB document": big_document,
    "200,000-character paragraph": long_paragraph,
    "5,000 footnotes": footnotes,
    "10,000-row table": table,
    "1,000 documents": many_documents,
}


def make_volume(folder: Path, make: Callable[[str, float], dict[str, str]], scale: float) -> Path:
    """The minimal volume with the case's files in both languages."""
    root = folder / "vol"
    shutil.copytree(MINIMAL, root, ignore=shutil.ignore_patterns(".taiyaku-cache"))
    for lang in ("en", "ja"):
        for rel, body in make(lang, scale).items():
            path = root / "content" / lang / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            title = f"{'Document' if lang == 'en' else '文書'} {Path(rel).stem}"
            path.write_text(f"---\ntitle: {title}\n---\n\n{body}", encoding="utf-8")
    return root


def measure(args: list[str], timeout: float) -> tuple[float, int | str, float, str]:
    """(seconds, exit code or "hang", peak RSS in MB, first error line) of ``taiyaku args`` in a new process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen([sys.executable, "-c", MAIN, *args], stdout=subprocess.DEVNULL, stderr=err,
                                   start_new_session=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                return time.perf_counter() - started, "hang", usage.ru_maxrss / 1024, ""
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").splitlines()
    first_error = next((line for line in lines if line.startswith("error") or "Traceback" in line), "")
    return seconds, process.returncode, usage.ru_maxrss / 1024, first_error[:160]


def main() -> int:
    """Run the cases and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="run only cases whose name contains this")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a run counts as a hang")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink every case (0.1: a tenth)")
    options = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"scale {options.scale}")
    print("| input | source size (one language) | build (html) | peak RSS | check | peak RSS | result |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, make in CASES.items():
        if options.only and not any(word in name for word in options.only):
            continue
        with tempfile.TemporaryDirectory(prefix="taiyaku-limits-") as tmp:
            root = make_volume(Path(tmp), make, options.scale)
            size = sum(p.stat().st_size for p in (root / "content" / "en").rglob("*.md"))
            build = measure(["build", "--root", str(root), "--out", str(Path(tmp) / "out"), "--format", "html",
                             "--no-cache"], options.timeout)
            check = measure(["check", "--root", str(root), "--format", "json"], options.timeout)
        result = "; ".join(f"{what}: {'hang (killed)' if m[1] == 'hang' else f'exit {m[1]}'}"
                           + (f" — {m[3]}" if m[3] else "") for what, m in (("build", build), ("check", check)))
        print(f"| {name} | {size / 1e6:.2f} MB | {build[0]:.1f} s | {build[2]:.0f} MB | {check[0]:.1f} s | "
              f"{check[2]:.0f} MB | {result} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
