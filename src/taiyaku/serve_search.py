"""``serve``'s search index: made in a thread after each build has reached the browser, swapped in whole.

Pagefind takes a second or more on the sample (most of it loading its Japanese dictionary), three times what
the rest of a rebuild takes, so the preview builds the site without it (``BuildOptions.preview``), reloads the
page, and only then indexes. Each build's searchable pages are linked into a snapshot first (hard links: the next
build may replace the site while Pagefind reads them), and the index is made from the newest snapshot into a
folder of its own; builds that came while one was indexed are skipped for the newest. ``/pagefind/…`` is answered
from the newest finished index, then the one before it: a search that started on the previous index (its
``pagefind-entry.json`` names files by content hash) finds its files until the index after next replaces it.

Pagefind runs as a service (``--service``: requests over its standard input) for the whole session, at a lower
priority than the preview: it loads its dictionary once, and each index after the first takes a fraction of a
run of the command, with the same files. Where the service cannot run, each index is a run of the command
(:func:`.search.make_index`).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .search import (
    SEARCH_DIR,
    SearchIndex,
    finish_index,
    is_searchable,
    make_index,
    pagefind_executable,
)

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
        self._service: PagefindService | None = None
        self._service_failed = False
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
        """Stop the thread, and the index it is making (the folder is the caller's to remove)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        if self._service is not None:
            self._service.close()  # an index being made ends with it: nothing waits for it
        self._thread.join(timeout=30)
        if self._service is not None:
            self._service.close()  # started meanwhile

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
        made = self._by_service(self._snapshot(version), work)
        if made is None and self._closed:
            return
        out, index, problem = made or make_index(self._snapshot(version), work)
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

    def _by_service(self, pages: Path, work: Path) -> tuple[Path, SearchIndex, str] | None:
        """The index made by the Pagefind service (started at the first index); None where it cannot run."""
        if self._service_failed:
            return None
        started = time.perf_counter()
        out = work / SEARCH_DIR
        try:
            if self._service is None:
                executable = pagefind_executable()
                if executable is None:
                    raise OSError("pagefind-bin-extended is not installed")
                self._service = PagefindService(executable)
            self._service.index(pages, out)
        except OSError as exc:
            log.debug("the Pagefind service stopped (%s): each index is a run of the command", exc)
            self._service_failed = True
            if self._service is not None:
                self._service.close()
            shutil.rmtree(work, ignore_errors=True)
            return None
        return out, finish_index(pages, out, started), ""


class PagefindService:
    """``pagefind --service``: requests and answers as base64-encoded JSON, each followed by a comma."""

    def __init__(self, executable: Path) -> None:
        # A session of its own: Ctrl-C in the terminal stops the preview, which then ends the service (it also
        # exits when its input closes, should the preview be killed).
        self.process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        try:  # the preview's builds and the browser come first
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 10)
        except OSError:
            pass
        self.message = 0

    def index(self, pages: Path, out: Path) -> None:
        """Index the folder ``pages`` into ``out`` as ``pagefind --site pages --output-path out`` would."""
        index_id = self._ask({"type": "NewIndex", "config": {"keep_index_url": True}})["index_id"]
        try:
            self._ask({"type": "AddDir", "index_id": index_id, "path": str(pages)})
            self._ask({"type": "WriteFiles", "index_id": index_id, "output_path": str(out)})
        finally:
            self._ask({"type": "DeleteIndex", "index_id": index_id})
        if not (out / "pagefind.js").is_file():
            raise OSError(f"no index written into {out}")

    def close(self) -> None:
        """End the service (it exits when its input closes, even in the middle of an index)."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()

    def _ask(self, payload: dict) -> dict:
        """Send one request; its answer's payload (an ``Error`` answer is an OSError, as a dead service is)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.message += 1
        request = json.dumps({"message_id": self.message, "payload": payload}).encode("utf-8")
        try:
            self.process.stdin.write(base64.b64encode(request) + b",")
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError) as exc:
            raise OSError(f"the service is gone: {exc}") from None
        answer = bytearray()
        while not answer.endswith(b","):
            chunk = self.process.stdout.read(1)
            if not chunk:
                raise OSError(f"the service ended (exit {self.process.poll()})")
            answer += chunk
        reply = json.loads(base64.b64decode(bytes(answer[:-1])))["payload"]
        if reply.get("type") == "Error":
            raise OSError(reply.get("message") or "an error")
        return reply


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
