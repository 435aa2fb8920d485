"""The facing edition as one of the build's outputs (``--format facing``, :mod:`taiyaku.outputs`): plan, then
run through the build's writer."""

from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Volume
from ..outputs import Artifact
from .report import FacingReport

if TYPE_CHECKING:
    from ..outputs import BuildContext

log = logging.getLogger(__name__)


class FacingOutput:
    """The 対訳 edition: ``pdf/<slug>-<source>-<target>.pdf`` per translation."""

    name = "facing"
    sections = ("pdf",)
    aligns = True

    def __init__(self) -> None:
        self.reports: dict[str, FacingReport] = {}
        """Artifact path → the typesetting report of its edition (for ``build --json``)."""

    def enabled(self, volume: Volume) -> bool:
        """Built by default when the volume has a translation, unless ``facing = false`` in volume.toml."""
        return volume.config.facing and bool(self.targets(volume))

    def targets(self, volume: Volume, languages: list[str] | None = None) -> list[str]:
        """The translations that get an edition (``--lang`` narrows them; the source is always needed)."""
        source = volume.config.source_language
        found = [lang for lang in volume.languages if lang != source and volume.documents.get(lang)]
        if languages:
            found = [lang for lang in found if lang in languages]
        return found if volume.documents.get(source) else []

    def owns(self, rel_path: str, volume: Volume) -> bool:
        """The edition of each translation."""
        from .edition import edition_name

        source = volume.config.source_language
        return any(rel_path == f"pdf/{edition_name(volume, source, target)}" for target in volume.languages
                   if target != source)

    def plan(self, ctx: BuildContext) -> list[Artifact]:
        """The editions this build makes (nothing is written)."""
        from .edition import edition_name

        volume = ctx.volume
        source = volume.config.source_language
        return [Artifact(self.name, f"pdf/{edition_name(volume, source, target)}", (source, target), "facing")
                for target in self.targets(volume, list(getattr(ctx, "languages", None) or []))]

    def run(self, ctx: BuildContext) -> list[Artifact]:
        """Make each edition and write it through ``ctx.writer``; the artifacts with their sizes and pages."""
        from .edition import make_edition

        from .cache import FacingCache
        from .plan import SinglePDF

        made = []
        options = getattr(ctx, "options", None)
        cache = None
        if getattr(options, "cache", False) and getattr(options, "cache_folder", None) is not None:
            cache = FacingCache(Path(options.cache_folder), ctx.volume.root)
        # The single-language PDFs of this build (run before): each paper's flow, the front matter's length.
        singles = {artifact.langs[0]: SinglePDF(str(artifact.data.get("profile")),
                                                dict(artifact.data.get("flows") or {}),  # type: ignore[call-overload]
                                                tuple(map(tuple, artifact.data.get("page_map") or ())))  # type: ignore
                   for artifact in getattr(ctx, "manifest", []) if artifact.output == "pdf"
                   and artifact.kind == "volume" and artifact.data.get("flows")}
        for artifact in self.plan(ctx):
            target = artifact.langs[1]
            with cache.using() if cache is not None else nullcontext():
                folder = getattr(options, "cache_folder", None)
                result = make_edition(ctx.volume, ctx.strings, ctx.diagnostics, target,
                                      profile=getattr(options, "profile", None), cache=cache, singles=singles,
                                      workers=getattr(ctx, "workers", None),
                                      cache_folder=Path(folder) if folder is not None else None)
            if result is None or not result.data:
                continue
            ctx.writer.write(artifact.rel_path, result.data)
            log.info("%s: %.1f s; %s", artifact.rel_path.removeprefix("pdf/"), result.seconds,
                     result.report.summary())
            self.reports[artifact.rel_path] = result.report
            report = getattr(ctx, "report", None)
            if report is not None:  # build --json: pages and the typesetting report, as for every PDF
                name = artifact.rel_path.removeprefix("pdf/")
                report.pdfs[name] = result.pages
                report.typesetting[name] = result.report
            made.append(replace(artifact, size=len(result.data), pages=result.pages))
        if cache is not None and len(made) == len(self.plan(ctx)):
            cache.prune()  # what this build replaced goes
        return made

    @property
    def last_report(self) -> FacingReport | None:
        """The report of the last edition made (``build --json`` carries every one: :attr:`reports`)."""
        return next(reversed(self.reports.values()), None) if self.reports else None

