"""How an offprint's cover cites its paper: the one citation model (:mod:`taiyaku.citations`), its page range
still a mark.

The cover template words the citation with the same catalog messages as the web page's "Cite as" line
(``partials/cite-words.html``), so a paper reads the same on its page and on its offprint in every language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..citations.model import Citation as Work
from ..citations.styles import cite_html, name_list, offprint_label
from ..citations.volume import paper_in_view
from ..i18n import html_lang

if TYPE_CHECKING:
    from ..views import DocumentView, VolumeView


@dataclass(frozen=True)
class Citation:
    """What an offprint cover prints: a label line and the full citation, from the paper's citation model."""

    work: Work
    pages: str
    """The page range, or the mark the typesetting worker replaces with it once the volume is laid out."""
    title_tag: str = ""
    """The paper's language when it is not the volume's (a stand-in for a missing translation)."""
    one_page: bool = False
    """The paper has one page: the range is one folio, worded as a page ("p. 7"), not pages."""

    def label(self, words: Mapping[str, str] | None = None) -> Markup:
        """``Offprint from <cite>Book</cite>``, in the cover's words."""
        return offprint_label(self.work, words)

    @property
    def authors(self) -> str:
        """The paper's authors as its own language lists them (a stand-in's in the original's)."""
        return name_list(self.work.authors, self.title_tag or self.work.lang)

    def text(self, words: Mapping[str, str] | None = None) -> Markup:
        """The citation line, its pages an unbreakable ``span.pages``."""
        return cite_html(self.work, words, pages=self.pages, title_tag=self.title_tag, one_page=self.one_page)


def cite_paper(volume: VolumeView, doc: DocumentView, lang: str, pages: str) -> Citation:
    """The citation of ``doc`` in ``volume`` (the edition in ``lang``); ``pages`` is its page range or a mark."""
    work = paper_in_view(volume, doc)
    assert work.lang == lang, (work.lang, lang)
    return Citation(work, pages, doc.tag if doc.tag != html_lang(lang) else "")
