"""The site as an output of the build: rendered last, offering every file the other outputs made.

The site lists each PDF, EPUB and edition with its size (and the offprints' page ranges in their citations)
from the build's manifest of artifacts, so it is rendered after the other outputs have run. While planning it
is rendered once with the planned files (no sizes yet), so that a template error stops the build before any
typesetting; that costs a twentieth of a second on the sample, and an HTML-only build keeps that rendering.
"""

from __future__ import annotations

import logging
import os
import time

from .images.cache import ImageCache
from .model import OutputFile, Volume
from .outputs import Artifact, BuildContext
from .search import write_search_index
from .search_early import EarlyIndex
from .site import Download, Downloads, render_site

log = logging.getLogger(__name__)

class SiteOutput:
    """``--format html``: the bilingual site, its search index and copies of the files it offers."""

    name = "html"
    sections = ("html",)
    aligns = True

    def enabled(self, volume: Volume) -> bool:
        """Every volume has its site."""
        return True

    def __init__(self) -> None:
        self._trial: tuple[dict[str, Downloads], list[OutputFile]] | None = None
        self._early: EarlyIndex | None = None

    def owns(self, rel_path: str, volume: Volume) -> bool:
        """Its folder is its own: nothing to keep for another output."""
        return False

    def plan(self, ctx: BuildContext) -> list[Artifact]:
        """Render every page with the planned files: template errors stop the build here, before typesetting."""
        from .images.preflight import check_images

        check_images((d for lang in ctx.languages for d in ctx.volume.documents.get(lang, [])), ctx.diagnostics)
        downloads = downloads_from(ctx.planned, ctx.volume)
        self._trial = downloads, self._render(ctx, downloads)
        self._index_early(ctx)
        return [Artifact(self.name, "html/index.html", tuple(ctx.languages), "site")]

    def _index_early(self, ctx: BuildContext) -> None:
        """Have Pagefind index the trial rendering while the other outputs run (:mod:`.search_early`). Not for
        ``serve`` (it indexes after the reload), nor a partial build (the index covers the pages carried over
        from the last build too), nor a build that stops before it runs (the build's hook for work handed over
        early ends it)."""
        if ctx.options.preview or ctx.diagnostics.errors or self._trial is None or ctx.workers is None \
                or set(ctx.languages) != set(ctx.volume.languages):
            return
        early = self._early = EarlyIndex(self._trial[1], ctx.writer.stage)
        ctx.workers.on_close(lambda ending: early.cancel())

    def run(self, ctx: BuildContext) -> list[Artifact]:
        """Render every page with the manifest's files, link those files in, index for search."""
        downloads = downloads_from(ctx.manifest, ctx.volume)
        files = self._trial[1] if self._trial and self._trial[0] == downloads else self._render(ctx, downloads)
        early, self._early = self._early, None
        if ctx.diagnostics.errors:
            if early is not None:
                early.cancel()
            return []
        self._link_offered(ctx)
        for f in files:
            ctx.writer.write(f"html/{f.rel_path}", f.data)
        if not ctx.options.preview:
            write_search_index(ctx.writer, ctx.diagnostics, early)
        ImageCache(ctx.options.cache_folder).prune()  # image versions no build has used for a month
        return [Artifact(self.name, "html/index.html", tuple(ctx.languages), "site")]

    def _render(self, ctx: BuildContext, downloads: dict[str, Downloads]) -> list[OutputFile]:
        from .pipeline import PhaseTiming

        started = time.perf_counter()
        files = render_site(ctx.volume, ctx.strings, ctx.diagnostics, downloads, list(ctx.languages),
                            ctx.options.cache_folder)
        ctx.report.timings.append(PhaseTiming("html", "all", time.perf_counter() - started))
        return files

    def _link_offered(self, ctx: BuildContext) -> None:
        """The site offers the other outputs' files, so it can be published on its own (hard links: no copies)."""
        for artifact in sorted(ctx.manifest, key=lambda a: a.rel_path):
            staged = ctx.writer.stage / artifact.rel_path
            if artifact.output == self.name or not staged.is_file():
                continue
            copy = ctx.writer.path(f"html/{artifact.rel_path}")
            copy.unlink(missing_ok=True)  # a partial build carried the previous copy over
            os.link(staged, copy)


def downloads_from(artifacts: list[Artifact], volume: Volume) -> dict[str, Downloads]:
    """The files the site offers in each language, from the artifacts the build made, kept or plans."""
    found: dict[str, Downloads] = {}
    for lang in volume.languages:
        mine = [a for a in artifacts if a.langs[:1] == (lang,) and a.output != "html"]
        whole = next((a for a in mine if a.output == "pdf" and a.kind == "volume"), None)
        offprints = {a.doc: _download(a) for a in mine if a.kind == "offprint"}
        editions = tuple(_download(a) for a in mine if a is not whole and a.kind != "offprint")
        if whole is not None or offprints or editions:
            found[lang] = Downloads(_download(whole) if whole else None, dict(sorted(offprints.items())), editions)
    return found


def _download(artifact: Artifact) -> Download:
    return Download(artifact.rel_path, artifact.size, artifact.kind, artifact.pages, artifact.page_range)
