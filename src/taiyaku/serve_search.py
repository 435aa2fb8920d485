"""``serve``'s search index: made in a thread after each build has reached the browser, swapped in whole.

Pagefind takes a second or more on the sample (most of it loading its Japanese dictionary), three times what
the rest of a rebuild takes, so the preview builds the site without it (``BuildOptions.preview``), reloads the
page, and only then indexes. Each build's searchable pages are linked into a snapshot first (hard links: the next
build may replace the site while Pagefind reads them), and the index is made from the newest snapshot into a
folder of its own; builds that came while one was indexed are skipped for the newest. ``/pagefind/…`` is answered
from the newest finished index, then the one before it: a search that started on the previous index (its
``pagefind-entry.json`` names files by content hash) finds its files until the index after next replaces it.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from .search import SEARCH_DIR, is_searchable, make_index

log = logging.getLogger(__name__)


class LiveSearch:
    """The preview's search index, made in a background thread; ``on_ready(version)`` after each swap."""

    def __init__(self, folder: Path, on_ready: Callable[[int], None]) -> None:
        self.folder = folder
        self.on_ready = on_ready
        self.version = 0
        """Snapshots taken so far; the newest is the one to index."""
        self.ready = 0
        """The version of the index answering (0: none yet)."""
        self.indexes: list[Path] = []
        """The finished index folders answering, newest first (at most two)."""
        self._changed = threading.Condition()
        self._closed = False
        self._warned = ""
        self._thread = threading.Thread(target=self._work, name="taiyaku-search", daemon=True)
        self._thread.start()

    def update(self, site: Path) -> None:
        """Take a snapshot of ``site``'s searchable pages and have it indexed (after any index being made)."""
        with self._changed:
            self.version += 1
            version = self.version
        snapshot = self.folder / f"pages-{version}"
        link_pages(site, snapshot)
        with self._changed:
            self._changed.notify_all()

    def folders(self) -> list[Path]:
        """The index folders answering ``/pagefind/…``, newest first (none before the first is made)."""
        with self._changed:
            return list(self.indexes)

    def close(self) -> None:
        """Stop the thread after the index it is making (the folder is the caller's to remove)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join(timeout=30)

    def _work(self) -> None:
        done = 0
        while True:
            with self._changed:
                while not self._closed and (self.version == done or not self._snapshot(self.version).is_dir()):
                    self._changed.wait()
                if self._closed:
                    return
                version = self.version
            for skipped in range(done + 1, version):  # older builds: the newest replaces them
                shutil.rmtree(self._snapshot(skipped), ignore_errors=True)
            done = version
            try:
                self._index(version)
            except OSError as exc:  # the preview keeps its previous index; the next build tries again
                log.warning("search index not updated: %s", exc)

    def _index(self, version: int) -> None:
        work = self.folder / f"index-{version}"
        out, index, problem = make_index(self._snapshot(version), work)
        shutil.rmtree(self._snapshot(version), ignore_errors=True)
        shutil.rmtree(work / "site", ignore_errors=True)  # the links Pagefind read
        if self._closed:
            return  # stopped meanwhile (Ctrl-C reaches Pagefind too): nothing to say
        if problem and problem != self._warned:
            log.warning("%s: %s", SEARCH_DIR, problem)
        self._warned = problem
        with self._changed:
            retired = self.indexes[1:]
            self.indexes = [out, *self.indexes[:1]]
            self.ready = version
        for old in retired:
            shutil.rmtree(old.parent, ignore_errors=True)
        if index is not None:
            log.debug("search index %d ready in %.2f s", version, index.seconds)
        self.on_ready(version)

    def _snapshot(self, version: int) -> Path:
        return self.folder / f"pages-{version}"


def link_pages(site: Path, into: Path) -> None:
    """Hard-link ``site``'s pages to index into ``into`` (those marked ``data-pagefind-body``, or every page of a
    theme that marks none); copied where the file system has no hard links. Made under a temporary name and
    renamed, so that the indexer never sees half a snapshot."""
    pages = [path for path in sorted(site.rglob("*.html"))
             if not path.relative_to(site).as_posix().startswith(f"{SEARCH_DIR}/")]
    marked = [path for path in pages if is_searchable(path)]
    partial = into.with_name(into.name + ".partial")
    for path in marked or pages:
        target = partial / path.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
    partial.mkdir(parents=True, exist_ok=True)
    os.replace(partial, into)
