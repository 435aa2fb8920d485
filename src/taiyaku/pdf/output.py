"""The PDFs as an output of the build: one volume PDF per language and an offprint per paper.

Planning makes the print HTML and the typesetting jobs in the parent; running typesets them in worker processes
(through the cache unless ``--no-cache``) and reports each file as an :class:`~taiyaku.outputs.Artifact` with
its size, pages and, for offprints, the page range in the volume, which the site's citations print.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING

from ..model import Volume
from ..outputs import Artifact, BuildContext
from .jobs import TypesetJob, TypesetResult

if TYPE_CHECKING:
    from .cache import PDFCache
    from .early import EarlyParts

log = logging.getLogger(__name__)


class PDFOutput:
    """``--format pdf``: the volume and its offprints per language."""

    name = "pdf"
    sections = ("pdf",)
    aligns = False

    def __init__(self) -> None:
        self.jobs: list[TypesetJob] = []
        self.cache: PDFCache | None = None
        self.early: EarlyParts | None = None

    def enabled(self, volume: Volume) -> bool:
        """Every volume has its PDFs."""
        return True

    def owns(self, rel_path: str, volume: Volume) -> bool:
        """The volume PDF and the offprints of each language."""
        slug = volume.config.slug
        return any(rel_path == f"pdf/{slug}-{lang}.pdf" or rel_path.startswith(f"pdf/{slug}-{lang}/")
                   for lang in volume.languages)

    def plan(self, ctx: BuildContext) -> list[Artifact]:
        """One job per language (print HTML made, parts split); the files they will write."""
        from . import make_jobs
        from .cache import PDFCache
        from .early import EarlyParts

        options = ctx.options
        self.cache = PDFCache(options.cache_folder, options.root) if options.cache else None
        if ctx.workers is not None:
            self.early = EarlyParts(ctx.workers, ctx.writer.stage / "pdf", self.cache.parts if self.cache else None,
                                    self.cache)

        def ready(job: TypesetJob) -> None:
            # A language planned: its papers go to the workers while the next language is planned (none once
            # a problem will stop the build).
            if self.early is not None and not ctx.diagnostics.errors:
                self.early.submit(job)

        self.jobs = make_jobs(ctx.volume, ctx.strings, ctx.writer.stage, ctx.diagnostics,
                              pdf_variant=options.pdf_variant, profile=options.profile, offprints=True,
                              languages=list(ctx.languages), structured_problems=True,
                              image_cache=options.cache_folder, render_cache=options.cache_folder, ready=ready)
        _check_images(ctx, self.jobs)
        planned = []
        for job in self.jobs:
            planned.append(Artifact(self.name, f"pdf/{job.label}", (job.lang,), "volume"))
            planned.extend(Artifact(self.name, f"pdf/{o.rel_path}", (job.lang,), "offprint", doc=o.slug)
                           for o in job.offprints)
        return planned + self._kept(ctx)

    def _kept(self, ctx: BuildContext) -> list[Artifact]:
        """A build of some languages keeps the others' PDFs from the last build (the writer carried them over)."""
        kept = []
        slug = ctx.volume.config.slug
        stage = ctx.writer.stage / "pdf"
        for lang in ctx.volume.languages:
            if lang in ctx.languages:
                continue
            whole = stage / f"{slug}-{lang}.pdf"
            if whole.is_file():
                kept.append(Artifact(self.name, f"pdf/{whole.name}", (lang,), "volume", size=whole.stat().st_size))
            for path in sorted((stage / f"{slug}-{lang}").glob("*.pdf")):
                kept.append(Artifact(self.name, f"pdf/{slug}-{lang}/{path.name}", (lang,), "offprint",
                                     doc=path.stem, size=path.stat().st_size))
        return kept

    def run(self, ctx: BuildContext) -> list[Artifact]:
        """Typeset every job in worker processes; what was made, with sizes and page ranges."""
        for job in self.jobs:
            for rel_path in job.outputs:  # the volume and its offprints
                ctx.writer.path(f"pdf/{rel_path}")  # claim the path: the worker writes it
        results = self._typeset(ctx)
        made = []
        for result in results:
            if result.error:
                continue
            job = next(j for j in self.jobs if j.label == result.label)
            # The page map: each page's folio and first block, for the EPUB's page-list; each paper's flow, for
            # the facing edition.
            made.append(self._artifact(ctx, f"pdf/{job.label}", job.lang, "volume", result.pages,
                                       data={"page_map": result.page_map, "flows": result.flows,
                                             "profile": job.profile}))
            for offprint in job.offprints:
                first_last = result.page_ranges.get(offprint.rel_path)
                made.append(self._artifact(ctx, f"pdf/{offprint.rel_path}", job.lang, "offprint",
                                           result.offprints.get(offprint.rel_path), doc=offprint.slug,
                                           page_range=(first_last[0], first_last[1]) if first_last else None))
        return made + [a for a in ctx.planned if a.output == self.name and a.size is not None]

    def _artifact(self, ctx: BuildContext, rel_path: str, lang: str, kind: str, pages: int | None,
                  doc: str = "", page_range: tuple[int, int] | None = None,
                  data: dict[str, object] | None = None) -> Artifact:
        """A typeset file as the writer staged it."""
        size = (ctx.writer.stage / rel_path).stat().st_size
        return Artifact(self.name, rel_path, (lang,), kind, doc=doc, size=size, pages=pages,
                        page_range=page_range, data=data or {})

    def _typeset(self, ctx: BuildContext) -> list[TypesetResult]:
        """Typeset in worker processes (through the cache) and record what the workers saw."""
        from . import run_jobs

        options, diagnostics, report = ctx.options, ctx.diagnostics, ctx.report
        jobs = self.jobs
        if not jobs:
            return []
        progress_cm: AbstractContextManager[Callable[[TypesetResult], None] | None] = \
            _progress(jobs) if options.progress else nullcontext(None)
        with progress_cm as progress:
            try:
                if self.cache is not None:
                    cache = self.cache
                    results = cache.run(jobs, lambda todo: run_jobs(todo, progress, cache.parts, ctx.workers,
                                                                    self.early))
                    report.cached = list(cache.hits)
                    if cache.parts.hits:
                        log.info("parts from the cache: %d", cache.parts.hits)
                else:
                    results = run_jobs(jobs, progress, workers=ctx.workers, early=self.early)
            finally:
                if self.early is not None:
                    self.early.close()  # (the workers close it too: a build that stops before this)
        from ..pipeline import PhaseTiming

        for result in results:
            where = f"pdf/{result.label}"
            # Problems the worker located in the sources (missing glyphs, lost notes, overflowing tables).
            diagnostics.extend(result.problems)
            if result.error:
                if not any(problem.severity == "error" for problem in result.problems):
                    diagnostics.error(where, None, "pdf", f"typesetting failed: {result.error}")
                continue
            off = sorted(name for name, active in result.fixes.items() if not active)
            if off:
                diagnostics.warning(where, None, "pdf", f"WeasyPrint {result.weasyprint_version}: typeset without "
                                    f"taiyaku's {', '.join(off)} fix{'es' if len(off) > 1 else ''} (written for "
                                    "another version; footnotes are still verified)")
            if result.slow_font_subsetting:
                diagnostics.warning(where, None, "pdf", "!!! WeasyPrint is subsetting fonts with fontTools, about "
                                    "30x slower: install libharfbuzz-subset0 (make setup does) !!!")
            for message in result.warnings:
                diagnostics.warning(where, None, "pdf", message)
            for url in sorted(set(result.refused)):
                diagnostics.warning(where, None, "pdf",
                                    f"refused to load {url} (only the volume and the theme are read)")
            report.pdfs[result.label] = result.pages
            report.typesetting[result.label] = result.report
            report.timings.append(PhaseTiming("pdf layout", result.lang, result.layout_seconds, result.pages,
                                              result.peak_rss_mb))
            report.timings.append(PhaseTiming("pdf write", result.lang, result.write_seconds, result.pages,
                                              result.peak_rss_mb))
            if result.offprints:
                report.timings.append(PhaseTiming("pdf offprints", result.lang, result.offprint_seconds,
                                                  sum(result.offprints.values()), result.peak_rss_mb))
            log.info("%s: %d pages, %.1f s; %s", result.label, result.pages,
                     result.layout_seconds + result.write_seconds, result.report.summary())
        return results


def _check_images(ctx: BuildContext, jobs: list[TypesetJob]) -> None:
    """Images that cannot be used (errors), or that print soft or taller than the page (warnings)."""
    from ..citations.volume import cover_for
    from ..images.preflight import check_cover, check_print
    from ..images.print import text_block_pt

    for job in jobs:
        width, height = text_block_pt(ctx.volume.config.page_size, job.lang, job.profile)
        check_print(ctx.volume.documents.get(job.lang, []), job.profile, width, height, ctx.diagnostics)
        cover = cover_for(ctx.volume, job.lang)
        if cover is not None and job.images is not None:
            check_cover(ctx.volume.root, cover.path, job.images, job.profile, ctx.diagnostics)


@contextmanager
def _progress(jobs: list[TypesetJob]) -> Iterator[Callable[[TypesetResult], None]]:
    """A rich progress display: one line per PDF, ticked when its worker finishes."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  transient=False, console=None) as bar:
        tasks = {job.label: bar.add_task(f"typesetting {job.label}", total=1) for job in jobs}

        def done(result: TypesetResult) -> None:
            bar.update(tasks[result.label], completed=1, description=f"{result.label}: {result.pages} pages")

        yield done
