"""The build cache's folder and what its users share: content-addressed entries (:class:`Entries`), the lock
builds sharing a cache hold (:func:`cache_lock`), the installed fonts' digest and a folder's hash.

The cache folder (``<root>/.taiyaku-cache`` or ``--cache-dir``) holds the typeset PDFs and their parts
(:mod:`taiyaku.pdf.cache`, under ``pdf/`` and ``parts/``), each document's renderings (:mod:`taiyaku.rendercache`,
under ``renders/``) and the record of the last build into each output folder
(:mod:`taiyaku.stamp`, under ``builds/``). An entry is written to a temporary folder and renamed into place, so a
killed build leaves no partial entry; an entry whose files do not match their digests is removed, never used.
Like Sphinx's pickled environment, the cache is a copy of what the build made: deleting it (``taiyaku clean`` or
``--no-cache``) only costs time.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


log = logging.getLogger(__name__)

CACHE_DIR = ".taiyaku-cache"
"""Beside the volume's sources, ignored by git."""
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
IDLE_DAYS = 30
"""A slot (a volume configuration) no build has used for this many days loses its entries when a build prunes."""
LOCK_FILE = "lock"
"""In the cache folder: shared by the builds using the cache, exclusive while one prunes it."""
SCHEMA = "2"
"""The layout of the cache's entries and records: a new value invalidates every one."""


def hash_tree(digest: Any, folder: Path, contents: bool, markdown: bool = False) -> None:
    """Feed every file under ``folder`` (sorted) into ``digest``: its bytes, or only its size and time.

    Markdown files are left out unless ``markdown`` (a job's print HTML already holds its documents).
    """
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts or (path.suffix == ".md" and not markdown) or CACHE_DIR in path.parts:
            continue
        digest.update(path.as_posix().encode("utf-8", "surrogateescape") + b"\0")
        if contents:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        else:
            stat = path.stat()
            digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())


_fonts_memo: tuple[tuple[tuple[str, int], ...], bytes] | None = None


def _font_folders() -> tuple[tuple[str, int], ...]:
    """Every folder under :data:`FONT_DIRS` with its modification time: adding, removing or renaming a font
    changes the time of the folder holding it (fontconfig trusts the same signal for its own cache)."""
    found = []
    for top in FONT_DIRS:
        for folder, _, _ in os.walk(Path(top).expanduser()):
            try:
                found.append((folder, os.stat(folder).st_mtime_ns))
            except OSError:
                continue
    return tuple(sorted(found))


def fonts_digest() -> bytes:
    """The installed fonts (each file's path, size and time), hashed once per process: the build stamp and the
    PDF cache both need it, and ``serve`` builds again and again. Hashed again when a font folder changed."""
    global _fonts_memo
    folders = _font_folders()
    if _fonts_memo is None or _fonts_memo[0] != folders:
        digest = hashlib.sha256()
        for folder in FONT_DIRS:
            hash_tree(digest, Path(folder).expanduser(), contents=False)
        _fonts_memo = (folders, digest.digest())
    return _fonts_memo[1]


@contextmanager
def cache_lock(folder: Path, exclusive: bool) -> Iterator[bool]:
    """``flock`` on ``<folder>/lock``, yielding whether it is held: shared (waiting while a build prunes) for a
    build reading and adding entries; exclusive, not waiting, for pruning. The file stays (removing a lock file
    races with a process opening it); the kernel drops the lock however its holder ends."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        # A read-only cache can still be read; it is never pruned unlocked.
        log.debug("cannot lock the cache %s: %s", folder, exc)
        yield not exclusive
        return
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX | fcntl.LOCK_NB) if exclusive else fcntl.LOCK_SH)
        held = True
    except OSError:
        held = False
    try:
        yield held
    finally:
        os.close(fd)


def _place(kept: Path, target: Path, data: bytes, link: bool) -> None:
    """Put the file ``kept`` (whose bytes are ``data``) at ``target``: with ``link``, a hard link where the file
    system allows (parts are restored and stored so: :meth:`Entries.restore`), else a copy.

    A rebuild of the sample x8 restores about 50 parts; writing each again is a file made and filled, linking a
    name added. Nothing writes into a part's file in place (entries are replaced by rename, a part's scratch file
    is written once), so the two names cannot drift apart (and a restored file is checked against its digest
    first); pruning an entry leaves its other name whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if link:
        try:
            target.unlink(missing_ok=True)
            os.link(kept, target)
            return
        except OSError:  # another file system (--cache-dir elsewhere), or no hard links
            pass
    target.write_bytes(data)


class Entries:
    """One kind of entry (volume PDFs, parts): a folder per key holding PDFs and ``manifest.json`` (their SHA-256
    digests, the worker's result, the slot), written to a temporary folder and renamed into place; an entry whose
    files do not match its manifest is removed, never used. An entry's time is its last use; the entries a build
    used are remembered for :meth:`prune`."""

    def __init__(self, folder: Path, fan_out: bool) -> None:
        self.folder = folder
        self.fan_out = fan_out
        """Entries under ``<key[:2]>/<key>`` (many small ones) rather than ``<key>``."""
        self.used: dict[Path, str] = {}
        """Entries restored or stored by this build, with their slots."""

    def path(self, key: str) -> Path:
        """The entry folder of ``key``."""
        return self.folder / key[:2] / key if self.fan_out else self.folder / key

    def holds(self, key: str) -> bool:
        """Whether an entry of ``key`` is kept (not checked against its digests: :meth:`restore` does)."""
        return (self.path(key) / "manifest.json").is_file()

    def restore(self, key: str, targets: dict[str, str], what: str,
                load: Callable[[dict[str, Any]], Any], link: bool = False) -> Any | None:
        """Write the entry's files to ``targets`` (name → path) and return its result, made by ``load`` from the
        fields stored; ``None`` when absent or damaged (then removed). ``link``: the targets are scratch files
        nothing writes to (the parts an assembly reads): hard links where the file system allows (:func:`_place`).
        The build's outputs are copies: a file of the output folder written in place (a viewer saving notes)
        must not change the cache's, and must have the time it was made."""
        entry = self.path(key)
        manifest_path = entry / "manifest.json"
        if not manifest_path.is_file():
            return None
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            files: dict[str, bytes] = {}
            for name in targets:
                files[name] = (entry / name).read_bytes()
                if hashlib.sha256(files[name]).hexdigest() != manifest["files"][name]:
                    raise ValueError(f"{name} does not match its digest")
            result = load(manifest["result"])
            slot = str(manifest["slot"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s: cache entry for %s is damaged (%s); typesetting it again", entry, what, exc)
            shutil.rmtree(entry, ignore_errors=True)
            return None
        for name, target in targets.items():
            _place(entry / name, Path(target), files[name], link)
        self._use(entry, slot)
        return result

    def store(self, key: str, slot: str, sources: dict[str, str], result: dict[str, Any], what: str,
              link: bool = False) -> None:
        """Keep the files ``sources`` (name → path) with ``result`` (the fields :meth:`restore` loads); ``link``:
        as :meth:`restore`'s."""
        entry = self.path(key)
        if entry.exists():
            self._use(entry, slot)
            return
        temporary: Path | None = None
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            temporary = Path(tempfile.mkdtemp(prefix=".partial-", dir=entry.parent))
            digests = {}
            for name, source in sources.items():
                data = Path(source).read_bytes()
                _place(Path(source), temporary / name, data, link)
                digests[name] = hashlib.sha256(data).hexdigest()
            manifest = {"files": digests, "slot": slot, "result": result}
            (temporary / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, entry)
        except OSError as exc:
            if temporary is not None:
                shutil.rmtree(temporary, ignore_errors=True)
            if not entry.is_dir():  # else another build kept the same entry first
                log.warning("could not keep %s in the cache: %s", what, exc)
                return
        self._use(entry, slot)

    def _use(self, entry: Path, slot: str) -> None:
        self.used[entry] = slot
        now = time.time()
        try:
            os.utime(entry, (now, now))  # this machine's clock, as prune's
        except OSError:
            pass

    def _entries(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        tops = [p for p in self.folder.iterdir() if p.is_dir()]
        if not self.fan_out:
            return tops
        return [entry for top in tops for entry in top.iterdir() if entry.is_dir()]

    def prune(self) -> tuple[int, int]:
        """Remove, in each slot this build used, the entries it did not; entries of slots no build has used for
        :data:`IDLE_DAYS`; entries without a slot (an older taiyaku's) that it did not use; folders a killed
        build left half-written. Call with the cache locked exclusively (no build is reading or adding entries:
        one that ran beside this one has copied out what it used). Returns (entries removed, bytes freed)."""
        idle_before = time.time() - IDLE_DAYS * 86400
        found: list[tuple[Path, str | None, float]] = []
        for entry in self._entries():
            try:
                used = entry.stat().st_mtime
            except OSError:
                continue
            slot: str | None = None
            if not entry.name.startswith(".partial-"):
                try:
                    slot = str(json.loads((entry / "manifest.json").read_text(encoding="utf-8"))["slot"])
                except (OSError, ValueError, KeyError, TypeError):
                    pass
            found.append((entry, slot, used))
        last_use: dict[str, float] = {}
        for _, slot, used in found:
            if slot is not None:
                last_use[slot] = max(used, last_use.get(slot, used))
        swept = set(self.used.values())
        removed = freed = 0
        for entry, slot, used in found:
            if entry in self.used:
                continue
            if slot is None or slot in swept or last_use[slot] < idle_before:
                freed += sum(p.stat().st_size for p in entry.rglob("*") if p.is_file())
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        if self.fan_out and self.folder.is_dir():
            for top in self.folder.iterdir():
                if top.is_dir() and not any(top.iterdir()):
                    top.rmdir()
        return removed, freed
