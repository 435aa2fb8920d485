"""``taiyaku new DIR`` writes a small working volume; ``taiyaku clean`` removes what taiyaku made in one.

The volume comes from ``skeleton/``: ``volume.toml`` with every key explained, one document per language with
a figure and a footnote. It builds and checks clean as written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import shutil
from pathlib import Path
from string import Template

from .cache import cache_lock
from .config import CONFIG_FILE
from .errors import ConfigError
from .i18n import babel_locale, catalog_rel_path
from .lang import primary, valid_locale
from .lock import output_lock

log = logging.getLogger(__name__)

SKELETON = Path(__file__).parent / "skeleton"
"""The volume ``taiyaku new`` copies: ``volume.toml`` (a template) and ``content/<lang>/``."""
MADE_BY_TAIYAKU = ("build", ".taiyaku-cache")
"""Folders of a volume that only taiyaku writes, so ``clean`` may remove them."""
BUILD_SECTIONS = {"html", "pdf", "epub"}
"""What a build writes into ``build/``."""
TITLES = {"en": "A New Volume", "ja": "新しい論集"}
"""The placeholder volume title in the languages the skeleton is written in."""


def new_volume(target: Path, languages: list[str]) -> None:
    """Write the skeleton volume into ``target`` (missing or empty) for ``languages``, the source first."""
    if not languages:
        raise ConfigError("--languages: give at least one locale code, such as en,ja")
    unknown = [code for code in languages if not valid_locale(code)]
    if unknown:
        raise ConfigError(f"--languages: {', '.join(map(repr, unknown))} not a locale code Babel knows "
                          "(such as en, ja, ko or zh_Hant)")
    if len(set(languages)) != len(languages):
        raise ConfigError("--languages: a language is given twice")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ConfigError(f"{target}: already exists and is not empty; choose a new folder")
    written = [lang for lang in languages if (SKELETON / "content" / primary(lang)).is_dir()]
    source = languages[0]
    if primary(source) not in {primary(lang) for lang in written}:
        raise ConfigError(f"--languages: the sample text exists in en and ja only; start with one of them "
                          f"as the source language (then add {source})")

    target.mkdir(parents=True, exist_ok=True)
    for lang in languages:
        sample = SKELETON / "content" / primary(lang)
        if not sample.is_dir():
            sample = SKELETON / "content" / primary(source)
            log.warning("content/%s/: a copy of the %s text; translate it", lang, source)
        shutil.copytree(sample, target / "content" / lang)
    (target / CONFIG_FILE).write_text(_volume_toml(target, languages), encoding="utf-8")
    log.info("created %s: %s and %s", target, CONFIG_FILE, ", ".join(f"content/{lang}/" for lang in languages))
    # A language the theme does not translate needs a catalog of its own; start it with every UI string.
    from .catalogs import init
    from .theme import THEME_ROOT

    for lang in languages[1:]:
        if primary(lang) != "en" and not (THEME_ROOT / catalog_rel_path(lang)).is_file():
            init(target, lang)
            log.warning("%s: translate the UI strings of %s there", catalog_rel_path(lang), lang)
    log.info("next: taiyaku --root %s serve", target)


def _volume_toml(target: Path, languages: list[str]) -> str:
    """``volume.toml`` for a new volume: the skeleton's, with this volume's slug, languages and titles."""
    tables = []
    for lang in languages:
        name = babel_locale(lang).get_display_name("en") or lang
        title = TITLES.get(primary(lang), TITLES["en"])
        tables.append(f"# The {name} edition.\n[{lang}]\n"
                      f"# The volume's title, on the cover, the site and the PDF's metadata.\n"
                      f"title = \"{title}\"\n"
                      f"# Shown under the title.\n# subtitle = \"\"\n"
                      f"# The editors' names as printed in this language.\n# editors = []\n"
                      f"# The publishing institution.\n# publisher = \"\"\n"
                      f"# The ISBN of this edition.\n# isbn = \"\"\n"
                      f"# Printed on the imprint page and the site's home.\n# disclaimer = \"\"\n"
                      f"# This edition's licence, when it differs from the volume's.\n# license = \"\"\n"
                      f"# The copyright holder as named in this language; default: the publisher.\n# copyright = \"\"\n"
                      f"# This edition's cover image, when it differs from the volume's.\n# cover = \"\"\n"
                      f"# What the cover image shows, for readers who cannot see it.\n# cover_alt = \"\"\n"
                      f"# The cover's credit line (source, licence), shown with it.\n# cover_credit = \"\"\n"
                      f"# This edition's cover_focus, when it differs from the volume's.\n# cover_focus = \"50% 50%\"\n"
                      f"# The series the volume belongs to, as named in this language (the EPUB's metadata).\n"
                      f"# series = \"\"\n"
                      f"# How names sort, name = \"reading\" (the EPUB's file-as).\n# readings = {{}}\n"
                      f"# Also a vertical (縦組み) EPUB edition; default: on for Japanese only.\n"
                      f"# vertical = {'true' if primary(lang) == 'ja' else 'false'}\n")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", target.resolve().name).strip("-.") or "volume"
    template = Template((SKELETON / CONFIG_FILE).read_text(encoding="utf-8"))
    return template.substitute(
        title=TITLES.get(primary(languages[0]), TITLES["en"]), slug=slug, source_language=languages[0],
        languages=", ".join(f'"{lang}"' for lang in languages), date=dt.date.today().strftime("%Y-%m"),
        language_tables="\n".join(tables))


def clean(root: Path) -> None:
    """Remove ``build/`` (when it holds only what a build writes), its stale staging folders, ``.taiyaku-cache/``."""
    if not root.is_dir():
        raise ConfigError(f"{root}: not a folder")
    build = root / "build"
    if build.is_dir() and not build.is_symlink():
        foreign = sorted(p.name for p in build.iterdir() if p.name not in BUILD_SECTIONS)
        if foreign:
            raise ConfigError(f"build/ holds {', '.join(foreign[:3])}{' …' if len(foreign) > 3 else ''}, which "
                              "taiyaku does not write; nothing was removed (remove build/ yourself)")
    removed = []
    # Staging folders of a build that was killed before it could remove them (``writer.OutputWriter``).
    targets = [root / name for name in MADE_BY_TAIYAKU] + sorted(root.glob(".build.taiyaku-*"))
    # Never under a running build: its output lock, and the cache's lock (a build holds it shared).
    cache = root / ".taiyaku-cache"
    cache_held = cache_lock(cache, exclusive=True) if cache.is_dir() else contextlib.nullcontext(True)
    with output_lock(build), cache_held as held:
        if not held:
            raise ConfigError("a build is using .taiyaku-cache/; nothing was removed (run clean when it is done)",
                              str(cache))
        for path in targets:
            if path.is_symlink():
                path.unlink()  # never follow a link out of the volume
            elif path.is_dir():
                shutil.rmtree(path)
            else:
                continue
            removed.append(f"{path.name}/")
    log.info("removed %s", ", ".join(removed) if removed else "nothing (there was no build output)")
