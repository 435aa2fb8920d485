"""A body split into blocks as its dialect reads it: Python-Markdown, CommonMark (:mod:`.commonmark`) or MDX
(:mod:`.mdx`); and Hugo shortcodes that span lines kept whole.

A shortcode wrapped over lines (``{{< ref "using_helm.md"`` then ``>}})``) leaves a line starting with ``>``,
which Markdown reads as a block quote. The block that starts with the closing delimiter of a shortcode the
block before left open belongs to that block: they are joined, and a block holding only shortcodes is markup.
"""

from __future__ import annotations

import re

from .blocks import Block, ParsedBody
from .commonmark import split_lists
from .mdx import split_mdx
from .splitter import split_blocks

_OPEN = re.compile(r"\{\{[<%]")
_CLOSE = re.compile(r"[>%]\}\}")
_CLOSING_LINE = re.compile(r"^\s*[>%]\}\}")
_ONLY_SHORTCODES = re.compile(r"\{\{[<%].*?[%>]\}\}|\s+", re.S)


def split_body(body: str, first_line: int, mdx: bool = False, commonmark: bool = False) -> ParsedBody:
    """Split a body (front matter removed) that starts at file line ``first_line``; MDX is CommonMark."""
    parsed = split_mdx(body, first_line) if mdx else split_blocks(body, first_line)
    if commonmark or mdx:
        parsed.blocks = split_lists(parsed.blocks)
    if "{{" in body:
        parsed.blocks = join_shortcodes(parsed.blocks)
    return parsed


def join_shortcodes(blocks: list[Block]) -> list[Block]:
    """``blocks`` with each block that closes a shortcode the previous one opened joined to it."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if previous is not None and _CLOSING_LINE.match(block.text) and block.line == previous.end_line + 1 \
                and len(_OPEN.findall(previous.text)) > len(_CLOSE.findall(previous.text)):
            text = previous.text + "\n" + block.text
            kind = "shortcode" if not _ONLY_SHORTCODES.sub("", text) else previous.kind
            joined[-1] = Block(kind, previous.line, block.end_line, text, level=previous.level,  # type: ignore[arg-type]
                               label=previous.label, table=previous.table, header=previous.header,
                               markers=previous.markers, references=previous.references)
            continue
        joined.append(block)
    return joined
