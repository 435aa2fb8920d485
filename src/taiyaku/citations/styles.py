"""The one-line citation, worded per language (:class:`CiteStyle`, which the UI catalogs can reword): the web
page's "Cite as" line and the offprint's cover; names listed and titles joined the way each language does.

Japanese names and titles are cited the Japanese way on Japanese pages: names as written (no "Last, First"
inversion, which would break 森川直人 or エレノア・ウィットコム), subtitles after ——, 「」 and 『』.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..i18n import babel_locale
from ..lang import HANGUL_SYLLABLES, JAPANESE_LETTERS, char_class, primary

if TYPE_CHECKING:
    from .model import Citation, Person


CJK = re.compile(f"[{char_class(JAPANESE_LETTERS + HANGUL_SYLLABLES)}]")


def spaceless(lang: str) -> bool:
    """Languages written without spaces between words (Japanese, Chinese): title and subtitle joined by ——.

    Not Korean: it spaces its words and joins a subtitle with a colon, as English does.
    """
    return primary(lang) in ("ja", "zh")


def join_title(title: str, subtitle: str, lang: str) -> str:
    if not subtitle:
        return title
    return f"{title}——{subtitle}" if spaceless(lang) else f"{title}: {subtitle}"


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


def page_range(c: Citation, sep: str = "–") -> str:
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
        title = join_title(c.title, c.subtitle, title_tag)
        if html:
            title = Markup('<span lang="{}">{}</span>').format(title_tag, title)
    span = pages if pages is not None else page_range(c)
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
