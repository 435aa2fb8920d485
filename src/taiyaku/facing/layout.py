"""The worker side of the 対訳 edition: lay one language's paper out to measure its rows, or to place them.

Runs in a spawned worker (never in the parent), reaching WeasyPrint only through :mod:`taiyaku.pdf.weasy`.
:func:`measure_side` lays a paper out once and reads, from the laid-out boxes, where each aligned row starts
and how much of the text block it and its footnotes take (:class:`SideMeasure`); :func:`place_side` lays it out
again with the spread breaks the plan chose, verifies it as every part of a volume is verified
(:func:`taiyaku.pdf.typeset.typeset_part`) and writes its PDF, reporting the page each row starts on.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..pdf.jobs import PartJob, TypesetResult

ROW_ANCHOR = "taiyaku-row-"
"""Prefix of the id given to the first element of each aligned row (when it has none of its own)."""


@dataclass(frozen=True)
class SideJob:
    """One language's side of a paper to lay out: the part (its HTML marks the rows) and the rows' anchors."""

    part: PartJob
    anchors: tuple[str, ...]
    """Element id where each row starts, in row order."""


@dataclass
class SideMeasure:
    """One side of a paper as laid out without spread breaks: what the packing needs."""

    capacity: float = 0.0
    """Height of the text block (CSS px), footnotes included."""
    note_overhead: float = 0.0
    """What a page's footnote area takes besides its notes (the rule, its margins)."""
    heights: list[float] = field(default_factory=list)
    """Per row: the height its blocks take in the flow, to the start of the next row (pages joined)."""
    notes: list[float] = field(default_factory=list)
    """Per row: the height of the footnotes it calls."""
    starts: list[int] = field(default_factory=list)
    """Per row: the page it starts on (0-based)."""
    pages: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    error: str = ""


def measure_side(job: SideJob) -> SideMeasure:
    """Lay ``job`` out and measure its rows; never raises for a user's problem (``error`` says it)."""
    from ..pdf import weasy

    measure = SideMeasure()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        if job.part.typography:
            weasy.apply()
        fetcher = weasy.VolumeFetcher(job.part.allowed_roots)
        document = weasy.render(job.part.html, job.part.base_url, fetcher, job.part.pdf_variant, pdf_tags=False)
        _measure(document, job, measure)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which names the paper
        measure.error = f"{type(exc).__name__}: {exc}"
    measure.seconds = time.perf_counter() - started
    measure.cpu_seconds = time.process_time() - cpu
    return measure


def _text_bottom(page: Any) -> tuple[float, float, Any]:
    """The top of the page's text block, the bottom of its last line (or image, table row) above the notes, and
    its footnote area (or None)."""
    from ..pdf.weasy import box_types, page_box, page_parts

    boxes = box_types()
    top = page_box(page).content_box_y()
    root, area = page_parts(page)
    bottom = top
    for child in root.descendants():
        if isinstance(child, (boxes.LineBox, boxes.ReplacedBox, boxes.TableRowBox)):
            bottom = max(bottom, child.position_y + child.margin_height())
    return top, bottom, area


def _measure(document: Any, job: SideJob, measure: SideMeasure) -> None:
    """Fill ``measure`` from the laid-out pages: each row's start, its height in the flow, its notes."""
    from ..pdf.weasy import page_box

    pages = document.pages
    measure.pages = len(pages)
    tops: list[float] = []
    bottoms: list[float] = []
    note_heights: dict[str, float] = {}
    for page in pages:
        measure.capacity = max(measure.capacity, page_box(page).height)
        top, bottom, area = _text_bottom(page)
        tops.append(top)
        bottoms.append(bottom)
        if area is not None and area.children:
            notes = 0.0
            for note in area.children:
                key = note.element.get("data-note") if note.element is not None else None
                note_heights[key or str(len(note_heights))] = note.margin_height()
                notes += note.margin_height()
            measure.note_overhead = max(measure.note_overhead, area.margin_height() - notes)
    where: list[tuple[int, float]] = []
    for anchor in job.anchors:
        found = next(((index, page.anchors[anchor][1]) for index, page in enumerate(pages)
                      if anchor in page.anchors), None)
        if found is None:  # a row that made no box (an empty element): it starts where the previous ended
            found = where[-1] if where else (0, tops[0])
        where.append(found)
    end = (len(pages) - 1, bottoms[-1])
    for index, (page, y) in enumerate(where):
        next_page, next_y = where[index + 1] if index + 1 < len(where) else end
        if (next_page, next_y) < (page, y):
            next_page, next_y = page, y
        if next_page == page:
            height = next_y - y
        else:
            height = bottoms[page] - y
            height += sum(bottoms[p] - tops[p] for p in range(page + 1, next_page))
            height += next_y - tops[next_page]
        measure.heights.append(max(0.0, height))
        measure.starts.append(page)
    measure.notes = [sum(note_heights.get(key, 0.0) for key in keys)
                     for keys in _row_notes(job.part.html, job.anchors)]


def _row_notes(html: str, anchors: tuple[str, ...]) -> list[list[str]]:
    """The footnotes (``data-note`` keys) each row calls, from the side's HTML."""

    positions = []
    for anchor in anchors:
        at = html.find(f'id="{anchor}"')
        positions.append(at if at >= 0 else (positions[-1] if positions else 0))
    keys = [(match.start(), match[1]) for match in re.finditer(r'<span class="footnote" data-note="([^"]+)"', html)]
    rows: list[list[str]] = [[] for _ in anchors]
    for at, key in keys:
        row = max((index for index, start in enumerate(positions) if start <= at), default=0)
        rows[row].append(key)
    return rows


@dataclass
class SidePlaced:
    """One side laid out with its spread breaks: the typesetting result, where each row starts, how full
    each page is, and where its PDF was written."""

    result: TypesetResult
    target: str = ""
    starts: list[int] = field(default_factory=list)
    """Per row: the page it starts on (0-based), -1 when its anchor was not found."""
    fills: list[float] = field(default_factory=list)
    """Per page: the share of the text block its text and notes fill."""


def place_side(job: SideJob) -> SidePlaced:
    """Lay ``job`` out with its breaks, verify and write it (as a volume's part); report each row's page."""
    from ..pdf.typeset import typeset_part

    placed = SidePlaced(TypesetResult(job.part.lang, job.part.label), job.part.target)

    def inspect(document: Any) -> None:
        pages = document.pages
        first = {}
        for index, page in enumerate(pages):
            for name in page.anchors:
                first.setdefault(name, index)
        placed.starts = [first.get(anchor, -1) for anchor in job.anchors]
        placed.fills = page_fills(pages)

    placed.result = typeset_part(job.part, inspect)
    return placed


def page_fills(pages: list[Any]) -> list[float]:
    """Per page: the share of the text block from its top to the last line of text, plus the notes."""
    from ..pdf.weasy import page_box

    fills = []
    for page in pages:
        box = page_box(page)
        top, bottom, area = _text_bottom(page)
        notes = area.margin_height() if area is not None and area.children else 0.0
        fills.append(min(1.0, (bottom - top + notes) / box.height) if box.height else 0.0)
    return fills


def typeset_sheet(part: PartJob) -> TypesetResult:
    """Lay out and write a part without verification (the folio sheet: empty pages, folios in the margin)."""
    from ..pdf import weasy
    from ..pdf.weasy.fix import VERSION

    result = TypesetResult(part.lang, part.label, weasyprint_version=VERSION)
    started = time.perf_counter()
    try:
        fetcher = weasy.VolumeFetcher(part.allowed_roots)
        document = weasy.render(part.html, part.base_url, fetcher, None, pdf_tags=False)
        result.pages = len(document.pages)
        data = document.write_pdf()
        Path(part.target).parent.mkdir(parents=True, exist_ok=True)
        Path(part.target).write_bytes(data)
        result.size_bytes = len(data)
    except Exception as exc:  # noqa: BLE001
        result.error = f"{type(exc).__name__}: {exc}"
    result.layout_seconds = time.perf_counter() - started
    return result
