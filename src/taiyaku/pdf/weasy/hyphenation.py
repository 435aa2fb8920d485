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
  makes the line again without hyphenation): the end of a word never stands on a last line.

WeasyPrint then sets the whole word on the next line (or breaks elsewhere). What was prevented is counted
(:func:`take_counts`) for the typesetting report.

The same fix keeps inline code's spaces at their width in a justified line: WeasyPrint justifies at every
U+0020 and U+00A0 of the line (``layout.inline.count_expandable_spaces``), so ``make_jobs(profile=...)``
stretched like the words around it; the spaces of ``code``, ``kbd`` and ``samp`` are not counted now
(``jlreq.MONOSPACED``; in a Japanese line the line adjustment opens no gap inside them either). Not a bug
fix: the probe checks only the functions and the ``context.dictionaries`` protocol it relies on.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable, Iterator

from .fix import Fix, Target

Replace = Callable[[Any, str, Any], None]

MAX_RUN = 2
"""At most this many hyphenated lines in a row."""
_WORD = re.compile(r"[^\W\d_]+")
_counts: Counter[str] = Counter()
"""Breaks refused, by rule, since the last :func:`take_counts` (reset by the worker for each job)."""


def take_counts() -> dict[str, int]:
    """Breaks refused per rule (``capitalised``, ``last-word``, ``run``, ``last-line``) since the last call;
    resets them."""
    counts = dict(_counts)
    _counts.clear()
    return counts


class _Paragraph:
    """The state of the paragraph being broken into lines."""

    __slots__ = ("last_word", "run", "refuse")

    def __init__(self, last_word: str) -> None:
        self.last_word = last_word
        self.run = 0
        self.refuse = False
        """Set while a line is made again without hyphenation."""


class _Dictionary:
    """A Pyphen dictionary that refuses the breaks the rules forbid."""

    def __init__(self, dictionary: Any, context: Any) -> None:
        self._dictionary = dictionary
        self._context = context

    def iterate(self, word: str) -> Iterator[tuple[str, str]] | list[tuple[str, str]]:
        """Pyphen's ``(start, end)`` pairs for ``word``, or none."""
        paragraph: _Paragraph | None = getattr(self._context, "taiyaku_paragraph", None)
        if word[:1].isupper():
            _counts["capitalised"] += 1
            return []
        if paragraph is not None:
            if paragraph.refuse:
                return []
            if paragraph.run >= MAX_RUN:
                _counts["run"] += 1
                return []
            if word == paragraph.last_word:
                _counts["last-word"] += 1
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
            context.taiyaku_paragraph = paragraph
            try:
                return next(lines, None)
            finally:
                context.taiyaku_paragraph = outer

        lines = lines_from(position_y, skip_stack, first_letter_style, first_line_style)
        start = (position_y, skip_stack, first_letter_style, first_line_style)
        ahead = None
        while True:
            got, ahead = ahead or step(lines), None
            if got is None:
                return
            line, resume_at = got
            run_before = paragraph.run
            hyphenated = line is not None and bool(hyphen) and _ends_with(line, hyphen)
            paragraph.run = run_before + 1 if hyphenated else 0  # before the next line is made
            if hyphenated and resume_at is not None:
                ahead = step(lines)
                if ahead is not None and ahead[0] is not None and ahead[1] is None:
                    # The next line would be the paragraph's last, holding the end of this hyphenated
                    # word: this line is made again without a break inside a word.
                    _counts["last-line"] += 1
                    paragraph.refuse, paragraph.run = True, run_before
                    lines = lines_from(*start)
                    got, ahead = step(lines), None
                    paragraph.refuse = False
                    if got is None:
                        return
                    line, resume_at = got
                    paragraph.run = run_before + 1 if line is not None and _ends_with(line, hyphen) else 0
            runs[id(box.element)] = paragraph.run
            yield line, resume_at
            if resume_at is None or line is None:
                return
            start = (line.position_y + line.height, resume_at, None, None)

    replace(inline, "iter_line_boxes", iter_line_boxes)
    replace(block, "iter_line_boxes", iter_line_boxes)

    from weasyprint.formatting_structure import boxes

    from ..jlreq import MONOSPACED

    original_count = inline.count_expandable_spaces

    def count_expandable_spaces(box):  # type: ignore[no-untyped-def]
        # Called by justify_line for the line (recursively, through this module attribute) and by
        # add_word_spacing for each text box: a box that counts no space gets no extra width either.
        if isinstance(box, boxes.TextBox) and box.element_tag in MONOSPACED:
            return 0
        return original_count(box)

    replace(inline, "count_expandable_spaces", count_expandable_spaces)


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
     Target("weasyprint.layout.inline", "count_expandable_spaces", ("box",)),
     Target("weasyprint.text.line_break", "split_first_line", ("text", "style", "context"))),
    _install,
)
