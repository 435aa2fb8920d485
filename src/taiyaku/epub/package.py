"""The package document (``package.opf``) and the navigation document (``nav.xhtml``) of an edition.

Metadata as EPUB 3.3 and EPUB Accessibility 1.1 ask: a stable identifier, titles and contributors with MARC
roles and ``file-as`` readings, ``dcterms:modified`` from the volume's date (or ``SOURCE_DATE_EPOCH``), rights,
the series, the print edition as the page-list's source, and the schema.org accessibility properties. The
conformance claim is made only when the edition's own checks passed (every image described, a complete
page-list); the tests check it with EPUBCheck and axe-core.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import escape

from ..citations.model import Rights, person
from .edition import Asset, Edition
from .pages import PageMarks
from .words import words
from .xhtml import ContentDoc

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


@dataclass
class Contributor:
    """A name in the metadata with its MARC relators (``edt``, ``aut``, ``trl``) and how it sorts."""

    name: str
    roles: list[str]
    file_as: str = ""


@dataclass
class PackageInfo:
    """What the package document says beyond the files: titles, people, rights, series, accessibility."""

    title: str
    subtitle: str
    publisher: str
    date: str
    """W3C date (``2026-09``) or empty."""
    isbn: str
    rights: Rights
    series: str
    contributors: list[Contributor] = field(default_factory=list)
    source: str = ""
    """The print edition the page-list follows (``urn:isbn:…`` or the PDF's name); empty without a page-list."""
    images: bool = False
    described: bool = True
    """Every image has alt text."""


def file_as(name: str, readings: dict[str, str]) -> str:
    """How a name sorts: its reading where the volume gives one, ``Family, Given`` for Western names."""
    if name in readings:
        return readings[name]
    found = person(name)
    return found.inverted if found.family else ""


def _meta(prop: str, value: str, refines: str = "", scheme: str = "") -> str:
    attrs = f' refines="#{refines}"' if refines else ""
    attrs += f' scheme="{scheme}"' if scheme else ""
    return f'    <meta property="{prop}"{attrs}>{escape(value)}</meta>\n'


def package_document(edition: Edition, info: PackageInfo, docs: list[ContentDoc], stylesheets: list[str],
                     cover: Asset | None, assets: list[Asset], marks: PageMarks, conforms: bool) -> bytes:
    """``package.opf``."""
    tag = edition.lang.replace("_", "-")
    said = words(edition.lang)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>\n',
             f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" '
             f'xml:lang="{tag}">\n',
             '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n',
             f'    <dc:identifier id="pub-id">{edition.identifier}</dc:identifier>\n',
             f'    <dc:title id="title">{escape(info.title)}</dc:title>\n', _meta("title-type", "main", "title")]
    if info.subtitle:
        lines += [f'    <dc:title id="subtitle">{escape(info.subtitle)}</dc:title>\n',
                  _meta("title-type", "subtitle", "subtitle")]
    lines.append(f"    <dc:language>{tag}</dc:language>\n")
    # The editors make the volume (creators); without editors, the authors do.
    leading = "edt" if any("edt" in c.roles for c in info.contributors) else "aut"
    for number, who in enumerate(info.contributors, start=1):
        element = "dc:creator" if leading in who.roles else "dc:contributor"
        lines.append(f'    <{element} id="c{number}">{escape(who.name)}</{element}>\n')
        lines += [_meta("role", role, f"c{number}", "marc:relators") for role in who.roles]
        if who.file_as:
            lines.append(_meta("file-as", who.file_as, f"c{number}"))
    if info.publisher:
        lines.append(f"    <dc:publisher>{escape(info.publisher)}</dc:publisher>\n")
    if info.date:
        lines.append(f"    <dc:date>{info.date}</dc:date>\n")
    if info.rights.statement:
        lines.append(f"    <dc:rights>{escape(info.rights.statement)}</dc:rights>\n")
    if info.rights.license_url:
        lines.append(f'    <link rel="dcterms:license" href="{escape(info.rights.license_url)}"/>\n')
    if info.series:
        lines += ['    <meta property="belongs-to-collection" id="series">' + str(escape(info.series)) + "</meta>\n",
                  _meta("collection-type", "series", "series")]
    if info.source:
        lines += [f'    <dc:source id="print">{escape(info.source)}</dc:source>\n',
                  _meta("source-of", "pagination", "print")]
    lines.append(_meta("dcterms:modified", edition.modified.strftime("%Y-%m-%dT%H:%M:%SZ")))
    lines += _accessibility(info, marks, said, conforms)
    if cover is not None:
        lines.append('    <meta name="cover" content="cover-image"/>\n')
    lines.append("  </metadata>\n  <manifest>\n")
    lines.append('    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>\n')
    for doc in docs:
        lines.append(f'    <item id="doc-{doc.name.removesuffix(".xhtml")}" href="{doc.name}" '
                     'media-type="application/xhtml+xml"/>\n')
    for number, href in enumerate(stylesheets, start=1):
        lines.append(f'    <item id="css{number}" href="{href}" media-type="text/css"/>\n')
    if cover is not None:
        lines.append(f'    <item id="cover-image" href="{cover.href}" media-type="{cover.media_type}" '
                     'properties="cover-image"/>\n')
    for asset in assets:
        lines.append(f'    <item id="{asset.href.rsplit("/", 1)[-1].replace(".", "-")}" href="{asset.href}" '
                     f'media-type="{asset.media_type}"/>\n')
    direction = ' page-progression-direction="rtl"' if edition.vertical else ""
    lines.append(f"  </manifest>\n  <spine{direction}>\n")
    for doc in docs:
        lines.append(f'    <itemref idref="doc-{doc.name.removesuffix(".xhtml")}"/>\n')
        if doc.name == "title.xhtml":
            lines.append('    <itemref idref="nav"/>\n')
    lines.append("  </spine>\n</package>\n")
    return "".join(lines).encode("utf-8")


def _accessibility(info: PackageInfo, marks: PageMarks, said: dict[str, str], conforms: bool) -> list[str]:
    """schema.org accessibility metadata, and the conformance claim when the checks hold."""
    lines = [_meta("schema:accessMode", "textual")]
    if info.images:
        lines.append(_meta("schema:accessMode", "visual"))
    lines.append(_meta("schema:accessModeSufficient", "textual" if info.described else "textual,visual"))
    if info.images:
        lines.append(_meta("schema:accessModeSufficient", "textual,visual"))
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if info.images and info.described:
        features.append("alternativeText")
    if marks.placed:
        features += ["pageNavigation", "printPageNumbers"]
    lines += [_meta("schema:accessibilityFeature", feature) for feature in features]
    lines.append(_meta("schema:accessibilityHazard", "none"))
    lines.append(_meta("schema:accessibilitySummary", said["summary"] if conforms else said["summary_partial"]))
    if conforms:
        lines += [_meta("dcterms:conformsTo", CONFORMANCE), _meta("a11y:certifiedBy", "taiyaku (automated checks: EPUBCheck, axe-core)")]
    return lines


def navigation(edition: Edition, docs: list[ContentDoc], contents_title: str, marks: PageMarks,
               contents_marks: str, stylesheets: list[str], vertical: bool) -> bytes:
    """``nav.xhtml``: the contents (papers and their sections), the landmarks, the print edition's pages."""
    from .xhtml import document

    said = words(edition.lang)
    tag = edition.lang.replace("_", "-")
    items = []
    for doc in docs:
        if not doc.in_contents:
            continue
        lang = f' lang="{doc.lang}" xml:lang="{doc.lang}"' if doc.lang != tag else ""
        sub = "".join(f'<li><a href="{doc.name}#{escape(ident)}">{escape(text)}</a></li>' for ident, text in doc.sections)
        items.append(f'<li{lang}><a href="{doc.name}">{escape(doc.title)}</a>' + (f"<ol>{sub}</ol>" if sub else "")
                     + "</li>")
    landmarks = []
    if any(doc.name == "cover.xhtml" for doc in docs):
        landmarks.append(f'<li><a epub:type="cover" href="cover.xhtml">{escape(said["cover"])}</a></li>')
    landmarks.append(f'<li><a epub:type="titlepage" href="title.xhtml">{escape(said["titlepage"])}</a></li>')
    landmarks.append(f'<li><a epub:type="toc" href="nav.xhtml#toc">{escape(contents_title)}</a></li>')
    first = next((doc for doc in docs if doc.matter == "bodymatter"), None)
    if first is not None:
        landmarks.append(f'<li><a epub:type="bodymatter" href="{first.name}">{escape(said["start"])}</a></li>')
    body = [contents_marks,
            f'<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title"><h1 id="toc-title">'
            f'{escape(contents_title)}</h1><ol>{"".join(items)}</ol></nav>',
            f'<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" hidden="hidden">'
            f'<h2 id="landmarks-title">{escape(said["landmarks"])}</h2><ol>{"".join(landmarks)}</ol></nav>']
    pages = marks.page_list()
    if pages:
        entries = "".join(f'<li><a href="{href}">{escape(folio)}</a></li>' for href, folio in pages)
        body.append(f'<nav epub:type="page-list" id="page-list" aria-labelledby="pages-title" hidden="hidden">'
                    f'<h2 id="pages-title">{escape(said["pages"])}</h2><ol>{entries}</ol></nav>')
    nav = ContentDoc("nav.xhtml", contents_title, tag, "".join(body), "frontmatter")
    return document(nav, stylesheets, vertical)


def w3c_date(year: int, month: int, day: int, precision: str) -> str:
    """``dc:date`` in the precision the volume gave."""
    if precision == "year":
        return f"{year:04d}"
    if precision == "month":
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"

