"""Align a source body with its translation block by block: headings are the anchors, then the blocks between.

Sections (a heading and the blocks up to the next one) are aligned first, a section matching only one of the
same level; then the blocks inside each pair of sections. Both steps maximise the number of matched items and,
among equally many, the similarity of what survives translation: numbers, footnote calls, link and image
targets, inline code, and each block's share of its document's length. Footnote definitions are matched by
label, not by position. Translators' markers (``merged``, ``split``, ``added``, ``omitted``) shape the units
that are aligned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence, TypeVar

from .blocks import Block, Marker, cached_property, link_key
from .numbers import Value


@dataclass(eq=False)
class Unit:
    """Translation blocks that stand for ``span`` consecutive source blocks (usually one block for one)."""

    blocks: list[Block]
    span: int = 1
    marker: Marker | None = None
    """The ``merged``/``split``/``omitted`` marker that made this unit, if any."""

    @property
    def first(self) -> Block | None:
        """The unit's first block (``None`` for an ``omitted`` placeholder)."""
        return self.blocks[0] if self.blocks else None


@dataclass(eq=False)
class Pair:
    """Source blocks and the translation unit that stands for them; either side may be empty (a gap)."""

    source: list[Block]
    unit: Unit | None

    @property
    def translation(self) -> list[Block]:
        """The translation blocks of the pair."""
        return self.unit.blocks if self.unit else []


@dataclass(eq=False)
class Section:
    """A heading (``None`` for the text before the first heading) and the items up to the next heading."""

    heading: Block | None
    items: list = field(default_factory=list)  # list[Block] for a source, list[Unit] for a translation

    @property
    def level(self) -> int:
        """The heading's level; 0 for the preamble."""
        return self.heading.level if self.heading else 0

    def blocks(self) -> list[Block]:
        """Every block of the section, heading first."""
        found = [self.heading] if self.heading else []
        for item in self.items:
            found.extend(item.blocks if isinstance(item, Unit) else [item])
        return found


@dataclass
class Alignment:
    """The result: matched sections with their block pairs, and the sections only one side has."""

    sections: list[tuple[Section | None, Section | None, list[Pair]]]
    """(source section, translation section, block pairs); a ``None`` section has no counterpart."""
    footnotes: list[tuple[Block | None, Block | None]]
    """Footnote definitions paired by label; ``None`` where one side lacks the label."""
    added: list[Block]
    """Translation blocks marked ``added`` (a translator's note): not aligned, not reported."""

    def source_map(self) -> dict[int, Block | None]:
        """Source block line → the first translation block that stands for it (``None``: no counterpart)."""
        found: dict[int, Block | None] = {}
        for source, translation, pairs in self.sections:
            if source and source.heading:
                found[source.heading.line] = translation.heading if translation else None
            for pair in pairs:
                for block in pair.source:
                    found[block.line] = pair.translation[0] if pair.translation else None
        for src, trans in self.footnotes:
            if src:
                found[src.line] = trans
        return found


@dataclass(frozen=True)
class _Features:
    """What a block keeps across languages, for scoring matches."""

    anchors: frozenset[object]
    length: float
    """The block's share of its document's visible text."""


class _Scorer:
    """Similarity of source and translation items, from features computed once per block."""

    def __init__(self, source: Sequence[Block], translation: Sequence[Block]) -> None:
        self.source = source
        self.translation = translation
        self.cache: dict[int, _Features] = {}

    @cached_property
    def source_total(self) -> int:
        """Visible characters of the source (computed only if some alignment is not one for one)."""
        return sum(len(b.plain) for b in self.source) or 1

    @cached_property
    def translation_total(self) -> int:
        """Visible characters of the translation."""
        return sum(len(b.plain) for b in self.translation) or 1

    @cached_property
    def position(self) -> dict[int, float]:
        """Where each block sits in its document (0 … 1): between otherwise alike candidates, keep the order."""
        found = {id(b): i / max(1, len(self.source) - 1) for i, b in enumerate(self.source)}
        found |= {id(b): i / max(1, len(self.translation) - 1) for i, b in enumerate(self.translation)}
        return found

    def features(self, blocks: Sequence[Block], total: int) -> _Features:
        anchors: set[object] = set()
        length = 0
        for block in blocks:
            cached = self.cache.get(id(block))
            if cached is None:
                cached = _Features(_anchors(block), len(block.plain) / total)
                self.cache[id(block)] = cached
            anchors |= cached.anchors
            length += cached.length
        return _Features(frozenset(anchors), length)

    def similarity(self, source: Sequence[Block], translation: Sequence[Block]) -> float:
        """0 (nothing in common) … 1 (same anchors, same share of the text)."""
        a = self.features(source, self.source_total)
        b = self.features(translation, self.translation_total)
        parts = []
        if a.anchors or b.anchors:
            parts.append(len(a.anchors & b.anchors) / len(a.anchors | b.anchors))
        high = max(a.length, b.length)
        parts.append(min(a.length, b.length) / high if high else 1.0)
        if source and translation:
            parts.append(1.0 - abs(self.position.get(id(source[0]), 0.0) - self.position.get(id(translation[0]), 0.0)))
        return sum(parts) / len(parts)


def _anchors(block: Block) -> frozenset[object]:
    values: set[object] = set()
    values |= {("n", v) for v in _numbers(block)}
    values |= {("f", label) for label in block.footnote_refs}
    values |= {("l", link_key(target)) for target in block.links}
    values |= {("i", target.rsplit("/", 1)[-1]) for target in block.images}
    values |= {("c", code) for code in block.code_spans}
    return frozenset(values)


def _numbers(block: Block) -> set[Value]:
    return {value for _, values in block.numbers for value in values}


T = TypeVar("T")
U = TypeVar("U")


def _align(source: Sequence[T], translation: Sequence[U], span: Callable[[U], int],
           score: Callable[[Sequence[T], U], float | None]) -> list[tuple[list[T], U | None]]:
    """Needleman–Wunsch without gap costs: as many matches as possible, then the highest total score.

    A translation item covers ``span(item)`` source items; ``score`` returns ``None`` when the two may not match.
    Returns pairs in order: (source items, translation item), (source items, None), ([], translation item).
    """
    n, m = len(source), len(translation)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1 diagonal, 2 source gap, 3 translation gap
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            choices: list[tuple[float, int]] = []
            if j > 0:
                k = span(translation[j - 1])
                if k <= i:
                    value = score(source[i - k : i], translation[j - 1])
                    if value is not None:
                        choices.append((best[i - k][j - 1] + value, 1))
                choices.append((best[i][j - 1], 3))
            if i > 0:
                choices.append((best[i - 1][j], 2))
            # Prefer a match on ties, then a missing source item before an extra translation item.
            value, how = max(choices, key=lambda c: (c[0], -c[1]))
            best[i][j], move[i][j] = value, how
    pairs: list[tuple[list[T], U | None]] = []
    i, j = n, m
    while i > 0 or j > 0:
        how = move[i][j]
        if how == 1:
            k = span(translation[j - 1])
            pairs.append((list(source[i - k : i]), translation[j - 1]))
            i, j = i - k, j - 1
        elif how == 2:
            pairs.append(([source[i - 1]], None))
            i -= 1
        else:
            pairs.append(([], translation[j - 1]))
            j -= 1
    pairs.reverse()
    return pairs


def make_units(blocks: list[Block], trailing: list[Marker]) -> tuple[list[Unit], list[Block]]:
    """Translation blocks grouped by their markers; also the blocks marked ``added``."""
    units: list[Unit] = []
    added: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        directives = {m.directive: m for m in block.markers}
        if "omitted" in directives:
            units.append(Unit([], directives["omitted"].count, directives["omitted"]))
        if "added" in directives:
            added.append(block)
            index += 1
            continue
        if "split" in directives:
            count = max(1, directives["split"].count)
            group = [block]
            # A split never runs past a heading: sections stay intact.
            while len(group) < count and index + len(group) < len(blocks) \
                    and blocks[index + len(group)].kind != "heading":
                group.append(blocks[index + len(group)])
            units.append(Unit(group, 1, directives["split"]))
            index += len(group)
            continue
        if "merged" in directives:
            units.append(Unit([block], max(1, directives["merged"].count), directives["merged"]))
        else:
            units.append(Unit([block]))
        index += 1
    for marker in trailing:
        if marker.directive == "omitted":
            units.append(Unit([], marker.count, marker))
    return units, added


def _sections(items: list, heading_of: Callable[[object], Block | None]) -> list[Section]:
    sections = [Section(None)]
    for item in items:
        heading = heading_of(item)
        if heading is not None:
            sections.append(Section(heading))
        else:
            sections[-1].items.append(item)
    return sections


def align(source_blocks: list[Block], translation_blocks: list[Block], trailing: list[Marker]) -> Alignment:
    """Align a source body's blocks with its translation's."""
    source_notes = {b.label: b for b in source_blocks if b.kind == "footnote"}
    translation_notes = {b.label: b for b in translation_blocks if b.kind == "footnote"}
    source_body = [b for b in source_blocks if b.kind != "footnote"]
    units, added = make_units([b for b in translation_blocks if b.kind != "footnote"], trailing)
    scorer = _Scorer(source_body, [b for u in units for b in u.blocks])

    source_sections = _sections(source_body, lambda b: b if b.kind == "heading" else None)  # type: ignore[attr-defined]
    translation_sections = _sections(
        units, lambda u: u.first if u.first is not None and u.first.kind == "heading" and u.span == 1
        and len(u.blocks) == 1 else None)  # type: ignore[attr-defined]

    def section_score(src: Sequence[Section], trans: Section) -> float | None:
        a = src[0]
        if a.level != trans.level:
            return None
        if a.heading and trans.heading and a.heading.label and trans.heading.label \
                and a.heading.label != trans.heading.label:
            return None
        return 1.0 + scorer.similarity(a.blocks(), trans.blocks())

    if [s.level for s in source_sections] == [s.level for s in translation_sections]:
        section_pairs = [([s], t) for s, t in zip(source_sections, translation_sections)]
    else:
        section_pairs = _align(source_sections, translation_sections, lambda s: 1, section_score)

    result: list[tuple[Section | None, Section | None, list[Pair]]] = []
    for src_list, trans_section in section_pairs:
        src_section = src_list[0] if src_list else None
        pairs = _align_blocks(src_section.items, trans_section.items, scorer) \
            if src_section is not None and trans_section is not None else []
        result.append((src_section, trans_section, pairs))

    labels = list(source_notes) + [label for label in translation_notes if label not in source_notes]
    footnotes = [(source_notes.get(label), translation_notes.get(label)) for label in labels]
    return Alignment(result, footnotes, added)


def _align_blocks(source: list[Block], units: list[Unit], scorer: _Scorer) -> list[Pair]:
    """Pairs of one section: one for one when the kinds line up, otherwise the best alignment."""
    if len(source) == len(units) and all(
            u.span == 1 and len(u.blocks) == 1 and u.blocks[0].kind == s.kind for s, u in zip(source, units)):
        return [Pair([s], u) for s, u in zip(source, units)]

    def score(src: Sequence[Block], unit: Unit) -> float | None:
        if not unit.blocks:
            return 2.0  # an ``omitted`` placeholder stands for any source blocks
        similarity = scorer.similarity(src, unit.blocks)
        if src[0].kind == unit.blocks[0].kind:
            return 2.0 + similarity
        # A kind that differs still pairs (and is reported) rather than leaving two gaps.
        return 0.5 + similarity / 2

    return [Pair(src, unit) for src, unit in _align(source, units, lambda u: u.span, score)]

