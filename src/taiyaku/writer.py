"""The one place that writes output: into a staging folder beside the target, swapped in when all succeeded.

A failed or interrupted build removes its staging folder and leaves the previous output untouched; a build
killed outright (``kill -9``) leaves its staging folder, which the next build of the same output removes.
One build at a time per output folder (:func:`taiyaku.lock.output_lock`), and never into a folder the build
did not make: the volume, its sources, or a folder of someone else's files.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError, TaiyakuError
from .lock import FileLock, output_lock
from .signals import signals_deferred

log = logging.getLogger(__name__)

SOURCE_FOLDERS = ("content", "templates", "locales")
"""The volume's inputs: an output folder inside one of them is refused."""

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputWriter:
    """Stages files under ``<out>/../.<name>.taiyaku-*`` and swaps top-level folders (``html/``, ``pdf/``) in."""

    def __init__(self, out_dir: Path, sections: list[str], keep_existing: bool = False,
                 root: Path | None = None, carry: Callable[[str], bool] | None = None,
                 discard_later: bool = False) -> None:
        """``sections``: the top-level folders this run replaces; with ``keep_existing`` their old files are
        carried over first (a build of some languages keeps the others), with ``carry`` only the old files it
        accepts (by path under the output folder: the files of outputs this run does not make, in a folder it
        shares with them). ``root``: the volume, which the output folder must stay out of. ``discard_later``:
        the previous output, once swapped out, is removed in a thread (``serve``, whose page waits for it)."""
        self.out_dir = out_dir
        self.sections = sections
        self.discard_later = discard_later
        self._committed = False
        self.written: set[str] = set()
        check_out_dir(out_dir, sections, root)
        try:
            out_dir.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            blocker = next((p for p in (out_dir.parent, *out_dir.parent.parents) if p.exists() and not p.is_dir()),
                           None)
            if blocker is not None:
                raise OutputError("a file, not a folder: the output folder cannot be made under it",
                                  str(blocker)) from None
            raise _output_error(exc, out_dir.parent, "cannot create the output folder's parent") from None
        self._lock: FileLock = output_lock(out_dir)
        self._lock.acquire()
        try:
            remove_stale_stages(out_dir)
            try:
                self.stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.taiyaku-", dir=out_dir.parent))
            except OSError as exc:
                raise _output_error(exc, out_dir.parent, "cannot create a staging folder") from None
            for section in sections:
                if not (out_dir / section).is_dir() or not (keep_existing or carry):
                    continue
                try:
                    if keep_existing:
                        shutil.copytree(out_dir / section, self.stage / section)
                    else:
                        self._carry(out_dir / section, carry)
                except OSError as exc:
                    raise _output_error(exc, out_dir / section, "cannot copy the previous output") from None
        except BaseException:
            self.abort()
            raise

    def _carry(self, previous: Path, carry: Callable[[str], bool] | None) -> None:
        """Copy the files of ``previous`` (a section of the last output) that ``carry`` accepts into the stage."""
        for path in sorted(previous.rglob("*")):
            rel = path.relative_to(self.out_dir).as_posix()
            if path.is_file() and carry is not None and carry(rel):
                target = self.stage / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)

    def path(self, rel_path: str) -> Path:
        """The staging path for ``rel_path``, claimed: a path can be written once per run."""
        if rel_path in self.written:
            raise TaiyakuError(f"two outputs want the same file {rel_path!r}", rel_path)
        if rel_path.split("/", 1)[0] not in self.sections:
            raise ValueError(f"{rel_path} is outside {self.sections}")
        self.written.add(rel_path)
        target = self.stage / rel_path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _output_error(exc, self.out_dir / rel_path, "cannot write") from None
        return target

    def write(self, rel_path: str, data: bytes) -> None:
        """Write one file into the staging folder."""
        target = self.path(rel_path)
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise _output_error(exc, self.out_dir / rel_path, "cannot write") from None

    def commit(self) -> None:
        """Swap every staged section into place, all or none; then the staging folder and the lock go.

        SIGINT and SIGTERM are held back during the swap: one that came before it cancels it, one that comes
        while it runs undoes it, so an interrupted build always leaves the previous output.
        """
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _output_error(exc, self.out_dir, "cannot create the output folder") from None
        for section in self.sections:
            try:
                (self.stage / section).mkdir(exist_ok=True)
            except OSError as exc:
                raise _output_error(exc, self.out_dir / section, "cannot write") from None
        with signals_deferred() as received:
            if received:
                return  # the signal is raised on leaving the block; the caller aborts
            swapped: list[tuple[Path, Path, bool]] = []
            try:
                for section in self.sections:
                    staged, target = self.stage / section, self.out_dir / section
                    existed = target.exists() or target.is_symlink()
                    _swap(staged, target, existed)
                    swapped.append((staged, target, existed))
            except OSError as exc:
                _unswap(swapped)
                raise _output_error(exc, self.out_dir, "cannot swap the new output in") from None
            if received:
                _unswap(swapped)
                return
        log.debug("output swapped into %s", self.out_dir)
        self._committed = True
        self.abort()

    def abort(self) -> None:
        """Throw the staged output away and let the next build in."""
        stage = getattr(self, "stage", None)
        if stage is not None and self.discard_later and self._committed:
            _discard_in_thread(stage, self.out_dir)
        elif stage is not None:
            with signals_deferred():
                if _restore_lost_sections(stage, self.out_dir):
                    shutil.rmtree(stage, ignore_errors=True)
        self._lock.release()


def check_out_dir(out_dir: Path, sections: list[str], root: Path | None) -> None:
    """Refuse an output folder the build would destroy something in: the volume, its sources, other files.

    The build replaces ``<out>/html`` and ``<out>/pdf`` whole, so ``--out`` must be a folder of its own.
    """
    out = out_dir.resolve()
    if root is not None:
        volume = root.resolve()
        if out == volume or volume.is_relative_to(out):
            raise OutputError(f"--out {out_dir} {'is' if out == volume else 'contains'} the volume folder: the "
                              "build replaces html/ and pdf/ in it; give it a folder of its own (default: build/)",
                              str(out_dir))
        for name in SOURCE_FOLDERS:
            if out.is_relative_to(volume / name):
                raise OutputError(f"--out {out_dir} is inside the volume's {name}/ folder: the output would be "
                                  "read as input next time; give it a folder of its own (default: build/)",
                                  str(out_dir))
    for section in sections:
        target = out_dir / section
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise OutputError(f"{section} is not a folder taiyaku made (a file or a link); the build would replace "
                              "it: move it away or choose another --out", str(target))
        if target.is_dir() and not _made_by_taiyaku(target, section):
            raise OutputError(f"{section}/ holds files taiyaku did not make; the build would replace the whole "
                              "folder: move it away or choose another --out", str(target))


def _discard_in_thread(stage: Path, out_dir: Path) -> None:
    """Remove a committed build's staging folder (the previous output) in a thread, under a name the next build
    does not take for one an interrupted build left; removed at once where it cannot be renamed."""
    discarded = stage.with_name(stage.name.replace(".taiyaku-", ".discarded-", 1))
    try:
        os.replace(stage, discarded)
    except OSError:
        shutil.rmtree(stage, ignore_errors=True)
        return
    threading.Thread(target=shutil.rmtree, args=(discarded,), kwargs={"ignore_errors": True},
                     name="taiyaku-discard", daemon=True).start()


def remove_stale_stages(out_dir: Path) -> list[str]:
    """Remove staging folders that a killed build of ``out_dir`` left beside it (call with the lock held)."""
    prefix = f".{out_dir.name}.taiyaku-"
    try:
        stale = sorted(p for p in out_dir.parent.iterdir()
                       if p.name.startswith(prefix) and p.is_dir() and not p.is_symlink())
    except OSError:
        return []
    for stage in stale:
        if _restore_lost_sections(stage, out_dir):
            shutil.rmtree(stage, ignore_errors=True)
    if stale:
        log.info("removed %d staging folder%s left by an interrupted build: %s", len(stale),
                 "s" if len(stale) != 1 else "", ", ".join(p.name for p in stale))
    return [p.name for p in stale]


def _restore_lost_sections(stage: Path, out_dir: Path) -> bool:
    """Put back a previous section that a swap stopped between its two renames left in the staging folder
    (a build killed there, or both renames failing); False, and the folder must be kept, when one cannot be."""
    for old in sorted(stage.glob(".old-*")):
        target = out_dir / old.name.removeprefix(".old-")
        if target.exists() or target.is_symlink() or not old.is_dir():
            continue
        try:
            os.replace(old, target)
        except OSError as exc:
            log.error("%s: the previous output is kept in %s (cannot move it back: %s)", target, old, exc.strerror)
            return False
        log.info("restored %s from an interrupted build's staging folder", target)
    return True


def _made_by_taiyaku(folder: Path, section: str) -> bool:
    """Whether a section folder looks like taiyaku's output (an empty one is anyone's to replace)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    if not entries:
        return True
    if section == "html":
        return (folder / "index.html").is_file() or (folder / "404.html").is_file()
    if section == "pdf":
        return all(p.is_dir() or p.suffix == ".pdf" for p in folder.rglob("*"))
    if section == "epub":
        return all(p.is_file() and p.suffix == ".epub" for p in entries)
    return False


def _swap(staged: Path, target: Path, existed: bool) -> None:
    """Put ``staged`` at ``target``; the previous ``target`` ends at ``staged`` (atomically where Linux can)."""
    if existed and _exchange(staged, target):
        return
    old = staged.with_name(f".old-{staged.name}")
    if existed:
        os.replace(target, old)
    try:
        os.replace(staged, target)
    except OSError:
        if existed:
            os.replace(old, target)  # else the previous section would leave with the staging folder
        raise
    if existed:
        os.replace(old, staged)


def _unswap(swapped: list[tuple[Path, Path, bool]]) -> None:
    """Put the previous sections back, last swapped first."""
    for staged, target, existed in reversed(swapped):
        if existed:
            _swap(staged, target, True)
        else:
            os.replace(target, staged)


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths in one step (``renameat2(RENAME_EXCHANGE)``); False where the system cannot."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: a file system or kernel without exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


_LIBC: ctypes.CDLL | None = None


def _libc() -> ctypes.CDLL:
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC


def _output_error(exc: OSError, path: Path, what: str) -> OutputError:
    """An OSError as a user's error naming the path; the previous output is untouched."""
    return OutputError(f"{what}: {exc.strerror or exc}; the previous output is untouched", str(path))
