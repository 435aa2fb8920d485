"""What templates see: plain objects built from a :class:`Volume` for one language.

Shared by the site and the print document so that both say the same thing in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .i18n import format_number, format_volume_date, html_lang, language_name
from .model import Author, Document, Heading, Volume
from .read.markup import render_inline

if TYPE_CHECKING:
    from .check.model import DocumentReport
    from .read.align import Alignment


@dataclass
class LanguageLink:
    """Another language of the same page."""

    code: str
    tag: str
    """BCP 47 tag for ``lang`` attributes."""
    name: str
    """The language's name in itself (日本語, English)."""
    name_here: str
    """The language's name in the page's language."""
    url: str = ""
    current: bool = False


@dataclass
class DocumentView:
    """A document as templates see it."""

    slug: str
    rel_path: str
    """The source's path under ``content/<lang>/``: what references to the document name."""
    lang: str
    tag: str
    title: Markup
    """Inline HTML (front matter may use Markdown emphasis); ``| striptags`` for plain text."""
    subtitle: Markup
    authors: list[Author]
    """Names are plain text; affiliation and bio are inline HTML (``Markup``)."""
    abstract: Markup
    html: Markup
    headings: list[Heading]
    footnote_count: int
    url: str
    """Site path of the page: ``ja/introduction/`` (links to it are made with ``urls.url_for``)."""
    translated: bool = True
    """False when this stands in for a missing translation (shown in the source language)."""
    meta: dict[str, Any] = field(default_factory=dict)
    """Front matter keys taiyaku does not know, unchanged."""
    translations: list[LanguageLink] = field(default_factory=list)
    status: str = "complete"
    """The checker's status of this translation: ``complete``, ``outdated`` or ``incomplete``."""
    behind: int = 0
    """Outdated: source commits since the translation; incomplete: problems found."""


@dataclass
class VolumeView:
    """The volume in one language."""

    slug: str
    lang: str
    tag: str
    title: Markup
    """Falls back to the source language's title, then wrapped in a ``lang`` span (``| striptags`` for text)."""
    subtitle: str
    editors: list[str]
    publisher: str
    date: str
    year: str
    """The publication year in this language's form (2026 / 2026年), for citations."""
    isbn: str
    disclaimer: str
    page_size: str
    documents: list[DocumentView]
    languages: list[LanguageLink]
    source_language: str
    pdf_name: str

    def number(self, value: float) -> str:
        """A number in this language's format."""
        return format_number(value, self.lang)


def _volume_title(own: str, fallback: str, fallback_lang: str, lang: str) -> Markup:
    if own:
        return Markup.escape(own)
    if fallback_lang == lang:
        return Markup.escape(fallback)
    return Markup('<span lang="{}">{}</span>').format(html_lang(fallback_lang), fallback)


def document_view(volume: Volume, doc: Document, page_lang: str, html: str | None = None) -> DocumentView:
    """A view of ``doc`` for a page in ``page_lang``.

    ``doc`` may be a stand-in from the source language for a missing translation: it then gets a page of its own
    in ``page_lang`` (the reader's language around the original text), listed among its languages as current.
    """
    standin = doc.lang != page_lang
    url = f"{page_lang}/{doc.url_path}/" if standin else doc.url
    links = [
        LanguageLink(lang, html_lang(lang), language_name(lang), language_name(lang, page_lang),
                     other.url, lang == page_lang)
        for lang, other in volume.translations(doc).items()
    ]
    if standin:
        links.append(LanguageLink(page_lang, html_lang(page_lang), language_name(page_lang),
                                  language_name(page_lang, page_lang), url, True))
        links.sort(key=lambda link: volume.languages.index(link.code) if link.code in volume.languages else 99)

    def inline(text: str) -> Markup:
        return Markup(render_inline(text, doc.lang))

    authors = [Author(a.name, inline(a.affiliation), inline(a.bio)) for a in doc.meta.authors]
    status, behind = translation_status(volume, doc)
    return DocumentView(
        status=status, behind=behind,
        slug=doc.slug, rel_path=doc.source.rel_path, lang=doc.lang, tag=html_lang(doc.lang), title=inline(doc.meta.title),
        subtitle=inline(doc.meta.subtitle), authors=authors, abstract=inline(doc.meta.abstract),
        html=Markup(doc.html if html is None else html),
        headings=doc.headings, footnote_count=doc.footnote_count, url=url,
        translated=not standin, meta=doc.meta.extra, translations=links,
    )


def translation_report(volume: Volume, lang: str, rel_path: str) -> DocumentReport | None:
    """The checker's report of the translation into ``lang`` at
    ``rel_path`` (``None`` when the build did not run the check or it has no such pair)."""
    report = volume.translation_status
    lang_report = report.languages.get(lang) if report is not None else None
    if lang_report is None:
        return None
    wanted = f"content/{lang}/{rel_path}"
    return next((d for d in lang_report.documents if d.translation == wanted), None)


def block_alignment(volume: Volume, rel_path: str, lang: str, partner: str) -> Alignment | None:
    """The checker's block alignment of a document and its translation, when the build ran the check."""
    source = volume.config.source_language
    if source not in (lang, partner):
        return None
    entry = translation_report(volume, lang if lang != source else partner, rel_path)
    return entry.alignment if entry is not None else None


def translation_status(volume: Volume, doc: Document) -> tuple[str, int]:
    """What the checker said of ``doc`` as a translation (``complete`` for sources and when it did not run)."""
    if doc.lang == volume.config.source_language:
        return "complete", 0
    entry = translation_report(volume, doc.lang, doc.source.rel_path)
    if entry is None or entry.status not in ("outdated", "incomplete"):
        return "complete", 0
    if entry.status == "outdated":
        return "outdated", max(len(entry.source_changes), 1)
    return "incomplete", sum(1 for p in entry.problems if p.severity == "error")


def reading_order(volume: Volume, lang: str) -> list[Document]:
    """The documents shown for ``lang``: its own, with source documents standing in for missing translations."""
    source = volume.config.source_language
    own = {d.source.rel_path: d for d in volume.documents.get(lang, [])}
    if lang == source or source not in volume.documents:
        return list(own.values())
    ordered = []
    for doc in volume.documents[source]:
        ordered.append(own.pop(doc.source.rel_path, doc))
    ordered.extend(own.values())  # orphans (warned about) still get pages
    return ordered


def volume_view(volume: Volume, lang: str, html_for: dict[str, str] | None = None) -> VolumeView:
    """The volume as templates in ``lang`` see it."""
    config = volume.config
    settings = config.lang(lang)
    fallback = config.lang(config.source_language)
    docs = [document_view(volume, d, lang, (html_for or {}).get(d.slug) if d.lang == lang else None)
            for d in reading_order(volume, lang)]
    languages = [
        LanguageLink(code, html_lang(code), language_name(code), language_name(code, lang), f"{code}/", code == lang)
        for code in volume.languages
    ]
    return VolumeView(
        slug=config.slug, lang=lang, tag=html_lang(lang),
        title=_volume_title(settings.title, fallback.title or config.slug, config.source_language, lang),
        subtitle=settings.subtitle, editors=settings.editors, publisher=settings.publisher,
        date=format_volume_date(config.date, config.date_precision, lang),
        year=format_volume_date(config.date, "year", lang), isbn=settings.isbn,
        disclaimer=settings.disclaimer, page_size=config.page_size, documents=docs, languages=languages,
        source_language=config.source_language, pdf_name=f"{config.slug}-{lang}.pdf",
    )
