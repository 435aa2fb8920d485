"""One edition made in memory: its content documents, images, stylesheets, navigation and package, zipped."""

from __future__ import annotations

import logging

from ..citations.volume import cover_for, rights_for
from ..errors import Diagnostics
from ..i18n import UIStrings
from ..model import Volume
from ..rendercache import RenderStore
from ..theme import THEME_ROOT
from ..views import volume_view
from .container import write_container
from .edition import IMAGE_TYPES, Asset, Edition
from .package import Contributor, PackageInfo, file_as, navigation, package_document, w3c_date
from .pages import PageMarks
from .xhtml import ContentDoc, Renderer, document, marker_html

log = logging.getLogger(__name__)

STYLE_DIR = THEME_ROOT / "epub"
"""The EPUB's stylesheets: ``epub.css`` for every edition, ``vertical.css`` on top for a vertical one."""


def make_edition(volume: Volume, strings: UIStrings, edition: Edition, marks: PageMarks,
                 diagnostics: Diagnostics, store: RenderStore | None = None) -> bytes:
    """The edition's EPUB bytes; problems (an image without alt text…) go to ``diagnostics``. ``store``: where
    the papers' renderings are kept (:attr:`.xhtml.Renderer.store`)."""
    view = volume_view(volume, edition.lang)
    renderer = Renderer(volume, edition, strings, view, marks, diagnostics, store=store)
    rights = rights_for(volume, edition.lang)
    cover = cover_for(volume, edition.lang)
    files: dict[str, bytes] = {}
    stylesheets = ["css/epub.css"] + (["css/vertical.css"] if edition.vertical else [])
    for href in stylesheets:
        files[href] = (STYLE_DIR / href.rsplit("/", 1)[-1]).read_bytes()

    docs: list[ContentDoc] = []
    cover_asset = None
    if cover is not None:
        suffix = "." + cover.path.rsplit(".", 1)[-1].lower()
        cover_asset = Asset(edition.lang, cover.path, f"images/cover{suffix}")
        files[cover_asset.href] = (volume.root / cover.path).read_bytes()
        docs.append(renderer.cover(cover, cover_asset.href))
    docs.append(renderer.title_page(rights, cover))
    contents_title = renderer.translate("Contents")
    contents_marks = "".join(marker_html(folio) for folio in marks.take("contents", "nav.xhtml"))
    docs += [renderer.chapter(doc) for doc in edition.documents]
    back = renderer.contributors()
    if back is not None:
        docs.append(back)

    used = set()
    for doc in docs:
        files[doc.name] = document(doc, stylesheets, edition.vertical)
        used.update(asset.href for asset in edition.assets.values() if f'"{asset.href}"' in doc.body)
    assets = [asset for asset in edition.assets.values() if asset.href in used]
    for asset in assets:
        files[asset.href] = (volume.root / "content" / asset.lang / asset.rel_path).read_bytes()

    described = not any(d.category == "epub" and "no alt text" in d.message for d in diagnostics.items)
    complete = bool(marks.entries) and not marks.missing()
    settings = volume.config.lang(edition.lang)
    info = PackageInfo(
        title=str(view.title.striptags()), subtitle=view.subtitle, publisher=view.publisher,
        date=w3c_date(volume.config.date.year, volume.config.date.month, volume.config.date.day,
                      volume.config.date_precision) if volume.config.date else "",
        isbn=view.isbn, rights=rights, series=settings.series, contributors=_contributors(volume, edition),
        source=(f"urn:isbn:{view.isbn.replace('-', '')}" if view.isbn else view.pdf_name) if marks.placed else "",
        images=bool(assets), described=described)
    files["nav.xhtml"] = navigation(edition, docs, contents_title, marks, contents_marks, stylesheets,
                                    edition.vertical)
    files["package.opf"] = package_document(edition, info, docs, stylesheets, cover_asset, assets, marks,
                                            conforms=described and complete)
    return write_container(files, edition.modified)


def _contributors(volume: Volume, edition: Edition) -> list[Contributor]:
    """The editors, then each paper's authors and translators, each name once, with their readings."""
    settings = volume.config.lang(edition.lang)
    readings = {**volume.config.lang(volume.config.source_language).readings, **settings.readings}
    found: dict[str, Contributor] = {}

    def add(name: str, role: str) -> None:
        if not name:
            return
        who = found.setdefault(name, Contributor(name, [], file_as(name, readings)))
        if role not in who.roles:
            who.roles.append(role)

    for name in settings.editors:
        add(name, "edt")
    for doc in edition.documents:
        for author in doc.meta.authors:
            add(author.name, "aut")
    for doc in edition.documents:
        translators = doc.meta.extra.get("translators") or []
        for name in [translators] if isinstance(translators, str) else translators:
            add(str(name), "trl")
    return list(found.values())


__all__ = ["IMAGE_TYPES", "make_edition"]
