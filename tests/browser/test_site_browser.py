"""The website in a real browser: choosing a language, reading a paper, switching language without losing the
section, footnotes both ways, the remembered language, no console errors, no sideways scrolling on a phone,
and screenshots of both languages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .browsing import Tab

pytestmark = pytest.mark.browser

PAPER = "paying-for-deterrence"
"""A paper with sections, a figure and footnotes in both languages."""

STORAGE_KEY = "taiyaku.lang"


def assert_in_view(page, element_id: str) -> None:
    """The element is scrolled to: its top is inside the viewport."""
    page.wait_for_function(
        "id => { const r = document.getElementById(id).getBoundingClientRect();"
        " return r.top >= -1 && r.top < window.innerHeight; }", arg=element_id, timeout=2000)


def stored_language(page) -> str | None:
    return page.evaluate("key => window.localStorage.getItem(key)", STORAGE_KEY)


def test_choose_japanese_then_open_a_paper(tab: Tab) -> None:
    page = tab.open("")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).count() == 1
    page.locator('.chooser-entry[lang="ja"] h2 a').click()
    page.wait_for_url(tab.server + "ja/index.html")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("h1").inner_text() == "七十五年目の同盟"

    page.locator(f'.toc a[href$="{PAPER}/index.html"]').click()
    page.wait_for_url(tab.server + f"ja/{PAPER}/index.html")
    assert page.locator("h1").inner_text() == "抑止を賄う"
    assert page.locator(".body h2#sec-2").is_visible()
    tab.assert_clean()


@pytest.mark.parametrize(("start", "target", "section"), [("ja", "en", "sec-2"), ("en", "ja", "sec-4")])
def test_language_switch_from_a_section_lands_on_the_same_section(
        tab: Tab, start: str, target: str, section: str) -> None:
    page = tab.open(f"{start}/{PAPER}/index.html#{section}")
    assert_in_view(page, section)
    with page.expect_navigation():
        page.locator(f'nav.languages a[hreflang="{target}"]').click()
    assert tab.path == f"{target}/{PAPER}/index.html#{section}"
    assert page.locator("html").get_attribute("lang") == target
    assert_in_view(page, section)
    tab.assert_clean()


def test_language_switch_after_following_the_papers_contents(tab: Tab) -> None:
    """The reader jumps to a section from the paper's own contents list, then switches language."""
    page = tab.open(f"ja/{PAPER}/index.html")
    page.locator('.document-toc a[href="#sec-3"]').click()
    assert tab.path == f"ja/{PAPER}/index.html#sec-3"
    with page.expect_navigation():
        page.locator('nav.languages a[hreflang="en"]').click()
    assert tab.path == f"en/{PAPER}/index.html#sec-3"
    assert_in_view(page, "sec-3")
    tab.assert_clean()


def test_footnote_and_back(tab: Tab) -> None:
    page = tab.open(f"ja/{PAPER}/index.html")
    ref = page.locator('.body a.footnote-ref[href="#fn:2"]')
    ref.click()
    assert tab.path == f"ja/{PAPER}/index.html#fn:2"
    assert_in_view(page, "fn:2")
    assert "2％水準の前倒し達成" in page.locator('[id="fn:2"]').inner_text()

    page.locator('[id="fn:2"] a.footnote-backref').click()
    assert tab.path == f"ja/{PAPER}/index.html#fnref:2"
    assert_in_view(page, "fnref:2")

    page.go_back()  # the browser's own back button returns to the note
    assert tab.path == f"ja/{PAPER}/index.html#fn:2"
    assert_in_view(page, "fn:2")
    tab.assert_clean()


def test_remembered_language(tab: Tab) -> None:
    """The landing page forwards only after the reader chose a language on this site; ``?choose`` stays."""
    page = tab.open("")  # the browser's language is Japanese: no redirect for that alone
    page.wait_for_timeout(300)
    assert tab.path == ""
    assert stored_language(page) is None

    page.locator('.chooser-entry[lang="ja"] .enter a').click()
    page.wait_for_url(tab.server + "ja/index.html")
    assert stored_language(page) == "ja"

    for landing in ("", "index.html"):  # the chooser forwards with location.replace to the language's own link
        page.goto(tab.server + landing, wait_until="commit")
        page.wait_for_url(tab.server + "ja/index.html")

    tab.open("?choose")
    page.wait_for_timeout(300)
    assert tab.path == "?choose"
    assert page.locator(".chooser").is_visible()

    tab.open(f"ja/{PAPER}/index.html")  # switching language on a paper is a choice too
    with page.expect_navigation():
        page.locator('nav.languages a[hreflang="en"]').click()
    assert stored_language(page) == "en"
    page.goto(tab.server, wait_until="commit")
    page.wait_for_url(tab.server + "en/index.html")

    tab.open("404.html")  # the 404 page belongs to no language and changes nothing
    assert stored_language(page) == "en"
    tab.assert_clean()


def test_every_page_loads_without_console_errors(tab: Tab, site: Path) -> None:
    """Every page of the site, in both languages (the landing page as ``?choose``, which never forwards)."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) >= 20
    for rel in pages:
        tab.open(re.sub(r"(^|/)index\.html$", r"\1", rel) or "?choose")
    tab.assert_clean()


def test_site_works_without_javascript(browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server)
        page.locator('.chooser-entry[lang="ja"] h2 a').click()
        page.wait_for_url(server + "ja/index.html")
        page.locator(f'.toc a[href$="{PAPER}/index.html"]').click()
        page.wait_for_url(server + f"ja/{PAPER}/index.html")
        assert page.locator(".site-search").is_hidden()  # search needs the script: no dead field
        page.locator('nav.languages a[hreflang="en"]').click()
        page.wait_for_url(re.compile(re.escape(server + f"en/{PAPER}/index.html") + "(#.*)?$"))
    finally:
        context.close()


RESPONSIVE_PAGES = ["", "ja/", "en/", f"ja/{PAPER}/", "ja/networked-region/", "en/networked-region/",
                    "en/networked-region/parallel/", "ja/contributors/"]
"""Each kind of page; the papers with the widest table, alone and in the parallel view."""

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth, page = document.documentElement.scrollWidth;
  if (page <= width) return [];
  const wide = [...document.querySelectorAll("main *")].filter(el => el.getBoundingClientRect().right > width + 0.5);
  const outermost = wide.filter(el => !wide.includes(el.parentElement)).slice(0, 3);
  return [`page ${page} px wide`, ...outermost.map(el =>
    `${el.tagName.toLowerCase()}${el.className ? "." + el.className.split(" ").join(".") : ""} ` +
    `reaches ${Math.round(el.getBoundingClientRect().right)} px`)];
}"""


def test_no_sideways_scrolling_on_a_phone(browser, server: str) -> None:
    """At 320 and 375 px nothing in the page is wider than the screen (which would make the page scroll sideways
    or, on a phone, zoom out)."""
    context = browser.new_context(viewport={"width": 320, "height": 700}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        too_wide = {}
        for path in RESPONSIVE_PAGES:
            page.goto(server + (path or "?choose"))
            for width in (320, 375):
                page.set_viewport_size({"width": width, "height": 700})
                if found := page.evaluate(OVERFLOW):
                    too_wide[f"{width} px /{path}"] = found
            page.set_viewport_size({"width": 320, "height": 700})
        assert not too_wide, "\n".join(f"{where}: {'; '.join(found)}" for where, found in too_wide.items())
    finally:
        context.close()


SCREENSHOTS = {
    "ja-home": "ja/",
    "ja-paper": f"ja/{PAPER}/",
    "en-paper": f"en/{PAPER}/",
}


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots(browser, server: str, screenshot_dir: Path, width: int) -> None:
    """``site-<page>-<width>.png``; ``TAIYAKU_SCREENSHOTS=docs/images`` writes them for the documentation."""
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 812 if phone else 860}, device_scale_factor=2 if phone else 1,
        is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        for name, path in SCREENSHOTS.items():
            page.goto(server + path)
            page.evaluate("() => document.fonts.ready.then(() => true)")
            target = screenshot_dir / f"site-{name}-{width}.png"
            page.screenshot(path=str(target))
            assert target.stat().st_size > 20_000, f"{target} looks blank"
        # Search, open, on a Japanese paper.
        page.goto(server + f"ja/{PAPER}/")
        page.locator("input.site-search-input").fill("同盟")
        page.wait_for_selector(".site-search-results li mark")
        target = screenshot_dir / f"site-ja-search-{width}.png"
        page.screenshot(path=str(target))
        assert target.stat().st_size > 20_000, f"{target} looks blank"
    finally:
        context.close()


@pytest.mark.parametrize(("start", "target", "section"), [("ja", "en", "sec-3"), ("en", "ja", "sec-4")])
def test_language_switch_keeps_the_section_scrolled_to(tab: Tab, start: str, target: str, section: str) -> None:
    """No ``#`` in the address: the reader scrolled into a section; the other language opens at that section."""
    page = tab.open(f"{start}/{PAPER}/index.html")
    # The section's heading a little above the text's top edge (under the sticky header), its text on screen.
    page.evaluate("""id => {
      const heading = document.getElementById(id);
      const header = document.querySelector(".site-header").getBoundingClientRect().bottom;
      window.scrollTo(0, heading.getBoundingClientRect().top + window.scrollY - header + 60);
    }""", section)
    page.wait_for_timeout(100)
    assert tab.path == f"{start}/{PAPER}/index.html"
    # A click where the link is, as a reader's: Playwright's own click() would first scroll the link "into view"
    # past the scroll padding kept for the sticky header, and so move the page.
    box = page.locator(f'nav.languages a[hreflang="{target}"]').bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert tab.path == f"{target}/{PAPER}/index.html#{section}"
    assert_in_view(page, section)
    tab.assert_clean()


def test_language_switch_at_the_top_carries_no_section(tab: Tab) -> None:
    page = tab.open(f"ja/{PAPER}/index.html")
    with page.expect_navigation():
        page.locator('nav.languages a[hreflang="en"]').click()
    assert tab.path == f"en/{PAPER}/index.html"
    tab.assert_clean()
