"""XLIFF 1.2 (OASIS, strict schema): the version every CAT tool reads. One ``<file>`` per document."""

from __future__ import annotations

from lxml import etree

from .. import __version__
from .exchange import DONE_STATES, TOOL, Export, ReturnedUnit
from .inline import Segment, Tag, joined
from .safety import ExchangeError, parse_untrusted_xml

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_Q = f"{{{NS}}}"


def _fill(element: etree._Element, segment: Segment) -> None:
    """Write a segment into ``element``: text, and ``bpt``/``ept``/``ph`` holding their Markdown."""
    last: etree._Element | None = None
    for piece in segment:
        if isinstance(piece, str):
            if last is None:
                element.text = (element.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
            continue
        child = etree.SubElement(element, _Q + piece.kind, id=piece.id)
        if piece.kind != "ept":
            child.set("ctype", piece.ctype)
        child.text = piece.code
        last = child


def write(export: Export) -> bytes:
    """The export as an XLIFF 1.2 document."""
    root = etree.Element(_Q + "xliff", nsmap={None: NS}, version="1.2")
    for doc in export.documents:
        file = etree.SubElement(root, _Q + "file", original=doc.source, datatype="x-markdown")
        file.set("source-language", export.source_lang)
        file.set("target-language", export.target_lang)
        file.set("tool-id", TOOL)
        header = etree.SubElement(file, _Q + "header")
        etree.SubElement(header, _Q + "tool", {"tool-id": TOOL, "tool-name": TOOL, "tool-version": __version__})
        note = etree.SubElement(header, _Q + "note", {"from": TOOL})
        note.text = f"translation: {doc.translation}"
        body = etree.SubElement(file, _Q + "body")
        for unit in doc.units:
            tu = etree.SubElement(body, _Q + "trans-unit", id=unit.id, resname=unit.resname or unit.id,
                                  restype=f"x-{unit.kind}")
            tu.set(f"{{{XML_NS}}}space", "preserve")
            if unit.translation_hash:
                tu.set("extradata", f"translation={unit.translation_hash}")
            source = etree.SubElement(tu, _Q + "source")
            source.set(f"{{{XML_NS}}}lang", export.source_lang)
            _fill(source, unit.source)
            if unit.target is not None:
                target = etree.SubElement(tu, _Q + "target", state=unit.state)
                target.set(f"{{{XML_NS}}}lang", export.target_lang)
                _fill(target, unit.target)
            if unit.old_source is not None and unit.target is not None:
                alt = etree.SubElement(tu, _Q + "alt-trans", alttranstype="previous-version", origin=TOOL)
                _fill(etree.SubElement(alt, _Q + "source"), unit.old_source)
                _fill(etree.SubElement(alt, _Q + "target"), unit.target)
            where = f"source line {unit.source_line}" if unit.source_line else ""
            if unit.translation_line:
                where += f", translation line {unit.translation_line}"
            context = etree.SubElement(tu, _Q + "note", {"from": TOOL, "annotates": "general"})
            context.text = f"{doc.source}: {where} ({unit.reason})"
            if unit.note:
                diff = etree.SubElement(tu, _Q + "note", {"from": TOOL, "annotates": "source"})
                diff.text = unit.note
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _segment(element: etree._Element, damage: list[str]) -> Segment:
    """An element's content as a segment; elements the export never makes are recorded in ``damage``."""
    pieces: Segment = []
    if element.text:
        pieces.append(element.text)
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction: ignored, its tail kept
            pass
        else:
            name = etree.QName(child).localname
            if name in ("bpt", "ept", "ph"):
                tag_id = child.get("id") or ""
                if not tag_id:
                    damage.append(f"<{name}> without an id (line {child.sourceline})")
                pieces.append(Tag(name, tag_id, "".join(child.itertext()), child.get("ctype") or ""))  # type: ignore[arg-type]
            elif name == "mrk":  # a CAT tool's segment or term mark: its text is the text
                pieces.extend(_segment(child, damage))
            else:
                damage.append(f"<{name}> (line {child.sourceline}) is not a tag the export made")
        if child.tail:
            pieces.append(child.tail)
    return joined(pieces)


def read(data: bytes, path: str) -> list[ReturnedUnit]:
    """The units of an XLIFF 1.2 file (untrusted input: see :mod:`.safety`)."""
    tree = parse_untrusted_xml(data, path)
    root = tree.getroot()
    if root.tag != _Q + "xliff":
        raise ExchangeError(f"not an XLIFF 1.2 document (root element {root.tag!r})", path, root.sourceline)
    units: list[ReturnedUnit] = []
    for file in root.iter(_Q + "file"):
        original = file.get("original") or ""
        for tu in file.iter(_Q + "trans-unit"):
            damage: list[str] = []
            source_el = tu.find(_Q + "source")
            target_el = tu.find(_Q + "target")
            source = _segment(source_el, []) if source_el is not None else []
            target = _segment(target_el, damage) if target_el is not None else None
            state = target_el.get("state", "") if target_el is not None else "new"
            done = target_el is not None and (state in DONE_STATES or (not state and tu.get("approved") == "yes")
                                              or (not state and bool(target)))
            extradata = tu.get("extradata") or ""
            translation_hash = extradata.removeprefix("translation=") if extradata.startswith("translation=") else ""
            units.append(ReturnedUnit(tu.get("id") or "", original, source, target, state, done, tu.sourceline,
                                      translation_hash, damage))
    return units
