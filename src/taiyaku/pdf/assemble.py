"""One volume PDF from PDFs laid out separately (chapters, covers, blank versos), with pikepdf.

Each part is a PDF as WeasyPrint wrote it. The assembled PDF has the parts' pages in order, one structure tree
(each part's tree under one ``Document`` element, ``/StructParents`` and the ``/ParentTree`` renumbered), the
named destinations of every part, links between parts (``taiyaku-dest:`` URIs) turned into GoTo actions, the
outlines concatenated (objects copied across PDFs: :mod:`.objects`), page labels for the whole volume and the
title, authors and rights of the volume (:mod:`.metadata`).

Runs in a typesetting worker or in the parent: it must not import WeasyPrint. The font subsets of the parts are
merged by :mod:`.subsets`.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from ..errors import PDFError
from .extract import keep_pages
from .furniture import Placement, stamp
from .metadata import write_catalog, write_metadata
from .objects import copy_object, rename_outline, rename_target, tree_items
from .subsets import merge_font_subsets
from .tagging import scope_row
from .trim import set_bleed_boxes

log = logging.getLogger(__name__)

DEST_SCHEME = "taiyaku-dest:"
"""A link annotation whose URI is DEST_SCHEME + <anchor> becomes, in the assembled PDF, a GoTo to the page and
position where the element with id <anchor> is (WeasyPrint writes anchors as named destinations). An anchor no
part has: the link is removed, its text kept (offprints: links to other papers), and it is listed in
Assembled.unresolved."""


FLATE_LEVEL = 9
"""zlib level for what qpdf's save compresses itself (object streams, the cross-reference stream). The streams the
assembly writes (pages with their furniture, fonts' programs) come compressed by libdeflate
(:func:`.objects.deflated_stream`); the parts' streams are copied as WeasyPrint compressed them."""


@dataclass(frozen=True)
class Part:
    """One PDF to put into the volume."""

    name: str
    """For messages: ``front``, ``treaty-history``, ``contributors``, ``blank``."""
    data: bytes
    """One PDF as WeasyPrint wrote it (tagged under pdf/ua-1, untagged for other variants)."""
    pages: tuple[int, ...] = ()
    """Only these of its pages (0-based: an offprint's cover out of its language's covers); all when empty."""


@dataclass(frozen=True)
class Assembled:
    """The assembled PDF."""

    data: bytes
    pages: int
    unresolved: list[str] = field(default_factory=list)
    """Anchors that links pointed to and that no part has (the links were removed, their text kept)."""


def assemble(parts: Sequence[Part], labels: Sequence[tuple[int, dict[str, Any]]], *, title: str,
             authors: Sequence[str], lang: str, rights_xmp: bytes = b"",
             furniture: tuple[bytes, Sequence[Placement]] | None = None,
             compress: Callable[[bytes], bytes] | None = None,
             arrange: Callable[[Pdf], None] | None = None) -> Assembled:
    """One PDF from the parts in order: pages, one structure tree, destinations, links, outlines, labels, metadata.

    ``labels``: (first page index, ``{"S": "/r"|"/D", "St": n, "P": prefix}``) ranges, as
    :func:`taiyaku.pdf.weasy.write_pdf` takes them. ``lang`` is used when the first part has no ``/Lang``.
    ``furniture``: a sheet of folios and running heads and where its pages go (:func:`.furniture.stamp`), the
    pages' content compressed by ``compress`` when given (:class:`.deflated.DeflateMemo`). ``arrange`` is called
    on the joined PDF last, before it is saved (the facing edition puts its pages in spread order there: one save
    instead of a save and a reopen per step).
    Deterministic: the same parts and arguments give the same bytes.
    """
    if not parts:
        raise PDFError("nothing to assemble: no parts")
    sources: list[Pdf] = []
    current = parts[0].name
    try:
        for part in parts:
            sources.append(_open(part))
            if part.pages:
                keep_pages(sources[-1], part.pages)
        out = Pdf.new()
        tagged = all("/StructTreeRoot" in src.Root for src in sources)
        if not tagged and any("/StructTreeRoot" in src.Root for src in sources):
            log.warning("some parts are tagged and some are not: the assembled PDF is untagged")
        merger = _Merger(out, tagged, sources[0].Root.get("/Lang"))
        for part, src in zip(parts, sources):
            current = part.name
            merger.add(part, src)
        current = "the volume"
        merger.finish()
        if furniture is not None:
            current = "the running heads and folios"
            stamp(out, *furniture, compress=compress)
        merge_font_subsets(out)
        set_bleed_boxes(out)
        write_catalog(out, sources[0], labels, lang)
        write_metadata(out, sources[0], title, authors, rights_xmp, lang)
        if arrange is not None:
            current = "the pages' order"
            arrange(out)
        buffer = io.BytesIO()
        pikepdf.settings.set_flate_compression_level(FLATE_LEVEL)
        # deterministic_id: the /ID is a hash of the content, so the same parts give the same bytes.
        out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 compress_streams=True, fix_metadata_version=False, min_version=sources[0].pdf_version)
        return Assembled(buffer.getvalue(), len(out.pages), merger.unresolved)
    except (pikepdf.PdfError, pikepdf.ForeignObjectError, KeyError, AttributeError, TypeError) as exc:
        # A part WeasyPrint wrote always has what is read here; anything missing is a damaged part.
        raise PDFError(f"assembling {current}: {type(exc).__name__}: {exc}") from exc
    finally:
        for src in sources:
            src.close()


def _open(part: Part) -> Pdf:
    """The part's PDF, or a PDFError naming the part."""
    try:
        return Pdf.open(io.BytesIO(part.data))
    except pikepdf.PdfError as exc:
        reason = re.sub(r"^.*?<_io\.BytesIO object at \w+>:?\s*", "", str(exc))
        raise PDFError(f"part {part.name}: not a readable PDF ({reason})") from exc


# --- merging ----------------------------------------------------------------------------------------------------


class _Merger:
    """Copies the parts into ``out`` one after another and keeps what must be joined at the end."""

    def __init__(self, out: Pdf, tagged: bool, lang: Any) -> None:
        self.out = out
        self.tagged = tagged
        self.lang = str(lang) if lang is not None else None
        self.dests: dict[str, Any] = {}
        self.outline_items: list[Any] = []
        self.outline_count = 0
        self.struct_kids: list[Any] = []
        self.parent_tree: list[tuple[int, Any]] = []
        self.next_key = 0
        self.role_map: dict[str, Any] = {}
        self.ids: dict[str, Any] = {}
        self.links: list[tuple[Any, Any, str]] = []  # (page, annotation, anchor) of taiyaku-dest links
        self.unresolved: list[str] = []
        self.parts_seen: list[str] = []
        self.document: Any = None
        if tagged:
            self.root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
            self.document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=self.root))

    def add(self, part: Part, src: Pdf) -> None:
        """Copy one part: its pages, then what refers to them (copy_foreign maps every reference to a page
        already copied from the same source onto that copy)."""
        first = len(self.out.pages)
        with warnings.catch_warnings():
            # pikepdf warns that named destinations are not carried over: _dests does that.
            warnings.simplefilter("ignore", getattr(pikepdf, "PageCopyWarning", UserWarning))
            self.out.pages.extend(src.pages)
        copied = list(self.out.pages)[first:]
        offset = self.next_key
        if self.tagged:
            offset = self._structure(part, src)
        renamed = self._dests(part, src, len(self.parts_seen))
        self.parts_seen.append(part.name)
        for page in copied:
            obj = page.obj
            if "/StructParents" in obj:
                if self.tagged:
                    obj.StructParents = int(obj.StructParents) + offset
                else:
                    del obj["/StructParents"]
            for annot in obj.get("/Annots", []):
                if "/StructParent" in annot:
                    if self.tagged:
                        annot.StructParent = int(annot.StructParent) + offset
                    else:
                        del annot["/StructParent"]
                action = annot.get("/A")
                if action is not None and action.get("/S") == Name.URI:
                    uri = str(action.get("/URI", ""))
                    if uri.startswith(DEST_SCHEME):
                        self.links.append((obj, annot, uri[len(DEST_SCHEME):]))
                if renamed:
                    rename_target(annot, renamed)
        self._outline(src, renamed)

    def _structure(self, part: Part, src: Pdf) -> int:
        """Copy the part's structure tree under the volume's Document element; returns its key offset."""
        tree = src.Root.StructTreeRoot
        offset = self.next_key
        entries = list(tree_items(tree.get("/ParentTree"), "/Nums"))
        highest = max((int(key) for key, _ in entries), default=-1)
        declared = int(tree.get("/ParentTreeNextKey", 0))
        self.next_key = offset + max(highest + 1, declared)
        for key, value in entries:
            self.parent_tree.append((int(key) + offset, copy_object(self.out, value)))
        kids = tree.get("/K")
        if kids is None:
            kids = Array()
        elif not isinstance(kids, Array):
            kids = Array([kids])
        lang = src.Root.get("/Lang")
        for kid in kids:
            copy = copy_object(self.out, kid)
            if copy.get("/S") == Name.Document:
                # One Document per volume: each part's own becomes a Part (a large division of the document).
                copy.S = Name.Part
            if lang is not None and str(lang) != self.lang and "/Lang" not in copy:
                copy.Lang = String(str(lang))  # the volume's catalog has the first part's language only
            copy.P = self.document
            self.struct_kids.append(copy)
            _tidy_structure(copy, part.name)
        for role, standard in tree.get("/RoleMap", Dictionary()).items():
            self.role_map.setdefault(role, copy_object(self.out, standard))
        for key, elem in tree_items(tree.get("/IDTree"), "/Names"):
            self.ids.setdefault(bytes(key), copy_object(self.out, elem))
        return offset

    def _dests(self, part: Part, src: Pdf, number: int) -> dict[str, str]:
        """Collect the part's named destinations; returns the names it shares with an earlier part, renamed
        (``<name>~<part number>``) so that its own links still land in it. Links between parts reach the first."""
        names = src.Root.get("/Names")
        entries = list(tree_items(names.get("/Dests") if names is not None else None, "/Names"))
        legacy = src.Root.get("/Dests")
        if legacy is not None:
            entries += [(String(str(key)[1:]), value) for key, value in legacy.items()]
        renamed: dict[str, str] = {}
        for key, value in entries:
            name = str(key)
            if name in self.dests:
                log.warning("part %s: anchor %r is also in an earlier part; links from other parts go to the "
                            "first", part.name, name)
                renamed[name] = name = f"{name}~{number}"
            self.dests[name] = copy_object(self.out, value)
        return renamed

    def _outline(self, src: Pdf, renamed: dict[str, str]) -> None:
        """Collect the part's top-level outline items, copied."""
        outlines = src.Root.get("/Outlines")
        if outlines is None:
            return
        item = outlines.get("/First")
        seen: set[tuple[int, int]] = set()
        while item is not None and item.objgen not in seen:
            seen.add(item.objgen)
            copy = copy_object(self.out, item)
            self.outline_items.append(copy)
            if renamed:
                rename_outline(copy, renamed)
            item = item.get("/Next")
        self.outline_count += int(outlines.get("/Count", 0)) if int(outlines.get("/Count", 0)) > 0 else 0

    def finish(self) -> None:
        """Write the joined trees into the catalog and resolve the links between parts."""
        root = self.out.Root
        if self.dests:
            names: list[Any] = []
            for name in sorted(self.dests, key=lambda n: n.encode("utf-8")):
                names += [String(name), self.dests[name]]
            root.Names = Dictionary(Dests=self.out.make_indirect(Dictionary(Names=Array(names))))
        if self.outline_items:
            outlines = self.out.make_indirect(Dictionary(Type=Name.Outlines))
            for index, item in enumerate(self.outline_items):
                item.Parent = outlines
                if index:
                    item.Prev = self.outline_items[index - 1]
                elif "/Prev" in item:
                    del item["/Prev"]
                if index + 1 < len(self.outline_items):
                    item.Next = self.outline_items[index + 1]
                elif "/Next" in item:
                    del item["/Next"]
            outlines.First = self.outline_items[0]
            outlines.Last = self.outline_items[-1]
            outlines.Count = self.outline_count or len(self.outline_items)
            root.Outlines = outlines
        self._links()
        if self.tagged:
            self.document.K = Array(self.struct_kids)
            self.root.K = Array([self.document])
            nums: list[Any] = []
            for key, value in sorted(self.parent_tree, key=lambda entry: entry[0]):
                nums += [key, value]
            self.root.ParentTree = self.out.make_indirect(Dictionary(Nums=Array(nums)))
            self.root.ParentTreeNextKey = self.next_key
            if self.role_map:
                self.root.RoleMap = Dictionary({key: self.role_map[key] for key in sorted(self.role_map)})
            if self.ids:
                ids: list[Any] = []
                for key in sorted(self.ids):
                    ids += [String(key), self.ids[key]]
                self.root.IDTree = Dictionary(Names=Array(ids))
            root.StructTreeRoot = self.root

    def _links(self) -> None:
        """``taiyaku-dest:`` links become GoTo actions; links to anchors no part has are removed."""
        for page, annot, anchor in self.links:
            if anchor in self.dests:
                annot.A = Dictionary(Type=Name.Action, S=Name.GoTo, D=String(anchor))
                continue
            if anchor not in self.unresolved:
                self.unresolved.append(anchor)
            log.debug("link to %r removed: no part has that anchor", anchor)
            annots = page.Annots
            for index in range(len(annots) - 1, -1, -1):
                if annots[index].objgen == annot.objgen:
                    del annots[index]
            if len(annots) == 0:
                del page["/Annots"]
            if self.tagged and "/StructParent" in annot:
                self._drop_from_tree(annot)

    def _drop_from_tree(self, annot: Any) -> None:
        """Remove the annotation's OBJR from its Link element and its /ParentTree entry; a Link element left
        without an annotation becomes a Span (its text stays in the tree)."""
        key = int(annot.StructParent)
        for index, (number, elem) in enumerate(self.parent_tree):
            if number != key:
                continue
            del self.parent_tree[index]
            kids = elem.get("/K")
            if isinstance(kids, Array):
                for position in range(len(kids) - 1, -1, -1):
                    kid = kids[position]
                    if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR \
                            and kid.get("/Obj") is not None and kid.Obj.objgen == annot.objgen:
                        del kids[position]
                still_linked = any(isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR for kid in kids)
            else:
                still_linked = False
                if isinstance(kids, Dictionary) and kids.get("/Type") == Name.OBJR:
                    del elem["/K"]
            if not still_linked and elem.get("/S") == Name.Link:
                elem.S = Name.Span
            break


def _tidy_structure(top: Any, part: str) -> None:
    """What WeasyPrint 70 leaves out of or wrong in a part's structure, put right in one walk of it (a walk of
    the x8 volume's tree costs 0.06 s): object references that point at no annotation removed (WeasyPrint
    writes some at font dictionaries when a document's links were changed after layout, as the offprints do; a
    Link element left without an annotation becomes a Span), and table header cells given a ``/Scope``
    (:func:`.tagging.scope_row`)."""
    pending = [top]
    while pending:
        elem = pending.pop()
        kids = elem.get("/K")
        if not isinstance(kids, Array):
            if isinstance(kids, Dictionary) and "/S" in kids:
                pending.append(kids)
                if elem.get("/S") == Name.TR:
                    scope_row([kids])
            continue
        stray = False
        elements = []
        for position in range(len(kids) - 1, -1, -1):
            kid = kids[position]
            if not isinstance(kid, Dictionary):
                continue
            if kid.get("/Type") == Name.OBJR:
                target = kid.get("/Obj")
                if target is None or target.get("/Type") != Name.Annot:
                    del kids[position]
                    stray = True
            elif "/S" in kid:
                pending.append(kid)
                elements.append(kid)
        if elem.get("/S") == Name.TR:
            scope_row(elements[::-1])
        if stray:
            log.debug("part %s: a %s element referred to an object that is not an annotation", part, elem.get("/S"))
            if elem.get("/S") == Name.Link and not any(
                    isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR for kid in kids):
                elem.S = Name.Span
