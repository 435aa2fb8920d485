"""The print edition's page numbers in the EPUB: page-break markers and the page-list.

The PDF stage records, for each page of a language's volume PDF that holds content, its folio as printed and
the block that holds the page's start (``TypesetResult.page_map``: ``[["iii", "contents"], ["12",
"treaty-history/7"], …]``). The EPUB puts a marker before that block, so a page that starts inside a paragraph
is marked before the paragraph: block precision, which is what reading systems show anyway.

Where the map comes from: the PDF output of this build (its volume artifact carries it), else the map the last
build recorded in the cache folder (``<cache>/epub/pages-<slug>-<lang>.json``) if the papers' text is still what
that PDF was made from (a digest of it is recorded too: a page-list of an older text would send a reader citing
"p. 12" to the wrong place), else none: the edition is then made without a page-list, and the build says so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..outputs import Artifact

log = logging.getLogger(__name__)

PageMap = list[list[str]]
"""[[folio, block], …] in page order."""


@dataclass
class PageMarks:
    """A page map handed out block by block while the content documents are made; what was placed, in order."""

    entries: PageMap
    source: str = ""
    """Where the map came from: ``this build``, ``the last build`` (the cache), ``stale`` (a record of an older
    text, not used), or empty (no map)."""
    placed: dict[int, str] = field(default_factory=dict)
    """Index in ``entries`` → the package file whose marker carries that page."""

    def take(self, key: str, file: str) -> list[str]:
        """The folios of the pages whose start ``key`` holds, now placed in ``file``."""
        found = []
        for index, (folio, block) in enumerate(self.entries):
            if block == key and index not in self.placed:
                self.placed[index] = file
                found.append(folio)
        return found

    def page_list(self) -> list[tuple[str, str]]:
        """(href, folio) of every placed page, in the print edition's order."""
        return [(f"{self.placed[index]}#page-{self.entries[index][0]}", self.entries[index][0])
                for index in sorted(self.placed)]

    def missing(self) -> list[str]:
        """Folios of pages the EPUB holds no block of."""
        return [folio for index, (folio, _) in enumerate(self.entries) if index not in self.placed]


def record_path(cache_folder: Path, slug: str, lang: str) -> Path:
    """Where a language's page map is kept between builds."""
    return cache_folder / "epub" / f"pages-{slug}-{lang}.json"


def from_artifacts(manifest: Iterable[Artifact], lang: str) -> PageMap | None:
    """The page map of ``lang``'s volume PDF made by this build, if the PDF output ran (its volume artifact's
    ``data["page_map"]``; a PDF kept from an earlier build carries none)."""
    for artifact in manifest:
        if artifact.output != "pdf" or artifact.kind != "volume" or artifact.langs != (lang,):
            continue
        found = artifact.data.get("page_map")
        if isinstance(found, list) and found:
            return [[str(folio), str(block)] for folio, block in found]
    return None


def text_digest(bodies: Iterable[tuple[str, str]]) -> str:
    """A digest of the papers a PDF was made from: (content-relative path, Markdown body) in reading order."""
    digest = hashlib.sha256()
    for rel_path, body in bodies:
        digest.update(rel_path.encode("utf-8") + b"\0" + body.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def load_page_marks(manifest: Iterable[Artifact], cache_folder: Path | None, slug: str, lang: str,
                    digest: str) -> PageMarks:
    """This build's page map (then recorded for later builds, with ``digest`` of the text), else the last build's
    if made from the same text, else an empty one."""
    fresh = from_artifacts(manifest, lang)
    if fresh is not None:
        if cache_folder is not None:
            _record(record_path(cache_folder, slug, lang), fresh, digest)
        return PageMarks(fresh, "this build")
    if cache_folder is not None:
        path = record_path(cache_folder, slug, lang)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = [[str(folio), str(block)] for folio, block in data["pages"]]
            recorded = str(data.get("text", ""))
        except (OSError, ValueError, KeyError, TypeError):
            entries, recorded = [], ""
        if entries and recorded != digest:
            return PageMarks([], "stale")
        if entries:
            return PageMarks(entries, "the last build")
    return PageMarks([], "")


def _record(path: Path, entries: PageMap, digest: str) -> None:
    """Keep a page map for the next build (written whole, then renamed: a killed build leaves the old one)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"pages": entries, "text": digest}, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:  # only a later build without PDFs would miss it
        log.debug("could not record the page map at %s: %s", path, exc)
