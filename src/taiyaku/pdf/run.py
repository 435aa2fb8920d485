"""Run the print stage's jobs: every part of every volume laid out in a pool of worker processes (never in
the parent, which does not load WeasyPrint), then each volume and offprint assembled from its parts.

A volume is typeset in parts (:func:`.document.split_parts`): the front matter, each paper, the contributors.
Papers are laid out first, each with its first folio set in its own stylesheet; a paper's page count does not
depend on its folio (the folio and running heads are margin boxes, outside the text block), so a paper's start
is known once the page counts of the papers before it are — from this build, or remembered by the part store
(:class:`PartStore`, the build cache) from an earlier one. A paper laid out at a start that turns out wrong
(its predecessor's page count changed) is laid out again; one whose start and HTML are unchanged comes from the
store. The front matter is laid out last, with the contents' page numbers written in as text (it is numbered
in lower-roman figures, so its length never moves the papers' folios). In the print profile papers start on a
right-hand page: a blank verso part goes between two papers where needed. Offprint covers are parts too, laid
out once the page ranges are known: a language's covers in one layout per worker (one stylesheet parse for many
one-page documents), each written as its own part. Both languages' parts share one pool, the largest first. The
parent assembles each volume; the workers assemble the offprints (cover part + paper part), so no worker waits
while the parent assembles the last volume.

Each worker holds one part at a time, so memory is bounded by the largest part, not the volume.

Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the parent alone decides what an interrupt
means (it ends the workers and cleans up), so no worker prints a traceback of its own. A worker that dies
(the OOM killer, a crash in a C library) fails the build with one located error instead of a traceback.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from ..errors import PDFError
from .document import BLANK_CSS, chapter_css, front_body, front_css, part_html
from .jobs import OffprintJob, PartJob, PartSource, TypesetJob, TypesetResult

log = logging.getLogger(__name__)

SPECULATE = True
"""Lay out a paper at an estimated folio when a worker would otherwise wait (see :meth:`_Book.speculate`)."""
Key = tuple
"""What a part is in its volume: ``("chapter", index, start)``, ``("front",)``, ``("blank",)``,
``("cover", index)``."""


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


def run_jobs(jobs: list[TypesetJob], progress: Callable[[TypesetResult], None] | None = None,
             store: PartStore | None = None) -> list[TypesetResult]:
    """Typeset every job's parts in spawned worker processes (at most one per core), assemble each job's
    volume and offprints; results in the jobs' order."""
    if not jobs:
        return []
    # Beside the PDFs being made (the writer's staging folder in a build): a build killed with -9 leaves no
    # scratch of its own behind, since the next build removes the stale staging folder whole.
    beside = Path(jobs[0].target).parent
    beside.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".parts-", dir=beside))
    books = [_Book(job, scratch / str(index), store) for index, job in enumerate(jobs) if job.parts]
    # "spawn": a clean interpreter per worker, independent of what the parent has loaded; WeasyPrint and
    # taiyaku's fixes to it live only there.
    workers = max(1, min(multiprocessing.cpu_count() or 1, _most_parts(jobs)))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker, initargs=(os.getpid(),))
    running: dict[Future, tuple[_Book, list[tuple[Key, PartJob]]]] = {}
    assembling: dict[Future, tuple[_Book, OffprintWork]] = {}
    whole: dict[str, Future] = {}
    try:
        for job in jobs:
            if not job.parts:
                # A volume's own print/volume.html without the part marks: the whole volume in one layout.
                log.info("%s: print/volume.html marks no parts; the volume is laid out whole", job.label)
                whole[job.label] = pool.submit(_typeset_whole, job)
        while True:
            wanted = [(book, key, part) for book in books if not book.finished for key, part in book.wanted()]
            restored = False
            covers: dict[int, list[tuple[Key, PartJob]]] = {}
            for book, key, part in sorted(wanted, key=lambda item: -len(item[2].html)):
                cached = store.restore(part) if store is not None else None
                if cached is not None:
                    book.done(key, part, cached)
                    restored = True
                    continue
                book.running.add(key)
                if key[0] == "cover":
                    covers.setdefault(books.index(book), []).append((key, part))
                else:
                    running[pool.submit(_typeset_part, part)] = (book, [(key, part)])
            for index, items in covers.items():
                # A language's covers in as many layouts as there are workers (each layout parses the print
                # stylesheet once and lays out its covers together), in the volume's order.
                size = -(-len(items) // workers)
                for at in range(0, len(items), size):
                    batch = sorted(items[at:at + size], key=lambda item: item[0])
                    running[pool.submit(_typeset_covers, [part for _, part in batch])] = (books[index], batch)
            if SPECULATE and not restored and len(running) < workers:
                # A worker would wait: lay out a paper whose first folio is not known yet at an estimated one.
                # Its page count (which does not depend on the folio) is what is wanted: the papers after it
                # can then start; if the estimate was wrong it is laid out again at its real folio.
                for book in sorted(books, key=lambda b: -b.work_left()):
                    for key, part in book.speculate(workers - len(running)):
                        book.running.add(key)
                        running[pool.submit(_typeset_part, part)] = (book, [(key, part)])
            for book in books:
                if not book.finished and book.complete():
                    # The volume is assembled here; its offprints in the workers, beside the other volumes' parts.
                    for work in book.finish():
                        assembling[pool.submit(assemble_offprint, work)] = (book, work)
                if book.finished and not book.reported and not book.assembling:
                    book.reported = True
                    if progress is not None:
                        progress(book.result)
            if all(book.reported for book in books):
                break
            if restored:
                continue
            if not running and not assembling:
                raise PDFError("the typesetting stalled with parts left to lay out",
                               f"pdf/{next(b.job.label for b in books if not b.finished)}")
            finished, _ = wait([*running, *assembling], return_when=FIRST_COMPLETED)
            for future in finished:
                if future in assembling:
                    book, work = assembling.pop(future)
                    try:
                        book.offprint_done(work, future.result())
                    except BrokenProcessPool:
                        raise PDFError("a worker ended without a result (killed, perhaps for lack of memory) while "
                                       f"assembling {work.offprint.rel_path}; nothing was written",
                                       f"pdf/{book.job.label}") from None
                    continue
                book, items = running.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    raise PDFError("the typesetting worker ended without a result (killed, perhaps for lack of "
                                   f"memory) while laying out {items[0][1].name}; nothing was written",
                                   f"pdf/{book.job.label}") from None
                for (key, part), result in zip(items, results):
                    book.running.discard(key)
                    book.typeset.append(part.name)
                    if store is not None:
                        store.store(part, result)
                    book.done(key, part, result)
        results = {book.job.label: book.result for book in books}
        for label, future in whole.items():
            try:
                results[label] = future.result()
            except BrokenProcessPool:
                raise PDFError("the typesetting worker ended without a result (killed, perhaps for lack of "
                               "memory); nothing was written", f"pdf/{label}") from None
            if progress is not None:
                progress(results[label])
    except BaseException:
        # Interrupted or failed: end the workers now rather than wait for their parts to finish.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    pool.shutdown(wait=True, cancel_futures=True)
    shutil.rmtree(scratch, ignore_errors=True)
    return [results[job.label] for job in jobs]


def _most_parts(jobs: list[TypesetJob]) -> int:
    return sum(len(job.parts) + len(job.offprints) + 1 for job in jobs)


def next_start(start: int, pages: int, profile: str) -> int:
    """The folio of the part after one of ``pages`` pages from ``start``: the next page, or in the print
    profile the next right-hand (odd) page."""
    folio = start + pages
    return folio + 1 if profile == "print" and folio % 2 == 0 else folio


class _Book:
    """One volume's parts: which to lay out next, what came back, and the assembly."""

    def __init__(self, job: TypesetJob, scratch: Path, store: PartStore | None) -> None:
        self.job = job
        self.scratch = scratch
        self.store = store
        self.front = next((p for p in job.parts if p.name == "front"), None)
        self.chapters = [p for p in job.parts if p.name != "front"]
        self.layouts = [_layout_id(job, p) for p in self.chapters]
        self.pages: list[int | None] = [store.pages(layout) if store else None for layout in self.layouts]
        """Page counts known exactly (laid out in this build, or the same HTML in an earlier one)."""
        self.guesses: list[int | None] = [store.last_pages(self._name(p)) if store else None
                                          for p in self.chapters]
        self.results: dict[Key, tuple[PartJob, TypesetResult]] = {}
        self.running: set[Key] = set()
        self.failed = False
        self.finished = False
        self.assembling: set[str] = set()
        """Offprints the workers are assembling."""
        self.reported = False
        """Whether the volume and its offprints are done and reported."""
        self.typeset: list[str] = []
        self.result = TypesetResult(job.lang, job.label)

    def _name(self, part: PartSource) -> str:
        return f"{self.job.label}/{part.name}"

    def starts(self, exact: bool) -> list[int | None]:
        """Each paper's first folio: from exact page counts only, or also from guesses."""
        found: list[int | None] = []
        start: int | None = 1
        for index in range(len(self.chapters)):
            found.append(start)
            pages = self.pages[index]
            if pages is None and not exact:
                pages = self.guesses[index]
            start = next_start(start, pages, self.job.profile) if start is not None and pages is not None else None
        return found

    def wanted(self) -> list[tuple[Key, PartJob]]:
        """Parts that can be laid out now and are neither laid out nor being laid out."""
        if self.failed:
            return []
        items: list[tuple[Key, PartJob]] = []

        def want(key: Key, make: Callable[[], PartJob]) -> None:
            if key not in self.results and key not in self.running:
                items.append((key, make()))

        job = self.job
        if job.profile == "print":
            want(("blank",), lambda: self._part("blank", part_html(job.head, "", BLANK_CSS), 1))
        for index, start in enumerate(self.starts(exact=False)):
            if start is None:
                break
            source = self.chapters[index]
            want(("chapter", index, start), lambda: self._part(
                source.name, part_html(job.head, source.body, chapter_css(start, job.title, job.profile)), start,
                source.body))
        starts = self.starts(exact=True)
        if all(start is not None for start in starts) and all(
                ("chapter", index, start) in self.results for index, start in enumerate(starts)):
            folios = {source.name: start for source, start in zip(self.chapters, starts) if start is not None}
            if self.front is not None:
                body = front_body(self.front.body, folios)
                want(("front",), lambda: self._part("front", part_html(job.head, body, front_css(folios)), 1, body))
            for index, offprint in enumerate(job.offprints):
                span = self.page_range(offprint.slug)
                if span is not None:
                    html = offprint.cover(*span)
                    want(("cover", index), lambda: self._part(f"cover:{offprint.slug}", html, 1))
        return items

    def work_left(self) -> int:
        """Characters of the papers whose page count is still unknown (to speculate where it helps most)."""
        return 0 if self.failed or self.finished else sum(
            len(source.body) for source, pages in zip(self.chapters, self.pages) if pages is None)

    def speculate(self, limit: int) -> list[tuple[Key, PartJob]]:
        """Up to ``limit`` papers whose page count is unknown and that no worker has, each at a folio estimated
        from the pages per character of the papers laid out so far (none yet: nothing to estimate from)."""
        if self.failed or self.finished or limit <= 0:
            return []
        known = [(len(source.body), pages) for source, pages in zip(self.chapters, self.pages) if pages]
        if not known:
            return []
        per_char = sum(pages for _, pages in known) / max(1, sum(size for size, _ in known))
        busy = {key[1] for key in self.running if key[0] == "chapter"}
        items: list[tuple[Key, PartJob]] = []
        start = 1
        job = self.job
        for index, source in enumerate(self.chapters):
            pages = self.pages[index] or self.guesses[index]
            if pages is None and index not in busy and len(items) < limit:
                key = ("chapter", index, start)
                if key not in self.results:
                    css = chapter_css(start, job.title, job.profile)
                    items.append((key, self._part(source.name, part_html(job.head, source.body, css), start,
                                                  source.body)))
            start = next_start(start, pages or max(1, round(len(source.body) * per_char)), job.profile)
        return items

    def page_range(self, slug: str) -> tuple[int, int] | None:
        """A paper's first and last folio, once known."""
        for index, (source, start) in enumerate(zip(self.chapters, self.starts(exact=True))):
            if source.name == slug and start is not None and self.pages[index] is not None:
                return start, start + self.pages[index] - 1  # type: ignore[operator]
        return None

    def _part(self, name: str, html: str, start: int, body: str = "") -> PartJob:
        job = self.job
        safe = hashlib.sha256(f"{name}\0{start}".encode()).hexdigest()[:16]
        return PartJob(job.lang, job.label, name, html, job.base_url, job.allowed_roots,
                       str(self.scratch / f"{safe}.pdf"), start, job.pdf_variant, job.profile, job.sources,
                       job.typography, job.structured_problems, body.count('class="after-call '))

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
        """Sum the parts' results into the volume's; assemble the volume; what its offprints are made of (the
        workers assemble them: :func:`assemble_offprint`)."""
        self.finished = True
        result = self.result
        job = self.job
        ordered = self._ordered()
        for _, _, part_result in ordered:
            _merge(result, part_result)
        result.typeset_parts = list(self.typeset)
        if self.failed or result.error:
            if not result.error:
                result.error = next(r.error for _, r in self.results.values() if r.error)
            return []
        from .assemble import Assembled, Part, assemble

        started = time.perf_counter()
        volume_parts, body_start = self._volume_parts(ordered)
        labels = [(0, {"S": "/r"}), (body_start, {"S": "/D", "St": 1})] if body_start else [(0, {"S": "/D", "St": 1})]
        try:
            assembled: Assembled = assemble(volume_parts, labels, title=job.title, authors=list(job.authors),
                                            lang=job.lang, rights_xmp=job.rights_xmp)
        except Exception as exc:  # noqa: BLE001 - reported as the volume's error
            result.error = f"assembling the parts: {type(exc).__name__}: {exc}"
            return []
        for anchor in assembled.unresolved:
            result.warnings.append(f"a link points to #{anchor}, which no part of the volume has")
        target = Path(job.target)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(assembled.data)
        result.pages = assembled.pages
        result.size_bytes = len(assembled.data)
        result.write_seconds += time.perf_counter() - started
        works = []
        for index, offprint in enumerate(job.offprints):
            cover = self.results.get(("cover", index))
            chapter = next((i for i, p in enumerate(self.chapters) if p.name == offprint.slug), None)
            span = self.page_range(offprint.slug)
            if cover is None or chapter is None or span is None:
                result.warnings.append(f"offprint {offprint.rel_path}: the paper was not found in the volume")
                continue
            paper = self.results[("chapter", chapter, span[0])]
            works.append(OffprintWork(offprint, cover[0].target, paper[0].target, span[0], span[1], job.lang,
                                      job.rights_xmp))
        self.assembling = {work.offprint.rel_path for work in works}
        return works

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
        """The results that make the volume, in reading order: front, blank, papers at their final start, covers."""
        keys: list[Key] = [("front",), ("blank",)]
        keys += [("chapter", index, start) for index, start in enumerate(self.starts(exact=True))]
        keys += [("cover", index) for index in range(len(self.job.offprints))]
        if self.failed:  # whatever came back, so that every problem is reported
            keys = sorted(self.results, key=lambda k: (k[0] != "front", k[0] == "cover", k[1:]))
        return [(key, *self.results[key]) for key in keys if key in self.results]

    def _volume_parts(self, ordered: list[tuple[Key, PartJob, TypesetResult]]) -> tuple[list, int]:
        """The assembler's parts in page order (blank versos where a paper must start on the right), and the
        index of the first paper's first page."""
        from .assemble import Part

        blank = self.results.get(("blank",))
        parts = []
        pages = 0
        body_start = 0
        folio_end = 0  # the last folio of the body so far
        for key, part, part_result in ordered:
            if key[0] in ("blank", "cover"):
                continue
            if key[0] == "chapter":
                if not body_start:
                    if blank is not None and pages % 2 == 1:
                        parts.append(Part("blank", Path(blank[0].target).read_bytes()))
                        pages += 1
                        self.result.report.blank_pages += 1
                    body_start = pages
                elif blank is not None and key[2] > folio_end + 1:
                    parts.append(Part("blank", Path(blank[0].target).read_bytes()))
                    pages += 1
                    self.result.report.blank_pages += 1
                folio_end = key[2] + part_result.pages - 1
            parts.append(Part(part.name, Path(part.target).read_bytes()))
            pages += part_result.pages
        return parts, body_start


def _layout_id(job: TypesetJob, part: PartSource) -> str:
    """What a paper's page count depends on: its HTML (with the head and stylesheet), not its folio."""
    digest = hashlib.sha256()
    for value in (job.head, part.body, str(job.pdf_variant), job.profile, str(job.typography)):
        digest.update(value.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def _merge(total: TypesetResult, part: TypesetResult) -> None:
    """Count a part's result into its volume's."""
    total.weasyprint_version = total.weasyprint_version or part.weasyprint_version
    total.fixes = total.fixes or dict(part.fixes)
    total.layout_seconds += part.layout_seconds
    total.layout_cpu_seconds += part.layout_cpu_seconds
    total.write_seconds += part.write_seconds
    total.peak_rss_mb = max(total.peak_rss_mb, part.peak_rss_mb)
    total.footnotes += part.footnotes
    total.japanese_lines += part.japanese_lines
    total.japanese_flush += part.japanese_flush
    total.slow_font_subsetting = total.slow_font_subsetting or part.slow_font_subsetting
    total.report.add(part.report)
    total.page_map.extend(part.page_map)  # parts merge in page order; blank versos and covers have none
    for message in part.warnings:
        if message not in total.warnings:
            total.warnings.append(message)
    total.refused.extend(url for url in part.refused if url not in total.refused)
    total.problems.extend(problem for problem in part.problems if problem not in total.problems)
    if part.error and not total.error:
        total.error = part.error


def _start_worker(parent: int) -> None:
    """Worker initializer: the parent handles Ctrl-C for the whole build, and the worker ends with its parent.

    A parent killed with -9 (the OOM killer, a CI timeout) cannot end its workers: without this they would
    live on, holding the build's stdout and stderr open, so that whoever captured them waits forever. Linux's
    ``PR_SET_PDEATHSIG`` sends SIGTERM when the parent goes (the pool starts its workers from the thread that
    runs ``run_jobs``, which outlives them); a parent gone already before that is checked for.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: a worker may outlive a parent killed with -9
        pass
    if os.getppid() != parent:
        os._exit(1)


PR_SET_PDEATHSIG = 1
"""prctl(2) option: the signal a process gets when its parent ends."""


def _typeset_whole(job: TypesetJob) -> TypesetResult:
    """The worker's entry point for a volume laid out whole."""
    from .typeset import typeset

    return typeset(job)


def _typeset_part(part: PartJob) -> list[TypesetResult]:
    """The worker's entry point (imports the typesetter, and so WeasyPrint, in the worker only)."""
    from .typeset import typeset_part

    return [typeset_part(part)]


def _typeset_covers(parts: list[PartJob]) -> list[TypesetResult]:
    """The worker's entry point for a batch of offprint covers of one language."""
    from .typeset import typeset_covers

    return typeset_covers(parts)


@dataclass(frozen=True)
class OffprintWork:
    """What a worker needs to assemble one offprint: the offprint, its cover's and its paper's part PDFs, the
    paper's folios, and the volume's language and rights."""

    offprint: OffprintJob
    cover: str
    paper: str
    first: int
    last: int
    lang: str
    rights_xmp: bytes


def assemble_offprint(work: OffprintWork) -> tuple[int, float, str]:
    """Assemble and write one offprint (in a worker): (pages, seconds, error or "")."""
    from .assemble import Part, assemble

    started = time.perf_counter()
    try:
        offprint = work.offprint
        pieces = [Part("cover", Path(work.cover).read_bytes()),
                  Part(offprint.slug, Path(work.paper).read_bytes())]
        made = assemble(pieces, [(0, {"P": "Offprint"}), (1, {"S": "/D", "St": work.first})], title=offprint.title,
                        authors=list(offprint.authors), lang=work.lang, rights_xmp=work.rights_xmp)
        path = Path(offprint.target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(made.data)
    except (OSError, PDFError) as exc:
        return 0, time.perf_counter() - started, str(exc)
    return made.pages, time.perf_counter() - started, ""
