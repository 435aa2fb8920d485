"""The editions in Debian's Chromium (Playwright): the vertical edition's writing mode and block direction as
computed, tables and figures horizontal, numbers upright; axe-core on every content document; screenshots."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest

from .conftest import REPO, Built

pytestmark = [pytest.mark.browser, pytest.mark.pdf]  # the sample volume typesets its PDFs

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
SCREENSHOTS_ENV = "TAIYAKU_SCREENSHOTS"
"""A folder (``docs/images``) to write the screenshots to; by default a temporary folder."""
EDITIONS = {"horizontal": "epub/alliance-at-75-ja.epub", "vertical": "epub/alliance-at-75-ja-vertical.epub",
            "english": "epub/alliance-at-75-en.epub"}


@pytest.fixture(scope="module")
def unpacked(sample_built: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each edition unzipped: its ``EPUB/`` folder, opened from disk as a reading system would read it."""
    found = {}
    for key, rel_path in EDITIONS.items():
        folder = tmp_path_factory.mktemp(key)
        zipfile.ZipFile(BytesIO(sample_built.ctx.writer.files[rel_path])).extractall(folder)
        found[key] = folder / "EPUB"
    return found


@pytest.fixture(scope="module")
def page(sample_built: Built, browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """One Chromium tab, 800 × 1000 (a tablet held upright), offline, in the run's one browser."""
    context = browser.new_context(viewport={"width": 800, "height": 1000}, locale="ja-JP")
    tab = context.new_page()
    tab.set_default_timeout(10000)
    yield tab
    context.close()


STYLE = """selector => { const e = document.querySelector(selector); const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  return {mode: s.writingMode, combine: s.textCombineUpright, x: r.x, right: r.right}; }"""


def test_vertical_edition_sets_japanese_top_to_bottom_right_to_left(page, unpacked: dict[str, Path]) -> None:
    page.goto((unpacked["vertical"] / "ch03.xhtml").as_uri())
    root = page.evaluate(STYLE, "html")
    assert root["mode"] == "vertical-rl"
    # Blocks progress right to left: the title is right of the first paragraph of the body.
    title, first = page.evaluate(STYLE, "h1"), page.evaluate(STYLE, ".chapter-body p")
    assert title["x"] > first["right"] - 1
    assert page.evaluate(STYLE, "table")["mode"] == "horizontal-tb"
    assert page.evaluate(STYLE, ".tcy")["combine"] == "all"
    assert page.evaluate(STYLE, "sup a")["combine"] == "all"
    page.goto((unpacked["vertical"] / "ch04.xhtml").as_uri())
    assert page.evaluate(STYLE, "figure")["mode"] == "horizontal-tb"


def test_horizontal_editions_stay_horizontal(page, unpacked: dict[str, Path]) -> None:
    for key in ("horizontal", "english"):
        page.goto((unpacked[key] / "ch03.xhtml").as_uri())
        assert page.evaluate(STYLE, "html")["mode"] == "horizontal-tb"
        assert page.evaluate("() => document.querySelectorAll('.tcy').length") == 0


@pytest.mark.parametrize("key", EDITIONS)
def test_no_axe_violations_in_any_content_document(page, unpacked: dict[str, Path], key: str) -> None:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing at {AXE_JS}: npm install --prefix .cache/axe axe-core@4 (make setup does)")
    source = AXE_JS.read_text(encoding="utf-8")
    problems = []
    for path in sorted(unpacked[key].glob("*.xhtml")):
        page.goto(path.as_uri())
        page.add_script_tag(content=source)
        for violation in page.evaluate(AXE_RUN, WCAG_21_AA)["violations"]:
            targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:3])
            problems.append(f"{path.name}: {violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    assert not problems, "\n".join(problems)


def test_screenshots_of_a_chapter_in_both_editions(page, unpacked: dict[str, Path], tmp_path: Path) -> None:
    """The README's pictures: the same paper in the horizontal and the vertical edition."""
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for key in ("horizontal", "vertical"):
        page.goto((unpacked[key] / "ch03.xhtml").as_uri())
        target = folder / f"epub-{key}.png"
        # A vertical page starts at its right edge; Chromium's screenshot of the viewport shows the left one
        # (blank), so the whole page is taken and its first (rightmost) viewport cut out.
        width = page.evaluate("() => document.documentElement.scrollWidth")
        page.screenshot(path=str(target), full_page=True, clip={"x": width - 800, "y": 0, "width": 800, "height": 1000})
        assert target.stat().st_size > 30_000
