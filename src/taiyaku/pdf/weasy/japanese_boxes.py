"""Japanese lines edited once WeasyPrint has laid them out: punctuation given its halves back, the gaps JLReq
lets open widened, a line's text as written (for ``/ActualText``) and the extra advances handed to Pango's glyphs.

The rules (which characters, which gaps, how much) are :mod:`taiyaku.pdf.jlreq`'s; this module only moves and
widens the boxes. Its hooks into WeasyPrint are in :mod:`.japanese`.
"""

from __future__ import annotations

import bisect
from typing import Any

from ...lang import is_japanese
from ..jlreq import (COMPRESSED_TOLERANCE, COMPRESSIBLE, FULL_STOPS, HALT_MIDDLE, LAST_LINE_REMAINDER,
                     LINE_START_HALF, MIXED_SPACE, MIXED_SPACE_MIN, MONOSPACED, PRIORITY_BRACKETS, PRIORITY_LAST,
                     PRIORITY_MIDDLE, PUSH_IN_LIMIT, gap_opens, halt_applies, halt_feature, slot_halves)


START_ALIGNED = frozenset(("start", "left"))
"""``text-align`` values of flush-left lines (table cells, headings, captions): JLReq 3.1.4 sets an opening
bracket at their start in half width as in the body; centred and right-aligned lines are left as they are."""


class _Leaf:
    """A text or atomic box of a line, with the characters that stand for it in gap decisions."""

    __slots__ = ("box", "first", "last", "call")

    def __init__(self, box: Any, first: str, last: str, call: bool) -> None:
        self.box = box
        self.first = first
        self.last = last
        self.call = call


def _leaves(box: Any, boxes: Any, out: list[_Leaf], in_call: bool = False) -> None:
    for child in box.children:
        if not child.is_in_normal_flow():
            continue
        if isinstance(child, boxes.TextBox):
            if child.text:
                out.append(_Leaf(child, child.text[0], child.text[-1], in_call))
        elif isinstance(child, boxes.InlineBox):
            _leaves(child, boxes, out, in_call or child.element_tag.endswith("::footnote-call"))
        else:
            out.append(_Leaf(child, "\ufffc", "\ufffc", in_call))  # an image or inline block


def _halt_slots(leaves: list[_Leaf], boxes: Any) -> list[tuple[int, int, float, int]]:
    """The blank halves the layout took from punctuation and that a line may give back (JLReq 3.1.2–3.1.6).

    Each slot is ``(leaf, position, px, priority)``: room after character ``position`` of the leaf, or before
    the leaf when ``position`` is -1; ``priority`` orders compression (:data:`PRIORITY_MIDDLE` first). Halves
    that JLReq never gives (an opening bracket at the line's start, the room between two punctuation marks
    beyond half an em: 。」 「（ ）、) are no slots: they stay compressed. A full stop is a slot only in a
    pair's ``halt`` span followed by an opening bracket (。「: the one half between them).
    """
    chars: list[tuple[int, int, str, float, bool]] = []  # leaf, position, character, em (0: not halted), span
    for index, leaf in enumerate(leaves):
        box = leaf.box
        if isinstance(box, boxes.TextBox):
            em = box.style["font_size"] if halt_applies(box.style) else 0.0
            span = bool(em) and halt_feature(box.style)
            chars.extend((index, position, char, em, span) for position, char in enumerate(box.text))
        else:
            chars.append((index, 0, "\ufffc", 0.0, False))
    slots: list[tuple[int, int, float, int]] = []
    for at, (index, position, char, em, span) in enumerate(chars):
        if not em or char not in COMPRESSIBLE or (char in FULL_STOPS and not span):
            continue
        previous = chars[at - 1][2] if at else None
        following = chars[at + 1][2] if at + 1 < len(chars) else None
        lead, trail = slot_halves(char, previous, following)
        priority = (PRIORITY_LAST if char in FULL_STOPS
                    else PRIORITY_MIDDLE if char in HALT_MIDDLE else PRIORITY_BRACKETS)
        if lead:
            slots.append((index, position - 1, lead * em, priority) if position
                         else (index, -1, lead * em, priority))
        if trail:
            slots.append((index, position, trail * em, priority))
    return slots


def _space_slots(leaves: list[_Leaf], boxes: Any) -> list[tuple[int, int, float]]:
    """The spaces between Japanese and Western text of a line, as ``(leaf, position, px)``: how much each may
    shrink (to :data:`MIXED_SPACE_MIN`). Only in text laid out with ``halt`` (justified Japanese)."""
    chars: list[tuple[int, int, str, Any]] = []
    for index, leaf in enumerate(leaves):
        box = leaf.box
        if isinstance(box, boxes.TextBox):
            chars.extend((index, position, char, box) for position, char in enumerate(box.text))
        else:
            chars.append((index, 0, "\ufffc", None))
    slots = []
    for at in range(1, len(chars) - 1):
        index, position, char, box = chars[at]
        if char != " " or box is None or not halt_applies(box.style):
            continue
        before, after = chars[at - 1][2], chars[at + 1][2]
        if before.isspace() or after.isspace() or is_japanese(before) == is_japanese(after):
            continue
        slots.append((index, position, (MIXED_SPACE - MIXED_SPACE_MIN) * box.style["font_size"]))
    return slots


def _give_back(line: Any, leaves: list[_Leaf], slack: float, before: dict[int, float],
               inside: dict[int, list[tuple[int, float]]], boxes: Any) -> float:
    """Fill ``before`` and ``inside`` with the halves the line gives back to its punctuation from ``slack``;
    returns the width the line gains. All of them if the slack covers them; else the line is compressed in
    JLReq's order: first the spaces between Japanese and Western text shrink (to ⅛ em; their room goes to the
    punctuation), then the slack goes to the kind compressed last, and the kind it cannot cover in full
    shares what is left in the same ratio (:data:`PRIORITY_LAST`)."""
    slots = _halt_slots(leaves, boxes)
    halves = sum(amount for _, _, amount, _ in slots)
    given = max(0.0, min(slack, halves))
    line.taiyaku_compression = halves - given
    if halves - given > COMPRESSED_TOLERANCE:
        line.taiyaku_compressed = True
        # More than push-in takes: the line is made again (weasy/japanese.py), narrower by what makes its
        # halves, less the 1 em allowed, fit at full width: halves - given - limit beyond the measure, plus
        # the slack already given.
        line.taiyaku_excess = halves - given - PUSH_IN_LIMIT * line.style["font_size"]
        line.taiyaku_narrow = line.taiyaku_excess + given
    taken = 0.0
    if halves - given > 0:
        spaces = _space_slots(leaves, boxes)
        room = sum(amount for _, _, amount in spaces)
        if room > 0:
            taken = min(room, halves - given)
            for index, position, amount in spaces:
                inside.setdefault(index, []).append((position, -amount * taken / room))
            given += taken
    if given <= 0:
        return 0.0
    left = given
    ratios: dict[int, float] = {}
    for priority in (PRIORITY_LAST, PRIORITY_BRACKETS, PRIORITY_MIDDLE):
        kind = sum(amount for _, _, amount, rank in slots if rank == priority)
        ratios[priority] = min(1.0, left / kind) if kind > 0 else 0.0
        left = max(0.0, left - kind)
    for index, position, amount, priority in slots:
        share = amount * ratios[priority]
        if not share:
            continue
        if position < 0:
            before[index] = before.get(index, 0.0) + share
        else:
            inside.setdefault(index, []).append((position, share))
    return given - taken


def give_back(line: Any, available_width: float) -> None:
    """Give compressed Japanese punctuation in a Western line its full width back, as far as the line has
    room (WeasyPrint then justifies the rest at spaces)."""
    from weasyprint.formatting_structure import boxes

    if not any(getattr(getattr(box, "pango_layout", None), "taiyaku_halt", False) for box in line.descendants()):
        return
    leaves: list[_Leaf] = []
    _leaves(line, boxes, leaves)
    before: dict[int, float] = {}
    inside: dict[int, list[tuple[int, float]]] = {}
    given = _give_back(line, leaves, available_width - line.width, before, inside, boxes)
    if before or inside:
        _spread(line, {id(leaf.box): index for index, leaf in enumerate(leaves)}, inside, before, 0.0, boxes)
        line.width += given


def adjust_line(line: Any, available_width: float, last: bool) -> bool:
    """Compose one laid-out Japanese line in place; returns whether it was justified here.

    A flush-left line (:data:`START_ALIGNED`) only has its line-start opening bracket set in half width.

    The layout set compressible punctuation in half width (``halt``, see :func:`halt_ranges`), so a line
    holds what fits with punctuation compressed (JLReq's push-in). Here the line first gives the punctuation
    back its blank halves from its slack; a line whose slack does not cover them all stays compressed
    (``taiyaku_compressed``, every half shrunk by the same ratio). What slack is left is spread over the
    gaps JLReq lets open (``taiyaku_stretched``). Marks the line for :func:`actual_text`. Stretches only when
    the line is justified and not a paragraph's last (``last`` is WeasyPrint's flag, also set for a line
    ended by ``<br>``); returns False otherwise, or when the line has no gap that may open, and WeasyPrint
    then aligns it as usual.
    """
    from weasyprint.formatting_structure import boxes

    if line.style["direction"] != "ltr" or not line.children:
        return False
    leaves: list[_Leaf]
    line.taiyaku_japanese = True
    align = line.style["text_align_all"]
    if align != "justify":
        if align in START_ALIGNED and line.style["white_space"] in ("normal", "nowrap"):
            # A table cell, heading or caption set flush left: its line-start bracket in half width too (not
            # in preformatted text, whose columns must stay aligned).
            leaves = []
            _leaves(line, boxes, leaves)
            if leaves and getattr(leaves[0].box, "element_tag", "") not in MONOSPACED:
                _trim_opening(line, leaves, boxes)
        return False
    leaves = []
    _leaves(line, boxes, leaves)
    if not leaves:
        return False
    _trim_opening(line, leaves, boxes)
    slack = available_width - line.width
    line.taiyaku_slack = slack  # before give-back: how much narrower a line is made again (weasy/japanese.py)
    before: dict[int, float] = {}
    inside: dict[int, list[tuple[int, float]]] = {}
    given = _give_back(line, leaves, slack, before, inside, boxes)
    slack -= given
    line.taiyaku_spread = slack  # what is left to open gaps with
    count = 0
    stretch = not last and slack > 0.01
    if stretch:
        # Gaps that may open: before leaf i or after character p of leaf i.
        opens_before: set[int] = set()
        opens_inside: dict[int, list[int]] = {}
        previous: str | None = None
        for index, leaf in enumerate(leaves):
            if previous is not None and not leaf.call and gap_opens(previous, leaf.first):
                opens_before.add(index)
                count += 1
            box = leaf.box
            if isinstance(box, boxes.TextBox) and box.element_tag not in MONOSPACED:
                text = box.text
                positions = [p for p in range(len(text) - 1) if gap_opens(text[p], text[p + 1])]
                if positions:
                    opens_inside[index] = positions
                    count += len(positions)
            previous = leaf.last
        if count:
            extra = slack / count
            for index in opens_before:
                before[index] = before.get(index, 0.0) + extra
            for index, positions in opens_inside.items():
                inside.setdefault(index, []).extend((position, extra) for position in positions)
            line.taiyaku_stretched = True
    if before or inside:
        leaf_of = {id(leaf.box): index for index, leaf in enumerate(leaves)}
        _spread(line, leaf_of, inside, before, 0.0, boxes)
        line.width += given + (slack if count else 0.0)
    if last:
        return False
    if count or slack <= 0.01:
        return True  # flush (or a half-width full stop overhangs by a hair)
    return False  # e.g. a line of one Western word: WeasyPrint's own justification


def remaining_text(box: Any, skip_stack: dict[int, Any] | None,
                   limit: int = LAST_LINE_REMAINDER) -> str | None:
    """The text of ``box`` from ``skip_stack`` on (WeasyPrint's resume point: child index, or UTF-8 offset in a
    text box), without note calls and out-of-flow boxes; None when it holds anything else (an image, an
    inline block), whose width text cannot tell. Stops once it holds more than ``limit`` characters: it is
    asked after every line, and only a short remainder matters."""
    from weasyprint.formatting_structure import boxes

    (skip, child_skip), = skip_stack.items() if skip_stack else ((0, None),)
    if isinstance(box, boxes.TextBox):
        return box.text.encode()[skip:].decode(errors="ignore")
    if not isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return None
    parts = []
    length = 0
    for index, child in enumerate(box.children[skip:], start=skip):
        if not child.is_in_normal_flow():
            continue  # a note's body, a float
        if isinstance(child, boxes.InlineBox) and child.element_tag.endswith("::footnote-call"):
            continue
        part = remaining_text(child, child_skip if index == skip else None, limit - length)
        if part is None:
            return None
        parts.append(part)
        length += len(part)
        if length > limit:
            break
    return "".join(parts)


def _trim_opening(line: Any, leaves: list[_Leaf], boxes: Any) -> None:
    """A full-width opening bracket that starts a line (or follows the paragraph indent) is set in half width
    (JLReq 3.1.4 and 3.1.5): the line moves left by half an em, so the bracket's blank left half hangs before
    the edge; in a justified line the half em gained opens with the line's other gaps, in a flush-left one
    (a table cell, a heading, a caption) it stays at the line's end."""
    if getattr(line, "taiyaku_trimmed", False) or not leaves:
        return
    first = leaves[0]
    box = first.box
    if first.call or not isinstance(box, boxes.TextBox) or box.text[0] not in LINE_START_HALF \
            or not any(child is box for child in line.children):
        return  # inside <em> or a link: left as it is
    if halt_applies(box.style):
        return  # laid out in half width already, and its left half is never given back
    line.taiyaku_trimmed = True
    half = box.style["font_size"] / 2
    for child in line.children:
        if child.is_in_normal_flow():
            child.translate(dx=-half, ignore_floats=True)
    line.width -= half


def _spread(box: Any, leaf_of: dict[int, int], inside: dict[int, list[tuple[int, float]]],
            before: dict[int, float], advance: float, boxes: Any) -> float:
    """Move and widen the boxes under ``box`` in line order; returns the advance accumulated so far."""
    start = advance
    for child in box.children:
        if not child.is_in_normal_flow():
            continue
        index = leaf_of.get(id(child))
        if isinstance(child, boxes.InlineBox):
            child.position_x += advance
            advance = _spread(child, leaf_of, inside, before, advance, boxes)
            continue
        if index is not None:
            advance += before.get(index, 0.0)
        if advance:
            child.translate(dx=advance, ignore_floats=True)
        extras = inside.get(index) if index is not None else None
        if extras:
            child.taiyaku_extra = extras
            widened = sum(amount for _, amount in extras)
            child.width += widened
            advance += widened
    if not isinstance(box, boxes.LineBox):
        box.width += advance - start
    return advance


def actual_text(line: Any) -> str:
    """The characters of a laid-out Japanese line as written: without the Japanese–Western spaces taiyaku
    inserted, word joiners or the soft hyphen's hyphen."""
    from weasyprint.formatting_structure import boxes

    leaves: list[_Leaf] = []
    _leaves(line, boxes, leaves)
    text = "".join(leaf.box.text for leaf in leaves if isinstance(leaf.box, boxes.TextBox))
    text = text.replace("\u2060", "")
    chars = []
    for index, char in enumerate(text):
        if char == " " and 0 < index < len(text) - 1:
            before, after = text[index - 1], text[index + 1]
            if (is_japanese(before) and not after.isspace()) or (is_japanese(after) and not before.isspace()):
                continue
        chars.append(char)
    return "".join(chars).strip(" ")


def widen_glyphs(first_line: Any, text: str, extras: list[tuple[int, float]], ffi: Any, to_units: float) -> None:
    """Add ``extra`` (CSS px) to the advance of the glyph that ends character ``index`` of ``text``.

    ``first_line`` is the Pango layout line WeasyPrint is about to draw; glyph advances are Pango units.
    """
    if not extras:
        return
    encoded_offsets = []
    offset = 0
    for char in text:
        encoded_offsets.append(offset)
        offset += len(char.encode())
    wanted: dict[int, int] = {}
    for index, amount in extras:
        if index < len(encoded_offsets):
            byte = encoded_offsets[index]
            wanted[byte] = wanted.get(byte, 0) + round(amount * to_units)
    if not wanted:
        return
    # Cluster starts (bytes) → the last glyph drawn for that cluster.
    last_glyph: dict[int, Any] = {}
    run = first_line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item_offset = glyph_item.item.offset
        glyph_string = glyph_item.glyphs
        clusters = glyph_string.log_clusters
        for i in range(glyph_string.num_glyphs):
            last_glyph[item_offset + clusters[i]] = glyph_string.glyphs[i]
    starts = sorted(last_glyph)
    for byte, units in wanted.items():
        at = bisect.bisect_right(starts, byte) - 1
        if at >= 0:
            last_glyph[starts[at]].geometry.width += units
