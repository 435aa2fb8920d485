"""Markdown rendering (markup.py): syntaxes that share a line start keep apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from taiyaku.read.markup import RenderContext, render_markdown


def _html(body: str) -> str:
    return render_markdown(body, RenderContext("en", "x.md", Path("/nonexistent"), {}, "site")).html


@pytest.mark.parametrize("body", [
    "A paragraph before.\n\n: Table 1. The caption.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "A paragraph before.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n: Table 1. The caption.\n",
])
def test_a_table_caption_is_not_a_definition_list(body: str) -> None:
    html = _html(body)
    assert "<caption>Table 1. The caption.</caption>" in html
    assert "<dl>" not in html and "<p>A paragraph before.</p>" in html


def test_a_definition_list_still_is_one() -> None:
    html = _html("Alliance\n: A formal agreement between states.\n")
    assert "<dl>" in html and "<dt>Alliance</dt>" in html


def test_the_render_cache_is_bounded() -> None:
    from taiyaku.read.sources import RenderCache

    cache = RenderCache()
    cache.LIMIT = 3
    for n in range(5):
        cache.put((n,), n)  # type: ignore[arg-type]
    assert cache.get((0,)) is None and cache.get((4,)) == 4
    cache.get((2,))
    cache.put((5,), 5)  # type: ignore[arg-type]
    assert list(cache.entries) == [(4,), (2,), (5,)]
