"""A content-addressed cache of typeset PDFs: a rebuild typesets only the jobs whose inputs changed.

A job's key hashes everything that can change its PDFs: the print HTML and offprint covers (which already hold
the documents, front matter, templates, stylesheet and UI strings of that language), the job's options, the bytes
of every file the volume may load while typesetting (images under ``content/``, the volume's templates and the
theme), the fonts installed on the machine (path, size and time of each file), and the versions of taiyaku,
its print code and WeasyPrint. Editing an English paragraph changes only the English print HTML, so the
Japanese PDFs come from the cache.

An entry is a folder ``<cache>/pdf/<key>/`` with the PDFs, the worker's result and a manifest of SHA-256
digests; it is written to a temporary folder and renamed into place, so a killed build leaves no partial entry,
and an entry whose files do not match their digests is removed and typeset again, never used.
Like Sphinx's pickled environment, the cache is a copy of what the build made: deleting it (``taiyaku clean``
or ``--no-cache``) only costs time.

Below the jobs, :class:`PartCache` keeps the laid-out parts a volume is assembled from (front matter, papers,
covers) under ``<cache>/parts/``, keyed by each part's whole HTML (its first folio included) and the same
environment, and the page count of each paper's HTML (``pages.json``), so that a job whose volume changed lays
out only the papers that changed or moved. Entries are never pruned: ``taiyaku clean`` empties the cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Diagnostic
from .pdf.jobs import PartJob, TypesetJob, TypesetResult

log = logging.getLogger(__name__)

CACHE_DIR = ".taiyaku-cache"
"""Beside the volume's sources, ignored by git."""
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
_PACKAGE = Path(__file__).resolve().parent
_SCHEMA = "1"


def _hash_tree(digest: Any, folder: Path, contents: bool, markdown: bool = False) -> None:
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


def environment_key(volume_root: Path) -> str:
    """What every job of a build shares: versions, print code, theme, the volume's own files, installed fonts."""
    digest = hashlib.sha256(_SCHEMA.encode())
    try:
        weasyprint = metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        weasyprint = "none"
    digest.update(f"taiyaku {__version__}; weasyprint {weasyprint}".encode())
    # The print code and the theme: a change to taiyaku's own typesetting invalidates every PDF.
    _hash_tree(digest, _PACKAGE / "pdf", contents=True)
    _hash_tree(digest, _PACKAGE / "theme", contents=True)
    for name in ("content", "templates", "locales"):
        _hash_tree(digest, volume_root / name, contents=True)
    digest.update(fonts_digest())
    return digest.hexdigest()


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
            _hash_tree(digest, Path(folder).expanduser(), contents=False)
        _fonts_memo = (folders, digest.digest())
    return _fonts_memo[1]


def job_key(job: TypesetJob, environment: str) -> str:
    """The job's key: its fields without the staging paths (which differ on every build)."""
    fields = dataclasses.asdict(job)
    fields.pop("target")
    fields["offprints"] = [{k: v for k, v in o.items() if k != "target"} for o in fields["offprints"]]
    data = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((environment + "\0" + data).encode("utf-8")).hexdigest()


def part_key(part: PartJob, environment: str) -> str:
    """A part's key: its HTML (the starting folio is in it), options and sources, without its scratch path."""
    fields = dataclasses.asdict(part)
    fields.pop("target")
    data = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((environment + "\0" + data).encode("utf-8", "surrogatepass")).hexdigest()


class PDFCache:
    """Typeset PDFs by job key, under ``<root>/.taiyaku-cache/pdf`` (or another folder); the parts they are
    assembled from under ``parts/`` (:class:`PartCache`)."""

    def __init__(self, folder: Path, volume_root: Path) -> None:
        self.folder = folder / "pdf"
        self.environment = environment_key(volume_root)
        self.hits: list[str] = []
        """Labels of the jobs served from the cache in this build."""
        self.parts = PartCache(folder / "parts", self.environment)
        """The laid-out parts (front matter, papers, covers), for a job whose volume changed."""

    def _entry(self, job: TypesetJob) -> Path:
        return self.folder / job_key(job, self.environment)

    def restore(self, job: TypesetJob) -> TypesetResult | None:
        """Copy a cached job's PDFs to its targets and return its result; ``None`` when absent or corrupt."""
        entry = self._entry(job)
        manifest_path = entry / "manifest.json"
        if not manifest_path.is_file():
            return None
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            files: dict[str, str] = manifest["files"]
            for name, digest in files.items():
                if hashlib.sha256((entry / name).read_bytes()).hexdigest() != digest:
                    raise ValueError(f"{name} does not match its digest")
            data = dict(manifest["result"])
            data["problems"] = [Diagnostic(**p) for p in data.get("problems", [])]
            result = TypesetResult(**data)
            # What this build spent on it: nothing (the summary must not repeat the first build's times).
            result.layout_seconds = result.layout_cpu_seconds = result.write_seconds = 0.0
            result.offprint_seconds = result.peak_rss_mb = 0.0
            result.typeset_parts = []
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s: cache entry for %s is damaged (%s); typesetting again", entry, job.label, exc)
            shutil.rmtree(entry, ignore_errors=True)
            return None
        for name, target in _targets(job).items():
            shutil.copyfile(entry / name, target)
        self.hits.append(job.label)
        return result

    def store(self, job: TypesetJob, result: TypesetResult) -> None:
        """Keep a successful job's PDFs (written to a temporary folder, then renamed into place)."""
        if result.error or any(p.severity == "error" for p in result.problems):
            return
        entry = self._entry(job)
        if entry.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=".partial-", dir=self.folder))
        try:
            files = {}
            for name, target in _targets(job).items():
                shutil.copyfile(target, temporary / name)
                files[name] = hashlib.sha256((temporary / name).read_bytes()).hexdigest()
            data = dataclasses.asdict(result)
            data["problems"] = [dataclasses.asdict(p) for p in result.problems]
            manifest = {"files": files, "result": data}
            (temporary / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, entry)
        except OSError as exc:
            log.warning("could not keep %s in the cache: %s", job.label, exc)
            shutil.rmtree(temporary, ignore_errors=True)

    def run(self, jobs: list[TypesetJob], typeset: Callable[[list[TypesetJob]], list[TypesetResult]]
            ) -> list[TypesetResult]:
        """Results for every job, in order: from the cache where possible, the rest typeset by ``typeset``."""
        cached = {job.label: self.restore(job) for job in jobs}
        todo = [job for job in jobs if cached[job.label] is None]
        fresh = {result.label: result for result in (typeset(todo) if todo else [])}
        self.parts.save()
        for job in todo:
            if job.label in fresh:
                self.store(job, fresh[job.label])
        if self.hits:
            log.info("from the cache: %s", ", ".join(self.hits))
        return [cached[job.label] or fresh[job.label] for job in jobs if cached[job.label] or job.label in fresh]


class PartCache:
    """Laid-out parts by :func:`part_key`, each a folder with its PDF and result, checked by SHA-256 like the
    volumes; and the page count of each paper's HTML (``pages.json``), which does not depend on its folio, so
    a rebuild knows every unchanged paper's first folio before laying anything out."""

    def __init__(self, folder: Path, environment: str) -> None:
        self.folder = folder
        self.environment = environment
        self.hits = 0
        """Parts served from the cache in this build."""
        self._memo_path = folder / "pages.json"
        try:
            memo = json.loads(self._memo_path.read_text(encoding="utf-8"))
            self._layouts: dict[str, int] = dict(memo["layouts"])
            self._names: dict[str, int] = dict(memo["names"])
        except (OSError, ValueError, KeyError, TypeError):
            self._layouts, self._names = {}, {}
        self._changed = False

    def _entry(self, part: PartJob) -> Path:
        key = part_key(part, self.environment)
        return self.folder / key[:2] / key

    def restore(self, part: PartJob) -> TypesetResult | None:
        """The part's result, its PDF copied to ``part.target``; ``None`` when absent or damaged."""
        entry = self._entry(part)
        manifest_path = entry / "manifest.json"
        if not manifest_path.is_file():
            return None
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            data = (entry / "part.pdf").read_bytes()
            if hashlib.sha256(data).hexdigest() != manifest["sha256"]:
                raise ValueError("part.pdf does not match its digest")
            fields = dict(manifest["result"])
            fields["problems"] = [Diagnostic(**p) for p in fields.get("problems", [])]
            result = TypesetResult(**fields)
            result.layout_seconds = result.layout_cpu_seconds = result.write_seconds = 0.0
            result.offprint_seconds = result.peak_rss_mb = 0.0
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s: cache entry for %s of %s is damaged (%s); typesetting it again", entry, part.name,
                        part.label, exc)
            shutil.rmtree(entry, ignore_errors=True)
            return None
        target = Path(part.target)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.hits += 1
        return result

    def store(self, part: PartJob, result: TypesetResult) -> None:
        """Keep a part laid out without errors (written to a temporary folder, then renamed into place)."""
        if result.error or any(p.severity == "error" for p in result.problems):
            return
        entry = self._entry(part)
        if entry.exists():
            return
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            temporary = Path(tempfile.mkdtemp(prefix=".partial-", dir=entry.parent))
        except OSError as exc:
            log.warning("could not keep %s of %s in the cache: %s", part.name, part.label, exc)
            return
        try:
            data = Path(part.target).read_bytes()
            (temporary / "part.pdf").write_bytes(data)
            fields = dataclasses.asdict(result)
            fields["problems"] = [dataclasses.asdict(p) for p in result.problems]
            manifest = {"sha256": hashlib.sha256(data).hexdigest(), "result": fields}
            (temporary / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, entry)
        except OSError as exc:
            log.warning("could not keep %s of %s in the cache: %s", part.name, part.label, exc)
            shutil.rmtree(temporary, ignore_errors=True)

    def pages(self, layout: str) -> int | None:
        """The page count of a paper whose HTML hashes to ``layout``, if it was laid out before."""
        return self._layouts.get(layout)

    def last_pages(self, name: str) -> int | None:
        """The page count the paper ``name`` had when last laid out (a guess for its successors' folios)."""
        return self._names.get(name)

    def remember(self, layout: str, name: str, pages: int) -> None:
        """Record a paper's page count (kept by :meth:`save`)."""
        if self._layouts.get(layout) != pages or self._names.get(name) != pages:
            self._layouts[layout] = pages
            self._names[name] = pages
            self._changed = True

    def save(self) -> None:
        """Write the page counts (a temporary file renamed into place)."""
        if not self._changed:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self._memo_path.with_suffix(".partial")
            temporary.write_text(json.dumps({"layouts": self._layouts, "names": self._names}, sort_keys=True),
                                 encoding="utf-8")
            os.replace(temporary, self._memo_path)
            self._changed = False
        except OSError as exc:
            log.debug("could not record page counts in %s: %s", self._memo_path, exc)


def _targets(job: TypesetJob) -> dict[str, str]:
    """Cache file name → the staging path the job writes (the volume PDF, then each offprint)."""
    found = {"volume.pdf": job.target}
    found.update({f"offprint-{index}.pdf": offprint.target for index, offprint in enumerate(job.offprints)})
    return found


def clean(folder: Path) -> bool:
    """Remove the cache folder; ``True`` when there was one."""
    if folder.is_dir():
        shutil.rmtree(folder)
        return True
    return False


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
        digest = hashlib.sha256(f"{_SCHEMA}\0{options}\0".encode())
        _hash_tree(digest, _PACKAGE, contents=True)
        for name in ("content", "templates", "locales"):
            _hash_tree(digest, root / name, contents=True, markdown=True)
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
