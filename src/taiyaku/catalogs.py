"""``taiyaku i18n extract | update | compile | init LANG``: Babel's catalog workflow over the templates.

The extraction mapping is :data:`taiyaku.i18n.EXTRACTION_METHOD_MAP`, declared once. A volume's template
(``locales/messages.pot``) holds every UI string its pages can show: the volume's own templates' and the default
theme's, the same list the build and ``check`` count. So one catalog per language localises every page; where
the theme already translates a string into that language, ``init`` and ``update`` copy the translation in as a
starting point. Run these commands with ``--root src/taiyaku/theme`` to maintain the theme's own catalogs.
"""

from __future__ import annotations

import logging
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo

from .errors import CatalogError, ConfigError
from .i18n import POT_FILE, babel_locale, catalog_rel_path, extract_messages, load_catalog, write_catalog
from .lang import valid_locale
from .theme import THEME_ROOT, template_dirs

log = logging.getLogger(__name__)


def _catalog_paths(root: Path) -> list[Path]:
    base = root / "locales"
    return sorted(base.glob("*/LC_MESSAGES/messages.po")) if base.is_dir() else []


def extract(root: Path) -> Catalog:
    """Write ``locales/messages.pot``: every UI string of the volume's templates and of the theme's it uses."""
    template = extract_messages(template_dirs(root), project=root.resolve().name)
    path = root / POT_FILE
    if path.is_file():
        old = load_catalog(path, POT_FILE)
        if _same_messages(old, template):
            log.info("%s: %d messages, unchanged", POT_FILE, len(template))
            return old
    write_catalog(template, path)
    log.info("%s: %d messages", POT_FILE, len(template))
    return template


def _same_messages(a: Catalog, b: Catalog) -> bool:
    """Whether two templates list the same strings at the same places (then the file is left alone)."""
    def key(c: Catalog) -> list[tuple[object, ...]]:
        return sorted((str(m.id), str(m.context), tuple(m.locations), tuple(m.auto_comments)) for m in c if m.id)
    return key(a) == key(b)


def update(root: Path) -> None:
    """Extract, then merge into every catalog: new strings added, translations and comments kept, gone ones obsolete."""
    template = extract(root)
    paths = _catalog_paths(root)
    if not paths:
        log.info("no catalogs under locales/: start one with `taiyaku i18n init LANG`")
    for path in paths:
        rel = path.relative_to(root).as_posix()
        catalog = load_catalog(path, rel)
        catalog.update(template, update_header_comment=False)
        from_theme = _fill_from_theme(catalog, root, rel)
        write_catalog(catalog, path)
        missing = sum(1 for m in catalog if m.id and not m.fuzzy and not _complete(m))
        fuzzy = sum(1 for m in catalog if m.id and m.fuzzy)
        log.info("%s: %d messages, %d untranslated, %d fuzzy%s", rel, len(catalog), missing, fuzzy,
                 f" ({from_theme} filled in from the theme)" if from_theme else "")


def _complete(message: Message) -> bool:
    """Whether every form of a message is translated."""
    if isinstance(message.string, (tuple, list)):
        return all(message.string)
    return bool(message.string)


def _fill_from_theme(catalog: Catalog, root: Path, rel: str) -> int:
    """Copy the theme's translation into each untranslated or fuzzy entry; returns how many were filled."""
    theme = _theme_catalog(root, rel)
    if theme is None:
        return 0
    filled = 0
    for message in catalog:
        if not message.id or (_complete(message) and not message.fuzzy):
            continue
        source = theme.get(message.id, message.context)
        if source is None or source.fuzzy or not _complete(source):
            continue
        if isinstance(message.id, (tuple, list)) != isinstance(source.string, (tuple, list)):
            continue
        if isinstance(source.string, (tuple, list)) and len(source.string) != catalog.num_plurals:
            continue  # the theme's plural forms do not fit this catalog's
        message.string = source.string
        message.flags.discard("fuzzy")
        message.previous_id = []
        filled += 1
    return filled


def _theme_catalog(root: Path, rel: str) -> Catalog | None:
    """The default theme's catalog at the same relative path, if it has one (none when ``root`` is the theme)."""
    path = THEME_ROOT / rel
    if not path.is_file() or root.resolve() == THEME_ROOT.resolve():
        return None
    return load_catalog(path, f"(theme) {rel}")


def compile_all(root: Path) -> None:
    """Write ``messages.mo`` beside every catalog (the build compiles in memory; this is for other tools)."""
    for path in _catalog_paths(root):
        catalog = load_catalog(path, path.relative_to(root).as_posix())
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        log.info("%s", path.with_suffix(".mo").relative_to(root).as_posix())


def init(root: Path, lang: str) -> None:
    """Extract, then start ``locales/<lang>/LC_MESSAGES/messages.po`` with every UI string."""
    if not valid_locale(lang):
        raise ConfigError(f"{lang!r} is not a locale code Babel knows (such as ko, zh_Hans or pt_BR)")
    rel = catalog_rel_path(lang)
    path = root / rel
    if path.exists():
        raise CatalogError("already exists; use `taiyaku i18n update` to merge new strings", rel)
    template = extract(root)
    # Babel fills in the language's plural forms and names the language in the header.
    catalog = Catalog(locale=babel_locale(lang), project=template.project, fuzzy=False,
                      creation_date=template.creation_date, revision_date=template.revision_date)
    catalog.update(template)
    from_theme = _fill_from_theme(catalog, root, rel)
    write_catalog(catalog, path)
    log.info("%s: %d messages to translate%s", rel, len(catalog) - from_theme,
             f" ({from_theme} more filled in from the theme)" if from_theme else "")


def run_i18n(command: str, root: Path, lang: str | None) -> int:
    """Dispatch an ``i18n`` subcommand."""
    if command == "extract":
        extract(root)
    elif command == "update":
        update(root)
    elif command == "compile":
        compile_all(root)
    elif command == "init":
        init(root, lang or "")
    return 0
