"""The whole check, phase by phase: config → read every document → git history once → pairs → catalogs.

Every file is read before anything is compared; the git history is read in one pass and old sources in one
batch, so the check's cost grows with the volume, not with processes per file.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..config import VolumeConfig, load_config
from ..errors import Diagnostics
from ..model import Volume
from ..read.frontmatter import ParsedYaml
from ..read.layout import Layout, load_layout
from ..read.sources import read_volume
from ..read.text import SourceText
from .cache import (CheckCache, catalog_to_json, kept_catalog, kept_pair, make_key, pair_key, pair_settings,
                    report_to_json, ui_digest)
from .context import PairContext
from .glossary import Facts, Glossary, HouseRules, load_glossary
from .history import Commit, History, Staleness, load_history
from .equivalence import markup_rules
from .housekeeping import source_drift, translation_bases
from .model import (CatalogReport, CheckReport, CheckUsageError, DocumentReport, GitInfo, LanguageReport,
                    VolumeProblem)

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

log = logging.getLogger(__name__)

def load_for_check(root: Path, languages: list[str] | None = None,
                   parsed: ParsedYaml | None = None) -> tuple[Volume, list[VolumeProblem]]:
    """Read the volume as the build reads it (each file once, Markdown not rendered), for ``taiyaku check``
    (``parsed``: front matter parsed by an earlier check, from the cache).

    Returns the volume and the problems that belong to no document (``volume.toml``, a link out of the
    volume). Raises :class:`CheckUsageError` when there is nothing to check or a language is unknown.
    """
    diagnostics = Diagnostics()
    config = load_config(root, diagnostics)
    layout = load_layout(config.content)
    if layout.default and not (root / "content").is_dir():
        raise CheckUsageError(f"no content/ folder under {root}: a volume keeps its documents in content/<lang>/*.md "
                              "(or says where they are with [content] source and translations in volume.toml)")
    problems = [VolumeProblem(d.path, d.line, d.category, d.severity, d.message) for d in diagnostics.items]
    targets = _targets(config, languages)
    # Only the languages checked are read: another language's broken files never fail a --lang run.
    read = Diagnostics()
    langs = [config.source_language] + targets
    volume = read_volume(root, config, read, langs, include_drafts=True, render=False, parsed=parsed)
    known = {file.path for files in volume.files.values() for file in files.values()}
    folders = {base.rstrip("/") for lang in langs for base in layout.bases(lang, config.source_language)}
    folders |= {(g.source if lang == config.source_language else g.translations).text.replace("{lang}", lang)
                for lang in langs for g in layout.groups}
    # Problems of a file are reported with its document; a folder's are the check's own (missing documents).
    problems += [VolumeProblem(d.path, d.line, d.category, d.severity, d.message) for d in read.items
                 if d.path not in known and d.path not in folders]
    return volume, problems


class _HistoryReader:
    """:func:`load_history` in a thread (git runs as its own process meanwhile)."""

    def __init__(self, root: Path, config: VolumeConfig, cache: CheckCache) -> None:
        prefixes = load_layout(config.content).roots
        self._history: History | None = None
        self._thread = threading.Thread(target=self._run, args=(root, config.check.ignore_commit_markers, prefixes,
                                                                cache), daemon=True)
        self._thread.start()

    def _run(self, root: Path, markers: list[str], prefixes: list[str], cache: CheckCache) -> None:
        self._history = load_history(root, markers, prefixes, cache if cache.enabled else None)

    def result(self, meanwhile: list[SourceText] | None = None) -> History:
        """The history, once read; while git is still reading it, the bodies of ``meanwhile`` are split into
        blocks (which the comparison needs anyway), so that the wait is not idle."""
        for file in meanwhile or ():
            if not self._thread.is_alive():
                break
            file.parsed  # noqa: B018 (a cached property: split now, used later)
        self._thread.join()
        assert self._history is not None
        return self._history


def _targets(config: VolumeConfig, languages: list[str] | None) -> list[str]:
    source_lang = config.source_language
    targets = [lang for lang in config.languages if lang != source_lang]
    if languages:
        for lang in languages:
            if lang == source_lang:
                raise CheckUsageError(f"--lang {lang}: that is the source language; name a translation's language")
            if lang not in targets:
                known = ", ".join(targets) or "none"
                raise CheckUsageError(f"--lang {lang}: not a language of this volume (translations: {known})")
        targets = [lang for lang in targets if lang in languages]
    return targets


GC_THRESHOLDS = (20_000, 50, 50)
"""Python's cyclic collector while a check runs (the default is 700, 10, 10): see :func:`rare_collections`."""


@contextmanager
def rare_collections() -> Iterator[None]:
    """Python's cyclic garbage collector made rare while a check runs, then set back.

    A check builds hundreds of thousands of small objects (blocks, their texts, numbers and facts) that live to
    its end and form next to no cycles. With the default thresholds, full collections walking all of them took
    a third of the check's processor time on 1,000 documents (3.0 s against 2.1 s), and freed nothing: the peak
    memory is the same (benchmarks.md, issue 25). Collections still run, only rarely.
    """
    old = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def check_volume(volume: Volume | Path, languages: list[str] | None = None, *, history: bool = True,
                 catalogs: bool = True, paths: list[str] | None = None, glossary: str | None = None,
                 cache: Path | None = None) -> CheckReport:
    """Check every translation of a loaded volume (or only ``languages``, only ``paths``); reads only git on top.

    ``volume`` may be a folder, read with :func:`load_for_check`. ``paths`` are volume-relative files or folders
    (``content/ja/guide``, ``content/en/x.md``): only documents under them are checked, and the UI catalogs only
    when no path is given. ``glossary`` (a file) stands for ``[check] glossary``. ``cache`` is a cache folder
    (``.taiyaku-cache``): pairs checked before with the same inputs are not compared again (:mod:`.cache`); their
    reports then carry no ``alignment``. Never raises for bad content; raises :class:`CheckUsageError` for an
    unknown language.
    """
    with rare_collections():
        return _check_volume(volume, languages, history, catalogs, paths, glossary, cache)


def _check_volume(volume: Volume | Path, languages: list[str] | None, history: bool, catalogs: bool,
                  paths: list[str] | None, glossary: str | None, cache: Path | None) -> CheckReport:
    started = time.perf_counter()
    problems: list[VolumeProblem] = []
    kept = CheckCache(cache)
    # git reads the history in another process while the files are read and compared.
    root = volume if isinstance(volume, Path) else volume.root
    config = volume.config if isinstance(volume, Volume) else load_config(root, Diagnostics())
    layout = load_layout(config.content)
    pending = _HistoryReader(root, config, kept) \
        if history and any((root / base).is_dir() for base in layout.roots) else None
    if isinstance(volume, Path):
        volume, problems = load_for_check(volume, languages, kept.front_matter() if kept.enabled else None)
    root, config = volume.root, volume.config
    report = CheckReport(config.source_language, problems=problems)
    source_lang = config.source_language
    targets = [lang for lang in _targets(config, languages) if lang in volume.files or lang in volume.languages]
    if paths:
        targets = [lang for lang in targets if _in_scope(paths, layout, lang, source_lang)]
    if layout.default and not (root / "content" / source_lang).is_dir():
        report.problems.append(VolumeProblem(f"content/{source_lang}", None, "content", "error",
                                             f"no folder for the source language {source_lang!r}"))
    all_sources = volume.files.get(source_lang, {})
    scope = {lang: _scope(paths, layout, lang, source_lang, set(all_sources) | set(volume.files.get(lang, {})))
             for lang in targets} if paths else None
    sources = all_sources if scope is None else \
        {rel: file for rel, file in all_sources.items() if any(rel in rels for rels in scope.values())}
    translations = {lang: {rel: file for rel, file in volume.files.get(lang, {}).items()
                           if scope is None or rel in scope[lang]} for lang in targets}
    report.skipped = {lang: found for lang, found in volume.skipped.items()
                      if found and (lang == source_lang or lang in targets)}
    log.debug("%d files to compare, read in the same pass as the build's", len(sources) + sum(map(len, translations.values())))

    git: History | None = None
    if pending is not None and any(translations.values()):
        # A cold check splits every body; a warm one may split none (its pairs are kept): only cold ones split
        # while git works.
        meanwhile = [file for found in (sources, *translations.values()) for file in found.values()] \
            if kept.empty else None
        git = pending.result(meanwhile)
        report.notes.extend(git.notes)
        report.git = GitInfo(git.repository, git.shallow, git.head)
        log.debug("git history: %d commits in %.3f s", len(git.commits), time.perf_counter() - started)

    # A tree without UI catalogs or templates of its own (a Hugo site checked for its content) has no UI
    # strings of taiyaku's to translate: its catalogs are not checked.
    catalogs = catalogs and not paths and config.check.catalogs \
        and any((root / name).is_dir() for name in ("locales", "templates"))
    terms = None
    if glossary or config.check.glossary:
        terms = load_glossary(root, glossary or config.check.glossary, source_lang, targets)
        report.problems.extend(terms.problems)
    try:
        _check_languages(root, report, config, sources, translations, targets, git, catalogs, terms, scope, kept)
    finally:
        if git is not None:
            git.close()
    kept.save()
    log.debug("checked in %.3f s (cache: %d entries reused, %d made)", time.perf_counter() - started, kept.hits,
              kept.misses)
    return report


def _check_languages(root: Path, report: CheckReport, config: VolumeConfig, sources: dict[str, SourceText],
                     translations: dict[str, dict[str, SourceText]], targets: list[str], git: History | None,
                     catalogs: bool, glossary: Glossary | None = None,
                     scope: dict[str, set[str]] | None = None, cache: CheckCache | None = None) -> None:
    source_lang = config.source_language
    layout = load_layout(config.content)
    pin_key = config.check.pin_key
    keys = config.check.translatable_keys
    rules = markup_rules(config.base_url, config.check.equivalents)
    cache = cache or CheckCache(None)
    # Decide each pair's history first, so that every old source is read in one batch.
    bases: dict[str, Commit | None] = {}
    if git is not None and git.repository:
        unpinned = [(source.path, found.path) for lang in targets for rel, found in translations[lang].items()
                    if (source := sources.get(rel)) is not None and not source.draft
                    and _pin(found, pin_key) is None]
        bases = translation_bases(git, unpinned, config.check.translatable_keys, cache)
    houses = {lang: HouseRules(lang, config.check, glossary) for lang in targets}
    settings = pair_settings(config, rules, houses, git.prefix if git is not None else "")
    plans: dict[str, list[tuple[str, SourceText | None, SourceText | None, Staleness | None, str | None,
                             tuple[DocumentReport, Facts] | None]]] = {}
    wanted: set[tuple[str, str]] = set()
    for lang in targets:
        report.languages[lang] = LanguageReport(lang, skipped=len(report.skipped.get(lang, [])))
        plans[lang] = []
        found = translations[lang]
        for rel in sorted(set(sources) | set(found)):
            if scope is not None and rel not in scope[lang]:
                continue
            source, translation = sources.get(rel), found.get(rel)
            if source is not None and source.draft:
                report.languages[lang].drafts += 1
                continue  # the build leaves drafts out; their translations wait for them
            staleness = None
            if source is not None and translation is not None and git is not None and git.repository:
                pin = _pin(translation, pin_key)
                staleness = git.pinned(source.path, pin, pin_key) if pin is not None \
                    else git.since(source.path, bases.get(translation.path))
            key = pair_key(settings[lang], source, translation, staleness) \
                if cache.enabled and source is not None and translation is not None else None
            kept = kept_pair(cache.get(key)) if key is not None else None
            if staleness is not None and staleness.candidate and staleness.base is not None and kept is None:
                wanted.add((staleness.base.sha, source.path))  # type: ignore[union-attr]  # (kept: needs no old source)
            plans[lang].append((rel, source, translation, staleness, key, kept))
    blobs = git.read_blobs(wanted) if git is not None and wanted else {}

    ui = _Catalogs(root, cache) if catalogs else None
    for lang in targets:
        language = report.languages[lang]
        house = houses[lang]
        for rel, source, translation, staleness, key, kept in plans[lang]:
            if kept is not None:
                language.documents.append(kept[0])
                house.restore(*kept)
                continue
            # The comparison's modules (a good part of the check's imports), loaded at the first pair to compare:
            # a warm check of an unchanged tree never loads them.
            from .changes import read_old_text
            from .document import check_missing, check_orphan, check_pair

            if translation is None:
                assert source is not None
                language.documents.append(check_missing(source, layout.path_of(lang, rel, source_lang)))
                continue
            if source is None:
                language.documents.append(check_orphan(translation, layout.path_of(source_lang, rel, source_lang)))
                continue
            ctx = PairContext(source_lang, lang, staleness, pin_key=pin_key,
                              translatable_keys=config.check.translatable_keys, identifiers=config.check.identifiers,
                              markup=rules)
            if staleness is not None and staleness.candidate and staleness.base is not None:
                ctx.old_source = read_old_text(blobs.get((staleness.base.sha, source.path)))
                # Pinned or not, outdated only if the source's text differs from what the translation was made
                # from (lsync's `git diff`): a change undone later, white space, markup style and front matter
                # that holds nothing to translate (weight, sidebar_position) do not count.
                ctx.outdated = ctx.old_source != source.text and source_drift(
                    blobs.get((staleness.base.sha, source.path)), (source.text or "").encode("utf-8"),
                    (translation.text or "").encode("utf-8"), keys, rules)
            language.documents.append(check_pair(source, translation, ctx))
            facts = house.check(language.documents[-1], source, translation)
            if key is not None:
                cache.put(key, [report_to_json(language.documents[-1]), facts])
        house.finish()
        if ui is not None:
            language.catalog = ui.report(lang)


UI_LANGUAGE = "en"
"""``i18n.UI_SOURCE_LANGUAGE`` (the templates' own language, which needs no catalog), without importing Babel's
catalogs for a check whose catalog reports are in the cache."""


class _Catalogs:
    """Each language's UI catalog report; the templates' strings extracted once, and only when a report is not in
    the cache (a tree without catalogs, a Hugo site, never gets here: it never loads Jinja)."""

    def __init__(self, root: Path, cache: CheckCache) -> None:
        self.root = root
        self.cache = cache
        self.used: Catalog | None = None
        theme = Path(__file__).resolve().parent.parent / "theme"  # theme.THEME_ROOT, without importing Jinja
        self.inputs = ui_digest(root, theme) if cache.enabled else ""

    def report(self, lang: str) -> CatalogReport | None:
        """The report of ``lang``'s catalogs (``None`` for the templates' own language)."""
        from ..lang import primary

        if primary(lang) == UI_LANGUAGE:
            return None
        key = make_key("catalog", lang, self.inputs) if self.cache.enabled else None
        kept = kept_catalog(self.cache.get(key)) if key is not None else None
        if kept is not None:
            return kept
        from ..i18n import extract_messages
        from ..theme import THEME_ROOT, template_dirs
        from .catalogs import check_catalog

        if self.used is None:
            self.used = extract_messages(template_dirs(self.root))  # once per check: the same for every language
        found = check_catalog(lang, self.root, THEME_ROOT, self.used)
        if key is not None:
            self.cache.put(key, catalog_to_json(found))
        return found


def _under(path: str, folder: str) -> bool:
    """Whether volume-relative ``path`` is ``folder`` or inside it."""
    folder = folder.strip("/")
    return not folder or path == folder or path.startswith(folder + "/")


def _in_scope(paths: list[str], layout: Layout, lang: str, source_lang: str) -> bool:
    """Whether some path concerns this translation language (a source path concerns every one)."""
    bases = [base.rstrip("/") for base in layout.bases(lang, source_lang) + layout.bases(source_lang, source_lang)]
    return any(_under(path, base) or _under(base, path) for path in paths for base in bases)


def _scope(paths: list[str], layout: Layout, lang: str, source_lang: str, rels: set[str]) -> set[str]:
    """The documents ``paths`` cover in ``lang``: its source, or its translation, is one of them or under one."""
    return {rel for rel in rels if any(_under(layout.path_of(source_lang, rel, source_lang), path)
                                       or _under(layout.path_of(lang, rel, source_lang), path) for path in paths)}


def _pin(translation: SourceText, key: str) -> str | None:
    """The translation's pin under ``key`` (matched case-insensitively, as Hugo matches front matter keys)."""
    if translation.meta is None:
        return None
    value: Any = next((v for k, v in translation.meta.extra.items() if str(k).lower() == key.lower()), None)
    return None if value is None else str(value)

