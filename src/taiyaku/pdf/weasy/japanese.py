"""Hooks of taiyaku's Japanese line adjustment into WeasyPrint's layout and drawing; one :class:`Fix`
(``japanese-lines``).

WeasyPrint justifies only at spaces and never compresses punctuation; :mod:`taiyaku.pdf.jlreq` composes
Japanese lines to JLReq instead. The hooks:

- ``text.line_break.Layout.set_text``: the compressible punctuation of justified Japanese text is shaped
  with the font's ``halt`` feature, so lines break with it in half width (push-in);
- ``layout.inline.split_first_line`` and ``layout.inline.get_next_linebox``: a break that would leave a
  line compressed by more than about one character is made earlier;
- ``layout.inline.text_align``: give the punctuation its halves back, then open the gaps JLReq allows;
- ``draw.text.draw_first_line``: add the extra advances to Pango's glyphs when the line is drawn;
- ``draw.draw_inline_level``: each Japanese line one marked-content span with ``/ActualText``.

Not a bug fix: the probe checks only that the functions are still there with the parameters the hooks
expect, so a WeasyPrint upgrade that repairs a footnote bug keeps Japanese composition.
"""

from __future__ import annotations

from typing import Any, Callable

from .fix import Fix, Target

Replace = Callable[[Any, str, Any], None]


def _install(replace: Replace) -> None:
    import pydyf
    from weasyprint import draw
    from weasyprint.draw import text as draw_text
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break
    from weasyprint.text.ffi import TO_UNITS, ffi, pango
    from weasyprint.text.fonts import font_features

    from ...lang import is_japanese_language
    from ..jlreq import (COMPRESSED_TOLERANCE, LAST_LINE_GIVE, PUSH_IN_LIMIT, compressed_ems, halt_applies,
                         halt_ranges, short_last_line)
    from .japanese_boxes import actual_text, adjust_line, give_back, remaining_text, widen_glyphs

    original_set_text = line_break.Layout.set_text

    def set_text(self, text, justify=False):  # type: ignore[no-untyped-def]
        original_set_text(self, text, justify)
        style = self.style
        if not halt_applies(style):
            return
        ranges = halt_ranges(self.text)
        if not ranges and not getattr(self, "taiyaku_halt", False):
            return
        self.taiyaku_halt = bool(ranges)
        attributes = ffi.NULL
        if justify and self.justification_spacing:
            # WeasyPrint's own justification (word spacing) is in the layout's list, made afresh by setup().
            attributes = pango.pango_layout_get_attributes(self.layout)
        if attributes == ffi.NULL:
            # Made afresh: the list of an earlier set_text on this layout holds ranges of another text.
            attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            features = font_features(
                style["font_kerning"], style["font_variant_ligatures"], style["font_variant_position"],
                style["font_variant_caps"], style["font_variant_numeric"], style["font_variant_alternates"],
                style["font_variant_east_asian"], style["font_feature_settings"])
            if features:
                pango.pango_attr_list_insert(attributes, pango.pango_attr_font_features_new(
                    ",".join(f"{key} {value}" for key, value in features.items()).encode()))
        for start, end in ranges:
            attribute = pango.pango_attr_font_features_new(b"halt 1")
            attribute.start_index, attribute.end_index = start, end
            pango.pango_attr_list_insert(attributes, attribute)
        pango.pango_layout_set_attributes(self.layout, attributes)

    replace(line_break.Layout, "set_text", set_text)

    original_split_first_line = inline.split_first_line

    def split_first_line(text, style, context, max_width, justification_spacing,  # type: ignore[no-untyped-def]
                         is_line_start=True, minimum=False):
        result = original_split_first_line(text, style, context, max_width, justification_spacing,
                                           is_line_start, minimum)
        if max_width is None or minimum or not halt_applies(style):
            return result
        # Push-in is bounded: a break that leaves the line more than PUSH_IN_LIMIT em compressed is made
        # earlier (the line then stretches). Measured on this box's part of the line.
        limit = PUSH_IN_LIMIT * style["font_size"]
        for _ in range(3):
            length = result[1]
            first = text.encode()[:length].decode(errors="ignore")
            over = result[3] + compressed_ems(first, is_line_start) * style["font_size"] - max_width - limit
            if over <= 0.01:
                return result
            width = result[3] - over - 0.01
            if width <= 0:
                return result
            shorter = original_split_first_line(text, style, context, width, justification_spacing,
                                                is_line_start, minimum)
            if shorter[1] >= length:
                return result  # no earlier break
            result = shorter
        return result

    replace(inline, "split_first_line", split_first_line)  # line breaking only, not preferred widths

    original_split_inline_box = inline.split_inline_box

    def split_inline_box(context, box, position_x, max_x, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(box, boxes.LineBox):
            # The line is being made again, this much narrower (get_next_linebox). The whole line, not each
            # text box: what overflows may be a footnote call and the 。 after it, tied to the text before.
            max_x -= getattr(context, "taiyaku_narrow", 0.0)
        return original_split_inline_box(context, box, position_x, max_x, *args, **kwargs)

    replace(inline, "split_inline_box", split_inline_box)

    original_get_next_linebox = inline.get_next_linebox

    def get_next_linebox(context, linebox, position_y, bottom_space, skip_stack,  # type: ignore[no-untyped-def]
                         containing_block, absolute_boxes, fixed_boxes, first_letter_style, first_line_style):
        # The push-in bound above is measured per text box; a line of several boxes (a marker, a link, a
        # halt pair) can still end up compressed by more. Such a line is made once more, narrower, so that it
        # holds at full width what it would hold less 1 em, when making it had no side effects (positioned boxes, floats) that a second pass repeats.
        positioned = len(absolute_boxes), len(fixed_boxes)
        result = original_get_next_linebox(context, linebox, position_y, bottom_space, skip_stack,
                                           containing_block, absolute_boxes, fixed_boxes, first_letter_style,
                                           first_line_style)
        line = result[0]
        if (line is None or getattr(context, "taiyaku_narrow", 0.0)
                or (len(absolute_boxes), len(fixed_boxes)) != positioned
                or any(child.is_floated() for child in line.children)):
            return result

        def again(narrow: float) -> Any:
            context.taiyaku_narrow = narrow
            try:
                return original_get_next_linebox(context, linebox, position_y, bottom_space, skip_stack,
                                                 containing_block, absolute_boxes, fixed_boxes,
                                                 first_letter_style, first_line_style)
            finally:
                context.taiyaku_narrow = 0.0

        if getattr(line, "taiyaku_excess", 0.0) > COMPRESSED_TOLERANCE:
            narrower = again(line.taiyaku_narrow)
            if narrower[0] is not None:
                result = narrower
        return _keep_last_line(result, linebox, again)

    def _keep_last_line(result: Any, linebox: Any, again: Callable[[float], Any]) -> Any:
        """A justified Japanese line after which its paragraph would end on a line of one character (and its
        closing punctuation, note calls) is made again half an em narrower than its natural width: it gives
        up its last character (more where kinsoku ties them) and is stretched; kept only if that mends it."""
        line, resume_at = result[0], result[1]
        slack = getattr(line, "taiyaku_slack", None)
        if (resume_at is None or slack is None or not halt_applies(line.style)
                or not short_last_line(remaining_text(linebox, resume_at) or "")):
            return result
        em = line.style["font_size"]
        shorter = again(slack + em / 2)
        shorter_line = shorter[0]
        if (shorter_line is None or shorter[1] is None or shorter[1] == resume_at
                or getattr(shorter_line, "taiyaku_spread", 0.0) > LAST_LINE_GIVE * em
                or short_last_line(remaining_text(linebox, shorter[1]) or "")):
            return result
        shorter_line.taiyaku_last_line_kept = True
        return shorter

    replace(inline, "get_next_linebox", get_next_linebox)

    original_text_align = inline.text_align

    def text_align(context, line, available_width, last):  # type: ignore[no-untyped-def]
        if is_japanese_language(line.style["lang"]):
            if adjust_line(line, available_width, last):
                return 0
        elif line.style["text_align_all"] == "justify":
            give_back(line, available_width)  # Japanese words in a Western line
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
    (Target("weasyprint.text.line_break", "Layout.set_text", ("self", "text", "justify")),
     Target("weasyprint.layout.inline", "get_next_linebox",
            ("context", "linebox", "position_y", "bottom_space", "skip_stack", "containing_block",
             "absolute_boxes", "fixed_boxes", "first_letter_style", "first_line_style")),
     Target("weasyprint.layout.inline", "split_inline_box", ("context", "box", "position_x", "max_x")),
     Target("weasyprint.layout.inline", "split_first_line",
            ("text", "style", "context", "max_width", "justification_spacing", "is_line_start", "minimum")),
     Target("weasyprint.layout.inline", "text_align", ("context", "line", "available_width", "last")),
     Target("weasyprint.draw.text", "draw_first_line",
            ("stream", "textbox", "text_overflow", "block_ellipsis", "matrix")),
     Target("weasyprint.draw", "draw_inline_level", ("stream", "page", "box"))),
    _install,
)
