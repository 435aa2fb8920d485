"""A leader's dots drawn as one run of text, not one text box per dot; one :class:`Fix` (``leaders``).

WeasyPrint 70 fills a leader (``content: leader('.')``) with a copy of its text box per repetition, each placed
on a grid measured from the line's end (so that the dots of all lines stand in columns) and each drawn as a text
object of its own. A volume's contents, 48 entries, are some 4,400 text boxes: half of the front matter's layout
and writing (0.2 of 0.4 s on the sample x8, in every build whose page numbers moved). After WeasyPrint has placed
the copies, they are replaced by one text box holding the leader's text as many times, shaped once, at the
leftmost copy's place: the same glyphs at the same positions, provided that the repeated text is exactly as wide
as the copies side by side (no kerning or shaping between repetitions), which is checked; where it is not, the
copies stay as WeasyPrint made them.
"""

from __future__ import annotations

from typing import Any

from .fix import Fix, Target

TOLERANCE = 1e-3
"""Points by which the repeated text may differ in width from the copies side by side (Pango's units are 1/1024
of a point: a difference from kerning is far larger)."""


def merge_copies(context: Any, leader: Any) -> bool:
    """Replace the leader box's copies of its text box by one box holding their text; whether it did."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.line_break import split_first_line

    copies = leader.children
    if len(copies) < 2 or not all(isinstance(copy, boxes.TextBox) for copy in copies):
        return False
    first = min(copies, key=lambda copy: copy.position_x)
    unit = first.width
    if any(copy.text != first.text or copy.width != unit for copy in copies):
        return False
    text = first.text * len(copies)
    layout, length, _resume, width, _height, _baseline = split_first_line(
        text, first.style, context, None, first.justification_spacing, is_line_start=False)
    if length != len(text.encode()) or abs(width - unit * len(copies)) > TOLERANCE:
        return False
    merged = first.copy_with_text(text)
    merged.pango_layout = layout
    merged.width = width
    leader.children = (merged,)
    return True


def _install(replace: Any) -> None:
    from weasyprint.layout import inline
    from weasyprint.layout.leader import leader_index

    original = inline.handle_leader

    def handle_leader(context, line, containing_block):  # type: ignore[no-untyped-def]
        original(context, line, containing_block)
        _index, leader = leader_index(line)
        if leader is not None:
            merge_copies(context, leader)

    replace(inline, "handle_leader", handle_leader)


LEADERS = Fix(
    "leaders",
    "WeasyPrint draws a leader as one text box per dot (a contents page: thousands of text objects)",
    (Target("weasyprint.layout.inline", "handle_leader", ("context", "line", "containing_block")),
     Target("weasyprint.layout.leader", "leader_index", ("box",)),
     Target("weasyprint.text.line_break", "split_first_line",
            ("text", "style", "context", "max_width", "justification_spacing"))),
    _install,
    versions=("70.",),
)
