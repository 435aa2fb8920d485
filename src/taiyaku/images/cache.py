"""The image cache: every variant and print copy under ``<cache>/images/``, named by a hash of the source's
bytes and of the settings that made it, so a rebuild reuses them and a changed image or setting makes new ones.

A file is written to a temporary name and renamed into place (two workers making the same copy leave one
whole file). Each use touches the file; a site build removes the files no build has used for
:data:`IDLE_DAYS` days (the old versions of an edited image), and ``taiyaku clean`` removes them all with the rest
of the cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

VERSION = "2"
"""Bumped when the encoder settings or the resampling change: every cached image is made again."""
FOLDER = "images"
IDLE_DAYS = 30
"""An entry no build has used for this many days goes (as the PDF cache's unused slots do)."""

_digests: dict[tuple[str, int, int], str] = {}


def source_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, remembered per file version (path, size, time) for the process."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    found = _digests.get(key)
    if found is None:
        found = _digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class ImageCache:
    """Made images by key, on disk."""

    def __init__(self, cache_folder: Path) -> None:
        self.folder = Path(cache_folder) / FOLDER
        self.made = 0
        """Images made (not found) by this object: a no-op rebuild makes none."""

    def key(self, src_path: Path, settings: str) -> str:
        """The key of what ``settings`` make of the file at ``src_path``."""
        text = f"{VERSION}\0{source_digest(src_path)}\0{settings}"
        return hashlib.sha256(text.encode()).hexdigest()

    def path(self, key: str, suffix: str) -> Path:
        """Where the entry lives: ``images/ab/abcdef….webp``."""
        return self.folder / key[:2] / f"{key}{suffix}"

    def get(self, key: str, suffix: str, make: Callable[[], bytes]) -> bytes:
        """The entry's bytes, made by ``make`` (and stored) when missing."""
        path = self.path(key, suffix)
        try:
            data = path.read_bytes()
            _touch(path)
            return data
        except OSError:
            pass
        data = make()
        self.made += 1
        self._store(path, data)
        return data

    def ensure(self, key: str, suffix: str, make: Callable[[], bytes]) -> Path:
        """The entry's file, made by ``make`` when missing (WeasyPrint reads an image from its file's URL)."""
        path = self.path(key, suffix)
        if path.is_file():
            _touch(path)
        else:
            data = make()
            self.made += 1
            if not self._store(path, data):
                raise OSError(f"cannot write {path}")
        return path

    def prune(self, idle_days: float = IDLE_DAYS) -> int:
        """Remove the entries (and leftovers of killed writes) not used for ``idle_days``; how many went."""
        limit = time.time() - idle_days * 86400
        removed = 0
        for path in sorted(self.folder.glob("*/*")) if self.folder.is_dir() else ():
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    def _store(self, path: Path, data: bytes) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError as exc:  # a read-only cache only costs time
            log.debug("image cache: cannot store %s: %s", path, exc)
            return False
        return True


def _touch(path: Path) -> None:
    """Mark an entry used (its time), so that pruning keeps it."""
    try:
        os.utime(path)
    except OSError:
        pass
