"""Print stage: assemble one print document per language, then typeset them in parallel processes.

This module does not import WeasyPrint (the worker in :mod:`taiyaku.pdf.typeset` does), so commands that
never make a PDF start fast.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..errors import Diagnostics, TaiyakuError
from ..i18n import UIStrings, html_lang
from ..markup import RenderContext, render_markdown
from ..model import Author, Volume
from ..theme import THEME_ROOT, make_environment, render_template
from ..views import volume_view
from .geometry import page_geometry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TypesetJob:
    """Everything a worker process needs to make one PDF (picklable)."""

    lang: str
    html: str
    base_url: str
    allowed_roots: tuple[str, ...]
    target: str
    """Absolute path of the PDF to write (inside the writer's staging folder)."""
    label: str
    """Shown in messages: ``alliance-at-75-ja.pdf``."""
    pdf_variant: str | None = None


@dataclass
class TypesetResult:
    """What a worker reports back."""

    lang: str
    label: str
    pages: int = 0
    layout_seconds: float = 0.0
    write_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    size_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    error: str = ""


@dataclass(frozen=True)
class ContributorView:
    """One contributor for the print contributors section."""

    name: str
    affiliation: str
    bio: str
    tag: str


def print_document(volume: Volume, lang: str, strings: UIStrings) -> str:
    """The HTML of the whole volume in ``lang``, ready for WeasyPrint."""
    root = volume.root
    html_for: dict[str, str] = {}
    slugs_by_lang = {
        other: {d.source.rel_path: d.slug for d in docs} for other, docs in volume.documents.items()
    }
    view = volume_view(volume, lang)
    for doc_view in view.documents:
        doc = volume.document(doc_view.lang, doc_view.slug)
        assert doc is not None
        ctx = RenderContext(doc.lang, doc.source.rel_path, root / "content" / doc.lang, slugs_by_lang[doc.lang],
                            "print", id_prefix=f"{doc.slug}:")
        html_for[doc.slug] = render_markdown(doc.body, ctx).html
    view = volume_view(volume, lang, html_for)
    for doc_view in view.documents:
        # Stand-ins for missing translations are rendered from their own language.
        if doc_view.lang != lang:
            doc_view.html = type(doc_view.html)(html_for[doc_view.slug])
    contributors: list[ContributorView] = []
    seen: set[str] = set()
    for doc_view in view.documents:
        for author in doc_view.authors:
            if author.name not in seen and author.bio:
                seen.add(author.name)
                contributors.append(_contributor(author, doc_view.tag))
    env = make_environment(root, strings)
    geometry = page_geometry(volume.config.page_size, lang)
    css = render_template(env, "print/print.css", root, page=geometry, lang=lang, tag=html_lang(lang))
    return render_template(env, "print/volume.html", root, volume=view, lang=lang, tag=html_lang(lang),
                           css=Markup(css), contributors=contributors)


def _contributor(author: Author, tag: str) -> ContributorView:
    return ContributorView(author.name, author.affiliation, author.bio, tag)


def make_jobs(volume: Volume, strings: dict[str, UIStrings], stage_dir: Path, diagnostics: Diagnostics,
              pdf_variant: str | None = None) -> list[TypesetJob]:
    """One typesetting job per language; template problems go to ``diagnostics``."""
    jobs = []
    for lang in volume.languages:
        name = f"{volume.config.slug}-{lang}.pdf"
        try:
            html = print_document(volume, lang, strings[lang])
        except TaiyakuError as exc:
            diagnostics.add(exc)
            continue
        base = (volume.root / "content" / "_" / "index.html").resolve().as_uri()
        allowed = (str((volume.root / "content").resolve()), str((volume.root / "templates").resolve()),
                   str(THEME_ROOT.resolve()))
        jobs.append(TypesetJob(lang, html, base, allowed, str(stage_dir / "pdf" / name), name, pdf_variant))
    return jobs


def run_jobs(jobs: list[TypesetJob], progress: object | None = None) -> list[TypesetResult]:
    """Typeset every job, in parallel processes when there is more than one."""
    from .typeset import typeset  # in-process only when there is one job

    if len(jobs) <= 1:
        return [typeset(job) for job in jobs]
    workers = min(len(jobs), multiprocessing.cpu_count() or 1)
    results: list[TypesetResult] = []
    # "spawn": a clean interpreter per worker, independent of what the parent has loaded.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(typeset, job) for job in jobs]
        for future in futures:
            result = future.result()
            results.append(result)
            if progress is not None:
                progress(result)  # type: ignore[operator]
    return results
