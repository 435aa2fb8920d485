"""Fixtures for the facing edition: the sample volume (the repository root) and tests/roots/facing_gaps, each
made once per session through :class:`taiyaku.facing.FacingOutput` into a temporary build folder."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

from taiyaku.errors import Diagnostics
from taiyaku.pipeline import BuildOptions, check_translations, load_strings, load_volume
from taiyaku.writer import OutputWriter

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent


@dataclass
class Edition:
    """One edition as made by a test build."""

    root: Path
    pdf: Path
    artifacts: list
    report: object
    volume: object
    seconds: float
    single: dict[str, int] = field(default_factory=dict)
    """Page counts of the single-language PDFs (made only for the sample)."""
    single_seconds: float = 0.0


def _make(root: Path, out: Path, manifest: list | None = None) -> Edition:
    """The edition of the volume at ``root``, as a build makes it after the PDFs in ``manifest`` (none: as
    ``--format facing`` makes it alone)."""
    from taiyaku.facing import FacingOutput

    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=root), diagnostics)
    strings = load_strings(volume, diagnostics)
    check_translations(volume, diagnostics)
    writer = OutputWriter(out, ["pdf"], root=root)
    output = FacingOutput()
    ctx = SimpleNamespace(volume=volume, strings=strings, diagnostics=diagnostics, writer=writer,
                          options=SimpleNamespace(profile=None), languages=[], manifest=manifest or [])
    assert output.enabled(volume)
    started = time.perf_counter()
    artifacts = output.run(ctx)
    seconds = time.perf_counter() - started
    writer.commit()
    assert artifacts, [str(d) for d in diagnostics]
    return Edition(root, out / artifacts[0].rel_path, artifacts, output.last_report, volume, seconds)


@pytest.fixture(scope="session")
def sample_edition(tmp_path_factory: pytest.TempPathFactory, sample_volume_pdfs: tuple[Path, list]) -> Edition:
    """The sample volume's edition as a full build makes it: after its two single-language PDFs (the run's,
    shared), whose papers' flows it packs from; and those PDFs' page counts for comparison."""
    from taiyaku.outputs import Artifact

    results = sample_volume_pdfs[1]
    manifest = [Artifact("pdf", f"pdf/{result.label}", (result.lang,), "volume",
                         data={"flows": result.flows, "profile": "screen", "page_map": result.page_map})
                for result in results]
    out = tmp_path_factory.mktemp("facing-sample") / "build"
    edition = _make(REPO, out, manifest)
    edition.single_seconds = sum(result.layout_seconds + result.write_seconds for result in results)
    edition.single = {result.lang: result.pages for result in results}
    return edition


@pytest.fixture(scope="session")
def gaps_edition(tmp_path_factory: pytest.TempPathFactory) -> Edition:
    """tests/roots/facing_gaps: the translation drops paragraph 3, adds a note after 4, merges 5 and 6."""
    import shutil

    root = tmp_path_factory.mktemp("facing-gaps") / "facing_gaps"
    shutil.copytree(TESTS / "roots" / "facing_gaps", root)
    return _make(root, root / "build")
