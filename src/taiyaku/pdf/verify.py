"""Checks on the laid-out document, before anything is written: runs in the worker on ``Document.pages``
(through the WeasyPrint adapter, :mod:`.weasy`).

- :func:`check_footnotes`: every footnote call has exactly one body, bodies come in call order, on the
  call's page or the next; anything else is named with its chapter, number and first words.
- :func:`japanese_lines`: how many non-final lines of justified Japanese paragraphs end at the measure.
- :func:`overflows`: tables, preformatted text, images and words wider than the text block.
- :func:`locate`: the source file and line of a piece of text, for messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..lang import is_japanese_language
from .tables import LABEL_CLASS
from .weasy import box_types, is_blank, page_box, page_parts

FLUSH_TOLERANCE = 0.5
"""A line ends at the measure when its last glyph is within this many CSS px (0.375 pt) of it."""


@dataclass
class Note:
    """One footnote as laid out."""

    key: str
    """``<chapter> <n>`` from prepare.py's ``data-note``, or the order of the call."""
    text: str
    call_page: int | None = None
    body_pages: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class FootnoteProblem:
    """A note that went astray: the message, and the note's first words (to find its source line)."""

    message: str
    text: str


@dataclass
class FootnoteReport:
    """What :func:`check_footnotes` found."""

    calls: int = 0
    bodies: int = 0
    later: int = 0
    """Notes printed on a page after their call's."""
    errors: list[FootnoteProblem] = field(default_factory=list)
    warnings: list[FootnoteProblem] = field(default_factory=list)


def _text(element: Any, limit: int = 60) -> str:
    text = " ".join("".join(element.itertext()).split()) if element is not None else ""
    text = text.replace("\u2060", "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_footnotes(document: Any) -> FootnoteReport:
    """Count calls and bodies in the laid-out pages and say what went astray."""
    report = FootnoteReport()
    notes: dict[int, Note] = {}
    call_order: list[int] = []
    body_order: list[int] = []
    for number, page in enumerate(document.pages):
        root, area = page_parts(page)
        for box in root.descendants():
            if box.footnote is not None and box.element_tag.endswith("::footnote-call"):
                element = box.footnote.element
                key = id(element)
                if key in notes:
                    continue  # a call repeated with a table header
                notes[key] = Note(element.get("data-note") or str(len(notes) + 1), _text(element), number + 1)
                call_order.append(key)
        for body in area.children if area is not None else ():
            key = id(body.element)
            note = notes.get(key)
            if note is None:
                note = notes[key] = Note(body.element.get("data-note") or "?", _text(body.element))
            note.body_pages.append(number + 1)
            body_order.append(key)
    report.calls = len(call_order)
    report.bodies = len(body_order)
    for key in call_order:
        note = notes[key]
        where = f"footnote {_name(note.key)} (“{note.text}”), called on page {note.call_page},"
        text = note.text.rstrip("…")
        if note.body_pages and note.call_page is not None and note.body_pages[0] > note.call_page:
            report.later += 1
        if not note.body_pages:
            report.errors.append(FootnoteProblem(f"{where} is missing from the laid-out pages", text))
        elif len(note.body_pages) > 1:
            report.errors.append(FootnoteProblem(f"{where} is printed {len(note.body_pages)} times (pages "
                                                 f"{', '.join(map(str, note.body_pages))})", text))
        elif note.body_pages[0] < note.call_page:  # type: ignore[operator]
            report.errors.append(FootnoteProblem(f"{where} is printed before its call, on page "
                                                 f"{note.body_pages[0]}", text))
        elif note.body_pages[0] > note.call_page + 1:  # type: ignore[operator]
            # No text: the warning is located in the PDF, as it always was.
            report.warnings.append(FootnoteProblem(f"{where} is printed on page {note.body_pages[0]}: notes "
                                                   f"called on page {note.call_page} do not fit on it and the "
                                                   "next", ""))
    for key, note in notes.items():
        if note.call_page is None:
            report.errors.append(FootnoteProblem(f"footnote {_name(note.key)} (“{note.text}”) is printed on page "
                                                 f"{note.body_pages[0]} without its call", note.text.rstrip("…")))
    seen: set[int] = set()
    firsts = [key for key in body_order if not (key in seen or seen.add(key))]  # type: ignore[func-returns-value]
    expected = [key for key in call_order if key in set(firsts)]
    if firsts != expected and not report.errors:
        for got, want in zip(firsts, expected):
            if got != want:
                report.errors.append(FootnoteProblem(f"footnote {_name(notes[got].key)} is printed before "
                                                     f"footnote {_name(notes[want].key)} although it is called "
                                                     "after it", ""))
                break
    return report


def _name(key: str) -> str:
    chapter, _, number = key.rpartition(" ")
    return f"{number} of {chapter}" if chapter else key


@dataclass
class LineReport:
    """Justified Japanese lines that are not a paragraph's last, and those that end at the measure."""

    lines: int = 0
    flush: int = 0
    ragged: list[str] = field(default_factory=list)
    """The first few lines that do not, with their page."""


def _in_flow_leaves(box: Any, boxes: Any) -> Iterator[Any]:
    for child in box.children:
        if not child.is_in_normal_flow():
            continue
        if isinstance(child, (boxes.InlineBox, boxes.LineBox)):
            yield from _in_flow_leaves(child, boxes)
        else:
            yield child


def japanese_lines(document: Any) -> LineReport:
    """Measure the right edge of every non-final line of justified Japanese paragraphs."""
    boxes = box_types()
    report = LineReport()
    for number, page in enumerate(document.pages):
        for box in page_box(page).descendants():
            if not isinstance(box, boxes.LineBox):
                continue
            style = box.style
            if style["text_align_all"] != "justify" or not is_japanese_language(style["lang"]):
                continue
            if getattr(box, "resume_at", None) is None:
                continue  # a paragraph's last line (or a line that is not from a paragraph)
            leaves = [leaf for leaf in _in_flow_leaves(box, boxes)]
            texts = [leaf for leaf in leaves if isinstance(leaf, boxes.TextBox)]
            if not texts or any("\n" in leaf.text for leaf in texts):
                continue  # ended by <br>
            right = max(leaf.position_x + leaf.margin_width() for leaf in leaves)
            measure = _measure(box)
            report.lines += 1
            if abs(measure - right) <= FLUSH_TOLERANCE:
                report.flush += 1
            elif len(report.ragged) < 10:
                text = "".join(leaf.text for leaf in texts).replace("\u2060", "")
                report.ragged.append(f"page {number + 1}: {text[:24]}… ends {measure - right:.1f}px short")
    return report


def _measure(line: Any) -> float:
    """The right edge of the line's containing block's content box."""
    block = getattr(line, "taiyaku_block", None)
    if block is not None:
        return block.content_box_x() + block.width
    return line.position_x + line.width


def attach_blocks(document: Any) -> None:
    """Remember each line's block (the measure), which WeasyPrint's boxes do not link upwards."""
    boxes = box_types()

    def walk(box: Any) -> None:
        for child in getattr(box, "children", ()):
            if isinstance(child, boxes.LineBox):
                child.taiyaku_block = box
            elif isinstance(child, boxes.ParentBox):
                walk(child)

    for page in document.pages:
        walk(page_box(page))


@dataclass
class Overflow:
    """A box wider than the text block."""

    page: int
    kind: str
    text: str
    excess: float
    """CSS px beyond the right edge."""


def overflows(document: Any, tolerance: float = 1.0) -> list[Overflow]:
    """Tables, preformatted blocks, images and words that stick out of the page's content box."""
    boxes = box_types()
    found: list[Overflow] = []
    seen: set[int] = set()
    for number, page in enumerate(document.pages):
        body = page_box(page)
        right = body.content_box_x() + body.width
        root = body.children[0]
        # Text inside tables and preformatted blocks: those are reported whole.
        reported_whole = {id(e) for box in root.descendants() if box.element is not None and (
            isinstance(box, boxes.TableBox) or box.element_tag == "pre") for e in box.element.iter()}
        for box in root.descendants():
            element = box.element
            if element is None or id(element) in seen:
                continue
            tag = box.element_tag
            if isinstance(box, boxes.TableBox) or (tag == "pre" and isinstance(box, boxes.BlockBox)) or \
                    isinstance(box, (boxes.ReplacedBox,)):
                edge = box.position_x + box.margin_width() - (box.margin_right or 0)
                if edge > right + tolerance:
                    seen.add(id(element))
                    kind = "table" if isinstance(box, boxes.TableBox) else "image" if isinstance(
                        box, boxes.ReplacedBox) else "preformatted text"
                    text = element.get("alt") or _text(_without_label(element), 50)
                    found.append(Overflow(number + 1, kind, text, edge - right))
            elif isinstance(box, boxes.TextBox) and id(element) not in reported_whole:
                # A word no line can hold (a long compound in a heading): it runs off the page, unclipped.
                edge = box.position_x + box.width
                if edge > right + tolerance:
                    seen.add(id(element))
                    text = box.text.strip()
                    found.append(Overflow(number + 1, "text", text[:50] + ("…" if len(text) > 50 else ""),
                                          edge - right))
    return found


def _without_label(element: Any) -> Any:
    """A table without the "(continued)" row taiyaku added (:mod:`.tables`), for messages."""
    if element.tag != "table" or not any(LABEL_CLASS in (row.get("class") or "") for row in element.iter("tr")):
        return element
    import copy

    clean = copy.deepcopy(element)
    for parent in list(clean.iter()):
        for row in [child for child in parent if child.tag == "tr" and LABEL_CLASS in (child.get("class") or "")]:
            parent.remove(row)
    return clean


def locate(text: str, sources: list[tuple[str, str, int]]) -> tuple[str | None, int | None]:
    """The first source (``(path, file text, body's first line)``) and line where ``text`` appears.

    Tried as a whole (its first 40 characters), then word by word from the longest (a table's text runs
    its cells together; typographic quotes are not in the source)."""
    text = text.replace("\u2060", "").strip()
    if not text:
        return None, None
    needles = [text[:40]] + sorted((w for w in re.split(r"[\s“”‘’\"]+", text) if len(w) >= 6), key=len,
                                   reverse=True)[:5]
    for needle in needles:
        for path, content, _first in sources:
            at = content.find(needle)
            if at >= 0:
                return path, content.count("\n", 0, at) + 1
    return None, None


@dataclass
class Lines:
    """Hyphenation of the laid-out lines (see :class:`taiyaku.pdf.jobs.TypesetReport`)."""

    hyphenated: int = 0
    longest_run: int = 0
    before_last_line: int = 0
    stretched: int = 0
    """Japanese lines the line adjustment justified by opening gaps between characters."""
    compressed: int = 0
    """Japanese lines that keep some punctuation narrower than full width to hold what they hold (JLReq
    push-in): their slack did not cover the halves the layout took."""
    short_last_lines: int = 0
    """Japanese lines that gave a character to their paragraph's last line, which would have held one."""
    blank_pages: int = 0
    single_lines: int = 0
    """Paragraph fragments of one line at a page break (an orphan at the foot or a widow at the head)."""


def count_lines(document: Any) -> Lines:
    """Hyphenated lines, their longest run per paragraph, hyphens before a paragraph's last line, stretched
    and compressed Japanese lines and blank pages, from the laid-out boxes."""
    boxes = box_types()
    found = Lines()
    run, element = 0, None
    previous: dict[int, Any] = {}  # element → its previous line
    fragments: dict[int, list[int]] = {}  # element → lines per page it is on
    for page in document.pages:
        on_page: dict[int, int] = {}
        found.blank_pages += is_blank(page)
        for box in page_box(page).descendants():
            if not isinstance(box, boxes.LineBox):
                continue
            if box.element is not element:
                run, element = 0, box.element
            found.stretched += getattr(box, "taiyaku_stretched", False)
            found.compressed += getattr(box, "taiyaku_compressed", False)
            found.short_last_lines += getattr(box, "taiyaku_last_line_kept", False)
            last = box
            while getattr(last, "children", None):
                last = last.children[-1]
            hyphen = box.style["hyphenate_character"]
            text = getattr(last, "text", "") or ""
            if box.style["hyphens"] != "none" and hyphen and text.endswith(hyphen):
                found.hyphenated += 1
                run += 1
                found.longest_run = max(found.longest_run, run)
                box.taiyaku_hyphenated = True
            else:
                run = 0
            before = previous.get(id(box.element))
            if getattr(box, "resume_at", 1) is None and getattr(before, "taiyaku_hyphenated", False):
                found.before_last_line += 1
            previous[id(box.element)] = box
            if box.element is not None and box.element.tag in ("p", "li", "dd", "blockquote"):
                on_page[id(box.element)] = on_page.get(id(box.element), 0) + 1
        for key, count in on_page.items():
            fragments.setdefault(key, []).append(count)
    found.single_lines = sum(counts.count(1) for counts in fragments.values() if len(counts) > 1)
    return found
