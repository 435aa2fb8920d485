"""Run the print stage's jobs: every part of every volume laid out in a pool of worker processes (never in
the parent, which does not load WeasyPrint), then each volume and offprint assembled from its parts.

A volume is typeset in parts (:func:`.document.split_parts`): the front matter, each paper, the contributors.
Every paper is laid out at once, with no folio or running head (drawn at assembly from one sheet per volume:
:mod:`.furniture`), so its layout, and its entry in the part store (:class:`~.book.PartStore`, the build cache),
do not depend on where it starts: an edit lays out its own paper again and nothing else but the sheet, the
front matter and covers whose numbers moved. Once every paper's page count is known, the front matter is laid
out with the contents' page numbers written in as text (it is numbered in lower-roman figures, so its length
never moves the papers' folios), with the sheet and the offprint covers. In the print profile papers start on a
right-hand page: a blank verso part goes between two papers where needed. A language's covers are laid out
and written in batches of :data:`~.book.COVERS_PER_BATCH` (one stylesheet parse and one font subset for many
one-page documents); an offprint takes its cover's pages out of its batch (:mod:`.extract`). Both
languages' parts share one pool, the largest first. The workers assemble each volume as soon as its own
parts are back (:mod:`.volume`), and the offprints (cover part + paper part + the sheet's pages) once the covers
are: the parent only hands out the work.

A language's papers may be in the workers already: the build hands them over as soon as the language is
planned (:mod:`.early`), and a paper submitted then is taken back here instead of being submitted again.

Each worker holds one part at a time, so memory is bounded by the largest part, not the volume.

Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the parent alone decides what an interrupt
means (it ends the workers and cleans up), so no worker prints a traceback of its own. A worker that dies
(the OOM killer, a crash in a C library) fails the build with one located error instead of a traceback.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PDFError
from ..workers import Workers
from .book import Book, Key, PartStore
from .jobs import PartJob, TypesetJob, TypesetResult
from .offprints import OffprintWork, assemble_offprint
from .volume import assemble_volume

if TYPE_CHECKING:
    from .early import EarlyParts

log = logging.getLogger(__name__)

def run_jobs(jobs: list[TypesetJob], progress: Callable[[TypesetResult], None] | None = None,
             store: PartStore | None = None, workers: Workers | None = None,
             early: EarlyParts | None = None) -> list[TypesetResult]:
    """Typeset every job's parts in spawned worker processes (at most one per core: the build's ``workers``,
    kept for its later outputs, else a pool of this call's own), assemble each job's volume and offprints;
    results in the jobs' order. ``early``: papers the plan already gave the workers (taken, not laid out
    again)."""
    if not jobs:
        return []
    # Beside the PDFs being made (the writer's staging folder in a build): a build killed with -9 leaves no
    # scratch of its own behind, since the next build removes the stale staging folder whole.
    beside = Path(jobs[0].target).parent
    beside.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".parts-", dir=beside))
    books = [Book(job, scratch / str(index), store) for index, job in enumerate(jobs) if job.parts]
    own = workers is None
    build_workers = Workers() if workers is None else workers
    pool = build_workers.pool()
    running: dict[Future, tuple[Book, list[tuple[Key, PartJob]]]] = {}
    assembling: dict[Future, tuple[Book, OffprintWork]] = {}
    volumes: dict[Future, Book] = {}
    whole: dict[str, Future] = {}
    try:
        for job in jobs:
            if not job.parts:
                # A volume's own print/volume.html without the part marks (written before they existed): the
                # whole volume in one layout, the one route besides the parts (test_chapters.py holds it).
                log.info("%s: print/volume.html marks no parts; the volume is laid out whole", job.label)
                whole[job.label] = pool.submit(_typeset_whole, job)
        while True:
            wanted = [(book, key, part) for book in books if not book.finished for key, part in book.wanted()]
            restored = False
            todo = []
            for book, key, part in sorted(wanted, key=_urgency):
                cached = store.restore(part) if store is not None else None
                if cached is not None:
                    book.done(key, part, cached)
                    restored = True
                else:
                    todo.append((book, key, part))
            for book, key, part in todo:
                book.running.add(key)
                taken = early.take(part) if early is not None and key[0] == "chapter" else None
                if taken is not None:  # laid out (or being laid out) since the plan; its PDF is elsewhere
                    running[taken[1]] = (book, [(key, taken[0])])
                elif key[0] == "sheet":
                    running[pool.submit(_typeset_sheet, part)] = (book, [(key, part)])
                elif key[0] == "covers":
                    running[pool.submit(_typeset_covers, part)] = (book, [(key, part)])
                else:
                    running[pool.submit(_typeset_part, part)] = (book, [(key, part)])
            for book in books:
                if book.volume_ready():
                    # The volume goes to the workers as soon as its own parts are back (not waiting for the
                    # covers); its offprints once the covers are back too.
                    volume = book.volume_work()
                    if volume is not None:
                        volumes[pool.submit(assemble_volume, volume)] = book
                if not book.finished and book.complete():
                    for work in book.finish():
                        pages = store.restore_offprint(work.key, work.offprint.target) if store is not None else None
                        if pages is not None:  # assembled before from the same parts
                            book.offprint_done(work, (pages, 0.0, ""))
                        else:
                            assembling[pool.submit(assemble_offprint, work)] = (book, work)
                if book.finished and not book.reported and not book.assembling and not book.volume_pending:
                    book.reported = True
                    if progress is not None:
                        progress(book.result)
            if all(book.reported for book in books):
                break
            if restored:
                continue
            if not running and not assembling and not volumes:
                raise PDFError("the typesetting stalled with parts left to lay out",
                               f"pdf/{next(b.job.label for b in books if not b.finished)}")
            finished, _ = wait([*running, *assembling, *volumes], return_when=FIRST_COMPLETED)
            for future in finished:
                if future in volumes:
                    book = volumes.pop(future)
                    try:
                        book.volume_done(future.result())
                    except BrokenProcessPool:
                        raise PDFError("a worker ended without a result (killed, perhaps for lack of memory) while "
                                       "assembling the volume; nothing was written", f"pdf/{book.job.label}") from None
                    continue
                if future in assembling:
                    book, work = assembling.pop(future)
                    try:
                        outcome = future.result()
                        book.offprint_done(work, outcome)
                        if store is not None and not outcome[2]:
                            store.store_offprint(work.key, book.job, work.offprint.target, outcome[0])
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
    except BaseException as exc:
        # Interrupted or failed: end the workers now rather than wait for their parts to finish.
        build_workers.end()
        shutil.rmtree(scratch, ignore_errors=True)
        if isinstance(exc, BrokenProcessPool):  # a worker died between two submissions (not at a part's result)
            raise PDFError("a typesetting worker ended without a result (killed, perhaps for lack of memory); "
                           "nothing was written", f"pdf/{jobs[0].label}") from None
        raise
    if own:
        build_workers.close()
    shutil.rmtree(scratch, ignore_errors=True)
    return [results[job.label] for job in jobs]


def _urgency(item: tuple[Book, Key, PartJob]) -> tuple[int, int]:
    """The order in which wanted parts go to the workers: a volume's sheet (the longest) and front matter first
    (its assembly waits for them, its offprints only for the covers), then the largest first."""
    return ({"sheet": 0, "front": 1}.get(item[1][0], 2), -len(item[2].html))


def _typeset_whole(job: TypesetJob) -> TypesetResult:
    """The worker's entry point for a volume laid out whole."""
    from .typeset import typeset

    return typeset(job)


def _typeset_part(part: PartJob) -> list[TypesetResult]:
    """The worker's entry point (imports the typesetter, and so WeasyPrint, in the worker only); a paper's
    result carries its flow (for the facing edition)."""
    from .flow import flow_of
    from .typeset import typeset_part

    flows: list[object] = []
    paper = part.name not in ("front", "contributors", "blank") and not part.name.startswith("cover:")
    result = typeset_part(part, (lambda document: flows.append(flow_of(document))) if paper else None)
    if flows and flows[0] is not None:
        result.flows[part.name] = flows[0].as_dict()  # type: ignore[attr-defined]
    return [result]


def _typeset_sheet(part: PartJob) -> list[TypesetResult]:
    """The worker's entry point for a volume's sheet of running heads and folios."""
    from .furniture import typeset_sheet

    return [typeset_sheet(part)]


def _typeset_covers(part: PartJob) -> list[TypesetResult]:
    """The worker's entry point for a batch of offprint covers of one language."""
    from .typeset import typeset_covers

    return [typeset_covers(part)]
