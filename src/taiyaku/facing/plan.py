"""Plan the 対訳 edition: each paper's two print bodies cut into aligned rows, and the HTML of each side.

A *row* is one step of the checker's block alignment (:mod:`taiyaku.read.align`, as the site's parallel view
uses it through :func:`taiyaku.parallel.aligned_pairs`): the source blocks and the translation blocks that stand
for each other; either side may be empty (a paragraph the translation drops, or one a translator added). Row 0
is the paper's head (title, authors, abstract). The two sides of a paper are laid out separately, each in its
own language's print stylesheet; the packing (:mod:`.pack`) decides which rows open a spread, and
:func:`side_html` writes those breaks, and the empty space that stands beside a missing block, into each side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape

from ..i18n import UIStrings
from ..model import Volume
from ..parallel import aligned_pairs, top_level_blocks
from ..pdf.geometry import PageGeometry
from ..read.align import Alignment
from .layout import ROW_ANCHOR

BODY_OPEN = '<div class="chapter-body">'
_OPEN_TAG = re.compile(r"<([A-Za-z][\w-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ID = re.compile(r'\bid="([^"]+)"')
_HEADING = re.compile(r"^<h[1-6]\b")
_NOTE = re.compile(r'<span class="footnote" data-note="([^"]+)"')

BREAK_CLASS = "facing-break"
"""Class of an element that opens a spread (``break-before: page``)."""
GAP_CLASS = "facing-gap"
"""Class of the empty block that stands beside a block the other side lacks."""


@dataclass(frozen=True)
class Side:
    """One language's print body of a paper, cut at its top-level blocks."""

    lang: str
    before: str
    """The section's opening, the paper's head and ``<div class="chapter-body">``."""
    blocks: tuple[str, ...]
    after: str
    section_id: str


@dataclass(frozen=True)
class Row:
    """One aligned step: block indexes of the left (source) and right (translation) sides."""

    left: tuple[int, ...]
    right: tuple[int, ...]

    @property
    def gap(self) -> str:
        """``left`` or ``right`` when that side has nothing here, else ``""``."""
        return "left" if not self.left else "right" if not self.right else ""


@dataclass(frozen=True)
class FacingPaper:
    """A paper and its translation, row by row."""

    slug: str
    left: Side
    right: Side
    rows: tuple[Row, ...]
    """Rows 1…n (row 0, the head, is implicit)."""
    aligned: bool
    """Whether the rows come from the checker's alignment (else from headings and positions)."""
    headings: tuple[bool, ...] = ()
    """Per row (head included): whether it opens with a heading (kept with the row after it)."""


def cut_side(lang: str, body: str, id_prefix: str = "") -> Side:
    """A paper's part body (``<section class="chapter">…``) cut at the top-level blocks of its chapter body;
    ``id_prefix`` renames every id and in-page link (the right side's ids must not collide with the left's)."""
    if id_prefix:
        body = _ID.sub(lambda m: f'id="{id_prefix}{m[1]}"', body)
        body = re.sub(r'\bhref="#([^"]+)"', lambda m: f'href="#{id_prefix}{m[1]}"', body)
    section = _ID.search(body)
    start = body.find(BODY_OPEN)
    end = body.rfind("</div>")
    if start < 0 or end < start or section is None:
        raise ValueError("the paper's print body has no chapter body")
    start += len(BODY_OPEN)
    return Side(lang, body[:start], tuple(top_level_blocks(body[start:end])), body[end:], section[1])


def pair_rows(left: Side, right: Side, alignment: Alignment | None) -> tuple[tuple[Row, ...], bool]:
    """The rows of a paper: the checker's alignment when it maps onto the blocks, else headings and positions."""
    paired = aligned_pairs(alignment, True, list(left.blocks), list(right.blocks)) if alignment else None
    if paired is not None:
        return tuple(Row(tuple(a), tuple(b)) for a, b in paired), True
    return _positional(left, right), False


def _positional(left: Side, right: Side) -> tuple[Row, ...]:
    """Rows by section (a heading and what follows it, paired in order), then by position inside."""
    def sections(blocks: tuple[str, ...]) -> list[list[int]]:
        found: list[list[int]] = [[]]
        for index, block in enumerate(blocks):
            if _HEADING.match(block):
                found.append([])
            found[-1].append(index)
        return found

    rows = []
    a, b = sections(left.blocks), sections(right.blocks)
    for index in range(max(len(a), len(b))):
        xs = a[index] if index < len(a) else []
        ys = b[index] if index < len(b) else []
        for n in range(max(len(xs), len(ys))):
            rows.append(Row((xs[n],) if n < len(xs) else (), (ys[n],) if n < len(ys) else ()))
    return tuple(rows)


def make_paper(slug: str, left_body: str, right_body: str, right_lang: str, left_lang: str,
               alignment: Alignment | None) -> FacingPaper:
    """One paper of the edition from the two languages' part bodies."""
    left = cut_side(left_lang, left_body)
    right = cut_side(right_lang, right_body, f"{right_lang}~")
    rows, aligned = pair_rows(left, right, alignment)
    headings = (True,) + tuple(
        any(_HEADING.match(side.blocks[i]) for side, indexes in ((left, row.left), (right, row.right))
            for i in indexes[:1])
        for row in rows)
    return FacingPaper(slug, left, right, rows, aligned, headings)


def anchors(paper: FacingPaper, which: str) -> tuple[str, ...]:
    """Where each row starts on one side (``left``/``right``): the section for the head, then an element id."""
    side = paper.left if which == "left" else paper.right
    found = [side.section_id]
    for number, row in enumerate(paper.rows, start=1):
        indexes = row.left if which == "left" else row.right
        tag = _OPEN_TAG.match(side.blocks[indexes[0]]) if indexes else None
        existing = _ID.search(tag[0]) if tag else None
        found.append(existing[1] if existing else row_anchor(paper, which, number))
    return tuple(found)


def row_anchor(paper: FacingPaper, which: str, number: int) -> str:
    """The id given to a row's first element on one side (unique in the edition)."""
    prefix = f"{paper.right.lang}~" if which == "right" else ""
    return f"{prefix}{ROW_ANCHOR}{paper.slug}-{number}"


def side_html(paper: FacingPaper, which: str, breaks: frozenset[int] = frozenset(),
              gaps: dict[int, float] | None = None, own_breaks: frozenset[int] = frozenset()) -> str:
    """One side's part body: rows marked with their anchors, ``breaks`` (row numbers, head = 0) opening a
    spread, ``own_breaks`` opening a page on this side only, and an empty block of ``gaps[row]`` px where this
    side has nothing for a row."""
    side = paper.left if which == "left" else paper.right
    gaps = gaps or {}
    pieces = [side.before]
    for number, row in enumerate(paper.rows, start=1):
        indexes = row.left if which == "left" else row.right
        opens = number in breaks or number in own_breaks
        if not indexes:
            classes = GAP_CLASS + (f" {BREAK_CLASS}" if opens else "")
            height = gaps.get(number, 0.0)
            pieces.append(f'<div class="{classes}" id="{row_anchor(paper, which, number)}" aria-hidden="true" '
                          f'style="height: {height:.1f}px"></div>\n')
            continue
        for position, index in enumerate(indexes):
            block = side.blocks[index]
            if position == 0:
                block = _mark(block, row_anchor(paper, which, number), BREAK_CLASS if opens else "")
            pieces.append(block + "\n")
    pieces.append(side.after)
    return "".join(pieces)


def measure_html(paper: FacingPaper, which: str) -> str:
    """One side's part body as its single-language PDF has it, to measure: no breaks and no gaps (its top-level
    blocks are the side's blocks), each row's first block marked with its anchor."""
    side = paper.left if which == "left" else paper.right
    pieces = [side.before]
    for number, row in enumerate(paper.rows, start=1):
        for position, index in enumerate(row.left if which == "left" else row.right):
            block = side.blocks[index]
            pieces.append((_mark(block, row_anchor(paper, which, number), "") if position == 0 else block) + "\n")
    return "".join(pieces) + side.after


def note_keys(paper: FacingPaper, which: str) -> list[list[str]]:
    """Per row (head = 0): the footnotes (``data-note`` keys) its blocks call on one side."""
    side = paper.left if which == "left" else paper.right
    rows = [_NOTE.findall(side.before)]
    for row in paper.rows:
        rows.append([key for index in (row.left if which == "left" else row.right)
                     for key in _NOTE.findall(side.blocks[index])])
    return rows


def _mark(block: str, anchor: str, css_class: str) -> str:
    """The block with an id (unless it has one) and a class added to its opening tag."""
    match = _OPEN_TAG.match(block)
    if match is None:
        return block
    attributes = match[2]
    if not _ID.search(attributes):
        attributes += f' id="{anchor}"'
    if css_class:
        if re.search(r'\bclass="', attributes):
            attributes = re.sub(r'\bclass="', f'class="{css_class} ', attributes, count=1)
        else:
            attributes += f' class="{css_class}"'
    return f"<{match[1]}{attributes}>" + block[match.end():]


def edition_css(which: str, page: PageGeometry) -> str:
    """A side's own page rules: every page a verso (left side) or a recto (right side), the paper's title as
    running head on the outer edge, no folio (folios are stamped on the assembled edition, where the spreads
    are known); spread breaks and gaps."""
    inner, outer = page.margin_inner, page.margin_outer
    left, right = (outer, inner) if which == "left" else (inner, outer)
    edge, other = ("left", "right") if which == "left" else ("right", "left")
    pages = "".join(
        f"@page {kind} {{ margin-left: {left}; margin-right: {right}; @top-{other} {{ content: none; }}\n"
        f"  @top-{edge} {{ content: string(chapter-title, first-except); font-size: 8pt; "
        f"font-family: {page.sans}; color: #444; }} }}\n" for kind in (":left", ":right"))
    return (pages
            + "@page :nth(1 of chapter) { @top-left { content: none; } @top-right { content: none; } }\n"
            + "".join(f"@page {name} {{ @bottom-center {{ content: none; }} }}\n"
                      for name in (":left", ":right", "front", "chapter", "first-chapter", "cover"))
            + f".{BREAK_CLASS} {{ break-before: page; }}\n"
            + f".{GAP_CLASS} {{ display: block; margin: 0; padding: 0; break-inside: auto; }}\n"
            # The site's notice of a missing, outdated or incomplete translation, under the paper's head.
            + f".facing-status {{ font-family: {page.sans}; font-size: 8pt; line-height: 1.5; color: #444; "
              "border-left: 1.5pt solid #888; padding-left: 2mm; margin: 0 0 4mm; text-indent: 0; }\n")


STATUS_CLASS = "facing-status"


def relocate_ids(body: str, lang: str) -> str:
    """The right side's ids and in-page links renamed (``ja~…``): both sides have ``contents``, ``fn:1``…"""
    body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{lang}~{m[1]}"', body)
    return re.sub(r'\bhref="#([^"]+)"', lambda m: f'href="#{lang}~{m[1]}"', body)


_COVER = re.compile(r'<section class="cover[^"]*">.*?</section>\s*', re.S)


def without_cover(front: str) -> str:
    """A language's front matter body without its cover (the edition has one cover, both titles on it)."""
    return _COVER.sub("", front, count=1)


def cover_html(left_front: str, right_front: str, right_lang: str) -> str:
    """The edition's cover: the source's, with the translation's title and subtitle under its own."""
    cover = _COVER.search(left_front)
    theirs = _COVER.search(right_front)
    html = cover[0] if cover else ""
    if theirs:
        title = re.search(r'<h1 class="cover-title"[^>]*>(.*?)</h1>', theirs[0], re.S)
        subtitle = re.search(r'<p class="cover-subtitle">.*?</p>', theirs[0], re.S)
        extra = (f'<p class="cover-title" lang="{right_lang}" style="margin-top: 8mm">{title[1]}</p>'
                 if title else "") + (subtitle[0].replace("<p ", f'<p lang="{right_lang}" ', 1) if subtitle else "")
        html = re.sub(r'(<p class="cover-subtitle">.*?</p>|</h1>)', lambda m: m[0] + extra, html, count=1,
                      flags=re.S) if "cover-subtitle" in html else html.replace("</h1>", "</h1>" + extra, 1)
    return html


def status_notice(volume: Volume, source_doc: Any, lang: str, strings: UIStrings) -> str:
    """The site's notice for a translation that is missing (the original stands in), behind its original or
    incomplete, in ``lang``: printed under the paper's head on its first right page ("" when complete)."""
    from ..views import translation_status

    gettext = strings.translations.gettext
    doc = volume.document_at(lang, source_doc.source.rel_path)
    if doc is None:
        text = gettext("Not yet translated: shown in the original language.")
    else:
        status, behind = translation_status(volume, doc)
        if status == "outdated":
            text = strings.translations.ngettext(
                "This translation is behind its original: the original has changed once since it was translated.",
                "This translation is behind its original: the original has changed %(count)s times since it was "
                "translated.", behind) % {"count": behind}
        elif status == "incomplete":
            text = gettext("This translation is not complete yet: some passages are still missing or untranslated.")
        else:
            return ""
    return f'<p class="{STATUS_CLASS}" role="note">{escape(text)}</p>'


@dataclass(frozen=True)
class SinglePDF:
    """A language's single-language PDF as this build laid it out (the PDF output runs first): what the edition
    need not lay out again to learn."""

    profile: str
    flows: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Paper part → its flow (``TypesetResult.flows``): the side's measure."""
    page_map: tuple[tuple[str, str], ...] = ()
    """``TypesetResult.page_map``: each page's folio and first block."""

    def front_pages(self) -> int:
        """Pages from its imprint to the end of its contents (the edition's front matter on that side: the cover
        aside), blank pages between them included; 0 when the page map does not say."""
        folios = [_from_roman(folio) for folio, block in self.page_map if block in ("imprint", "contents")]
        folios = [folio for folio in folios if folio]
        return max(folios) - min(folios) + 1 if folios else 0


def _from_roman(folio: str) -> int:
    """A lower-roman folio's number (0 for an arabic one)."""
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    if not folio or any(char not in values for char in folio):
        return 0
    total = 0
    for char, following in zip(folio, [*folio[1:], ""]):
        value = values[char]
        total += -value if following and values[following] > value else value
    return total
