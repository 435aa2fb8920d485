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
out only the papers that changed or moved.

Every entry records its *slot*: the volume configuration it belongs to (the volume folder, the PDF's label, its
profile and PDF variant), everything but its content. After a build whose PDFs all succeeded, the cache is
pruned (:meth:`PDFCache.prune`), like a mark-and-sweep collector scoped to what the build saw: in each slot this
build used, the entries it did not use go (the old versions of an edited paper, a paper at a folio it no longer
has, the volume PDFs those made); slots it did not touch (the other language after ``--lang``, the print profile
after a screen build) keep theirs until they have not been used for :data:`IDLE_DAYS` days (a deleted language,
a renamed volume). So the cache holds about one copy of each volume configuration built lately, however many
edits were made. Builds sharing a cache hold a shared lock on ``<cache>/lock`` while they read and add entries;
pruning takes it exclusively and is skipped when another build holds it, so no entry goes while a build may use
it. ``taiyaku clean`` empties the cache.
"""

from __future__ import annotations

import dataclasses
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
IDLE_DAYS = 30
"""A slot (a volume configuration) no build has used for this many days loses its entries when a build prunes."""
LAYOUTS_PER_PAPER = 4
"""Page counts remembered per paper (its latest layouts: both profiles, an edit and its undo)."""
LOCK_FILE = "lock"
"""In the cache folder: shared by the builds using the cache, exclusive while one prunes it."""
_PACKAGE = Path(__file__).resolve().parent
_SCHEMA = "2"


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


def slot_of(origin: str, job: TypesetJob | PartJob) -> str:
    """The volume configuration an entry belongs to, whatever its content: the volume folder (``origin``), the
    PDF's label, profile and variant. A volume PDF and its parts share their slot."""
    fields = (origin, job.label, job.profile, str(job.pdf_variant), str(job.typography))
    return hashlib.sha256("\0".join(fields).encode("utf-8", "surrogateescape")).hexdigest()[:32]


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


def succeeded(result: TypesetResult) -> bool:
    """Whether a worker's result is fit to keep: no error, no problem of error severity."""
    return not result.error and not any(p.severity == "error" for p in result.problems)


def _load_result(fields: dict[str, Any]) -> TypesetResult:
    """A result read back from an entry's manifest."""
    fields = dict(fields)
    fields["problems"] = [Diagnostic(**p) for p in fields.get("problems", [])]
    result = TypesetResult(**fields)
    # What this build spent on it: nothing (the summary must not repeat the first build's times).
    result.layout_seconds = result.layout_cpu_seconds = result.write_seconds = 0.0
    result.offprint_seconds = result.peak_rss_mb = 0.0
    result.typeset_parts = []
    return result


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

    def restore(self, key: str, targets: dict[str, str], what: str) -> TypesetResult | None:
        """Write the entry's files to ``targets`` (name → path) and return its result; ``None`` when absent or
        damaged (then removed)."""
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
            result = _load_result(manifest["result"])
            slot = str(manifest["slot"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s: cache entry for %s is damaged (%s); typesetting it again", entry, what, exc)
            shutil.rmtree(entry, ignore_errors=True)
            return None
        for name, target in targets.items():
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            Path(target).write_bytes(files[name])
        self._use(entry, slot)
        return result

    def store(self, key: str, slot: str, sources: dict[str, str], result: TypesetResult, what: str) -> None:
        """Keep the files ``sources`` (name → path) of a result without errors."""
        if not succeeded(result):
            return
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
                (temporary / name).write_bytes(data)
                digests[name] = hashlib.sha256(data).hexdigest()
            manifest = {"files": digests, "slot": slot, "result": dataclasses.asdict(result)}
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


class PDFCache:
    """Typeset PDFs by job key, under ``<root>/.taiyaku-cache/pdf`` (or another folder); the parts they are
    assembled from under ``parts/`` (:class:`PartCache`)."""

    def __init__(self, folder: Path, volume_root: Path) -> None:
        self.root = folder
        self.folder = folder / "pdf"
        self.environment = environment_key(volume_root)
        self.origin = str(volume_root.resolve())
        """The volume folder, in every slot: volumes sharing a ``--cache-dir`` do not prune each other's entries."""
        self.entries = Entries(self.folder, fan_out=False)
        self.hits: list[str] = []
        """Labels of the jobs served from the cache in this build."""
        self.parts = PartCache(folder / "parts", self.environment, self.origin)
        """The laid-out parts (front matter, papers, covers), for a job whose volume changed."""

    def restore(self, job: TypesetJob) -> TypesetResult | None:
        """Copy a cached job's PDFs to its targets and return its result; ``None`` when absent or corrupt."""
        result = self.entries.restore(job_key(job, self.environment), _targets(job), job.label)
        if result is not None:
            self.hits.append(job.label)
        return result

    def store(self, job: TypesetJob, result: TypesetResult) -> None:
        """Keep a successful job's PDFs (written to a temporary folder, then renamed into place)."""
        self.entries.store(job_key(job, self.environment), slot_of(self.origin, job), _targets(job), result,
                           job.label)

    def run(self, jobs: list[TypesetJob], typeset: Callable[[list[TypesetJob]], list[TypesetResult]]
            ) -> list[TypesetResult]:
        """Results for every job, in order: from the cache where possible, the rest typeset by ``typeset``;
        then, when every job succeeded, the cache pruned (:meth:`prune`)."""
        with cache_lock(self.root, exclusive=False):
            cached = {job.label: self.restore(job) for job in jobs}
            todo = [job for job in jobs if cached[job.label] is None]
            fresh = {result.label: result for result in (typeset(todo) if todo else [])}
            self.parts.save()
            for job in todo:
                if job.label in fresh:
                    self.store(job, fresh[job.label])
        if self.hits:
            log.info("from the cache: %s", ", ".join(self.hits))
        results = [cached[job.label] or fresh[job.label] for job in jobs if cached[job.label] or job.label in fresh]
        if len(results) == len(jobs) and all(succeeded(r) for r in results):
            self.prune()
        return results

    def prune(self) -> tuple[int, int]:
        """Remove what this build made obsolete, unless another build is using the cache (then a later build
        does it): see the module's docstring. Returns (entries removed, bytes freed)."""
        with cache_lock(self.root, exclusive=True) as held:
            if not held:
                log.debug("%s: another build is using the cache; pruning is left to a later build", self.root)
                return 0, 0
            removed = freed = 0
            for entries in (self.entries, self.parts.entries):
                count, size = entries.prune()
                removed, freed = removed + count, freed + size
        if removed:
            log.debug("%s: removed %d entries no longer used (%.1f MB)", self.root, removed, freed / 1e6)
        return removed, freed


class PartCache:
    """Laid-out parts by :func:`part_key`, each an entry with its PDF and result (:class:`Entries`); and the page
    count of each paper's HTML (``pages.json``), which does not depend on its folio, so a rebuild knows every
    unchanged paper's first folio before laying anything out."""

    def __init__(self, folder: Path, environment: str, origin: str = "") -> None:
        self.folder = folder
        self.environment = environment
        self.origin = origin
        """The volume folder (for the parts' slots)."""
        self.entries = Entries(folder, fan_out=True)
        self.hits = 0
        """Parts served from the cache in this build."""
        self._memo_path = folder / "pages.json"
        self._layouts: dict[str, tuple[int, str, float]] = {}
        """Layout id → (page count, paper name, last use)."""
        self._names: dict[str, int] = {}
        try:
            memo = json.loads(self._memo_path.read_text(encoding="utf-8"))
            self._names = {str(k): int(v) for k, v in memo["names"].items()}
            self._layouts = {str(k): (int(v[0]), str(v[1]), float(v[2])) for k, v in memo["layouts"].items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            self._layouts, self._names = {}, {}
        self._changed = False

    def restore(self, part: PartJob) -> TypesetResult | None:
        """The part's result, its PDF copied to ``part.target``; ``None`` when absent or damaged."""
        result = self.entries.restore(part_key(part, self.environment), {"part.pdf": part.target},
                                      f"{part.name} of {part.label}")
        if result is not None:
            self.hits += 1
        return result

    def store(self, part: PartJob, result: TypesetResult) -> None:
        """Keep a part laid out without errors (written to a temporary folder, then renamed into place)."""
        self.entries.store(part_key(part, self.environment), slot_of(self.origin, part), {"part.pdf": part.target},
                           result, f"{part.name} of {part.label}")

    def pages(self, layout: str) -> int | None:
        """The page count of a paper whose HTML hashes to ``layout``, if it was laid out before."""
        known = self._layouts.get(layout)
        if known is None:
            return None
        self._layouts[layout] = (known[0], known[1], time.time())
        self._changed = True
        return known[0]

    def last_pages(self, name: str) -> int | None:
        """The page count the paper ``name`` had when last laid out (a guess for its successors' folios)."""
        return self._names.get(name)

    def remember(self, layout: str, name: str, pages: int) -> None:
        """Record a paper's page count (kept by :meth:`save`)."""
        self._layouts[layout] = (pages, name, time.time())
        self._names[name] = pages
        self._changed = True

    def save(self) -> None:
        """Write the page counts (a temporary file renamed into place): the latest :data:`LAYOUTS_PER_PAPER`
        layouts of each paper used in the last :data:`IDLE_DAYS` days."""
        if not self._changed:
            return
        idle_before = time.time() - IDLE_DAYS * 86400
        latest = sorted(self._layouts.items(), key=lambda item: -item[1][2])
        kept: dict[str, tuple[int, str, float]] = {}
        per_name: dict[str, int] = {}
        for layout, (pages, name, used) in latest:
            per_name[name] = per_name.get(name, 0) + 1
            if per_name[name] <= LAYOUTS_PER_PAPER and used >= idle_before:
                kept[layout] = (pages, name, used)
        self._layouts = kept
        names = {name for _, name, _ in kept.values()}
        self._names = {name: pages for name, pages in self._names.items() if name in names}
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
