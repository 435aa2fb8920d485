"""The splitter against the renderer: the splitter's top-level blocks map one to one onto the top-level elements
Python-Markdown renders (same count, kind and order), as the site's parallel view assumes (``parallel.html_units``).

Held on every document of the sample volume, every Markdown file under ``tests/roots/`` and ``tests/check/roots/``,
the cncf/glossary bundle (skipped when absent: set ``TAIYAKU_GLOSSARY_BUNDLE`` or put it at
``../shared/corpora/``) and Hypothesis-made Markdown. Where the two disagreed the splitter was changed to follow
the renderer: what it makes is what readers see. ``TAIYAKU_FUZZ=long`` runs ``TAIYAKU_FUZZ_EXAMPLES`` (400)
examples instead of the few ``make test`` runs; each case found is kept in ``CASES``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from taiyaku.parallel import html_units, top_level_blocks
from taiyaku.read.blocks import LIST_ITEM, Block
from taiyaku.read.frontmatter import split_front_matter
from taiyaku.read.markup import RenderContext, render_markdown
from taiyaku.read.splitter import split_blocks

REPO = Path(__file__).resolve().parents[2]
LONG = os.environ.get("TAIYAKU_FUZZ", "ci") == "long"
EXAMPLES = int(os.environ.get("TAIYAKU_FUZZ_EXAMPLES", "400")) if LONG else 40

_START_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)([^>]*)>")


# -- the two sides -------------------------------------------------------------------------------------------

def element_kind(element: str) -> str:
    """What a rendered top-level element is, in the splitter's terms."""
    match = _START_TAG.match(element)
    assert match is not None, element
    tag, attributes = match[1].lower(), match[2]
    if tag == "div" and "table-scroll" in attributes:
        return "table"
    if tag == "pre" or (tag == "div" and 'class="highlight"' in attributes):
        return "code"
    if tag in ("ul", "ol"):
        return "list"
    if tag == "dl":
        return "definitions"
    if tag == "blockquote" or (tag == "aside" and "alert" in attributes):
        return "quote"
    if tag == "figure" and "figure" in attributes:
        return "figure"
    if re.fullmatch(r"h[1-6]", tag):
        return tag
    if tag == "p":
        return "paragraph"
    if tag == "hr":
        return "rule"
    return f"<{tag}>"


def block_kind(block: Block) -> str:
    """What element a block (the first of its element) should become."""
    if block.kind == "heading":
        return f"h{block.level}"
    if block.kind in ("shortcode", "math"):
        return "paragraph"  # Python-Markdown knows neither: their text stands in a paragraph
    if block.kind in ("table-row", "caption"):
        return "table"
    if block.kind == "list-item":
        return "list" if LIST_ITEM.match(block.text) else "definitions"
    return block.kind


def split_side(body: str) -> list[tuple[str, Block]]:
    """The splitter's top-level elements: (kind, first block) for each element ``html_units`` makes."""
    blocks = split_blocks(body, 1).blocks
    units = html_units(blocks)
    elements: dict[int, Block] = {}
    for block in sorted(blocks, key=lambda b: b.line):
        if id(block) in units:
            elements.setdefault(units[id(block)], block)
    return [(block_kind(block), block) for _, block in sorted(elements.items())]


def rendered_side(body: str, lang: str) -> list[tuple[str, str]]:
    """The renderer's top-level elements (the footnotes' ``div`` at the end left out): (kind, HTML)."""
    html = render_markdown(body, RenderContext(lang, "x.md", Path("/nonexistent"), {}, "site")).html
    elements = top_level_blocks(html)
    if elements and elements[-1].startswith('<div class="footnote"'):
        elements.pop()
    return [(element_kind(element), element) for element in elements]


def _agree(split: str, rendered: str) -> bool:
    # A raw HTML block is whatever element its author wrote (a <p> or <figure> too).
    return split == rendered or split == "html"


def mismatch(body: str, lang: str = "en") -> str | None:
    """``None`` when the splitter and the renderer agree; else where they first part."""
    split, rendered = split_side(body), rendered_side(body, lang)
    if len(split) == len(rendered) and all(_agree(a, b) for (a, _), (b, _) in zip(split, rendered)):
        return None
    for index in range(max(len(split), len(rendered))):
        a = split[index] if index < len(split) else None
        b = rendered[index] if index < len(rendered) else None
        if a is None or b is None or not _agree(a[0], b[0]):
            where = f"body line {a[1].line}: {a[1].text[:120]!r}" if a else "after the last block"
            return (f"element {index + 1} ({len(split)} blocks, {len(rendered)} elements): splitter "
                    f"{a[0] if a else 'nothing'}, renderer {b[0] if b else 'nothing'} at {where}"
                    + (f"; rendered {b[1][:120]!r}" if b else ""))
    raise AssertionError("unreachable")


def document_mismatches(files: list[Path], base: Path) -> list[str]:
    """Every file of ``files`` whose blocks and elements disagree, with where."""
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace").removeprefix("\ufeff")
        split = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
        if isinstance(split, int):
            continue  # unclosed front matter: not a document
        problem = mismatch(split.body, "ja" if "/ja/" in path.as_posix() else "en")
        if problem:
            found.append(f"{path.relative_to(base)}: {problem}")
    return found


# -- cases the corpora and Hypothesis found, each a regression test of its fix ------------------------------

CASES = [
    pytest.param("| a |\n| - |\n\n: Table 1. x\n\n| b |\n| - |\n", id="caption-between-two-tables"),
    pytest.param("1) first\n2) second\n", id="parenthesis-after-a-number-is-no-list"),
    pytest.param("text\n\n-\n\n*\n", id="a-marker-alone-is-no-list"),
    pytest.param("title: x\nstatus: y\n---\n\ntext\n===\n", id="setext-underline-under-a-second-line-is-a-rule"),
    pytest.param("text\n   ---\n\nmore\n  ===\n", id="setext-underline-indented"),
    pytest.param("- a\n\n  b\n\n1. c\n\n   d\n\n2. e\n\n    f\n", id="list-continuation-takes-four-spaces"),
    pytest.param("text\n\n    - code, not an item\n\n- a\n\n    - nested\n\n        more\n\n- b\n",
                 id="list-item-indented-by-four-is-code-or-nested"),
    pytest.param("- a\n\n\tb\n", id="list-continuation-tab"),
    pytest.param("1. a\n\n- b\n\n* c\n- d\n1. lazy\n", id="list-of-the-other-kind-is-another-list"),
    pytest.param("- a\n\n<!-- taiyaku: ignore -->\n\n- b\n\n[^1]: note\n\n- c\n\n[r]: https://x.org\n\n- d\n",
                 id="list-broken-by-a-comment-not-by-definitions"),
    pytest.param("1. a\n   - lazy\n\n     - nested\n   - nested too, not a new list\n\ntext\n",
                 id="item-of-the-other-kind-inside-a-list-block"),
    pytest.param(": Before.\n\n| a | b |\n|--|--|\n\n: Between, the second table's.\n\n| c |\n| - |\n| d |\n\n"
                 ": C's.\n\n| e |\n| - |\n",
                 id="one-caption-per-table"),
    pytest.param("a | b\n---\n\n| a |\n| - |\nno pipe\n# a row too\n\n| a\n|-\nb\n\n| a |\n|:-:|:-:|\n",
                 id="table-by-python-markdowns-test"),
    pytest.param("Term\n:   Definition.\n\nTerm two\n:   One.\n:   Two.\n\n    More of two.\n\nText.\n",
                 id="definition-list"),
    pytest.param(": Not a definition.\n\nTerms\n\n: loose definition\n\n## Heading\n\n: without terms\n",
                 id="definition-list-loose-and-without-terms"),
    pytest.param("<section>\n\n</section>\n\n<div>a</div>\n<div>b</div>\n<details>\n<summary>More</summary>\n"
                 "</details>\n> quote\n\ntext\n<div>x</div>\nmore\n\n<svg>inline</svg>\n",
                 id="raw-html-to-its-end-tag"),
    pytest.param("> a\n\n> b\n\n> [!TIP]\n> c\n\n> d\n", id="block-quotes-after-blank-lines-join-alerts-split"),
    pytest.param("> a\n>\n> [!TIP]\n> b\n\n> c\n> [!NOTE]\n> d, no alert\n\ntext\n\n>\n> [!TIP]\n> e\n",
                 id="alert-inside-a-block-quote"),
    pytest.param("> a[^1]\n\n[^1]: note\n\n> b, the same quote\n\n[^2]: note\n\n> [!NOTE]\n> c\n\n<!-- c -->\n\n"
                 "> d\n",
                 id="block-quotes-with-footnote-definitions-between"),
    pytest.param("[^1]: a\n- lazy, of the note\n\n    - indented, of the note\n\n- c\n",
                 id="footnote-takes-list-lines"),
    pytest.param("| a |\n| - |\n\n: Caption of a table without rows.\n\nText\n"
                 ":   no definition, a marked caption line\n\n| b | c |\n|--|--|\n",
                 id="caption-lines-as-table-captions-marks-them"),
    pytest.param("a | b\n--|--\n\n: Caption of a table without border pipes.\n\n: Another's.\n\nc | d\n--|--\n\n"
                 "| not a table\n\n: x\n",
                 id="caption-beside-a-table-without-border-pipes"),
    pytest.param("![with x[^1] inside](a.png)\n\n![then text](a.png) on its line\n\n![undefined][nowhere]\n\n"
                 "![defined][r]\n\n[r]: b.png\n",
                 id="figure-whenever-a-paragraph-starts-with-an-image"),
    pytest.param("1. a\n\n[r]: https://x.org\n\n    more of a\n\nTerm\n:   definition\n\n[s]: https://y.org\n\n"
                 "    more of it\n",
                 id="list-goes-on-after-a-reference-definition"),
    pytest.param("    code\n\n[r]: https://x.org\n\n    more code\n\n[^1]: note\n\n\n    still code\n\n- a\n\n"
                 "[^2]: note\n\n\n    more of a\n    - nested item\n",
                 id="code-and-lists-go-on-after-definitions"),
    pytest.param("[^1]: a\n\n    b, of the note\n\n\n    code after two blank lines\n",
                 id="footnote-ends-at-two-blank-lines"),
    pytest.param("![a term with an image](a.png)\n:   its definition\n", id="definition-before-figure"),
    pytest.param("```\nunclosed\n\npara\n\n````\ncode\n`````\nstill code\n````\n\n  ```\nindented\n  ```\n\n"
                 "``` two words\nx\n```\n\ntext\n~~~ {.python}\ncode\n~~~\n",
                 id="fences-as-fenced-code-reads-them"),
    pytest.param("#tag\n\n  # indented, a paragraph\n\ntext\n#7 a heading too\n",
                 id="atx-heading-as-python-markdown-reads-it"),
    pytest.param("> quote\n[^1]: a lazy line of the quote\n\ntext\n", id="footnote-definition-in-a-quote"),
    pytest.param("- item\n> a quote in the item\n[^1]: a note in the item\n\ntext\n",
                 id="quote-and-footnote-in-a-list-item"),
]


@pytest.mark.parametrize("body", CASES)
def test_found_case(body: str) -> None:
    assert mismatch(body) is None


# -- the corpora ---------------------------------------------------------------------------------------------

def test_sample_volume() -> None:
    files = sorted(REPO.glob("content/*/*.md"))
    assert len(files) >= 12
    assert document_mismatches(files, REPO) == []


def test_test_roots() -> None:
    files = sorted((REPO / "tests" / "roots").rglob("*.md")) + sorted((REPO / "tests/check/roots").rglob("*.md"))
    assert files
    assert document_mismatches(files, REPO) == []


@pytest.mark.slow  # a clone of the bundle and 955 documents: about 3 s
def test_cncf_glossary(cncf_glossary: Path) -> None:
    files = sorted((cncf_glossary / "content").rglob("*.md"))
    assert len(files) > 900
    assert document_mismatches(files, cncf_glossary) == []


# -- generated Markdown --------------------------------------------------------------------------------------

WORDS = ["alliance", "treaty", "Japan", "1960", "同盟", "条約", "の", "*emphasis*", "**strong**", "`code`",
         "[a link](https://example.org)", "[ref][r]", "x[^1]", "<span>inline</span>", "&amp;", "2.5%", "U.S."]
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
"""Prose of one line; nothing in it starts a block."""


def lines_of(strategy: st.SearchStrategy[str], low: int = 1, high: int = 3) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, min_size=low, max_size=high)


@st.composite
def headings(draw: st.DrawFn) -> list[str]:
    text = draw(words) + draw(st.sampled_from(["", " {#custom-id}", " #"]))
    if draw(st.booleans()):
        return [draw(st.sampled_from(["", "", " ", "  "])) + "#" * draw(st.integers(1, 6))
                + draw(st.sampled_from([" ", " ", ""])) + text]
    return [text, draw(st.sampled_from(["===", "---", "=", "-----"]))]


paragraphs = lines_of(words, 1, 4)


@st.composite
def list_items(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """A list: items with lazy and indented continuation lines, paragraphs after blank lines, nested lists."""
    ordered = draw(st.booleans())
    lines: list[str] = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        marker = draw(st.sampled_from([f"{number}.", f"{number}.", f"{number})"])) if ordered \
            else draw(st.sampled_from("-*+"))
        lines.append(f"{marker} {draw(words)}")
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(["lazy", "indented", "paragraph", "nested", "loose", "quote", "code"]))
            if kind == "lazy":
                lines.append(draw(words))
            elif kind == "indented":
                lines.append(" " * draw(st.integers(1, 4)) + draw(words))
            elif kind == "paragraph":
                lines += ["", "    " + draw(words)]
            elif kind == "nested" and depth < 2:
                lines += ["    " + line if line else "" for line in draw(list_items(depth + 1))]
            elif kind == "loose":
                lines.append("")
            elif kind == "quote":
                lines += ["", "    > " + draw(words)]
            elif kind == "code":
                lines += ["", "        code = 1", "", "    ```", "    fenced", "    ```"]
    return lines


@st.composite
def quotes(draw: st.DrawFn) -> list[str]:
    alert = draw(st.sampled_from(["", "[!NOTE]", "[!WARNING]", "[!TIP]"]))
    lines = [f"> {alert}"] if alert else []
    for line in draw(lines_of(words)):
        if draw(st.integers(0, 5)) == 0:
            lines += [">", draw(st.sampled_from(["> [!TIP]", "> [!CAUTION]"]))]  # a second alert in the quote
        lines.append(draw(st.sampled_from(["> ", ">", "> > "])) + line)
    if draw(st.booleans()):
        lines.append(draw(words))  # a lazy line
    return lines


@st.composite
def fenced_code(draw: st.DrawFn) -> list[str]:
    fence = draw(st.sampled_from(["```", "~~~", "````"]))
    info = draw(st.sampled_from(["", "python", "text", " {.python}", " two words"]))
    code = draw(lines_of(st.sampled_from(["x = 1", "", "# not a heading", "- not a list", "> not a quote",
                                          "| a | b |", "<div>x</div>", "[^1]: no", fence + "`"]), 0, 4))
    return [draw(st.sampled_from(["", "", "  "])) + fence + info, *code, fence]


indented_code = lines_of(st.sampled_from(["    x = 1", "    - item", "\tprint()", "    # comment"]), 1, 3)


@st.composite
def tables(draw: st.DrawFn) -> list[str]:
    columns = draw(st.integers(1, 3))
    edges = draw(st.booleans())

    def row(cells: list[str]) -> str:
        inner = " | ".join(cells)
        return f"| {inner} |" if edges or columns == 1 else inner

    lines = [row([draw(words) for _ in range(columns)]),
             row([draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(columns)])]
    lines += [row([draw(words) for _ in range(columns)]) for _ in range(draw(st.integers(0, 3)))]
    caption = f": Table {draw(st.integers(1, 9))}. {draw(words)}"
    where = draw(st.sampled_from(["", "before", "after"]))
    if where == "before":
        lines = [caption, "", *lines]
    elif where == "after":
        lines = [*lines, "", caption]
    return lines


@st.composite
def footnotes(draw: st.DrawFn) -> list[str]:
    lines = [f"[^{draw(st.sampled_from(['1', '2', 'note']))}]: {draw(words)}"]
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["", "    "])) + draw(words))
    if draw(st.booleans()):
        lines += ["", "    " + draw(words)]
    return lines


html_blocks = st.sampled_from([
    ["<div>", "text in a div", "</div>"], ['<div class="note">One line.</div>'], ["<figure>", "<img src=x.png>",
    "</figure>"], ["<table>", "<tr><td>a</td></tr>", "</table>"], ["<p>raw</p>"], ["<section>", "", "</section>"],
    ["<!-- a comment -->"], ["<!-- taiyaku: ignore -->"], ["<details>", "<summary>More</summary>", "</details>"],
])


@st.composite
def figures(draw: st.DrawFn) -> list[str]:
    lines = [f"![{draw(words)}](figures/map.png)" + draw(st.sampled_from(["", "{: .wide}"]))]
    return lines + draw(lines_of(words, 0, 2))  # a caption, then a source line


@st.composite
def definitions(draw: st.DrawFn) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 2))):
        lines.append(draw(words))
        lines += [f":   {draw(words)}" for _ in range(draw(st.integers(1, 2)))]
    return lines


other_blocks = st.sampled_from([["---"], ["***"], ["* * *"], ["$$", "E = mc^2", "$$"], ["$$ x $$"],
                                ["[r]: https://example.org/r"], ['[r]: https://example.org "Title"'],
                                ["{{< figure src=x >}}"], ["{{% note %}}"]])

BLOCKS = {"heading": headings(), "paragraph": paragraphs, "list": list_items(), "quote": quotes(),
          "fence": fenced_code(), "code": indented_code, "table": tables(), "footnote": footnotes(),
          "html": html_blocks, "figure": figures(), "definitions": definitions(), "other": other_blocks}
blocks = st.one_of(*(strategy.map(lambda lines, name=name: (name, lines)) for name, strategy in BLOCKS.items()))
INTERRUPTING = {"heading", "quote", "fence", "footnote", "html", "list"}
"""What may follow a paragraph on the next line (a list then goes on the paragraph as lazy lines). Other blocks
right after one another, with no blank line between, are not generated: how Python-Markdown's processors then
take them apart (a quote's lazy lines under a setext rule, math beside code…) is left (issue 20's report)."""
blank_lines = st.sampled_from(["\n\n", "\n\n", "\n\n\n"])


@st.composite
def bodies(draw: st.DrawFn) -> str:
    parts = draw(st.lists(blocks, min_size=1, max_size=8))
    body = "\n".join(parts[0][1])
    for (before, _), (name, lines) in zip(parts, parts[1:]):
        adjacent = before == "paragraph" and name in INTERRUPTING and draw(st.booleans())
        body += ("\n" if adjacent else draw(blank_lines)) + "\n".join(lines)
    return body + "\n"


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG, print_blob=True,
          database=DirectoryBasedExampleDatabase(str(REPO / ".cache" / "hypothesis")) if LONG else None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(body=bodies())
def test_generated_markdown(body: str) -> None:
    assert mismatch(body) is None, body
