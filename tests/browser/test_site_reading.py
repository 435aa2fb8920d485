"""What a reader sees, measured in Chromium: note calls separated only where they touch, captions at the width
of their figure, and a 404 page that works on any host (issue 26, items 1–3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from .browsing import Tab

pytestmark = pytest.mark.browser

PAPERS = ("introduction", "treaty-history", "paying-for-deterrence", "networked-region")

CALLS = """() => [...document.querySelectorAll('.body sup')].filter(s => s.querySelector('a.footnote-ref')).map(s => {
  const before = getComputedStyle(s, '::before').content;
  // A word joiner (which keeps a call on the line of what it follows) is no text between two calls.
  let previous = s.previousSibling;
  const text = previous && previous.nodeType === 3 ? previous.textContent : '';
  if (previous && previous.nodeType === 3 && /^\u2060*$/.test(previous.textContent)) previous = previous.previousSibling;
  const touching = previous !== null && previous.nodeType === 1 && previous.tagName === 'SUP';
  return {comma: before === '","', touching, text};
})"""


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_comma_separates_only_calls_that_touch(reader: Tab, lang: str) -> None:
    """"17,18" for [^17][^18]; never "May 1999.,²⁰" for a call after text after a call."""
    commas = 0
    for paper in PAPERS:
        calls = reader.show(f"{lang}/{paper}/").evaluate(CALLS)
        stray = [c for c in calls if c["comma"] and not c["touching"]]
        assert stray == [], f"{lang}/{paper}: a comma before a call that follows text: {stray[:3]}"
        missing = [c for c in calls if c["touching"] and not c["comma"]]
        assert missing == [], f"{lang}/{paper}: touching calls without a comma"
        commas += sum(c["comma"] for c in calls)
    assert commas == 1  # the sample's one pair, [^17][^18] in the treaty history
    reader.assert_clean()


CAPTION = """() => {
  const caption = document.querySelector('.body figure figcaption .caption');
  const figure = caption.closest('figure');
  const lines = Math.round(caption.getBoundingClientRect().height / parseFloat(getComputedStyle(caption).lineHeight));
  return {lines, width: caption.getBoundingClientRect().width, figure: figure.getBoundingClientRect().width};
}"""


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_figure_caption_runs_the_width_of_its_figure(reader: Tab, lang: str) -> None:
    """The numbers bound in ``span.nowrap`` stay inline: Figure 1's caption is one or two lines, not a column."""
    found = reader.show(f"{lang}/paying-for-deterrence/").evaluate(CAPTION)
    assert found["lines"] <= 2, found
    assert found["width"] >= 0.9 * found["figure"], found
    reader.assert_clean()


def test_the_404_page_works_on_any_host_at_any_depth(browser, server: str, site: Path) -> None:
    """Served for a missing path three folders deep on a host that is not the volume's: styled, its links on
    this host, no request to the public host (which the offline browser could not reach)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    failed: list[str] = []
    context.on("requestfailed", lambda request: failed.append(request.url))
    page = context.new_page()
    missing = server + "no/such/page/"
    page.route(missing, lambda route: route.fulfill(status=404, path=str(site / "404.html")))
    try:
        page.goto(missing, wait_until="load")
        assert failed == []
        links = page.eval_on_selector_all(".not-found a", "links => links.map(a => a.href)")
        assert links and all(link.startswith(server) for link in links), links
        # The stylesheet applied: the theme's colour variables are set.
        assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--ink').trim()") != ""
        # Its search field works there too: results link into the site on this host.
        page.locator("input.site-search-input").fill("alliance")
        page.wait_for_selector(".site-search-results a", timeout=10000)
        hrefs = page.eval_on_selector_all(".site-search-results a", "links => links.map(a => a.href)")
        assert hrefs and all(href.startswith(server + "en/") for href in hrefs), hrefs
        page.click(".not-found a >> nth=0")
        assert page.url.startswith(server) and page.title()
    finally:
        context.close()


FRAME = """() => ({header: document.querySelector('.site-header').getBoundingClientRect().height,
  left: document.querySelector('.body > p').getBoundingClientRect().left,
  width: document.querySelector('.body > p').getBoundingClientRect().width})"""


def test_switching_language_moves_neither_the_header_nor_the_text(reader: Tab) -> None:
    """At 1280 px the header is one row in both languages and the text column starts at the same x; each
    language keeps its own measure (English about 34 rem, Japanese about 38)."""
    en = reader.show("en/treaty-history/").evaluate(FRAME)
    ja = reader.show("ja/treaty-history/").evaluate(FRAME)
    assert en["header"] < 80 and ja["header"] < 80, (en, ja)
    assert en["left"] == ja["left"]
    assert en["width"] < ja["width"]
    reader.assert_clean()


def test_a_url_in_japanese_text_leaves_no_letter_spaced_line(browser, tmp_path: Path) -> None:
    """A URL too long for the rest of a line breaks inside itself, as Japanese text does, instead of moving to the
    next line and leaving the justified line before it letter-spaced (issue 26, item 6)."""
    import shutil

    from helpers import run_taiyaku

    root = tmp_path / "vol"
    shutil.copytree(Path(__file__).parents[1] / "roots" / "minimal", root)
    page_md = root / "content/ja/01-one.md"
    page_md.write_text(page_md.read_text(encoding="utf-8").replace(
        "節の本文。", "非常に長い説明の後に資料の所在を示す。詳しくは "
        "https://www.example.org/publications/reports/2026/alliance-at-seventy-five/full-text.pdf を参照されたい。"),
        encoding="utf-8")
    code, err = run_taiyaku("build", "--root", root, "--out", tmp_path / "out", "--format", "html", "-q")
    assert code == 0, err
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto((tmp_path / "out/html/ja/one/index.html").as_uri())
        # Characters per line box of the paragraph: no line of a few characters spread across the measure.
        lines = page.evaluate("""() => {
          const p = document.querySelector('.body h2 + p');
          const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
          const tops = new Map();
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) {
              const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
              const box = r.getClientRects()[0]; if (!box) continue;
              const top = Math.round(box.top); tops.set(top, (tops.get(top) || 0) + 1);
            }
          }
          return [...tops.values()];
        }""")
        assert len(lines) >= 3
        assert min(lines[:-1]) >= 15, lines  # every line but the last is full
    finally:
        context.close()


def test_the_language_switch_stays_in_the_parallel_view(reader: Tab) -> None:
    page = reader.show("ja/treaty-history/parallel/")
    href = page.eval_on_selector(".languages a[hreflang=en]", "a => a.href")
    assert href.endswith("/en/treaty-history/parallel/index.html"), href
    reader.assert_clean()
