"""Make the 対訳 edition of a volume and one translation: measure, pack, place, check, assemble.

1. Each language's print document is made as for its own PDF (:func:`taiyaku.pdf.make_jobs`), and its parts
   paired (:class:`.parts.EditionParts`: the front matter, each paper with its translation cut into aligned
   rows, the contributors).
2. *Measure*: each side of each paper as its single-language PDF was laid out in this build (its
   :class:`~taiyaku.pdf.flow.Flow`, passed in by the build), else laid out here once, without breaks, as a
   placement (:func:`.layout.place_side`, which reads the flow too); the front matter, contributors and the
   cover are laid out meanwhile.
3. *Pack*: rows into spreads (:func:`.pack.side_measure` on each flow, then :func:`.pack.pack`).
4. *Place*: each side laid out with a page break before each row it would otherwise start a page early and an
   empty block where it lacks a row of the other side; verified and written like any part of a volume
   (:func:`.layout.place_side`). A side that gets neither is its measuring layout, not laid out again. A row
   found out of step (a line more or less than the heights predicted) gets a break on the side that ran
   early and that side is placed again; the last of :data:`REPAIRS` tries gives such rows a spread group of
   their own (both sides break, the shorter is padded).
5. The front matter is laid out with each paper's first folio in its contents; the folios of the whole
   edition are laid out on a sheet; :func:`.assemble.assemble_edition` interleaves and stamps (while the
   workers end).

The layouts go to the workers through a :class:`.schedule.Scheduler`: the first placements largest first, a
side placed again ahead of them, the cover and contributors last, so no worker idles while one lays out the
last paper's repeat.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Diagnostics, PDFError
from ..i18n import UIStrings
from ..model import Volume
from ..pdf import make_jobs
from ..pdf.assemble import Part
from ..pdf.flow import Flow
from ..pdf.jobs import PartJob, TypesetJob, TypesetResult
from ..workers import Workers
from .assemble import Group, assemble_edition, spread_order
from .cache import FacingCache, keep_result, resolved
from .layout import (
    Measured,
    SideJob,
    SideMeasure,
    SidePlaced,
    place_side,
    typeset_part_at,
    typeset_sheet,
)
from .pack import (
    apply_gaps,
    first_folios,
    gap_heights,
    line_height,
    out_of_step_rows,
    pack,
    repair,
    side_measure,
    spread_group,
)
from .parts import EditionParts
from .plan import FacingPaper, SinglePDF, anchors, measure_html, relocate_ids
from .report import FacingReport
from .schedule import LATER, PLACE, URGENT, Scheduler

log = logging.getLogger(__name__)

REPAIRS = 6
"""How many times a paper may be placed again when rows came out of step: each time the side that started a row
early breaks before it; the last time such rows open a spread group of their own (in step by construction)."""
PLACEHOLDER_FOLIO = 888
"""Stands for a paper's first folio in the contents while the papers' lengths are not known yet."""


def edition_name(volume: Volume, source: str, target: str) -> str:
    """``<slug>-<source>-<target>.pdf``."""
    return f"{volume.config.slug}-{source}-{target}.pdf"


@dataclass
class EditionResult:
    """What making the edition gave: the PDF's bytes, its page count, the report, the parts' results."""

    name: str
    data: bytes = b""
    pages: int = 0
    report: FacingReport = field(default_factory=FacingReport)
    results: list[TypesetResult] = field(default_factory=list)
    seconds: float = 0.0
    layout_cpu_seconds: float = 0.0
    error: str = ""


def make_edition(volume: Volume, strings: dict[str, UIStrings], diagnostics: Diagnostics, target: str,
                 profile: str | None = None, workers: Workers | None = None,
                 cache: FacingCache | None = None,
                 singles: dict[str, SinglePDF] | None = None,
                 cache_folder: Path | None = None) -> EditionResult | None:
    """The edition of ``volume``'s source language facing ``target``; ``None`` when the jobs could not be
    planned (the problems are in ``diagnostics``). With a ``cache``, sides and parts unchanged since an earlier
    build are not laid out again (the caller prunes it once the build succeeded). ``singles``: per language, its
    single-language PDF as laid out in this build: sides are packed from its papers' flows instead of being
    measured again, and its front matter's length stands in for a first layout of the edition's (same profile
    only). ``workers``: the build's, which the single-language PDFs started (else a pool of its own).
    ``cache_folder``: the build's cache folder, where the print documents' renderings (made by the PDFs' plan in
    the same build, the same for both) and the print copies of images are kept."""
    started = time.perf_counter()
    source = volume.config.source_language
    name = edition_name(volume, source, target)
    scratch = Path(tempfile.mkdtemp(prefix="taiyaku-facing-"))
    try:
        jobs = make_jobs(volume, strings, scratch, diagnostics, profile=profile, languages=[source, target],
                         structured_problems=True, image_cache=cache_folder, render_cache=cache_folder)
        by_lang = {job.lang: job for job in jobs}
        if source not in by_lang or target not in by_lang:
            return None
        if not all(job.parts for job in by_lang.values()):
            raise PDFError("print/volume.html marks no parts (<!--taiyaku-part …-->): the facing edition pairs "
                           "its papers by them", f"pdf/{name}")
        edition = _Edition(volume, by_lang[source], by_lang[target], name, scratch, cache, strings, singles)
        result = edition.run(workers)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


class _Edition(EditionParts):
    """One edition being made: its parts (:class:`.parts.EditionParts`), the workers' results, the assembly."""

    def __init__(self, volume: Volume, left: TypesetJob, right: TypesetJob, name: str, scratch: Path,
                 cache: FacingCache | None = None, strings: dict[str, UIStrings] | None = None,
                 singles: dict[str, SinglePDF] | None = None) -> None:
        super().__init__(volume, left, right, name, scratch, strings)
        # Of the same page geometry only: the same profile (the page size is the volume's).
        self.singles = {lang: single for lang, single in (singles or {}).items()
                        if single.profile == (left if lang == left.lang else right).profile}
        self.cache = cache
        self.result = EditionResult(name)
        self._own_pool = True
        self._placing: dict[tuple[str, str], tuple[str, Future]] = {}  # a side's last placement: its HTML, result
        self._counted: set[int] = set()

    # --- the run ------------------------------------------------------------------------------------------

    def run(self, workers: Workers | None) -> EditionResult:
        """Make the edition in the build's ``workers`` (else in a pool of its own, ended when done)."""
        build = workers if workers is not None else Workers()
        self._own_pool = workers is None
        try:
            return self._run(Scheduler(build.pool(), build.size))
        except BaseException:
            build.end()  # interrupted or failed: the workers end now, not after their jobs
            raise
        finally:
            if self._own_pool:
                build.close()

    def _run(self, pool: Scheduler) -> EditionResult:
        report = self.result.report
        pool.hold()  # released when every first placement is known, or a measure is waited for
        measures = {(index, which): self._measure(pool, paper, which)
                    for index, paper in enumerate(self.papers) for which in ("left", "right")}
        placeholder = {paper.slug: PLACEHOLDER_FOLIO for paper in self.papers}
        others: dict[str, Future] = {"cover": self._typeset(pool, typeset_part_at, self._cover(), LATER)}
        # The front matter's length, for the papers' first folios: the single-language PDFs' when this build made
        # them, else from a layout with placeholder folios (the contents' numbers are filled in at the end).
        guessed = tuple(single.front_pages() for single in (self.singles.get(self.left.lang),
                                                             self.singles.get(self.right.lang)) if single)
        if len(guessed) != 2 or 0 in guessed:
            guessed = ()
            for which in ("left", "right"):
                others[f"front-{which}"] = self._typeset(pool, typeset_part_at, self._front(which, placeholder), LATER)
        if "contributors" in self.extra:
            for index, which in enumerate(("left", "right")):
                body = self.extra["contributors"][index]
                if which == "right":
                    body = relocate_ids(body, self.right.lang)
                others[f"contributors-{which}"] = self._typeset(pool, typeset_part_at,
                                                                    self._part(which, "contributors", body), LATER)
        # Pack and place each paper as soon as both its sides are measured.
        placed: dict[int, tuple[Future, Future]] = {}
        gaps_of: dict[int, dict[str, Any]] = {}
        breaks_of: dict[int, set[int]] = {}
        lines = (line_height(self.geometry["left"]), line_height(self.geometry["right"]))
        for index, paper in enumerate(self.papers):
            if not all(measures[index, which].done() for which in ("left", "right")):
                pool.release()
            left_rows, right_rows = [self._side_measure(paper, which, measures[index, which].result())
                                     for which in ("left", "right")]
            apply_gaps(left_rows, right_rows, gap_heights(paper, left_rows, right_rows))
            gaps_at = {number: 0 if row.gap == "left" else 1 for number, row in enumerate(paper.rows, start=1)
                       if row.gap}
            packing = pack(left_rows, right_rows, paper.headings, lines, gaps_at)
            gaps_of[index] = {"left": packing.gaps[0], "right": packing.gaps[1],
                              "left-breaks": packing.side_breaks[0], "right-breaks": packing.side_breaks[1]}
            breaks_of[index] = set(packing.breaks)
            log.debug("%s: rows breaking on the left %s, on the right %s", paper.slug,
                      sorted(packing.side_breaks[0]), sorted(packing.side_breaks[1]))
            placed[index] = self._place(pool, paper, breaks_of[index], gaps_of[index], PLACE)
        pool.release()
        # Check each paper as soon as both its sides are placed (not in order: a paper placed again for a row out
        # of step does not hold the others back, nor leave a worker idle).
        repairs = dict.fromkeys(range(len(self.papers)), 0)
        settled: dict[int, tuple[SidePlaced, SidePlaced]] = {}
        while len(settled) < len(self.papers):
            # Wait only when no paper is ready, and only on what is still running: a paper with one side placed
            # would end the wait at once, and the parent spun on it (1.7 s of processor time in an edition of 9 s,
            # taken from the workers on 2 cores).
            unsettled = [pair for index, pair in placed.items() if index not in settled]
            if not any(all(future.done() for future in pair) for pair in unsettled):
                futures_wait({future for pair in unsettled for future in pair if not future.done()},
                             return_when=FIRST_COMPLETED)
            for index, paper in enumerate(self.papers):
                if index in settled or not all(future.done() for future in placed[index]):
                    continue
                left, right = placed[index][0].result(), placed[index][1].result()
                for side in (left, right):
                    self._count(side)
                    if side.result.error:
                        raise PDFError(side.result.error, f"pdf/{self.name}")
                out_of_step = out_of_step_rows(sorted(breaks_of[index]), left.starts, right.starts)
                if not out_of_step or repairs[index] > REPAIRS:
                    settled[index] = (left, right)
                    continue
                repairs[index] += 1
                log.debug("%s: rows %s out of step: placed again", paper.slug, out_of_step)
                repair(out_of_step, repairs[index] > REPAIRS - 1, left, right, breaks_of[index], gaps_of[index])
                placed[index] = self._place(pool, paper, breaks_of[index], gaps_of[index], URGENT)
        groups: list[Group] = []
        sides: list[tuple[SidePlaced, SidePlaced]] = []
        for index, paper in enumerate(self.papers):
            left, right = settled[index]
            breaks = breaks_of[index]
            report.repairs += repairs[index]
            group = spread_group(paper.slug, sorted(breaks), left, right)
            groups.append(group)
            sides.append((left, right))
            self.result.results += [left.result, right.result]
            for side in (left, right):
                report.notes[side.result.lang] = report.notes.get(side.result.lang, 0) + side.result.footnotes
                report.notes_on_next_page += side.result.report.notes_on_next_page
            report.count_paper(paper, sorted(breaks), left.starts, right.starts, group, left.fills, right.fills)
        done: dict[str, tuple[TypesetResult, str]] = {key: future.result() for key, future in others.items()}
        for key, (value, _) in done.items():
            self.result.layout_cpu_seconds += value.layout_cpu_seconds
            if value.error:
                raise PDFError(f"{key}: {value.error}", f"pdf/{self.name}")
        cover = done["cover"][0].pages
        tail = []
        if "contributors" in self.extra:
            tail = [Group("contributors", [done["contributors-left"][0].pages],
                          [done["contributors-right"][0].pages])]
        # The papers' first folios, now that every group's length is known; the front matter with them (its
        # length could change with them: then once more).
        front_pages = guessed or (done["front-left"][0].pages, done["front-right"][0].pages)
        sheets: dict[int, Future] = {}  # the folio sheet, laid out beside the front matter: pages → result
        for _attempt in range(3):
            front = Group("front", [front_pages[0]], [front_pages[1]])
            folios = first_folios(cover, front, groups, [p.slug for p in self.papers])
            # The sheet first: the longest of these three layouts (a page per page of the edition).
            pages = len(spread_order(cover, [front, *groups, *tail])[0])
            if pages not in sheets:
                sheets[pages] = self._typeset(pool, typeset_sheet, self._sheet(pages), URGENT)
            fronts = {which: self._typeset(pool, typeset_part_at, self._front(which, folios), URGENT)
                      for which in ("left", "right")}
            made = {which: future.result() for which, future in fronts.items()}
            for value, _ in made.values():
                self.result.layout_cpu_seconds += value.layout_cpu_seconds
                if value.error:
                    raise PDFError(f"front matter: {value.error}", f"pdf/{self.name}")
            if (made["left"][0].pages, made["right"][0].pages) == front_pages:
                break
            front_pages = (made["left"][0].pages, made["right"][0].pages)
        order, starts = spread_order(cover, [front, *groups, *tail])
        if len(order) not in sheets:
            sheets[len(order)] = self._typeset(pool, typeset_sheet, self._sheet(len(order)), URGENT)
        for future in sheets.values():
            self.result.layout_cpu_seconds += future.result()[0].layout_cpu_seconds
        sheet, sheet_target = sheets[len(order)].result()
        if sheet.error:
            raise PDFError(f"folios: {sheet.error}", f"pdf/{self.name}")

        def read(path: str) -> bytes:
            return Path(path).read_bytes()

        parts = [Part("cover", read(done["cover"][1]))]
        parts += [Part(f"front-{which}", read(made[which][1])) for which in ("left", "right")]
        for paper, (left, right) in zip(self.papers, sides):
            parts += [Part(paper.slug, read(left.target)), Part(f"{self.right.lang}~{paper.slug}", read(right.target))]
        if tail:
            parts += [Part(f"contributors-{which}", read(done[f"contributors-{which}"][1]))
                      for which in ("left", "right")]
        # Every layout is done: a pool of the edition's own ends (0.2-0.3 s) while the parent assembles.
        with ThreadPoolExecutor(1) as assembler:
            assembled = assembler.submit(assemble_edition, parts, order, read(sheet_target),
                                         title=f"{self.left.title} / {self.right.title}",
                                         authors=list(self.left.authors), lang=self.left.lang,
                                         rights_xmp=self.left.rights_xmp)
            if self._own_pool:
                pool.pool.shutdown(wait=True)
            self.result.data = assembled.result()
        self.result.pages = report.pages = len(order)
        report.blank_pages = sum(1 for index in order if index is None)
        report.starts = {name: at + 1 for name, at in starts}
        report.single_language_pages = sum(side.result.pages for pair in sides for side in pair)
        return self.result

    def _place(self, pool: Scheduler, paper: FacingPaper, breaks: set[int], gaps: dict[str, dict[int, float]],
               priority: int) -> tuple[Future, Future]:
        frozen = frozenset(breaks)
        return tuple(self._place_side(pool, self._side(paper, which, frozen, gaps[which],  # type: ignore[arg-type]
                                                       frozenset(gaps[f"{which}-breaks"])), priority)
                     for which in ("left", "right"))

    # --- the cache: a side or part unchanged since an earlier build is not laid out again ------------------

    def _measure(self, pool: Scheduler, paper: FacingPaper, which: str) -> Future:
        """A side's flow (a :class:`Measured`): the single-language PDF's of this build when it has the side's
        blocks as the edition sets them, else from the cache, else laid out in a worker."""
        lang = (self.left if which == "left" else self.right).lang
        single = self.singles.get(lang)
        given = single.flows.get(paper.slug if which == "left" else self.right_names[paper.slug]) if single else None
        side = paper.left if which == "left" else paper.right
        if given is not None and len(given.get("blocks", ())) == len(side.blocks) and \
                not (which == "right" and paper.slug in self.noticed):
            self.result.report.flows_reused += 1
            return resolved(Measured(given))
        job = SideJob(self._part(which, paper.slug, measure_html(paper, which)), anchors(paper, which))
        kept = self.cache.measure(job.part) if self.cache else None
        if kept is not None:
            return resolved(kept)
        # Laid out as a placement without breaks: a side the packing gives no break and no gap has the same
        # HTML when placed, and _place_side takes this layout for it.
        measured: Future = Future()

        def read(placing: Future) -> None:
            try:
                placed = placing.result()
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the measure
                measured.set_exception(exc)
                return
            measured.set_result(Measured(placed.flow, placed, placed.result.error))

        self._place_side(pool, job, PLACE).add_done_callback(read)
        if self.cache:
            cache = self.cache
            measured.add_done_callback(lambda f: keep_result(f, lambda m: cache.keep_measure(job.part, m)))
        return measured

    def _side_measure(self, paper: FacingPaper, which: str, measured: Measured) -> SideMeasure:
        """The rows of a measured side (its layout's processor time counted)."""
        if measured.placed is not None:
            self._count(measured.placed)
        if measured.flow is None:
            raise PDFError(f"measuring {paper.slug}: {measured.error}", f"pdf/{self.name}")
        try:
            return side_measure(Flow.from_dict(measured.flow), paper, which)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise PDFError(f"measuring {paper.slug}: {exc}", f"pdf/{self.name}") from None

    def _count(self, side: SidePlaced) -> None:
        """Count a placement's layout time once (a side measured and placed by one layout is seen twice)."""
        if id(side) not in self._counted:
            self._counted.add(id(side))
            self.result.layout_cpu_seconds += side.result.layout_cpu_seconds

    def _place_side(self, pool: Scheduler, job: SideJob, priority: int) -> Future:
        key = (job.part.name, job.part.lang)
        last = self._placing.get(key)
        if last is not None and last[0] == job.part.html:
            return last[1]  # placed again for the other side's sake: this side has not changed
        kept = self.cache.placed(job.part) if self.cache else None
        if kept is not None:
            return resolved(kept)
        self.result.report.layouts += 1
        future = pool.submit(place_side, job, priority, len(job.part.html.encode()))
        self._placing[key] = (job.part.html, future)
        if self.cache:
            cache = self.cache
            future.add_done_callback(lambda f: keep_result(f, lambda p: cache.keep_placed(job.part, p)))
        return future

    def _typeset(self, pool: Scheduler, entry: Any, part: PartJob, priority: int) -> Future:
        kept = self.cache.part(part) if self.cache else None
        if kept is not None:
            return resolved((kept[0], part.target))
        self.result.report.layouts += 1
        future = pool.submit(entry, part, priority, len(part.html.encode()))
        if self.cache:
            cache = self.cache
            future.add_done_callback(lambda f: keep_result(f, lambda r: cache.keep_part(part, r[0])))
        return future
