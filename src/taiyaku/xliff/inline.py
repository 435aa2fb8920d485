"""A block's inline Markdown as a translator's segment, and back.

A segment is text between protected tags: emphasis, strong, link text and image alt text are *paired* tags
(``bpt``/``ept`` around translatable text), footnote calls, inline code and math, inline HTML, shortcodes,
attribute lists and URLs are *placeholders* (``ph``). Each tag carries the Markdown it stands for (its native code); on
the way back only the code the export made is written, and all text is escaped so that it renders as the same
text (``<script>`` stays ``<script>`` on the page, never an element).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal, Union

from ..read.grammar import MATH, SHORTCODE

TagKind = Literal["bpt", "ept", "ph"]


@dataclass(frozen=True)
class Tag:
    """A protected piece of Markdown inside a segment."""

    kind: TagKind
    id: str
    """Pairs a ``bpt`` with its ``ept``; unique per segment otherwise."""
    code: str
    """The Markdown it stands for (``[``, ``](https://…)``, ``[^3]``, `` `x` ``)."""
    ctype: str
    """What it is: ``bold``, ``italic``, ``link``, ``x-image``, ``x-footnote``, ``x-code``, ``x-html``…"""

    @property
    def label(self) -> str:
        """How messages name the tag: ``link <bpt id=2> '['``."""
        return f"{self.ctype.removeprefix('x-')} <{self.kind} id={self.id}> {self.code!r}"


Piece = Union[str, Tag]
Segment = list[Piece]


def joined(pieces: Segment) -> Segment:
    """``pieces`` with neighbouring texts joined into one (a reader's pieces, as the exchange file split them)."""
    merged: Segment = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
"""Python-Markdown's escapable characters (``|`` with tables)."""
_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_ANGLE = re.compile(r"<!--.*?-->|<\?.*?\?>|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<(?:https?|mailto|ftp):[^<>\s]+>", re.S)
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\](?!:)")
_LINK_TAIL = re.compile(r"\]\(\s*<?[^)\s>]*>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)|\]\[[^\]]*\]")
_BARE_URL = re.compile(r"https?://[^\s<>)\]]*[^\s<>)\].,;:!?'\"]")
_ATTR = re.compile(r"\{:?[ \t]*[#.:][^}\n]*\}")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_STAR = re.compile(r"(\*{1,3})(?=[^\s*])(.+?)(?<=[^\s*\\])\1(?!\*)", re.S)
_UNDER = re.compile(r"(?<![\w\\])(_{1,3})(?=[^\s_])(.+?)(?<=[^\s_\\])\1(?![\w_])", re.S)
_NEXT = re.compile(r"[\\`{<\[!*_&$]|https?://")
_EMPHASIS_TYPES = {1: "italic", 2: "bold", 3: "x-bold-italic"}


class Tokenizer:
    """One block's inline Markdown into pieces; ids are numbered in order of appearance."""

    def __init__(self) -> None:
        self.next_id = 1

    def new_id(self) -> str:
        """The next tag id of the segment."""
        found = str(self.next_id)
        self.next_id += 1
        return found

    def run(self, text: str) -> Segment:
        """The pieces of ``text``: strings (escapes and character references resolved) and tags."""
        pieces: Segment = []
        buffer: list[str] = []
        index = 0

        def flush() -> None:
            if buffer:
                pieces.append("".join(buffer))
                buffer.clear()

        while index < len(text):
            found = _NEXT.search(text, index)
            if found is None:
                buffer.append(text[index:])
                break
            start = found.start()
            buffer.append(text[index:start])
            taken = self._take(text, start)
            if taken is None:
                buffer.append(text[start])
                index = start + 1
                continue
            made, index = taken
            if isinstance(made, str):
                buffer.append(made)
                continue
            flush()
            pieces.extend(made)
        flush()
        return [piece for piece in pieces if piece != ""]

    def _ph(self, code: str, ctype: str) -> list[Piece]:
        return [Tag("ph", self.new_id(), code, ctype)]

    def _pair(self, opening: str, inner: str, closing: str, ctype: str) -> list[Piece]:
        tag_id = self.new_id()
        return [Tag("bpt", tag_id, opening, ctype), *self.run(inner), Tag("ept", tag_id, closing, ctype)]

    def _take(self, text: str, start: int) -> tuple[str | list[Piece], int] | None:
        """What starts at ``start``: an escaped character (text), tags, or ``None`` (a plain character)."""
        char = text[start]
        if char in "\\$":
            math = MATH.match(text, start)
            if math:
                return self._ph(math[0], "x-math"), math.end()
        if char == "$":
            return None
        if char == "\\":
            match = _ESCAPE.match(text, start)
            return (match[1], match.end()) if match else None
        if char == "&":
            match = _ENTITY.match(text, start)
            return (html.unescape(match[0]), match.end()) if match else None
        for pattern, ctype in ((_CODE, "x-code"), (SHORTCODE, "x-shortcode"), (_ATTR, "x-attributes")):
            match = pattern.match(text, start)
            if match:
                return self._ph(match[0], ctype), match.end()
        if char == "<":
            match = _ANGLE.match(text, start)
            if match:
                ctype = "x-url" if re.match(r"<(?:https?|mailto|ftp):", match[0]) else "x-html"
                return self._ph(match[0], ctype), match.end()
            return None
        if char == "h":
            match = _BARE_URL.match(text, start)
            if match and (start == 0 or not text[start - 1].isalnum()):
                return self._ph(match[0], "x-url"), match.end()
            return None
        if char == "[" or (char == "!" and text.startswith("![", start)):
            return self._bracket(text, start)
        if char == "*":
            match = _STAR.match(text, start)
            if match and (start == 0 or text[start - 1] != "*"):
                return self._pair(match[1], match[2], match[1], _EMPHASIS_TYPES[len(match[1])]), match.end()
            return None
        if char == "_":
            match = _UNDER.match(text, start)
            if match and (start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "\\")):
                return self._pair(match[1], match[2], match[1], _EMPHASIS_TYPES[len(match[1])]), match.end()
        return None

    def _bracket(self, text: str, start: int) -> tuple[list[Piece], int] | None:
        """A footnote call, a link or an image (``[`` … ``](url)`` / ``][ref]``) starting at ``start``."""
        match = _FOOTNOTE.match(text, start)
        if match:
            return self._ph(match[0], "x-footnote"), match.end()
        image = text.startswith("![", start)
        opening = "![" if image else "["
        depth, index = 0, start + len(opening)
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char == "[":
                depth += 1
            elif char == "]":
                if depth == 0:
                    break
                depth -= 1
            index += 1
        else:
            return None
        tail = _LINK_TAIL.match(text, index)
        if tail is None:
            return None
        inner = text[start + len(opening) : index]
        return self._pair(opening, inner, tail[0], "x-image" if image else "link"), tail.end()


def read_segment(markdown: str) -> Segment:
    """A piece of inline Markdown as text and tags (escapes and entities become the characters they stand for)."""
    return Tokenizer().run(markdown)


def tags_of(segment: Segment) -> list[Tag]:
    """The segment's tags, in order."""
    return [piece for piece in segment if isinstance(piece, Tag)]


def plain_text(segment: Segment) -> str:
    """The segment's text without its tags (for word diffs and glossary matching)."""
    return "".join(piece for piece in segment if isinstance(piece, str))


_LINE_START = re.compile(r"^([ \t]*)(?:([#>+-])|(\d+)(\.)|([:=]))", re.M)
"""What opens a block at a line start in taiyaku's dialect (Python-Markdown's: ``1)`` opens no list)."""
_MARKDOWN_CHARS = re.compile(r"([\\`*_{}\[\]])")
_TABLE_CHARS = re.compile(r"([\\`*_{}\[\]|])")


def escape_text(text: str, *, table: bool = False, single_line: bool = False, line_start: bool = True) -> str:
    """Text as Markdown that renders as the same text: nothing in it becomes markup, a link or HTML.

    Backslash escapes for Markdown's own characters, ``&lt;`` for ``<``, ``&amp;`` where ``&`` would start an
    entity; line starts that would open a heading, a quote or a list are escaped; blank lines (a new block)
    become one line break, and in a heading or a table cell any line break a space.
    """
    text = re.sub(r"\r\n?", "\n", text)
    text = re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n", text)
    if single_line or table:
        text = re.sub(r"[ \t]*\n[ \t]*", " ", text)
    text = (_TABLE_CHARS if table else _MARKDOWN_CHARS).sub(r"\\\1", text)
    text = _ENTITY.sub(lambda m: "&amp;" + m[0][1:], text)
    text = text.replace("<", "&lt;")
    text = _LINE_START.sub(lambda m: m[0] if (m.start() == 0 and not line_start) or (single_line and m[3])
                           else _escape_line_start(m), text)
    return text


def _escape_line_start(match: re.Match[str]) -> str:
    """A character that would open a block at a line start: escaped, or (``:``, ``=``: not escapable) an entity."""
    indent, syntax, digits, dot, other = match.groups()
    if syntax:
        return f"{indent}\\{syntax}"
    if digits:
        return f"{indent}{digits}\\{dot}"
    return f"{indent}&#{ord(other)};"


def write_segment(segment: Segment, *, table: bool = False, single_line: bool = False) -> str:
    """A segment back as Markdown: each tag's native code as the export made it, all text escaped."""
    out: list[str] = []
    for piece in segment:
        if isinstance(piece, Tag):
            out.append(piece.code)
        else:
            line_start = not out or out[-1].endswith("\n")
            out.append(escape_text(piece, table=table, single_line=single_line, line_start=line_start))
    return "".join(out)
