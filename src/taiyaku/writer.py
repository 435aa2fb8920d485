"""The one place that writes output: into a staging folder beside the target, swapped in when all succeeded.

A failed build removes its staging folder and leaves the previous output untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from .errors import TaiyakuError

log = logging.getLogger(__name__)


class OutputWriter:
    """Stages files under ``<out>/../.<name>.taiyaku-*`` and swaps top-level folders (``html/``, ``pdf/``) in."""

    def __init__(self, out_dir: Path, sections: list[str], keep_existing: bool = False) -> None:
        """``sections``: the top-level folders this run replaces; with ``keep_existing`` their old files are
        carried over first (a build of some languages keeps the others)."""
        self.out_dir = out_dir
        self.sections = sections
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.taiyaku-", dir=out_dir.parent))
        self.written: set[str] = set()
        if keep_existing:
            for section in sections:
                if (out_dir / section).is_dir():
                    shutil.copytree(out_dir / section, self.stage / section)

    def path(self, rel_path: str) -> Path:
        """The staging path for ``rel_path``, claimed: a path can be written once per run."""
        if rel_path in self.written:
            raise TaiyakuError(f"two outputs want the same file {rel_path!r}", rel_path)
        if rel_path.split("/", 1)[0] not in self.sections:
            raise ValueError(f"{rel_path} is outside {self.sections}")
        self.written.add(rel_path)
        target = self.stage / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, rel_path: str, data: bytes) -> None:
        """Write one file into the staging folder."""
        self.path(rel_path).write_bytes(data)

    def commit(self) -> None:
        """Swap every staged section into place; each swap is two renames on one file system."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for section in self.sections:
            staged = self.stage / section
            if not staged.exists():
                staged.mkdir()
            target = self.out_dir / section
            old = None
            if target.exists():
                old = self.stage / f".old-{section}"
                os.replace(target, old)
            os.replace(staged, target)
        shutil.rmtree(self.stage, ignore_errors=True)
        log.debug("output swapped into %s", self.out_dir)

    def abort(self) -> None:
        """Throw the staged output away."""
        shutil.rmtree(self.stage, ignore_errors=True)
