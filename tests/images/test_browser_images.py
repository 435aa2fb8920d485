"""What Chromium fetches and shows: the right width of WebP for the screen, the column's width at the file's
proportions, and an image below the first screen only once the reader scrolls to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser.browsing import CHROMIUM

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (make setup installs it)")]
FILLER = "A paragraph that pushes the next figure far below the first screen, as a long paper would. " * 4


@pytest.fixture
def long_site(run, photo_root: Path, tmp_path: Path) -> Path:
    doc = photo_root / "content/en/01-one.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("## A section", "\n\n".join([FILLER] * 40)
                                                           + "\n\n## A section"), encoding="utf-8")
    out = tmp_path / "out"
    code, err = run("build", "--root", photo_root, "--out", out, "--format", "html")
    assert code == 0, err
    return out / "html/en/one/index.html"


@pytest.mark.parametrize(("width", "first", "second"), [(390, "photo-480w.webp", "small-480w.webp"),
                                                         (1280, "photo-960w.webp", "small-800w.webp")])
def test_the_browser_fetches_what_the_screen_needs(long_site: Path, browser, width: int, first: str, second: str):
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url.rsplit("/", 1)[-1]) if "/figures/" in r.url else None)
        page.goto(long_site.as_uri())
        page.wait_for_load_state("load")
        assert fetched == [first]  # the first figure, in WebP, no wider than the screen needs; nothing below
        shown = page.evaluate("""() => [...document.querySelectorAll('.body img')].map(i => {
            const box = i.getBoundingClientRect(); const column = i.closest('.body').getBoundingClientRect();
            return [box.width, box.height, column.width]; })""")
        for box_width, box_height, column in shown:
            assert box_width <= column + 0.5
        assert shown[0][1] == pytest.approx(shown[0][0] * 1067 / 1600, abs=1)  # the file's proportions
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(400)
        assert fetched == [first, second, "chart.svg"]
    finally:
        context.close()
