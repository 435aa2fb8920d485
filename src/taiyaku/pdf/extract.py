"""Some pages of a laid-out PDF as a part of their own (for :mod:`.assemble`): an offprint's cover out of the PDF
its language's covers were written to together.

Why: writing a PDF embeds a subset of every font it uses, about 0.2 s per Japanese font and document (the fonts
read, subset with their glyph ids kept, compressed). Covers written one by one spent most of their time there
(17 s of a Japanese build's writing for 48 one-page covers, 1 s of layout); written together they pay it once.
An offprint then takes its cover's pages from that PDF: the other pages go, and with them their structure
elements, their ``/ParentTree`` entries and their destinations; each font keeps only the widths and Unicode
values of the glyphs the kept pages draw, so that :mod:`.subsets` embeds only those (a CID-keyed CFF font is
rebuilt from the glyphs listed). pikepdf only; no WeasyPrint.
"""

from __future__ import annotations

from typing import Any, Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from .objects import tree_items


def keep_pages(pdf: Pdf, keep: Sequence[int]) -> None:
    """Reduce ``pdf`` to its pages ``keep`` (0-based, in order), with what refers to the others removed."""
    pages = list(pdf.pages)
    wanted = {pages[index].obj.objgen for index in keep}
    gone = {page.obj.objgen for page in pages if page.obj.objgen not in wanted}
    if not gone:
        return
    gone_keys: set[int] = set()
    for page in pages:
        if page.obj.objgen in gone:
            if "/StructParents" in page.obj:
                gone_keys.add(int(page.obj.StructParents))
            gone_keys.update(int(annot.StructParent) for annot in page.obj.get("/Annots", [])
                             if "/StructParent" in annot)
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is not None:
        _prune_tree(pdf, tree, gone, gone_keys)
    _prune_destinations(pdf, gone)
    narrow_fonts([page for page in pages if page.obj.objgen in wanted])
    for index in range(len(pages) - 1, -1, -1):
        if pages[index].obj.objgen in gone:
            del pdf.pages[index]


def _prune_tree(pdf: Pdf, tree: Any, gone: set[tuple[int, int]], gone_keys: set[int]) -> None:
    """Structure elements whose content is all on removed pages go; so do those pages' ``/ParentTree``
    entries and the ``/IDTree`` entries of the elements removed."""
    kept: set[tuple[int, int]] = set()
    kids = tree.get("/K")
    if kids is not None:
        items = list(kids) if isinstance(kids, Array) else [kids]
        tree.K = Array([kid for kid in items if _prune(kid, None, gone, kept)])
    parents = tree.get("/ParentTree")
    if parents is not None:
        nums: list[Any] = []
        for key, value in tree_items(parents, "/Nums"):
            if int(key) not in gone_keys:
                nums += [key, value]
        tree.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    ids = tree.get("/IDTree")
    if ids is not None:
        names: list[Any] = []
        for key, elem in tree_items(ids, "/Names"):
            if getattr(elem, "is_indirect", False) and elem.objgen in kept:
                names += [key, elem]
        tree.IDTree = Dictionary(Names=Array(names))


def _prune(elem: Any, page: tuple[int, int] | None, gone: set[tuple[int, int]],
           kept: set[tuple[int, int]]) -> bool:
    """Remove ``elem``'s content on removed pages (``page``: the page its content is on unless it says);
    whether anything is left."""
    if not isinstance(elem, Dictionary):
        return page not in gone  # a marked-content id on the inherited page
    if "/S" not in elem:  # a marked-content or object reference
        own = elem.get("/Pg")
        return (own.objgen if own is not None else page) not in gone
    own = elem.get("/Pg")
    page = own.objgen if own is not None else page
    kids = elem.get("/K")
    if kids is None:
        left = page not in gone
    else:
        items = list(kids) if isinstance(kids, Array) else [kids]
        survivors = [kid for kid in items if _prune(kid, page, gone, kept)]
        if len(survivors) != len(items):
            elem.K = Array(survivors)
        left = bool(survivors)
    if left and elem.is_indirect:
        kept.add(elem.objgen)
    return left


def _prune_destinations(pdf: Pdf, gone: set[tuple[int, int]]) -> None:
    """Named destinations on removed pages go."""
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    if dests is None:
        return
    entries: list[Any] = []
    for key, value in tree_items(dests, "/Names"):
        target = value.get("/D") if isinstance(value, Dictionary) else value
        if isinstance(target, Array) and len(target) and getattr(target[0], "objgen", None) in gone:
            continue
        entries += [key, value]
    names.Dests = pdf.make_indirect(Dictionary(Names=Array(entries)))


def narrow_fonts(pages: list[Any]) -> None:
    """Each Identity-H font of ``pages`` keeps only the widths and Unicode values of the glyphs they draw (so
    that :mod:`.subsets` embeds no other)."""
    used: dict[tuple[int, int], set[int]] = {}
    fonts: dict[tuple[int, int], Any] = {}
    elsewhere: set[tuple[int, int]] = set()
    for page in pages:
        _glyphs(page, page.obj.get("/Resources", Dictionary()), used, fonts, set())
        elsewhere |= _fonts_elsewhere(page.obj)
    for objgen, font in fonts.items():
        if objgen in elsewhere:
            continue  # also drawn where _glyphs does not look: every glyph kept
        glyphs = used.get(objgen, set())
        descendant = font.DescendantFonts[0]
        widths: list[tuple[int, Any]] = []
        entries = list(descendant.get("/W", Array()))
        position = 0
        while position + 1 < len(entries):
            first, second = entries[position], entries[position + 1]
            if isinstance(second, Array):
                widths += [(int(first) + offset, width) for offset, width in enumerate(second)]
                position += 2
            else:
                widths += [(cid, entries[position + 2]) for cid in range(int(first), int(second) + 1)]
                position += 3
        w: list[Any] = []
        previous = None
        for cid, width in widths:
            if cid not in glyphs:
                continue
            if previous is None or cid != previous + 1:
                w += [cid, Array()]
            w[-1].append(width)
            previous = cid
        descendant.W = Array(w)
        cmap = font.get("/ToUnicode")
        if cmap is not None:
            from .objects import write_deflated
            from .subsets import _BFCHAR, _to_unicode_cmap

            mapping = {int(glyph, 16): text for glyph, text in _BFCHAR.findall(cmap.read_bytes())
                       if int(glyph, 16) in glyphs}
            write_deflated(cmap, _to_unicode_cmap(mapping))


def _fonts_elsewhere(page: Any) -> set[tuple[int, int]]:
    """The fonts a page draws with outside its content and its forms' (in patterns, soft masks, annotations'
    appearances), which :func:`_glyphs` does not read."""
    from .subsets import reachable_resources

    return {font.objgen for resources, elsewhere in reachable_resources([(page, False)]) if elsewhere
            for font in resources.get("/Font", Dictionary()).values() if font.is_indirect}


def _glyphs(owner: Any, resources: Any, used: dict[tuple[int, int], set[int]], fonts: dict[tuple[int, int], Any],
            seen: set[tuple[int, int]]) -> None:
    """The glyph ids each Identity-H font draws in a page's or form's content (forms followed)."""
    names = resources.get("/Font", Dictionary())
    forms = resources.get("/XObject", Dictionary())
    current = None
    for operands, operator in pikepdf.parse_content_stream(owner):
        name = str(operator)
        if name == "Tf" and operands:
            font = names.get(str(operands[0]))
            current = None
            if font is not None and font.is_indirect and font.get("/Encoding") == Name("/Identity-H") \
                    and "/DescendantFonts" in font:
                current = font.objgen
                fonts[current] = font
                used.setdefault(current, set())
        elif name in ("Tj", "'", '"', "TJ") and current is not None:
            strings = operands[-1] if name == "TJ" else [operands[-1]]
            for item in strings:
                if isinstance(item, pikepdf.String):
                    data = bytes(item)
                    used[current].update(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2))
        elif name == "Do" and operands:
            form = forms.get(str(operands[0]))
            if form is not None and form.get("/Subtype") == Name.Form and form.objgen not in seen:
                seen.add(form.objgen)
                _glyphs(form, form.get("/Resources", resources), used, fonts, seen)
