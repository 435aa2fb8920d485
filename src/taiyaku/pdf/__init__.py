"""Print stage: assemble one print document per language, then typeset them in parallel processes.

Per language: the volume (``<slug>-<lang>.pdf``) and, from the same layout, one offprint per paper
(``<slug>-<lang>/<paper>.pdf``). The document is prepared for what WeasyPrint cannot do by itself
(:mod:`.prepare`); the worker (:mod:`.typeset`) patches WeasyPrint's known layout bugs (:mod:`.patches`),
justifies Japanese lines (:mod:`.jlreq`), and verifies the laid-out pages (:mod:`.verify`) before writing.

This module does not import WeasyPrint (the worker does), so commands that never make a PDF start fast.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..errors import Diagnostic, Diagnostics, TaiyakuError
from ..i18n import UIStrings, html_lang
from ..markup import RenderContext, render_markdown
from ..model import Author, Volume
from ..theme import THEME_ROOT, make_environment, render_template
from ..views import DocumentView, VolumeView, volume_view
from .citation import Citation, cite_paper
from .geometry import PROFILES, page_geometry
from .prepare import prepare_document

log = logging.getLogger(__name__)

DEFAULT_VARIANT = "pdf/ua-1"
"""Tagged PDF, identified as PDF/UA-1, unless another variant is asked for."""
PDF_VARIANTS = ("pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4u", "pdf/a-1a", "pdf/a-2a",
                "pdf/a-3a", "pdf/a-4e", "pdf/a-4f", "pdf/ua-1", "pdf/ua-2", "pdf/x-1a", "pdf/x-3", "pdf/x-4",
                "pdf/x-5g")
"""WeasyPrint 70's variants (``weasyprint.document.VARIANTS``), listed here so the parent needn't import it."""
PAGES_MARK = "\u27e6pages\u27e7"
"""Stands in an offprint cover for the paper's page range, known once the volume is laid out."""


@dataclass(frozen=True)
class SourceRef:
    """Where a chapter of the print document comes from, to name files and lines in messages."""

    slug: str
    path: str
    """Volume-relative, as diagnostics show it: ``content/ja/02-treaty-history.md``."""
    src_path: str
    first_line: int
    """File line of the body's first line."""


@dataclass(frozen=True)
class OffprintJob:
    """One paper's offprint: its cover page, then its pages of the volume."""

    slug: str
    rel_path: str
    """Under ``pdf/``: ``alliance-at-75-ja/treaty-history.pdf``."""
    target: str
    cover_html: str
    """The cover page's HTML; ``PAGES_MARK`` stands for the page range."""
    title: str
    authors: tuple[str, ...]


@dataclass(frozen=True)
class TypesetJob:
    """Everything a worker process needs to make one language's PDFs (picklable)."""

    lang: str
    html: str
    base_url: str
    allowed_roots: tuple[str, ...]
    target: str
    """Absolute path of the volume PDF to write (inside the writer's staging folder)."""
    label: str
    """Shown in messages: ``alliance-at-75-ja.pdf``."""
    pdf_variant: str | None = DEFAULT_VARIANT
    profile: str = "screen"
    offprints: tuple[OffprintJob, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    chapters: tuple[str, ...] = ()
    """Ids of the chapter sections in order (papers, then the contributors); the first starts the body."""
    typography: bool = True
    """taiyaku's fixes and Japanese composition; False typesets the bare WeasyPrint way (benchmarks)."""
    structured_problems: bool = False
    """Located problems only in ``TypesetResult.problems`` (the caller reports them), not also as text."""

    @property
    def outputs(self) -> list[str]:
        """Every file this job writes, relative to ``pdf/`` (for the writer to claim)."""
        return [self.label, *(offprint.rel_path for offprint in self.offprints)]


@dataclass
class TypesetResult:
    """What a worker reports back."""

    lang: str
    label: str
    pages: int = 0
    layout_seconds: float = 0.0
    layout_cpu_seconds: float = 0.0
    """Processor time of the layout (steadier than wall time on a shared machine; the benchmark's ratio)."""
    write_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    size_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    error: str = ""
    problems: list[Diagnostic] = field(default_factory=list)
    """Problems located in the sources (``path:line``); unless the job asked for ``structured_problems``,
    also flattened into ``error`` and ``warnings`` as text."""
    offprints: dict[str, int] = field(default_factory=dict)
    """Offprint path (under ``pdf/``) → page count."""
    offprint_seconds: float = 0.0
    footnotes: int = 0
    """Footnote bodies laid out, each once, in order (verified)."""
    japanese_lines: int = 0
    """Non-final lines of justified Japanese paragraphs."""
    japanese_flush: int = 0
    """Of those, lines that end at the measure."""


@dataclass(frozen=True)
class ContributorView:
    """One contributor for the print contributors section."""

    name: str
    affiliation: str
    bio: str
    tag: str


def print_view(volume: Volume, lang: str) -> VolumeView:
    """The volume as the print templates see it: document bodies rendered in print mode."""
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
    return view


def print_css(volume: Volume, lang: str, strings: UIStrings, profile: str = "screen") -> str:
    """The print stylesheet for one language and profile."""
    env = make_environment(volume.root, strings)
    geometry = page_geometry(volume.config.page_size, lang, profile)
    return render_template(env, "print/print.css", volume.root, page=geometry, lang=lang, tag=html_lang(lang),
                           profile=profile)


def print_document(volume: Volume, lang: str, strings: UIStrings, profile: str = "screen",
                   typography: bool = True, view: VolumeView | None = None) -> str:
    """The HTML of the whole volume in ``lang``, ready for WeasyPrint (prepared unless ``typography`` is off)."""
    view = view or print_view(volume, lang)
    contributors: list[ContributorView] = []
    seen: set[str] = set()
    for doc_view in view.documents:
        for author in doc_view.authors:
            if author.name not in seen and author.bio:
                seen.add(author.name)
                contributors.append(_contributor(author, doc_view.tag))
    keywords: list[str] = []
    for doc_view in view.documents:
        for keyword in doc_view.meta.get("keywords") or []:
            if isinstance(keyword, str) and keyword not in keywords:
                keywords.append(keyword)
    env = make_environment(volume.root, strings)
    css = print_css(volume, lang, strings, profile)
    html = render_template(env, "print/volume.html", volume.root, volume=view, lang=lang, tag=html_lang(lang),
                           css=Markup(css), contributors=contributors, keywords=keywords, profile=profile)
    return prepare_document(html, japanese_rules=typography)[0] if typography else html


def offprint_cover(volume: Volume, view: VolumeView, doc_view: DocumentView, lang: str, strings: UIStrings,
                   css: str, citation: Citation) -> str:
    """The HTML of an offprint's cover page (``PAGES_MARK`` where the page range goes)."""
    env = make_environment(volume.root, strings)
    html = render_template(env, "print/offprint.html", volume.root, volume=view, doc=doc_view, lang=lang,
                           tag=html_lang(lang), css=Markup(css), citation=citation)
    return prepare_document(html)[0]


def _contributor(author: Author, tag: str) -> ContributorView:
    return ContributorView(author.name, author.affiliation, author.bio, tag)


def make_jobs(volume: Volume, strings: dict[str, UIStrings], stage_dir: Path, diagnostics: Diagnostics,
              pdf_variant: str | None = None, profile: str | None = None, offprints: bool = False,
              typography: bool = True, languages: list[str] | None = None,
              structured_problems: bool = False) -> list[TypesetJob]:
    """One typesetting job per language; problems go to ``diagnostics``.

    ``profile``: ``screen`` or ``print``; default the volume's ``profile`` setting, else ``screen``.
    ``pdf_variant``: one of WeasyPrint's variants; default PDF/UA-1.
    ``offprints``: also one PDF per paper (``<slug>-<lang>/<paper>.pdf``, listed in ``TypesetJob.outputs``).
    ``languages``: only these (default all). ``structured_problems``: the caller reports
    ``TypesetResult.problems`` itself (with their files and lines), so they are not repeated as text.
    """
    profile = profile or getattr(volume.config, "profile", "") or "screen"
    if profile not in PROFILES:
        diagnostics.error("volume.toml", None, "config", f"profile: expected one of {', '.join(PROFILES)}, got {profile!r}")
        return []
    if pdf_variant is not None and pdf_variant not in PDF_VARIANTS:
        diagnostics.error("volume.toml", None, "config",
                          f"pdf variant: expected one of {', '.join(PDF_VARIANTS)}, got {pdf_variant!r}")
        return []
    jobs = []
    for lang in volume.languages:
        if languages is not None and lang not in languages:
            continue
        name = f"{volume.config.slug}-{lang}.pdf"
        try:
            view = print_view(volume, lang)
            html = print_document(volume, lang, strings[lang], profile, typography, view)
            css = print_css(volume, lang, strings[lang], profile)
            offprint_jobs = []
            if offprints:
                for doc_view in view.documents:
                    rel = f"{volume.config.slug}-{lang}/{doc_view.slug}.pdf"
                    citation = cite_paper(view, doc_view, lang, PAGES_MARK)
                    offprint_jobs.append(OffprintJob(
                        doc_view.slug, rel, str(stage_dir / "pdf" / rel),
                        offprint_cover(volume, view, doc_view, lang, strings[lang], css, citation),
                        _plain(doc_view.title), tuple(a.name for a in doc_view.authors)))
        except TaiyakuError as exc:
            diagnostics.add(exc)
            continue
        base = (volume.root / "content" / "_" / "index.html").resolve().as_uri()
        allowed = (str((volume.root / "content").resolve()), str((volume.root / "templates").resolve()),
                   str(THEME_ROOT.resolve()))
        sources = []
        for doc_view in view.documents:
            doc = volume.document(doc_view.lang, doc_view.slug)
            assert doc is not None
            sources.append(SourceRef(doc.slug, f"content/{doc.lang}/{doc.source.rel_path}", str(doc.source.src_path),
                                     doc.body_start_line))
        chapters = tuple(d.slug for d in view.documents) + ("contributors",)
        jobs.append(TypesetJob(lang, html, base, allowed, str(stage_dir / "pdf" / name), name,
                               pdf_variant or DEFAULT_VARIANT, profile, tuple(offprint_jobs), tuple(sources),
                               chapters, typography, structured_problems))
    return jobs


def _plain(markup: str) -> str:
    return Markup(markup).striptags()


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
