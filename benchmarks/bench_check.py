"""Benchmark of ``taiyaku check``: a generated volume of 1,000 documents (and their translations) with a few
thousand commits of history, checked cold (a new process, as CI runs it, ``--no-cache``), warm (a new process
finding the findings of an earlier run in its cache folder) and in-process, phase by phase.

    .venv/bin/python benchmarks/bench_check.py [--documents 1000] [--commits 3000] [--sections 3]
        [--paragraphs 4] [--runs 3] [--lsync] [--against REV]

The tree is built in a temporary folder with ``git fast-import`` (seconds, not one process per commit) and
removed afterwards. ``--lsync`` also times a per-file shell loop (Kubernetes' ``lsync.sh`` with ancestry: bash
and up to three git processes per translation) on the same tree; a real tree (``--real``, a git bundle; the
cncf/glossary bundle when present) is always timed side by side with that loop.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = ("alliance treaty budget defense cooperation region security policy cost government industry forces "
         "agreement strategy deterrence capability partner history program commitment").split()
KANA = ("あいうえおかきくけこさしすせそたちつてとなにぬね"
        "のはひふへほまみむめもやゆよらりるれろわをん")
KANJI = "同盟条約予算防衛協力地域安全保障政策費用政府産業部隊合意戦略抑止能力歴史計画約束"


def english(rng: random.Random, words: int) -> str:
    """A sentence-like paragraph with a number or two."""
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return f"In {rng.randint(1950, 2030)} the {text}, about {rng.randint(2, 900)} units."


def japanese(rng: random.Random, english_text: str) -> str:
    """A paragraph in kana and kanji that keeps the English paragraph's numbers."""
    numbers = [w.strip(",.") for w in english_text.split() if w.strip(",.").isdigit()]
    body = "".join(rng.choice(KANJI + KANA) for _ in range(len(english_text) // 2))
    return f"{numbers[0]}年、{body}、約{numbers[1]}単位。"


def document(rng: random.Random, number: int, sections: int = 3, paragraphs: int = 4) -> tuple[str, str]:
    """A source document and its translation, paragraph for paragraph, with footnotes."""
    abstract = english(rng, 20)
    en = [f'---\ntitle: "Paper {number}"\nauthors:\n  - name: "Author {number}"\norder: {number}\n'
          f'abstract: "{abstract}"\n---\n']
    ja = [f'---\ntitle: "論文{number}"\nauthors:\n  - name: "著者{number}"\norder: {number}\n'
          f'abstract: "{japanese(rng, abstract)}"\n---\n']
    for section in range(1, sections + 1):
        en.append(f"## Section {section}\n")
        ja.append(f"## 第{section}節\n")
        for paragraph in range(paragraphs):
            text = english(rng, rng.randint(30, 90))
            note = f"[^{section}]" if paragraph == 0 else ""
            en.append(text + note + "\n")
            ja.append(japanese(rng, text) + note + "\n")
    for section in range(1, sections + 1):
        text = english(rng, 15)
        en.append(f"[^{section}]: {text}\n")
        ja.append(f"[^{section}]: {japanese(rng, text)}\n")
    return "\n".join(en), "\n".join(ja)


def build_tree(root: Path, documents: int, commits: int, sections: int = 3, paragraphs: int = 4,
               seed: int = 7) -> dict[str, int]:
    """A git repository at ``root``: every document in the first commit, then ``commits`` edits."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    for number in range(documents):
        en, ja = document(rng, number, sections, paragraphs)
        files[f"content/en/{number:04}.md"] = en
        files[f"content/ja/{number:04}.md"] = ja
    stream: list[bytes] = []
    mark_time = 1_780_000_000

    def commit(message: str, changed: dict[str, str], when: int) -> None:
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench <bench@example.org> {when} +0000\n".encode())
        data = message.encode()
        stream.append(f"data {len(data)}\n".encode() + data + b"\n")
        for path, text in changed.items():
            blob = text.encode()
            stream.append(f"M 100644 inline {path}\ndata {len(blob)}\n".encode() + blob + b"\n")

    commit("Add the volume", files, mark_time)
    outdated = 0
    for index in range(commits):
        number = rng.randrange(documents)
        lang = rng.choice(("en", "en", "ja"))
        path = f"content/{lang}/{number:04}.md"
        paragraphs = files[path].split("\n\n")
        spot = rng.randrange(2, len(paragraphs) - 3)
        paragraphs[spot] = paragraphs[spot].replace(" the ", " the revised ", 1).replace("。", "。改。", 1)
        files[path] = "\n\n".join(paragraphs)
        typo = rng.random() < 0.2
        message = f"{'Fix typo in' if typo else 'Revise'} {path}"
        if lang == "en" and not typo:
            outdated += 1
        commit(message, {path: files[path]}, mark_time + 60 * (index + 1))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True)
    return {"files": len(files), "commits": commits + 1, "source_edits": outdated}


# Until ``check`` is wired into taiyaku.cli, the same command through taiyaku.check.cli.
_UNWIRED = """
import argparse, sys
from pathlib import Path
from taiyaku import cli
from taiyaku.check.cli import add_parser, run
common = argparse.ArgumentParser(add_help=False)
common.add_argument("--root", type=Path, default=Path("."))
common.add_argument("-q", action="store_const", const=-1, dest="verbosity", default=0)
parser = argparse.ArgumentParser(parents=[common])
add_parser(parser.add_subparsers(dest="command"), common)
args = parser.parse_args(sys.argv[1:])
cli.setup_logging(args.verbosity)
raise SystemExit(run(args))
"""


def _check_command() -> list[str]:
    sys.path.insert(0, str(REPO / "src"))
    from taiyaku import cli

    if "check" in cli.COMMANDS:
        return [sys.executable, str(REPO / "build.py"), "check"]
    return [sys.executable, "-c", _UNWIRED, "check"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_cold(root: Path, runs: int, warm: bool = False) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of ``python build.py check --format json`` in a new process (import included).

    Cold: ``--no-cache`` (every pair compared, the git log read). Warm: the cache folder filled by one run first,
    then every run finds the findings of the unchanged tree there (``.taiyaku-cache/check/``). CPU time counts
    the check and its git processes; on a shared machine it is steadier than wall time.
    """
    times = []
    command = _check_command()
    cache = ["--cache-dir", str(root.parent / "cache")] if warm else ["--no-cache"]
    if warm:
        subprocess.run([*command, "--root", str(root), "--format", "json", "-q", *cache], capture_output=True)
    for _ in range(runs):
        started, cpu = time.perf_counter(), _children_cpu()
        result = subprocess.run([*command, "--root", str(root), "--format", "json", "-q", *cache],
                                capture_output=True)
        times.append((time.perf_counter() - started, _children_cpu() - cpu))
        if result.returncode not in (0, 1):
            raise SystemExit(f"check failed to run:\n{result.stderr.decode()}")
    return times


def time_phases(root: Path) -> dict[str, float]:
    """In-process: reading every file, the git pass, and the whole check."""
    sys.path.insert(0, str(REPO / "src"))
    from taiyaku.check import check_volume
    from taiyaku.check.history import load_history
    from taiyaku.check.volume import load_for_check

    phases: dict[str, float] = {}
    started = time.process_time()
    volume, _ = load_for_check(root)
    files = sum(len(found) for found in volume.files.values())
    phases[f"read and parse front matter of {files} files (CPU)"] = time.process_time() - started
    started = time.process_time()
    for found in volume.files.values():
        for file in found.values():
            file.parsed
    phases[f"split {files} bodies into blocks (CPU)"] = time.process_time() - started
    started = time.perf_counter()
    history = load_history(root)
    phases[f"git history, {len(history.commits)} commits (wall)"] = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    report = check_volume(root)
    phases["whole check, in-process (wall)"] = time.perf_counter() - started
    phases["whole check, in-process (CPU of the check itself)"] = time.process_time() - cpu
    summary = report.languages["ja"].summary()
    phases["outdated documents"] = summary["outdated"]
    return phases


SHELL_LOOP = r"""
# lsync.sh with ancestry, per translated page: its last commit, the source's commits since, the diff.
cd "$1"
for ja in $(git ls-files "content/$3/" | grep '\.md$'); do
  en="content/$2/${ja#content/$3/}"
  [ -f "$en" ] || continue
  last=$(git log -1 --format=%H -- "$ja")
  if [ -n "$(git log --format=%H "$last..HEAD" -- "$en")" ] && ! git diff --quiet "$last" HEAD -- "$en"; then
    echo "$ja"
  fi
done
"""


def time_shell_loop(root: Path, source: str = "en", lang: str = "ja") -> tuple[float, int]:
    """(wall seconds, outdated pages) of a per-file shell loop (bash + git, up to three processes a page)."""
    started = time.perf_counter()
    result = subprocess.run(["bash", "-c", SHELL_LOOP, "lsync", str(root), source, lang], capture_output=True,
                            text=True, check=True)
    return time.perf_counter() - started, len(result.stdout.split())


def compare_on_real_tree(bundle: Path, runs: int) -> None:
    """A real repository (a git bundle, cloned into a temporary folder): the check cold against the shell loop."""
    with tempfile.TemporaryDirectory(prefix="taiyaku-bench-real-") as folder:
        root = Path(folder) / "tree"
        subprocess.run(["git", "clone", "-q", str(bundle), str(root)], check=True)
        commits = subprocess.run(["git", "-C", str(root), "rev-list", "--count", "HEAD"], capture_output=True,
                                 text=True, check=True).stdout.strip()
        pages = len(list((root / "content" / "ja").rglob("*.md")))
        command = _check_command()
        walls = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([*command, "--root", str(root), "--lang", "ja", "--format", "json", "-q", "--no-cache"],
                           capture_output=True)
            walls.append(time.perf_counter() - started)
        loop, outdated = time_shell_loop(root)
        check = statistics.median(walls)
        print(f"real tree {bundle.name}: {pages} ja pages, {commits} commits")
        print(f"  taiyaku check --lang ja, cold (--no-cache), median of {runs}: {check:.2f} s "
              f"(wall: {', '.join(f'{t:.2f}' for t in walls)})")
        print(f"  per-file shell loop (bash + git): {loop:.2f} s, {outdated} outdated; "
              f"check / loop = {check / loop:.2f}")


_ENTRY = "import sys; from taiyaku.cli import run; run()"


def _timed(src: Path, root: Path, extra: list[str]) -> tuple[float, float]:
    """(wall, CPU) of ``check --format json`` with the package under ``src``, in a new process (os.wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", _ENTRY, "check", "--root", str(root), "--format", "json", "-q",
                                *extra], stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(src)})
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def compare_revisions(root: Path, rev: str, rounds: int) -> None:
    """The check at ``rev`` (its ``src/``, from ``git archive``) against the current one, cold and warm, on the same
    tree, interleaved round by round (the order reversed every other round) so that drifting load hits all alike."""
    with tempfile.TemporaryDirectory(prefix="taiyaku-bench-rev-") as folder:
        old = Path(folder)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "src"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        # An old revision with a cache of findings of its own is timed cold too (like with like).
        cold = ["--no-cache"] if "--no-cache" in (old / "src" / "taiyaku" / "check" / "cli.py").read_text() else []
        sides = {f"{rev}": (old / "src", cold), "now, cold (--no-cache)": (REPO / "src", ["--no-cache"]),
                 "now, warm (cache filled)": (REPO / "src", ["--cache-dir", str(old / "cache")])}
        _timed(REPO / "src", root, sides["now, warm (cache filled)"][1])  # fills the cache
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
        loads = []
        for number in range(rounds):
            for name in (list(sides) if number % 2 == 0 else list(sides)[::-1]):
                samples[name].append(_timed(sides[name][0], root, sides[name][1]))
                loads.append(os.getloadavg()[0])
        base_wall = statistics.median(w for w, _ in samples[rev])
        base_cpu = statistics.median(c for _, c in samples[rev])
        print(f"against {rev}, {rounds} rounds interleaved, medians (load average {min(loads):.1f}–{max(loads):.1f}):")
        print("| check | wall (s) | /old | CPU (s) | /old |")
        print("|---|---|---|---|---|")
        for name, found in samples.items():
            wall, cpu = statistics.median(w for w, _ in found), statistics.median(c for _, c in found)
            print(f"| {name} | {wall:.2f} | {wall / base_wall:.2f} | {cpu:.2f} | {cpu / base_cpu:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--sections", type=int, default=3, help="sections per document (default 3)")
    parser.add_argument("--paragraphs", type=int, default=4, help="paragraphs per section (default 4)")
    parser.add_argument("--runs", type=int, default=3, help="cold runs to time (the median is reported)")
    parser.add_argument("--lsync", action="store_true", help="also time an lsync.sh-style loop on the same tree")
    parser.add_argument("--real", type=Path, default=REPO.parent / "shared" / "corpora" / "cncf-glossary.bundle",
                        help="a git bundle of a real Hugo tree to time against a per-file shell loop (skipped when "
                             "absent; default: ../shared/corpora/cncf-glossary.bundle)")
    parser.add_argument("--against", metavar="REV",
                        help="also time the check of this git revision on the same tree, interleaved with the current "
                             "one cold and warm (e.g. 84746b8, before issue 25's work)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="taiyaku-bench-check-") as folder:
        root = Path(folder) / "volume"
        started = time.perf_counter()
        made = build_tree(root, args.documents, args.commits, args.sections, args.paragraphs)
        print(f"tree: {args.documents} documents in en and ja ({made['files']} files, {args.sections} sections of "
              f"{args.paragraphs} paragraphs each), {made['commits']} commits, {made['source_edits']} counted source "
              f"edits; built in {time.perf_counter() - started:.1f} s")
        for name, warm in (("cold (new process, --no-cache", False), ("warm (new process, cache filled", True)):
            runs = time_cold(root, args.runs, warm)
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            print(f"taiyaku check, {name}, --format json), median of {len(runs)} runs: "
                  f"{statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
                  f"(wall: {', '.join(f'{t:.2f}' for t in walls)}; CPU: {', '.join(f'{t:.2f}' for t in cpus)})")
        for name, value in time_phases(root).items():
            print(f"  {name}: {value:.2f} s" if isinstance(value, float) else f"  {name}: {value}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak memory (in-process): {peak:.0f} MB")
        if args.against:
            compare_revisions(root, args.against, args.runs)
        if args.lsync:
            loop, outdated = time_shell_loop(root)
            print(f"per-file shell loop (bash + git) on the same tree: {loop:.2f} s, {outdated} outdated")
    if args.real.is_file():
        compare_on_real_tree(args.real, args.runs)
    else:
        print(f"no real tree to compare with ({args.real} is absent)")
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU") if Path("/proc/cpuinfo").is_file() else "unknown CPU"
    print(f"machine: {model}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; load average "
          f"{os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
