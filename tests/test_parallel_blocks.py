"""The parallel view's split of a body into its top-level elements (``parallel.top_level_blocks``)."""

from __future__ import annotations

import pytest

from taiyaku.parallel import top_level_blocks


@pytest.mark.parametrize(("html", "blocks"), [
    ("<p>a</p>\n<h2 id=\"x\">B</h2>\n<ul><li>c</li></ul>", ["<p>a</p>", "<h2 id=\"x\">B</h2>", "<ul><li>c</li></ul>"]),
    # Text and comments between elements are not blocks; a comment's tags open nothing.
    ("text <!-- <p>hidden</p> --><p>a</p> tail", ["<p>a</p>"]),
    # A quoted attribute value may hold ">".
    ('<div title="a>b"><p>x</p></div><p>y</p>', ['<div title="a>b"><p>x</p></div>', "<p>y</p>"]),
    # Void and self-closed elements are blocks of their own, and inside an element they close nothing.
    ("<hr><p>a<br>b<img src=x /></p><br/>", ["<hr>", "<p>a<br>b<img src=x /></p>", "<br/>"]),
    # A script's text is not markup.
    ('<script>if (a < b) { s = "</p><p>" }</script><p>y</p>',
     ['<script>if (a < b) { s = "</p><p>" }</script>', "<p>y</p>"]),
    # Tag names in any case; a stray end tag opens and closes nothing.
    ("</p><P>Upper</P><p>z</p>", ["<P>Upper</P>", "<p>z</p>"]),
    # Nested elements of the same name.
    ("<div><div>a</div></div><div>b</div>", ["<div><div>a</div></div>", "<div>b</div>"]),
])
def test_top_level_blocks(html: str, blocks: list[str]) -> None:
    assert top_level_blocks(html) == blocks


def test_a_long_body_splits_into_its_paragraphs() -> None:
    body = "<p>plain text of a paragraph &amp; <em>more</em>.</p>\n" * 20000
    blocks = top_level_blocks(body)
    assert len(blocks) == 20000 and blocks[0] == body.splitlines()[0]
