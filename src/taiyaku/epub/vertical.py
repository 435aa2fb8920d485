"""The vertical edition's one change to the text: one- and two-digit numbers set upright in the line (縦中横).

A vertical line turns Latin letters and digits sideways; JLReq sets short numbers upright, as one character
cell. The digits go in ``<span class="tcy">``, which ``vertical.css`` combines (``text-combine-upright: all``;
Chromium and WebKit know no ``digits 2``). Longer numbers stay sideways, as reading systems set them.
"""

from __future__ import annotations

import re

import lxml.etree as etree

from ..i18n import primary

_UPRIGHT = re.compile(r"(?<![0-9A-Za-z.,:/%\u2060-])([0-9]{1,2})(?![0-9A-Za-z.,:/%-])")
"""One or two half-width digits standing alone: set upright in a vertical line (longer numbers turn sideways)."""
_NO_UPRIGHT = {"code", "pre", "kbd", "samp", "table", "math", "svg", "figure", "a", "sup", "sub"}
"""Elements whose text stays as it is in the vertical edition: set horizontally, or links (a note call holds
nothing but its number; the stylesheet sets calls upright whole)."""


def _tag(element: etree._Element) -> str:
    return str(element.tag).rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def set_upright(holder: etree._Element, japanese: bool) -> None:
    """One- and two-digit numbers of Japanese text in ``<span class="tcy">`` (``text-combine-upright``)."""

    def split(text: str) -> list[str | etree._Element]:
        pieces: list[str | etree._Element] = []
        last = 0
        for match in _UPRIGHT.finditer(text):
            pieces.append(text[last:match.start()])
            span = etree.Element("span", {"class": "tcy"})
            span.text = match[1]
            pieces.append(span)
            last = match.end()
        pieces.append(text[last:])
        return pieces

    def place(parent: etree._Element, index: int, pieces: list[str | etree._Element], as_text: bool) -> None:
        """Put ``pieces`` in ``parent``: as its text (``as_text``) or as the tail of its child at ``index``."""
        head, rest = pieces[0], pieces[1:]
        if as_text:
            parent.text = head or None
        else:
            parent[index].tail = head or None
        position = 0 if as_text else index + 1
        for span, tail in zip(rest[::2], rest[1::2]):
            assert isinstance(span, etree._Element) and isinstance(tail, str)
            span.tail = tail or None
            parent.insert(position, span)
            position += 1

    def walk(element: etree._Element, japanese: bool) -> None:
        lang = element.get("lang")
        if lang:
            japanese = primary(lang) == "ja"
        if _tag(element) in _NO_UPRIGHT or "tcy" in (element.get("class") or "").split():
            return
        for child in list(element):
            if isinstance(child.tag, str):
                walk(child, japanese)
        if not japanese:
            return
        if element.text and _UPRIGHT.search(element.text):
            place(element, 0, split(element.text), True)
        for child in list(element):
            if child.tail and _UPRIGHT.search(child.tail):
                place(element, element.index(child), split(child.tail), False)

    walk(holder, japanese)
