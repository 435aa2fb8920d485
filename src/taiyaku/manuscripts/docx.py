"""The .docx package: validated, its parts read, and a copy prepared for pandoc.

Pandoc's docx reader drops ruby, merges endnotes into footnotes and drops comments unless asked to keep tracked
changes too; the prepared copy carries private-use marks at those places (an endnote's call, a comment's
mark, a ruby's base and reading) that the writer turns into taiyaku's forms and report lines.
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as etree

from ..errors import TaiyakuError

log = logging.getLogger(__name__)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Compound File Binary: a legacy .doc, or an encrypted .docx (Word wraps those in one)."""

ENDNOTE_MARK = "\ue000"
"""Put before each endnote's call: pandoc makes endnotes footnotes, the writer says which were endnotes."""
COMMENT_OPEN, COMMENT_CLOSE = "\ue001", "\ue002"
"""Around a comment's id where its mark stands in the text."""
RUBY_OPEN, RUBY_TEXT, RUBY_CLOSE = "\ue003", "\ue004", "\ue005"
"""Before the base text, between base and reading, after the reading."""
MARKS = re.compile("[\ue000-\ue005]")


_OTHER_FORMATS = {b"{\\rtf": "an RTF file", b"%PDF": "a PDF", b"<?xml": "an XML file (Word 2003 XML?)",
                  b"<html": "an HTML page", b"<!DOCTYPE": "an HTML page"}
"""What else people send as manuscripts, by their first bytes."""


class ManuscriptError(TaiyakuError):
    """A Word file that cannot be imported (not a .docx, encrypted, corrupt, refused content)."""

    category = "import"


@dataclass(frozen=True)
class Comment:
    """A reviewer's comment from ``comments.xml``."""

    id: str
    author: str
    text: str
    anchor: str = ""
    """The text the comment is on (between its range marks), when it marks a range."""


@dataclass(frozen=True)
class TrackedChange:
    """A tracked insertion or deletion, with the paragraph it is in."""

    kind: str
    """``insertion``, ``deletion`` or ``move``."""
    author: str
    text: str
    paragraph: int
    """1-based number of the body paragraph (table cells counted), as Word's navigation would walk them."""
    context: str
    """The paragraph's opening words."""


@dataclass
class Package:
    """What taiyaku needs from a .docx, besides pandoc's reading of it."""

    path: Path
    parts: dict[str, bytes]
    core: dict[str, str] = field(default_factory=dict)
    """Core properties by local name: ``title``, ``creator``, ``keywords``, ``description``, ``subject``."""
    comments: dict[str, Comment] = field(default_factory=dict)
    changes: list[TrackedChange] = field(default_factory=list)
    endnotes: int = 0
    pictures: int = 0
    format_changes: int = 0
    """Tracked formatting changes (``w:rPrChange``…): pandoc reads the formatting as it is now."""
    """Embedded pictures in the body, to tell whether pandoc left any out."""

    def media(self, target: str) -> bytes | None:
        """The bytes of an image pandoc names by its path inside ``word/`` (``media/image1.png``)."""
        return self.parts.get(f"word/{target}") or self.parts.get(target)


def read_package(path: Path) -> Package:
    """Open and validate ``path``; every problem is one :class:`ManuscriptError` naming the file."""
    name = str(path)
    if not path.is_file():
        raise ManuscriptError("no such file" if not path.exists() else "not a file", name)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        data = path.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise ManuscriptError("the file is password-protected: save an unprotected copy in Word "
                                  "(File → Info → Protect Document) and import that", name)
        raise ManuscriptError("a legacy Word 97–2003 .doc file: open it in Word and save it as .docx "
                              "(Word Document), then import the .docx", name)
    if not zipfile.is_zipfile(path):
        other = next((kind for magic, kind in _OTHER_FORMATS.items() if head.startswith(magic)), None)
        if other:
            raise ManuscriptError(f"not a Word .docx file but {other}: open it in Word (or LibreOffice) and save it "
                                  "as .docx, then import the .docx", name)
        if head.startswith(b"PK\x03\x04"):
            raise ManuscriptError("the .docx is damaged: its zip package is incomplete (cut short in a download "
                                  "or a copy?)", name)
        raise ManuscriptError("not a Word .docx file (a .docx is a zip package; this is not one)", name)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as exc:
        raise ManuscriptError(f"the .docx is damaged and cannot be read ({exc})", name) from exc
    if "word/document.xml" not in parts:
        kind = "a spreadsheet (.xlsx)" if "xl/workbook.xml" in parts else \
            "a presentation (.pptx)" if "ppt/presentation.xml" in parts else \
            "an OpenDocument file (.odt: save it as .docx)" if "mimetype" in parts else "a zip file"
        raise ManuscriptError(f"not a Word .docx file: {kind} without word/document.xml", name)
    package = Package(path, parts)
    for part in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml", "word/comments.xml",
                 "docProps/core.xml"):
        if part in parts:
            try:
                etree.fromstring(parts[part])
            except etree.ParseError as exc:
                raise ManuscriptError(f"the .docx is damaged: {part} is not well-formed XML ({exc})", name) from exc
    package.core = _core_properties(parts.get("docProps/core.xml"))
    document = etree.fromstring(parts["word/document.xml"])
    package.comments = _comments(parts.get("word/comments.xml"), document)
    package.changes = _tracked_changes(document)
    package.endnotes = sum(1 for _ in document.iter(f"{W}endnoteReference"))
    package.format_changes = sum(1 for el in document.iter() if el.tag.endswith("PrChange"))
    package.pictures = sum(1 for blip in document.iter(f"{_A}blip") if blip.get(f"{_R}embed"))
    lost = _unreadable_graphics(document)
    if lost:
        shown = "; ".join(lost[:3]) + (f"; and {len(lost) - 3} more" if len(lost) > 3 else "")
        them = "them" if len(lost) > 1 else "it"
        raise ManuscriptError(f"{shown}: pandoc cannot read {them}, so the import would lose {them}; in Word, "
                              f"replace {them} with an embedded picture (a chart or SmartArt: Copy, then Paste "
                              "Special → Picture (PNG)) and import again", name)
    return package


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_GRAPHICS = {"chart": "a Word chart", "diagram": "a SmartArt graphic", "chartex": "a Word chart"}


def _unreadable_graphics(document: etree.Element) -> list[str]:
    """Charts, SmartArt and linked (not embedded) pictures, which pandoc leaves out without a word."""
    found = []
    for number, paragraph in enumerate(document.iter(f"{W}p"), start=1):
        for drawing in paragraph.iter(f"{W}drawing"):
            doc_pr = next(drawing.iter(f"{_WP}docPr"), None)
            label = (doc_pr.get("descr") or doc_pr.get("name") or "") if doc_pr is not None else ""
            where = f"paragraph {number}" + (f" ({label!r})" if label else "")
            data = next(drawing.iter(f"{_A}graphicData"), None)
            kind = (data.get("uri", "") if data is not None else "").rsplit("/", 1)[-1]
            if kind in _GRAPHICS:
                found.append(f"{_GRAPHICS[kind]} in {where}")
                continue
            for blip in drawing.iter(f"{_A}blip"):
                if blip.get(f"{_R}link") and not blip.get(f"{_R}embed"):
                    found.append(f"a picture linked to a file outside the document in {where}")
    return found


def _text(element: etree.Element) -> str:
    """The visible text of an element: ``w:t`` and ``w:delText``, tabs as spaces."""
    pieces = []
    for el in element.iter():
        if el.tag in (f"{W}t", f"{W}delText"):
            pieces.append(el.text or "")
        elif el.tag == f"{W}tab":
            pieces.append(" ")
    return "".join(pieces)


def _core_properties(xml: bytes | None) -> dict[str, str]:
    if not xml:
        return {}
    root = etree.fromstring(xml)
    found = {}
    for el in root:
        local = el.tag.rsplit("}", 1)[-1]
        if el.text and el.text.strip():
            found[local] = el.text.strip()
    return found


def _comments(xml: bytes | None, document: etree.Element) -> dict[str, Comment]:
    """The comments, each with the text of the range it marks in the document."""
    if not xml:
        return {}
    root = etree.fromstring(xml)
    anchors: dict[str, list[str]] = {}
    open_ranges: set[str] = set()
    for el in document.iter():
        if el.tag == f"{W}commentRangeStart":
            open_ranges.add(el.get(f"{W}id", ""))
            anchors.setdefault(el.get(f"{W}id", ""), [])
        elif el.tag == f"{W}commentRangeEnd":
            open_ranges.discard(el.get(f"{W}id", ""))
        elif el.tag in (f"{W}t", f"{W}delText") and open_ranges:
            for comment_id in open_ranges:
                anchors[comment_id].append(el.text or "")
    found = {}
    for c in root.iter(f"{W}comment"):
        comment_id = c.get(f"{W}id", "")
        anchor = " ".join("".join(anchors.get(comment_id, [])).split())
        found[comment_id] = Comment(comment_id, c.get(f"{W}author", ""),
                                    " ".join(_text(p).strip() for p in c.iter(f"{W}p")).strip(),
                                    anchor if len(anchor) <= 60 else anchor[:57] + "…")
    return found


def _tracked_changes(root: etree.Element) -> list[TrackedChange]:
    """Every tracked insertion, deletion and move of the body, with the paragraph it is in."""
    kinds = {f"{W}ins": "insertion", f"{W}del": "deletion", f"{W}moveFrom": "move", f"{W}moveTo": "move"}
    found = []
    for number, paragraph in enumerate(root.iter(f"{W}p"), start=1):
        context = " ".join(_text(paragraph).split())
        for el in paragraph.iter():
            kind = kinds.get(el.tag)
            # A paragraph mark's own change (w:rPr/w:ins) has no text: it shows as the paragraph's text.
            if kind is None:
                continue
            text = _text(el).strip()
            found.append(TrackedChange(kind, el.get(f"{W}author", "") or "someone", text or "¶", number,
                                       context[:40]))
    return found


_PREFIX = re.compile(rb'xmlns:([A-Za-z_][\w.-]*)="' + re.escape(W_URI.encode()) + rb'"')


def prepare(package: Package) -> dict[str, bytes]:
    """The package's parts with taiyaku's marks added to ``word/document.xml`` (and the notes' parts)."""
    parts = dict(package.parts)
    for part in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
        if part in parts:
            parts[part] = _mark(parts[part])
    return parts


def _mark(xml: bytes) -> bytes:
    """Marks for endnote calls, comment marks and ruby, written into the XML text itself."""
    match = _PREFIX.search(xml)
    if match is None:
        return xml
    w = match[1].decode()
    try:
        text = xml.decode("utf-8")
    except UnicodeDecodeError:
        return xml  # Word writes UTF-8; another encoding goes to pandoc unmarked rather than re-encoded

    def run(mark: str) -> str:
        return f"<{w}:r><{w}:t>{mark}</{w}:t></{w}:r>"

    # An endnote's call: a run of its own before the call's run.
    text = re.sub(rf"(<{w}:r(?:\s[^>]*)?>(?:(?!</{w}:r>).)*?<{w}:endnoteReference\b)",
                  lambda m: run(ENDNOTE_MARK) + m[1], text, flags=re.S)
    # A comment's mark becomes its id between two marks, in the same run.
    text = re.sub(rf'<{w}:commentReference\b[^>]*?{w}:id="([^"]*)"[^>]*/>',
                  lambda m: f"<{w}:t>{COMMENT_OPEN}{m[1]}{COMMENT_CLOSE}</{w}:t>", text)

    def ruby(m: re.Match[str]) -> str:
        body = m[1]
        reading = "".join(re.findall(rf"<{w}:t(?:\s[^>]*)?>([^<]*)</{w}:t>",
                                     _between(body, f"<{w}:rt>", f"</{w}:rt>")))
        base = _between(body, f"<{w}:rubyBase>", f"</{w}:rubyBase>")
        return run(RUBY_OPEN) + base + run(RUBY_TEXT + reading + RUBY_CLOSE)

    text = re.sub(rf"<{w}:r(?:\s[^>]*)?>(?:(?!</{w}:r>)(?!<{w}:ruby>).)*?<{w}:ruby>(.*?)</{w}:ruby>\s*</{w}:r>",
                  ruby, text, flags=re.S)
    return text.encode("utf-8")


def _between(text: str, start: str, end: str) -> str:
    """The text between the first ``start`` and the ``end`` after it ('' if absent)."""
    begin = text.find(start)
    if begin < 0:
        return ""
    stop = text.find(end, begin)
    return text[begin + len(start) : stop if stop >= 0 else len(text)]


def write_prepared(parts: dict[str, bytes], dest: Path) -> None:
    """Write a prepared package for pandoc."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
