"""How the volume and each paper are cited, per language: one model, many forms.

A :class:`Citation` is built once per paper and per language edition (and once for the volume in each
language) from the front matter and ``volume.toml``; everything that cites is rendered from it: the Highwire
Press ``citation_*`` tags Google Scholar and Zotero read, schema.org JSON-LD (``ScholarlyArticle`` in a
``Book``, each language's version linked to the others by ``translationOfWork``/``workTranslation``), Open
Graph and Twitter cards, and the downloadable BibTeX, RIS and CSL-JSON files.

Japanese names and titles are cited the Japanese way on Japanese pages: names as written (no "Last, First"
inversion, which would break 森川直人 or エレノア・ウィットコム), subtitles after ——, 「」 and 『』. The one-line
citation (the web page's "Cite as" line, the offprint's cover) is worded by a :class:`CiteStyle` per language
(``citation_formats``), which the UI catalogs can reword.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from .errors import Diagnostics
from .i18n import html_lang, primary
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


def _spaceless(lang: str) -> bool:
    """Languages written without spaces between words (Japanese, Chinese): title and subtitle joined by ——.

    Not Korean: it spaces its words and joins a subtitle with a colon, as English does.
    """
    return primary(lang) in ("ja", "zh")


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
        return ("\u3000" if _spaceless(self.lang) else ". ").join(x for x in (self.notice, self.license_name) if x)


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
        """The citation in one line of plain text, in the built-in style of its language."""
        return cite_text(self)

    @property
    def html(self) -> Markup:
        """The same line as HTML, the book's title marked up as a title."""
        return cite_html(self)

    def html_in(self, words: Mapping[str, str]) -> Markup:
        """The line as HTML in the words a page's catalogs give (``partials/cite-words.html``): the "Cite as" line."""
        return cite_html(self, words)

    def head(self, url: Callable[[str], str]) -> HeadTags:
        """The ``<head>`` tags of the work's page; ``url`` makes a link from that page to a site path."""
        return head_tags(self, url)


def _join_title(title: str, subtitle: str, lang: str) -> str:
    if not subtitle:
        return title
    return f"{title}——{subtitle}" if _spaceless(lang) else f"{title}: {subtitle}"


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


def paper_in_view(view: VolumeView, doc: DocumentView) -> Citation:
    """A paper as its views show it: enough to print its citation (an offprint's cover), with the year only.

    The views hold the publication year as this language writes it (``2026年``); its digits are the year.
    """
    year = re.search(r"\d{4}", view.year or "")
    return Citation(
        kind="chapter", key=doc.slug, lang=view.lang, title=_plain(doc.title), subtitle=_plain(doc.subtitle),
        authors=tuple(person(a.name, _plain(a.affiliation)) for a in doc.authors),
        editors=tuple(person(name) for name in view.editors), book_title=_plain(view.title),
        book_subtitle=view.subtitle, publisher=view.publisher,
        date=dt.date(int(year[0]), 1, 1) if year else None, date_precision="year", isbn=view.isbn)


def paper_citation(volume: Volume, view: VolumeView, doc: DocumentView, pdf_path: str = "",
                   pages: tuple[int, int] | None = None) -> Citation:
    """One paper in one language, cited as a chapter of the volume in the same language.

    ``pages``: the first and last page of the paper in the volume, as typesetting found them (from the build's
    manifest: the site is rendered after the PDFs); without them the citation names no pages.
    """
    config = volume.config
    lang = view.lang
    source = config.source_language
    others = tuple(Version(link.code, link.tag, _twin_title(volume, doc, link.code), link.url)
                   for link in doc.translations if not link.current)
    return replace(
        paper_in_view(view, doc), key=f"{config.slug}-{lang}-{doc.slug}", date=config.date,
        date_precision=config.date_precision, doi=str(doc.meta.get("doi") or "").strip(),
        keywords=_keywords(doc.meta.get("keywords")), abstract=_plain(doc.abstract), page_path=doc.url,
        first_page=str(pages[0]) if pages else "",
        last_page=str(pages[1]) if pages else "",
        pdf_path=pdf_path, base_url=config.base_url, rights=rights_for(volume, lang), cover=cover_for(volume, lang),
        original=next((v for v in others if v.lang == source), None) if lang != source else None,
        translations=others if lang == source else (),
    )


def _twin_title(volume: Volume, doc: DocumentView, lang: str) -> str:
    """The title of ``doc``'s version in ``lang``, with its subtitle."""
    for twin in volume.documents.get(lang, []):
        if twin.source.rel_path == doc.rel_path:
            from .read.markup import render_inline

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


# The forms live in their own module; imported last, as they build on the model above.
from .citation_formats import (  # noqa: E402,F401 (the forms, importable from here)
    CiteStyle, HeadTags, add_to_xmp, citation_files, cite_html, cite_text, csl_item, head_tags, json_ld,
    json_ld_markup, name_list, offprint_label, og_locale, style_for, to_bibtex, to_csl_json, to_ris, xmp_rights)
