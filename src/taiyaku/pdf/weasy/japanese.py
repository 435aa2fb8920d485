"""Hooks of taiyaku's Japanese line adjustment into WeasyPrint's layout and drawing; one :class:`Fix`
(``japanese-lines``).

WeasyPrint justifies only at spaces; :mod:`taiyaku.pdf.jlreq` composes Japanese lines to JLReq instead. The
hooks: ``layout.inline.text_align`` (justify a Japanese line by opening the gaps JLReq allows),
``draw.text.draw_first_line`` (add the extra advances to Pango's glyphs when the line is drawn) and
``draw.draw_inline_level`` (each Japanese line one marked-content span with ``/ActualText``). Not a bug fix:
the probe checks only that the three functions are still there with the parameters the hooks expect, so a
WeasyPrint upgrade that repairs a footnote bug keeps Japanese justification.
"""

from __future__ import annotations

from typing import Any, Callable

from . import Fix, Target

Replace = Callable[[Any, str, Any], None]


def _install(replace: Replace) -> None:
    import pydyf
    from weasyprint import draw
    from weasyprint.draw import text as draw_text
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text.ffi import TO_UNITS, ffi

    from ..jlreq import actual_text, adjust_line, japanese_language, widen_glyphs

    original_text_align = inline.text_align

    def text_align(context, line, available_width, last):  # type: ignore[no-untyped-def]
        if japanese_language(line.style["lang"]) and adjust_line(line, available_width, last):
            return 0
        return original_text_align(context, line, available_width, last)

    replace(inline, "text_align", text_align)

    original_draw_first_line = draw_text.draw_first_line

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):  # type: ignore[no-untyped-def]
        extras = getattr(textbox, "taiyaku_extra", None)
        if not extras:
            return original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        layout = textbox.pango_layout
        get_first_line = layout.get_first_line

        def widened_first_line():  # type: ignore[no-untyped-def]
            first_line, index = get_first_line()
            widen_glyphs(first_line, textbox.text, extras, ffi, TO_UNITS)
            return first_line, index

        layout.get_first_line = widened_first_line
        try:
            return original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        finally:
            del layout.get_first_line

    replace(draw_text, "draw_first_line", draw_first_line)

    original_draw_inline_level = draw.draw_inline_level

    def draw_inline_level(stream, page, box, *args, **kwargs):  # type: ignore[no-untyped-def]
        # A Japanese line is one marked-content span whose /ActualText is its text as written.
        if not (isinstance(box, boxes.LineBox) and getattr(box, "taiyaku_japanese", False)):
            return original_draw_inline_level(stream, page, box, *args, **kwargs)
        text = actual_text(box)
        if not text:
            return original_draw_inline_level(stream, page, box, *args, **kwargs)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
        try:
            return original_draw_inline_level(stream, page, box, *args, **kwargs)
        finally:
            stream.end_marked_content()

    replace(draw, "draw_inline_level", draw_inline_level)


JAPANESE_LINES = Fix(
    "japanese-lines",
    "WeasyPrint justifies only at spaces: Japanese lines stay ragged",
    (Target("weasyprint.layout.inline", "text_align", ("context", "line", "available_width", "last")),
     Target("weasyprint.draw.text", "draw_first_line",
            ("stream", "textbox", "text_overflow", "block_ellipsis", "matrix")),
     Target("weasyprint.draw", "draw_inline_level", ("stream", "page", "box"))),
    _install,
)
