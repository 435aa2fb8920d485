"""Citations made from the loaded volume: the volume and each paper per language edition, their rights and
covers, and the warnings about what citations need and the volume lacks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from markupsafe import Markup

from ..errors import Diagnostics
from ..i18n import html_lang
from ..model import Volume
from ..views import DocumentView, VolumeView
from .model import Citation, Cover, Rights, Version, person
from .styles import join_title


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
                 width, height, settings.cover_focus or config.cover_focus)


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
    versions = tuple(Version(code, html_lang(code), join_title(config.lang(code).title or config.slug,
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
            from ..read.markup import render_inline

            title = Markup(render_inline(twin.meta.title, lang)).striptags()
            subtitle = Markup(render_inline(twin.meta.subtitle, lang)).striptags() if twin.meta.subtitle else ""
            return join_title(title, subtitle, lang)
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
