"""HTML stage: the language chooser, one home per language, one page per document, assets.

Produces :class:`OutputFile` objects; nothing is written here (that is the writer's job).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from .cache import CACHE_DIR
from .citations.formats import citation_files
from .citations.volume import check_citations, cover_for, paper_citation, rights_for, volume_citation
from .errors import Diagnostics, TaiyakuError
from .images.site import document_files
from .i18n import UIStrings
from .model import OutputFile, Volume
from .theme import make_environment, render_template, template_dirs
from .parallel import parallel_rows
from .urls import absolute_url, page_file, resolve_references, url_for
from .views import DocumentView, LanguageLink, VolumeView, block_alignment, volume_view

log = logging.getLogger(__name__)

ASSETS_DIR = "assets"
"""Theme folder (under ``templates/``) whose files are copied to the site as they are."""
CONTRIBUTORS = "contributors"
PARALLEL = "parallel"
"""Folder of a document's side-by-side view (``ja/<slug>/parallel/``)."""
RESERVED_SLUGS = {ASSETS_DIR, CONTRIBUTORS, "pdf"}
"""Folders of a language's site that are not documents."""


@dataclass
class Contributor:
    """One contributor with the documents they wrote, for the contributors page."""

    name: str
    affiliation: Markup
    bio: Markup
    documents: list[DocumentView]
    tag: str


def check_reserved_slugs(volume: Volume, diagnostics: Diagnostics) -> None:
    """A top-level document may not take the name of a folder the site makes (checked whatever ``--format``)."""
    for docs in volume.documents.values():
        for doc in docs:
            if doc.url_path in RESERVED_SLUGS:
                diagnostics.error(doc.source.volume_path, 1, "front-matter",
                                  f"slug {doc.slug!r} is reserved for the site's own pages: set another 'slug'")


def contributor_list(view: VolumeView) -> list[Contributor]:
    """Every author of the volume's documents in reading order, each once, with what they wrote."""
    found: dict[str, Contributor] = {}
    for doc in view.documents:
        for author in doc.authors:
            entry = found.get(author.name)
            if entry is None:
                found[author.name] = Contributor(author.name, Markup(author.affiliation), Markup(author.bio),
                                                 [doc], doc.tag)
            else:
                entry.documents.append(doc)
    return list(found.values())


def fingerprinted(name: str, data: bytes) -> str:
    """``site.css`` → ``site.3f2a9c1b.css``: a new name whenever the content changes, so it can be cached forever.

    Images and fonts keep their names (content links to them by name).
    """
    stem, dot, suffix = name.rpartition(".")
    if suffix not in ("css", "js") or not dot:
        return name
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:8]}.{suffix}"


def _partner(doc: DocumentView, lang: str, source: str) -> LanguageLink | None:
    """The language a document is read beside: the source for a translation, the first translation for a source."""
    others = [link for link in doc.translations if link.code != lang]
    if not others:
        return None
    return next((link for link in others if link.code == source), others[0])


def theme_assets(volume_root: Path) -> dict[str, Path]:
    """Static files of the theme, the volume's own replacing the theme's by name."""
    found: dict[str, Path] = {}
    for folder in reversed(template_dirs(volume_root)):
        base = folder / ASSETS_DIR
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    found[path.relative_to(base).as_posix()] = path
    return found


@dataclass(frozen=True)
class Download:
    """A file the site offers (from the build's manifest of artifacts)."""

    url: str
    """Site path: ``pdf/alliance-at-75-ja.pdf``."""
    size: int | None
    """Bytes; ``None`` while only planned (the trial render before typesetting)."""
    kind: str = "volume"
    """The artifact's kind: ``volume``, ``offprint``, ``facing``, ``epub``…"""
    pages: int | None = None
    page_range: tuple[int, int] | None = None
    """An offprint's first and last page in its volume."""


@dataclass(frozen=True)
class Downloads:
    """One language's files: the whole volume's PDF, the offprints by document slug, and other editions."""

    volume: Download | None
    offprints: dict[str, Download]
    editions: tuple[Download, ...] = ()
    """Further whole-volume files in this language (EPUBs, the facing edition), in the registry's order."""


def render_site(volume: Volume, strings: dict[str, UIStrings], diagnostics: Diagnostics,
                downloads: dict[str, Downloads], targets: list[str] | None = None,
                image_cache: Path | None = None) -> list[OutputFile]:
    """The site's files; ``downloads`` are the PDFs offered, per language (none in an HTML-only build).
    ``image_cache``: the build's cache folder, where images' variants are kept (default the volume's).

    ``targets`` limits the language pages made (the language chooser and shared assets are always made);
    navigation still links every language of the volume.
    """
    files: list[OutputFile] = []
    views = {lang: volume_view(volume, lang) for lang in volume.languages}
    root = volume.root

    envs: dict[str, jinja2.Environment] = {}
    assets = {name: path.read_bytes() for name, path in theme_assets(root).items()}
    asset_urls = {name: fingerprinted(name, data) for name, data in assets.items()}
    # Where each document's page is, by its content-relative path: references in bodies resolve through it.
    doc_paths = {lang: {d.rel_path: d.url.partition("/")[2] for d in view.documents} for lang, view in views.items()}

    def page(template: str, rel_path: str, strings_for: UIStrings, absolute: bool = False, rooted: bool = False,
             **context: object) -> None:
        """Render one page; every link on it is made from ``rel_path`` by ``url``, or absolute (the sitemap), or
        from the site's root path (the 404 page, served at any depth: ``/assets/…`` under any host)."""
        env = envs.get(strings_for.lang) or envs.setdefault(strings_for.lang, make_environment(root, strings_for))
        base_url = volume.config.base_url

        def url(target: str) -> str:
            if rooted:
                return absolute_url(urlsplit(base_url).path if base_url else "", target)
            return absolute_url(base_url, target) if absolute else url_for(target, rel_path)

        context.setdefault("assets", {name: f"{ASSETS_DIR}/{url}" for name, url in asset_urls.items()})
        # The licence and © of the page's edition (citations.Rights), for the footer of every page.
        context.setdefault("rights", rights_for(volume, str(context.get("lang") or volume.config.source_language)))
        try:
            html = render_template(env, template, root, url=url, **context)
        except TaiyakuError as exc:
            diagnostics.add(exc)
            return
        lang = str(context.get("lang", ""))
        paths = doc_paths.get(lang, {})
        html = resolve_references(html, rel_path,
                                  lambda rel: f"{lang}/{paths[rel]}/" if rel in paths else None)
        files.append(OutputFile(rel_path, html.encode("utf-8")))

    source = volume.config.source_language
    page("index.html", "index.html", strings[source], volume=views[source], views=list(views.values()),
         lang=source, tag=views[source].tag, downloads=_downloads(views, downloads, source),
         translations={lang: strings[lang].translations for lang in views})
    for lang, view in views.items():
        if targets is not None and lang not in targets:
            continue
        ui = strings[lang]
        offprints = {slug: _download_entry(pdf, lang) for slug, pdf in downloads[lang].offprints.items()} \
            if lang in downloads else {}
        # Citations (issue 15): the volume's and each paper's, with their BibTeX/RIS/CSL-JSON files beside the page.
        whole = downloads[lang].volume if lang in downloads else None
        # A volume with neither editors, publisher nor ISBN is a draft with nothing to cite it by but a title.
        book = volume_citation(volume, view, whole.url if whole else "") \
            if view.editors or view.publisher or view.isbn else None
        if book is not None:
            files.extend(OutputFile(path, data) for path, data in citation_files(book).items())
        page("volume.html", f"{lang}/index.html", ui, volume=view, lang=lang, tag=view.tag,
             downloads=_downloads(views, downloads, lang), offprints=offprints,
             has_contributors=bool(contributor_list(view)), citation=book, cover=cover_for(volume, lang))
        own = view.documents  # stand-ins for missing translations get a page here too
        for index, doc in enumerate(own):
            previous = own[index - 1] if index else None
            following = own[index + 1] if index + 1 < len(own) else None
            partner = _partner(doc, lang, volume.config.source_language) if doc.translated else None
            offprint = downloads[lang].offprints.get(doc.slug) if lang in downloads else None
            # A stand-in is the original's text (cited on its own page); a document without authors is no paper.
            cite = paper_citation(volume, view, doc, offprint.url if offprint else "",
                                  pages=offprint.page_range if offprint else None) \
                if doc.translated and doc.authors else None
            if cite is not None:
                files.extend(OutputFile(path, data) for path, data in citation_files(cite).items())
            page("document.html", page_file(doc.url), ui, volume=view, doc=doc, lang=lang,
                 tag=view.tag, previous=previous, next=following, partner=partner,
                 offprint=_download_entry(offprint, lang) if offprint else None, citation=cite)
            if partner is not None:
                other = views[partner.code].documents
                twin = next(d for d in other if d.rel_path == doc.rel_path)
                rows = parallel_rows(doc.html, twin.html, f"{lang}-", f"{partner.code}-",
                                     block_alignment(volume, doc.rel_path, lang, partner.code),
                                     left_is_source=lang == volume.config.source_language)
                page("parallel.html", page_file(f"{doc.url}{PARALLEL}/"), ui, volume=view, doc=doc,
                     twin=twin, rows=rows, lang=lang, tag=view.tag, partner=partner)
        contributors = contributor_list(view)
        if contributors:
            page("contributors.html", f"{lang}/{CONTRIBUTORS}/index.html", ui, volume=view, lang=lang, tag=view.tag,
                 contributors=contributors)
        for doc in volume.documents.get(lang, []):
            files.extend(document_files(doc, image_cache or root / CACHE_DIR, diagnostics))
    not_found = {lang: strings[lang].translations.gettext("Page not found") for lang in views}
    # The 404 page is served for any missing path, so its links start from the site's root path (base_url's path,
    # else "/"): not tied to the public host, it works under `serve`, a staging server or any other host.
    page("404.html", "404.html", strings[source], rooted=True, volume=views[source], views=list(views.values()),
         lang=source, tag=views[source].tag, not_found=not_found)
    if volume.config.base_url:
        page("sitemap.xml", "sitemap.xml", strings[source], absolute=True, views=list(views.values()),
             lang=source, tag=views[source].tag)
    for name, data in assets.items():
        files.append(OutputFile(f"{ASSETS_DIR}/{asset_urls[name]}", data))
    # Cover images keep their volume-relative path on the site (config checked they exist).
    for cover in sorted({c for c in (volume.config.cover, *(volume.config.lang(x).cover for x in views)) if c}):
        files.append(OutputFile(cover, (root / cover).read_bytes()))
    check_citations(volume, diagnostics)
    return _unique(files)


def _download_entry(download: Download, page_lang: str) -> dict[str, object]:
    """A file for templates: its site path (``url(entry.url)`` links it), kind and size in the page's language."""
    size = format_size(download.size, page_lang) if download.size is not None else ""
    return {"url": download.url, "size": size, "kind": download.kind,
            "pages": download.pages}


def _downloads(views: dict[str, VolumeView], downloads: dict[str, Downloads],
               page_lang: str | None = None) -> list[dict[str, object]]:
    """The whole-volume PDFs, the page's language first, named and sized in the page's language."""
    here = views[page_lang or next(iter(views))]
    names = {link.code: link for link in here.languages}
    order = sorted(views, key=lambda lang: lang != here.lang)
    entries = []
    for lang in order:
        found = downloads.get(lang)
        for item in ((found.volume,) if found and found.volume else ()) + (found.editions if found else ()):
            entries.append({"lang": lang, "tag": views[lang].tag, "title": views[lang].title, "language": names[lang],
                            **_download_entry(item, here.lang)})
    return entries


def format_size(size: int, lang: str) -> str:
    """A file size in the page's locale, from Babel's unit data: ``1.2 MB``, ``850 kB``."""
    from babel.units import format_unit

    from .i18n import babel_locale

    if size >= 1_000_000:
        return format_unit(round(size / 1_000_000, 1), "digital-megabyte", length="short", locale=babel_locale(lang))
    return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=babel_locale(lang))


def _unique(files: list[OutputFile]) -> list[OutputFile]:
    """Drop exact repeats (an asset used by two documents); the writer refuses conflicting ones."""
    seen: dict[str, bytes] = {}
    result = []
    for f in files:
        if seen.get(f.rel_path) == f.data:
            continue
        seen[f.rel_path] = f.data
        result.append(f)
    return result

