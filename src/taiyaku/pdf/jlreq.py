"""Japanese line composition (JLReq, w3.org/TR/jlreq): the rules, on characters and style values only.

The laid-out lines are edited by :mod:`taiyaku.pdf.weasy.japanese_boxes` (the functions named below) with these
rules, hooked into WeasyPrint's layout by :mod:`taiyaku.pdf.weasy.japanese`.

WeasyPrint breaks Japanese lines correctly (kinsoku) but justifies only at spaces, so Japanese lines stay ragged,
and it never compresses punctuation. Justified Japanese text is broken with its compressible punctuation in half
width (the font's ``halt`` on :data:`REDUCIBLE`, see :func:`halt_ranges`), so a line takes in the character
push-out would move down (JLReq 3.8 push-in, bounded by :data:`PUSH_IN_LIMIT`).
:func:`~.weasy.japanese_boxes.adjust_line` runs where WeasyPrint aligns each laid-out line
(``layout.inline.text_align``): it first gives the punctuation its blank halves back from the line's slack (all,
or each by the same ratio: the line is then compressed); for a justified Japanese line that is not a paragraph's
last, it spreads what slack is left over the gaps between characters that JLReq allows to open (between Japanese
characters, between Japanese and Western text, at word spaces; never inside a Western word or a number, after an
opening bracket or before closing punctuation). Boxes are moved and widened in the layout, and each text box
remembers the extra advance after some of its characters; :func:`~.weasy.japanese_boxes.widen_glyphs` adds it to
Pango's glyph advances when the box is drawn, so the PDF holds the characters unchanged, one string per box, and
text extraction sees no inserted spaces.

The ¼ em between Japanese and Western text (JLReq 3.2.5) comes from the document: a space in the Japanese
font (0.256 em) between them (see :mod:`taiyaku.pdf.prepare`), so line breaking counts it and it collapses at
line edges. Every Japanese line is drawn inside a marked-content span whose ``/ActualText`` is the line's text
without those spaces and joiners (:func:`~.weasy.japanese_boxes.actual_text`): text extraction (pdftotext, copy
and paste, search) then reads the source's characters, whatever the gaps between glyphs.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from ..lang import KANJI, KATAKANA, in_ranges, is_japanese, is_japanese_language

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


def is_western(char: str) -> bool:
    """Letters and digits of Latin-script text (what takes ¼ em next to Japanese)."""
    return char.isascii() and char.isalnum() or (
        "\u00c0" <= char <= "\u024f" and unicodedata.category(char).startswith("L"))


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
    if in_ranges(char, KANJI) or char in "々〆ヶ〇":
        return "han"
    if in_ranges(char, KATAKANA):
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


def halt_applies(style: Any) -> bool:
    """Whether text in this style is laid out with its punctuation in half width (``halt``), to be given
    back by :func:`~.weasy.japanese_boxes.adjust_line`: justified Japanese with no letter or word spacing of
    WeasyPrint's own."""
    return (style["text_align_all"] == "justify" and is_japanese_language(style["lang"])
            and style["direction"] == "ltr" and style["letter_spacing"] in ("normal", 0)
            and not style["word_spacing"] and style["overflow_wrap"] == "normal")


@functools.lru_cache(maxsize=1024)
def halt_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """UTF-8 byte ranges of the compressible punctuation in ``text`` (where Pango gets ``halt``); cached:
    WeasyPrint sets the same text on layouts several times (line breaking, metrics, drawing)."""
    return tuple(match.span() for match in _COMPRESSIBLE_RUN.finditer(text.encode()))


def slot_halves(char: str, previous: str | None, following: str | None) -> tuple[float, float]:
    """The ems before and after ``char`` that a line gives back to it (0 for those JLReq never gives)."""
    lead = 0.5 if char in HALT_OPENING else 0.25 if char in HALT_MIDDLE else 0.0
    trail = 0.5 if char in HALT_CLOSING else 0.25 if char in HALT_MIDDLE else 0.0
    # (A full stop's trail is a half only where a pair set it in half width; see weasy/japanese_boxes.py.)
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
            lead, trail = slot_halves(char, previous, text[at + 1] if at + 1 < len(text) else None)
            total += lead + trail
    return total


def halt_feature(style: Any) -> bool:
    """Whether the style sets the font's ``halt`` itself (a pair's span from :mod:`.prepare`)."""
    features = style["font_feature_settings"]
    return features != "normal" and any(tag == "halt" and value for tag, value in features)


def short_last_line(text: str) -> bool:
    """Whether ``text`` (a paragraph's remainder, note calls left out) would be a Japanese last line of fewer
    than :data:`LAST_LINE_MIN` characters besides its closing punctuation."""
    text = "".join(char for char in text if char not in INVISIBLE).strip()
    if not text or "\n" in text or len(text) > LAST_LINE_REMAINDER or not any(map(is_japanese, text)):
        return False
    return sum(1 for char in text if char not in LAST_LINE_CLOSERS) < LAST_LINE_MIN
