"""A fix for WeasyPrint 70's line breaking (``weasyprint/text/line_break.py``); one :class:`Fix`
(``first-word-hyphen``).

``split_first_line``: a text that ends with white space (a space before ``<em>``, a no-break space) and fits
the line only if that space hangs past the edge, is measured by Pango as fitting and by WeasyPrint as too wide;
WeasyPrint then takes the "cannot break earlier" path and hyphenates the text's *first* word, giving a line
such as "1. Secur-" justified across the measure. The wrapper detects it and breaks where Pango would.
"""

from __future__ import annotations

from math import inf
from typing import Any, Callable

from .fix import Fix, Target

Replace = Callable[[Any, str, Any], None]


def _install(replace: Replace) -> None:
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    original = line_break.split_first_line

    def split_first_line(text, style, context, max_width, justification_spacing,  # type: ignore[no-untyped-def]
                         is_line_start=True, minimum=False):
        result = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        layout, resume_index = result[0], result[2]
        # Fix 5: only a text ending in white space, split inside its first word, can be the bug.
        if (resume_index is None or max_width is None or max_width == inf or not text[-1:].isspace()
                or " " in layout.text.strip()):
            return result
        probe = line_break.create_layout(text, style, context, max_width, justification_spacing)
        first_line, index = probe.get_first_line()
        if index is not None:
            probe.deactivate()
            return result  # Pango splits it too: a genuine break
        whole, _ = line_break.line_size(first_line, style)
        stripped = text.rstrip()
        probe.set_text(stripped)
        first_line, _ = probe.get_first_line()
        hanging = whole - line_break.line_size(first_line, style)[0]
        probe.deactivate()
        space_collapse = style["white_space"] in ("normal", "nowrap", "pre-line")
        if space_collapse and text[len(stripped):].strip(" ") == "":
            # Collapsible spaces may hang: the whole text is on this line (split_inline_box allows it).
            layout = line_break.create_layout(text, style, context, max_width, justification_spacing)
            first_line, _ = layout.get_first_line()
            return line_break.first_line_metrics(first_line, text, layout, None, space_collapse, style)
        # Other white space (no-break, ideographic) does not hang: break as if the line were that much shorter.
        return original(text, style, context, max_width - hanging, justification_spacing, is_line_start, minimum)

    replace(line_break, "split_first_line", split_first_line)
    replace(inline, "split_first_line", split_first_line)  # imported by name in layout/inline.py


FIRST_WORD_HYPHEN = Fix(
    "first-word-hyphen",
    "WeasyPrint 70 hyphenates a text's first word (\"1. Secur-\") when the text fits only with its trailing "
    "space hanging",
    (Target("weasyprint.text.line_break", "split_first_line",
            ("text", "style", "context", "max_width", "justification_spacing", "is_line_start", "minimum")),
     Target("weasyprint.layout.inline", "split_first_line", ("text", "style", "context", "max_width"))),
    _install,
    versions=("70.",),
)
