"""What ``taiyaku check`` keeps between runs, in ``<cache folder>/check/entries.json``: each pair's findings, the
translations' bases and the parsed git history, each under a key made of everything that decided it.

A key hashes the inputs (the two files' texts and paths, the pair's history as commit hashes, the settings that
change findings) with a digest of the checker's own code, so an entry can only be reused for the same question
asked of the same code: a warm check gives the answer a cold one gives (``tests/check/test_check_cache.py``).
The file is read once and written once, atomically (a temporary file renamed over it); a damaged, foreign or
older-schema file is ignored and replaced. Entries unused for :data:`~taiyaku.cache.IDLE_DAYS` days are dropped.
Deleting the folder, or ``--no-cache``, only costs time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import (STATUSES, CatalogProblem, CatalogReport, CatalogStats, ChangedBlock, DocumentReport, Problem,
                    SourceChange)

if TYPE_CHECKING:
    from ..config import VolumeConfig
    from ..read.text import SourceText
    from .equivalence import MarkupRules
    from .glossary import Facts, HouseRules
    from .history import Staleness

log = logging.getLogger(__name__)

SCHEMA = 1
"""The entries' layout: another value makes every entry foreign."""
FILE = "entries.json"
_CODE_FILES = ("check", "read", "config.py", "config_fields.py", "lang.py", "i18n.py", "errors.py", "model.py")
"""What decides the checker's findings, hashed into every key: a changed line of it makes every entry foreign."""

_code_memo: str | None = None


def code_digest() -> str:
    """The checker's code (and taiyaku's version) as one digest, computed once per process."""
    global _code_memo
    if _code_memo is None:
        from .. import __version__

        package = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256(f"{SCHEMA}\0{__version__}\0".encode())
        for name in _CODE_FILES:
            found = sorted((package / name).rglob("*.py")) if (package / name).is_dir() else [package / name]
            for path in found:
                digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
        _code_memo = digest.hexdigest()
    return _code_memo


def make_key(*parts: object) -> str:
    """A key for ``parts`` (strings, numbers, lists of them; ``repr`` is stable for these)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def text_digest(text: str | None) -> str:
    """A file text's digest for a key (``-`` for a file that could not be read)."""
    if text is None:
        return "-"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


class CheckCache:
    """The entries of one cache folder; ``folder`` ``None`` keeps nothing (``--no-cache``, the build's check)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "check" if folder is not None else None
        self.code = code_digest() if folder is not None else ""
        self._old: dict[str, list[Any]] = {}
        self._new: dict[str, Any] = {}
        self._today = int(time.time() // 86400)
        self._changed = False
        """Whether :meth:`save` has anything to write: a new entry, or an entry last used on another day."""
        self.hits = 0
        self.misses = 0
        if self.folder is not None:
            self._old = self._read(self.folder / FILE)

    @property
    def enabled(self) -> bool:
        """Whether entries are kept at all."""
        return self.folder is not None

    @property
    def empty(self) -> bool:
        """Whether no earlier run left entries (or none are kept): this check compares everything."""
        return not self._old

    def _read(self, path: Path) -> dict[str, list[Any]]:
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.debug("%s: unreadable, ignored (%s)", path, exc)
            return {}
        if not isinstance(data, dict) or data.get("schema") != SCHEMA or data.get("code") != self.code \
                or not isinstance(data.get("entries"), dict):
            log.debug("%s: made by other code, ignored", path)
            return {}
        return {k: v for k, v in data["entries"].items() if isinstance(v, list) and len(v) == 2}

    def get(self, key: str) -> Any | None:
        """The value kept under ``key`` (marked used), or ``None``."""
        if self.folder is None:
            return None
        if key in self._new:
            return self._new[key]
        entry = self._old.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self._new[key] = entry[1]
        if entry[0] != self._today:
            self._changed = True  # (only ever set: the history thread uses the cache beside the main one)
        return entry[1]

    def put(self, key: str, value: Any) -> None:
        """Keep ``value`` (JSON data) under ``key``."""
        if self.folder is not None:
            self._new[key] = value
            entry = self._old.get(key)
            if entry is None or entry[1] != value or entry[0] != self._today:
                self._changed = True

    def front_matter(self) -> _FrontMatter:
        """Front matter parsed by earlier checks (:class:`~taiyaku.read.frontmatter.ParsedYaml`)."""
        return _FrontMatter(self)

    def save(self) -> None:
        """Write the entries used or made by this run, and those of other runs used within ``IDLE_DAYS``."""
        if self.folder is None or not self._changed:
            return  # a warm check that found everything it asked for, today: the file says the same already
        import tempfile

        from ..cache import IDLE_DAYS
        today = self._today
        entries = {k: v for k, v in self._old.items() if v[0] >= today - IDLE_DAYS and k not in self._new}
        entries.update((k, [today, v]) for k, v in self._new.items())
        data = json.dumps({"schema": SCHEMA, "code": self.code, "entries": entries}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8", "surrogatepass")
        temporary = None
        try:
            created = not self.folder.parent.exists()
            self.folder.mkdir(parents=True, exist_ok=True)
            if created:  # a cache made in a repository of someone else's (a Hugo site) stays out of its git status
                (self.folder.parent / ".gitignore").write_text("*\n", encoding="utf-8")
            fd, temporary = tempfile.mkstemp(prefix=".entries-", dir=self.folder)
            os.fchmod(fd, 0o644)  # as any file the check writes (mkstemp makes it private)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temporary, self.folder / FILE)
        except OSError as exc:
            log.debug("could not keep the check's cache in %s: %s", self.folder, exc)
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)


class _FrontMatter:
    """Parsed YAML kept by its text's digest, as JSON text: only plain data (mappings with text keys, lists, text,
    numbers, booleans, null) is kept, so what comes back is what YAML made (a date stays unkept, parsed again)."""

    def __init__(self, cache: CheckCache) -> None:
        self.cache = cache

    def get(self, yaml_text: str) -> Any | None:
        """The data, a fresh object each time; ``None`` when not kept (or damaged)."""
        kept = self.cache.get("yaml:" + text_digest(yaml_text))
        if not isinstance(kept, str):
            return None
        try:
            return json.loads(kept)
        except ValueError:
            return None

    def put(self, yaml_text: str, data: Any) -> None:
        """Keep ``data`` if it is plain."""
        if data is not None and _plain(data):
            self.cache.put("yaml:" + text_digest(yaml_text), json.dumps(data, ensure_ascii=False))


def _plain(data: Any) -> bool:
    """Whether ``data`` comes back from JSON as it is (no dates, sets, tuples, binary, non-text keys)."""
    if data is None or isinstance(data, (str, bool, int, float)):
        return True
    if isinstance(data, list):
        return all(_plain(item) for item in data)
    if isinstance(data, dict):
        return all(isinstance(key, str) and _plain(value) for key, value in data.items())
    return False


def report_to_json(report: DocumentReport) -> list[Any]:
    """A pair's report as cache data (everything but the alignment, which a cached report does not carry)."""
    return [report.source, report.translation, report.status,
            [[p.path, p.line, p.category, p.message, p.severity, p.source_line, p.translation_line]
             for p in report.problems],
            [[c.commit, c.sha, c.date, c.subject] for c in report.source_changes],
            [[b.source_line, b.translation_line, b.change, b.old_source, b.source, b.translation]
             for b in report.changed_blocks],
            report.source_commit, report.pin_key, report.translated_from, report.base_commit, report.silenced]


def report_from_json(data: list[Any]) -> DocumentReport:
    """:func:`report_to_json` read back."""
    (source, translation, status, problems, changes, blocks, source_commit, pin_key, translated_from, base_commit,
     silenced) = data
    return DocumentReport(
        source, translation, status, [Problem(*p) for p in problems], [SourceChange(*c) for c in changes],
        [ChangedBlock(*b) for b in blocks], source_commit, pin_key, translated_from, base_commit, silenced)


def kept_pair(data: Any) -> tuple[DocumentReport, Facts] | None:
    """A pair's entry (its report and the facts the glossary compares across documents); ``None`` when absent or
    not of the shape this code writes (then the pair is compared again)."""
    if data is None:
        return None
    try:
        report, facts = data
        kept = report_from_json(report)
        if kept.status not in STATUSES or any(len(fact) != 6 for fact in facts):
            return None
        return kept, [tuple(fact) for fact in facts]  # type: ignore[misc]
    except (TypeError, ValueError):
        return None


def pair_settings(config: VolumeConfig, rules: MarkupRules, houses: dict[str, HouseRules],
                  prefix: str = "") -> dict[str, tuple[Any, ...]]:
    """Per translation language, every setting that changes a pair's findings (the glossary's terms included);
    ``prefix``, the volume's folder in its repository, says where old sources are read at a commit."""
    check = config.check
    return {lang: (lang, config.source_language, check.pin_key, list(check.translatable_keys), list(check.identifiers),
                   rules.base_url, rules.equivalents, list(check.style), house.style_severity, house.term_severity,
                   repr(house.terms), prefix)
            for lang, house in houses.items()}


def pair_key(settings: tuple[Any, ...], source: SourceText, translation: SourceText,
             staleness: Staleness | None) -> str:
    """The key of one pair's findings: both files (path, text, how read), its history (the base and the later
    source commits by hash, which fixes the old source's text too) and the language's settings."""
    history: tuple[Any, ...] | None = None
    if staleness is not None:
        history = (staleness.base.sha if staleness.base else None, staleness.pinned,
                   [(c.sha, c.date, c.subject) for c in staleness.later], staleness.dirty, staleness.unknown_pin,
                   staleness.shallow_pin)
    return make_key("pair", settings, history,
                    [(doc.path, text_digest(doc.text), doc.mdx, doc.commonmark) for doc in (source, translation)])


def ui_digest(root: Path, theme_root: Path) -> str:
    """Everything the UI catalogs' check reads (the volume's and the theme's templates and catalogs), hashed."""
    from ..cache import hash_tree

    digest = hashlib.sha256(str(root.resolve() == theme_root.resolve()).encode())
    for base in (root, theme_root):
        for name in ("templates", "locales"):
            digest.update(f"\0{base == root}:{name}\0".encode())
            hash_tree(digest, base / name, contents=True, markdown=True)
    return digest.hexdigest()


def catalog_to_json(report: CatalogReport) -> list[Any]:
    """A language's UI catalog report as cache data."""
    def stats(found: CatalogStats | None) -> list[Any] | None:
        return None if found is None else [found.path, found.exists, found.total, found.translated, found.fuzzy,
                                           found.untranslated, found.obsolete]

    return [stats(report.stats), stats(report.theme), report.used, report.used_translated,
            [[p.kind, p.severity, p.message, p.msgid, p.line] for p in report.problems]]


def kept_catalog(data: Any) -> CatalogReport | None:
    """:func:`catalog_to_json` read back; ``None`` when absent or of another shape."""
    if data is None:
        return None
    try:
        stats, theme, used, used_translated, problems = data
        return CatalogReport(CatalogStats(*stats), CatalogStats(*theme) if theme is not None else None, used,
                             used_translated, [CatalogProblem(*p) for p in problems])
    except (TypeError, ValueError):
        return None
