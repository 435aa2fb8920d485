"""A document's site and print renderings from one Markdown parse (``read/pair.py``): the same HTML and findings as
two separate renderings, on every document of the sample volume and of the test volumes; a build that makes PDFs
takes the print renderings made while it read."""

from __future__ import annotations

from pathlib import Path

import pytest

from taiyaku.read import pair
from taiyaku.read.markup import RenderContext, render_markdown

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted({*REPO.glob("content/*/*.md"), *REPO.glob("tests/**/content/**/*.md")})


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    return text.split("\n---\n", 1)[1] if text.startswith("---") and "\n---\n" in text else text


def _contexts(path: Path) -> tuple[RenderContext, RenderContext]:
    lang = path.parent.name if len(path.parent.name) <= 5 else "en"
    slugs = {other.name: other.stem for other in path.parent.glob("*.md")}
    return (RenderContext(lang, path.name, path.parent, slugs, "site"),
            RenderContext(lang, path.name, path.parent, slugs, "print", id_prefix=f"{path.stem}:"))


def _findings(rendered: object) -> tuple[object, ...]:
    return tuple(getattr(rendered, name) for name in ("html", "headings", "assets", "broken", "footnotes"))


def test_one_parse_renders_both_modes_as_two_renderings_would() -> None:
    assert len(DOCUMENTS) > 60
    shared = 0
    for path in DOCUMENTS:
        body = _body(path)
        site, printed = pair.render_site_and_print(body, *_contexts(path))
        alone_site, alone_print = (render_markdown(body, ctx) for ctx in _contexts(path))
        assert _findings(site) == _findings(alone_site), path
        assert _findings(printed) == _findings(alone_print), path
        shared += bool(body.strip())
    assert shared > 60


@pytest.mark.parametrize("body", ["[a]: https://example.org/", "<!-- a comment only -->", "   \n", "*[HTML]: x"])
def test_a_body_that_renders_to_nothing_or_little_is_rendered_alike(body: str) -> None:
    path = REPO / "content" / "en" / "01-introduction.md"
    site, printed = pair.render_site_and_print(body, *_contexts(path))
    alone_site, alone_print = (render_markdown(body, ctx) for ctx in _contexts(path))
    assert (site.html, printed.html) == (alone_site.html, alone_print.html)


def test_the_print_stage_takes_what_the_reading_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside ``print_ahead`` the site rendering keeps each document's print rendering, and the print view takes
    them all instead of rendering again; outside, nothing is kept."""
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf.document import print_view
    from taiyaku.pipeline import BuildOptions, load_volume
    from taiyaku.read import sources

    monkeypatch.setattr(sources, "_RENDERED", sources.RenderCache())  # nothing from earlier tests' readings
    rendered: list[str] = []
    original = pair.render_markdown
    with pair.print_ahead(True):
        volume = load_volume(BuildOptions(root=REPO), Diagnostics())
        kept = len(pair._AHEAD.found)
        monkeypatch.setattr("taiyaku.pdf.document.render_markdown",
                            lambda body, ctx: rendered.append(ctx.rel_path) or original(body, ctx))
        view = print_view(volume, "ja")
        assert kept == sum(len(docs) for docs in volume.documents.values()) and rendered == []
    expected = print_view(volume, "ja")  # now rendered: the same HTML
    assert [doc.html for doc in view.documents] == [doc.html for doc in expected.documents]
    assert rendered and not pair._AHEAD.found
