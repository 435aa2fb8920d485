"""One volume's parts while they are laid out (:class:`Book`, for :func:`.run.run_jobs`): which part can be laid
out next, what came back, and what the volume and its offprints are assembled from (in the workers:
:func:`.volume.assemble_volume` as soon as the volume's own parts are back, :func:`.offprints.assemble_offprint`
once the covers are too).

Every paper is laid out at once, with no folio and no running head (:mod:`.furniture` draws them at assembly),
so its layout and its cache entry do not depend on where it starts. Once every paper's page count is known:
the front matter, with the contents' page numbers as text; the sheet of the body's folios and running heads;
the offprint covers with their page ranges. In the print profile a blank verso goes between two papers where
needed.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Protocol

from .document import (BLANK_CSS, chapter_css, covers_head, covers_html, front_body, front_css, part_html,
                       running_title_css)
from .furniture import Placement, SheetPaper, place, sheet_html
from .jobs import PartJob, PartSource, TypesetJob, TypesetResult, at_folio, merge_into
from .offprints import OffprintWork
from .volume import VolumeMade, VolumeWork

log = logging.getLogger(__name__)

Key = tuple
"""What a part is in its volume: ``("chapter", index)``, ``("front",)``, ``("blank",)``, ``("sheet",)``,
``("covers", batch)``."""
COVERS_PER_BATCH = 16
"""Offprint covers laid out and written together (:func:`.typeset.typeset_covers`): one font subset per batch
instead of per cover; small enough that a language's batches spread over the workers."""


class PartStore(Protocol):
    """Where laid-out parts are kept between builds (the build cache)."""

    def restore(self, part: PartJob) -> TypesetResult | None:
        """The part's result, its PDF copied to ``part.target``; ``None`` when not kept."""

    def store(self, part: PartJob, result: TypesetResult) -> None:
        """Keep a part laid out by this build."""

    def pages(self, layout: str) -> int | None:
        """The page count of a part whose HTML (without its folio) hashes to ``layout``, if known."""

    def last_pages(self, name: str) -> int | None:
        """The page count the part called ``name`` (``<label>/<slug>``) had in the last build, if known."""

    def remember(self, layout: str, name: str, pages: int) -> None:
        """Record a part's page count for later builds."""

    def restore_offprint(self, key: str, target: str) -> int | None:
        """An offprint assembled before from the same parts, copied to ``target``: its page count, or ``None``."""

    def store_offprint(self, key: str, job: TypesetJob, target: str, pages: int) -> None:
        """Keep an offprint assembled by this build."""

    def deflated(self, label: str) -> Path | None:
        """Where the compressed page content of the volume ``label`` is kept (:mod:`.deflated`), if anywhere."""


_PAGES_COUNTER = re.compile(r"counters?\(\s*pages\b")
"""A stylesheet that prints the document's page count."""


def next_start(start: int, pages: int, profile: str) -> int:
    """The folio of the part after one of ``pages`` pages from ``start``: the next page, or in the print
    profile the next right-hand (odd) page."""
    folio = start + pages
    return folio + 1 if profile == "print" and folio % 2 == 0 else folio


class Book:
    """One volume's parts: which to lay out next, what came back, and the assembly."""

    def __init__(self, job: TypesetJob, scratch: Path, store: PartStore | None) -> None:
        self.job = job
        self.scratch = scratch
        self.store = store
        self.front = next((p for p in job.parts if p.name == "front"), None)
        self.chapters = [p for p in job.parts if p.name != "front"]
        self.layouts = [_layout_id(job, p) for p in self.chapters]
        self.pages: list[int | None] = [None] * len(self.chapters)
        """Page counts of the papers laid out (or restored) so far."""
        self.heads = dict(job.running_heads)
        self.results: dict[Key, tuple[PartJob, TypesetResult]] = {}
        self.running: set[Key] = set()
        self.failed = False
        self.finished = False
        self.assembling: set[str] = set()
        """Offprints the workers are assembling."""
        self.volume_sent = False
        """Whether the volume went to the workers to be assembled (:meth:`volume_work`)."""
        self.volume_pending = False
        """Whether it is being assembled."""
        self.reported = False
        """Whether the volume and its offprints are done and reported."""
        self.typeset: list[str] = []
        self.result = TypesetResult(job.lang, job.label)
        self._body_start = 0
        self._placements_found: list[Placement] | None = []
        self._ranges_of: list[int | None] = []
        self._ranges_found: dict[str, tuple[int, int]] | None = None

    def _name(self, part: PartSource) -> str:
        return f"{self.job.label}/{part.name}"

    def starts(self) -> list[int] | None:
        """Each paper's first folio, once every paper's page count is known."""
        if any(pages is None for pages in self.pages):
            return None
        found: list[int] = []
        start = 1
        for pages in self.pages:
            found.append(start)
            start = next_start(start, pages or 0, self.job.profile)
        return found

    def _ranges(self) -> dict[str, tuple[int, int]] | None:
        """Each paper's first and last folio by name, once known (made again only when a page count changes:
        the covers ask for every offprint's each time the scheduler asks what is wanted)."""
        if self._ranges_of != self.pages:
            starts = self.starts()
            self._ranges_of = list(self.pages)
            self._ranges_found = None
            if starts is not None:
                self._ranges_found = {}
                for source, start, pages in zip(self.chapters, starts, self.pages):
                    self._ranges_found.setdefault(source.name, (start, start + (pages or 0) - 1))
        return self._ranges_found

    def wanted(self) -> list[tuple[Key, PartJob]]:
        """Parts that can be laid out now and are neither laid out nor being laid out: every paper at once (its
        layout does not depend on where it starts); once their page counts are known, the front matter, the
        sheet of folios and running heads, and the offprint covers."""
        if self.failed:
            return []
        items: list[tuple[Key, PartJob]] = []

        def want(key: Key, make: Callable[[], PartJob]) -> None:
            if key not in self.results and key not in self.running:
                items.append((key, make()))

        job = self.job
        if job.profile == "print":
            want(("blank",), lambda: self._part("blank", part_html(job.head, "", BLANK_CSS)))
        css = chapter_css(job.title)
        for index, source in enumerate(self.chapters):
            want(("chapter", index), lambda: self._part(source.name, part_html(job.head, source.body, css),
                                                        source.body))
        starts = self.starts()
        if starts is not None and all(("chapter", index) in self.results for index in range(len(starts))):
            folios = {source.name: start for source, start in zip(self.chapters, starts)}
            if self.front is not None:
                body = front_body(self.front.body, folios)
                want(("front",), lambda: self._part("front", part_html(job.head, body, front_css(folios)), body))
            if self.chapters:
                want(("sheet",), self._sheet)
            for number, batch in enumerate(self._cover_batches()):
                want(("covers", number), lambda: self._part(f"covers:{number}", covers_html(
                    [(job.offprints[index].slug, job.offprints[index].cover(*span)) for index, span in batch])))
        return items

    def _cover_batches(self) -> list[list[tuple[int, tuple[int, int]]]]:
        """The offprints whose paper is in the volume, (index, page range), in batches of
        :data:`COVERS_PER_BATCH` (fixed, not per worker: a cover's PDF must not depend on the machine)."""
        covers = [(index, span) for index, offprint in enumerate(self.job.offprints)
                  if (span := self.page_range(offprint.slug)) is not None]
        return [covers[at:at + COVERS_PER_BATCH] for at in range(0, len(covers), COVERS_PER_BATCH)]

    def _cover(self, index: int) -> tuple[str, tuple[int, ...]] | None:
        """Where offprint ``index``'s cover is: its batch's PDF and its pages there."""
        for number, batch in enumerate(self._cover_batches()):
            for position, (offprint, _) in enumerate(batch):
                if offprint == index and ("covers", number) in self.results:
                    part, result = self.results[("covers", number)]
                    if position >= len(result.cover_pages):
                        return None
                    end = result.cover_pages[position + 1] if position + 1 < len(batch) else result.pages
                    return part.target, tuple(range(result.cover_pages[position], end))
        return None

    def _sheet(self) -> PartJob:
        """The sheet of the body's folios and running heads (:mod:`.furniture`), laid out untagged."""
        papers = [SheetPaper(source.body, pages or 0, self.heads.get(source.name, ""))
                  for source, pages in zip(self.chapters, self.pages)]
        part = self._part("furniture", sheet_html(self.job.head, papers, running_title_css(self.job.title)))
        return replace(part, pdf_variant=None, typography=False, sources=())

    def _own_sheet(self, index: int) -> str:
        """What paper ``index``'s pages of the sheet depend on, for its offprint's key: the sheet as it would be
        for this paper alone, and the whole sheet's page count if the stylesheet prints it (``counter(pages)``)."""
        source = self.chapters[index]
        alone = sheet_html(self.job.head, [SheetPaper(source.body, self.pages[index] or 0,
                                                      self.heads.get(source.name, ""))],
                           running_title_css(self.job.title))
        sheet = self.results.get(("sheet",))
        if sheet is not None and _PAGES_COUNTER.search(alone):
            alone += f"\0{sheet[1].pages}"
        return alone

    def page_range(self, slug: str) -> tuple[int, int] | None:
        """A paper's first and last folio, once known."""
        ranges = self._ranges()
        return None if ranges is None else ranges.get(slug)

    def _part(self, name: str, html: str, body: str = "") -> PartJob:
        job = self.job
        safe = hashlib.sha256(name.encode()).hexdigest()[:16]
        return PartJob(lang=job.lang, label=job.label, name=name, html=html, base_url=job.base_url,
                       allowed_roots=job.allowed_roots, target=str(self.scratch / f"{safe}.pdf"), start=1,
                       pdf_variant=job.pdf_variant, profile=job.profile, sources=job.sources,
                       typography=job.typography, structured_problems=job.structured_problems,
                       adjacent_calls=body.count('class="after-call '), images=job.images)

    def done(self, key: Key, part: PartJob, result: TypesetResult) -> None:
        """A part came back (from a worker or the store)."""
        self.results[key] = (part, result)
        if result.error:
            self.failed = True
            return
        if key[0] == "chapter":
            index = key[1]
            self.pages[index] = result.pages
            if self.store is not None:
                self.store.remember(self.layouts[index], self._name(self.chapters[index]), result.pages)

    def complete(self) -> bool:
        """Whether every part the volume needs is back (or one failed and the others running are back)."""
        if self.running:
            return False
        return self.failed or not self.wanted()

    def finish(self) -> list[OffprintWork]:
        """Once every part is back (the covers too, after :meth:`volume_work`): sum the parts' results into the
        volume's; what its offprints are made of (the workers assemble them: :func:`assemble_offprint`)."""
        self.finished = True
        result = self.result
        job = self.job
        ordered = self._ordered()
        starts = self.starts() or []
        for key, _, part_result in ordered:
            # (A failed volume has no folios: its papers' messages keep their own page numbers.)
            at = starts[key[1]] if key[0] == "chapter" and key[1] < len(starts) else 1
            merge_into(result, at_folio(part_result, at))
        result.typeset_parts = list(self.typeset)
        if self.failed or result.error:
            if not result.error:
                result.error = next(r.error for _, r in self.results.values() if r.error)
            return []
        placements = self._placements_found or []
        sheet = self.results.get(("sheet",))
        works = []
        for index, offprint in enumerate(job.offprints):
            cover = self._cover(index)
            chapter = next((i for i, p in enumerate(self.chapters) if p.name == offprint.slug), None)
            span = self.page_range(offprint.slug)
            if cover is None or chapter is None or span is None:
                result.warnings.append(f"offprint {offprint.rel_path}: the paper was not found in the volume")
                continue
            paper = self.results[("chapter", chapter)]
            own = [(len(cover[1]) + sheet_at - (span[0] - 1), sheet_at, shift)
                   for _, sheet_at, shift in placements if span[0] - 1 <= sheet_at <= span[1] - 1]
            batch = next(part for part, _ in self.results.values() if part.target == cover[0])
            made = hashlib.sha256()
            # What this offprint's pages depend on, not the whole batch of covers or sheet: a page more in one
            # paper moves the folios of the papers after it, and only their offprints are made again.
            own_cover = covers_head(batch.html) + offprint.cover(*span)
            for value in (paper[0].html, own_cover, repr(cover[1]), self._own_sheet(chapter) if sheet else "",
                          repr(own), repr(replace(offprint, target="")), str(span), job.lang,
                          job.rights_xmp.decode("utf-8", "replace"), str(job.pdf_variant)):
                made.update(value.encode("utf-8", "surrogatepass") + b"\0")
            works.append(OffprintWork(offprint, cover[0], paper[0].target, span[0], span[1], job.lang,
                                      job.rights_xmp, sheet[0].target if sheet is not None else "", tuple(own),
                                      cover[1], made.hexdigest()))
        self.assembling = {work.offprint.rel_path for work in works}
        return works

    def volume_ready(self) -> bool:
        """Whether the volume's own parts are back (all but the covers, which only its offprints need) and it has
        not gone to the workers yet."""
        if self.failed or self.volume_sent or any(key[0] != "covers" for key in self.running):
            return False
        if not all(("chapter", index) in self.results for index in range(len(self.chapters))):
            return False
        return not any(key[0] != "covers" for key, _ in self.wanted())

    def volume_work(self) -> VolumeWork | None:
        """What a worker needs to assemble the volume (:func:`.volume.assemble_volume`), once
        :meth:`volume_ready`; ``None`` (and the volume's error) when the sheet does not fit the body."""
        job = self.job
        self.volume_sent = True
        parts, self._body_start = self._volume_parts_of(self._ordered())
        self._placements_found = self._placements(self._body_start, self.starts() or [])
        if self._placements_found is None:
            self.result.error = "the sheet of running heads and folios does not have the body's page count"
            self.failed = True
            return None
        body_start = self._body_start
        labels: list[tuple[int, dict[str, Any]]] = ([(0, {"S": "/r"}), (body_start, {"S": "/D", "St": 1})]
                                                     if body_start else [(0, {"S": "/D", "St": 1})])
        sheet = self.results.get(("sheet",))
        memo = self.store.deflated(job.label) if self.store is not None else None
        self.volume_pending = True
        return VolumeWork(job.label, job.target, tuple(parts), tuple(labels), job.title, tuple(job.authors),
                          job.lang, job.rights_xmp, sheet[0].target if sheet is not None else "",
                          tuple(self._placements_found), str(memo) if memo is not None else "")

    def volume_done(self, made: VolumeMade) -> None:
        """The volume came back from the worker that assembled it."""
        self.volume_pending = False
        result = self.result
        result.write_seconds += made.seconds
        log.debug("%s: assembled in %.2f s; %d streams compressed, %d kept from the last assembly", self.job.label,
                  made.seconds, *made.compressed)
        if made.error:
            result.error = result.error or made.error
            return
        for anchor in made.unresolved:
            result.warnings.append(f"a link points to #{anchor}, which no part of the volume has")
        result.pages = made.pages
        result.size_bytes = made.size

    def _placements(self, body_start: int, starts: list[int]) -> list[Placement] | None:
        """Where the sheet's pages go in the volume; ``None`` when the sheet does not fit the body."""
        sheet = self.results.get(("sheet",))
        if sheet is None:
            return []
        lefts = [self.results[("chapter", index)][1].page_lefts for index in range(len(starts))]
        last = starts[-1] + (self.pages[-1] or 0) - 1 if starts else 0
        if sheet[1].pages != last or any(len(l) != pages for l, pages in zip(lefts, self.pages)):
            return None
        return place(body_start, starts, lefts, sheet[1].page_lefts)

    def offprint_done(self, work: OffprintWork, outcome: tuple[int, float, str]) -> None:
        """An offprint came back from a worker: its page count, seconds, and error (empty when written)."""
        pages, seconds, error = outcome
        self.assembling.discard(work.offprint.rel_path)
        self.result.offprint_seconds += seconds
        if error:
            self.result.error = self.result.error or f"assembling offprint {work.offprint.rel_path}: {error}"
            return
        self.result.offprints[work.offprint.rel_path] = pages
        self.result.page_ranges[work.offprint.rel_path] = [work.first, work.last]

    def _ordered(self) -> list[tuple[Key, PartJob, TypesetResult]]:
        """The results that make the volume, in reading order: front, blank, papers, sheet, covers."""
        keys: list[Key] = [("front",), ("blank",)]
        keys += [("chapter", index) for index in range(len(self.chapters))]
        keys += [("sheet",)] + [("covers", number) for number in range(len(self.job.offprints))]
        if self.failed:  # whatever came back, so that every problem is reported
            keys = sorted(self.results, key=lambda k: (k[0] != "front", k[0] in ("covers", "sheet"), k[1:]))
        return [(key, *self.results[key]) for key in keys if key in self.results]

    def _volume_parts_of(self, ordered: list[tuple[Key, PartJob, TypesetResult]]) -> tuple[list[tuple[str, str]],
                                                                                          int]:
        """The volume's parts in page order, (name, path of its PDF), blank versos where a paper must start on
        the right; and the index of the first paper's first page."""
        blank = self.results.get(("blank",))
        starts = self.starts() or []
        parts = []
        pages = 0
        body_start = 0
        folio_end = 0  # the last folio of the body so far
        for key, part, part_result in ordered:
            if key[0] in ("blank", "covers", "sheet"):
                continue
            if key[0] == "chapter":
                start = starts[key[1]]
                if not body_start:
                    if blank is not None and pages % 2 == 1:
                        parts.append(("blank", blank[0].target))
                        pages += 1
                        self.result.report.blank_pages += 1
                    body_start = pages
                elif blank is not None and start > folio_end + 1:
                    parts.append(("blank", blank[0].target))
                    pages += 1
                    self.result.report.blank_pages += 1
                folio_end = start + part_result.pages - 1
            parts.append((part.name, part.target))
            pages += part_result.pages
        return parts, body_start


def _layout_id(job: TypesetJob, part: PartSource) -> str:
    """What a paper's page count depends on: its HTML (with the head and stylesheet), not its folio."""
    digest = hashlib.sha256()
    for value in (job.head, part.body, str(job.pdf_variant), job.profile, str(job.typography)):
        digest.update(value.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()
