"""Pandoc's JSON AST → taiyaku's Markdown: one line per paragraph, ``[^n]`` notes, pipe tables (HTML where a
pipe table cannot hold the table), figures as image + caption + source lines, ``: …`` table captions.

The AST is pandoc-types 1.23's JSON: every node is ``{"t": kind, "c": contents}``. What the writer cannot map
(an unknown style, a comment, a raw block) becomes a :class:`Finding` at the line it is written to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .docx import COMMENT_CLOSE, COMMENT_OPEN, ENDNOTE_MARK, RUBY_CLOSE, RUBY_OPEN, RUBY_TEXT, Comment
from .nodes import Node, caption_inlines, escape, escape_alt, escape_start, stringify, style_of, unwrap
from .styles import CAPTION_STYLES, SOURCE_STYLES, is_known
from .tables import Severity, TableWriting


@dataclass(frozen=True)
class Finding:
    """Something the import could not map, or did in a way the editor should know; ``line`` is in the body."""

    line: int | None
    category: str
    message: str
    severity: Severity = "warning"


@dataclass
class Note:
    """A note as written: its label, its paragraphs' Markdown, and whether Word had it as an endnote."""

    label: str
    paragraphs: list[list[str]]
    endnote: bool = False


@dataclass
class Written:
    """The body's Markdown and what the writer found on the way."""

    body: str
    notes: list[Note] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


SOURCE_PREFIX = re.compile(r"^(?:Sources?|Notes?|Data|出典|資料|注|データ)\s*[:：.．]")
"""How a figure's source line starts when it has no style of its own."""


class MarkdownWriter(TableWriting):
    """Writes one document body; ``image_path`` names where each of pandoc's media targets is written."""

    def __init__(self, image_path: Callable[[str], str], comments: dict[str, Comment], shift: int,
                 front_matter: bool = False) -> None:
        self.image_path = image_path
        self.front_matter = front_matter
        """Writing front matter text: no notes (reported instead), no line breaks."""
        self.comments = comments
        self.shift = shift
        self.notes: list[Note] = []
        self.findings: list[Finding] = []
        self.line = 1
        self.pending_endnote = False
        self.styles: dict[str, list[int]] = {}
        self.tables = 0
        self.images = 0
        self.in_html = False

    # -- blocks ------------------------------------------------------------------------------------------

    def write(self, blocks: list[Node]) -> Written:
        """The body for ``blocks`` (the title's own blocks already taken out)."""
        out: list[str] = []
        blocks = self._attach_sources(blocks)
        for block in blocks:
            self.line = len(out) + (2 if out else 1)
            lines = self.block(block)
            if lines:
                if out:
                    out.append("")
                out.extend(lines)
        for style, places in self.styles.items():
            self.findings.append(Finding(places[0], "style", f"Word style {style!r} has no taiyaku equivalent: its "
                                         f"text is written as plain text ({len(places)} place"
                                         f"{'s' if len(places) != 1 else ''}, the first here)"))
        return Written("\n".join(out) + "\n", self.notes, self.findings)

    def _attach_sources(self, blocks: list[Node]) -> list[Node]:
        """A figure's source line (a Source style, or ``Source:``/``出典：`` after the figure) goes into it."""
        merged: list[Node] = []
        for block in blocks:
            previous = merged[-1] if merged else None
            if previous is not None and previous["t"] == "Figure" and "source" not in previous:
                style = style_of(block["c"][0]).lower() if block["t"] == "Div" else ""
                inner = unwrap([block])
                if len(inner) == 1 and inner[0]["t"] in ("Para", "Plain") and (
                        style in SOURCE_STYLES or SOURCE_PREFIX.match(stringify(inner))):
                    previous["source"] = inner[0]["c"]
                    continue
            merged.append(block)
        return merged

    def blocks(self, blocks: list[Node], tight: bool = False) -> list[str]:
        """Several blocks, separated by blank lines (none in a tight list item)."""
        out: list[str] = []
        for block in blocks:
            lines = self.block(block)
            if lines:
                if out and not (tight and block["t"] in ("Plain", "BulletList", "OrderedList")):
                    out.append("")
                out.extend(lines)
        return out

    def block(self, node: Node) -> list[str]:
        """One block's lines."""
        kind: str = node["t"]
        c: Any = node.get("c")
        if kind in ("Para", "Plain"):
            return self.paragraph(c)
        if kind == "Header":
            level = max(1, min(6, c[0] + self.shift))
            # A line break inside a heading (Shift+Enter in Word) would end the heading: a space instead.
            return ["#" * level + " " + self.inlines(c[2]).replace("  \n", " ").strip()]
        if kind == "BlockQuote":
            return [("> " + line).rstrip() for line in self.blocks(c)]
        if kind == "BulletList":
            return self.list_items(["-"] * len(c), c)
        if kind == "OrderedList":
            start = c[0][0]
            return self.list_items([f"{start + n}." for n in range(len(c[1]))], c[1])
        if kind == "Table":
            return self.table(c)
        if kind == "Figure":
            return self.figure(c, node.get("source"))
        if kind == "Div":
            return self.div(c)
        if kind == "HorizontalRule":
            return ["* * *"]
        if kind == "CodeBlock":
            fence = "~~~" if "```" in c[1] else "```"
            return [fence, *c[1].split("\n"), fence]
        if kind == "LineBlock":
            return [self.inlines(line) + "  " for line in c[:-1]] + [self.inlines(c[-1])] if c else []
        if kind == "DefinitionList":
            out = []
            for term, definitions in c:
                out.append(escape_start(self.inlines(term)))
                for definition in definitions:
                    body = self.blocks(definition, tight=True)
                    if body:
                        out.extend([":   " + body[0], *("    " + line if line else "" for line in body[1:])])
            return out
        if kind == "RawBlock":
            self.find("raw", f"raw {c[0]} content left out: {c[1][:40]!r}")
            return []
        self.find("unknown", f"a {kind} block taiyaku does not know: left out")
        return []

    def paragraph(self, inlines: list[Node]) -> list[str]:
        """A paragraph on one line; an image standing alone is a figure without caption."""
        meaningful = [i for i in inlines if i["t"] not in ("Space", "SoftBreak", "LineBreak")]
        if len(meaningful) == 1 and meaningful[0]["t"] == "Image":
            return [self.image(meaningful[0]["c"])]
        text = self.inlines(inlines).strip()
        if not text:
            return []
        plain = stringify(inlines)
        if len(meaningful) == 1 and meaningful[0]["t"] == "Strong" and len(plain) <= 80 \
                and not plain.endswith((".", "。", ":", "：")):
            self.find("heading", f"a bold line that looks like a heading has no Heading style: {plain!r} is written "
                      "as bold text (make it ## … if it is a heading)", "info")
        # Each line of a paragraph with line breaks could start a heading or a list of its own.
        return [escape_start(line) for line in text.split("\n")]

    def list_items(self, markers: list[str], items: list[list[Node]]) -> list[str]:
        """A list: each item's first line after its marker, the rest indented four spaces (Python-Markdown)."""
        out: list[str] = []
        for marker, item in zip(markers, items, strict=True):
            lines = self.blocks(item, tight=True)
            if not lines:
                lines = [""]
            out.append(f"{marker} {lines[0]}".rstrip())
            out.extend("    " + line if line else "" for line in lines[1:])
        return out

    def div(self, c: list[Any]) -> list[str]:
        """A styled paragraph (pandoc's ``custom-style`` div): the style checked, the contents written."""
        style = style_of(c[0])
        if style.lower() in CAPTION_STYLES:
            # A caption pandoc did not take into a figure or table: say so, keep its text.
            self.find("caption", f"a {style!r} paragraph with no figure or table next to it: written as a paragraph")
        elif style and not is_known(style, "paragraph"):
            self.styles.setdefault(style, []).append(self.line)
        return self.blocks(c[1])

    # -- figures and tables -------------------------------------------------------------------------------

    def image(self, c: list[Any]) -> str:
        """``![alt](figures/…)`` for one of pandoc's images."""
        self.images += 1
        alt = stringify(c[1])
        if not alt:
            self.find("alt-text", f"image {self.images} has no alt text: add it in Word (Edit Alt Text) or in the "
                      "Markdown between the brackets")
        target = self.image_path(c[2][0])
        return f"![{escape_alt(alt)}]({target})"

    def figure(self, c: list[Any], source: list[Node] | None) -> list[str]:
        """A figure: the image line, its caption line, its source line."""
        images = [i for block in unwrap(c[2]) if block["t"] in ("Para", "Plain")
                  for i in block["c"] if i["t"] == "Image"]
        caption = self.inlines(caption_inlines(c[1][1])).strip()
        if len(images) != 1:
            self.find("figure", f"a figure with {len(images)} images: written as paragraphs")
            lines = self.blocks(c[2])
            return lines + ([escape_start(caption)] if caption else [])
        lines = [self.image(images[0]["c"])]
        if caption:
            lines.append(escape_start(caption))
        if source is not None:
            lines.append(escape_start(self.inlines(source).strip()))
        return lines

    # -- inlines ---------------------------------------------------------------------------------------------

    def inlines(self, nodes: list[Node]) -> str:
        """Inline Markdown (HTML inside an HTML table); emphasis markers hug their words."""
        out: list[str] = []
        for node in nodes:
            piece = self.inline(node)
            if out and out[-1].endswith("*") and piece.startswith("*") and node["t"] in ("Emph", "Strong"):
                # Two emphases touching (*a***b**) read as one in Markdown: the second as HTML instead.
                mark, tag = ("*", "em") if node["t"] == "Emph" else ("**", "strong")
                core = piece.rstrip()
                piece = f"<{tag}>{core[len(mark):-len(mark)]}</{tag}>{piece[len(core):]}"
            out.append(piece)
        return "".join(out)

    def inline(self, node: Node) -> str:
        """One inline node."""
        kind: str = node["t"]
        c: Any = node.get("c")
        if kind == "Str":
            return self.text(c)
        if kind in ("Space", "SoftBreak"):
            return " "
        if kind == "LineBreak":
            return "<br>" if self.in_html else " " if self.front_matter else "  \n"
        if kind in ("Emph", "Strong"):
            mark, tag = ("*", "em") if kind == "Emph" else ("**", "strong")
            return self.wrap(self.inlines(c), f"<{tag}>", f"</{tag}>") if self.in_html else \
                self.wrap(self.inlines(c), mark, mark)
        tags = {"Underline": "u", "Strikeout": "del", "Superscript": "sup", "Subscript": "sub"}
        if kind in tags:
            return self.wrap(self.inlines(c), f"<{tags[kind]}>", f"</{tags[kind]}>")
        if kind == "SmallCaps":
            return self.inlines(c)
        if kind == "Quoted":
            quote = '"' if c[0]["t"] == "DoubleQuote" else "'"
            return quote + self.inlines(c[1]) + quote
        if kind == "Cite":
            return self.inlines(c[1])
        if kind == "Code":
            if self.in_html:
                return f"<code>{html.escape(c[1])}</code>"
            fence = "``" if "`" in c[1] else "`"
            return f"{fence}{c[1]}{fence}"
        if kind == "Math":
            self.find("math", f"an equation is written as TeX, ${c[1]}$: taiyaku shows it as written (no math "
                      "typesetting); consider an image", "warning")
            return f"$${c[1]}$$" if c[0]["t"] == "DisplayMath" else f"${c[1]}$"
        if kind == "RawInline":
            self.find("raw", f"raw {c[0]} content left out: {c[1][:40]!r}")
            return ""
        if kind == "Link":
            text, url = self.inlines(c[1]), c[2][0]
            if url.startswith("#"):
                # Word's cross-references point at its bookmarks, which taiyaku's pages do not have.
                self.find("link", f"a cross-reference to Word's bookmark {url[1:]!r} is written as its text "
                          f"{stringify(c[1])!r}", "info")
                return text
            if self.in_html:
                return f'<a href="{html.escape(url)}">{text}</a>'
            return f"[{text}](<{url}>)" if re.search(r"[\s()<>]", url) else f"[{text}]({url})"
        if kind == "Image":
            return self.image(c)
        if kind == "Note":
            return self.note(c)
        if kind == "Span":
            style = style_of(c[0])
            if style and not is_known(style, "character"):
                self.styles.setdefault(style, []).append(self.line)
            return self.inlines(c[1])
        self.find("unknown", f"an inline {kind} taiyaku does not know: left out")
        return ""

    @staticmethod
    def wrap(text: str, opening: str, closing: str) -> str:
        """``opening``text``closing`` with the spaces Word kept inside a formatted run moved outside."""
        stripped = text.strip()
        if not stripped:
            return text
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        return f"{lead}{opening}{stripped}{closing}{trail}"

    def text(self, value: str) -> str:
        """A ``Str``: escaped for Markdown (or HTML), taiyaku's marks turned into ruby, notes and comments."""
        out = []
        for piece in re.split(f"({ENDNOTE_MARK}|{COMMENT_OPEN}[^{COMMENT_CLOSE}]*{COMMENT_CLOSE}|"
                              f"{RUBY_OPEN}|{RUBY_TEXT}|{RUBY_CLOSE})", value):
            if piece == ENDNOTE_MARK:
                self.pending_endnote = True
            elif piece.startswith(COMMENT_OPEN):
                self.comment(piece[1:-1])
            elif piece in (RUBY_OPEN, RUBY_TEXT, RUBY_CLOSE):
                out.append({RUBY_OPEN: "<ruby>", RUBY_TEXT: "<rt>", RUBY_CLOSE: "</rt></ruby>"}[piece])
            elif piece:
                out.append(html.escape(piece, quote=False) if self.in_html else escape(piece))
        return "".join(out)

    def note(self, blocks: list[Node]) -> str:
        """``[^n]``; the note's paragraphs are kept for the end of the document."""
        if self.front_matter:
            self.find("note", f"a note on the title, an author or the abstract is left out (front matter holds no "
                      f"notes; add it to the first paragraph if it belongs there): {stringify(blocks)!r}")
            return ""
        label = str(len(self.notes) + 1)
        endnote, self.pending_endnote = self.pending_endnote, False
        in_html, self.in_html = self.in_html, False
        try:
            paragraphs = [self.block(block) for block in unwrap(blocks)]
        finally:
            self.in_html = in_html
        paragraphs = [p for p in paragraphs if p]
        if paragraphs:
            paragraphs[0][0] = paragraphs[0][0].lstrip()
        self.notes.append(Note(label, paragraphs, endnote))
        if self.in_html:
            self.find("note", f"note [^{label}] is in a cell of an HTML table, where taiyaku's Markdown does not "
                      "link notes: move its call out of the table")
        return f"[^{label}]"

    def comment(self, comment_id: str) -> None:
        """A reviewer's comment: reported where its mark was, never written into the text."""
        comment = self.comments.get(comment_id)
        if comment is None:
            return
        on = f" on {comment.anchor!r}" if comment.anchor else ""
        self.find("comment", f"Word comment by {comment.author or 'someone'}{on} left out: {comment.text!r}")

    def find(self, category: str, message: str, severity: Severity = "warning") -> None:
        """Record a finding at the block being written."""
        self.findings.append(Finding(self.line, category, message, severity))
