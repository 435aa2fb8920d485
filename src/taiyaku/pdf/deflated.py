"""Compressed page content kept between builds: a volume's pages, stamped with their folios, are compressed once.

Every assembly rewrites each page's content with its folio and running head drawn over it (:mod:`.furniture`)
and compresses it again (libdeflate, level 9): on the sample ×8 that is 0.16 s of the English volume's 0.75 s
assembly, the same on a rebuild where one paper of 48 changed. :class:`DeflateMemo` keeps the compressed streams
of a volume's last assembly by the digest of what they hold, so that a rebuild compresses only the pages that
changed. The bytes are those libdeflate makes for the same data (the file names its version and level: another
version or level starts afresh), so a volume is the same, byte for byte, whether its pages came from the memo.

One file per volume (``deflated-<hash of the label>.bin`` beside the part store), holding only what the last
assembly used: ``TYDM1 <version> <level>\\n`` then, per stream, a 16-byte BLAKE2b digest, a 4-byte length and
the compressed bytes. A damaged file is an empty memo (it is a cache).
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
from pathlib import Path

import deflate

log = logging.getLogger(__name__)

_LENGTH = struct.Struct(">I")
_DIGEST = 16


def _compress(data: bytes, level: int) -> bytes:
    return bytes(deflate.zlib_compress(data, level))


class DeflateMemo:
    """``compress(data)`` as libdeflate at ``level`` would, from the last assembly's streams where it can."""

    def __init__(self, path: Path | None, level: int) -> None:
        self.path = path
        self.level = level
        self.header = f"TYDM1 {deflate.__version__} {level}\n".encode()
        self._kept: dict[bytes, bytes] = {}
        self._used: dict[bytes, bytes] = {}
        self.hits = 0
        """Streams taken from the last assembly."""
        self.misses = 0
        """Streams compressed anew."""
        if path is not None:
            self._kept = self._load(path)

    def _load(self, path: Path) -> dict[bytes, bytes]:
        try:
            data = path.read_bytes()
        except OSError:
            return {}
        if not data.startswith(self.header):
            return {}
        kept: dict[bytes, bytes] = {}
        at = len(self.header)
        while at < len(data):
            head = data[at:at + _DIGEST + _LENGTH.size]
            if len(head) < _DIGEST + _LENGTH.size:
                return {}
            (length,) = _LENGTH.unpack_from(head, _DIGEST)
            start = at + len(head)
            if start + length > len(data):
                return {}
            kept[head[:_DIGEST]] = data[start:start + length]
            at = start + length
        return kept

    def compress(self, data: bytes) -> bytes:
        """``data`` compressed (zlib format)."""
        key = hashlib.blake2b(data, digest_size=_DIGEST).digest()
        made = self._used.get(key)
        if made is None:
            made = self._kept.get(key)
            if made is not None:
                self.hits += 1
            else:
                made = _compress(data, self.level)
                self.misses += 1
            self._used[key] = made
        return made

    def save(self) -> None:
        """Keep this assembly's streams for the next (only those: the file does not grow with every edit)."""
        if self.path is None or (self._used.keys() == self._kept.keys()):
            return
        chunks = [self.header]
        for key, made in self._used.items():
            chunks += [key, _LENGTH.pack(len(made)), made]
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(b"".join(chunks))
            os.replace(temporary, self.path)
        except OSError as exc:  # a cache: the next build compresses again
            log.debug("%s: not kept (%s)", self.path, exc)
            temporary.unlink(missing_ok=True)


def memo_path(folder: Path, label: str) -> Path:
    """Where a volume's memo is kept in the part store's ``folder``."""
    return folder / f"deflated-{hashlib.blake2b(label.encode(), digest_size=8).hexdigest()}.bin"
