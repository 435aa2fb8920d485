"""The forms of a citation: the one-line text and HTML, BibTeX, RIS, CSL-JSON, the XMP rights of a PDF, and the
``<head>`` tags of a page (Highwire Press ``citation_*``, Open Graph and Twitter cards, schema.org JSON-LD).

Each form is made from :class:`taiyaku.citations.Citation`, the one citation model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from .citations import _CJK, _MONTHS, Citation, Person, Rights, Version, _east_asian
from .i18n import babel_locale, html_lang


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
