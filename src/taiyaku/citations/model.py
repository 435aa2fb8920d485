"""The citation model: one work in one language (:class:`Citation`), its people, rights, cover and other language
versions. Everything that cites is rendered from it: the one-line forms (:mod:`.styles`), the files
(:mod:`.formats`), the page's head (:mod:`.head`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from ..i18n import html_lang
from ..urls import absolute_url
from .formats import CITE_FILES, FORMATS
from .head import HeadTags, head_tags
from .styles import CJK, cite_html, cite_text, join_title, spaceless


_CC = re.compile(r"^CC-(BY(?:-NC)?(?:-SA|-ND)?)-(\d\.\d)$", re.I)


_SPDX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")


_WORD_IDS = {"MIT", "Unlicense", "WTFPL"}
"""SPDX ids without a version number (free text like "All rights reserved" gets no link)."""


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
    if CJK.search(name) or " " not in name:
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
        return ("\u3000" if spaceless(self.lang) else ". ").join(x for x in (self.notice, self.license_name) if x)


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
    focus: str = "50% 50%"
    """The point kept in view where the PDF's cover crops the image (``volume.toml``'s ``cover_focus``)."""


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
        return join_title(self.title, self.subtitle, self.lang)

    @property
    def full_book_title(self) -> str:
        """The volume's title with its subtitle."""
        return join_title(self.book_title, self.book_subtitle, self.lang)

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
