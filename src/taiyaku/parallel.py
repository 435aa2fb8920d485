"""The parallel reading view: a document beside its translation, block beside block.

Blocks are the top-level elements of each rendered body. Sections pair by heading id (ids come from position,
so they agree across languages, as the checker's heading anchors do), then blocks pair by position within a
section; a block without a counterpart gets an empty cell, so one missing paragraph never shifts the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from markupsafe import Markup

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HEADING = re.compile(r"^<h[1-6][^>]*\bid=\"([^\"]+)\"")


class _TopLevel(HTMLParser):
    """Finds where each top-level element of an HTML fragment starts and ends (character offsets)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.depth = 0
        self.start = 0
        self.spans: list[tuple[int, int]] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.start = self._offset()
        if tag in VOID:
            if self.depth == 0:
                self.spans.append((self.start, self._offset() + len(self.get_starttag_text() or "")))
            return
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            start = self._offset()
            self.spans.append((start, start + len(self.get_starttag_text() or "")))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.depth -= 1
        if self.depth == 0:
            end = self.text.index(">", self._offset()) + 1
            self.spans.append((self.start, end))


def top_level_blocks(html: str) -> list[str]:
    """The top-level elements of an HTML fragment, as strings."""
    parser = _TopLevel(html)
    parser.feed(html)
    parser.close()
    return [html[a:b] for a, b in parser.spans]


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


def _relocate(block: str, prefix: str, base: str) -> str:
    """Make ids and in-page links unique per column (both columns have ``fn:1``), and point relative URLs,
    written for the document's own page, at the same files from the parallel page (``base``)."""
    block = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', block)
    block = re.sub(r'\bhref="#([^"]+)"', lambda m: f'href="#{prefix}{m[1]}"', block)
    return re.sub(r'\b(href|src)="(?![a-z][a-z0-9+.-]*:|#|/)([^"]*)"', lambda m: f'{m[1]}="{base}{m[2]}"', block)


@dataclass(frozen=True)
class Row:
    """One row of the parallel view."""

    left: Markup
    right: Markup
    section: str
    """The heading id of the section the row belongs to (the row of the heading itself carries it as its id)."""


def parallel_rows(left_html: str, right_html: str, left_prefix: str, right_prefix: str,
                  left_base: str = "", right_base: str = "") -> list[Row]:
    """Pair two renderings of one document block by block; ``*_base`` lead from the parallel page to each
    rendering's own page, so that their relative links and images still resolve."""
    left = dict(_sections(top_level_blocks(left_html)))
    right_sections = _sections(top_level_blocks(right_html))
    right = dict(right_sections)
    order = [key for key, _ in _sections(top_level_blocks(left_html))]
    order += [key for key, _ in right_sections if key not in left]
    rows: list[Row] = []
    for key in order:
        a, b = left.get(key, []), right.get(key, [])
        for index in range(max(len(a), len(b))):
            rows.append(Row(
                Markup(_relocate(a[index], left_prefix, left_base)) if index < len(a) else Markup(""),
                Markup(_relocate(b[index], right_prefix, right_base)) if index < len(b) else Markup(""),
                key,
            ))
    return rows
