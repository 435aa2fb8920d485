"""How a paper of the volume is cited, per language: printed on its offprint's cover.

Citation styles differ in structure, not only in words (Chicago in English; 「論文名」『書名』 in Japanese),
so each language has its own function; other languages use the English form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from ..views import DocumentView, VolumeView


@dataclass(frozen=True)
class Citation:
    """What an offprint cover prints: a label line and the full citation."""

    label: Markup
    text: Markup


def cite_paper(volume: VolumeView, doc: DocumentView, lang: str, pages: str) -> Citation:
    """The citation of ``doc`` in ``volume``; ``pages`` is the page range (or a placeholder for it)."""
    if lang.split("_")[0].split("-")[0] == "ja":
        return _japanese(volume, doc, pages)
    return _english(volume, doc, pages)


def _year(date: str) -> str:
    match = re.search(r"\d{4}", date or "")
    return match.group(0) if match else ""


def _english(volume: VolumeView, doc: DocumentView, pages: str) -> Citation:
    authors = [a.name for a in doc.authors]
    names = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1] if authors else ""
    editors = volume.editors
    eds = (editors[0] if len(editors) == 1 else ", ".join(editors[:-1]) + " and " + editors[-1]) if editors else ""
    publisher = ", ".join(x for x in (volume.publisher, _year(volume.date)) if x)
    text = Markup("")
    if names:
        text += Markup("{}, ").format(names)
    text += Markup("“{},” in <cite>{}</cite>").format(doc.title, volume.title)
    if eds:
        text += Markup(", ed. {}").format(eds)
    if publisher:
        text += Markup(" ({})").format(publisher)
    text += Markup(', <span class="pages">pp. {}.</span>').format(pages)
    return Citation(Markup("Offprint from <cite>{}</cite>").format(volume.title), text)


def _japanese(volume: VolumeView, doc: DocumentView, pages: str) -> Citation:
    names = "、".join(a.name for a in doc.authors)
    eds = "、".join(volume.editors)
    text = Markup("")
    if names:
        text += Markup("{}").format(names)
    text += Markup("「{}」").format(doc.title)
    if eds:
        text += Markup("{}編").format(eds)
    text += Markup("『{}』").format(volume.title)
    if volume.publisher:
        text += Markup("{}、").format(volume.publisher)
    if _year(volume.date):
        text += Markup("{}年、").format(_year(volume.date))
    text += Markup('<span class="pages">{}頁。</span>').format(pages)
    return Citation(Markup("『{}』抜刷").format(volume.title), text)
