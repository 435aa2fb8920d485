"""A content-addressed cache of typeset PDFs: a rebuild typesets only the jobs whose inputs changed.

A job's key hashes everything that can change its PDFs: the print HTML and offprint covers (which already hold
the documents, front matter, templates, stylesheet and UI strings of that language), the job's options, the bytes
of every file the volume may load while typesetting (images under ``content/``, the volume's templates and the
theme), the fonts installed on the machine (path, size and time of each file), and the versions of taiyaku,
its print code and WeasyPrint. Editing an English paragraph changes only the English print HTML, so the
Japanese PDFs come from the cache.

An entry (:class:`taiyaku.cache.Entries`) is a folder ``<cache>/pdf/<key>/`` with the PDFs, the worker's result
and a manifest of SHA-256 digests; it is written to a temporary folder and renamed into place, so a killed build
leaves no partial entry, and an entry whose files do not match their digests is removed and typeset again, never
used. Like Sphinx's pickled environment, the cache is a copy of what the build made: deleting it (``taiyaku
clean`` or ``--no-cache``) only costs time.

Below the jobs, :class:`PartCache` keeps the laid-out parts a volume is assembled from (front matter, papers,
the sheet of folios and running heads, batches of covers) under ``<cache>/parts/``, keyed by each part's whole
HTML and the same environment (a paper's HTML holds no folio: :mod:`.furniture`), the offprints by what they
are assembled from (an edit that moves no page range assembles no offprint but its own paper's again), and the
page count of each paper's HTML (``pages.json``), so that a job whose volume changed lays out only the papers
that changed.

Every entry records its *slot*: the volume configuration it belongs to (the volume folder, the PDF's label, its
profile and PDF variant), everything but its content. After a build whose PDFs all succeeded, the cache is
pruned (:meth:`PDFCache.prune`), like a mark-and-sweep collector scoped to what the build saw: in each slot this
build used, the entries it did not use go (the old versions of an edited paper, a paper at a folio it no longer
has, the volume PDFs those made); slots it did not touch (the other language after ``--lang``, the print profile
after a screen build) keep theirs until they have not been used for :data:`~taiyaku.cache.IDLE_DAYS` days (a
deleted language, a renamed volume). So the cache holds about one copy of each volume configuration built lately,
however many edits were made. Builds sharing a cache hold a shared lock on ``<cache>/lock`` while they read and
add entries; pruning takes it exclusively and is skipped when another build holds it, so no entry goes while a
build may use it. ``taiyaku clean`` empties the cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from ..cache import IDLE_DAYS, SCHEMA, Entries, cache_lock, fonts_digest, hash_tree
from ..errors import Diagnostic
from .jobs import PartJob, TypesetJob, TypesetResult

log = logging.getLogger(__name__)

LAYOUTS_PER_PAPER = 4
"""Page counts remembered per paper (its latest layouts: both profiles, an edit and its undo)."""
_PRINT_CODE = Path(__file__).resolve().parent
_THEME = _PRINT_CODE.parent / "theme"


def environment_key(volume_root: Path) -> str:
    """What every job of a build shares: versions, print code, theme, the volume's own files, installed fonts."""
    digest = hashlib.sha256(SCHEMA.encode())
    try:
        weasyprint = metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        weasyprint = "none"
    digest.update(f"taiyaku {__version__}; weasyprint {weasyprint}".encode())
    # The print code and the theme: a change to taiyaku's own typesetting invalidates every PDF.
    hash_tree(digest, _PRINT_CODE, contents=True)
    hash_tree(digest, _THEME, contents=True)
    for name in ("content", "templates", "locales"):
        hash_tree(digest, volume_root / name, contents=True)
    digest.update(fonts_digest())
    return digest.hexdigest()


def job_key(job: TypesetJob, environment: str) -> str:
    """The job's key: its fields without the staging paths (which differ on every build)."""
    fields = dataclasses.asdict(job)
    fields.pop("target")
    fields["offprints"] = [{k: v for k, v in o.items() if k != "target"} for o in fields["offprints"]]
    data = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((environment + "\0" + data).encode("utf-8")).hexdigest()


def part_key(part: PartJob, environment: str) -> str:
    """A part's key: its HTML, options and sources, without its scratch path."""
    fields = dataclasses.asdict(part)
    fields.pop("target")
    data = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((environment + "\0" + data).encode("utf-8", "surrogatepass")).hexdigest()


def _offprint_key(key: str, environment: str) -> str:
    """An offprint's entry: what it is assembled from (whose bytes follow from their HTML and the environment)."""
    return hashlib.sha256(f"offprint\0{key}\0{environment}".encode()).hexdigest()


def slot_of(origin: str, job: TypesetJob | PartJob) -> str:
    """The volume configuration an entry belongs to, whatever its content: the volume folder (``origin``), the
    PDF's label, profile and variant. A volume PDF and its parts share their slot."""
    fields = (origin, job.label, job.profile, str(job.pdf_variant), str(job.typography))
    return hashlib.sha256("\0".join(fields).encode("utf-8", "surrogateescape")).hexdigest()[:32]


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
        self._keys: dict[int, tuple[TypesetJob, str]] = {}
        """Each job's key by the job (asked for up to three times: held, restored, stored)."""

    def holds(self, job: TypesetJob) -> bool:
        """Whether the job's PDFs are kept whole (then none of its parts is laid out)."""
        return self.entries.holds(self._job_key(job))

    def _job_key(self, job: TypesetJob) -> str:
        kept = self._keys.get(id(job))
        if kept is None or kept[0] is not job:
            kept = self._keys[id(job)] = (job, job_key(job, self.environment))
        return kept[1]

    def restore(self, job: TypesetJob) -> TypesetResult | None:
        """Copy a cached job's PDFs to its targets and return its result; ``None`` when absent or corrupt."""
        result = self.entries.restore(self._job_key(job), _targets(job), job.label, _load_result)
        if result is not None:
            self.hits.append(job.label)
        return result

    def store(self, job: TypesetJob, result: TypesetResult) -> None:
        """Keep a successful job's PDFs (written to a temporary folder, then renamed into place)."""
        if succeeded(result):
            self.entries.store(self._job_key(job), slot_of(self.origin, job), _targets(job),
                               dataclasses.asdict(result), job.label)

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
        self._keys: dict[tuple[str, str], tuple[PartJob, str]] = {}
        """Each part's key by its volume and name, with the part it was made for: a part is looked for early
        (:mod:`.early`), then restored or laid out and stored, and its key (a hash of its whole HTML) is made once
        (the part looked for again differs in its scratch path only)."""

    def holds(self, part: PartJob) -> bool:
        """Whether the part is kept (not checked against its digest: :meth:`restore` does)."""
        return self.entries.holds(self._key(part))

    def _key(self, part: PartJob) -> str:
        kept = self._keys.get((part.label, part.name))
        if kept is None or (kept[0] is not part and dataclasses.replace(kept[0], target=part.target) != part):
            kept = self._keys[(part.label, part.name)] = (part, part_key(part, self.environment))
        return kept[1]

    def restore(self, part: PartJob) -> TypesetResult | None:
        """The part's result, its PDF linked (or copied) to ``part.target``, a scratch file the assembly only
        reads; ``None`` when absent or damaged."""
        result = self.entries.restore(self._key(part), {"part.pdf": part.target},
                                      f"{part.name} of {part.label}", _load_result, link=True)
        if result is not None:
            self.hits += 1
        return result

    def store(self, part: PartJob, result: TypesetResult) -> None:
        """Keep a part laid out without errors (written to a temporary folder, then renamed into place)."""
        if succeeded(result):
            self.entries.store(self._key(part), slot_of(self.origin, part),
                               {"part.pdf": part.target}, dataclasses.asdict(result), f"{part.name} of {part.label}",
                               link=True)

    def deflated(self, label: str) -> Path | None:
        """The file of the volume's compressed page content (:mod:`.deflated`), beside the parts."""
        from .deflated import memo_path

        return memo_path(self.folder, label)

    def restore_offprint(self, key: str, target: str) -> int | None:
        """An offprint assembled before from the same parts (``key``: :attr:`.offprints.OffprintWork.key`), copied to
        ``target``: its page count; ``None`` when not kept."""
        fields = self.entries.restore(_offprint_key(key, self.environment), {"offprint.pdf": target},
                                      f"offprint {Path(target).name}", dict)
        return int(fields["pages"]) if fields is not None else None

    def store_offprint(self, key: str, job: TypesetJob, target: str, pages: int) -> None:
        """Keep an offprint assembled by this build."""
        self.entries.store(_offprint_key(key, self.environment), slot_of(self.origin, job), {"offprint.pdf": target},
                           {"pages": pages, "label": job.label}, f"offprint {Path(target).name}")

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
