"""The forms of a citation: the one-line text and HTML, BibTeX, RIS, CSL-JSON, the XMP rights of a PDF, and the
``<head>`` tags of a page (Highwire Press ``citation_*``, Open Graph and Twitter cards, schema.org JSON-LD).

Each form is made from :class:`taiyaku.citations.Citation`, the one citation model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from .citations import _CJK, _MONTHS, Citation, Person, Rights, Version, _join_title
from .i18n import babel_locale, html_lang, primary


@dataclass(frozen=True)
class CiteStyle:
    """The words and punctuation of the one-line citation in one language, as %-patterns.

    The English patterns are also UI messages: ``partials/cite-words.html`` passes each through the page's
    catalogs, and a field a catalog translates replaces the built-in one (:func:`style_for`). Each pattern's
    optional parts (``%(editors)s``, ``%(published)s``, ``%(pages)s``) arrive already worded, with their own
    separators, or empty.
    """

    paper: str
    """A paper in a book: ``%(authors)s %(title)s %(editors)s %(book)s %(published)s %(pages)s``."""
    book: str
    """The book itself: ``%(editors)s %(book)s %(published)s``."""
    authors: str
    paper_editors: str
    """The book's editors inside a paper's citation."""
    book_editor: str
    """One editor, at the head of the book's citation."""
    book_editors: str
    """Several editors, at the head of the book's citation."""
    published: str
    """``%(facts)s``: the publisher and the year, joined by ``facts_sep``."""
    facts_sep: str
    year: str
    pages: str
    """A range of pages: ``%(pages)s`` is ``41–60``."""
    page: str
    """A single page."""
    offprint: str
    """The label of an offprint's cover: ``%(book)s``."""
    names: str = ""
    """Between two names; empty: the language's list pattern from Babel (``A and B``, ``A, B, and C``, ``A et B``)."""


WORD_FIELDS = ("paper", "book", "authors", "paper_editors", "book_editor", "book_editors", "published",
               "facts_sep", "year", "pages", "page", "offprint")
"""The fields a catalog can reword (``names`` comes from Babel or the built-in style)."""

ENGLISH = CiteStyle(
    paper="%(authors)s“%(title)s,” in %(book)s%(editors)s%(published)s%(pages)s.",
    book="%(editors)s%(book)s%(published)s.",
    authors="%(authors)s, ", paper_editors=", ed. %(editors)s", book_editor="%(editors)s, ed., ",
    book_editors="%(editors)s, eds., ", published=" (%(facts)s)", facts_sep=", ", year="%(year)s",
    pages=", pp. %(pages)s", page=", p. %(pages)s", offprint="Offprint from %(book)s")
"""Chicago notes (``Author, “Title,” in Book, ed. Editors (Publisher, Year), pp. 1–20.``); the UI messages."""

JAPANESE = CiteStyle(
    paper="%(authors)s「%(title)s」%(editors)s『%(book)s』%(published)s%(pages)s。",
    book="%(editors)s『%(book)s』%(published)s。",
    authors="%(authors)s", paper_editors="%(editors)s編", book_editor="%(editors)s編", book_editors="%(editors)s編",
    published="%(facts)s", facts_sep="、", year="%(year)s年", pages="、%(pages)s頁", page="、%(pages)s頁",
    offprint="『%(book)s』抜刷", names="、")
"""``著者「論文名」編者編『書名』出版社、2026年、1–20頁。``: the form of Japanese humanities and social sciences."""

_CHINESE = dict(
    paper="%(authors)s《%(title)s》，%(editors)s《%(book)s》%(published)s%(pages)s。",
    book="%(editors)s《%(book)s》%(published)s。", authors="%(authors)s：", published="，%(facts)s", facts_sep="，",
    year="%(year)s年", offprint="《%(book)s》抽印本", names="、")
CHINESE_SIMPLIFIED = CiteStyle(**_CHINESE, paper_editors="%(editors)s编：", book_editor="%(editors)s编：",
                               book_editors="%(editors)s编：", pages="，第%(pages)s页", page="，第%(pages)s页")
"""The notes of 《中国社会科学》 and 《历史研究》 (a chapter: ``著者：《篇名》，编者编：《文集名》，出版者，2026年，
第1–20页。``), without the place of publication, which ``volume.toml`` does not hold."""
CHINESE_TRADITIONAL = CiteStyle(**_CHINESE, paper_editors="%(editors)s編：", book_editor="%(editors)s編：",
                                book_editors="%(editors)s編：", pages="，第%(pages)s頁", page="，第%(pages)s頁")
"""The same form in traditional characters (編, 頁), for ``zh-Hant`` and the territories that write it."""

KOREAN = CiteStyle(
    paper="%(authors)s「%(title)s」, %(editors)s『%(book)s』%(published)s%(pages)s.",
    book="%(editors)s『%(book)s』%(published)s.",
    authors="%(authors)s, ", paper_editors="%(editors)s 편, ", book_editor="%(editors)s 편, ",
    book_editors="%(editors)s 편, ", published=", %(facts)s", facts_sep=", ", year="%(year)s",
    pages=", %(pages)s쪽", page=", %(pages)s쪽", offprint="『%(book)s』 별쇄본", names="·")
"""``저자, 「논문명」, 편자 편, 『서명』, 출판사, 2026, 1–20쪽.``

Korean spaces its words and uses Western commas and full stops, but not English quotation marks for titles:
the National Institute of Korean Language's punctuation rules (한글 맞춤법 부록, 2015) mark a book's title
with 『』 (or 《》) and the title of a part of it, such as a chapter, with 「」 (or 〈〉); Korean humanities
journals cite that way, with pages counted in 쪽 and co-authors joined by the middle dot (가운뎃점).
"""

_BUILT_IN = {"en": ENGLISH, "ja": JAPANESE, "ko": KOREAN}


def built_in_style(lang: str) -> CiteStyle:
    """The style taiyaku knows for ``lang``: English, Japanese, Chinese (simplified or traditional), Korean;
    English for any other language, until a catalog rewords it."""
    code = primary(lang)
    if code == "zh":
        return CHINESE_TRADITIONAL if _traditional(lang) else CHINESE_SIMPLIFIED
    return _BUILT_IN.get(code, ENGLISH)


def _traditional(lang: str) -> bool:
    """Whether Chinese in ``lang`` is written in traditional characters: ``zh-Hant``, and ``zh-TW``, ``zh-HK``,
    ``zh-MO``, which Babel gives that script."""
    return babel_locale(lang).script == "Hant"


def style_for(lang: str, words: Mapping[str, str] | None = None) -> CiteStyle:
    """The built-in style of ``lang`` with every field the page's catalogs translate taken from ``words``.

    ``words`` maps field names to the English patterns as the catalogs gave them back: one still equal to the
    English message is untranslated (as gettext itself says), so the built-in wording stays.
    """
    style = built_in_style(lang)
    if not words:
        return style
    changed = {name: str(words[name]) for name in WORD_FIELDS
               if name in words and str(words[name]) != getattr(ENGLISH, name)}
    return replace(style, **changed) if changed else style


def name_list(people: tuple[Person, ...], lang: str) -> str:
    """The names as ``lang`` lists them in a citation: ``A and B``, ``森川直人、エレノア・ウィットコム``, ``홍길동·김철수``."""
    return _names(people, lang, built_in_style(lang))


def _names(people: tuple[Person, ...], lang: str, style: CiteStyle) -> str:
    names = [p.name for p in people]
    if style.names:
        return style.names.join(names)
    from babel.lists import format_list

    return format_list(names, locale=babel_locale(lang))


def _pages(c: Citation, sep: str = "–") -> str:
    if c.first_page and c.last_page and c.first_page != c.last_page:
        return f"{c.first_page}{sep}{c.last_page}"
    return c.first_page


def _line(c: Citation, style: CiteStyle, html: bool, pages: str | None, title_tag: str,
          one_page: bool = False) -> str:
    """The one-line citation; as :class:`Markup` when ``html`` (values escaped, the book in ``<cite>``)."""
    esc: Callable[[str], str] = Markup.escape if html else str

    def fill(pattern: str, **values: str) -> str:
        return esc(pattern) % values  # Markup's % escapes each value that is not Markup already

    book = Markup("<cite>{}</cite>").format(c.full_book_title) if html else c.full_book_title
    year = fill(style.year, year=c.year) if c.year else ""
    facts = [x for x in (c.publisher, year) if x]
    published = fill(style.published, facts=esc(style.facts_sep).join(facts)) if facts else ""
    if c.kind == "book":
        head = style.book_editors if len(c.editors) > 1 else style.book_editor
        editors = fill(head, editors=_names(c.editors, c.lang, style)) if c.editors else ""
        return fill(style.book, editors=editors, book=book, published=published)
    title: str = c.full_title
    if title_tag and title_tag != c.tag:  # a stand-in's title: joined to its subtitle the way its language does
        title = _join_title(c.title, c.subtitle, title_tag)
        if html:
            title = Markup('<span lang="{}">{}</span>').format(title_tag, title)
    span = pages if pages is not None else _pages(c)
    several = (pages is not None and not one_page) or "–" in span
    pages_part = fill(style.pages if several else style.page, pages=span) if span else ""
    if html and pages_part:
        # One unbreakable unit.
        pages_part = Markup('<span class="pages">{}</span>').format(pages_part)
    authors = fill(style.authors, authors=_names(c.authors, c.lang, style)) if c.authors else ""
    editors = fill(style.paper_editors, editors=_names(c.editors, c.lang, style)) if c.editors else ""
    return fill(style.paper, authors=authors, title=title, editors=editors, book=book, published=published,
                pages=pages_part)


def cite_text(c: Citation, words: Mapping[str, str] | None = None) -> str:
    """The citation as one line of plain text in the work's language (see :func:`style_for` for ``words``)."""
    return _line(c, style_for(c.lang, words), False, None, "")


def cite_html(c: Citation, words: Mapping[str, str] | None = None, pages: str | None = None,
              title_tag: str = "", one_page: bool = False) -> Markup:
    """:func:`cite_text` as HTML: the book's title in ``<cite>``, the pages in an unbreakable ``span.pages``.

    ``pages``: the page range in place of the work's own (the offprint cover's mark, filled after layout).
    ``title_tag``: the language of the paper's title when it differs from the citation's (a stand-in).
    ``one_page``: ``pages`` is a single page (worded "p. 7", not "pp. 7").
    """
    return Markup(_line(c, style_for(c.lang, words), True, pages, title_tag, one_page))


def offprint_label(c: Citation, words: Mapping[str, str] | None = None) -> Markup:
    """The label of an offprint's cover: ``Offprint from <cite>Book</cite>``, ``『<cite>書名</cite>』抜刷``."""
    style = style_for(c.lang, words)
    return Markup.escape(style.offprint) % {"book": Markup("<cite>{}</cite>").format(c.full_book_title)}


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
