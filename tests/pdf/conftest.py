"""Fixtures for the PDF tests: volumes under ``tests/pdf/roots/``, each built once per session
(inspection helpers are in ``pdfcheck.py``)."""

from __future__ import annotations

import io
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOTS = Path(__file__).resolve().parent / "roots"


@dataclass
class Built:
    """One build of a fixture volume."""

    root: Path
    out: Path
    code: int
    log: str
    results: list = field(default_factory=list)
    """TypesetResults, when built through the API."""

    def pdf(self, name: str) -> Path:
        """A PDF under ``<out>/pdf/``."""
        return self.out / "pdf" / name


@pytest.fixture(scope="session")
def build_pdf(tmp_path_factory: pytest.TempPathFactory):
    """``build_pdf(name, profile=None)``: build ``tests/pdf/roots/<name>/`` once per session.

    Without a profile the build runs as ``taiyaku build --format pdf`` does (``pipeline.build``); with one,
    through ``make_jobs(profile=..., offprints=True)`` and ``run_jobs`` (the command-line option and the
    offprints are the pipeline's to switch on).
    """
    cache: dict[tuple[str, str | None], Built] = {}

    def build(name: str, profile: str | None = None) -> Built:
        key = (name, profile)
        if key not in cache:
            base = tmp_path_factory.mktemp(name)
            root = base / name
            shutil.copytree(ROOTS / name, root)
            out = base / "out"
            if profile is None:
                cache[key] = _build(root, out)
            else:
                cache[key] = _build_api(root, out, profile)
        return cache[key]

    return build


def _build(root: Path, out: Path) -> Built:
    """The build as ``taiyaku build --format pdf`` runs it; the log captured."""
    from taiyaku.errors import TaiyakuError
    from taiyaku.pipeline import BuildOptions, build

    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logger = logging.getLogger("taiyaku")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        build(BuildOptions(root=root, out=out, format="pdf"))
        code = 0
    except TaiyakuError as exc:
        buffer.write(f"{exc}\n")
        code = 1
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return Built(root, out, code, buffer.getvalue())


def _build_api(root: Path, out: Path, profile: str) -> Built:
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf import make_jobs, run_jobs
    from taiyaku.pipeline import BuildOptions, load_strings, load_volume

    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=root), diagnostics)
    strings = load_strings(volume, diagnostics)
    jobs = make_jobs(volume, strings, out, diagnostics, profile=profile, offprints=True)
    results = run_jobs(jobs)
    errors = [r.error for r in results if r.error] + [str(d) for d in diagnostics.errors]
    return Built(root, out, 1 if errors else 0, "\n".join(errors), results)
