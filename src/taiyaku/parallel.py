"""The parallel reading view: a document beside its translation, block beside block.

Blocks are the top-level elements of each rendered body. Sections pair by heading id (ids come from position,
so they agree across languages, as the checker's heading anchors do), then blocks pair by position within a
section; a block without a counterpart gets an empty cell, so one missing paragraph never shifts the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from .read.align import Alignment
from .read.blocks import Block

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HEADING = re.compile(r"^<h[1-6][^>]*\bid=\"([^\"]+)\"")


_MARKUP = re.compile(r"""<!--.*?-->|<![^>]*>|<\?[^>]*>|<(/?)([A-Za-z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""",
                     re.S)
"""A comment, a declaration, a processing instruction, or a tag (quoted attribute values may hold ``>``)."""
RAW = {"script", "style", "textarea", "title"}
"""Elements whose content is text, not markup (``<`` inside them opens nothing)."""


def top_level_blocks(html: str) -> list[str]:
    """The top-level elements of an HTML fragment, as strings (text and comments between them dropped).

    A scan of the tags with a depth count rather than :class:`html.parser.HTMLParser`, which only the offsets
    were wanted from: the bodies are Python-Markdown's output (raw HTML from authors included), and the scan is
    4–5× faster on a 5 MB body (0.17 s against 0.72 s; a 5 MB table 0.55 s against 2.3 s), with the same blocks.
    """
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    position = 0
    while (match := _MARKUP.search(html, position)) is not None:
        position = match.end()
        closing, tag = match.group(1), match.group(2)
        if tag is None:
            continue  # a comment, declaration or processing instruction
        tag = tag.lower()
        if closing:
            if tag in VOID or depth == 0:
                continue  # a stray end tag opens and closes nothing
            depth -= 1
            if depth == 0:
                spans.append((start, position))
            continue
        if depth == 0:
            start = match.start()
        if tag in VOID or match.group(3).rstrip().endswith("/"):
            if depth == 0:
                spans.append((start, position))
            continue
        if tag in RAW:
            # Its text runs to its own end tag, whatever it holds.
            end = re.compile(rf"</{tag}\s*>", re.I).search(html, position)
            position = end.end() if end is not None else len(html)
            if depth == 0:
                spans.append((start, position))
            continue
        depth += 1
    return [html[a:b] for a, b in spans]


def _sections(blocks: list[str]) -> list[tuple[str, list[str]]]:
    """Blocks grouped under the heading that opens them (``""`` before the first heading)."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for block in blocks:
        match = HEADING.match(block)
        if match:
            sections.append((match[1], [block]))
        else:
            sections[-1][1].append(block)
    return sections


def _relocate(block: str, prefix: str) -> str:
    """Make ids and in-page links unique per column (both columns have ``fn:1``).

    Links to other pages and images are references until the page is written (``urls.resolve_references``), so
    nothing here depends on where the parallel page lives.
    """
    block = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', block)
    return re.sub(r'\bhref="#([^"]+)"', lambda m: f'href="#{prefix}{m[1]}"', block)


@dataclass(frozen=True)
class Row:
    """One row of the parallel view."""

    left: Markup
    right: Markup
    section: str
    """The heading id of the section the row belongs to (the row of the heading itself carries it as its id)."""


def html_units(blocks: list[Block]) -> dict[int, int]:
    """Which top-level HTML element each Markdown block becomes: block ``id()`` → element index.

    Table rows of one table and its caption, the items of one list and quotes of one group make one element;
    footnote definitions make none (they go to the notes at the end).
    """
    units: dict[int, int] = {}
    count = -1
    previous: Block | None = None
    for block in sorted(blocks, key=lambda b: b.line):
        kind = block.kind
        if kind == "footnote":
            continue
        joins = previous is not None and (
            (kind == "table-row" and previous.kind == "table-row" and previous.table == block.table)
            or (kind in ("list-item", "quote") and previous.kind == kind and previous.group == block.group)
            or (kind == "caption" and previous.kind == "table-row" and previous.table == block.table)
            or (kind == "table-row" and previous.kind == "caption" and previous.table == block.table))
        if not joins:
            count += 1
        units[id(block)] = count
        previous = block
    return units


def _all_blocks(alignment: Alignment) -> tuple[list[Block], list[Block]]:
    source: list[Block] = []
    translation: list[Block] = []
    for src_section, trans_section, pairs in alignment.sections:
        if src_section is not None and src_section.heading is not None:
            source.append(src_section.heading)
        if trans_section is not None and trans_section.heading is not None:
            translation.append(trans_section.heading)
        for pair in pairs:
            source.extend(pair.source)
            translation.extend(pair.translation)
    translation.extend(alignment.added)
    return source, translation


def aligned_pairs(alignment: Alignment, left_is_source: bool, left: list[str], right: list[str]
                   ) -> list[tuple[list[int], list[int]]] | None:
    """Element indexes of the two bodies paired as the checker aligned their blocks; ``None`` when the
    checker's blocks do not map one to one onto the rendered elements."""
    source_blocks, translation_blocks = _all_blocks(alignment)
    source_units, translation_units = html_units(source_blocks), html_units(translation_blocks)
    if not left_is_source:
        left, right = right, left
    if len(set(source_units.values())) != len(left) or len(set(translation_units.values())) != len(right):
        return None
    steps: list[tuple[list[int], list[int]]] = []
    for src_section, trans_section, pairs in alignment.sections:
        heads = ([source_units[id(src_section.heading)]] if src_section and src_section.heading else [],
                 [translation_units[id(trans_section.heading)]] if trans_section and trans_section.heading else [])
        if heads != ([], []):
            steps.append(heads)
        for pair in pairs:
            steps.append(([source_units[id(b)] for b in pair.source],
                          [translation_units[id(b)] for b in pair.translation]))
    # Blocks the alignment leaves out (a translator's added note) follow what comes before them.
    for block in alignment.added:
        index = translation_units[id(block)]
        at = max((n for n, (_, t) in enumerate(steps) if t and max(t) < index), default=-1)
        steps.insert(at + 1, ([], [index]))
    seen_left: set[int] = set()
    seen_right: set[int] = set()
    result = []
    for a, b in steps:
        a = [i for i in dict.fromkeys(a) if i not in seen_left]
        b = [i for i in dict.fromkeys(b) if i not in seen_right]
        seen_left.update(a)
        seen_right.update(b)
        if a or b:
            result.append((a, b) if left_is_source else (b, a))
    missing = (set(range(len(left))) - seen_left, set(range(len(right))) - seen_right)
    return None if missing[0] or missing[1] else result


def parallel_rows(left_html: str, right_html: str, left_prefix: str, right_prefix: str,
                  alignment: Alignment | None = None, left_is_source: bool = True) -> list[Row]:
    """Pair two renderings of one document block by block.

    With the checker's ``alignment`` (source → translation), a paragraph missing from the translation is a
    gap beside its source; without one, blocks pair by heading id, then by position within a section.
    """
    left_blocks, right_blocks = top_level_blocks(left_html), top_level_blocks(right_html)
    notes = ("", "")
    if left_blocks and left_blocks[-1].startswith('<div class="footnote"'):
        notes = (left_blocks.pop(), notes[1])
    if right_blocks and right_blocks[-1].startswith('<div class="footnote"'):
        notes = (notes[0], right_blocks.pop())
    paired = aligned_pairs(alignment, left_is_source, left_blocks, right_blocks) if alignment else None
    if paired is None:
        rows = _positional_rows(left_blocks, right_blocks, left_prefix, right_prefix)
    else:
        rows = []
        section = ""
        for a, b in paired:
            first = left_blocks[a[0]] if a else right_blocks[b[0]]
            match = HEADING.match(first)
            if match:
                section = match[1]
            rows.append(Row(Markup("".join(_relocate(left_blocks[i], left_prefix) for i in a)),
                            Markup("".join(_relocate(right_blocks[i], right_prefix) for i in b)), section))
    if notes != ("", ""):
        rows.append(Row(Markup(_relocate(notes[0], left_prefix)), Markup(_relocate(notes[1], right_prefix)),
                        rows[-1].section if rows else ""))
    return rows


def _positional_rows(left_blocks: list[str], right_blocks: list[str], left_prefix: str,
                     right_prefix: str) -> list[Row]:
    left = dict(_sections(left_blocks))
    right_sections = _sections(right_blocks)
    right = dict(right_sections)
    order = [key for key, _ in _sections(left_blocks)]
    order += [key for key, _ in right_sections if key not in left]
    rows: list[Row] = []
    for key in order:
        a, b = left.get(key, []), right.get(key, [])
        for index in range(max(len(a), len(b))):
            rows.append(Row(
                Markup(_relocate(a[index], left_prefix)) if index < len(a) else Markup(""),
                Markup(_relocate(b[index], right_prefix)) if index < len(b) else Markup(""),
                key,
            ))
    return rows
