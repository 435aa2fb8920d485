"""Papers handed to the workers while the plan goes on (:class:`EarlyParts`): a language's papers are laid out
as soon as its job is planned, not once every language's is.

Why: planning a language (its print Markdown, the JLReq preparation, the covers' HTML) takes the parent about
half a second on the sample x8, during which the workers, started before reading, had nothing to do. A paper's
layout depends only on its own part (:mod:`.furniture` draws the folios at assembly), so it can start before
the other languages are planned; :func:`.run.run_jobs` then takes the worker's result for the very part it
would have submitted (the same job, so the same HTML) instead of submitting it again. Papers already in the part
store, and every part of a job the cache holds whole, are left alone. If the build stops before typesetting
(a problem found by a later plan), what was laid out early is thrown away with the staging folder.
"""

from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import Future, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..workers import Workers
from .book import Book
from .cache import PartCache, PDFCache
from .jobs import PartJob, TypesetJob, TypesetResult
from .run import _typeset_part


class EarlyParts:
    """Papers submitted as each language's job is planned, and taken back by :func:`.run.run_jobs`."""

    def __init__(self, workers: Workers, beside: Path, store: PartCache | None = None,
                 whole: PDFCache | None = None) -> None:
        """``beside``: where the parts' scratch folder goes (the staging folder's ``pdf/``); ``store``: the part
        store (:class:`.cache.PartCache`), whose parts are not laid out again; ``whole``: the volumes' cache
        (:class:`.cache.PDFCache`), whose volumes are not laid out at all."""
        self.workers = workers
        self.beside = beside
        self.store = store
        self.whole = whole
        self.scratch: Path | None = None
        self.submitted: dict[tuple[str, str], tuple[PartJob, Future[list[TypesetResult]]]] = {}
        workers.on_close(self.close)  # a build stopped before typesetting leaves nothing queued

    def submit(self, job: TypesetJob) -> None:
        """Hand the job's papers that no cache holds to the workers, the longest first (an edit's one paper waits
        for the prestarted worker rather than start another: :func:`..workers._start_when_needed`)."""
        if not job.parts or (self.whole is not None and self.whole.holds(job)):
            return
        if self.scratch is None:
            self.beside.mkdir(parents=True, exist_ok=True)
            self.scratch = Path(tempfile.mkdtemp(prefix=".early-", dir=self.beside))
        book = Book(job, self.scratch / job.label, None)
        papers = [part for key, part in book.wanted() if key[0] == "chapter"
                  and not (self.store is not None and self.store.holds(part))]
        pool = self.workers.pool()
        for part in sorted(papers, key=lambda p: -len(p.html)):
            try:
                self.submitted[(job.label, part.name)] = (part, pool.submit(_typeset_part, part))
            except BrokenProcessPool:
                return  # a worker died: the run reports it (for the part it was laying out, or at its submission)

    def take(self, part: PartJob) -> tuple[PartJob, Future[list[TypesetResult]]] | None:
        """The part submitted early that is ``part`` (its PDF written elsewhere), with its future; else None."""
        found = self.submitted.get((part.label, part.name))
        if found is None or found[0].html != part.html or found[0].lang != part.lang:
            return None
        del self.submitted[(part.label, part.name)]
        return found

    def close(self, ending: bool = False) -> None:
        """After the volumes are assembled, or when the build stops first: parts never taken are cancelled, and
        those already being laid out waited for (unless the workers are being ``ending``: then they go with
        them), so that no work of this build outlives it in the workers; the scratch folder removed."""
        left = [future for _part, future in self.submitted.values() if not future.cancel()]
        self.submitted.clear()
        if left and not ending:
            wait(left)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

