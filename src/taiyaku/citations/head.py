"""A work's page ``<head>``: the Highwire Press ``citation_*`` tags Google Scholar and Zotero read, schema.org
JSON-LD (``ScholarlyArticle`` in a ``Book``, each language's version linked to the others by
``translationOfWork``/``workTranslation``), Open Graph and Twitter cards."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..i18n import babel_locale
from .styles import CJK

if TYPE_CHECKING:
    from .model import Citation, Person, Version


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
    if " " in cut and not CJK.search(cut[-20:]):
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
