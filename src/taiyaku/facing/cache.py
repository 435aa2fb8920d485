"""The facing edition's build cache: each side's measured flow and each laid-out part, kept per paper.

Content-addressed like the other PDFs' cache (:mod:`taiyaku.cache`): an entry's key is the part's HTML, options
and sources (:func:`taiyaku.cache.part_key`) with what every job shares (versions, print code, theme, the
volume's files, fonts: :func:`taiyaku.cache.environment_key`) and this package's own code. A paper whose two
sides did not change is neither measured nor laid out again; an edited paper is, alone. Entries this build did
not use are removed after it succeeded (:meth:`FacingCache.prune`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shutil
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from ..cache import cache_lock
from ..pdf.cache import environment_key, part_key
from ..errors import Diagnostic
from ..pdf.jobs import PartJob, TypesetResult
from .layout import Measured, SidePlaced

log = logging.getLogger(__name__)

FOLDER = "facing"
"""Under the build cache's folder."""
_PACKAGE = Path(__file__).resolve().parent


def _code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class FacingCache:
    """Measurements (``<key>.measure.json``) and laid-out parts (``<key>.pdf`` + ``<key>.part.json``)."""

    def __init__(self, folder: Path, volume_root: Path) -> None:
        self.root = folder
        self.folder = folder / FOLDER
        self.environment = environment_key(volume_root) + _code_digest()
        self.used: set[str] = set()

    def _key(self, kind: str, part: PartJob) -> str:
        return hashlib.sha256(f"{kind}\0{part_key(part, self.environment)}".encode()).hexdigest()

    def _write(self, path: Path, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.{os.getpid()}")
        scratch.write_bytes(data)
        os.replace(scratch, path)

    def measure(self, part: PartJob) -> Measured | None:
        """The side's flow from an earlier build, if kept."""
        key = self._key("measure", part)
        path = self.folder / f"{key}.measure.json"
        try:
            flow = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.used.add(key)
        return Measured(flow)

    def keep_measure(self, part: PartJob, measured: Measured) -> None:
        """Keep a side's flow measured by this build."""
        if measured.flow is None:
            return
        key = self._key("measure", part)
        self.used.add(key)
        self._write(self.folder / f"{key}.measure.json", json.dumps(measured.flow).encode())

    def part(self, part: PartJob) -> tuple[TypesetResult, dict[str, Any]] | None:
        """A laid-out part from an earlier build (its PDF copied to ``part.target``) and what came with it."""
        key = self._key("part", part)
        try:
            manifest = json.loads((self.folder / f"{key}.part.json").read_text(encoding="utf-8"))
            data = (self.folder / f"{key}.pdf").read_bytes()
        except (OSError, ValueError):
            return None
        if hashlib.sha256(data).hexdigest() != manifest.get("sha256"):
            return None
        Path(part.target).parent.mkdir(parents=True, exist_ok=True)
        Path(part.target).write_bytes(data)
        self.used.add(key)
        fields = dict(manifest["result"])
        fields["problems"] = [Diagnostic(**p) for p in fields.get("problems", [])]
        result = TypesetResult(**fields)
        result.layout_seconds = result.layout_cpu_seconds = result.write_seconds = 0.0
        return result, manifest.get("extra", {})

    def keep_part(self, part: PartJob, result: TypesetResult, extra: dict[str, Any] | None = None) -> None:
        """Keep a part laid out by this build (not a failed one)."""
        if result.error or any(p.severity == "error" for p in result.problems):
            return
        key = self._key("part", part)
        try:
            data = Path(part.target).read_bytes()
        except OSError:
            return
        self.used.add(key)
        self._write(self.folder / f"{key}.pdf", data)
        manifest = {"sha256": hashlib.sha256(data).hexdigest(), "result": dataclasses.asdict(result),
                    "extra": extra or {}}
        self._write(self.folder / f"{key}.part.json", json.dumps(manifest, default=str).encode())

    def placed(self, part: PartJob) -> SidePlaced | None:
        """A placed side from an earlier build."""
        found = self.part(part)
        if found is None:
            return None
        result, extra = found
        return SidePlaced(result, part.target, list(extra.get("starts", [])), list(extra.get("fills", [])))

    def keep_placed(self, part: PartJob, placed: SidePlaced) -> None:
        """Keep a side placed by this build."""
        self.keep_part(part, placed.result, {"starts": placed.starts, "fills": placed.fills})

    def using(self) -> Any:
        """Held while a build reads and adds entries (shared: builds share the cache; pruning waits for none)."""
        return cache_lock(self.root, exclusive=False)

    def prune(self) -> int:
        """Remove the entries this build did not use, unless another build is using the cache (then a later
        build does it, as the PDFs' cache); how many went."""
        with cache_lock(self.root, exclusive=True) as held:
            if not held or not self.folder.is_dir():
                return 0
            return self._prune()

    def _prune(self) -> int:
        removed = 0
        for path in self.folder.iterdir():
            key = path.name.split(".", 1)[0]
            if key and key not in self.used:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed += 1
        return removed


def keep_result(future: Future, store: Any) -> None:
    """Keep a worker's result in the cache with ``store`` (never fails the build: a cache that cannot be written
    is skipped)."""
    try:
        if not future.cancelled() and future.exception() is None:
            store(future.result())
    except OSError as exc:
        log.debug("facing cache not written: %s", exc)


def resolved(value: Any) -> Future:
    """A future already resolved (a cached result)."""
    future: Future = Future()
    future.set_result(value)
    return future
