"""Interleave the two languages' pages into spreads, with pikepdf (no WeasyPrint here).

The parts (cover, each language's front matter, each paper's two sides, the contributors) are first joined by
:func:`taiyaku.pdf.assemble.assemble`: one structure tree (each part a ``Part`` element with its language),
destinations, links, outlines, metadata. Then the pages are put in spread order (reordering ``/Kids`` keeps
every reference to a page valid), empty pages pad the shorter side of a spread group, the folios are stamped
from a sheet laid out for the purpose, the structure tree is put in page order (each spread read left page,
then right page: :func:`read_page_by_page`), and the PDF is marked to open as spreads (``/TwoPageRight``).
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from typing import Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, Pdf, String

from ..pdf.assemble import Part, assemble

FOLIO_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"


@dataclass(frozen=True)
class Group:
    """Pages of one stretch of the edition that start on a new spread: per side, the page count of each
    spread group (a run of pages starting together on both sides)."""

    name: str
    left: Sequence[int]
    right: Sequence[int]


def spread_order(cover_pages: int, groups: Sequence[Group]) -> tuple[list[int | None], list[tuple[str, int]]]:
    """The edition's pages as indexes into the joined parts (``None``: an empty page), and for each group its
    first page (0-based) in the edition. The parts are joined as cover, then each group's left then right side."""
    order: list[int | None] = list(range(cover_pages))
    if len(order) % 2 == 0:
        order.append(None)  # the first left page is an even page number
    at = cover_pages
    starts = []
    for group in groups:
        left_at = at
        right_at = at + sum(group.left)
        at = right_at + sum(group.right)
        starts.append((group.name, len(order)))
        for pages_left, pages_right in zip(group.left, group.right):
            for index in range(max(pages_left, pages_right)):
                order.append(left_at + index if index < pages_left else None)
                order.append(right_at + index if index < pages_right else None)
            left_at += pages_left
            right_at += pages_right
    return order, starts


def assemble_edition(parts: Sequence[Part], order: Sequence[int | None], folio_sheet: bytes | None, *,
                     title: str, authors: Sequence[str], lang: str, rights_xmp: bytes = b"") -> bytes:
    """The edition: ``parts`` joined, then its pages in ``order`` (``None``: empty), folios stamped from
    ``folio_sheet`` (its page *i* carries the folio of page *i*; none on the cover and empty pages)."""
    def arrange(pdf: Pdf) -> None:
        empty = _in_spread_order(pdf, order)
        if folio_sheet is not None:
            _stamp(pdf, folio_sheet, skip=empty | {0})
        read_page_by_page(pdf, lang)
        pdf.Root.PageLayout = Name.TwoPageRight
        pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D, St=1)]))

    return assemble(parts, [], title=title, authors=authors, lang=lang, rights_xmp=rights_xmp,
                    arrange=arrange).data


def _in_spread_order(pdf: Pdf, order: Sequence[int | None]) -> set[int]:
    """Put the joined pages in ``order`` (``None``: a new empty page); returns the empty pages' positions.

    The pages are taken out of the page tree and put back in order: the same page objects (so every
    destination, link and structure element that names one stays valid), and QPDF's list of pages follows."""
    pages = list(pdf.pages)
    first = pages[0].obj
    del pdf.pages[:]
    empty: set[int] = set()
    for position, index in enumerate(order):
        if index is not None:
            pdf.pages.append(pages[index])
            continue
        blank = pdf.make_indirect(Dictionary(Type=Name.Page, MediaBox=first.get("/MediaBox"), Resources=Dictionary()))
        for key in ("/TrimBox", "/BleedBox"):
            if key in first:
                blank[key] = first[key]
        pdf.pages.append(pikepdf.Page(blank))
        empty.add(position)
    return empty


def read_page_by_page(pdf: Pdf, default_lang: str) -> int:
    """Put the structure tree in page order: the Document's kids become one ``Part`` per page (with the page's
    language), in the order of the pages, so each spread reads left page, then right page. Returns how many
    page parts there are (0: the tree was left as it was).

    WeasyPrint 70 tags each page of a part as a subtree of its own (a ``Sect`` for the page's flow, a
    ``NonStruct`` for its footnotes), so the tree is regrouped without cutting an element: each such subtree
    goes to the page its content is on (the first, should one reach further). The parent tree maps content to
    these elements, which stay; only the ``Part`` elements they hang from are new."""
    root = pdf.Root.get("/StructTreeRoot")
    document = root.get("/K") if root is not None else None
    if isinstance(document, Array):
        document = document[0] if len(document) == 1 else None
    if not isinstance(document, Dictionary) or document.get("/S") != Name.Document:
        return 0
    number = {page.objgen: index for index, page in enumerate(pdf.pages)}
    found: list[tuple[int, int, str, Dictionary]] = []  # (page, order, language, element)
    for part in _kids(document):
        if not isinstance(part, Dictionary) or part.get("/S") != Name.Part:
            return 0  # not the tree assemble() makes: left alone
        lang = str(part.get("/Lang", default_lang))
        for kid in _kids(part):
            if not isinstance(kid, Dictionary) or "/S" not in kid:
                return 0  # content directly in a part: its parent tree entries name the part
            pages = _pages(kid, number, set())
            at = min(pages) if pages else (found[-1][0] if found else 0)
            found.append((at, len(found), lang, kid))
    parts: list[Dictionary] = []
    for (page, lang), items in itertools.groupby(sorted(found), key=lambda item: (item[0], item[2])):
        part = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Part, P=document, Lang=String(lang)))
        kids = [item[3] for item in items]
        for kid in kids:
            kid.P = part
        part.K = Array(kids)
        parts.append(part)
    document.K = Array(parts)
    return len(parts)


def _kids(element: Dictionary) -> list[Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _pages(element: Object, number: dict[tuple[int, int], int], found: set[int]) -> set[int]:
    """Pages (0-based) the content of a structure element is on: its and its kids' ``/Pg``."""
    if isinstance(element, Dictionary):
        page = element.get("/Pg")
        if page is not None and page.objgen in number:
            found.add(number[page.objgen])
        for kid in _kids(element) if element.get("/Type") != Name.OBJR else []:
            _pages(kid, number, found)
    return found


def _stamp(pdf: Pdf, sheet_data: bytes, skip: set[int]) -> None:
    """Draw each page's folio from the sheet, as a pagination artifact over the page's own content."""
    sheet = Pdf.open(io.BytesIO(sheet_data))
    for index, page in enumerate(pdf.pages):
        if index in skip or index >= len(sheet.pages):
            continue
        form = pdf.copy_foreign(sheet.make_indirect(sheet.pages[index].as_form_xobject()))
        # A name of its own per page (the pages of a part share one resource dictionary) and the same in every
        # build (the same bytes from the same parts).
        name = page.add_resource(form, Name.XObject, Name(f"/TaiyakuFolio{index + 1}"))
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n" + FOLIO_ARTIFACT + b"q " + str(name).encode() + b" Do Q\nEMC\n")
