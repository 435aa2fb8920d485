"""XLIFF 2.0 (OASIS core): one ``<file>`` per document, one ``<unit>`` with one ``<segment>`` per block.

Paired tags are ``<pc>`` (``<sc>``/``<ec>`` when a returned target does not nest them), placeholders ``<ph>``;
the Markdown each stands for is in the unit's ``<originalData>``. Core has no alternative translations: an
outdated unit's old source is a note (category ``previous-source``) beside the word diff (``source-diff``).
"""

from __future__ import annotations

from lxml import etree

from .exchange import Export, ReturnedUnit
from .inline import Segment, Tag, joined
from .safety import ExchangeError, parse_untrusted_xml

NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_Q = f"{{{NS}}}"
_DONE = {"translated", "reviewed", "final"}


class _Data:
    """A unit's ``<originalData>``: one ``<data>`` per distinct piece of Markdown."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def ref(self, code: str) -> str:
        if code not in self.ids:
            self.ids[code] = f"d{len(self.ids) + 1}"
        return self.ids[code]


def _fill(element: etree._Element, segment: Segment, data: _Data) -> None:
    """Write a segment: ``<pc>`` for a pair, ``<ph>`` for a placeholder."""
    stack = [element]
    last: dict[int, etree._Element | None] = {id(element): None}
    closing = {p.id: p.code for p in segment if isinstance(p, Tag) and p.kind == "ept"}

    def add_text(text: str) -> None:
        parent = stack[-1]
        child = last[id(parent)]
        if child is None:
            parent.text = (parent.text or "") + text
        else:
            child.tail = (child.tail or "") + text

    for piece in segment:
        if isinstance(piece, str):
            add_text(piece)
            continue
        parent = stack[-1]
        if piece.kind == "ph":
            child = etree.SubElement(parent, _Q + "ph", id=piece.id, dataRef=data.ref(piece.code))
            last[id(parent)] = child
        elif piece.kind == "bpt":
            child = etree.SubElement(parent, _Q + "pc", id=piece.id, dataRefStart=data.ref(piece.code),
                                     dataRefEnd=data.ref(closing.get(piece.id, "")))
            last[id(parent)] = child
            last[id(child)] = None
            stack.append(child)
        else:
            if len(stack) > 1:
                stack.pop()


def write(export: Export) -> bytes:
    """The export as an XLIFF 2.0 document."""
    root = etree.Element(_Q + "xliff", nsmap={None: NS}, version="2.0", srcLang=export.source_lang,
                         trgLang=export.target_lang)
    for number, doc in enumerate(export.documents, start=1):
        file = etree.SubElement(root, _Q + "file", id=f"f{number}", original=doc.source)
        notes = etree.SubElement(file, _Q + "notes")
        etree.SubElement(notes, _Q + "note", category="translation").text = doc.translation
        for unit in doc.units:
            element = etree.SubElement(file, _Q + "unit", id=unit.id, name=unit.resname or unit.id)
            element.set(f"{{{XML_NS}}}space", "preserve")
            notes = etree.SubElement(element, _Q + "notes")
            where = f"source line {unit.source_line}" if unit.source_line else ""
            if unit.translation_line:
                where += f", translation line {unit.translation_line}"
            etree.SubElement(notes, _Q + "note", category="location").text = f"{doc.source}: {where} ({unit.reason})"
            if unit.translation_hash:
                etree.SubElement(notes, _Q + "note", category="translation-hash").text = unit.translation_hash
            if unit.note:
                etree.SubElement(notes, _Q + "note", category="source-diff", appliesTo="source").text = unit.note
            if unit.old_source is not None:
                etree.SubElement(notes, _Q + "note", category="previous-source", appliesTo="source").text = \
                    "".join(p if isinstance(p, str) else p.code for p in unit.old_source)
            original = etree.SubElement(element, _Q + "originalData")
            data = _Data()
            state = "translated" if unit.state == "translated" else "initial"
            segment = etree.SubElement(element, _Q + "segment", state=state)
            if unit.target is not None and unit.state != "translated":
                segment.set("subState", f"taiyaku:{unit.state}")
            _fill(etree.SubElement(segment, _Q + "source"), unit.source, data)
            if unit.target is not None:
                _fill(etree.SubElement(segment, _Q + "target"), unit.target, data)
            for code, ref in data.ids.items():
                etree.SubElement(original, _Q + "data", id=ref).text = code
            if not data.ids:
                element.remove(original)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _segment(element: etree._Element, data: dict[str, str], damage: list[str]) -> Segment:
    pieces: Segment = []
    if element.text:
        pieces.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            tag_id = child.get("id") or child.get("startRef") or ""
            if name == "ph":
                pieces.append(Tag("ph", tag_id, data.get(child.get("dataRef") or "", ""), ""))
            elif name == "pc":
                pieces.append(Tag("bpt", tag_id, data.get(child.get("dataRefStart") or "", ""), ""))
                pieces.extend(_segment(child, data, damage))
                pieces.append(Tag("ept", tag_id, data.get(child.get("dataRefEnd") or "", ""), ""))
            elif name == "sc":
                pieces.append(Tag("bpt", tag_id, data.get(child.get("dataRef") or "", ""), ""))
            elif name == "ec":
                pieces.append(Tag("ept", tag_id, data.get(child.get("dataRef") or "", ""), ""))
            elif name == "mrk":
                pieces.extend(_segment(child, data, damage))
            else:
                damage.append(f"<{name}> (line {child.sourceline}) is not a tag the export made")
        if child.tail:
            pieces.append(child.tail)
    return joined(pieces)


def read(data: bytes, path: str) -> tuple[str, list[ReturnedUnit]]:
    """The target language and the units of an XLIFF 2.0 file (untrusted input: see :mod:`.safety`)."""
    root = parse_untrusted_xml(data, path).getroot()
    if root.tag != _Q + "xliff":
        raise ExchangeError(f"not an XLIFF 2.0 document (root element {root.tag!r})", path, root.sourceline)
    units: list[ReturnedUnit] = []
    for file in root.iter(_Q + "file"):
        original = file.get("original") or ""
        for unit in file.iter(_Q + "unit"):
            codes = {d.get("id") or "": "".join(d.itertext()) for d in unit.iter(_Q + "data")}
            hashes = [n.text or "" for n in unit.iter(_Q + "note") if n.get("category") == "translation-hash"]
            for segment in unit.iter(_Q + "segment"):
                damage: list[str] = []
                source_el, target_el = segment.find(_Q + "source"), segment.find(_Q + "target")
                source = _segment(source_el, codes, []) if source_el is not None else []
                target = _segment(target_el, codes, damage) if target_el is not None else None
                state = segment.get("state", "initial")
                units.append(ReturnedUnit(unit.get("id") or "", original, source, target, state,
                                          target is not None and state in _DONE, segment.sourceline,
                                          hashes[0] if hashes else "", damage))
    return root.get("trgLang") or "", units
