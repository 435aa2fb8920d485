"""``taiyaku i18n extract | update | compile | init LANG``: Babel's catalog workflow over ``templates/``.

The extraction mapping is :data:`taiyaku.i18n.EXTRACTION_METHOD_MAP`, declared once. A volume's catalogs
hold the strings of the volume's own templates (its overrides); the default theme's strings are translated
by the theme's catalogs (run these commands with ``--root src/taiyaku/theme`` to maintain those).
"""

from __future__ import annotations

import logging
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from .config import valid_locale
from .errors import CatalogError, ConfigError
from .i18n import POT_FILE, babel_locale, catalog_rel_path, extract_messages, load_catalog, write_catalog

log = logging.getLogger(__name__)


def _catalog_paths(root: Path) -> list[Path]:
    base = root / "locales"
    return sorted(base.glob("*/LC_MESSAGES/messages.po")) if base.is_dir() else []


def extract(root: Path) -> Catalog:
    """Write ``locales/messages.pot`` from ``<root>/templates``."""
    template = extract_messages([root / "templates"], project=root.resolve().name)
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


def _template(root: Path) -> Catalog:
    path = root / POT_FILE
    return load_catalog(path, POT_FILE) if path.is_file() else extract(root)


def update(root: Path) -> None:
    """Merge the template into every catalog: new strings added, translations and comments kept, gone ones obsolete."""
    template = _template(root)
    paths = _catalog_paths(root)
    if not paths:
        log.info("no catalogs under locales/: start one with `i18n init LANG`")
    for path in paths:
        rel = path.relative_to(root).as_posix()
        catalog = load_catalog(path, rel)
        catalog.update(template, update_header_comment=False)
        write_catalog(catalog, path)
        theme = _theme_catalog(rel)
        missing = [m for m in catalog if m.id and not m.string]
        by_theme = [m for m in missing if theme is not None and _translated(theme, m.id)]
        fuzzy = sum(1 for m in catalog if m.id and m.fuzzy)
        log.info("%s: %d messages, %d untranslated (%d more translated by the default theme), %d fuzzy",
                 rel, len(catalog), len(missing) - len(by_theme), len(by_theme), fuzzy)


def _theme_catalog(rel: str) -> Catalog | None:
    """The default theme's catalog at the same relative path, if it has one."""
    from .theme import THEME_ROOT

    path = THEME_ROOT / rel
    return load_catalog(path, f"(theme) {rel}") if path.is_file() else None


def _translated(catalog: Catalog, msgid: object) -> bool:
    message = catalog.get(msgid if isinstance(msgid, str) else msgid[0])  # type: ignore[index]
    return bool(message is not None and message.string and not message.fuzzy)


def compile_all(root: Path) -> None:
    """Write ``messages.mo`` beside every catalog (the build compiles in memory; this is for other tools)."""
    for path in _catalog_paths(root):
        catalog = load_catalog(path, path.relative_to(root).as_posix())
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        log.info("%s", path.with_suffix(".mo").relative_to(root).as_posix())


def init(root: Path, lang: str) -> None:
    """Start ``locales/<lang>/LC_MESSAGES/messages.po`` from the template."""
    if not valid_locale(lang):
        raise ConfigError(f"{lang!r} is not a locale code Babel knows")
    rel = catalog_rel_path(lang)
    path = root / rel
    if path.exists():
        raise CatalogError("already exists; use `i18n update` to merge new strings", rel)
    template = _template(root)
    catalog = Catalog(locale=babel_locale(lang), project=template.project, fuzzy=False,
                      creation_date=template.creation_date, revision_date=template.revision_date)
    catalog.update(template)
    write_catalog(catalog, path)
    log.info("%s: %d messages to translate", rel, len(catalog))


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
