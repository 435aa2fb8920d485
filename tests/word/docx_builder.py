"""Word files written by the tests themselves: WordprocessingML parts in a zip, nothing from Word or pandoc.

A :class:`Docx` collects body XML, notes, comments, media and core properties; the helpers below make the XML
of paragraphs, runs, notes, tables, images, ruby and tracked changes the way Word writes them.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = (f'xmlns:w="{W}" xmlns:r="{R}" '
              'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# (style id, style name, type): the names are what pandoc and taiyaku see.
STYLES = [
    ("Normal", "Normal", "paragraph"), ("Title", "Title", "paragraph"), ("Subtitle", "Subtitle", "paragraph"),
    ("Heading1", "heading 1", "paragraph"), ("Heading2", "heading 2", "paragraph"),
    ("Heading3", "heading 3", "paragraph"), ("Caption", "caption", "paragraph"),
    ("Abstract", "Abstract", "paragraph"), ("Author", "Author", "paragraph"), ("Keywords", "Keywords", "paragraph"),
    ("Affiliation", "Affiliation", "paragraph"), ("Bio", "Bio", "paragraph"),
    ("Quote", "Quote", "paragraph"), ("ListParagraph", "List Paragraph", "paragraph"),
    ("FootnoteText", "footnote text", "paragraph"), ("EndnoteText", "endnote text", "paragraph"),
    ("CommentText", "annotation text", "paragraph"), ("PullQuoteFancy", "Pull Quote Fancy", "paragraph"),
    ("FootnoteReference", "footnote reference", "character"), ("EndnoteReference", "endnote reference", "character"),
    ("Hyperlink", "Hyperlink", "character"), ("CommentReference", "annotation reference", "character"),
    ("Emphasis", "Emphasis", "character"), ("Strong", "Strong", "character"),
]


def t(text: str) -> str:
    """A text element keeping its spaces."""
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def run(text: str, italic: bool = False, bold: bool = False, style: str = "") -> str:
    """One run of text."""
    props = (f'<w:rStyle w:val="{style}"/>' if style else "") + ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{t(text)}</w:r>"


def para(*runs: str, style: str = "", numbering: tuple[int, int] | None = None) -> str:
    """A paragraph of runs (plain strings become plain runs)."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if numbering:
        props += f'<w:numPr><w:ilvl w:val="{numbering[1]}"/><w:numId w:val="{numbering[0]}"/></w:numPr>'
    body = "".join(r if r.startswith("<") else run(r) for r in runs)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{body}</w:p>"


def footnote_ref(note_id: int) -> str:
    """A footnote's call in the text."""
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'


def endnote_ref(note_id: int) -> str:
    """An endnote's call in the text."""
    return f'<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr><w:endnoteReference w:id="{note_id}"/></w:r>'


def hyperlink(rel_id: str, text: str) -> str:
    """A link to an external target declared in the document's relationships."""
    return f'<w:hyperlink r:id="{rel_id}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>{t(text)}</w:r></w:hyperlink>'


def ruby(base: str, reading: str) -> str:
    """Japanese ruby: a reading over its base text."""
    return ('<w:r><w:ruby><w:rubyPr><w:rubyAlign w:val="distributeSpace"/><w:hps w:val="10"/>'
            '<w:hpsRaise w:val="18"/><w:hpsBaseText w:val="21"/><w:lid w:val="ja-JP"/></w:rubyPr>'
            f"<w:rt><w:r>{t(reading)}</w:r></w:rt><w:rubyBase><w:r>{t(base)}</w:r></w:rubyBase></w:ruby></w:r>")


def inserted(text: str, change_id: int, author: str = "Reviser") -> str:
    """A tracked insertion."""
    return f'<w:ins w:id="{change_id}" w:author="{author}" w:date="2026-01-05T10:00:00Z">{run(text)}</w:ins>'


def deleted(text: str, change_id: int, author: str = "Reviser") -> str:
    """A tracked deletion."""
    return (f'<w:del w:id="{change_id}" w:author="{author}" w:date="2026-01-05T10:00:00Z"><w:r>'
            f'<w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>')


def commented(comment_id: int, *runs: str) -> str:
    """Runs a comment is anchored to, with the comment's mark after them."""
    return (f'<w:commentRangeStart w:id="{comment_id}"/>' + "".join(runs) + f'<w:commentRangeEnd w:id="{comment_id}"/>'
            f'<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="{comment_id}"/></w:r>')


def image(rel_id: str, alt: str, number: int) -> str:
    """An inline picture with alt text (``descr``), one inch square."""
    return ('<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="914400" cy="914400"/>'
            f'<wp:docPr id="{number}" name="Picture {number}" descr={quoteattr(alt)}/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            f'<pic:nvPicPr><pic:cNvPr id="{number}" name="image{number}" descr={quoteattr(alt)}/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            "</wp:inline></w:drawing></w:r>")


@dataclass
class Cell:
    """A table cell: paragraphs' XML, and how far it spans."""

    paragraphs: list[str]
    span: int = 1
    vmerge: str = ""
    """``restart`` opens a vertical merge, ``continue`` continues one."""


def cell(text: str = "", span: int = 1, vmerge: str = "") -> Cell:
    """A cell of one plain paragraph."""
    return Cell([para(text)] if text or vmerge != "continue" else [para()], span, vmerge)


def table(rows: list[list[Cell]], header_rows: int = 1) -> str:
    """A bordered table; the first ``header_rows`` rows repeat as headers."""
    columns = sum(c.span for c in rows[0])
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(columns))
    xml = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
           f'<w:tblLook w:val="04A0" w:firstRow="{1 if header_rows else 0}" w:lastRow="0" w:firstColumn="0" '
           f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
    for number, cells in enumerate(rows):
        xml.append("<w:tr>" + ("<w:trPr><w:tblHeader/></w:trPr>" if number < header_rows else ""))
        for c in cells:
            props = (f'<w:gridSpan w:val="{c.span}"/>' if c.span > 1 else "")
            props += {"restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>"}.get(c.vmerge, "")
            xml.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(c.paragraphs)}</w:tc>")
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    return "".join(xml)


def png(width: int = 4, height: int = 3) -> bytes:
    """A small valid PNG (grey pixels)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@dataclass
class Docx:
    """A Word document under construction."""

    body: list[str] = field(default_factory=list)
    footnotes: dict[int, list[str]] = field(default_factory=dict)
    """Note id → its paragraphs' XML (the ``footnoteRef`` mark is added to the first)."""
    endnotes: dict[int, list[str]] = field(default_factory=dict)
    comments: dict[int, tuple[str, str]] = field(default_factory=dict)
    """Comment id → (author, text)."""
    media: dict[str, bytes] = field(default_factory=dict)
    """Relationship id → bytes; the file is ``word/media/<id>.<ext>`` with ``ext`` from ``media_ext``."""
    media_ext: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    """Relationship id → external URL."""
    core: dict[str, str] = field(default_factory=dict)
    """``dc:title``, ``dc:creator``, ``cp:keywords``, ``dc:description``… → text."""
    lists: bool = True

    def add(self, *xml: str) -> Docx:
        """Append body blocks."""
        self.body.extend(xml)
        return self

    def _notes(self, kind: str, notes: dict[int, list[str]]) -> str:
        ref = "footnoteRef" if kind == "footnote" else "endnoteRef"
        style = "FootnoteReference" if kind == "footnote" else "EndnoteReference"
        parts = [f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
                 f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                 f"</w:p></w:{kind}>"]
        text_style = "FootnoteText" if kind == "footnote" else "EndnoteText"
        for note_id, paragraphs in notes.items():
            xml = []
            for number, p in enumerate(paragraphs):
                inner = p[len("<w:p>"):-len("</w:p>")] if p.startswith("<w:p>") else p
                mark = f'<w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr><w:{ref}/></w:r>{run(" ")}' if number == 0 else ""
                xml.append(f'<w:p><w:pPr><w:pStyle w:val="{text_style}"/></w:pPr>{mark}{inner}</w:p>')
            parts.append(f'<w:{kind} w:id="{note_id}">{"".join(xml)}</w:{kind}>')
        return f'{HEAD}<w:{kind}s {NAMESPACES}>{"".join(parts)}</w:{kind}s>'

    def parts(self) -> dict[str, bytes | str]:
        """Every part of the package, by name."""
        rels = [(f"rId{n}", kind, target) for n, (kind, target) in enumerate([
            ("styles", "styles.xml"), ("footnotes", "footnotes.xml"), ("endnotes", "endnotes.xml"),
            ("comments", "comments.xml"), ("numbering", "numbering.xml")], start=1)]
        files: dict[str, bytes | str] = {}
        rel_xml = [f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"/>' for rid, kind, target in rels]
        for rid, data in self.media.items():
            name = f"media/{rid}.{self.media_ext.get(rid, 'png')}"
            files[f"word/{name}"] = data
            rel_xml.append(f'<Relationship Id="{rid}" Type="{REL}/image" Target="{name}"/>')
        for rid, url in self.links.items():
            rel_xml.append(f'<Relationship Id="{rid}" Type="{REL}/hyperlink" Target={quoteattr(url)} TargetMode="External"/>')
        extensions = sorted({self.media_ext.get(rid, "png") for rid in self.media})
        types = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
                 "emf": "image/x-emf", "wmf": "image/x-wmf", "tiff": "image/tiff", "svg": "image/svg+xml"}
        defaults = "".join(f'<Default Extension="{ext}" ContentType="{types.get(ext, "application/octet-stream")}"/>'
                           for ext in extensions)
        main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
        files["[Content_Types].xml"] = (
            f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{defaults}'
            f'<Override PartName="/word/document.xml" ContentType="{main}.document.main+xml"/>'
            f'<Override PartName="/word/styles.xml" ContentType="{main}.styles+xml"/>'
            f'<Override PartName="/word/footnotes.xml" ContentType="{main}.footnotes+xml"/>'
            f'<Override PartName="/word/endnotes.xml" ContentType="{main}.endnotes+xml"/>'
            f'<Override PartName="/word/comments.xml" ContentType="{main}.comments+xml"/>'
            f'<Override PartName="/word/numbering.xml" ContentType="{main}.numbering+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>')
        files["_rels/.rels"] = (
            f'{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/></Relationships>')
        files["word/_rels/document.xml.rels"] = (
            f'{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rel_xml) + "</Relationships>")
        files["word/document.xml"] = (f'{HEAD}<w:document {NAMESPACES}><w:body>{"".join(self.body)}'
                                      '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
        styles = []
        for style_id, name, kind in STYLES:
            extra = ""
            if name.startswith("heading "):
                extra = f'<w:pPr><w:outlineLvl w:val="{int(name[-1]) - 1}"/></w:pPr>'
            based = '<w:basedOn w:val="Normal"/>' if kind == "paragraph" and style_id != "Normal" else ""
            styles.append(f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>'
                          f"{based}{extra}</w:style>")
        files["word/styles.xml"] = f'{HEAD}<w:styles {NAMESPACES}>{"".join(styles)}</w:styles>'
        files["word/footnotes.xml"] = self._notes("footnote", self.footnotes)
        files["word/endnotes.xml"] = self._notes("endnote", self.endnotes)
        comments = "".join(f'<w:comment w:id="{cid}" w:author={quoteattr(author)} w:date="2026-01-05T10:00:00Z" '
                           f'w:initials="X"><w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>{run(text)}</w:p></w:comment>'
                           for cid, (author, text) in self.comments.items())
        files["word/comments.xml"] = f"{HEAD}<w:comments {NAMESPACES}>{comments}</w:comments>"
        # numId 1: bullets, then decimal at the second level; numId 2: decimal, then lower letters.
        levels = {1: [("bullet", "•"), ("decimal", "%2.")], 2: [("decimal", "%1."), ("lowerLetter", "%2)")]}
        abstracts = "".join(
            f'<w:abstractNum w:abstractNumId="{num}">' + "".join(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                f'<w:pPr><w:ind w:left="{720 * (ilvl + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
                for ilvl, (fmt, text) in enumerate(lvls)) + "</w:abstractNum>"
            for num, lvls in levels.items())
        nums = "".join(f'<w:num w:numId="{num}"><w:abstractNumId w:val="{num}"/></w:num>' for num in levels)
        files["word/numbering.xml"] = f"{HEAD}<w:numbering {NAMESPACES}>{abstracts}{nums}</w:numbering>"
        core = "".join(f"<{key}>{escape(value)}</{key}>" for key, value in self.core.items())
        files["docProps/core.xml"] = (
            f'{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{core}</cp:coreProperties>')
        return files

    def write(self, path: Path) -> Path:
        """Write the package to ``path``."""
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.parts().items():
                archive.writestr(name, data)
        return path
