"""The build stamp: what the last successful build into an output folder was made from, so that ``build`` can
stop early when nothing changed (as ``make`` compares a target with its prerequisites). Kept in the cache folder
(``<cache>/builds/``) beside the PDF caches (:mod:`taiyaku.pdf.cache`)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from .cache import SCHEMA, fonts_digest, hash_tree

log = logging.getLogger(__name__)

_PACKAGE = Path(__file__).resolve().parent


class BuildStamp:
    """What the last successful build into an output folder was made from, so that an unchanged volume is not
    read, rendered and typeset again (as ``make`` compares a target with its prerequisites).

    The key hashes the bytes of every file under ``content/``, ``templates/`` and ``locales/``, ``volume.toml``,
    taiyaku's own code and theme, the installed fonts, the git state the translation check reads (``HEAD`` and
    ``git status`` of the volume) and the build's options. The output folder must still be exactly as that build
    left it (every file's size and time), else the build runs.
    """

    def __init__(self, folder: Path, root: Path, out_dir: Path, options: str) -> None:
        self.path = stamp_path(folder, out_dir)
        self.out_dir = out_dir
        digest = hashlib.sha256(f"{SCHEMA}\0{options}\0".encode())
        hash_tree(digest, _PACKAGE, contents=True)
        for name in ("content", "templates", "locales"):
            hash_tree(digest, root / name, contents=True, markdown=True)
        config = root / "volume.toml"
        digest.update(config.read_bytes() if config.is_file() else b"-")
        digest.update(fonts_digest())
        digest.update(_git_state(root))
        self.key = digest.hexdigest()

    def _outputs(self) -> dict[str, list[int]]:
        return {p.relative_to(self.out_dir).as_posix(): [p.stat().st_size, p.stat().st_mtime_ns]
                for p in sorted(self.out_dir.rglob("*")) if p.is_file()}

    def replay(self) -> dict[str, Any] | None:
        """The last build's summary when nothing changed since it (inputs and output); ``None`` otherwise."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("key") != self.key or not self.out_dir.is_dir() or data.get("outputs") != self._outputs():
            return None
        return data

    def record(self, summary: dict[str, Any]) -> None:
        """Remember this successful build (written to a temporary file, then renamed); forget the builds into
        folders that are gone (a ``serve`` that was killed, a deleted output folder)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".partial")
            data = {"key": self.key, "out_dir": str(self.out_dir.resolve()), "outputs": self._outputs(), **summary}
            temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:
            log.debug("could not record the build in %s: %s", self.path, exc)
        for other in self.path.parent.glob("*.json"):
            if other != self.path and not _stamped_folder_exists(other):
                other.unlink(missing_ok=True)


def stamp_path(folder: Path, out_dir: Path) -> Path:
    """Where the cache ``folder`` records the last build into ``out_dir`` (:class:`BuildStamp`)."""
    return folder / "builds" / (hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16] + ".json")


def forget_build(folder: Path, out_dir: Path) -> None:
    """Remove the record of the last build into ``out_dir`` (``serve``'s temporary folder, on its way out)."""
    try:
        stamp_path(folder, out_dir).unlink(missing_ok=True)
    except OSError as exc:
        log.debug("could not remove the record of the build into %s: %s", out_dir, exc)


def _stamped_folder_exists(path: Path) -> bool:
    """Whether the output folder a build stamp names still exists (a stamp naming none: an older taiyaku's)."""
    try:
        out_dir = json.loads(path.read_text(encoding="utf-8"))["out_dir"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return isinstance(out_dir, str) and Path(out_dir).is_dir()


def _git_state(root: Path) -> bytes:
    """``HEAD`` and the work tree's status: the translation check reads history and uncommitted edits."""
    import subprocess

    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "-q", "HEAD"], capture_output=True, timeout=10)
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain=v1", "-z", "--untracked-files=all",
                                 "--", "."], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return b"no git"
    return head.stdout + b"\0" + status.stdout
