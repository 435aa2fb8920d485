"""Search in a real browser: Pagefind's index per language, served over HTTP (at the root and under a sub-path),
results in the page's language with the matched words in <mark>, a word found only in a footnote; opened from
disk the same field searches the site's plain-text index."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .browsing import Tab

pytestmark = pytest.mark.browser

PAPERS = {"introduction", "treaty-history", "paying-for-deterrence", "co-development", "networked-region", "about"}

RESULTS = """() => [...document.querySelectorAll(".site-search-results li")].map(li => ({
  href: li.querySelector("a").getAttribute("href"),
  url: li.querySelector("a").href,
  marks: [...li.querySelectorAll("mark")].map(m => m.textContent),
  excerpt: li.querySelector(".site-search-excerpt").textContent,
}))"""


def search(page, query: str) -> list[dict]:
    """Type ``query`` into the header's field and wait for the result list (or the "nothing found" message)."""
    field = page.locator("input.site-search-input")
    field.fill(query)
    page.wait_for_function("q => (document.querySelector('.site-search-status').textContent || '').includes(q)",
                           arg=query, timeout=10000)
    return page.evaluate(RESULTS)


def slugs(results: list[dict], lang: str) -> set[str]:
    """The papers the results link to; every link must stay in ``lang``."""
    found = set()
    for result in results:
        parts = result["href"].split("#")[0].strip("/").split("/")
        assert parts[-1] == "index.html" and parts[-3] == lang, result["href"]
        found.add(parts[-2])
    return found


@pytest.mark.parametrize(("lang", "query"), [("ja", "同盟"), ("en", "alliance")])
def test_search_finds_the_papers_in_the_pages_language(tab: Tab, lang: str, query: str) -> None:
    page = tab.open(f"{lang}/introduction/index.html")
    results = search(page, query)
    assert {"introduction", "treaty-history", "paying-for-deterrence", "networked-region"} <= slugs(results, lang)
    assert all(result["marks"] for result in results)
    assert all(query in mark.lower() for result in results for mark in result["marks"])
    with page.expect_navigation():
        page.locator(".site-search-results a").first.click()
    assert page.locator("html").get_attribute("lang") == lang
    tab.assert_clean()


@pytest.mark.parametrize(("lang", "query"), [("en", "IMF"), ("ja", "所信表明")])
def test_a_word_only_in_a_footnote_is_found(tab: Tab, lang: str, query: str) -> None:
    page = tab.open(f"{lang}/about/index.html")
    results = search(page, query)
    assert slugs(results, lang) == {"paying-for-deterrence"}
    # Japanese is segmented into words (所信 | 表明), each marked.
    assert "".join(mark.strip(";,.、。") for mark in results[0]["marks"]) == query
    tab.assert_clean()


def test_nothing_found_says_so(tab: Tab) -> None:
    page = tab.open("ja/index.html")
    assert search(page, "zzqxw") == []
    assert page.locator(".site-search-status").inner_text() == "「zzqxw」に一致するものはない。"
    page.locator("input.site-search-input").press("Escape")
    assert page.locator(".site-search-panel").is_hidden()
    tab.assert_clean()


def test_search_under_a_sub_path(browser, sub_path: str) -> None:
    """The index and the result links are found from the page's own address, whatever the server's path."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    failed: list[str] = []
    context.on("response", lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    try:
        page = context.new_page()
        page.goto(sub_path + "ja/treaty-history/index.html")
        results = search(page, "同盟")
        assert results and all(r["url"].startswith(sub_path + "ja/") for r in results)
        with page.expect_navigation():
            page.locator(".site-search-results a").first.click()
        assert page.url.startswith(sub_path + "ja/")
        assert failed == []
    finally:
        context.close()


@pytest.mark.parametrize(("lang", "query", "expected"), [
    ("ja", "同盟", {"introduction", "treaty-history", "paying-for-deterrence", "networked-region"}),
    ("en", "alliance", {"introduction", "treaty-history", "paying-for-deterrence", "networked-region"}),
    ("ja", "所信表明", {"paying-for-deterrence"}),  # only in a footnote
    ("en", "senior fellow", {"introduction", "contributors"}),  # two words, set apart only by styling
])
def test_from_disk_search_uses_the_plain_text_index(browser, site: Path, lang: str, query: str,
                                                   expected: set[str]) -> None:
    """Opened from disk, Pagefind cannot load: the field searches pagefind/disk-<lang>.js instead, with the same
    results list, marks and links (file:// URLs to the same language's pages)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto((site / lang / "about/index.html").as_uri())
        results = search(page, query)
        assert expected <= slugs(results, lang)
        assert all(result["url"].startswith((site / lang).as_uri() + "/") for result in results)
        words = query.split()
        assert all(any(mark.lower() in words for mark in result["marks"]) for result in results)
        with page.expect_navigation():
            page.locator(".site-search-results a").first.click()
        assert page.url.startswith((site / lang).as_uri() + "/")
        assert errors == []
    finally:
        context.close()


def test_from_disk_nothing_found_says_so(browser, site: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto((site / "ja/index.html").as_uri())
        assert search(page, "zzqxw") == []
        assert page.locator(".site-search-status").inner_text() == "「zzqxw」に一致するものはない。"
    finally:
        context.close()


def test_search_by_keyboard(tab: Tab) -> None:
    """Arrow down from the field to the results and back, Escape closes, Enter opens the first result."""
    page = tab.open("en/introduction/index.html")
    results = search(page, "alliance")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == results[0]["href"]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == results[1]["href"]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.className") == "site-search-input"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert page.locator(".site-search-panel").is_hidden()
    page.locator("input.site-search-input").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(results[0]["href"])
    tab.assert_clean()


SECTION_TEXT = """id => {
  const heading = document.getElementById(id);
  let text = heading.textContent, node = heading.nextElementSibling;
  while (node && !/^H[1-6]$/.test(node.tagName)) { text += " " + node.textContent; node = node.nextElementSibling; }
  return text;
}"""


@pytest.mark.parametrize("from_disk", [False, True], ids=["pagefind", "from-disk"])
def test_a_result_opens_at_the_section_it_matched_in(tab: Tab, site: Path, from_disk: bool) -> None:
    """"Okinawa" in the treaty history is in its section on reversion, not at the top of the page; an excerpt cut
    out of the text says so with an ellipsis; no note number is read as part of the text ("1972.11 It")."""
    page = tab.page
    if from_disk:
        page.goto((site / "en/introduction/index.html").as_uri())
    else:
        page = tab.open("en/introduction/index.html")
    results = search(page, "reversion")
    assert results
    for result in results:
        assert "#" in result["href"], result
        assert result["excerpt"].startswith("…") or result["excerpt"].endswith("…"), result
        assert not __import__("re").search(r"[a-z.,]\d+ [A-Z]", result["excerpt"]), result["excerpt"]
    target = results[0]
    page.locator(".site-search-results a").first.click()
    page.wait_for_load_state("load")
    section = target["href"].split("#")[1]
    assert "reversion" in page.evaluate(SECTION_TEXT, section).lower()
    tab.assert_clean()
