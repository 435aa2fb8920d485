"""What of a block is syntax and what is text: a block's frame (list markers, ``> ``, ``[^1]: ``, a heading's
``#`` and ``{#id}``, a table row's pipes) around the content a translator translates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..read.blocks import FOOTNOTE_DEF, LIST_ITEM, TEXTLESS_KINDS, Block
from .inline import Segment, Tag, Tokenizer, read_segment

_ATX = re.compile(r"^( {0,3}#{1,6}[ \t]*)(.*?)((?:[ \t]+\{[^}]*\})?(?:[ \t]+#+)?[ \t]*)$")
_QUOTE_PREFIX = re.compile(r"^ {0,3}> ?")
_CAPTION_PREFIX = re.compile(r"^\s*: ?")
_CELL_SPLIT = re.compile(r"[ \t]*(?<!\\)\|[ \t]*")
_ROW_EDGES = re.compile(r"^([ \t]*\|?[ \t]*)(.*?)([ \t]*(?<!\\)\|?[ \t]*)$")


@dataclass(frozen=True)
class Frame:
    """What of a block is syntax, not text: each line's prefix (``- ``, ``> ``, ``[^1]: ``, indentation), the end
    of its last line (a heading's ``{#id}``), and whether it is a table row (cells) or a one-line block."""

    prefixes: tuple[str, ...]
    suffix: str = ""
    table: bool = False
    single_line: bool = False
    continuation: str = ""
    """The prefix of lines past the original's last (a translation may have more lines)."""

    def wrap(self, markdown: str) -> list[str]:
        """The block's lines for ``markdown`` (the content as :func:`~.inline.write_segment` wrote it)."""
        lines = markdown.split("\n")
        out = []
        for index, line in enumerate(lines):
            prefix = self.prefixes[index] if index < len(self.prefixes) else self.continuation
            out.append(prefix + line if line or index == 0 else line)
        out[-1] += self.suffix
        return out


def frame_of(block: Block) -> tuple[Frame, str] | None:
    """A block's frame and its content (the Markdown a translator translates); ``None`` for a block without text."""
    if block.kind in TEXTLESS_KINDS:
        return None
    lines = block.text.split("\n")
    if block.kind == "heading":
        match = _ATX.match(lines[0])
        if match and len(lines) == 1:
            return Frame((match[1],), match[3], single_line=True), match[2]
        return Frame(("",), "\n" + "\n".join(lines[1:]), single_line=True), lines[0]
    if block.kind == "table-row":
        match = _ROW_EDGES.match(lines[0])
        assert match is not None
        return Frame((match[1],), match[3], table=True), match[2]
    first = {"list-item": LIST_ITEM, "footnote": FOOTNOTE_DEF, "quote": _QUOTE_PREFIX,
             "caption": _CAPTION_PREFIX}.get(block.kind)
    prefixes, contents = [], []
    for index, line in enumerate(lines):
        pattern = first if index == 0 else (_QUOTE_PREFIX if block.kind == "quote" else None)
        match = pattern.match(line) if pattern else None
        prefix = match[0] if match else re.match(r"[ \t]*", line)[0]  # type: ignore[index]
        prefixes.append(prefix)
        contents.append(line[len(prefix):])
    if len(prefixes) > 1:
        continuation = prefixes[1]
    elif block.kind == "quote":
        continuation = prefixes[0]
    elif block.kind in ("list-item", "footnote"):
        continuation = " " * (4 if block.kind == "footnote" else len(prefixes[0]))
    else:
        continuation = ""
    return Frame(tuple(prefixes), continuation=continuation), "\n".join(contents)


def segment_of(block: Block) -> Segment | None:
    """A block's content as a segment (a table row's cells joined by ``x-cell`` placeholders)."""
    framed = frame_of(block)
    if framed is None:
        return None
    frame, content = framed
    return row_segment(content) if frame.table else read_segment(content)


def row_segment(content: str) -> Segment:
    """A table row's content (its edge pipes left out): its cells, joined by ``x-cell`` placeholders."""
    tokenizer = Tokenizer()
    cells = _CELL_SPLIT.split(content)
    joints = _CELL_SPLIT.findall(content)
    segment: Segment = []
    for index, cell in enumerate(cells):
        segment.extend(tokenizer.run(cell))
        if index < len(joints):
            segment.append(Tag("ph", tokenizer.new_id(), joints[index], "x-cell"))
    return segment
