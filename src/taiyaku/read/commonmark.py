"""The CommonMark reading of a body (Hugo's Goldmark, Docusaurus' MDX), where it differs from Python-Markdown's
for the check: a list may interrupt a paragraph without a blank line (``Steps:`` then ``- one`` on the next line),
so a missing list item is one list item, at its line, not a change to the paragraph before.

CommonMark lets a bullet item (``-``, ``*``, ``+``) or an ordered item starting at 1 interrupt a paragraph when
the item is not empty; the lines after it, up to the next item or the end of the block, belong to it.
"""

from __future__ import annotations

import re

from .blocks import LIST_ITEM, Block

_INTERRUPTS = re.compile(r"^([ \t]*)(?:[-*+]|1[.)])[ \t]+\S")


def split_lists(blocks: list[Block]) -> list[Block]:
    """``blocks`` with each paragraph that a list interrupts split into the paragraph and its list items."""
    found: list[Block] = []
    for block in blocks:
        lines = block.text.split("\n")
        if block.kind != "paragraph" or len(lines) < 2 or not any(_INTERRUPTS.match(line) for line in lines[1:]):
            found.append(block)
            continue
        start = next(index for index, line in enumerate(lines) if index and _INTERRUPTS.match(line))
        found.append(_part(block, "paragraph", lines, 0, start, 0))
        at = start
        while at < len(lines):
            end = at + 1
            while end < len(lines) and not LIST_ITEM.match(lines[end]):
                end += 1
            indent = LIST_ITEM.match(lines[at])
            found.append(_part(block, "list-item", lines, at, end, len(indent[1]) if indent else 0))
            at = end
    return found


def _part(block: Block, kind: str, lines: list[str], start: int, end: int, level: int) -> Block:
    """Lines ``start``..``end - 1`` of ``block`` as a block of its own (markers stay with the first part)."""
    return Block(kind, block.line + start, block.line + end - 1, "\n".join(lines[start:end]),  # type: ignore[arg-type]
                 level=level, markers=block.markers if start == 0 else [], references=block.references)
