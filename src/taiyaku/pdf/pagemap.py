"""The print edition's pages for the EPUB's page-list: each laid-out page's folio as printed and the block that
holds its start (``TypesetResult.page_map``). Runs in the PDF workers, on WeasyPrint's laid-out pages."""

from __future__ import annotations

from typing import Any

from . import weasy


def page_map(document: Any, first_folio: int, roman_until: int = 0) -> list[list[str]]:
    """[folio, block] of each page with content: the folio as printed (lower-roman figures from i for the pages
    before ``roman_until``, then arabic from ``first_folio``) and the block holding the page's start (see
    ``TypesetResult.page_map``).

    Block precision: a page that starts inside a paragraph is named by that paragraph. Blank pages are left out.
    """
    found = []
    for index, page in enumerate(document.pages):
        if weasy.is_blank(page):
            continue
        key = _first_block(weasy.page_parts(page)[0])
        if key:
            folio = _roman(index + 1) if index < roman_until else str(first_folio + index - roman_until)
            found.append([folio, key])
    return found


_TOP_LEVEL = {"cover", "imprint", "contents"}
"""Classes of the front matter's sections (``print/volume.html``): each is a page-list target of its own."""


def _first_block(box: Any) -> str:
    """The most specific block the page's first in-flow box belongs to, descending along first children:
    a chapter body's n-th block, a chapter's heading, a front matter section."""
    key = chapter = ""
    numbered: Any = None  # the element whose children are the numbered blocks (a chapter's body)
    while box is not None:
        element = getattr(box, "element", None)
        if element is not None:
            if numbered is not None and element is not numbered:
                blocks = list(numbered)
                return f"{chapter}/{blocks.index(element)}" if element in blocks else key
            classes = set((element.get("class") or "").split())
            tag = str(element.tag).rsplit("}", 1)[-1]
            if "chapter" in classes and element.get("id"):
                chapter = key = element.get("id")
            elif "chapter-head" in classes and chapter:
                return chapter
            elif "chapter-body" in classes or (tag == "dl" and chapter == "contributors"):
                numbered = element
            elif tag in ("section", "nav") and classes & _TOP_LEVEL:
                return sorted(classes & _TOP_LEVEL)[0]
        children = [child for child in getattr(box, "children", ()) if child.is_in_normal_flow()]
        box = children[0] if children else None
    return key


def _roman(number: int) -> str:
    """Lower-roman figures, as the front matter's page labels print them."""
    digits = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
              (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for value, letters in digits:
        while number >= value:
            out, number = out + letters, number - value
    return out
