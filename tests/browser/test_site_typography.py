"""Typography as the browser computes it: each language's fonts and leading where the theme means them, space
between the header and the page, Japanese indents only in running text, no stray spaces in Japanese."""

from __future__ import annotations

import pytest
from .browsing import Tab

pytestmark = pytest.mark.browser

JA_PAPER = "ja/paying-for-deterrence/"
EN_PAPER = "en/paying-for-deterrence/"


STYLE = """([selector, property]) => {
  const element = document.querySelector(selector);
  if (!element) return null;
  const style = getComputedStyle(element);
  if (property === "leading") return parseFloat(style.lineHeight) / parseFloat(style.fontSize);
  return style.getPropertyValue(property).trim();
}"""


def style(page, selector: str, prop: str) -> str | float:
    """A computed style of the first element matching ``selector``; ``leading`` is line-height ÷ font-size."""
    value = page.evaluate(STYLE, [selector, prop])
    assert value is not None, f"no {selector} on {page.url}"
    return value


def first_family(stack: str) -> str:
    return stack.split(",")[0].strip().strip('"')


def theme_font(page, variable: str) -> str:
    """The first family of one of the theme's font stacks (``--serif-ja`` …)."""
    return first_family(page.evaluate("v => getComputedStyle(document.documentElement).getPropertyValue(v)", variable))


@pytest.mark.parametrize(("path", "text_font", "ui_font"), [
    (JA_PAPER, "--serif-ja", "--sans-ja"),
    (EN_PAPER, "--serif-latin", "--sans-latin"),
])
def test_each_language_is_set_in_its_own_fonts(reader: Tab, path: str, text_font: str, ui_font: str) -> None:
    page = reader.show(path)
    wanted_text, wanted_ui = theme_font(page, text_font), theme_font(page, ui_font)
    fonts = {selector: first_family(style(page, selector, "font-family"))
             for selector in ("h1", ".abstract p", ".body > p", ".footnote li", ".volume-link", ".body figcaption")}
    assert fonts == {"h1": wanted_text, ".abstract p": wanted_text, ".body > p": wanted_text,
                     ".footnote li": wanted_text, ".volume-link": wanted_ui, ".body figcaption": wanted_text}
    reader.show(path.replace("paying-for-deterrence", "networked-region"))
    assert first_family(style(page, ".body td", "font-family")) == wanted_ui
    reader.assert_clean()


@pytest.mark.parametrize("path", [JA_PAPER, EN_PAPER, "ja/", "en/"])
def test_headings_keep_their_own_leading(reader: Tab, path: str) -> None:
    """Headings are set at 1.3 in both languages; running text at 1.85 (Japanese) or 1.6 (English)."""
    page = reader.show(path)
    heading = style(page, "h1", "leading")
    text = style(page, ".body > p" if "/" in path.strip("/") else ".toc-abstract", "leading")
    assert round(heading, 2) == 1.3, f"h1 leading {heading:.2f} on /{path}"
    assert text > 1.5


@pytest.mark.parametrize("path", ["ja/", JA_PAPER, EN_PAPER, "ja/contributors/"])
def test_page_is_set_off_from_the_header_and_footer(reader: Tab, path: str) -> None:
    """``main`` keeps its padding (2.5rem above, 3rem below): the title does not sit on the header's rule."""
    page = reader.show(path)
    gaps = page.evaluate("""() => {
      const header = document.querySelector(".site-header").getBoundingClientRect();
      const title = document.querySelector("main h1").getBoundingClientRect();
      const main = getComputedStyle(document.querySelector("main"));
      return [title.top - header.bottom, parseFloat(main.paddingTop), parseFloat(main.paddingBottom)];
    }""")
    assert gaps[1] > 30 and gaps[2] > 30, f"main's padding (top, bottom) is {gaps[1:]} px on /{path}"


def test_japanese_indents_only_running_text(reader: Tab) -> None:
    page = reader.show(JA_PAPER)
    font_size = float(style(page, ".body > p", "font-size").removesuffix("px"))
    indents = {selector: style(page, selector, "text-indent")
               for selector in (".body > p", ".body blockquote p", ".footnote li p")}
    assert indents == {".body > p": f"{font_size:g}px", ".body blockquote p": "0px", ".footnote li p": "0px"}


@pytest.mark.parametrize("path", ["ja/", "en/"])
def test_no_space_before_the_separator_between_authors(reader: Tab, path: str) -> None:
    """"宮坂由紀、岡千尋" and "Whitcombe, Morikawa": the separator follows the first name directly."""
    page = reader.show(path)
    gaps = page.evaluate("""() => [...document.querySelectorAll(".toc .authors")]
      .filter(list => list.children.length > 1)
      .map(list => {
        const first = document.createRange();
        first.selectNodeContents(list.children[0]);
        return list.children[1].getBoundingClientRect().left - first.getBoundingClientRect().right;
      })""")
    assert gaps and max(gaps) < 1, f"gaps before the separators: {gaps} px"


@pytest.mark.parametrize("path", [JA_PAPER, EN_PAPER])
def test_language_names_in_the_header_share_a_baseline(reader: Tab, path: str) -> None:
    page = reader.show(path)
    bottoms = page.evaluate("""() => [...document.querySelectorAll(".languages li > *")].map(element => {
      const glyphs = document.createRange();
      glyphs.selectNodeContents(element);
      return glyphs.getBoundingClientRect().bottom;
    })""")
    assert len(bottoms) == 2 and abs(bottoms[0] - bottoms[1]) < 1, f"text bottoms {bottoms}"


def test_japanese_titles_break_between_phrases(reader: Tab) -> None:
    """Titles and subtitles, on the home page and on a paper, never break inside a word (auto-phrase)."""
    page = reader.show("ja/")
    found = {selector: style(page, selector, "word-break")
             for selector in (".volume-title", ".toc-title", ".toc-subtitle")}
    page = reader.show(JA_PAPER)
    found.update({selector: style(page, selector, "word-break") for selector in ("h1", ".subtitle", ".body h2")})
    assert found == dict.fromkeys(found, "auto-phrase")


JAPANESE_SPACING = r"""() => {
  const cjk = "\u3000-\u30ff\u3400-\u9fff\uff00-\uffef";
  const latinAfterJapanese = new RegExp(`[${cjk}][,.;:] `, "u");
  const spaceAroundPunctuation = new RegExp(`[。、」）] +\\S|\\S +[。、」）]`, "u");
  const found = [];
  for (const block of document.querySelectorAll("p, li, dt, dd, h1, h2, h3, figcaption, caption, td, th")) {
    if (!block.closest("[lang]").lang.startsWith("ja")) continue;
    const text = block.innerText.replace(/\s*\n\s*/g, "");
    const match = text.match(latinAfterJapanese) || text.match(spaceAroundPunctuation);
    if (match) {
      const context = text.slice(Math.max(0, match.index - 8), match.index + 10);
      found.push(`${block.tagName.toLowerCase()}.${block.className}: "${context}"`);
    }
  }
  return [...new Set(found)];
}"""


@pytest.mark.parametrize("path", ["ja/", JA_PAPER, "ja/contributors/"])
def test_no_latin_punctuation_or_stray_spaces_in_japanese(reader: Tab, path: str) -> None:
    """Japanese text takes 、 and 。 and no space around them ("見本。本書の…", "研究所、2026年9月")."""
    page = reader.show(path)
    found = page.evaluate(JAPANESE_SPACING)
    assert not found, f"/{path}:\n" + "\n".join(found)


LINE_STARTS = r"""() => {
  // Each Japanese block's characters and footnote calls with their boxes; an item whose middle lies below the
  // previous item's bottom starts a new line. Reported: lines that start with a call or closing punctuation.
  const closing = "。、，．」』）〕］｝〉》：；？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮー";
  const blocks = [...document.querySelectorAll("main p, main li, main td, main th, main dd, main dt, main figcaption")]
    .filter(el => (el.closest("[lang]") || document.documentElement).lang.startsWith("ja"))
    .filter(el => !el.querySelector("p, li, td, div"));
  const found = [];
  for (const block of blocks) {
    const items = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        if (node.tagName === "SUP") items.push({ text: "[" + node.textContent + "]", box: node.getBoundingClientRect(), call: true });
        continue;
      }
      if (node.parentElement.closest("sup")) continue;
      const range = document.createRange();
      for (let i = 0; i < node.data.length; i++) {
        const ch = node.data[i];
        if (/\s|\u2060/.test(ch)) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (box) items.push({ text: ch, box: box, call: false });
      }
    }
    for (let i = 1; i < items.length; i++) {
      const item = items[i], before = items[i - 1];
      const middle = (item.box.top + item.box.bottom) / 2;
      if (middle > before.box.bottom && (item.call || closing.includes(item.text))) {
        const context = items.slice(Math.max(0, i - 6), i + 3).map(x => x.text).join("");
        found.push(`${block.tagName.toLowerCase()}: ${context}`);
      }
    }
  }
  return found;
}"""

LINE_PAGES = [f"ja/{slug}/index.html" for slug in ("introduction", "treaty-history", "paying-for-deterrence",
                                                   "co-development", "networked-region")] + [
    "en/paying-for-deterrence/parallel/index.html", "ja/networked-region/parallel/index.html"]


@pytest.mark.parametrize("width", [375, 1280])
def test_no_japanese_line_starts_with_a_footnote_call_or_closing_punctuation(browser, server: str, width: int) -> None:
    """Measured from the line boxes (Range.getClientRects) of every Japanese block: papers and parallel views."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        found = {}
        for path in LINE_PAGES:
            page.goto(server + path)
            page.evaluate("() => document.fonts.ready.then(() => true)")
            if problems := page.evaluate(LINE_STARTS):
                found[path] = problems
        assert not found, "\n".join(f"{width} px /{path}: {p}" for path, problems in found.items() for p in problems)
    finally:
        context.close()


def test_line_measure_can_see_a_call_starting_a_line(browser, server: str) -> None:
    """The measure itself: a call pushed to a line of its own (a block break before it) is reported."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(server + "ja/paying-for-deterrence/index.html")
        page.evaluate("""() => {
          const sup = document.querySelector(".body sup");
          sup.previousSibling.textContent = sup.previousSibling.textContent.replace(/\\u2060$/, "");
          sup.before(document.createElement("br"));
        }""")
        assert any("[1]" in problem for problem in page.evaluate(LINE_STARTS))
    finally:
        context.close()


@pytest.mark.parametrize("path", ["ja/", JA_PAPER, "ja/contributors/"])
def test_no_letter_spacing_on_japanese(reader: Tab, path: str) -> None:
    page = reader.show(path)
    spaced = page.evaluate("""() => [...document.querySelectorAll("body *")]
      .filter(el => (el.closest("[lang]") || document.documentElement).lang.startsWith("ja"))
      .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim()))
      .filter(el => !["normal", "0px"].includes(getComputedStyle(el).letterSpacing))
      .map(el => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.trim().slice(0, 12)}`)""")
    assert spaced == []


def test_japanese_names_and_numbers_do_not_break(reader: Tab) -> None:
    """Names on the chooser and in author lists, numbers with counters in tables: no line break inside."""
    page = reader.show("?choose")
    page.set_viewport_size({"width": 320, "height": 700})
    try:
        for target in ("", "ja/networked-region/"):
            page = reader.show(target or "?choose")
            broken = page.evaluate("""() => [...document.querySelectorAll(
                ".chooser .editors .name, .author-name, .body td .nowrap, .body p .nowrap")]
              .filter(el => (el.closest("[lang]") || document.documentElement).lang.startsWith("ja"))
              .filter(el => el.getClientRects().length > 1)
              .map(el => el.textContent)""")
            assert broken == [], target
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_block_affiliations_have_no_dash(reader: Tab) -> None:
    page = reader.show("en/contributors/")
    assert style(page, ".contributor-list .affiliation", "content") in ("normal", "none")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.contributor-list .affiliation'), '::before').content") in ("normal", "none")
    page = reader.show(EN_PAPER)
    assert page.evaluate("() => getComputedStyle(document.querySelector('.authors .affiliation'), '::before').content") == '" — "'


def test_adjacent_footnote_calls_are_separated(reader: Tab) -> None:
    """[^17][^18] reads "17,18": a comma before a call the renderer marked as following another (``after-call``);
    none before a call on its own (test_site_reading measures the sample's pages)."""
    page = reader.show(JA_PAPER)
    found = page.evaluate("""() => {
      const p = document.createElement("p");
      p.innerHTML = '<sup><a class="footnote-ref" href="#fn:1">17</a></sup>\u2060<sup class="after-call"><a class="footnote-ref" href="#fn:2">18</a></sup>';
      document.querySelector(".body").append(p);
      const contents = [...p.querySelectorAll("sup")].map(sup => getComputedStyle(sup, "::before").content);
      p.remove();
      return contents;
    }""")
    assert found == ["none", '","']


def test_japanese_notes_in_the_parallel_view_are_not_indented(reader: Tab) -> None:
    page = reader.show("en/paying-for-deterrence/parallel/")
    indents = page.evaluate("""() => [...document.querySelectorAll('.parallel-cell[lang="ja"] .footnote p')]
      .map(p => getComputedStyle(p).textIndent)""")
    assert indents and set(indents) == {"0px"}
