"""The assembled PDF's catalog, Info and XMP metadata (title, authors, rights, page labels, language), and the
XMP description of an edition's rights that every PDF of it carries (:func:`xmp_rights`, :func:`add_to_xmp`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any, Sequence

from pikepdf import Array, Dictionary, Name, Pdf, String

from ..i18n import html_lang
from ..lang import primary
from .objects import copy_object

if TYPE_CHECKING:
    from ..citations.model import Rights


def write_catalog(out: Pdf, first: Pdf, labels: Sequence[tuple[int, dict[str, Any]]], lang: str) -> None:
    """The first part's catalog entries, and the volume's page labels."""
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/OutputIntents", "/PageMode", "/PageLayout"):
        if key in first.Root:
            out.Root[key] = copy_object(out, first.Root[key])
    if "/Lang" not in out.Root and lang:
        out.Root.Lang = String(lang)
    if not (out.Root.get("/StructTreeRoot") is not None) and "/MarkInfo" in out.Root:
        del out.Root["/MarkInfo"]
    nums = Array()
    for start, label in labels:
        entry = Dictionary()
        for key, value in label.items():
            if key == "P":
                entry.P = String(str(value))
            elif key == "S":
                entry.S = Name(str(value)) if str(value).startswith("/") else Name("/" + str(value))
            else:
                entry[f"/{key}"] = value
        nums.extend([int(start), entry])
    if len(nums):
        out.Root.PageLabels = Dictionary(Nums=nums)
    if "/Version" in first.Root:
        out.Root.Version = first.Root.Version


_NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
       "x": "adobe:ns:meta/", "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/",
       "pdfaid": "http://www.aiim.org/pdfa/ns/id/", "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
       "pdfxid": "http://www.npes.org/pdfx/ns/id/", "pdfx": "http://ns.adobe.com/pdfx/1.3/",
       "xmpMM": "http://ns.adobe.com/xap/1.0/mm/", "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
       "cc": "http://creativecommons.org/ns#"}


_REPLACED = {f"{{{_NS['dc']}}}title", f"{{{_NS['dc']}}}creator", f"{{{_NS['dc']}}}rights",
             f"{{{_NS['xmpRights']}}}Marked", f"{{{_NS['xmpRights']}}}WebStatement", f"{{{_NS['cc']}}}license"}


_HEADER = b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'


_FOOTER = b'\n</x:xmpmeta>\n<?xpacket end="r"?>'


def write_metadata(out: Pdf, first: Pdf, title: str, authors: Sequence[str], rights_xmp: bytes,
                   lang: str = "") -> None:
    """Info and XMP: the first part's (producer, PDF/UA or PDF/A identification) with the volume's title,
    authors and rights."""
    info = Dictionary()
    for key, value in first.docinfo.items():
        if key not in ("/Title", "/Author"):
            info[key] = copy_object(out, value)
    if title:
        info.Title = String(title)
    if authors:
        # One string in Info (each name apart in the XMP), joined as the edition's language lists names.
        info.Author = String(("、" if primary(lang) in ("ja", "zh") else ", ").join(authors))
    out.trailer.Info = out.make_indirect(info)
    packet = _volume_xmp(first, title, authors)
    if rights_xmp:
        packet = add_to_xmp(packet, rights_xmp)
    stream = out.make_stream(packet)
    stream.Type = Name.Metadata
    stream.Subtype = Name.XML
    out.Root.Metadata = stream


def _volume_xmp(first: Pdf, title: str, authors: Sequence[str]) -> bytes:
    """The first part's XMP packet without its title, creators and rights, with the volume's title and authors."""
    for prefix, uri in _NS.items():
        ET.register_namespace(prefix, uri)
    rdf = ET.Element(f"{{{_NS['rdf']}}}RDF")
    about = f"{{{_NS['rdf']}}}about"
    if "/Metadata" in first.Root:
        try:
            tree = ET.fromstring(first.Root.Metadata.read_bytes())
        except ET.ParseError:
            tree = None
        found = tree.find(f".//{{{_NS['rdf']}}}RDF") if tree is not None else None
        for description in (found if found is not None else []):
            for child in list(description):
                if child.tag in _REPLACED:
                    description.remove(child)
            if len(description) or any(key != about for key in description.attrib):
                rdf.append(description)
    if title:
        element = ET.SubElement(ET.SubElement(rdf, f"{{{_NS['rdf']}}}Description", {about: ""}),
                                f"{{{_NS['dc']}}}title")
        item = ET.SubElement(ET.SubElement(element, f"{{{_NS['rdf']}}}Alt"), f"{{{_NS['rdf']}}}li",
                             {"xml:lang": "x-default"})
        item.text = title
    if authors:
        element = ET.SubElement(ET.SubElement(rdf, f"{{{_NS['rdf']}}}Description", {about: ""}),
                                f"{{{_NS['dc']}}}creator")
        sequence = ET.SubElement(element, f"{{{_NS['rdf']}}}Seq")
        for author in authors:
            ET.SubElement(sequence, f"{{{_NS['rdf']}}}li").text = author
    return _HEADER + ET.tostring(rdf, encoding="utf-8", xml_declaration=False) + _FOOTER


def xmp_rights(rights: Rights) -> bytes:
    """An XMP ``rdf:Description`` stating the rights: ``dc:rights``, ``xmpRights:Marked``, the licence's URL.

    For the PDF stage to put inside the ``rdf:RDF`` of the packet WeasyPrint writes (see :func:`add_to_xmp`).
    """
    from xml.sax.saxutils import escape

    if not (rights.notice or rights.license):
        return b""
    lang = html_lang(rights.lang) if rights.lang else "x-default"
    items = f'<rdf:li xml:lang="x-default">{escape(rights.statement)}</rdf:li>'
    if lang != "x-default":
        items += f'<rdf:li xml:lang="{escape(lang)}">{escape(rights.statement)}</rdf:li>'
    parts = [f"<dc:rights><rdf:Alt>{items}</rdf:Alt></dc:rights>",
             # Marked: True says the work is rights-managed (copyrighted or licensed), not public domain.
             f"<xmpRights:Marked>{'False' if rights.license.upper() == 'CC0-1.0' else 'True'}</xmpRights:Marked>"]
    if rights.license_url:
        parts.append(f"<xmpRights:WebStatement>{escape(rights.license_url)}</xmpRights:WebStatement>")
        parts.append(f'<cc:license rdf:resource="{escape(rights.license_url)}"/>')
    return ('<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" xmlns:cc="http://creativecommons.org/ns#">'
            + "".join(parts) + "</rdf:Description>").encode("utf-8")


def add_to_xmp(packet: bytes, description: bytes) -> bytes:
    """``packet`` (a whole XMP packet) with ``description`` added inside its one ``rdf:RDF``.

    Readers (pypdf, pikepdf, Acrobat) look in the first ``rdf:RDF`` only, so WeasyPrint's ``xmp_metadata``,
    which appends a second one, would go unseen.
    """
    if not description:
        return packet
    head, found, tail = packet.rpartition(b"</rdf:RDF>")
    if not found:
        raise ValueError("not an XMP packet: no </rdf:RDF>")
    return head + description + found + tail
