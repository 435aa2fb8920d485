"""UI catalogs of one target language: the volume's ``.po`` counted entry by entry, and every string the templates
use checked against the volume's and the theme's catalogs (the same extraction as ``i18n extract``)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from ..errors import CatalogError
from ..i18n import catalog_rel_path, load_catalog
from .model import CatalogProblem, CatalogReport, CatalogStats

THEME_LABEL = "(theme) "
"""Prefix of the theme's catalog paths, as the build names them."""


def _msgid(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _translated(message: Message | None) -> bool:
    if message is None or message.fuzzy or not message.string:
        return False
    if isinstance(message.string, (tuple, list)):
        return all(message.string)
    return True


def _stats(path: str, catalog: Catalog | None, exists: bool) -> CatalogStats:
    stats = CatalogStats(path, exists=exists)
    if catalog is None:
        return stats
    for message in catalog:
        if not message.id:
            continue  # the header
        stats.total += 1
        if message.fuzzy:
            stats.fuzzy += 1
        elif _translated(message):
            stats.translated += 1
        else:
            stats.untranslated += 1
    stats.obsolete = len(catalog.obsolete)
    return stats


def _load(path: Path, rel: str, problems: list[CatalogProblem]) -> Catalog | None:
    if not path.is_file():
        return None
    try:
        return load_catalog(path, rel)
    except CatalogError as exc:
        # Babel ends its message with a 0-based "on N"; the problem carries the 1-based line instead.
        message = re.sub(r" on \d+$", "", exc.message)
        problems.append(CatalogProblem("catalog-unreadable", "error", message, None, exc.line))
    except OSError as exc:
        problems.append(CatalogProblem("catalog-unreadable", "error", f"cannot read: {exc.strerror}"))
    return None


def check_catalog(lang: str, volume_root: Path, theme_root: Path, used: Catalog) -> CatalogReport:
    """Counts and problems of ``lang``'s UI strings; ``used`` is the templates' extracted strings."""
    rel = catalog_rel_path(lang)
    problems: list[CatalogProblem] = []
    volume = _load(volume_root / rel, rel, problems)
    theme_problems: list[CatalogProblem] = []
    theme = _load(theme_root / rel, THEME_LABEL + rel, theme_problems) \
        if theme_root.resolve() != volume_root.resolve() else None
    report = CatalogReport(_stats(rel, volume, (volume_root / rel).is_file()),
                           _stats(THEME_LABEL + rel, theme, True) if theme is not None else None, problems=problems)

    def theme_translates(message: Message) -> bool:
        return theme is not None and _translated(theme.get(message.id, message.context))

    if volume is not None:
        for message in volume:
            if not message.id or _translated(message):
                continue
            msgid = _msgid(message)
            fallback = theme_translates(message)
            kind, what = ("fuzzy-string", "is marked fuzzy (the build leaves fuzzy entries out)") if message.fuzzy \
                else ("untranslated-string", "has no translation")
            if fallback:
                report.problems.append(CatalogProblem(kind, "warning", f"{msgid!r} {what}; the theme's translation "
                                                      "is used instead", msgid, message.lineno))
            else:
                report.problems.append(CatalogProblem(kind, "error", f"{msgid!r} {what}", msgid, message.lineno))

    untranslated: list[tuple[str, str]] = []
    for message in used:
        if not message.id:
            continue
        report.used += 1
        own = volume.get(message.id, message.context) if volume is not None else None
        if _translated(own) or theme_translates(message):
            report.used_translated += 1
        elif own is None:
            # Listed but untranslated entries are reported above, with their line.
            where = ", ".join(f"{name}:{line}" for name, line in message.locations[:2])
            untranslated.append((_msgid(message), where))
    if untranslated and volume is None and theme is None:
        report.problems.append(CatalogProblem(
            "catalog-missing", "error",
            f"no catalog for {lang}: {len(untranslated)} UI string(s) of the templates stay untranslated; "
            f"start one with `taiyaku i18n extract` and `taiyaku i18n init {lang}`"))
    else:
        for msgid, where in untranslated:
            hint = "run `taiyaku i18n extract` and `taiyaku i18n update`, then translate it" if volume is not None \
                else f"translate it in {rel} (`taiyaku i18n init {lang}` starts the catalog)"
            report.problems.append(CatalogProblem("missing-string", "error",
                                                  f"{msgid!r} (used in {where}) is in no catalog: {hint}", msgid))
    return report
