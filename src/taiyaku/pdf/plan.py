"""Plan the print stage: one :class:`~.jobs.TypesetJob` per language, with its offprints and its sources."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from markupsafe import Markup

from ..citations.volume import cover_for, rights_for
from ..config import PROFILES
from ..errors import Diagnostics, TaiyakuError
from ..i18n import UIStrings
from ..model import Volume
from ..rendercache import RenderStore
from ..views import VolumeView
from ..images.print import print_images
from ..theme import THEME_ROOT, make_environment
from .citation import cite_paper
from .furniture import head_measure, short_head
from .document import offprint_cover, print_css, print_document, print_view, split_parts
from .jobs import DEFAULT_VARIANT, PAGES_MARK, PDF_VARIANTS, OffprintJob, SourceRef, TypesetJob
from .metadata import xmp_rights

log = logging.getLogger(__name__)


def make_jobs(volume: Volume, strings: dict[str, UIStrings], stage_dir: Path, diagnostics: Diagnostics,
              pdf_variant: str | None = None, profile: str | None = None, offprints: bool = False,
              typography: bool = True, languages: list[str] | None = None,
              structured_problems: bool = False, image_cache: Path | None = None,
              render_cache: Path | None = None,
              ready: Callable[[TypesetJob], None] | None = None) -> list[TypesetJob]:
    """One typesetting job per language; problems go to ``diagnostics``.

    ``profile``: ``screen`` or ``print`` (the command line's ``--profile``); default the volume's ``profile``
    setting, else ``screen``. ``pdf_variant``: one of WeasyPrint's variants (``--pdf-variant``); default PDF/UA-1.
    ``offprints``: also one PDF per paper (``<slug>-<lang>/<paper>.pdf``, listed in ``TypesetJob.outputs``).
    ``languages``: only these (default all). ``structured_problems``: the caller reports
    ``TypesetResult.problems`` itself (with their files and lines), so they are not repeated as text.
    ``image_cache``: the cache folder where images downsampled for print are kept (default the volume's).
    ``render_cache``: the cache folder where each document's print HTML, prepared, is kept between builds
    (:mod:`taiyaku.rendercache`); default none (everything rendered). ``ready``: called with each language's
    job as soon as it is made (the build hands its papers to the workers: :mod:`.early`).
    """
    if not _options_valid(volume, profile, pdf_variant, diagnostics):
        return []
    profile = profile or volume.config.profile or "screen"
    store = RenderStore(render_cache, "print") if render_cache is not None else None
    jobs = []
    for lang in volume.languages:
        if languages is not None and lang not in languages:
            continue
        try:
            jobs.append(_job(volume, lang, strings[lang], stage_dir, profile, pdf_variant or DEFAULT_VARIANT,
                             offprints, typography, structured_problems, image_cache, store))
        except TaiyakuError as exc:
            diagnostics.add(exc)
            continue
        if ready is not None:
            ready(jobs[-1])
    if store is not None:
        store.save()
    return jobs


def _options_valid(volume: Volume, profile: str | None, pdf_variant: str | None,
                   diagnostics: Diagnostics) -> bool:
    """Whether the profile and variant are known; a bad one is blamed on where it came from."""
    valid = True
    if profile is not None and profile not in PROFILES:
        diagnostics.error("", None, "config", f"--profile: expected one of {', '.join(PROFILES)}, got {profile!r}")
        valid = False
    elif profile is None and volume.config.profile and volume.config.profile not in PROFILES:
        diagnostics.error("volume.toml", None, "config",
                          f"profile: expected one of {', '.join(PROFILES)}, got {volume.config.profile!r}")
        valid = False
    if pdf_variant is not None and pdf_variant not in PDF_VARIANTS:
        # Only the command line sets it (volume.toml has no such key).
        diagnostics.error("", None, "config",
                          f"--pdf-variant: expected one of {', '.join(PDF_VARIANTS)}, got {pdf_variant!r}")
        valid = False
    return valid


def running_heads(view: VolumeView, page_size: str, lang: str) -> tuple[tuple[str, str], ...]:
    """Each paper's running head where it is not its title: its front matter's ``running_head``, else its title
    shortened to the head's measure (:func:`.furniture.short_head`)."""
    found = []
    for doc_view in view.documents:
        own = doc_view.meta.get("running_head")
        head = own.strip() if isinstance(own, str) and own.strip() else short_head(
            Markup(doc_view.title).striptags(), head_measure(page_size, lang))
        if head != Markup(doc_view.title).striptags():
            found.append((doc_view.slug, head))
    return tuple(found)


def _job(volume: Volume, lang: str, strings: UIStrings, stage_dir: Path, profile: str, pdf_variant: str,
         offprints: bool, typography: bool, structured_problems: bool,
         image_cache: Path | None = None, store: RenderStore | None = None) -> TypesetJob:
    """One language's job: the print document, the offprint covers, the sources for messages."""
    from ..cache import CACHE_DIR
    name = f"{volume.config.slug}-{lang}.pdf"
    view = print_view(volume, lang, store)
    css = print_css(volume, lang, strings, profile)
    html = print_document(volume, lang, strings, profile, typography, view, css, store)
    offprint_jobs = []
    if offprints:
        env = make_environment(volume.root, strings)
        for doc_view in view.documents:
            rel = f"{volume.config.slug}-{lang}/{doc_view.slug}.pdf"
            citation = cite_paper(view, doc_view, lang, PAGES_MARK)
            offprint_jobs.append(OffprintJob(
                slug=doc_view.slug, rel_path=rel, target=str(stage_dir / "pdf" / rel),
                cover_html=offprint_cover(volume, view, doc_view, lang, strings, css, citation, store, env),
                title=Markup(doc_view.title).striptags(), authors=tuple(a.name for a in doc_view.authors),
                one_page_html=offprint_cover(volume, view, doc_view, lang, strings, css,
                                             replace(citation, one_page=True), store, env)))
    base = (volume.root / "content" / "_" / "index.html").resolve().as_uri()
    allowed = (str((volume.root / "content").resolve()), str((volume.root / "templates").resolve()),
               str(THEME_ROOT.resolve()))
    cover = cover_for(volume, lang)
    if cover is not None:  # the cover image, wherever it is in the volume (config.py checked it stays inside)
        allowed += (str((volume.root / cover.path).resolve()),)
    sources = []
    for doc_view in view.documents:
        doc = volume.document(doc_view.lang, doc_view.slug)
        assert doc is not None
        sources.append(SourceRef(doc.slug, f"content/{doc.lang}/{doc.source.rel_path}", str(doc.source.src_path),
                                 doc.body_start_line))
    chapters = tuple(d.slug for d in view.documents) + ("contributors",)
    head, parts = split_parts(html)
    return TypesetJob(
        lang=lang, html=html, base_url=base, allowed_roots=allowed, target=str(stage_dir / "pdf" / name),
        label=name, pdf_variant=pdf_variant, profile=profile, offprints=tuple(offprint_jobs),
        sources=tuple(sources), chapters=chapters, typography=typography, structured_problems=structured_problems,
        adjacent_calls=html.count('class="after-call '), rights_xmp=xmp_rights(rights_for(volume, lang)),
        head=head, parts=parts, title=Markup(view.title).striptags(), authors=tuple(view.editors),
        running_heads=running_heads(view, volume.config.page_size, lang),
        images=print_images(volume.config.page_size, lang, profile, image_cache or volume.root / CACHE_DIR,
                            volume.root / cover.path if cover is not None else None))

