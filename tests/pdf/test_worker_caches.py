"""What a worker keeps between the parts it lays out — its ``<style>`` sheets (``pdf/weasy/stylesheets.py``) and
its font configuration (``weasy.render``) — and what a document keeps between its pages (their styles,
``pdf/weasy/pagestyles.py``): what a document lays out and logs is the same with and without."""

from __future__ import annotations

import logging

import pytest

pytestmark = pytest.mark.pdf

SHARED = """
@page { size: A6; margin: 15mm; @bottom-center { content: "folio " counter(page) } }
body { font-family: serif; font-size: 10pt }
"""
BLANK_FOLIOS = "@page { @bottom-center { content: none } }"


def _html(*styles: str, body: str = "<p>Text</p>") -> str:
    sheets = "".join(f"<style>{style}</style>" for style in styles)
    return f'<!doctype html><html lang="en"><head><meta charset="utf-8">{sheets}</head><body>{body}</body></html>'


def _footer(html: str) -> list[str]:
    """The text of each page's margin boxes, laid out now."""
    from taiyaku.pdf import weasy

    document = weasy.render(html)
    found = []
    for page in document.pages:
        texts = []
        for box in weasy.page_box(page).descendants():
            if type(box).__name__ == "TextBox":
                texts.append(box.text)
        found.append(" ".join(texts))
    return found


@pytest.fixture
def cache_on():
    from taiyaku.pdf.weasy.stylesheets import STYLESHEET_CACHE, _cache

    was = STYLESHEET_CACHE.active
    STYLESHEET_CACHE.switch_on()
    _cache.clear()
    yield _cache
    _cache.clear()
    if not was:
        STYLESHEET_CACHE.switch_off()


def test_a_kept_sheet_takes_no_page_rule_of_the_document_it_was_first_parsed_for(cache_on) -> None:
    # The shared sheet is first parsed beside a sheet blanking the folios (a paper's part), then reused for a
    # document without it (the sheet of folios): its folios must show.
    assert "folio 1" not in " ".join(_footer(_html(SHARED, BLANK_FOLIOS)))
    assert len(cache_on) == 2
    assert "folio 1" in " ".join(_footer(_html(SHARED)))
    assert "folio 1" not in " ".join(_footer(_html(SHARED, BLANK_FOLIOS)))  # both from the cache now


def test_documents_lay_out_alike_with_and_without_the_cache(cache_on) -> None:
    from taiyaku.pdf.weasy.stylesheets import STYLESHEET_CACHE

    html = _html(SHARED, "p { margin: 0 0 2em }", body="<p>One</p>" * 40)
    with_cache = [_footer(html) for _ in range(2)]
    STYLESHEET_CACHE.switch_off()
    without = _footer(html)
    assert with_cache[0] == with_cache[1] == without and len(without) > 1


def test_a_sheet_with_a_warning_or_a_font_face_is_parsed_for_every_document(cache_on, caplog) -> None:
    broken = "p { colour: red }"  # an unknown property: WeasyPrint warns
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="weasyprint"):
            _footer(_html(SHARED, broken))
        assert any("colour" in record.getMessage() for record in caplog.records)
    font_face = '@font-face { font-family: Other; src: local("Noto Serif") } p { font-family: Other }'
    _footer(_html(font_face))
    assert all(font_face not in key[0] for key in cache_on)


def _boxes(document) -> list[tuple[str, float, float, float]]:
    from taiyaku.pdf import weasy

    return [(box.text, round(box.position_x, 3), round(box.position_y, 3), round(box.width, 3))
            for page in document.pages for box in weasy.page_box(page).descendants()
            if type(box).__name__ == "TextBox"]


def test_documents_without_fonts_of_their_own_share_the_workers_font_configuration(monkeypatch) -> None:
    """Pango's font map is kept between the parts a worker lays out (its caches warm); what is laid out is the
    same as with a configuration of the document's own, and a document with an ``@font-face`` gets its own."""
    import weasyprint

    from taiyaku.pdf import weasy

    html = _html(SHARED, body='<p>Latin text, “quotes”, ﬁ.</p><p lang="ja">日本語の段落、句読点。</p>' * 30)
    first, second = weasy.render(html), weasy.render(html)
    own = weasyprint.HTML(string=html).render(pdf_tags=True)
    assert _boxes(first) == _boxes(second) == _boxes(own) and len(_boxes(own)) > 60
    seen = []
    original = weasyprint.HTML.render

    def render(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs.get("font_config"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", render)
    weasy.render(html)
    weasy.render(_html('@font-face { font-family: Own; src: local("Noto Serif") } p { font-family: Own }'))
    weasy.render(_html(SHARED).replace("<head>", '<head><link rel="stylesheet" href="print.css">'))
    assert seen[0] is weasy._shared_fonts() and seen[1:] == [None, None]


PAGE_RULES = """
@page { size: A6; margin: 15mm; @bottom-center { content: "p. " counter(page) } }
@page :left { @top-left { content: string(head) } }
@page :right { @top-right { content: "right " string(head) } }
@page :first { @bottom-center { content: none } }
@page :blank { @top-left { content: "blank" } }
@page chapter { @bottom-left { content: "named" } }
@page :nth(1 of chapter) { @top-right { content: none } }
@page :nth(3n) { @bottom-right { content: "every third" } }
h1 { string-set: head content(); break-before: right; page: chapter }
p { margin: 0 0 40mm }
"""


def test_pages_alike_share_their_styles_and_lay_out_as_before() -> None:
    """Pages that match the same page selectors (side, :first, :blank, names, :nth() of the document and of a
    page group) get one set of styles; every margin box says what it said with WeasyPrint's own per-page styles,
    and the PDF is the same byte for byte."""
    from taiyaku.pdf import weasy
    from taiyaku.pdf.weasy.pagestyles import PAGE_STYLES

    body = "".join(f"<h1>Chapter {n}</h1>" + "<p>Text.</p>" * (n + 5) for n in range(1, 4))
    html = _html(PAGE_RULES, body=body)
    was = PAGE_STYLES.active
    PAGE_STYLES.switch_off()
    try:
        before = _boxes(weasy.render(html))
        data_before = weasy.render(html).write_pdf()
        PAGE_STYLES.switch_on()
        document = weasy.render(html)
        assert _boxes(document) == before and len(document.pages) >= 10
        assert weasy.render(html).write_pdf() == data_before
        texts = [box[0] for box in before]
        assert {"blank", "named", "every third"} <= set(texts) and "right Chapter 2" in texts
        styles = [weasy.page_box(page).style for page in document.pages]
        assert len({id(style) for style in styles}) < len(styles)  # shared, not one per page
    finally:
        if not was:
            PAGE_STYLES.switch_off()
