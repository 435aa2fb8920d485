"""Where a laid-out paper's blocks landed: the geometry the 対訳 edition packs its spreads from.

Runs in the PDF workers, on WeasyPrint's laid-out pages (:func:`flow_of`, shown the document of each paper part
through :func:`.typeset.typeset_part`'s ``inspect`` hook), and in the facing edition's own measuring layouts;
the result is plain data, read in the parent (:class:`Flow`, kept in ``TypesetResult.flows`` as a dict, so it
survives the PDF cache's JSON). A paper laid out for its single-language PDF has the same text width, fonts and
lines as the same paper on its side of the edition, so the edition packs from this instead of laying the paper
out again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Flow:
    """One paper's pages as laid out, in CSS px from each page's top."""

    capacity: float = 0.0
    """Height of the text block (footnotes included)."""
    note_overhead: float = 0.0
    """What a page's footnote area takes besides its notes (the rule, its margins)."""
    tops: list[float] = field(default_factory=list)
    """Per page: the top of the text block."""
    bottoms: list[float] = field(default_factory=list)
    """Per page: the bottom of its last line (or image, table row) above the notes."""
    head: tuple[int, float] = (0, 0.0)
    """Page and top of the paper's section (its head)."""
    blocks: list[tuple[int, float] | None] = field(default_factory=list)
    """Per top-level block of the chapter body (in order): the page it starts on and its top; ``None`` when it
    made no box."""
    notes: dict[str, float] = field(default_factory=dict)
    """Footnote (``data-note``) → the height its body takes in the footnote area."""
    anchors: dict[str, tuple[int, float]] = field(default_factory=dict)
    """Element id → the page it starts on and its top, for the ids asked for (the facing edition's row marks:
    they find the rows where the parsed chapter body's children are not the blocks the edition cut)."""

    def as_dict(self) -> dict[str, Any]:
        """Plain data (JSON: tuples become lists)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Flow:
        """The flow back from :meth:`as_dict` (or its JSON)."""
        return cls(float(data["capacity"]), float(data["note_overhead"]), list(data["tops"]), list(data["bottoms"]),
                   (int(data["head"][0]), float(data["head"][1])),
                   [(int(b[0]), float(b[1])) if b is not None else None for b in data["blocks"]],
                   dict(data["notes"]),
                   {key: (int(at[0]), float(at[1])) for key, at in data.get("anchors", {}).items()})

    @property
    def pages(self) -> int:
        """Pages laid out."""
        return len(self.tops)


def flow_of(document: Any, anchors: tuple[str, ...] = ()) -> Flow | None:
    """The flow of a laid-out part holding one paper (``<section class="chapter">`` with a ``chapter-body``),
    with where the elements of ``anchors`` (ids) start; ``None`` for other parts (front matter, contributors,
    covers)."""
    from . import weasy  # in the worker only: the parent never loads WeasyPrint

    boxes = weasy.box_types()
    flow = Flow()
    body: Any = None
    index: dict[int, int] = {}
    section: tuple[int, float] | None = None
    for number, page in enumerate(document.pages):
        box = weasy.page_box(page)
        flow.capacity = max(flow.capacity, box.height)
        top = box.content_box_y()
        bottom = top
        root, area = weasy.page_parts(page)
        for child in root.descendants():
            if isinstance(child, (boxes.LineBox, boxes.ReplacedBox, boxes.TableRowBox)):
                bottom = max(bottom, child.position_y + child.margin_height())
            elif getattr(child, "is_table_wrapper", False):
                # Where the layout put the table's foot: a PDF's worker moves the rows of a table's first page up
                # after layout (pdf.tables hides the "(continued)" label there), the space stays taken.
                bottom = max(bottom, child.border_box_y() + child.border_height())
            element = getattr(child, "element", None)
            if element is None or not isinstance(child, boxes.BlockLevelBox):
                continue
            if body is None and "chapter-body" in (element.get("class") or "").split():
                body = element
                # Element children only (comments have a callable tag): the blocks top_level_blocks() cuts.
                index = {id(e): n for n, e in enumerate(c for c in body if isinstance(c.tag, str))}
                flow.blocks = [None] * len(index)
            elif section is None and "chapter" in (element.get("class") or "").split():
                section = (number, child.border_box_y())
            at = index.get(id(element))
            if at is not None and flow.blocks[at] is None:
                flow.blocks[at] = (number, child.border_box_y())
        flow.tops.append(top)
        flow.bottoms.append(bottom)
        for name in anchors:
            if name in page.anchors and name not in flow.anchors:
                flow.anchors[name] = (number, page.anchors[name][1])
        if area is not None and area.children:
            height = 0.0
            for note in area.children:
                key = note.element.get("data-note") if note.element is not None else None
                flow.notes[key or f"?{len(flow.notes)}"] = note.margin_height()
                height += note.margin_height()
            flow.note_overhead = max(flow.note_overhead, area.margin_height() - height)
    if body is None:
        return None
    flow.head = section or (0, flow.tops[0] if flow.tops else 0.0)
    return flow
