"""Per-document rendering kept between builds: what a build re-does for every document whatever changed.

A build renders every document twice (the site's HTML while reading, the print HTML while planning the PDFs),
prepares the print HTML for WeasyPrint (:mod:`taiyaku.pdf.prepare`) and makes two offprint covers per paper.
The typeset PDFs were already cached (:mod:`taiyaku.pdf.cache`); this is the work before them. A
:class:`RenderStore` keeps its results in one JSON file under ``<cache>/renders/``, each value keyed by a hash of
everything it is made from (the document's text, its language's other slugs and files, the mode) and of
taiyaku's own code and the versions of the libraries that shape the HTML, so an edited document, a changed
template or a new taiyaku only misses, never gives stale HTML.

The file is read once and written once per build, to a temporary file renamed into place (builds sharing a
cache may lose each other's new entries, never see a half-written file). It keeps what this build used and as
many of the most recently used other entries (another profile's or language's), so it stays about twice one
build's working set however many edits are made. A damaged file is ignored (everything is made again).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .cache import SCHEMA, hash_tree

log = logging.getLogger(__name__)

RENDERS_DIR = "renders"
"""Under the cache folder."""
_PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = ("markdown", "pygments", "budoux", "jinja2", "markupsafe")
"""Whose versions change the HTML taiyaku makes."""
_code_memo: str | None = None


def code_digest() -> str:
    """taiyaku's code and theme (every file's bytes) and the libraries' versions, hashed once per process: a
    change to any of them may change any rendering."""
    global _code_memo
    if _code_memo is None:
        digest = hashlib.sha256(f"{SCHEMA}; taiyaku {__version__}".encode())
        for name in _LIBRARIES:
            try:
                digest.update(f"; {name} {metadata.version(name)}".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"; {name} none".encode())
        hash_tree(digest, _PACKAGE, contents=True, markdown=True)
        _code_memo = digest.hexdigest()
    return _code_memo


class RenderStore:
    """Values (JSON-serialisable) made from text, kept between builds in ``<cache>/renders/<name>.json``."""

    def __init__(self, cache_folder: Path, name: str) -> None:
        self.path = cache_folder / RENDERS_DIR / f"{name}.json"
        self.code = code_digest()
        self.hits = 0
        self.misses = 0
        self._entries: dict[str, tuple[float, Any]] = {}
        self._used: set[str] = set()
        self._changed = False
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            self._entries = {key: (float(used), value) for key, (used, value) in loaded.items()}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("%s: damaged (%s); rendering everything again", self.path, exc)

    def key(self, kind: str, *parts: str) -> str:
        """The key of a value of ``kind`` made from ``parts`` (with taiyaku's code)."""
        digest = hashlib.sha256(f"{self.code}\0{kind}".encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        """The value kept under ``key``, if any (marked as used by this build)."""
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._used.add(key)
        return found[1]

    def put(self, key: str, value: Any) -> Any:
        """Keep ``value`` under ``key``; returns it."""
        self._entries[key] = (time.time(), value)
        self._used.add(key)
        self._changed = True
        return value

    def memo(self, kind: str, parts: tuple[str, ...], make: Callable[[], Any]) -> Any:
        """The value of ``kind`` made from ``parts``: kept, or made by ``make`` and kept."""
        key = self.key(kind, *parts)
        found = self.get(key)
        return found if found is not None else self.put(key, make())

    def save(self) -> None:
        """Write the entries this build used and as many of the latest others (a temporary file renamed)."""
        unused = sorted((k for k in self._entries if k not in self._used), key=lambda k: -self._entries[k][0])
        dropped = unused[len(self._used):]
        if not self._changed and not dropped:
            return
        now = time.time()
        kept = {key: (now, self._entries[key][1]) for key in self._used}
        kept.update((key, self._entries[key]) for key in unused[:len(self._used)])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.partial")
            temporary.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.path)
            self._entries, self._changed = kept, False
        except OSError as exc:
            log.debug("could not keep the renderings in %s: %s", self.path, exc)
        log.debug("%s: %d kept, %d made", self.path.name, self.hits, self.misses)


def folder_state(folder: Path) -> str:
    """Every file under ``folder`` (sorted) with its size and time, Markdown files by path only (a document's
    text is in its own key): a rendering shows an image's size and resolves links to files."""
    if not folder.is_dir():
        return ""
    lines = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.suffix in (".md", ".mdx") or not path.is_file():
            lines.append(rel)
            continue
        stat = path.stat()
        lines.append(f"{rel}\0{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(lines)
