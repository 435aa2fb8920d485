"""Hyphenation as a typesetter does it, where CSS has no property for the rule; one :class:`Fix`
(``hyphenation``).

``print.css`` sets ``hyphenate-limit-chars: 6 3 3`` (words of six letters or more, three each side). WeasyPrint
70 has no ``hyphenate-limit-lines`` and no way to spare names or a paragraph's last word, so the layout
enforces them: ``layout.inline.iter_line_boxes`` (imported by name in ``layout/block.py``) is wrapped to
count the hyphenated lines in a row of each paragraph, and the Pyphen dictionaries WeasyPrint keeps in
``context.dictionaries`` are wrapped to offer no break

- in a capitalised word (a name: "Okinawa", "California"),
- in the paragraph's last word ("dis-/cussed." would leave a fragment alone on the last line),
- after two hyphenated lines in a row,
- in a line whose next line would be the paragraph's last (the wrapper lays one line ahead and, if so,
  makes the line again without hyphenation): the end of a word never stands on a last line,
- in a page's last line (``layout.block._linebox_layout`` is wrapped: when a paragraph breaks across pages
  after a hyphenated line, that line is made again without a break inside a word, which goes over the turn
  whole; Chicago and Bringhurst alike: no page ends on a hyphen).

WeasyPrint then sets the whole word on the next line (or breaks elsewhere). What was prevented is counted
(:func:`take_counts`) for the typesetting report.

Two of them give way as a last resort: a justified line whose word spaces would be wider than
:data:`LOOSE_SPACE` is made again with the break it was refused (in a name, or leaving the end of a word on the
paragraph's last line), kept if that brings its spaces under the limit (Chicago: divide names "if possible"),
and counted as ``last-resort``. Runs of hyphens, a paragraph's last word and a page's last line never give way.

The same fix keeps inline code's spaces at their width in a justified line: WeasyPrint justifies at every
U+0020 and U+00A0 of the line (``layout.inline.count_expandable_spaces``), so ``make_jobs(profile=...)``
stretched like the words around it; the spaces of ``code``, ``kbd`` and ``samp`` are not counted now
(``jlreq.MONOSPACED``; in a Japanese line the line adjustment opens no gap inside them either). Not a bug
fix: the probe checks only the functions and the ``context.dictionaries`` protocol it relies on.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Any, Callable, Iterator

from ...lang import is_japanese_language
from .fix import Fix, Target

log = logging.getLogger(__name__)

Replace = Callable[[Any, str, Any], None]

MAX_RUN = 2
"""At most this many hyphenated lines in a row."""
LOOSE_SPACE = 0.7
"""Ems a justified line's word spaces may reach before a refused break is taken as a last resort. Noto Serif's
space is 0.26 em and the sample's median justified space 0.365 em: 0.7 em, just under twice the median (the
issue's measure of a loose line), mends every line a refused break can; 0.6 em mended 7 more lines between
0.6 and 0.7 em but divided twice as many names (8, not 4), which Chicago would divide only "if possible"."""
RELAXED = frozenset(("capitalised", "last-line"))
"""Refusals that give way to a loose line; not ``run`` (three hyphens in a row make a ladder), ``last-word`` (a
fragment alone on a last line) nor ``page-end``."""
_WORD = re.compile(r"[^\W\d_]+")
_counts: Counter[str] = Counter()
"""Breaks refused, by rule, since the last :func:`take_counts` (reset by the worker for each job)."""


def take_counts() -> dict[str, int]:
    """Breaks refused per rule (``capitalised``, ``last-word``, ``run``, ``last-line``, ``page-end``) and
    those taken as a ``last-resort`` since the last call; resets them."""
    counts = dict(_counts)
    _counts.clear()
    return counts


class _Paragraph:
    """The state of the paragraph being broken into lines."""

    __slots__ = ("last_word", "run", "refuse", "relax", "refused")

    def __init__(self, last_word: str, refuse: str = "") -> None:
        self.last_word = last_word
        self.run = 0
        self.refuse = refuse
        """The rule (``last-line``, ``page-end``) while a line is made again without hyphenation."""
        self.relax: frozenset[str] = frozenset()
        """Words a loose line may break after all (:data:`RELAXED`)."""
        self.refused: list[tuple[str, str]] = []
        """``(rule, word)`` of the breaks refused while the current line was made."""


class _Dictionary:
    """A Pyphen dictionary that refuses the breaks the rules forbid."""

    def __init__(self, dictionary: Any, context: Any) -> None:
        self._dictionary = dictionary
        self._context = context

    def iterate(self, word: str) -> Iterator[tuple[str, str]] | list[tuple[str, str]]:
        """Pyphen's ``(start, end)`` pairs for ``word``, or none."""
        paragraph: _Paragraph | None = getattr(self._context, "taiyaku_paragraph", None)
        relaxed = paragraph is not None and word in paragraph.relax
        rule = ""
        if word[:1].isupper() and not relaxed:
            rule = "capitalised"
        elif paragraph is not None:
            if paragraph.refuse:
                paragraph.refused.append((paragraph.refuse, word))
                return []  # counted once per line by the wrapper
            if paragraph.run >= MAX_RUN:
                rule = "run"  # never relaxed
            elif word == paragraph.last_word:
                rule = "last-word"
        if rule:
            _counts[rule] += 1
            if paragraph is not None:
                paragraph.refused.append((rule, word))
            return []
        return self._dictionary.iterate(word)


class _Dictionaries(dict):  # type: ignore[type-arg]
    """``context.dictionaries``: every Pyphen dictionary WeasyPrint stores is wrapped."""

    def __init__(self, context: Any, existing: dict[Any, Any]) -> None:
        super().__init__()
        self._context = context
        for key, value in existing.items():
            self[key] = value

    def __setitem__(self, key: Any, value: Any) -> None:
        if not isinstance(value, _Dictionary):
            value = _Dictionary(value, self._context)
        super().__setitem__(key, value)

    def get(self, key: Any, default: Any = None) -> Any:
        """The wrapped dictionary, made here when missing: WeasyPrint uses the one it makes for the word at
        hand unwrapped (``text/line_break.py``), so a document's first hyphenated word escaped the rules."""
        if key not in self and isinstance(key, tuple) and len(key) == 4:
            import pyphen

            lang, left, right, _ = key
            self[key] = pyphen.Pyphen(lang=lang, left=left, right=right)
        return super().get(key, default)


def _text(box: Any) -> str:
    """The text of a paragraph's inline content."""
    text = getattr(box, "text", None)
    if text is not None:
        return text
    return "".join(_text(child) for child in getattr(box, "children", ()))


def _install(replace: Replace) -> None:
    from weasyprint.layout import block, inline

    original = inline.iter_line_boxes

    def iter_line_boxes(context, box, position_y, bottom_space, skip_stack, containing_block,  # type: ignore[no-untyped-def]
                        absolute_boxes, fixed_boxes, first_letter_style, first_line_style):
        if type(context.dictionaries) is dict:
            context.dictionaries = _Dictionaries(context, context.dictionaries)
        outer = getattr(context, "taiyaku_paragraph", None)
        words = _WORD.findall(_text(box)) if box.style["hyphens"] == "auto" else []
        paragraph = _Paragraph(words[-1] if words else "")
        hyphen = box.style["hyphenate_character"]
        runs = context.__dict__.setdefault("taiyaku_hyphen_runs", {})
        if skip_stack is not None:  # the paragraph goes on from the previous page: so does its run
            paragraph.run = runs.get(id(box.element), 0)

        def lines_from(y, skip, letter, first):  # type: ignore[no-untyped-def]
            return original(context, box, y, bottom_space, skip, containing_block, absolute_boxes, fixed_boxes,
                            letter, first)

        def step(lines):  # type: ignore[no-untyped-def]
            # Lines are laid out lazily: the state is this paragraph's while its next line is made (an
            # inline block inside has its own), the outer paragraph's while the caller has the line.
            # Returns the line (or None) and the breaks refused while it was made.
            context.taiyaku_paragraph = paragraph
            paragraph.refused = refused = []
            try:
                return next(lines, None), refused
            finally:
                context.taiyaku_paragraph = outer

        def ends_hyphenated(line) -> bool:  # type: ignore[no-untyped-def]
            return line is not None and bool(hyphen) and _ends_with(line, hyphen)

        lines = lines_from(position_y, skip_stack, first_letter_style, first_line_style)
        start = (position_y, skip_stack, first_letter_style, first_line_style)
        ahead = None
        while True:
            (got, refused), ahead = ahead or step(lines), None
            if got is None:
                return
            line, resume_at = got
            run_before = paragraph.run
            hyphenated = ends_hyphenated(line)
            paragraph.run = run_before + 1 if hyphenated else 0  # before the next line is made
            if hyphenated and resume_at is not None:
                ahead = step(lines)
                if ahead[0] is not None and ahead[0][0] is not None and ahead[0][1] is None:
                    # The next line would be the paragraph's last, holding the end of this hyphenated
                    # word: this line is made again without a break inside a word.
                    _counts["last-line"] += 1
                    paragraph.refuse, paragraph.run = "last-line", run_before
                    lines = lines_from(*start)
                    (got, refused), ahead = step(lines), None
                    paragraph.refuse = ""
                    if got is None:
                        return
                    line, resume_at = got
                    paragraph.run = run_before + 1 if ends_hyphenated(line) else 0
            relax = frozenset(word for rule, word in refused if rule in RELAXED)
            if (relax and ahead is None and resume_at is not None and not ends_hyphenated(line)
                    and line.style["text_align_all"] == "justify"
                    and not is_japanese_language(line.style["lang"])
                    and (loose := _word_space(context, line)) > LOOSE_SPACE):
                # A loose line: made again with the break it was refused, kept if that mends it.
                paragraph.relax, paragraph.run = relax, run_before
                again = lines_from(*start)
                (tried, _), paragraph.relax = step(again), frozenset()
                if (tried is not None and tried[0] is not None and tried[1] is not None
                        and ends_hyphenated(tried[0]) and _word_space(context, tried[0]) <= LOOSE_SPACE):
                    _counts["last-resort"] += 1
                    lines, (line, resume_at) = again, tried
                    paragraph.run = run_before + 1
                else:
                    paragraph.run = 0
                    log.debug("a loose line (%.2f em spaces): breaking %s does not mend it (%s)", loose,
                              ", ".join(sorted(relax)), "no break" if tried is None or tried[0] is None
                              or not ends_hyphenated(tried[0]) else f"{_word_space(context, tried[0]):.2f} em")
            runs[id(box.element)] = paragraph.run
            yield line, resume_at
            if resume_at is None or line is None:
                return
            start = (line.position_y + line.height, resume_at, None, None)

    replace(inline, "iter_line_boxes", iter_line_boxes)
    replace(block, "iter_line_boxes", iter_line_boxes)

    from weasyprint.formatting_structure import boxes

    from ..jlreq import MONOSPACED

    original_linebox_layout = block._linebox_layout

    def linebox_layout(context, box, index, child, new_children, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Called positionally by block_container_layout: (page_is_empty, absolute_boxes, fixed_boxes,
        # adjoining_margins, bottom_space, position_y, skip_stack, ...) follow; the footnotes fix wraps it too.
        result = original_linebox_layout(context, box, index, child, new_children, *args, **kwargs)
        bottom_space, skip_stack = args[4], args[6]
        abort, stop, resume_at = result[:3]
        hyphen = child.style["hyphenate_character"]
        if abort or not stop or resume_at is None or not new_children or not hyphen:
            return result
        last = new_children[-1]
        if (not isinstance(last, boxes.LineBox) or getattr(last, "resume_at", None) is None
                or not _ends_with(last, hyphen)):
            return result
        # The page ends inside the paragraph on a hyphenated line: made again from where it began.
        begin = new_children[-2].resume_at if len(new_children) > 1 else skip_stack
        if begin is None:
            return result  # the paragraph's first line (orphans keep it from ending a page)

        def remake(position_y, skip, narrow=0.0):  # type: ignore[no-untyped-def]
            # The line from ``skip``, with no break inside a word; ``narrow`` px less room to break in (the
            # japanese-lines fix's hook; justified across the whole measure all the same).
            outer = getattr(context, "taiyaku_paragraph", None)
            context.taiyaku_paragraph, context.taiyaku_narrow = _Paragraph("", refuse="page-end"), narrow
            try:
                made = next(original(context, child, position_y, bottom_space, skip, box, [], [], None, None), None)
            finally:
                context.taiyaku_paragraph, context.taiyaku_narrow = outer, 0.0
            if made is None or made[0] is None or made[1] is None or made[1] == skip or _ends_with(made[0], hyphen) \
                    or made[0].width > box.width + 0.01:
                return None  # no other break, or a word alone overflows the line
            made[0].resume_at = made[1]
            return made[0]

        line = remake(last.position_y, begin)
        if line is None or line.resume_at == last.resume_at or _notes(line) != _notes(last):
            return result  # (a note call would go over the turn, its note left on this page)
        if len(new_children) > 1 and _word_space(context, line) > LOOSE_SPACE:
            line = _rebalance(context, new_children, skip_stack, line, remake) or line
        _counts["page-end"] += 1
        new_children[-1] = line
        context.__dict__.setdefault("taiyaku_hyphen_runs", {})[id(child.element)] = 0
        return (abort, stop, {index: line.resume_at}, *result[3:])

    replace(block, "_linebox_layout", linebox_layout)

    original_count = inline.count_expandable_spaces

    def count_expandable_spaces(box):  # type: ignore[no-untyped-def]
        # Called by justify_line for the line (recursively, through this module attribute) and by
        # add_word_spacing for each text box: a box that counts no space gets no extra width either.
        if isinstance(box, boxes.TextBox) and box.element_tag in MONOSPACED:
            return 0
        return original_count(box)

    replace(inline, "count_expandable_spaces", count_expandable_spaces)


_SPACES: dict[tuple[Any, ...], float] = {}
"""Ems of a font's own word space, by the style properties that choose the font."""


def _space_em(context: Any, style: Any) -> float:
    """Ems of the word space of the font ``style`` selects, as Pango sets it (cached)."""
    key = (tuple(style["font_family"]), style["font_size"], style["font_weight"], style["font_style"],
           style["font_stretch"], style["lang"])
    em = _SPACES.get(key)
    if em is None:
        from weasyprint.text.line_break import create_layout, line_size

        widths = []
        for text in ("x x", "xx"):
            layout = create_layout(text, style, context, None, 0)
            widths.append(line_size(layout.get_first_line()[0], style)[0])
            layout.deactivate()
        em = _SPACES[key] = (widths[0] - widths[1]) / style["font_size"]
    return em


def _word_space(context: Any, line: Any) -> float:
    """Ems of the widest word space of a laid-out line: its font's own space plus what justification added."""
    from weasyprint.formatting_structure import boxes

    from ..jlreq import MONOSPACED

    widest = 0.0
    for box in line.descendants():
        if isinstance(box, boxes.TextBox) and " " in box.text and box.element_tag not in MONOSPACED:
            size = box.style["font_size"]
            widest = max(widest, _space_em(context, box.style) + box.justification_spacing / size)
    return widest


def _rebalance(context: Any, lines: list[Any], skip_stack: Any, last: Any, remake: Callable[..., Any]) -> Any:
    """The page's last line made loose by carrying its word over the turn is mended, if it can be, by the line
    above giving it its own last word: both made again (the line above replaces ``lines[-2]``) when the
    looser of the two is less loose than ``last``; returns the new last line, or None."""
    from weasyprint.layout.inline import count_expandable_spaces

    above = lines[-2]
    begin = lines[-3].resume_at if len(lines) > 2 else skip_stack
    spacing = next((box.justification_spacing for box in above.descendants()
                    if getattr(box, "justification_spacing", 0)), 0.0)
    if begin is None or not spacing:
        return None
    shorter = remake(above.position_y, begin, narrow=spacing * count_expandable_spaces(above) + 0.5)
    if shorter is None or shorter.resume_at == above.resume_at or shorter.height != above.height:
        return None
    longer = remake(last.position_y, shorter.resume_at)
    if longer is None or longer.resume_at != last.resume_at or \
            max(_word_space(context, shorter), _word_space(context, longer)) >= _word_space(context, last) - 0.05:
        return None  # the word taken down pushes another over the turn, or the two are no better
    lines[-2] = shorter
    return longer


def _notes(line: Any) -> list[int]:
    """The footnotes called from a line (their boxes' ids, in order)."""
    return [id(box.footnote) for box in line.descendants() if getattr(box, "footnote", None) is not None]


def _ends_with(line: Any, hyphen: str) -> bool:
    """Whether the line's last text ends with the hyphenation character."""
    box = line
    while getattr(box, "children", None):
        box = box.children[-1]
    text = getattr(box, "text", "")
    return bool(text) and text.endswith(hyphen)


HYPHENATION = Fix(
    "hyphenation",
    "WeasyPrint has no hyphenate-limit-lines and hyphenates names and a paragraph's last word",
    (Target("weasyprint.layout.inline", "iter_line_boxes", ("context", "box", "position_y")),
     Target("weasyprint.layout.block", "iter_line_boxes", ("context", "box", "position_y")),
     Target("weasyprint.layout.block", "_linebox_layout", ("context", "box", "index", "child", "new_children")),
     Target("weasyprint.text.line_break", "create_layout", ("text", "style", "context", "max_width")),
     Target("weasyprint.layout.inline", "count_expandable_spaces", ("box",)),
     Target("weasyprint.text.line_break", "split_first_line", ("text", "style", "context"))),
    _install,
)
