"""The search index made early: Pagefind reads the site's trial rendering while the other outputs run.

The site is rendered twice in a build: once while planning, with the files the other outputs will make (sizes and
page ranges unknown), and once at the end with those files. What Pagefind indexes does not depend on them — the
sizes, the offprints' page ranges and the citations are outside the ``data-pagefind-body`` element or inside its
``data-pagefind-ignore`` parts — so the index of the trial rendering is made in the background while the PDFs, the
EPUBs and the facing edition run (a second or more of Japanese word segmentation, on the sample half of a
one-paragraph rebuild), and taken at the end if every searchable page reads the same to Pagefind
(:func:`search_view`); if one does not, the final pages are indexed as before. The index is then the same, byte
for byte, as one made from the final pages (``tests/test_search_early.py``).

What "reads the same" means follows Pagefind's documented inputs: the ``<html lang>``; the ``data-pagefind-body``
element whole — every tag with its attributes, every text except that of ``data-pagefind-ignore`` parts (unless it
is the content of a ``data-pagefind-meta``, ``-filter`` or ``-sort`` element, which are read even there);
anywhere on the page, the first ``h1`` (the default title), ``img`` tags (the default image) and every element
with a ``data-pagefind-*`` attribute with its text. A page whose structure the parser cannot follow (an end tag
that closes nothing open) must be the same byte for byte.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import threading
from html.parser import HTMLParser
from pathlib import Path

from .model import OutputFile
from .search import _BLOCKS, SEARCH_DIR, SearchIndex, is_searchable, make_index

log = logging.getLogger(__name__)

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _SearchView(HTMLParser):
    """The parts of a page Pagefind reads, as a list of tokens (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[object] = []
        self.stack: list[tuple[str, bool, bool, bool]] = []  # tag; in the body; ignored; captured
        self.unsure = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        in_body, ignored, captured = self.stack[-1][1:] if self.stack else (False, False, False)
        names = [name for name, _ in attrs]
        if tag == "html":
            self.tokens.append(("lang", dict(attrs).get("lang")))
        # Read even outside the body, or inside its ignored parts: what names a filter, a meta or a sort key
        # (any other data-pagefind-* too: more is compared, never less), and the first h1 (the default title).
        marks = any(name.startswith("data-pagefind") and name not in ("data-pagefind-body", "data-pagefind-ignore")
                    for name in names)
        # Of the ignored parts, only what Pagefind still reads there (and the ids: where results may open), and
        # the block elements by name (the index for pages opened from disk spaces text at them).
        if (in_body and not ignored) or marks or tag in ("h1", "img") or "data-pagefind-body" in names \
                or (in_body and "id" in names):
            self.tokens.append((tag, tuple(attrs)))
        elif in_body and (tag in _BLOCKS or tag == "br"):
            self.tokens.append(("block", tag))
        if tag in _VOID:
            return
        self.stack.append((tag, in_body or "data-pagefind-body" in names, ignored or "data-pagefind-ignore" in names,
                           captured or marks or tag == "h1"))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.unsure = True
            return
        _, in_body, ignored, _ = self.stack.pop()
        if in_body and not ignored:
            self.tokens.append(("/", tag))
        elif in_body and tag in _BLOCKS:
            self.tokens.append(("/block", tag))

    def handle_data(self, data: str) -> None:
        in_body, ignored, captured = self.stack[-1][1:] if self.stack else (False, False, False)
        if (in_body and not ignored) or captured:
            self.tokens.append(data)


def search_view(html: bytes) -> object:
    """What Pagefind reads of a page: equal views, equal index entries. Unparsed, the page's bytes."""
    parser = _SearchView()
    try:
        parser.feed(html.decode("utf-8"))
        parser.close()
    except (UnicodeDecodeError, AssertionError):
        return html
    return html if parser.unsure or parser.stack else parser.tokens


class EarlyIndex:
    """Pagefind run in a thread over the searchable pages of a trial rendering, taken if the final pages match."""

    def __init__(self, files: list[OutputFile], stage: Path) -> None:
        self.pages = {f.rel_path: f.data for f in files
                      if f.rel_path.endswith(".html") and b"data-pagefind-body" in f.data}
        self.work = Path(tempfile.mkdtemp(prefix=".search-early-", dir=stage))  # same disk as the site: a rename
        self._process: subprocess.Popen[str] | None = None
        self._cancelled = False
        self._lock = threading.Lock()
        self._made: tuple[Path, SearchIndex | None, str] | None = None
        self._views: dict[str, object] = {}
        self._thread = threading.Thread(target=self._index, name="taiyaku-search-early", daemon=True)
        if self.pages:  # else Pagefind reads the whole site, not only marked pages: nothing to do early
            self._thread.start()

    def _index(self) -> None:
        site = self.work / "trial"
        try:
            for rel, data in self.pages.items():
                target = site / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            self._made = make_index(site, self.work, run=self._run)
        except (OSError, _Cancelled) as exc:  # a full disk, a build that stopped: the final pages are indexed
            log.debug("search: no index made early (%s)", exc)
            self._made = None

    def _run(self, command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        """``subprocess.run``, with the process kept so that :meth:`cancel` can end it."""
        with self._lock:
            if self._cancelled:
                raise _Cancelled("the build stopped")
            self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # While Pagefind reads: what it reads of each trial page, for take() (the build's process is mostly
        # waiting for its workers now, and busy at the end, when take() compares).
        for rel, data in self.pages.items():
            if self._cancelled:
                break
            self._views[rel] = search_view(data)
        try:
            out, err = self._process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
            raise
        if self._cancelled:  # killed by cancel(): not a failure to report, nor worth the index from disk
            raise _Cancelled("the build stopped")
        return subprocess.CompletedProcess(command, self._process.returncode, out, err)

    def take(self, site: Path) -> tuple[Path, SearchIndex | None, str] | None:
        """The index, if the searchable pages of the staged ``site`` read as the trial's did; else None (the
        early work is removed). The folder returned is the caller's to move."""
        if not self.pages:
            return None
        self._thread.join()
        pages = [path for path in sorted(site.rglob("*.html"))
                 if not path.relative_to(site).as_posix().startswith(f"{SEARCH_DIR}/") and is_searchable(path)]
        changed = sorted({path.relative_to(site).as_posix() for path in pages} ^ set(self.pages))
        for path in pages:
            rel = path.relative_to(site).as_posix()
            if changed:
                break
            data = path.read_bytes()
            if data != self.pages[rel] and search_view(data) != self._view(rel):
                changed.append(rel)
        if changed or self._made is None or self._made[2] or self._cancelled:
            # (A Pagefind that failed beside the PDFs' workers — memory, time — may succeed alone.)
            log.debug("search: %s: indexed again", f"{changed[0]} reads differently from its trial rendering"
                      if changed else "no index made early")
            self.cancel()
            return None
        log.debug("search: the index of the trial rendering is taken (%d pages)", len(pages))
        return self._made

    def _view(self, rel: str) -> object:
        """What Pagefind read of the trial page ``rel``."""
        found = self._views.get(rel)
        return found if found is not None else search_view(self.pages[rel])

    def cancel(self) -> None:
        """The build stopped, or the early index is not taken: Pagefind ends, its folder goes."""
        with self._lock:
            self._cancelled = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
        if self._thread.is_alive():
            self._thread.join()
        shutil.rmtree(self.work, ignore_errors=True)


class _Cancelled(Exception):
    """The build stopped while Pagefind read the trial pages (not an ``OSError``: make_index reports those)."""
