"""The site opened from disk (``file://``) and served under a sub-path: every kind of page is reached by clicking,
and no click ends in a directory listing (links end in ``index.html``: see urls.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAPER = "paying-for-deterrence"


def _is_page(page) -> None:
    """A page of the site, not a listing or an error: it has a language and a level-one heading."""
    assert "Index of" not in page.title()
    assert page.locator("html").get_attribute("lang") in ("en", "ja")
    assert page.locator("h1").count() >= 1


def _click(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()
    _is_page(page)


def _walk(page, start: str) -> list[str]:
    """Chooser → Japanese home → a paper → its parallel view → back → contributors → the English page of a paper
    → the volume PDF link's target exists; returns the addresses visited."""
    visited = []
    page.goto(start, wait_until="load")
    _is_page(page)
    _click(page, '.chooser-entry[lang="ja"] h2 a')
    visited.append(page.url)
    _click(page, f'.toc a[href*="{PAPER}/"]')
    visited.append(page.url)
    _click(page, ".parallel-link a")
    visited.append(page.url)
    _click(page, ".parallel-back a")
    visited.append(page.url)
    _click(page, 'nav.languages a[hreflang="en"]')
    visited.append(page.url)
    assert page.locator("html").get_attribute("lang") == "en"
    _click(page, "a.up")
    visited.append(page.url)
    _click(page, ".contributors-link a")
    visited.append(page.url)
    _click(page, "a.volume-link")
    visited.append(page.url)
    return visited


def test_from_disk_every_page_is_reached_by_clicking(browser, site: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(5000)
    try:
        visited = _walk(page, (site / "index.html").as_uri())
        assert all(url.split("#")[0].endswith("index.html") for url in visited), visited
        assert visited[1].endswith(f"/ja/{PAPER}/index.html")
        assert visited[2].endswith(f"/ja/{PAPER}/parallel/index.html")
    finally:
        context.close()


def test_from_disk_the_remembered_language_opens_its_home(browser, site: Path) -> None:
    """The chooser remembers a choice; opened again it goes to that language's home, not a folder listing."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(5000)
    try:
        page.goto((site / "index.html").as_uri(), wait_until="load")
        _click(page, '.chooser-entry[lang="ja"] h2 a')
        page.goto((site / "index.html").as_uri(), wait_until="load")
        page.wait_for_load_state("load")
        _is_page(page)
    finally:
        context.close()


def test_under_a_sub_path_every_page_is_reached(browser, sub_path: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(5000)
    failed: list[str] = []
    context.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    try:
        visited = _walk(page, sub_path)
        assert all(url.startswith(sub_path) for url in visited), visited
        assert failed == []
    finally:
        context.close()
