"""The image cache: every variant and print copy under ``<cache>/images/``, named by a hash of the source's
bytes and of the settings that made it, so a rebuild reuses them and a changed image or setting makes new ones.

A file is written to a temporary name and renamed into place (two workers making the same copy leave one
whole file). Entries are small next to the PDFs and are only ever added; ``taiyaku clean`` removes them with
the rest of the cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

VERSION = "1"
"""Bumped when the encoder settings or the resampling change: every cached image is made again."""
FOLDER = "images"

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
            return path.read_bytes()
        except OSError:
            pass
        data = make()
        self.made += 1
        self._store(path, data)
        return data

    def ensure(self, key: str, suffix: str, make: Callable[[], bytes]) -> Path:
        """The entry's file, made by ``make`` when missing (WeasyPrint reads an image from its file's URL)."""
        path = self.path(key, suffix)
        if not path.is_file():
            data = make()
            self.made += 1
            if not self._store(path, data):
                raise OSError(f"cannot write {path}")
        return path

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
