"""MDX (``.mdx``, Docusaurus): Markdown with ESM statements, JSX elements and ``{…}`` expressions.

The lines that hold only such markup (``import Tabs from '@theme/Tabs';``, ``<Tabs groupId="os">``, a ``<TabItem``
spread over several lines, ``{/* a comment */}``, ``</Tabs>``) are cut out before the Markdown splitter reads
the body and become ``html`` blocks of their own: markup, never prose to translate, yet blocks the structure
check counts (a ``<TabItem>`` missing from the translation is reported). Lines that mix JSX and prose
(``<Link to="/x">the guide</Link> explains it``) stay Markdown: their tags are left out of the plain text like
HTML tags. Fenced code is never looked into.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Sequence

from .blocks import Block, ParsedBody
from .splitter import split_blocks

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ESM = re.compile(r"^(?:import|export)\b")
_TAG_START = re.compile(r"<(?:/?[A-Za-z][\w.:-]*|>|/>)")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][\w.+-]*:[^\s>]*|[^\s>@]+@[^\s>]+)>")
"""``<https://x>``, ``<mailto:…>``, ``<a@b.c>``: Markdown autolinks, not tags."""


def is_mdx(rel_path: str, globs: Sequence[str] = ("*.mdx",)) -> bool:
    """Whether a file (its path inside its group) is read as MDX: ``[content] mdx`` globs, ``*.mdx`` by default."""
    return any(fnmatch.fnmatchcase(rel_path, glob) for glob in globs)


def split_mdx(body: str, first_line: int) -> ParsedBody:
    """Split an MDX body (front matter removed) that starts at file line ``first_line``; JSX and ESM lines are
    ``html`` blocks, the rest is Markdown."""
    lines = body.split("\n")
    runs = markup_runs(lines)
    if not runs:
        parsed = split_blocks(body, first_line)
        parsed.blocks = _no_indented_code(parsed.blocks)
        return parsed
    markdown = list(lines)
    for start, end in runs:
        markdown[start:end] = [""] * (end - start)
    parsed = split_blocks("\n".join(markdown), first_line)
    jsx = [Block("html", first_line + start, first_line + end - 1, "\n".join(lines[start:end])) for start, end in runs]
    parsed.blocks = sorted(_no_indented_code(parsed.blocks) + jsx, key=lambda block: block.line)
    return parsed


def _no_indented_code(blocks: list[Block]) -> list[Block]:
    """MDX has no indented code (only fences): indented lines are HTML (``<td>`` rows of a table) or text."""
    found = []
    for block in blocks:
        if block.kind == "code" and not _FENCE.match(block.text):
            kind = "html" if block.text.lstrip().startswith("<") else "paragraph"
            block = Block(kind, block.line, block.end_line, block.text, markers=block.markers,  # type: ignore[arg-type]
                          references=block.references)
        found.append(block)
    return found


def markup_runs(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges ``[start, end)`` that hold only ESM, JSX tags and expressions (outside fenced code)."""
    runs: list[tuple[int, int]] = []
    index = 0
    fence: str | None = None
    while index < len(lines):
        line = lines[index]
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence) and not line.strip()[len(opening[1]):].strip():
                fence = None
            index += 1
            continue
        if opening:
            fence = opening[1]
            index += 1
            continue
        end = _markup_end(lines, index)
        if end is None:
            index += 1
            continue
        if runs and runs[-1][1] == index:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((index, end))
        index = end
    return runs


def _markup_end(lines: list[str], index: int) -> int | None:
    """The line after the markup that starts at ``lines[index]``, or ``None`` when the line is not only markup."""
    line = lines[index]
    stripped = line.strip()
    if not stripped:
        return None
    if _ESM.match(line):
        return _statement_end(lines, index)
    if not (stripped.startswith("{") or _TAG_START.match(stripped)) or _AUTOLINK.match(stripped):
        return None
    # Read tags and expressions, across lines if a tag or an expression spans them, until the end of a line
    # that leaves neither open; any prose character outside them means the line is Markdown.
    at, row = 0, index
    text = line
    while True:
        while at < len(text) and text[at] in " \t;":
            at += 1
        if at == len(text):
            return row + 1
        if text[at] == "{":
            closed = _balanced(lines, row, at, "{", "}")
        elif _TAG_START.match(text, at):
            closed = _tag_end(lines, row, at)
        else:
            return None
        if closed is None:
            return None
        row, at = closed
        text = lines[row]


def _statement_end(lines: list[str], index: int) -> int:
    """The line after an ``import``/``export`` statement (brackets balanced at a line's end, or a blank line)."""
    depth = 0
    row = index
    while row < len(lines):
        if not lines[row].strip() and row > index:
            return row
        depth += sum(lines[row].count(c) for c in "{([") - sum(lines[row].count(c) for c in "})]")
        row += 1
        if depth <= 0:
            return row
    return row


def _balanced(lines: list[str], row: int, at: int, open_: str, close: str) -> tuple[int, int] | None:
    """Where a bracketed expression starting at ``lines[row][at]`` ends (row, column after it); quotes skipped."""
    depth, quote = 0, ""
    while row < len(lines):
        text = lines[row]
        while at < len(text):
            char = text[at]
            if quote:
                if char == quote and text[at - 1] != "\\":
                    quote = ""
            elif char in "\"'`":
                quote = char
            elif char == open_:
                depth += 1
            elif char == close:
                depth -= 1
                if depth == 0:
                    return row, at + 1
            at += 1
        row, at = row + 1, 0
    return None


def _tag_end(lines: list[str], row: int, at: int) -> tuple[int, int] | None:
    """Where a JSX tag starting at ``lines[row][at]`` ends (after its ``>``), attributes' ``{…}`` and quotes
    skipped."""
    quote = ""
    at += 1
    while row < len(lines):
        text = lines[row]
        while at < len(text):
            char = text[at]
            if quote:
                if char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == "{":
                closed = _balanced(lines, row, at, "{", "}")
                if closed is None:
                    return None
                row, at = closed
                text = lines[row]
                continue
            elif char == ">":
                return row, at + 1
            at += 1
        row, at = row + 1, 0
        if row < len(lines) and not lines[row].strip():
            return None  # a blank line inside a tag: not JSX after all
    return None
