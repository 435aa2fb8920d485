"""Tables for :class:`~.writer.MarkdownWriter`: a pipe table with its ``: …`` caption line when every cell is one
line of inline text and none spans; else an HTML table with ``rowspan``/``colspan`` and a ``<caption>``."""

from __future__ import annotations

import html
from typing import Any, Literal

from .nodes import Node, caption_inlines, not_pipe, stringify, unwrap

Severity = Literal["error", "warning", "info"]


class TableWriting:
    """The table half of the writer; the writer gives it inline text and findings."""

    tables: int
    in_html: bool

    def inlines(self, nodes: list[Node]) -> str:
        """Inline text (the writer's)."""
        raise NotImplementedError

    def find(self, category: str, message: str, severity: Severity = "warning") -> None:
        """Record a finding (the writer's)."""
        raise NotImplementedError

    def table(self, c: list[Any]) -> list[str]:
        """A pipe table when every cell is one line of inline text and none spans; else an HTML table."""
        self.tables += 1
        _attr, caption, colspecs, head, bodies, foot = c
        head_rows = head[1]
        body_rows = [row for body in bodies for row in body[2] + body[3]]
        foot_rows = foot[1]
        columns = len(colspecs)
        out: list[str] = []
        reason = not_pipe(head_rows, body_rows, foot_rows, columns)
        if reason is None:
            caption_text = self.inlines(caption_inlines(caption[1])).strip()
            if caption_text:
                out.extend([": " + caption_text, ""])
            aligns = [{"AlignLeft": ":---", "AlignRight": "---:", "AlignCenter": ":---:"}.get(spec[0]["t"], "---")
                      for spec in colspecs]
            for number, row in enumerate([*head_rows, *body_rows]):
                cells = [self.cell_inline(cell[4]) for cell in row[1]]
                out.append("| " + " | ".join(cells) + " |")
                if number == 0:
                    out.append("|" + "|".join(aligns) + "|")
            return out
        self.find("table", f"table {self.tables} {reason}: written as an HTML table", "info")
        # taiyaku's ``: …`` caption line belongs to pipe tables; an HTML table carries its own <caption>.
        return self.html_table(caption[1], head_rows, body_rows, foot_rows)

    def cell_inline(self, blocks: list[Node]) -> str:
        """One pipe-table cell: its paragraph's text with ``|`` escaped."""
        inner = unwrap(blocks)
        text = self.inlines(inner[0]["c"]).strip() if inner else ""
        return text.replace("|", "\\|")

    def html_table(self, caption: list[Node], head: list[Any], body: list[Any], foot: list[Any]) -> list[str]:
        """``<table>`` with ``rowspan``/``colspan``; a line per row and no blank line (one HTML block)."""
        self.in_html = True
        try:
            out = ["<table>"]
            caption_html = self.inlines(caption_inlines(caption)).strip()
            if caption_html:
                out.append(f"<caption>{caption_html}</caption>")
            for group, rows, tag in (("thead", head, "th"), ("tbody", body, "td"), ("tfoot", foot, "td")):
                if not rows:
                    continue
                out.append(f"<{group}>")
                for row in rows:
                    cells = []
                    for cell in row[1]:
                        spans = (f' rowspan="{cell[2]}"' if cell[2] > 1 else "") + \
                                (f' colspan="{cell[3]}"' if cell[3] > 1 else "")
                        cells.append(f"<{tag}{spans}>{self.html_blocks(cell[4])}</{tag}>")
                    out.append("<tr>" + "".join(cells) + "</tr>")
                out.append(f"</{group}>")
            out.append("</table>")
            return out
        finally:
            self.in_html = False

    def html_blocks(self, blocks: list[Node]) -> str:
        """A cell's blocks as HTML on one line: one paragraph bare, several as ``<p>``, lists as lists."""
        inner = unwrap(blocks)
        if len(inner) == 1 and inner[0]["t"] in ("Para", "Plain"):
            return self.inlines(inner[0]["c"]).strip()
        parts = []
        for block in inner:
            if block["t"] in ("Para", "Plain"):
                parts.append(f"<p>{self.inlines(block['c']).strip()}</p>")
            elif block["t"] in ("BulletList", "OrderedList"):
                tag, items = ("ul", block["c"]) if block["t"] == "BulletList" else ("ol", block["c"][1])
                parts.append(f"<{tag}>" + "".join(f"<li>{self.html_blocks(item)}</li>" for item in items) + f"</{tag}>")
            else:
                parts.append(f"<p>{html.escape(stringify(block))}</p>")
        return "".join(parts)
