"""The worker side of the 対訳 edition: lay one language's side of a paper out, with its spread breaks or none.

Runs in a spawned worker (never in the parent), reaching WeasyPrint only through :mod:`taiyaku.pdf.weasy`.
:func:`place_side` lays a side out, verifies it as every part of a volume is verified
(:func:`taiyaku.pdf.typeset.typeset_part`), writes its PDF and reports the page each row starts on, each page's
fill and the side's :class:`~taiyaku.pdf.flow.Flow` (where each block starts, each page's text bottom, each
note's height: the same reading the PDF workers make of every paper of the single-language PDFs). Laid out
without breaks, that flow is the side's measure (when the build made no single-language PDF to take it from).
"""

from __future__ import annotations

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
    """One side of a paper as laid out without spread breaks, row by row: what the packing needs (made in the
    parent from a :class:`~taiyaku.pdf.flow.Flow`, :func:`.pack.side_measure`)."""

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


@dataclass
class Measured:
    """One side of a paper as laid out without spread breaks: its flow (as plain data), and the placement it was
    read from when the edition laid the side out itself (it is the side's placement too if the packing gives
    the side no break and no gap)."""

    flow: dict[str, Any] | None = None
    """:meth:`taiyaku.pdf.flow.Flow.as_dict`; ``None`` when the layout failed."""
    placed: SidePlaced | None = None
    error: str = ""


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
    flow: dict[str, Any] | None = None
    """Where its blocks, rows' anchors and notes landed (:meth:`taiyaku.pdf.flow.Flow.as_dict`)."""


def place_side(job: SideJob) -> SidePlaced:
    """Lay ``job`` out with its breaks, verify and write it (as a volume's part); report each row's page and
    the side's flow (laid out without breaks, this is the side measured)."""
    from ..pdf.flow import flow_of
    from ..pdf.typeset import typeset_part

    placed = SidePlaced(TypesetResult(job.part.lang, job.part.label), job.part.target)

    def inspect(document: Any) -> None:
        pages = document.pages
        first: dict[str, int] = {}
        for index, page in enumerate(pages):
            for name in page.anchors:
                first.setdefault(name, index)
        placed.starts = [first.get(anchor, -1) for anchor in job.anchors]
        placed.fills = page_fills(pages)
        flow = flow_of(document, job.anchors)
        placed.flow = flow.as_dict() if flow is not None else None

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


def typeset_part_at(part: PartJob) -> tuple[TypesetResult, str]:
    """A part laid out, verified and written (the cover, front matter, contributors); with where it was
    written."""
    from ..pdf.typeset import typeset_part

    return typeset_part(part), part.target


def typeset_sheet(part: PartJob) -> tuple[TypesetResult, str]:
    """Lay out and write a part without verification (the folio sheet: empty pages, folios in the margin); with
    where it was written."""
    from ..pdf import weasy
    from ..pdf.weasy.fix import VERSION

    result = TypesetResult(part.lang, part.label, weasyprint_version=VERSION)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        fetcher = weasy.VolumeFetcher(part.allowed_roots)
        document = weasy.render(part.html, part.base_url, fetcher, None, pdf_tags=False)
        result.layout_cpu_seconds = time.process_time() - cpu
        result.pages = len(document.pages)
        data = document.write_pdf()
        Path(part.target).parent.mkdir(parents=True, exist_ok=True)
        Path(part.target).write_bytes(data)
        result.size_bytes = len(data)
    except Exception as exc:  # noqa: BLE001
        result.error = f"{type(exc).__name__}: {exc}"
    result.layout_seconds = time.perf_counter() - started
    return result, part.target
