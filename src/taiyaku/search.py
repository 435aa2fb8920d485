"""Search stage: a static full-text index of the staged site, one per language, made by Pagefind.

Pagefind (``pagefind-bin-extended`` on PyPI: the binary with Japanese word segmentation) reads the staged
``html/`` folder, indexes every page that marks its text with ``data-pagefind-body`` under the language of its
``<html lang>``, and writes the index into a temporary folder; the files the browser needs are then moved into
the staged ``html/pagefind/``, which the writer swaps in with the rest of the site. Nothing is fetched from the
network.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostics
from .writer import OutputWriter

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


def write_search_index(writer: OutputWriter, diagnostics: Diagnostics) -> SearchIndex | None:
    """Index the staged ``html/`` folder and write the index to ``html/pagefind/``; None when nothing was done.

    A missing or failing Pagefind is a warning: the site works without search, and its field says so.
    """
    site = writer.stage / "html"
    if "html" not in writer.sections or not (site / "index.html").is_file():
        return None
    executable = pagefind_executable()
    where = f"html/{SEARCH_DIR}"
    if executable is None:
        diagnostics.warning(where, None, "search", "pagefind-bin-extended is not installed: the site has no search "
                            "index (pip install pagefind-bin-extended; make setup does)")
        return None
    # A partial build (--lang) carried the previous index over with the other languages' pages: made anew.
    if any(path.startswith(f"{where}/") for path in writer.written):
        diagnostics.warning(where, None, "search", f"{where}/ is taken by another output: the site has no search index")
        return None
    shutil.rmtree(site / SEARCH_DIR, ignore_errors=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=".search-", dir=writer.stage) as tmp:  # same disk: a rename
        out = Path(tmp) / SEARCH_DIR
        command = [str(executable), "--site", str(site), "--output-path", str(out), "--keep-index-url", "--quiet"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            diagnostics.warning(where, None, "search", f"Pagefind could not run: {exc}; the site has no search index")
            return None
        if done.returncode != 0 or not (out / "pagefind.js").is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()
            diagnostics.warning(where, None, "search", f"Pagefind failed (exit {done.returncode})"
                                + (f": {detail[-1]}" if detail else "") + "; the site has no search index")
            return None
        for name in UNUSED_FILES:
            (out / name).unlink(missing_ok=True)
        _sort_entry(out / "pagefind-entry.json")
        index = SearchIndex(0, 0, 0.0, _pages_per_language(out))
        for path in out.rglob("*"):
            if path.is_file():
                index.files += 1
                index.bytes += path.stat().st_size
        # The index is one derived folder, swapped in with html/ like everything staged; it is not counted among
        # the build's files (its file names are Pagefind's content hashes).
        shutil.move(out, site / SEARCH_DIR)
    index.seconds = time.perf_counter() - started
    log.debug("search index: %s pages, %d files, %.0f kB, %.1f s",
             ", ".join(f"{count} {lang}" for lang, count in sorted(index.pages.items())) or "no",
             index.files, index.bytes / 1000, index.seconds)
    return index


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
