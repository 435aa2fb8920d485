"""The typesetting report of the 対訳 edition: spreads, rows in step, rows split across spreads, blank share."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from statistics import median
from typing import Any, Sequence

from .assemble import Group
from .plan import FacingPaper


@dataclass
class FacingReport:
    """Counted on the laid-out sides of every paper (rows from the checker's alignment)."""

    pages: int = 0
    """Pages of the edition, cover and front matter included."""
    spreads: int = 0
    """Spreads of the papers."""
    rows: int = 0
    """Aligned rows of the papers (a paper's head counts as one)."""
    rows_in_step: int = 0
    """Rows whose two sides start on the same spread."""
    split_rows: int = 0
    """Rows continued on a later spread (on either side)."""
    blank_pages: int = 0
    """Empty pages added to keep the two sides in step (at the end of a paper's shorter side, and before the
    first left page)."""
    blank_share: float = 0.0
    """Share of the papers' text blocks (every page of every spread) left empty."""
    median_fill: float = 0.0
    """Median fill of the fuller page of a spread (each paper's last spread aside)."""
    gaps: int = 0
    """Rows one side lacks (an empty space stands beside the other side's block)."""
    repairs: int = 0
    """Layouts of a paper's sides repeated because rows came out of step (the heights predicted a line off)."""
    notes: dict[str, int] = field(default_factory=dict)
    """Footnotes laid out per language (each side verified like every part: once, in order, none lost)."""
    notes_on_next_page: int = 0
    """Notes printed on the page after their call's (moved whole with WeasyPrint 70), on the same side."""
    layouts: int = 0
    """Layouts this build ran (sides measured or placed, front matter, cover, folios); 0 when all was cached."""
    flows_reused: int = 0
    """Sides packed from the flow of their single-language PDF laid out in the same build (not measured again)."""
    single_language_pages: int = 0
    """Pages of the papers' two sides as laid out (before padding)."""
    starts: dict[str, int] = field(default_factory=dict)
    """First page of the front matter, each paper and the contributors."""

    def __post_init__(self) -> None:
        # Per page and per spread, for the shares (not fields: build --json gives the report as asdict).
        self._fills: list[float] = []
        self._fuller: list[float] = []

    def count_paper(self, paper: FacingPaper, breaks: Sequence[int], left: Sequence[int], right: Sequence[int],
                    group: Group, left_fills: Sequence[float], right_fills: Sequence[float]) -> None:
        """Count one paper's rows and spreads from the pages its rows start on."""
        self.rows += len(left)
        self.gaps += sum(1 for row in paper.rows if row.gap)
        spread_left = _spreads(breaks, left, group.left, group.right)
        spread_right = _spreads(breaks, right, group.right, group.left)
        self.rows_in_step += sum(1 for a, b in zip(spread_left, spread_right) if a == b and a >= 0)
        for starts, spreads in ((left, spread_left), (right, spread_right)):
            for row in range(len(starts) - 1):
                # Continued: the next row starts on a later page, not at its top (no break before it).
                if starts[row + 1] > starts[row] and (row + 1) not in breaks:
                    self.split_rows += 1
            del spreads
        total = sum(max(a, b) for a, b in zip(group.left, group.right))
        self.spreads += total
        lefts = _padded(left_fills, group.left, group.right)
        rights = _padded(right_fills, group.right, group.left)
        self._fills += lefts + rights
        fuller = [max(a, b) for a, b in zip(lefts, rights)]
        self._fuller += fuller[:-1]
        self.blank_share = 1 - sum(self._fills) / len(self._fills) if self._fills else 0.0
        self.median_fill = median(self._fuller) if self._fuller else 0.0

    @property
    def in_step(self) -> float:
        """Share of rows in step."""
        return self.rows_in_step / self.rows if self.rows else 1.0

    def summary(self) -> str:
        """One line for the build's summary."""
        return (f"{self.pages} pages, {self.spreads} spreads of papers, {self.rows_in_step}/{self.rows} rows in "
                f"step, {self.split_rows} rows continued on the next spread, {self.gaps} gaps, "
                f"{self.blank_pages} empty pages, blank share {self.blank_share:.0%}"
                + (f", median fill of the fuller page {self.median_fill:.0%}" if self._fuller else ""))

    def as_dict(self) -> dict[str, Any]:
        """For ``build --json``."""
        data = asdict(self)
        data["in_step"] = round(self.in_step, 4)
        data["blank_share"] = round(self.blank_share, 4)
        data["median_fill"] = round(self.median_fill, 4)
        return data


def _spreads(breaks: Sequence[int], starts: Sequence[int], own: Sequence[int], other: Sequence[int]) -> list[int]:
    """Each row's spread (from the paper's first), from its page on this side and the groups' lengths."""
    group_pages = [0]
    group_spreads = [0]
    for a, b in zip(own, other):
        group_pages.append(group_pages[-1] + a)
        group_spreads.append(group_spreads[-1] + max(a, b))
    spreads = []
    for start in starts:
        if start < 0:
            spreads.append(-1)
            continue
        group = max(index for index in range(len(own)) if group_pages[index] <= start)
        spreads.append(group_spreads[group] + start - group_pages[group])
    return spreads


def _padded(fills: Sequence[float], own: Sequence[int], other: Sequence[int]) -> list[float]:
    """Per spread of the paper, this side's page fill (0 for an added empty page)."""
    padded: list[float] = []
    at = 0
    for a, b in zip(own, other):
        padded += list(fills[at:at + a]) + [0.0] * (max(a, b) - a)
        at += a
    return padded
