"""Locks that keep two runs apart: one build per output folder, one front matter editor per volume.

A lock is ``fcntl.flock`` on a small file holding the owner's pid. The kernel drops the lock when its owner
dies, however it dies, so a lock left by a killed run is never in the way: the file is only a note, taken over
(and the takeover logged) by the next run. The file is removed when the lock is released, so a finished run
leaves nothing behind.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import time
from pathlib import Path
from types import TracebackType

from .errors import ContentError, OutputError, TaiyakuError

log = logging.getLogger(__name__)


class FileLock:
    """An exclusive, non-blocking lock on ``path``; ``what`` names the holder in the refusal message."""

    def __init__(self, path: Path, what: str, error: type[TaiyakuError] = OutputError) -> None:
        self.path = path
        self.what = what
        self.error = error
        self._fd: int | None = None
        self.stale_pid: int | None = None
        """The pid of a dead run whose lock file this lock took over (its lock had died with it)."""

    def acquire(self) -> None:
        """Take the lock, or raise :class:`OutputError` naming the pid of the run holding it."""
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise self.error(f"cannot create the lock file {self.path.name} here: {exc.strerror}",
                                  str(self.path.parent)) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise self.error(f"cannot lock {self.path.name}: {exc.strerror}", str(self.path.parent)) from None
                pid = _holder(self.path)
                raise self.error(f"another {self.what} is running (pid {pid if pid else 'unknown'})",
                                  str(self.path)) from None
            # The holder before us may have removed the file between our open and our flock: then we hold a lock
            # on a file nobody else can see, and must start again on the current one.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        previous = _read_pid(fd)
        if previous and previous != os.getpid() and not _alive(previous):
            self.stale_pid = previous
            log.debug("%s: taking over the lock of pid %d, which is no longer running", self.path, previous)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass  # a full disk: the lock holds without its note, and the run's first write says what is wrong
        self._fd = fd

    def release(self) -> None:
        """Remove the lock file and drop the lock (in that order: nobody can lock a file on its way out)."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only file system now: the next run takes the file over
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def output_lock(out_dir: Path) -> FileLock:
    """The lock of a build's output folder: ``.<name>.taiyaku.lock`` beside it (the folder itself is swapped)."""
    return FileLock(out_dir.parent / f".{out_dir.name}.taiyaku.lock", "build of this volume")


def volume_lock(root: Path, what: str = "taiyaku command editing this volume") -> FileLock:
    """The lock of a volume's sources, for commands that edit them (``check --pin``)."""
    return FileLock(root / ".taiyaku.lock", what, ContentError)


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _holder(path: Path) -> int | None:
    """The pid written in a held lock file; the holder writes it just after locking, so look twice."""
    for attempt in range(2):
        try:
            text = path.read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            text = ""
        if text.isdigit():
            return int(text)
        if attempt == 0:
            time.sleep(0.05)
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
