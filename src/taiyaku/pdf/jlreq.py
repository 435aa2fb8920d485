"""Japanese line composition (JLReq, w3.org/TR/jlreq) on top of WeasyPrint's line breaking.

WeasyPrint breaks Japanese lines correctly (kinsoku) but justifies only at spaces, so Japanese lines stay
ragged, and it never compresses punctuation. Justified Japanese text is broken with its compressible
punctuation in half width (the font's ``halt`` on :data:`REDUCIBLE`, see :func:`halt_ranges`), so a line
takes in the character push-out would move down (JLReq 3.8 push-in, bounded by :data:`PUSH_IN_LIMIT`).
:func:`adjust_line` runs where WeasyPrint aligns each laid-out line (``layout.inline.text_align``): it first
gives the punctuation its blank halves back from the line's slack (all, or each by the same ratio: the line
is then compressed); for a justified Japanese line that is not a paragraph's last, it spreads what slack is
left over the gaps between characters that JLReq allows to open (between Japanese characters, between
Japanese and Western text, at word spaces; never inside a Western word or a number, after an opening
bracket or before closing punctuation). Boxes are moved and widened in the layout, and each text box
remembers the extra advance after some of its characters; :func:`widen_glyphs` adds it to Pango's glyph
advances when the box is drawn, so the PDF holds the characters unchanged, one string per box, and text
extraction sees no inserted spaces.

The ¼ em between Japanese and Western text (JLReq 3.2.5) comes from the document: a space in the Japanese
font (0.256 em) between them (see :mod:`taiyaku.pdf.prepare`), so line breaking counts it and it collapses at
line edges. Every Japanese line is drawn inside a marked-content span whose ``/ActualText`` is the line's text
without those spaces and joiners (:func:`actual_text`): text extraction (pdftotext, copy and paste, search)
then reads the source's characters, whatever the gaps between glyphs.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from typing import Any

OPENING = set("「『（〔［｛〈《【〘〖〝‘“｟«(")
"""JLReq cl-01."""
CLOSING = set("」』）〕］｝〉》】〙〗〟’”｠»)")
"""JLReq cl-02."""
MIDDLE_DOTS = set("・：；")
"""JLReq cl-05."""
FULL_STOPS = set("。．")
"""JLReq cl-06."""
COMMAS = set("、，")
"""JLReq cl-07."""
INSEPARABLE = set("—―…‥")
"""JLReq cl-08: never spaced apart when doubled (――, ……)."""
NO_SPACE_BEFORE = CLOSING | MIDDLE_DOTS | FULL_STOPS | COMMAS
NO_SPACE_AFTER = OPENING | MIDDLE_DOTS
PUNCTUATION = OPENING | CLOSING | MIDDLE_DOTS | FULL_STOPS | COMMAS | INSEPARABLE | set("！？‼⁇⁈⁉〜゠")
UNIT_SIGNS = set("％‰‱℃℉°′″")
"""Signs that belong to the number before them: no aki between (``2％``), none opened by justification."""
LINE_START_HALF = set("「『（〔［｛〈《【〘〖〝｟")
"""Full-width openings whose blank left half is dropped at the start of a line."""
MONOSPACED = frozenset(("code", "kbd", "samp"))
"""Elements whose text justification never spreads: a space or a character of code keeps its advance."""
INVISIBLE = set("\u2060\u200b\u00ad")
"""Word joiner, zero-width space, soft hyphen: no gap of their own."""
HALT_OPENING = LINE_START_HALF
"""Openings whose blank left half the font's ``halt`` feature removes (JLReq cl-01)."""
HALT_CLOSING = set("」』）〕］｝〉》】〙〗〟｠、。，．")
"""Closings, commas and full stops whose blank right half ``halt`` removes (JLReq cl-02, cl-06, cl-07)."""
HALT_MIDDLE = set("・：；")
"""Middle dots: ``halt`` removes a quarter em on each side (JLReq cl-05)."""
COMPRESSIBLE = HALT_OPENING | HALT_CLOSING | HALT_MIDDLE
"""Punctuation with a blank half (or quarters) the font's ``halt`` removes."""
REDUCIBLE = COMPRESSIBLE - FULL_STOPS
"""What the layout sets in half width first and the line adjustment gives back room to (JLReq 3.8). Not the
full stops: JLReq's table of positions where a line may be shortened (Appendix, after JIS X 4051, and the book
practice alike) never reduces the half after 。 and ．; only a pair (。」) sets a full stop in half width."""
_COMPRESSIBLE_RUN = re.compile(
    b"(?:" + b"|".join(re.escape(char.encode()) for char in sorted(REDUCIBLE)) + b")+")
"""A run of reducible punctuation in UTF-8 (Pango's attributes take byte offsets)."""
PRIORITY_LAST, PRIORITY_BRACKETS, PRIORITY_MIDDLE = 0, 1, 2
"""Order of compression (JLReq 3.8.3, highest first): after the spaces between Japanese and Western text
(:data:`MIXED_SPACE_MIN`), the quarters around middle dots, then the halves of brackets and commas (all in
the same ratio), last the half left between a full stop and an opening bracket (。「, which JLReq never
reduces: only a line with nothing else left to give compresses it)."""
MIXED_SPACE, MIXED_SPACE_MIN = 0.256, 0.125
"""Ems of the space between Japanese and Western text (the Japanese font's U+0020, from :mod:`.prepare`) and
what a compressed line may shrink it to: JLReq's first reduction in a Japanese line, ¼ em to ⅛ em."""
COMPRESSED_TOLERANCE = 0.5
"""CSS px a line may fall short of giving every half back and still count as set full width (rounding)."""
PUSH_IN_LIMIT = 1.0
"""Ems a line may stay compressed by: push-in takes in about the one character push-out would move down
(JLReq 3.8.1); a break that needs more is made earlier and the line stretched instead."""
LAST_LINE_CLOSERS = CLOSING | FULL_STOPS | COMMAS | set("！？‼⁇⁈⁉")
"""What may follow a paragraph's last character on its last line without counting as a character."""
LAST_LINE_MIN = 2
"""Characters (besides :data:`LAST_LINE_CLOSERS` and note calls) a justified Japanese paragraph's last line
holds at least: book typesetting avoids a last line of one character ("る。"), the line before gives one up
and is set with JLReq's line adjustment."""
LAST_LINE_GIVE = 3.0
"""Ems a line that gave up a character for its paragraph's last line may have left to spread over its gaps
once its punctuation has its halves back; a break that would leave more (a long word pushed down) is not
made."""
LAST_LINE_REMAINDER = 8
"""Characters a paragraph's remainder may hold at most to be looked at as its last line (it fits one line)."""


@functools.lru_cache(maxsize=8192)
def is_japanese(char: str) -> bool:
    """Kana, kanji, CJK punctuation and full-width forms (the characters set on the square grid)."""
    code = ord(char)
    return (
        0x3000 <= code <= 0x30FF  # CJK symbols and punctuation, hiragana, katakana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF01 <= code <= 0xFF60  # full-width forms
        or 0x31F0 <= code <= 0x31FF
        or 0x20000 <= code <= 0x3FFFF
        or char in "―…‥"
    )


def is_western(char: str) -> bool:
    """Letters and digits of Latin-script text (what takes ¼ em next to Japanese)."""
    return char.isascii() and char.isalnum() or (
        "\u00c0" <= char <= "\u024f" and unicodedata.category(char).startswith("L"))


def japanese_language(lang: str | None) -> bool:
    """Whether a ``lang`` value is Japanese."""
    return bool(lang) and lang.split("-")[0].split("_")[0].lower() == "ja"  # type: ignore[union-attr]


@functools.lru_cache(maxsize=8192)
def gap_opens(before: str, after: str) -> bool:
    """Whether JLReq lets the space between two adjacent characters of a line open for justification."""
    if before in INVISIBLE or after in INVISIBLE:
        return False  # a word joiner before a footnote call keeps the call with its character
    if before == " " or before == "\u3000":
        return True
    if after == " ":
        return False  # the space itself opens, after it
    if not (is_japanese(before) or is_japanese(after)):
        return False  # inside a Western word or number
    if before in NO_SPACE_AFTER or after in NO_SPACE_BEFORE:
        return False
    if before in INSEPARABLE and after == before:
        return False
    if after in UNIT_SIGNS and (before.isdigit() or before in UNIT_SIGNS):
        return False  # 2％: the sign belongs to its number
    return True


def script_class(char: str) -> str:
    """A coarse script class, to keep words of one script together: han, katakana, digit, latin, other."""
    code = ord(char)
    if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or char in "々〆ヶ" or code >= 0x20000:
        return "han"
    if 0x30A0 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return "katakana"
    if char.isdigit():
        return "digit"
    if is_western(char):
        return "latin"
    return "other"


_PARSER = None


def phrase_breaks(text: str) -> list[int]:
    """Offsets where a Japanese title may break: BudouX phrase boundaries, except between two characters
    of one script class (BudouX's model splits rare kanji compounds and numbers: 対照事|例, 195|1年)."""
    global _PARSER
    if _PARSER is None:
        import budoux

        _PARSER = budoux.load_default_japanese_parser()
    breaks = []
    offset = 0
    for phrase in _PARSER.parse(text)[:-1]:
        offset += len(phrase)
        a, b = script_class(text[offset - 1]), script_class(text[offset])
        if a == b and a != "other":
            continue
        breaks.append(offset)
    return breaks


# --- line adjustment (runs inside WeasyPrint's layout) -------------------------------------------------------


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


def halt_applies(style: Any) -> bool:
    """Whether text in this style is laid out with its punctuation in half width (``halt``), to be given
    back by :func:`adjust_line`: justified Japanese with no letter or word spacing of WeasyPrint's own."""
    return (style["text_align_all"] == "justify" and japanese_language(style["lang"])
            and style["direction"] == "ltr" and style["letter_spacing"] in ("normal", 0)
            and not style["word_spacing"] and style["overflow_wrap"] == "normal")


@functools.lru_cache(maxsize=1024)
def halt_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """UTF-8 byte ranges of the compressible punctuation in ``text`` (where Pango gets ``halt``); cached:
    WeasyPrint sets the same text on layouts several times (line breaking, metrics, drawing)."""
    return tuple(match.span() for match in _COMPRESSIBLE_RUN.finditer(text.encode()))


def _slot_halves(char: str, previous: str | None, following: str | None) -> tuple[float, float]:
    """The ems before and after ``char`` that a line gives back to it (0 for those JLReq never gives)."""
    lead = 0.5 if char in HALT_OPENING else 0.25 if char in HALT_MIDDLE else 0.0
    trail = 0.5 if char in HALT_CLOSING else 0.25 if char in HALT_MIDDLE else 0.0
    # (A full stop's trail is a half only where a pair set it in half width; see _halt_slots.)
    if previous is None or previous in COMPRESSIBLE:
        lead = 0.0  # at the line's start, or after punctuation that keeps its own half: 「（ 」「 、「
    if following is not None and following in HALT_CLOSING | HALT_MIDDLE:
        trail = 0.0  # 。」 ）、 」・
    return lead, trail


def compressed_ems(text: str, line_start: bool) -> float:
    """The ems a line's text would need to set its compressible punctuation full width."""
    total = 0.0
    for at, char in enumerate(text):
        if char in REDUCIBLE:
            previous = text[at - 1] if at else (None if line_start else "\ufffc")
            lead, trail = _slot_halves(char, previous, text[at + 1] if at + 1 < len(text) else None)
            total += lead + trail
    return total


def _halt_feature(style: Any) -> bool:
    """Whether the style sets the font's ``halt`` itself (a pair's span from :mod:`.prepare`)."""
    features = style["font_feature_settings"]
    return features != "normal" and any(tag == "halt" and value for tag, value in features)


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
            span = bool(em) and _halt_feature(box.style)
            chars.extend((index, position, char, em, span) for position, char in enumerate(box.text))
        else:
            chars.append((index, 0, "\ufffc", 0.0, False))
    slots: list[tuple[int, int, float, int]] = []
    for at, (index, position, char, em, span) in enumerate(chars):
        if not em or char not in COMPRESSIBLE or (char in FULL_STOPS and not span):
            continue
        previous = chars[at - 1][2] if at else None
        following = chars[at + 1][2] if at + 1 < len(chars) else None
        lead, trail = _slot_halves(char, previous, following)
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
    from .weasy import box_types

    boxes = box_types()
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

    The layout set compressible punctuation in half width (``halt``, see :func:`halt_ranges`), so a line
    holds what fits with punctuation compressed (JLReq's push-in). Here the line first gives the punctuation
    back its blank halves from its slack; a line whose slack does not cover them all stays compressed
    (``taiyaku_compressed``, every half shrunk by the same ratio). What slack is left is spread over the
    gaps JLReq lets open (``taiyaku_stretched``). Marks the line for :func:`actual_text`. Stretches only when
    the line is justified and not a paragraph's last (``last`` is WeasyPrint's flag, also set for a line
    ended by ``<br>``); returns False otherwise, or when the line has no gap that may open, and WeasyPrint
    then aligns it as usual.
    """
    from .weasy import box_types

    boxes = box_types()
    if line.style["direction"] != "ltr" or not line.children:
        return False
    line.taiyaku_japanese = True
    if line.style["text_align_all"] != "justify":
        return False
    leaves: list[_Leaf] = []
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
    from .weasy import box_types

    boxes = box_types()
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


def short_last_line(text: str) -> bool:
    """Whether ``text`` (a paragraph's remainder, note calls left out) would be a Japanese last line of fewer
    than :data:`LAST_LINE_MIN` characters besides its closing punctuation."""
    text = "".join(char for char in text if char not in INVISIBLE).strip()
    if not text or "\n" in text or len(text) > LAST_LINE_REMAINDER or not any(map(is_japanese, text)):
        return False
    return sum(1 for char in text if char not in LAST_LINE_CLOSERS) < LAST_LINE_MIN


def _trim_opening(line: Any, leaves: list[_Leaf], boxes: Any) -> None:
    """A full-width opening bracket that starts a line (or follows the paragraph indent) is set in half width
    (JLReq 3.1.4 and 3.1.5): the line moves left by half an em, so the bracket's blank left half hangs before
    the edge; the half em gained opens with the line's other gaps."""
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


# --- drawing ---------------------------------------------------------------------------------------------------


def actual_text(line: Any) -> str:
    """The characters of a laid-out Japanese line as written: without the Japanese–Western spaces taiyaku
    inserted, word joiners or the soft hyphen's hyphen."""
    from .weasy import box_types

    boxes = box_types()

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
