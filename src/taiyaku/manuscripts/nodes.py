"""Reading pandoc's JSON AST (pandoc-types 1.23: every node ``{"t": kind, "c": contents}``) and writing text
safely into taiyaku's Markdown: plain text of nodes, style names, escapes."""

from __future__ import annotations

import re
from typing import Any

from .docx import MARKS

Node = dict[str, Any]

_INLINE_ESCAPE = re.compile(r"([\\`*\[\]{}])")
_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")
_ANGLE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(#|>|[-+*](?=\s)|\d+(?=[.)]\s)|[-_](?=(?:\s*[-_]){2,}\s*$))")


def stringify(nodes: Any) -> str:
    """The plain text of inlines or blocks (notes left out), as pandoc's ``stringify``."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict) or "t" not in node:
            return
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Code", "Math"):
            out.append(content[1])
        elif kind == "Note":
            return
        elif kind in ("Para", "Plain") and out and not out[-1].endswith(" "):
            out.append(" ")
            walk(content)
        elif kind in ("Link", "Image", "Span", "Div", "Quoted", "Cite"):
            walk(content[1] if kind != "Cite" else content[1])
        elif isinstance(content, list):
            walk(content)

    walk(nodes)
    return MARKS.sub("", " ".join("".join(out).split()))


def style_of(attr: list[Any]) -> str:
    """The Word style a ``custom-style`` div or span carries ('' if none)."""
    return next((value for key, value in attr[2] if key == "custom-style"), "")


def unwrap(blocks: list[Node]) -> list[Node]:
    """Blocks with style divs opened (their contents in their place)."""
    found: list[Node] = []
    for block in blocks:
        if block["t"] == "Div":
            found.extend(unwrap(block["c"][1]))
        else:
            found.append(block)
    return found


def caption_inlines(blocks: list[Node]) -> list[Node]:
    """A caption's paragraphs as one run of inlines."""
    found: list[Node] = []
    for block in unwrap(blocks):
        if block["t"] in ("Para", "Plain"):
            if found:
                found.append({"t": "Space"})
            found.extend(block["c"])
    return found


def not_pipe(head: list[Any], body: list[Any], foot: list[Any], columns: int) -> str | None:
    """Why a pipe table cannot hold this table (``None`` when it can)."""
    if len(head) != 1:
        return "has no header row" if not head else f"has {len(head)} header rows"
    if foot:
        return "has footer rows"
    for row in [*head, *body]:
        if sum(cell[3] for cell in row[1]) != columns or len(row[1]) != columns:
            return "has merged cells"
        for cell in row[1]:
            if cell[2] != 1 or cell[3] != 1:
                return "has merged cells"
            inner = unwrap(cell[4])
            if len(inner) > 1 or (inner and inner[0]["t"] not in ("Para", "Plain")):
                return "has cells with several paragraphs, lists or other blocks"
            if inner and any(i["t"] == "LineBreak" for i in inner[0]["c"]):
                return "has cells with line breaks"
    return None


def escape(text: str) -> str:
    """Markdown's special characters in running text, escaped (full stops and hyphens stay as they are)."""
    text = _INLINE_ESCAPE.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub("&amp;", text)  # before the angle brackets become entities themselves
    return _ANGLE.sub("&lt;", text)


def escape_start(line: str) -> str:
    """A paragraph's first characters, escaped where they would start a heading, quote, list or caption."""
    if line.startswith(": "):
        return "&#58;" + line[1:]
    return _LINE_START.sub(lambda m: m[0] + "\\" if m[0][0].isdigit() else "\\" + m[0], line, count=1)


def escape_alt(alt: str) -> str:
    """Alt text for ``![…]``: brackets and backslashes escaped."""
    return alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
