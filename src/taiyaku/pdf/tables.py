"""Tables split across pages: a "(continued)" / 「（続き）」 label above the repeated header.

WeasyPrint repeats a table's ``<thead>`` on every page the table reaches, but has no way to print something
on the continuation pages only. So the label is a row of its own at the top of the header
(:func:`label_tables`, before layout: repeated with the header on every page), and on each table's first
page, after layout, the row is emptied, given no height and the rows below moved up (:func:`hide_first_labels`).
Rows stay in place in the table's grid, so WeasyPrint's collapsed borders are drawn where they belong.
Keeping at least two rows on each side of a break is CSS (``print.css``: ``break-after`` / ``break-before:
avoid`` on the first and last body rows).
"""

from __future__ import annotations

import html
import re
from typing import Any

from ..lang import is_japanese

LABEL_CLASS = "continued-label"
_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
_HEADER_ROW = re.compile(r"(<thead\b[^>]*>\s*)(<tr\b[^>]*>(.*?)</tr>)", re.S)
_CELL = re.compile(r"<t[hd]\b([^>]*)>", re.S)
_COLSPAN = re.compile(r'colspan="?(\d+)')


def label_tables(document: str) -> str:
    """Every table with a header gets a label row first in its header: its caption and "(continued)"."""
    return _TABLE.sub(_label_table, document)


def _label_table(match: re.Match[str]) -> str:
    table = match.group(0)
    header = _HEADER_ROW.search(table)
    if header is None:
        return table
    columns = sum(int(span.group(1)) if (span := _COLSPAN.search(attrs)) else 1
                  for attrs in _CELL.findall(header.group(3)))
    caption = _CAPTION.search(table)
    text = html.unescape(re.sub(r"<[^>]+>", "", caption.group(1))).strip() if caption else ""
    # The table's language from its own text: Japanese if it has any Japanese character.
    japanese = any(is_japanese(char) for char in html.unescape(re.sub(r"<[^>]+>", "", table)))
    label = f"{text}（続き）" if japanese else f"{text} (continued)".strip()
    row = (f'<tr class="{LABEL_CLASS}"><td colspan="{max(columns, 1)}">{html.escape(label, quote=False)}'
           "</td></tr>")
    return table[:header.start(2)] + row + table[header.start(2):]


def hide_first_labels(document: Any) -> int:
    """Empty the label row on each table's first page; returns how many tables were continued."""
    from .weasy import box_types, page_box

    boxes = box_types()
    seen: set[int] = set()
    continued = 0
    for page in document.pages:
        for table in page_box(page).descendants():
            if not isinstance(table, boxes.TableBox):
                continue
            key = id(table.element)
            if key in seen:
                continued += 1
                continue
            seen.add(key)
            _collapse_label(table, boxes)
    return continued


def _collapse_label(table: Any, boxes: Any) -> None:
    """Give the label row no height and no text; move everything below it up."""
    rows = [(group, row) for group in table.children for row in group.children]
    index = next((i for i, (_, row) in enumerate(rows) if LABEL_CLASS in (row.element.get("class") or "")), None)
    if index is None:
        return
    group, label = rows[index]
    lost = label.height
    label.height = 0
    for cell in label.children:
        cell.children = []
        cell.height = 0
    for _, row in rows[index + 1:]:
        row.translate(dy=-lost)
    group.height -= lost
    for other in table.children[table.children.index(group) + 1:]:
        other.position_y -= lost
    table.height -= lost
