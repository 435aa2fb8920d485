"""Pack a paper's aligned rows into spreads, from the heights measured on each side.

Both sides flow on as they would alone; a row that would start a page earlier on one side than on the other
starts a new page on that side only (``break-before: page``), where the other side starts it (at the top of
that page, or after the end of a row continued there). So the fuller page of a spread is as full as the flow
makes it, a row longer than a page continues on the next spread on both sides, and a paper's two sides have
as many pages up to each row. A row found out of step after layout (a line more or less than the heights
predicted) is placed again with a break on the side that ran early; as a last resort it opens a spread on
both sides (a spread group), and the side that ran short gets empty pages at the group's end. A heading
keeps the start of the row after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from typing import Any

from ..pdf.flow import Flow
from .assemble import Group, spread_order
from .layout import SideMeasure, SidePlaced
from .plan import FacingPaper, anchors, note_keys

GAP_SHARE = 0.8
"""An empty block beside a missing block is as tall as that block, up to this share of the text block (before
the packing fits it to its page)."""
MIN_START = 2.2
"""A row starts on a page only where this many of its lines (in ``line`` units) still fit."""


@dataclass
class _Flow:
    """Where one side's flow has got to: page (from the spread group's start) and height used on it."""

    capacity: float
    overhead: float
    page: int = 0
    used: float = 0.0
    notes: bool = False

    def start(self, need: float, notes: float) -> int:
        """The page a row needing ``need`` px to start (and calling ``notes`` px of notes) would start on."""
        room = self.capacity - self.used - notes - (self.overhead if notes and not self.notes else 0.0)
        return self.page if self.used == 0 or room >= need else self.page + 1

    def add(self, height: float, notes: float, need: float) -> None:
        """Lay a row of ``height`` px (its notes on its first page) at the end of the flow."""
        if self.start(need, notes) > self.page:
            self.page, self.used, self.notes = self.page + 1, 0.0, False
        if notes:
            self.used += notes + (0.0 if self.notes else self.overhead)
            self.notes = True
        room = self.capacity - self.used
        if height <= room:
            self.used += height
            return
        height -= room
        while height > self.capacity:
            self.page += 1
            height -= self.capacity
        self.page, self.used, self.notes = self.page + 1, height, False

    @property
    def pages(self) -> int:
        """Pages the group takes so far."""
        return self.page + (1 if self.used > 0 else 0)


@dataclass
class Packing:
    """The spread breaks of a paper and what the heights predict."""

    breaks: list[int] = field(default_factory=list)
    """Rows (head = 0) that open a spread, in order; always starts with 0."""
    side_breaks: tuple[set[int], set[int]] = field(default_factory=lambda: (set(), set()))
    """Rows that open a page on one side only: an empty block that goes to the page of the block it stands
    beside."""
    gaps: tuple[dict[int, float], dict[int, float]] = field(default_factory=lambda: ({}, {}))
    """Per side, row → height of its empty block, within what is left of its page."""
    predicted_spreads: int = 0


def pack(left: SideMeasure, right: SideMeasure, headings: tuple[bool, ...], line: tuple[float, float],
         gaps_at: dict[int, int] | None = None, forced: frozenset[int] = frozenset()) -> Packing:
    """Choose the rows that open a spread (``forced`` ones too: found out of step by an earlier layout).

    ``gaps_at``: row → the side (0 left, 1 right) that has only an empty block there (its height measured as
    the other side's block)."""
    gaps_at = gaps_at or {}
    rows = len(left.heights)
    packing = Packing([0])
    flows = (_Flow(left.capacity, left.note_overhead), _Flow(right.capacity, right.note_overhead))
    sides = (left, right)

    def need(side: int, row: int) -> float:
        """Room a row needs to start: a few lines, and for a heading also the start of the row after it."""
        measure = sides[side]
        own = min(measure.heights[row], MIN_START * line[side]) if measure.heights[row] > 0 else 0.0
        if headings[row] and row + 1 < rows:
            return measure.heights[row] + min(measure.heights[row + 1], MIN_START * line[side])
        return own

    for s in (0, 1):
        flows[s].add(sides[s].heights[0], sides[s].notes[0], 0.0)
    for row in range(1, rows):
        gap = gaps_at.get(row)
        starts = [flows[s].start(need(s, row), sides[s].notes[row]) for s in (0, 1)]
        if gap is not None:
            # An empty block can start anywhere on the page its flow is on.
            flow = flows[gap]
            starts[gap] = flow.page if flow.used < flow.capacity - 1.0 else flow.page + 1
        if row in forced:
            # Found out of step by a layout: a spread of its own, on both sides.
            packing.predicted_spreads += max(flow.pages for flow in flows)
            packing.breaks.append(row)
            flows = (_Flow(left.capacity, left.note_overhead), _Flow(right.capacity, right.note_overhead))
            starts = [0, 0]
        elif starts[0] != starts[1]:
            # The side that would start the row a page early goes to the page where the other starts it (the
            # other is at the top of that page, or continuing a row there): only that side breaks.
            lag = 0 if starts[0] < starts[1] else 1
            packing.side_breaks[lag].add(row)
            flow = flows[lag]
            flow.page, flow.used, flow.notes = starts[1 - lag], 0.0, False
            starts[lag] = starts[1 - lag]
        for s in (0, 1):
            if s != gap:
                flows[s].add(sides[s].heights[row], sides[s].notes[row], need(s, row))
        if gap is not None:
            # The empty block reaches down to where the block beside it ends (or to the foot of the page).
            flow, other = flows[gap], flows[1 - gap]
            if starts[gap] > flow.page:
                flow.page, flow.used, flow.notes = starts[gap], 0.0, False
            end = other.used if other.page == flow.page else flow.capacity
            height = max(0.0, min(end, flow.capacity - 1.0) - flow.used)
            packing.gaps[gap][row] = height
            flow.used += height
    packing.predicted_spreads += max(flow.pages for flow in flows)
    return packing


# --- from the laid-out sides ----------------------------------------------------------------------------------


def side_measure(flow: Flow, paper: FacingPaper, which: str) -> SideMeasure:
    """One side's rows measured on its flow: where each row starts, its height in the flow (to the next row's
    start, pages joined), the height of the notes it calls. A row without a box (one the side lacks, an empty
    element) starts where the next row with one does, so the row before it keeps its own height."""
    side = paper.left if which == "left" else paper.right
    found: list[tuple[int, float] | None] = [flow.head]
    if len(flow.blocks) == len(side.blocks):
        for row in paper.rows:
            indexes = row.left if which == "left" else row.right
            found.append(next((flow.blocks[i] for i in indexes if flow.blocks[i] is not None), None))
    elif flow.anchors:
        # The parsed body has other children than the blocks cut from its HTML (raw HTML an HTML parser
        # reshapes): the rows by their marks.
        found += [flow.anchors.get(anchor) for anchor in anchors(paper, which)[1:]]
    else:
        raise ValueError(f"{paper.slug}: the flow has {len(flow.blocks)} blocks, the {which} side "
                         f"{len(side.blocks)}")
    end = (flow.pages - 1, flow.bottoms[-1])
    where: list[tuple[int, float]] = []
    following = end
    for place in reversed(found):
        following = place if place is not None else following
        where.append(following)
    where.reverse()
    measure = SideMeasure(capacity=flow.capacity, note_overhead=flow.note_overhead, pages=flow.pages)
    for index, (page, y) in enumerate(where):
        next_page, next_y = where[index + 1] if index + 1 < len(where) else end
        if (next_page, next_y) < (page, y):
            next_page, next_y = page, y
        if next_page == page:
            height = next_y - y
        else:
            height = flow.bottoms[page] - y
            height += sum(flow.bottoms[p] - flow.tops[p] for p in range(page + 1, next_page))
            height += next_y - flow.tops[next_page]
        measure.heights.append(max(0.0, height))
        measure.starts.append(page)
    measure.notes = [sum(flow.notes.get(key, 0.0) for key in keys) for keys in note_keys(paper, which)]
    return measure


def gap_heights(paper: FacingPaper, left: SideMeasure, right: SideMeasure) -> dict[str, dict[int, float]]:
    """Height of the empty block each side gets where it lacks a row: the other side's, within reason."""
    gaps: dict[str, dict[int, float]] = {"left": {}, "right": {}}
    for number, row in enumerate(paper.rows, start=1):
        if row.gap == "left":
            gaps["left"][number] = min(right.heights[number], GAP_SHARE * left.capacity)
        elif row.gap == "right":
            gaps["right"][number] = min(left.heights[number], GAP_SHARE * right.capacity)
    return gaps


def apply_gaps(left: SideMeasure, right: SideMeasure, gaps: dict[str, dict[int, float]]) -> None:
    for measure, which in ((left, "left"), (right, "right")):
        for number, height in gaps[which].items():
            measure.heights[number] = height


def line_height(geometry: Any) -> float:
    """One body line in CSS px."""
    size = float(geometry.font_size.removesuffix("pt")) * 4 / 3
    return size * float(geometry.line_height)


def out_of_step_rows(breaks: list[int], left: list[int], right: list[int]) -> list[int]:
    """The first row of each spread group that starts on a different spread on the two sides."""
    found = []
    bounds = [*breaks, len(left)]
    for first, end in zip(bounds, bounds[1:]):
        base_left, base_right = left[first], right[first]
        for row in range(first + 1, end):
            if left[row] < 0 or right[row] < 0:
                continue
            if left[row] - base_left != right[row] - base_right:
                found.append(row)
                break
    return found


def repair(rows: list[int], last_resort: bool, left: SidePlaced, right: SidePlaced, breaks: set[int],
           gaps: dict[str, Any]) -> None:
    """Breaks for rows a placement found out of step: the side that started the row a page early breaks before
    it (``gaps["left-breaks"]``/``["right-breaks"]``); as a last resort the row opens a spread group of its own
    (``breaks``: both sides break)."""
    for row in rows:
        if last_resort:
            breaks.add(row)
            continue
        first = max(b for b in breaks if b <= row)
        early = "left" if left.starts[row] - left.starts[first] < right.starts[row] - right.starts[first] else "right"
        gaps[f"{early}-breaks"].add(row)


def spread_group(name: str, breaks: list[int], left: SidePlaced, right: SidePlaced) -> Group:
    """A paper's spread groups: per side, the pages from each break to the next."""
    def lengths(side: SidePlaced) -> list[int]:
        starts = [side.starts[row] for row in breaks] + [side.result.pages]
        return [max(1, b - a) for a, b in zip(starts, starts[1:])]

    return Group(name, lengths(left), lengths(right))


def first_folios(cover_pages: int, front: Group, groups: list[Group], slugs: list[str]) -> dict[str, int]:
    """Each paper's first folio (its first left page) in the edition."""
    _, starts = spread_order(cover_pages, [front, *groups])
    return {slug: at + 1 for slug, (_, at) in zip(slugs, starts[1:])}
