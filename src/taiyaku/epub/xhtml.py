"""The edition's content documents (XHTML): cover, title page with imprint, one per paper, the contributors.

Papers are rendered from the same document model as the site, in markup's ``epub`` mode (notes as asides), then
parsed once with an HTML parser and written out as XML: entities, void elements and raw HTML in the Markdown
all come out well-formed. On that tree the edition's own changes are made: references resolved to package
files, ``xml:lang`` beside every ``lang``, the print edition's page-break markers, and in the vertical edition
one- and two-digit numbers set upright (縦中横, :mod:`.vertical`).
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
from dataclasses import dataclass, field

import lxml.etree as etree
import lxml.html
from markupsafe import Markup, escape

from ..citations.model import Cover, Rights
from ..errors import Diagnostics
from ..i18n import UIStrings, html_lang, primary
from ..model import Document, Heading, Volume
from ..read.markup import RenderContext, render_markdown
from ..rendercache import RenderStore, folder_state
from ..urls import ASSET_REF, DOC_REF
from ..views import VolumeView, document_view
from .edition import Edition, line_of
from .pages import PageMarks
from .vertical import set_upright
from .words import words

log = logging.getLogger(__name__)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
@dataclass
class ContentDoc:
    """One XHTML file of the package, in reading order."""

    name: str
    """File name in the package: ``ch01.xhtml``."""
    title: str
    """Plain text, for ``<title>`` and the contents."""
    lang: str
    """BCP 47 tag of the document's language."""
    body: str
    """What goes inside ``<body>``: XML, well-formed."""
    matter: str
    """``frontmatter``, ``bodymatter`` or ``backmatter`` (``epub:type`` of ``<body>``)."""
    sections: list[tuple[str, str]] = field(default_factory=list)
    """(id, text) of its top-level headings: the contents' second level."""
    in_contents: bool = True


def _parse(html: str) -> etree._Element:
    """HTML (entities, void elements, raw HTML from the Markdown) as a tree under a ``div``."""
    return lxml.html.fragment_fromstring(html, create_parent="div")


def _serialize(holder: etree._Element) -> str:
    """The holder's content as XML."""
    text = escape(holder.text or "")
    return str(text) + "".join(etree.tostring(child, encoding="unicode", method="xml") for child in holder)


def _xml_lang(holder: etree._Element) -> None:
    """``xml:lang`` beside every ``lang`` (EPUB reading systems read either)."""
    for element in holder.iter():
        if isinstance(element.tag, str) and element.get("lang"):
            element.set(XML_LANG, element.get("lang"))


def _marker(folio: str) -> etree._Element:
    """``<span epub:type="pagebreak">`` for a page of the print edition, labelled with its folio."""
    # Parsed, not built: lxml's builder refuses a prefixed name without its namespace, the HTML parser keeps it.
    return lxml.html.fragment_fromstring(marker_html(folio))


def marker_html(folio: str) -> str:
    """A page-break marker as markup (also in the navigation document, before the contents).

    Named by ``title``, which EPUB Accessibility Techniques (PAGE-001) and Ace accept as ``aria-label`` is:
    axe-core 4.14 takes ``aria-label`` on a ``span`` with ``role="doc-pagebreak"`` for naming a generic
    element (aria-prohibited-attr), though it accepts the same on ``role="separator"``.
    """
    return (f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{escape(folio)}" '
            f'title="{escape(folio)}" class="pagebreak"></span>')


def _mark_before(element: etree._Element, folios: list[str]) -> None:
    """Page-break markers right before ``element`` (in its parent)."""
    parent = element.getparent()
    index = parent.index(element)
    for offset, folio in enumerate(folios):
        parent.insert(index + offset, _marker(folio))


def _mark_at_start(element: etree._Element, folios: list[str]) -> None:
    """Page-break markers as the first children of ``element``."""
    for offset, folio in enumerate(folios):
        marker = _marker(folio)
        if offset == 0:
            marker.tail, element.text = element.text, None
        element.insert(offset, marker)


@dataclass
class Renderer:
    """Makes an edition's content documents."""

    volume: Volume
    edition: Edition
    strings: UIStrings
    view: VolumeView
    marks: PageMarks
    diagnostics: Diagnostics
    names: dict[str, str] = field(default_factory=dict)
    """Content-relative path of each paper (in its language) → its file in the package."""
    store: RenderStore | None = None
    """Where each paper's Markdown, rendered for an EPUB, is kept between builds (and between the editions of
    one build: the horizontal and the vertical Japanese share theirs); ``None``: rendered every time."""
    _folders: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.names = {doc.source.rel_path: f"ch{number:02d}.xhtml"
                      for number, doc in enumerate(self.edition.documents, start=1)}

    @property
    def tag(self) -> str:
        """The edition's language tag."""
        return html_lang(self.edition.lang)

    def translate(self, message: str, **values: str) -> str:
        """A UI string of the theme's catalogs in the edition's language."""
        text = self.strings.translations.gettext(message)
        return text % values if values else text

    def _finish(self, holder: etree._Element) -> str:
        _xml_lang(holder)
        if self.edition.vertical:
            set_upright(holder, primary(self.edition.lang) == "ja")
        return _serialize(holder)

    # -- front and back matter ---------------------------------------------------------------------------------

    def cover(self, cover: Cover, href: str) -> ContentDoc:
        """The cover page: the image alone, with its alt text."""
        lang = f' lang="{cover.text_tag}"' if cover.text_tag else ""
        html = (f'<section epub:type="cover" class="cover"><img role="doc-cover" src="{escape(href)}" '
                f'alt="{escape(cover.alt)}"{lang}/></section>')
        return ContentDoc("cover.xhtml", words(self.edition.lang)["cover"], self.tag, self._finish(_parse(html)),
                          "frontmatter", in_contents=False)

    def title_page(self, rights: Rights, cover: Cover | None) -> ContentDoc:
        """The title page and the imprint (the print edition's cover and imprint pages)."""
        view = self.view
        join = "、" if primary(self.edition.lang) in ("ja", "zh") else ", "
        parts = ['<section epub:type="titlepage" class="titlepage">',
                 f'<h1 class="title">{view.title}</h1>']
        if view.subtitle:
            parts.append(f'<p class="subtitle">{escape(view.subtitle)}</p>')
        if view.editors:
            parts.append(f'<p class="editors">{escape(self.translate("Edited by %(names)s", names=join.join(view.editors)))}</p>')
        if view.publisher:
            parts.append(f'<p class="publisher">{escape(view.publisher)}</p>')
        if view.date:
            parts.append(f'<p class="date">{escape(view.date)}</p>')
        parts.append('</section><section epub:type="copyright-page" class="imprint">')
        if view.disclaimer:
            parts.append(f'<p class="disclaimer">{escape(view.disclaimer)}</p>')
        if rights.statement:
            link = (f' <a href="{escape(rights.license_url)}">{escape(rights.license_url)}</a>'
                    if rights.license_url else "")
            parts.append(f'<p class="rights">{escape(rights.statement)}{link}</p>')
        if cover is not None and cover.credit:
            lang = f' lang="{cover.text_tag}"' if cover.text_tag else ""
            parts.append(f'<p class="credit"{lang}>{escape(cover.credit)}</p>')
        facts = [(self.translate("Editors"), join.join(view.editors)), (self.translate("Publisher"), view.publisher),
                 (self.translate("Published"), view.date), (self.translate("ISBN"), view.isbn)]
        facts = [(term, value) for term, value in facts if value]
        if facts:
            parts.append("<dl>" + "".join(f"<dt>{escape(t)}</dt><dd>{escape(v)}</dd>" for t, v in facts) + "</dl>")
        parts.append("</section>")
        holder = _parse("".join(parts))
        title_section, imprint = holder[0], holder[1]
        _mark_at_start(title_section, self.marks.take("cover", "title.xhtml"))
        _mark_at_start(imprint, self.marks.take("imprint", "title.xhtml"))
        return ContentDoc("title.xhtml", words(self.edition.lang)["titlepage"], self.tag, self._finish(holder),
                          "frontmatter", in_contents=False)

    def contributors(self) -> ContentDoc | None:
        """The contributors with their biographies, as the print edition ends."""
        from ..pdf.document import contributors

        people = contributors(self.view)
        if not people:
            return None
        title = self.translate("Contributors")
        items = "".join(
            f'<dt{self._lang_attr(p.tag)}>{escape(p.name)}</dt><dd{self._lang_attr(p.tag)}>'
            + (f'<span class="affiliation">{p.affiliation}</span> ' if p.affiliation else "") + f"{p.bio}</dd>"
            for p in people)
        holder = _parse(f'<section class="contributors" aria-labelledby="contributors"><h1 id="contributors">'
                        f"{escape(title)}</h1><dl>{items}</dl></section>")
        section = holder[0]
        _mark_at_start(section, self.marks.take("contributors", "contributors.xhtml"))
        dl = section.find("dl")
        for index, item in enumerate(list(dl)):
            folios = self.marks.take(f"contributors/{index}", "contributors.xhtml")
            if folios:
                _mark_before(item, folios)
        return ContentDoc("contributors.xhtml", title, self.tag, self._finish(holder), "backmatter")

    def _lang_attr(self, tag: str) -> str:
        return f' lang="{tag}"' if tag != self.tag else ""

    # -- papers ------------------------------------------------------------------------------------------------

    def chapter(self, doc: Document) -> ContentDoc:
        """One paper: its header (title, authors, abstract), its body with the notes after it."""
        name = self.names[doc.source.rel_path]
        root = self.volume.root
        slugs = {d.source.rel_path: d.slug for d in self.volume.documents.get(doc.lang, [])}
        ctx = RenderContext(doc.lang, doc.source.rel_path, root / "content" / doc.lang, slugs, "epub")
        html, headings = self._rendered(doc, ctx)
        view = document_view(self.volume, doc, self.edition.lang, html)
        join = "、" if primary(doc.lang) in ("ja", "zh") else ", "
        lang = self._lang_attr(view.tag)
        head = [f'<header class="chapter-head"><h1 class="chapter-title" id="title">{view.title}</h1>']
        if view.subtitle:
            head.append(f'<p class="chapter-subtitle">{view.subtitle}</p>')
        if view.authors:
            names = join.join(str(escape(a.name)) for a in view.authors)
            head.append(f'<p class="chapter-authors">{names}</p>')
        if view.abstract:
            head.append(f'<section class="chapter-abstract" aria-label="{escape(self.translate("Abstract"))}">'
                        f"<p>{view.abstract}</p></section>")
        head.append("</header>")
        holder = _parse(f'<section epub:type="chapter" role="doc-chapter" class="chapter" aria-labelledby="title"'
                        f'{lang}>{"".join(head)}<div class="chapter-body">{html}</div></section>')
        section = holder[0]
        body = section.find("div")
        self._resolve(body, doc)
        self._mark_blocks(section, body, doc.slug, name)
        sections = [(h.id, h.text) for h in headings if h.level == 1]
        return ContentDoc(name, Markup(view.title).striptags(), view.tag if doc.lang != self.edition.lang else self.tag,
                          self._finish(holder), "bodymatter", sections)

    def _rendered(self, doc: Document, ctx: RenderContext) -> tuple[str, list[Heading]]:
        """A paper's body as EPUB HTML and its headings: from the store when the same text was rendered with the
        same links and files (the key holds the language's documents and the state of its content folder)."""
        if self.store is None:
            rendered = render_markdown(doc.body, ctx)
            return rendered.html, rendered.headings
        if doc.lang not in self._folders:
            self._folders[doc.lang] = folder_state(ctx.content_dir)

        def render() -> dict[str, object]:
            rendered = render_markdown(doc.body, ctx)
            return {"html": rendered.html, "headings": [[h.level, h.id, h.text] for h in rendered.headings]}

        kept = self.store.memo("epub-markdown", (str(ctx.content_dir.resolve()), doc.lang, doc.source.rel_path,
                                                 json.dumps(sorted(ctx.slugs.items())), self._folders[doc.lang],
                                                 doc.body), render)
        return kept["html"], [Heading(int(level), str(ident), str(text)) for level, ident, text in kept["headings"]]

    def _mark_blocks(self, section: etree._Element, body: etree._Element, slug: str, name: str) -> None:
        """The print edition's page starts in this paper: at its heading, and before the n-th block."""
        _mark_at_start(section, self.marks.take(slug, name))
        # The notes come after the text (they are not blocks of the print edition, which sets them at the foot).
        blocks = [child for child in body if isinstance(child.tag, str) and child.get("epub:type") != "footnote"]
        for index, block in enumerate(blocks):
            folios = self.marks.take(f"{slug}/{index}", name)
            if folios:
                _mark_before(block, folios)

    def _resolve(self, body: etree._Element, doc: Document) -> None:
        """References to other papers and to images become package links; a link to a file that is neither
        (a spreadsheet, a PDF) keeps its text: an EPUB links only within its reading order."""
        for element in list(body.iter("a", "img")):
            attr = "src" if element.tag == "img" else "href"
            value = element.get(attr) or ""
            if value.startswith(DOC_REF):
                path, _, fragment = value[len(DOC_REF):].partition("#")
                target = self.names.get(path)
                if target is None:
                    _unwrap(element)
                    continue
                element.set(attr, target + (f"#{fragment}" if fragment else ""))
            elif value.startswith(ASSET_REF):
                lang, _, path = value[len(ASSET_REF):].partition("/")
                path = path.partition("#")[0]
                asset = self.edition.assets.get((lang, path))
                if asset is not None and element.tag == "img":
                    element.set(attr, asset.href)
                elif element.tag == "a":
                    self.diagnostics.warning(doc.source.volume_path, line_of(doc, posixpath.basename(path)), "epub",
                                             f"the link to {path} is kept as text in the EPUB (an EPUB links only "
                                             "to its own pages)")
                    _unwrap(element)
            elif element.tag == "img" and re.match(r"^[a-z][a-z0-9+.-]*:", value):
                # A reading system may be offline: the EPUB holds its images, and shows the text instead.
                self.diagnostics.warning(doc.source.volume_path, line_of(doc, value), "epub",
                                         f"image {value} is left out of the EPUB, its alt text shown instead (an "
                                         f"EPUB holds its images: put the file in content/{doc.lang}/)")
                _replace_with_text(element, element.get("alt") or "")
                continue
            if element.tag == "img" and not (element.get("alt") or "").strip():
                name = posixpath.basename(value)
                self.diagnostics.warning(doc.source.volume_path, line_of(doc, name), "epub",
                                         f"image {name} has no alt text: write ![what it shows](…)")


def _replace_with_text(element: etree._Element, text: str) -> None:
    """Put ``text`` where ``element`` was (its tail kept)."""
    parent = element.getparent()
    index = parent.index(element)
    joined = text + (element.tail or "")
    if index:
        parent[index - 1].tail = (parent[index - 1].tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    """Replace an element by its content (text and children)."""
    parent = element.getparent()
    index = parent.index(element)
    previous = parent[index - 1] if index else None
    text = (element.text or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    tail_holder = parent[index + len(element) - 1] if len(element) else (previous if previous is not None else None)
    if element.tail:
        if tail_holder is not None and tail_holder is not element:
            tail_holder.tail = (tail_holder.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def document(content: ContentDoc, stylesheets: list[str], vertical: bool) -> bytes:
    """A whole XHTML content document around ``content.body``; checked well-formed (a bug otherwise)."""
    links = "".join(f'<link rel="stylesheet" type="text/css" href="{href}"/>' for href in stylesheets)
    classes = "vertical" if vertical else "horizontal"
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
            f'lang="{content.lang}" xml:lang="{content.lang}" class="{classes}">\n'
            f'<head><meta charset="UTF-8"/><title>{escape(content.title)}</title>{links}</head>\n'
            f'<body epub:type="{content.matter}">{content.body}</body>\n</html>\n')
    data = text.encode("utf-8")
    etree.fromstring(data)  # raises on a bug that made it ill-formed
    return data
