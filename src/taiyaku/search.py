"""Search stage: a static full-text index of the staged site, one per language, made by Pagefind.

Pagefind (``pagefind-bin-extended`` on PyPI: the binary with Japanese word segmentation) reads the staged
``html/`` folder, indexes every page that marks its text with ``data-pagefind-body`` under the language of its
``<html lang>``, and writes the index into a temporary folder; the files the browser needs are then moved into
the staged ``html/pagefind/``, which the writer swaps in with the rest of the site. Nothing is fetched from the
network.

Pagefind's browser side needs ``fetch`` and module scripts, which browsers refuse to pages opened from disk
(``file://``). Beside its index, :func:`write_disk_index` writes one small script per language
(``pagefind/disk-<lang>.js``: each searchable page's title and text), which a ``<script src>`` can load from disk;
``site.js`` searches it when Pagefind cannot run (opened from disk, or no Pagefind index). It is a plain
substring search — no stemming, no ranking beyond counts — so Pagefind stays the engine whenever it can run.
Hand-written rather than a library: it is forty lines of parsing with the standard library's HTML parser, and
no maintained search library loads over ``file://``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Diagnostics
from .writer import OutputWriter

if TYPE_CHECKING:
    from .search_early import EarlyIndex

log = logging.getLogger(__name__)

SEARCH_DIR = "pagefind"
"""Folder of the index in the site (``html/pagefind/``); ``site.js`` loads ``pagefind.js`` from it."""

UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
"""Pagefind's ready-made interfaces: the theme has its own search field, so these are not published."""

TIMEOUT_SECONDS = 300


@dataclass
class SearchIndex:
    """What the indexer wrote, for the log and the benchmark."""

    files: int
    bytes: int
    seconds: float
    pages: dict[str, int]
    """Language → pages indexed."""


def pagefind_executable() -> Path | None:
    """The Pagefind binary shipped by ``pagefind-bin-extended``, or None when the package is missing."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        return None
    try:
        return get_executable()
    except FileNotFoundError:
        return None


def write_search_index(writer: OutputWriter, diagnostics: Diagnostics,
                       early: EarlyIndex | None = None) -> SearchIndex | None:
    """Index the staged ``html/`` folder and write the index to ``html/pagefind/``; None when nothing was done.
    ``early``: the index of the site's trial rendering (:mod:`.search_early`), taken if the pages read the same.

    A missing or failing Pagefind is a warning: the site works without search, and its field says so.
    """
    site = writer.stage / "html"
    if "html" not in writer.sections or not (site / "index.html").is_file():
        return None
    where = f"html/{SEARCH_DIR}"
    try:
        # A partial build (--lang) carried the previous index over with the other languages' pages: made anew.
        if any(path.startswith(f"{where}/") for path in writer.written):
            diagnostics.warning(where, None, "search",
                                f"{where}/ is taken by another output: the site has no search index")
            return None
        shutil.rmtree(site / SEARCH_DIR, ignore_errors=True)
        with tempfile.TemporaryDirectory(prefix=".search-", dir=writer.stage) as tmp:  # same disk: a rename
            made = early.take(site) if early is not None else None
            out, index, problem = made or make_index(site, Path(tmp))
            if problem:
                diagnostics.warning(where, None, "search", problem)
            # The index is one derived folder, swapped in with html/ like everything staged; it is not counted
            # among the build's files (its file names are Pagefind's content hashes).
            shutil.move(out, site / SEARCH_DIR)
        return index
    finally:
        if early is not None:
            early.cancel()  # what is left of its work


def make_index(site: Path, work: Path,
               run: Callable[[list[str], float], subprocess.CompletedProcess[str]] | None = None,
               ) -> tuple[Path, SearchIndex | None, str]:
    """Index the pages of ``site`` into ``work/pagefind/`` (Pagefind's index and the one for pages opened from
    disk); returns that folder, what Pagefind wrote and a problem ("" when none). Without Pagefind, or when it
    fails, the folder holds only the index from disk, and the problem says so. ``run(command, timeout)``: runs
    Pagefind (default :func:`subprocess.run`, output captured)."""
    started = time.perf_counter()
    out = work / SEARCH_DIR
    executable = pagefind_executable()
    if executable is None:
        write_disk_index(site, out)
        return out, None, ("pagefind-bin-extended is not installed: the site searches only its plain-text index "
                           "(pip install pagefind-bin-extended; make setup does)")
    indexed = _searchable_site(site, work / "site")
    command = [str(executable), "--site", str(indexed), "--output-path", str(out), "--keep-index-url", "--quiet"]
    problem = ""
    try:
        done = run(command, TIMEOUT_SECONDS) if run is not None else \
            subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problem = f"Pagefind could not run: {exc}"
    else:
        if done.returncode != 0 or not (out / "pagefind.js").is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()
            problem = f"Pagefind failed (exit {done.returncode})" + (f": {detail[-1]}" if detail else "")
    if problem:
        shutil.rmtree(out, ignore_errors=True)  # whatever it wrote before failing
        write_disk_index(site, out)
        return out, None, problem + "; the site searches only its plain-text index"
    return out, finish_index(site, out, started), ""


def finish_index(site: Path, out: Path, started: float) -> SearchIndex:
    """What every index written by Pagefind into ``out`` gets: its ready-made interfaces removed, its entry
    sorted, the index for pages opened from disk beside it; what it holds, and the time since ``started``."""
    for name in UNUSED_FILES:
        (out / name).unlink(missing_ok=True)
    _sort_entry(out / "pagefind-entry.json")
    write_disk_index(site, out)
    index = SearchIndex(0, 0, 0.0, _pages_per_language(out))
    for path in out.rglob("*"):
        if path.is_file():
            index.files += 1
            index.bytes += path.stat().st_size
    index.seconds = time.perf_counter() - started
    log.debug("search index: %s pages, %d files, %.0f kB, %.1f s",
              ", ".join(f"{count} {lang}" for lang, count in sorted(index.pages.items())) or "no",
              index.files, index.bytes / 1000, index.seconds)
    return index


def _searchable_site(site: Path, mirror: Path) -> Path:
    """The folder Pagefind should read: ``mirror``, holding links to the pages marked ``data-pagefind-body``.

    Pagefind parses every page before it ignores the unmarked ones, and the parallel views hold both languages'
    text: half of the HTML of a volume, twice the time. The index is the same (the URLs are relative to the
    folder read). A site without marked pages, or a file system without hard links, is read whole.
    """
    pages = [path for path in sorted(site.rglob("*.html"))
             if not path.relative_to(site).as_posix().startswith(f"{SEARCH_DIR}/") and is_searchable(path)]
    if not pages:
        return site
    try:
        for path in pages:
            target = mirror / path.relative_to(site)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
    except OSError as exc:
        log.debug("search: cannot link the pages to index (%s); Pagefind reads the whole site", exc)
        shutil.rmtree(mirror, ignore_errors=True)
        return site
    return mirror


def is_searchable(path: Path) -> bool:
    """Whether a page marks text for the index (a byte search: the page is not parsed)."""
    try:
        return b"data-pagefind-body" in path.read_bytes()
    except OSError:
        return False


def _pages_per_language(out: Path) -> dict[str, int]:
    """Pages indexed per language, from Pagefind's ``pagefind-entry.json``."""
    try:
        entry = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {lang: int(info.get("page_count", 0)) for lang, info in entry.get("languages", {}).items()}


def _sort_entry(path: Path) -> None:
    """Pagefind lists the languages in ``pagefind-entry.json`` in any order: sorted, the output is deterministic."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    path.write_text(json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")


# --- the index for pages opened from disk ---------------------------------------------------------------------

DISK_INDEX = "disk-{lang}.js"
"""One script per language in ``html/pagefind/``; ``site.js`` loads it by this name."""
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote", "figcaption",
           "pre", "div", "section", "article", "aside", "tr", "caption", "ol", "ul", "table", "figure", "br"}
_SPACES = re.compile(r"\s+")
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_ANCHOR_OPEN, _ANCHOR_CLOSE = "\ue000", "\ue001"
"""Around a section heading's id in the collected text (private-use characters: never in a page's text)."""
_ANCHOR = re.compile(f"{_ANCHOR_OPEN}([^{_ANCHOR_CLOSE}]*){_ANCHOR_CLOSE}")
_UNSEARCHED = re.compile("[\u2060\u200b\u00ad\u21a9\ufe0e]")
"""Joiners and soft hyphens (the site binds calls and numbers with them: "1951\u2060年" must match "1951年"),
and the footnotes' back links (↩︎)."""


@dataclass
class DiskPage:
    """One searchable page: its site path, its first ``<h1>``, its text (what Pagefind would index)."""

    url: str
    title: str
    text: str
    anchors: list[tuple[int, str]]
    """Where each section starts in ``text`` and its heading's id: a result opens at the section it matched in."""


class _PageText(HTMLParser):
    """The text of the ``data-pagefind-body`` element, without ``data-pagefind-ignore`` parts (Pagefind's rules)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.depth = 0  # open elements inside the body element (0: outside)
        self.ignored = 0  # depth at which an ignored subtree started (0: none)
        self.in_title = False
        self.title: list[str] = []
        self.parts: list[str] = []
        self.boundary = False  # an inline element started or ended since the last text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "html":
            self.lang = names.get("lang") or ""
        if tag in _VOID:
            if self.depth and tag == "br":
                self.parts.append(" ")
            return
        if self.depth:
            self.depth += 1
            self.boundary = True
            if not self.ignored and "data-pagefind-ignore" in names:
                self.ignored = self.depth
            if tag in _BLOCKS:
                self.parts.append(" ")
            if tag == "h1" and not self.title and not self.ignored:
                self.in_title = True
            elif tag in _HEADINGS and names.get("id") and not self.ignored:
                self.parts.append(f"{_ANCHOR_OPEN}{names['id']}{_ANCHOR_CLOSE}")
        elif "data-pagefind-body" in names:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if not self.depth or tag in _VOID:
            return
        if tag == "h1":
            self.in_title = False
        if self.ignored == self.depth:
            self.ignored = 0
        if tag in _BLOCKS:
            self.parts.append(" ")
        self.boundary = True
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)  # shown as the result's title, not repeated in its excerpt
            return
        if self.depth and not self.ignored:
            # Two inline elements set apart by styling only ("Whitcombe" + "Senior Fellow"): a word boundary in
            # Latin text. Japanese runs on without one, as it is written.
            if self.boundary and self.parts and self.parts[-1][-1:].isascii() and self.parts[-1][-1:].isalpha() \
                    and data[:1].isascii() and data[:1].isupper():
                self.parts.append(" ")
            self.boundary = False
            self.parts.append(_UNSEARCHED.sub("", data))


def disk_pages(site: Path) -> dict[str, list[DiskPage]]:
    """Language → the searchable pages of the site, in path order."""
    found: dict[str, list[DiskPage]] = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(f"{SEARCH_DIR}/"):
            continue
        html = path.read_text(encoding="utf-8")
        if "data-pagefind-body" not in html:
            continue  # not a searchable page (a parallel view: both languages' text, the largest pages)
        parser = _PageText()
        parser.feed(html)
        parser.close()
        text, anchors = _anchored(_SPACES.sub(" ", "".join(parser.parts)).strip())
        if not parser.depth and not text:
            continue  # no data-pagefind-body: not a searchable page
        title = _SPACES.sub(" ", "".join(parser.title)).strip() or rel
        found.setdefault(parser.lang or "und", []).append(DiskPage(rel, title, text, anchors))
    return found


def write_disk_index(site: Path, folder: Path) -> dict[str, int]:
    """Write ``disk-<lang>.js`` for every language into ``folder``; language → pages."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for lang, pages in disk_pages(site).items():
        if not re.fullmatch(r"[A-Za-z0-9-]+", lang):
            continue
        data = json.dumps([[page.url, page.title, page.text, page.anchors] for page in pages], ensure_ascii=False,
                          separators=(",", ":"))
        script = f"(window.taiyakuDiskIndex = window.taiyakuDiskIndex || {{}})[{json.dumps(lang)}] = {data};\n"
        (folder / DISK_INDEX.format(lang=lang)).write_text(script, encoding="utf-8")
        counts[lang] = len(pages)
    return counts


def _anchored(marked: str) -> tuple[str, list[tuple[int, str]]]:
    """The text without its heading marks, and where each marked section starts in it."""
    anchors: list[tuple[int, str]] = []
    parts: list[str] = []
    length, at = 0, 0
    for match in _ANCHOR.finditer(marked):
        piece = marked[at:match.start()]
        parts.append(piece)
        length += len(piece)
        anchors.append((length, match[1]))
        at = match.end()
        if length == 0 and marked[at:at + 1] == " ":
            at += 1  # no leading space when the text starts with a section
    parts.append(marked[at:])
    return "".join(parts), anchors
