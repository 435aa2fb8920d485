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
        page.click(".not-found a >> nth=0")
        assert page.url.startswith(server) and page.title()
    finally:
        context.close()
