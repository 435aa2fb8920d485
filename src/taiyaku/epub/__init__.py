"""EPUB 3 editions: ``epub/<slug>-<lang>.epub`` per language, and ``<slug>-<lang>-vertical.epub`` (縦組み) for
Japanese unless ``[ja] vertical = false``.

The output plugs into the outputs registry (``name``, ``sections``, ``enabled``, ``plan``, ``run``): ``plan``
checks what the editions need (images EPUB allows, the cover) and writes nothing; ``run`` makes every edition
in memory first and writes them through the build's writer only when all were made, so a failed edition leaves
nothing half-written. It runs after the PDF output, whose volume artifacts carry the print edition's page map.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Diagnostics
from ..model import Volume
from ..outputs import Artifact
from ..rendercache import RenderStore
from .edition import Edition, plan_editions
from .make import make_edition
from .pages import PageMarks, load_page_marks, text_digest

if TYPE_CHECKING:
    from ..outputs import BuildContext

log = logging.getLogger(__name__)
KINDS = {False: "epub", True: "epub-vertical"}
"""The artifact kind of a horizontal and of a vertical edition."""

class EpubOutput:
    """The EPUB editions of a volume, as an output of the registry."""

    name = "epub"
    sections: tuple[str, ...] = ("epub",)
    aligns = False

    def __init__(self) -> None:
        self.planned: list[Edition] | None = None

    def enabled(self, volume: Volume) -> bool:
        """Built by default for every volume that has documents."""
        return any(volume.documents.values())

    def editions(self, ctx: BuildContext) -> list[Edition]:
        """The editions of the build's languages, checked (problems into ``ctx.diagnostics``)."""
        return plan_editions(ctx.volume, list(ctx.languages), ctx.diagnostics)

    def owns(self, rel_path: str, volume: Volume) -> bool:
        """Its folder is its own: nothing to keep for another output."""
        return False

    def plan(self, ctx: BuildContext) -> list[Artifact]:
        """What ``run`` will write, and the other languages' EPUBs a ``--lang`` build keeps; writes nothing."""
        self.planned = self.editions(ctx)
        return [Artifact(self.name, edition.rel_path, (edition.lang,), KINDS[edition.vertical])
                for edition in self.planned] + _kept(ctx)

    def run(self, ctx: BuildContext) -> list[Artifact]:
        """Make every edition in memory, then write them all (none when any edition failed)."""
        errors_before = len(ctx.diagnostics.errors)
        editions = self.planned if self.planned is not None else self.editions(ctx)
        if len(ctx.diagnostics.errors) > errors_before or any(d.category == "epub" for d in ctx.diagnostics.errors):
            return []  # located already; nothing is made
        cache = _cache_folder(ctx)
        store = RenderStore(cache, "epub") if cache is not None else None
        made: list[tuple[Edition, bytes]] = []
        for edition in editions:
            digest = text_digest((doc.source.rel_path, repr(doc.meta) + doc.body) for doc in edition.documents)
            marks = load_page_marks(ctx.manifest, cache, ctx.volume.config.slug, edition.lang, digest)
            data = make_edition(ctx.volume, ctx.strings[edition.lang], edition, marks, ctx.diagnostics, store)
            _report_pages(ctx.diagnostics, edition, marks)
            made.append((edition, data))
        if store is not None:
            store.save()
        if len(ctx.diagnostics.errors) > errors_before:
            return []
        artifacts = []
        for edition, data in made:
            ctx.writer.write(edition.rel_path, data)
            artifacts.append(Artifact(self.name, edition.rel_path, (edition.lang,), KINDS[edition.vertical],
                                      size=len(data)))
            log.debug("%s: %d bytes", edition.rel_path, len(data))
        return artifacts + [a for a in ctx.planned if a.output == self.name and a.size is not None]


def _kept(ctx: BuildContext) -> list[Artifact]:
    """A build of some languages keeps the others' EPUBs from the last build (the writer carried them over)."""
    kept = []
    stage = ctx.writer.stage / "epub"
    slug = ctx.volume.config.slug
    for lang in ctx.volume.languages:
        if lang in ctx.languages:
            continue
        for vertical, kind in KINDS.items():
            path = stage / f"{slug}-{lang}{'-vertical' if vertical else ''}.epub"
            if path.is_file():
                kept.append(Artifact("epub", f"epub/{path.name}", (lang,), kind, size=path.stat().st_size))
    return kept


def _cache_folder(ctx: BuildContext) -> Path | None:
    """Where the page maps of earlier builds are kept (the build cache), if the build has one."""
    options = ctx.options
    if options is not None and not getattr(options, "cache", True):
        return None
    folder = getattr(options, "cache_folder", None)
    return Path(folder) if folder is not None else None


def _report_pages(diagnostics: Diagnostics, edition: Edition, marks: PageMarks) -> None:
    """Say where the page-list came from when not from this build, and which pages found no place."""
    where = edition.rel_path
    if marks.source == "stale":
        diagnostics.warning(where, None, "epub", "no page-list: the papers changed since the PDF was last typeset, "
                            "so its page numbers would not match (build the PDF too: --format pdf,epub)")
        return
    if not marks.entries:
        diagnostics.warning(where, None, "epub", "no page-list: the PDF was not typeset in this build nor recorded by "
                            "an earlier one (build with --format all, or pdf, once)")
        return
    if marks.source == "the last build":
        log.info("%s: the page-list follows the PDF of the last build", where)
    missing = marks.missing()
    if missing:
        diagnostics.warning(where, None, "epub", f"the page-list misses {len(missing)} page"
                            f"{'s' if len(missing) != 1 else ''} of the PDF ({', '.join(missing[:5])}"
                            f"{'…' if len(missing) > 5 else ''}): the PDF is older than the text")


__all__ = ["Artifact", "EpubOutput"]
