"""The 対訳 edition's parts (:class:`EditionParts`): each language's print document paired part by part — the
front matter, each paper with its translation cut into aligned rows (:mod:`.plan`), the contributors — and the
part jobs the workers lay out: a side of a paper, a side's front matter, the cover, the folio sheet, each in its
side's print stylesheet and the edition's page rules. :class:`.edition._Edition` makes the edition from them."""

from __future__ import annotations

import itertools
from pathlib import Path

from ..i18n import UIStrings
from ..model import Volume
from ..pdf.document import front_body, front_css, part_html
from ..pdf.geometry import page_geometry
from ..pdf.jobs import PartJob, TypesetJob
from ..views import block_alignment
from .layout import SideJob
from .plan import (
    FacingPaper,
    anchors,
    cover_html,
    edition_css,
    make_paper,
    relocate_ids,
    side_html,
    status_notice,
    without_cover,
)


class EditionParts:
    """One edition's papers and the part jobs made of them (``scratch``: where the parts' PDFs go)."""

    def __init__(self, volume: Volume, left: TypesetJob, right: TypesetJob, name: str, scratch: Path,
                 strings: dict[str, UIStrings] | None = None) -> None:
        self.volume = volume
        self.left, self.right = left, right
        self.name = name
        self.scratch = scratch
        self.geometry = {which: page_geometry(volume.config.page_size, job.lang, job.profile)
                         for which, job in (("left", left), ("right", right))}
        self.papers: list[FacingPaper] = []
        self.extra: dict[str, tuple[str, str]] = {}  # front, contributors → (left body, right body)
        self.noticed: set[str] = set()  # papers whose right side carries a notice its single PDF has not
        self.right_names: dict[str, str] = {}  # paper → its translation's part name (the flows' key)
        for lpart, rpart in zip(left.parts, right.parts):
            if lpart.name in ("front", "contributors"):
                self.extra[lpart.name] = (lpart.body, rpart.body)
                continue
            doc = volume.document(left.lang, lpart.name)
            alignment = block_alignment(volume, doc.source.rel_path, left.lang, right.lang) if doc else None
            notice = status_notice(volume, doc, right.lang, strings[right.lang]) if doc and strings else ""
            body = rpart.body.replace("</header>", f"</header>\n{notice}", 1) if notice else rpart.body
            if notice:
                self.noticed.add(lpart.name)
            self.right_names[lpart.name] = rpart.name
            self.papers.append(make_paper(lpart.name, lpart.body, body, right.lang, left.lang, alignment))
        self._serial = itertools.count()


    # --- jobs ---------------------------------------------------------------------------------------------

    def _part(self, which: str, name: str, body: str, css: str = "") -> PartJob:
        """A part of one side, in that side's print stylesheet and the edition's page rules."""
        job = self.left if which == "left" else self.right
        css = edition_css(which, self.geometry[which]) + css
        return PartJob(job.lang, self.name, name, part_html(job.head, body, css), job.base_url, job.allowed_roots,
                       str(self.scratch / f"{which}-{name}-{next(self._serial)}.pdf"),
                       pdf_variant=job.pdf_variant, profile=job.profile, sources=job.sources,
                       typography=job.typography, structured_problems=True, images=job.images)

    def _side(self, paper: FacingPaper, which: str, breaks: frozenset[int] = frozenset(),
              gaps: dict[int, float] | None = None, own_breaks: frozenset[int] = frozenset()) -> SideJob:
        return SideJob(self._part(which, paper.slug, side_html(paper, which, breaks, gaps, own_breaks)),
                       anchors(paper, which))

    def _front(self, which: str, folios: dict[str, int]) -> PartJob:
        """One side's imprint and contents (the cover left out), each paper's first folio in the contents."""
        body = without_cover(self.extra["front"][0 if which == "left" else 1])
        if which == "right":
            body = relocate_ids(body, self.right.lang)
        body = front_body(body, folios)
        return self._part(which, "front", body, front_css(folios))

    def _cover(self) -> PartJob:
        """The cover: the source's, with the translation's title and subtitle under its own."""
        return self._part("left", "cover", cover_html(*self.extra["front"], self.right.lang))

    def _sheet(self, pages: int) -> PartJob:
        """Empty pages whose margins carry the folio of the edition's page of the same number."""
        body = '<div class="taiyaku-sheet"></div>' * pages
        css = ".taiyaku-sheet { height: 1px; break-after: page; }\n"
        job = self.left
        return PartJob(job.lang, self.name, "folios", part_html(job.head, body, css), job.base_url,
                       job.allowed_roots, str(self.scratch / f"folios-{pages}.pdf"), pdf_variant=None,
                       profile=job.profile, typography=False)
