"""How the volume and each paper are cited, per language: one model, many forms.

A :class:`Citation` is built once per paper and per language edition (and once for the volume in each
language) from the front matter and ``volume.toml``; everything that cites is rendered from it: the Highwire
Press ``citation_*`` tags Google Scholar and Zotero read, schema.org JSON-LD (``ScholarlyArticle`` in a
``Book``, each language's version linked to the others by ``translationOfWork``/``workTranslation``), Open
Graph and Twitter cards, and the downloadable BibTeX, RIS and CSL-JSON files.

Japanese names and titles are cited the Japanese way on Japanese pages: names as written (no "Last, First"
inversion, which would break 森川直人 or エレノア・ウィットコム), subtitles after ——, 「」 and 『』.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from .errors import Diagnostics
from .i18n import babel_locale, html_lang, primary
from .model import Volume
from .urls import absolute_url
from .views import DocumentView, VolumeView

log = logging.getLogger(__name__)

CITE_FILES = {"bib": "cite.bib", "ris": "cite.ris", "csl": "cite.json"}
"""The citation files written beside each paper's page (and the volume's home), by format."""
FORMATS = {"bib": ("BibTeX", "application/x-bibtex"), "ris": ("RIS", "application/x-research-info-systems"),
           "csl": ("CSL-JSON", "application/vnd.citationstyles.csl+json")}
"""Each format's name (the same in every language) and media type, for download links."""

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f\uac00-\ud7af]")
_CC = re.compile(r"^CC-(BY(?:-NC)?(?:-SA|-ND)?)-(\d\.\d)$", re.I)
_SPDX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")
_WORD_IDS = {"MIT", "Unlicense", "WTFPL"}
"""SPDX ids without a version number (free text like "All rights reserved" gets no link)."""
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _east_asian(lang: str) -> bool:
    """Languages whose citations run without spaces and keep names as written."""
    return primary(lang) in ("ja", "zh", "ko")


@dataclass(frozen=True)
class Person:
    """An author or editor, with the parts citation formats ask for."""

    name: str
    """As written in the front matter or ``volume.toml``."""
    family: str = ""
    """Empty when the name is cited whole (names in CJK script, single names)."""
    given: str = ""
    institution: str = ""
    """Plain text."""

    @property
    def inverted(self) -> str:
        """``Morikawa, Naoto``; a name cited whole stays as written."""
        return f"{self.family}, {self.given}" if self.family and self.given else self.name


def person(name: str, institution: str = "") -> Person:
    """A person from a name as written: the last word is the family name, unless the name is in CJK script.

    Japanese names are written family name first without a space (森川直人) or, for foreign names in katakana,
    given name first with a middle dot (エレノア・ウィットコム): neither is split, so nothing inverts them.
    """
    name = " ".join(name.split())
    if _CJK.search(name) or " " not in name:
        return Person(name, institution=institution)
    given, _, family = name.rpartition(" ")
    return Person(name, family, given, institution)


@dataclass(frozen=True)
class Rights:
    """Licence and copyright of one language edition."""

    license: str = ""
    """As given: an SPDX id or free text."""
    holder: str = ""
    year: int | None = None
    lang: str = ""
    """The edition's language (how the notice and the licence are joined)."""

    @property
    def license_url(self) -> str:
        """The licence's text for SPDX ids (Creative Commons deeds for CC licences); empty for free text."""
        match = _CC.match(self.license)
        if match:
            return f"https://creativecommons.org/licenses/{match[1].lower()}/{match[2]}/"
        if self.license.upper() == "CC0-1.0":
            return "https://creativecommons.org/publicdomain/zero/1.0/"
        if _SPDX.match(self.license) and (any(c.isdigit() for c in self.license) or self.license in _WORD_IDS):
            return f"https://spdx.org/licenses/{self.license}.html"
        return ""

    @property
    def license_name(self) -> str:
        """How the licence is named in text: ``CC BY 4.0`` for ``CC-BY-4.0``."""
        match = _CC.match(self.license)
        return f"CC {match[1].upper()} {match[2]}" if match else self.license

    @property
    def notice(self) -> str:
        """``© 2026 Halden Institute``; empty without a holder."""
        if not self.holder:
            return ""
        return f"© {self.year} {self.holder}" if self.year else f"© {self.holder}"

    @property
    def statement(self) -> str:
        """The notice and the licence in one line, for ``dc:rights`` and the imprint."""
        return ("\u3000" if _east_asian(self.lang) else ". ").join(x for x in (self.notice, self.license_name) if x)


@dataclass(frozen=True)
class Version:
    """Another language's version of the same work, for the links between translations."""

    lang: str
    tag: str
    title: str
    page_path: str
    """Site path of its page."""


@dataclass(frozen=True)
class Cover:
    """The cover image of one language edition."""

    path: str
    """Volume-relative path, also its site path."""
    alt: str = ""
    credit: str = ""
    text_tag: str = ""
    """BCP 47 tag of ``alt`` and ``credit`` when they fall back to the source language's (else empty)."""
    width: int = 0
    """Pixels, read from the image's header (0 when unreadable)."""
    height: int = 0


@dataclass(frozen=True)
class Citation:
    """One work in one language: a paper (``chapter``) or the whole volume (``book``)."""

    kind: str
    """``chapter`` or ``book``."""
    key: str
    """The BibTeX key and CSL id: ``alliance-at-75-ja-introduction``."""
    lang: str
    title: str
    """Plain text, without the subtitle."""
    subtitle: str = ""
    authors: tuple[Person, ...] = ()
    editors: tuple[Person, ...] = ()
    book_title: str = ""
    book_subtitle: str = ""
    publisher: str = ""
    date: dt.date | None = None
    date_precision: str = "day"
    isbn: str = ""
    doi: str = ""
    first_page: str = ""
    """The first page in the volume PDF, when known (set after typesetting)."""
    last_page: str = ""
    keywords: tuple[str, ...] = ()
    abstract: str = ""
    """Plain text."""
    page_path: str = ""
    """Site path of the work's page: ``ja/introduction/``."""
    pdf_path: str = ""
    """Site path of its PDF (the offprint for a paper), empty when the site offers none."""
    base_url: str = ""
    rights: Rights = field(default_factory=Rights)
    cover: Cover | None = None
    original: Version | None = None
    """For a translation: the work it translates."""
    translations: tuple[Version, ...] = ()
    """For an original: its translations."""

    @property
    def tag(self) -> str:
        """BCP 47 tag of the language."""
        return html_lang(self.lang)

    @property
    def full_title(self) -> str:
        """Title and subtitle the way this language joins them (``Title: Subtitle``, ``題名——副題``)."""
        return _join_title(self.title, self.subtitle, self.lang)

    @property
    def full_book_title(self) -> str:
        """The volume's title with its subtitle."""
        return _join_title(self.book_title, self.book_subtitle, self.lang)

    @property
    def year(self) -> str:
        """The publication year, or empty."""
        return str(self.date.year) if self.date else ""

    @property
    def versions(self) -> tuple[Version, ...]:
        """The other languages' versions, the original first."""
        return ((self.original,) if self.original else ()) + self.translations

    def absolute(self, site_path: str) -> str:
        """``site_path`` as an absolute URL, or empty when the volume has no ``base_url``."""
        return absolute_url(self.base_url, site_path) if self.base_url and site_path else ""

    def file_path(self, fmt: str) -> str:
        """Site path of the citation file in ``fmt`` (``bib``, ``ris``, ``csl``)."""
        return f"{self.page_path}{CITE_FILES[fmt]}"

    @property
    def downloads(self) -> list[tuple[str, str, str]]:
        """``(name, site path, media type)`` of each citation file, for download links."""
        return [(name, self.file_path(fmt), mime) for fmt, (name, mime) in FORMATS.items()]

    @property
    def text(self) -> str:
        """The citation in one line of plain text (the "Cite as" line, the offprint cover)."""
        return cite_text(self)

    @property
    def html(self) -> Markup:
        """The same line as HTML, the book's title marked up as a title."""
        return cite_html(self)

    def head(self, url: Callable[[str], str]) -> HeadTags:
        """The ``<head>`` tags of the work's page; ``url`` makes a link from that page to a site path."""
        return head_tags(self, url)


def _join_title(title: str, subtitle: str, lang: str) -> str:
    if not subtitle:
        return title
    return f"{title}——{subtitle}" if _east_asian(lang) else f"{title}: {subtitle}"


# --- building the model ------------------------------------------------------------------------------------


def _plain(value: object) -> str:
    """Plain text of a front matter value rendered as inline HTML (emphasis dropped, entities decoded)."""
    return Markup(value).striptags() if isinstance(value, Markup) else " ".join(str(value or "").split())


def rights_for(volume: Volume, lang: str) -> Rights:
    """The licence and © of one language edition (the holder defaults to the publisher)."""
    config = volume.config
    settings = config.lang(lang)
    year = config.copyright_year or (config.date.year if config.date else None)
    return Rights(settings.license or config.license, settings.copyright or settings.publisher, year, lang)


def cover_for(volume: Volume, lang: str) -> Cover | None:
    """The cover image of one language edition, with its alt text and credit (``None`` without one)."""
    config = volume.config
    settings = config.lang(lang)
    path = settings.cover or config.cover
    if not path:
        return None
    source = config.lang(config.source_language)
    borrowed = not (settings.cover_alt or settings.cover_credit) and (source.cover_alt or source.cover_credit)
    width, height = _image_size(volume.root / path)
    return Cover(path, settings.cover_alt or source.cover_alt, settings.cover_credit or source.cover_credit,
                 html_lang(config.source_language) if borrowed and lang != config.source_language else "",
                 width, height)


def _image_size(path: object) -> tuple[int, int]:
    """Width and height of a PNG or JPEG from its header (Pillow reads no more than that)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:  # type: ignore[arg-type]
            return image.size
    except (OSError, UnidentifiedImageError):
        return 0, 0


def _keywords(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(k.strip() for k in value.split(",") if k.strip())
    if isinstance(value, list):
        return tuple(str(k).strip() for k in value if str(k).strip())
    return ()


def volume_citation(volume: Volume, view: VolumeView, pdf_path: str = "") -> Citation:
    """The whole volume in one language, cited as a book edited by its editors."""
    config = volume.config
    lang = view.lang
    versions = tuple(Version(code, html_lang(code), _join_title(config.lang(code).title or config.slug,
                                                                config.lang(code).subtitle, code), f"{code}/")
                     for code in volume.languages if code != lang)
    source = config.source_language
    title = _plain(view.title)
    return Citation(
        kind="book", key=f"{config.slug}-{lang}", lang=lang, title=title, subtitle=view.subtitle,
        editors=tuple(person(name) for name in view.editors), book_title=title, book_subtitle=view.subtitle,
        publisher=view.publisher, date=config.date, date_precision=config.date_precision, isbn=view.isbn,
        page_path=f"{lang}/", pdf_path=pdf_path, base_url=config.base_url, rights=rights_for(volume, lang),
        cover=cover_for(volume, lang),
        original=next((v for v in versions if v.lang == source), None) if lang != source else None,
        translations=versions if lang == source else (),
    )


def paper_citation(volume: Volume, view: VolumeView, doc: DocumentView, pdf_path: str = "",
                   late_pages: bool = False) -> Citation:
    """One paper in one language, cited as a chapter of the volume in the same language.

    ``late_pages``: the offprint at ``pdf_path`` is still to be typeset; its first and last pages become tokens
    that :func:`fill_pages` replaces once typesetting has found them.
    """
    config = volume.config
    lang = view.lang
    source = config.source_language
    others = tuple(Version(link.code, link.tag, _twin_title(volume, doc, link.code), link.url)
                   for link in doc.translations if not link.current)
    return Citation(
        kind="chapter", key=f"{config.slug}-{lang}-{doc.slug}", lang=lang, title=_plain(doc.title),
        subtitle=_plain(doc.subtitle), authors=tuple(person(a.name, _plain(a.affiliation)) for a in doc.authors),
        editors=tuple(person(name) for name in view.editors), book_title=_plain(view.title),
        book_subtitle=view.subtitle, publisher=view.publisher, date=config.date,
        date_precision=config.date_precision, isbn=view.isbn, doi=str(doc.meta.get("doi") or "").strip(),
        keywords=_keywords(doc.meta.get("keywords")), abstract=_plain(doc.abstract), page_path=doc.url,
        first_page=page_token("first", pdf_path) if late_pages and pdf_path else "",
        last_page=page_token("last", pdf_path) if late_pages and pdf_path else "",
        pdf_path=pdf_path, base_url=config.base_url, rights=rights_for(volume, lang), cover=cover_for(volume, lang),
        original=next((v for v in others if v.lang == source), None) if lang != source else None,
        translations=others if lang == source else (),
    )


PAGE_TOKEN = "taiyaku-page:"
_PAGE_TOKEN = re.compile(r"taiyaku-page:(first|last):([^;]+);")
_EMPTY_PAGE_META = re.compile(r'<meta name="citation_(?:first|last)page" content="">\n?')


def page_token(which: str, pdf_path: str) -> str:
    """Stands for the ``first`` or ``last`` page (in the volume) of the offprint at ``pdf_path`` until known."""
    return f"{PAGE_TOKEN}{which}:{pdf_path};"


def fill_pages(data: bytes, ranges: dict[str, tuple[int, int]]) -> bytes:
    """Put the page numbers typesetting found in place of their tokens (as ``site.fill_sizes`` does for sizes).

    ``ranges`` maps an offprint's site path (``pdf/alliance-at-75-ja/introduction.pdf``) to its first and last
    page in the volume; a range not found leaves no empty Scholar tag behind.
    """
    if PAGE_TOKEN.encode() not in data:
        return data

    def number(match: re.Match[str]) -> str:
        found = ranges.get(match[2].replace("\\_", "_"))  # BibTeX escaped the path's underscores
        return str(found[0] if match[1] == "first" else found[1]) if found else ""

    text = _PAGE_TOKEN.sub(number, data.decode("utf-8"))
    return _EMPTY_PAGE_META.sub("", text).encode("utf-8")


def _twin_title(volume: Volume, doc: DocumentView, lang: str) -> str:
    """The title of ``doc``'s version in ``lang``, with its subtitle."""
    for twin in volume.documents.get(lang, []):
        if twin.source.rel_path == doc.rel_path:
            from .markup import render_inline

            title = Markup(render_inline(twin.meta.title, lang)).striptags()
            subtitle = Markup(render_inline(twin.meta.subtitle, lang)).striptags() if twin.meta.subtitle else ""
            return _join_title(title, subtitle, lang)
    return ""


def check_citations(volume: Volume, diagnostics: Diagnostics) -> None:
    """Warn, once per volume, about what citations need and the volume lacks.

    Only a volume that says it is published (an ISBN in some language, or a licence) is warned about: a draft
    needs no absolute URLs yet. A document without authors (a preface, "About this volume") is not a paper and
    is not cited; one with an abstract but no authors looks like a paper that lost them.
    """
    config = volume.config
    if not (config.license or any(config.lang(lang).isbn for lang in volume.languages)):
        return
    if config.date is None:
        diagnostics.warning("volume.toml", None, "citation",
                            "no 'date': citations, Scholar tags and JSON-LD carry no publication date")
    unnamed = sorted(doc.source.volume_path for docs in volume.documents.values() for doc in docs
                     if not doc.meta.authors and doc.meta.abstract)
    if unnamed:
        diagnostics.warning(unnamed[0], None, "citation",
                            f"{len(unnamed)} document(s) with an abstract but no 'authors' are not cited as papers "
                            f"(no Scholar tags, no BibTeX/RIS): {', '.join(unnamed)}")
    if not config.base_url:
        diagnostics.warning("volume.toml", None, "citation",
                            "no 'base_url': PDF and page URLs in citations and social cards cannot be absolute "
                            "(Google Scholar and link previews need absolute ones)")


# --- text forms -------------------------------------------------------------------------------------------


def _and(names: list[str], lang: str) -> str:
    if _east_asian(lang):
        return "、".join(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _pages(c: Citation, sep: str = "–") -> str:
    if c.first_page and c.last_page and c.first_page != c.last_page:
        return f"{c.first_page}{sep}{c.last_page}"
    return c.first_page


def cite_text(c: Citation) -> str:
    """The citation as one line of plain text in the work's language (the "Cite as" line)."""
    authors = _and([p.name for p in c.authors], c.lang)
    editors = _and([p.name for p in c.editors], c.lang)
    pages = _pages(c)
    if _east_asian(c.lang):
        # 著者「論文名」編者編『書名』出版社、2026年、1–20頁。
        year = f"{c.year}年" if c.year else ""
        tail = "、".join(x for x in (c.publisher, year, f"{pages}頁" if pages else "") if x)
        book = f"{editors}編『{c.full_book_title}』" if editors else f"『{c.full_book_title}』"
        if c.kind == "book":
            return f"{book}{tail}。" if tail else f"{book}。"
        return f"{authors}「{c.full_title}」{book}{tail}。" if tail else f"{authors}「{c.full_title}」{book}。"
    facts = ", ".join(x for x in (c.publisher, c.year) if x)
    if c.kind == "book":
        text = f"{editors}, ed{'s' if len(c.editors) > 1 else ''}., " if editors else ""
        return f"{text}{c.full_book_title}" + (f" ({facts})." if facts else ".")
    text = f"{authors}, " if authors else ""
    text += f"“{c.full_title},” in {c.full_book_title}"
    if editors:
        text += f", ed. {editors}"
    if facts:
        text += f" ({facts})"
    if pages:
        text += f", {'pp' if '–' in pages else 'p'}. {pages}"
    return text + "."


def cite_html(c: Citation) -> Markup:
    """:func:`cite_text` as HTML: the book's title in ``<cite>`` (inside 『』 in East Asian languages)."""
    text = cite_text(c)
    book = c.full_book_title
    # The book's title follows the paper's in every form, so its last occurrence is the book's.
    head, found, tail = text.rpartition(book)
    if not found:
        return Markup.escape(text)
    return Markup("{}<cite>{}</cite>{}").format(head, book, tail)


# --- BibTeX, RIS, CSL-JSON -------------------------------------------------------------------------------


def _bib_escape(text: str) -> str:
    """A BibTeX field value: LaTeX's special characters escaped, braces balanced by escaping them."""
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def _bib_names(people: tuple[Person, ...]) -> str:
    # A name cited whole is braced so that BibTeX does not split it into first and last.
    return " and ".join(_bib_escape(p.inverted) if p.family else "{" + _bib_escape(p.name) + "}" for p in people)


def to_bibtex(c: Citation) -> str:
    """An ``@incollection`` (paper) or ``@book`` (volume) entry, UTF-8."""
    fields: list[tuple[str, str]] = []
    if c.authors:
        fields.append(("author", _bib_names(c.authors)))
    fields.append(("title", _bib_escape(c.full_title)))
    if c.kind == "chapter":
        fields.append(("booktitle", _bib_escape(c.full_book_title)))
    if c.editors:
        fields.append(("editor", _bib_names(c.editors)))
    for name, value in (("publisher", c.publisher), ("year", c.year)):
        if value:
            fields.append((name, _bib_escape(value)))
    if c.date and c.date_precision in ("month", "day"):
        fields.append(("month", _MONTHS[c.date.month - 1]))
    for name, value in (("pages", _pages(c, "--")), ("isbn", c.isbn), ("doi", c.doi),
                        ("url", c.absolute(c.page_path)), ("language", _language_en(c.lang)),
                        ("keywords", ", ".join(c.keywords)), ("abstract", c.abstract),
                        ("copyright", c.rights.statement)):
        if value:
            fields.append((name, _bib_escape(value)))
    kind = "incollection" if c.kind == "chapter" else "book"
    body = ",\n".join(f"  {name} = {{{value}}}" if name != "month" else f"  {name} = {value}"
                      for name, value in fields)
    return f"@{kind}{{{c.key},\n{body}\n}}\n"


def _language_en(lang: str) -> str:
    """The language's English name, lower case, as BibTeX styles (babel, biblatex) name it."""
    return (babel_locale(lang).get_language_name("en") or lang).lower()


def _ris_date(c: Citation) -> str:
    if c.date is None:
        return ""
    parts = [f"{c.date.year:04d}", f"{c.date.month:02d}" if c.date_precision != "year" else "",
             f"{c.date.day:02d}" if c.date_precision == "day" else ""]
    return "/".join(parts) + "/"


def to_ris(c: Citation) -> str:
    """A RIS record (``CHAP`` or ``BOOK``); names cited whole are written as they are."""
    lines: list[tuple[str, str]] = [("TY", "CHAP" if c.kind == "chapter" else "BOOK")]
    lines += [("AU", p.inverted) for p in c.authors]
    lines.append(("TI", c.full_title))
    if c.kind == "chapter":
        lines.append(("T2", c.full_book_title))
        lines += [("A2", p.inverted) for p in c.editors]
    else:
        lines += [("A2", p.inverted) for p in c.editors]
    for tag, value in (("PB", c.publisher), ("PY", c.year), ("DA", _ris_date(c)), ("SP", c.first_page),
                       ("EP", c.last_page), ("SN", c.isbn), ("DO", c.doi), ("UR", c.absolute(c.page_path)),
                       ("L1", c.absolute(c.pdf_path)), ("LA", c.lang), ("AB", c.abstract),
                       ("C3", c.rights.statement)):
        if value:
            lines.append((tag, value))
    lines += [("KW", k) for k in c.keywords]
    lines.append(("ID", c.key))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines) + "ER  - \n"


def _csl_names(people: tuple[Person, ...]) -> list[dict[str, str]]:
    return [{"family": p.family, "given": p.given} if p.family else {"literal": p.name} for p in people]


def csl_item(c: Citation) -> dict[str, object]:
    """The work as one CSL-JSON item (what Zotero, Pandoc and citeproc read)."""
    item: dict[str, object] = {"id": c.key, "type": "chapter" if c.kind == "chapter" else "book",
                               "title": c.full_title, "language": c.tag}
    if c.authors:
        item["author"] = _csl_names(c.authors)
    if c.editors:
        item["editor"] = _csl_names(c.editors)
    if c.kind == "chapter":
        item["container-title"] = c.full_book_title
    if c.date is not None:
        parts = [c.date.year] + ([c.date.month] if c.date_precision != "year" else []) \
            + ([c.date.day] if c.date_precision == "day" else [])
        item["issued"] = {"date-parts": [parts]}
    for name, value in (("publisher", c.publisher), ("ISBN", c.isbn), ("DOI", c.doi), ("page", _pages(c, "-")),
                        ("URL", c.absolute(c.page_path)), ("abstract", c.abstract),
                        ("keyword", ", ".join(c.keywords))):
        if value:
            item[name] = value
    return item


def to_csl_json(c: Citation) -> str:
    """A CSL-JSON file: a list holding the one item, UTF-8, keys sorted so that builds are byte-identical."""
    return json.dumps([csl_item(c)], ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def citation_files(c: Citation) -> dict[str, bytes]:
    """The citation files of a work by site path (``ja/introduction/cite.bib``…)."""
    return {c.file_path("bib"): to_bibtex(c).encode("utf-8"), c.file_path("ris"): to_ris(c).encode("utf-8"),
            c.file_path("csl"): to_csl_json(c).encode("utf-8")}


# --- the PDF's XMP ------------------------------------------------------------------------------------------


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


# --- the page's head ----------------------------------------------------------------------------------------


@dataclass
class HeadTags:
    """What ``partials/meta.html`` writes into a page's ``<head>``."""

    names: list[tuple[str, str]] = field(default_factory=list)
    """``<meta name content>``: Highwire Press and Twitter."""
    properties: list[tuple[str, str]] = field(default_factory=list)
    """``<meta property content>``: Open Graph."""
    links: list[tuple[str, str, str]] = field(default_factory=list)
    """``<link rel href type>``."""
    json_ld: Markup = Markup("")
    """The schema.org object, safe inside ``<script type="application/ld+json">``."""


def og_locale(lang: str) -> str:
    """Open Graph's ``language_TERRITORY``: ``ja_JP``, ``en_US`` (the likely territory when none is given)."""
    from babel.core import get_global

    locale = babel_locale(lang)
    territory = locale.territory
    if not territory:
        subtags = get_global("likely_subtags")
        likely = subtags.get(str(locale), "") or subtags.get(locale.language, "")  # zh_Hant → TW, not CN
        territory = next((part for part in likely.split("_")[1:] if part.isupper() and len(part) == 2), "")
    return f"{locale.language}_{territory}" if territory else locale.language


def _date(c: Citation, sep: str) -> str:
    if c.date is None:
        return ""
    parts = [f"{c.date.year:04d}"]
    if c.date_precision != "year":
        parts.append(f"{c.date.month:02d}")
    if c.date_precision == "day":
        parts.append(f"{c.date.day:02d}")
    return sep.join(parts)


def _description(text: str, limit: int = 300) -> str:
    """A card's description: the abstract, cut at a word (or anywhere in CJK text) with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut and not _CJK.search(cut[-20:]):
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:、。") + "…"


def head_tags(c: Citation, url: Callable[[str], str]) -> HeadTags:
    """Scholar tags, JSON-LD and social cards of one work's page."""
    tags = HeadTags()
    names = tags.names
    page_url = c.absolute(c.page_path)
    pdf_url = c.absolute(c.pdf_path) or (url(c.pdf_path) if c.pdf_path else "")
    image_url = c.absolute(c.cover.path) if c.cover else ""
    # Highwire Press: Scholar indexes a paper only with its title, authors and date; a book page has no authors.
    names.append(("citation_title", c.full_title))
    for p in c.authors:
        names.append(("citation_author", p.inverted))
        if p.institution:
            names.append(("citation_author_institution", p.institution))
    for p in c.editors:
        names.append(("citation_editor", p.inverted))
    if c.date:
        names.append(("citation_publication_date", _date(c, "/")))
    if c.kind == "chapter":
        names.append(("citation_inbook_title", c.full_book_title))
        names.append(("citation_book_title", c.full_book_title))
    for name, value in (("citation_publisher", c.publisher), ("citation_isbn", c.isbn), ("citation_doi", c.doi),
                        ("citation_firstpage", c.first_page), ("citation_lastpage", c.last_page),
                        ("citation_pdf_url", pdf_url), ("citation_abstract_html_url", page_url),
                        ("citation_language", c.lang)):
        if value:
            names.append((name, value))
    names += [("citation_keywords", k) for k in c.keywords]
    if c.abstract:
        names.append(("description", c.abstract))
    if c.rights.license_url:
        tags.links.append(("license", c.rights.license_url, ""))
    # Open Graph and Twitter cards: link previews want absolute URLs, so without base_url there is no image.
    props = tags.properties
    props.append(("og:type", "article" if c.kind == "chapter" else "book"))
    props.append(("og:title", c.full_title))
    props.append(("og:site_name", c.full_book_title if c.kind == "chapter" else c.title))
    if c.abstract:
        props.append(("og:description", _description(c.abstract)))
    if page_url:
        props.append(("og:url", page_url))
    props.append(("og:locale", og_locale(c.lang)))
    props += [("og:locale:alternate", og_locale(v.lang)) for v in c.versions]
    if image_url:
        props.append(("og:image", image_url))
        if c.cover and c.cover.alt:
            props.append(("og:image:alt", c.cover.alt))
    if c.kind == "chapter":
        if c.date:
            props.append(("article:published_time", _date(c, "-")))
        props += [("article:tag", k) for k in c.keywords]
    elif c.isbn:
        props.append(("book:isbn", c.isbn))
    names.append(("twitter:card", "summary_large_image" if image_url else "summary"))
    names.append(("twitter:title", c.full_title))
    if c.abstract:
        names.append(("twitter:description", _description(c.abstract, 200)))
    if image_url:
        names.append(("twitter:image", image_url))
        if c.cover and c.cover.alt:
            names.append(("twitter:image:alt", c.cover.alt))
    tags.json_ld = json_ld_markup(json_ld(c, url))
    return tags


def _org(name: str) -> dict[str, str]:
    return {"@type": "Organization", "name": name}


def _people(people: tuple[Person, ...]) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for p in people:
        entry: dict[str, object] = {"@type": "Person", "name": p.name}
        if p.family:
            entry.update(familyName=p.family, givenName=p.given)
        if p.institution:
            entry["affiliation"] = _org(p.institution)
        found.append(entry)
    return found


def json_ld(c: Citation, url: Callable[[str], str]) -> dict[str, object]:
    """schema.org: a ``ScholarlyArticle`` part of a ``Book`` (or the ``Book``), linked to its translations."""
    kind = "ScholarlyArticle" if c.kind == "chapter" else "Book"

    def link(site_path: str) -> str:
        return c.absolute(site_path) or url(site_path)

    def version(v: Version) -> dict[str, object]:
        return {"@type": kind, "@id": link(v.page_path), "url": link(v.page_path), "name": v.title,
                "inLanguage": v.tag}

    book: dict[str, object] = {"@type": "Book", "name": c.full_book_title, "inLanguage": c.tag}
    if c.editors:
        book["editor"] = _people(c.editors)
    if c.publisher:
        book["publisher"] = _org(c.publisher)
    if c.isbn:
        book["isbn"] = c.isbn
    if c.date:
        book["datePublished"] = _date(c, "-")
    if c.kind == "chapter":
        book["@id"] = link(c.page_path.split("/", 1)[0] + "/")
        data: dict[str, object] = {"@context": "https://schema.org", "@type": kind, "@id": link(c.page_path),
                                   "url": link(c.page_path), "headline": c.full_title, "name": c.full_title,
                                   "inLanguage": c.tag, "isPartOf": book}
        if c.authors:
            data["author"] = _people(c.authors)
        if c.date:
            data["datePublished"] = _date(c, "-")
        if c.first_page:
            data["pageStart"] = c.first_page
        if c.last_page:
            data["pageEnd"] = c.last_page
        if c.abstract:
            data["abstract"] = c.abstract
        if c.keywords:
            data["keywords"] = list(c.keywords)
        if c.doi:
            data["sameAs"] = f"https://doi.org/{c.doi}"
    else:
        data = {"@context": "https://schema.org", **book, "@id": link(c.page_path), "url": link(c.page_path)}
    if c.pdf_path:
        data["encoding"] = {"@type": "MediaObject", "contentUrl": link(c.pdf_path),
                            "encodingFormat": "application/pdf"}
    if c.cover and c.base_url:
        data["image"] = link(c.cover.path)
    if c.rights.license:
        data["license"] = c.rights.license_url or c.rights.license
    if c.rights.holder:
        data["copyrightHolder"] = _org(c.rights.holder)
    if c.rights.year:
        data["copyrightYear"] = c.rights.year
    if c.original:
        data["translationOfWork"] = version(c.original)
    if c.translations:
        data["workTranslation"] = [version(v) for v in c.translations]
    return data


def json_ld_markup(data: dict[str, object]) -> Markup:
    """JSON for a ``<script>`` element: ``<``, ``>`` and ``&`` escaped so no text can end the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
