"""``volume.toml``: the schema, its defaults, and validation that reports every problem at once.

Every key is optional, so a folder holding only ``content/`` builds. Per-language settings live in a
table named after the language::

    slug = "alliance-at-75"
    source_language = "en"
    date = "2026-09"

    [ja]
    title = "七十五年目の同盟"

The schema is declarative: each key is a dataclass field whose metadata holds its reader (``key(read, …)``), a
function that checks the TOML value and returns what is stored, or raises :class:`Invalid` saying what was
expected. One loop (:func:`_read_keys`) applies them to the top level, the ``[<lang>]`` tables, ``[check]`` and
``[content]``. The string under each field is its documentation (``taiyaku new`` and README's volume.toml
section list the same keys).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from . import config_fields as kind
from .config_fields import Invalid, key
from .errors import Diagnostics
from .lang import valid_locale

CONFIG_FILE = "volume.toml"
PAGE_SIZES = {"A4", "A5", "B5", "Letter", "6x9"}
"""Named page sizes; ``B5`` is JIS B5 (182 × 257 mm), the usual size of Japanese academic books."""
PROFILES = ("screen", "print")
"""PDF profiles: ``screen`` (trimmed pages, hyperlinks, colour), or ``print`` with 3 mm bleed and crop marks for
the print shop (see ``taiyaku.pdf.geometry``)."""

# -- the schema ------------------------------------------------------------------------------------------------

@dataclass
class LanguageConfig:
    """Settings that differ per language: the volume's title page and imprint."""

    title: str = key(kind.text, "")
    """The volume's title; default: the source language's title, else the slug (the root folder's name)."""
    subtitle: str = key(kind.text, "")
    """Shown under the title."""
    editors: list[str] = key(kind.names, factory=list)
    """Names of the volume's editors, as printed in this language."""
    publisher: str = key(kind.text, "")
    """The publishing institution."""
    isbn: str = key(kind.text, "")
    """ISBN of this language's edition."""
    disclaimer: str = key(kind.text, "")
    """Printed on the imprint page and the site's home."""
    license: str = key(kind.text, "")
    """This language's licence when it differs from the volume's ``license``."""
    copyright: str = key(kind.text, "")
    """The copyright holder as named in this language; default: the publisher."""
    cover: str = key(kind.cover, "")
    """This language's cover image when it differs from the volume's ``cover``."""
    cover_alt: str = key(kind.text, "")
    """What the cover image shows, for readers who cannot see it."""
    cover_credit: str = key(kind.text, "")
    """The cover image's credit line (source and licence), shown with it."""
    cover_focus: str = key(kind.focal_point, "")
    """This language's ``cover_focus`` when it differs from the volume's (its own ``cover`` may need another)."""
    series: str = key(kind.text, "")
    """The series the volume belongs to, as named in this language (the EPUB's ``belongs-to-collection``)."""
    readings: dict[str, str] = key(kind.readings, factory=dict)
    """How names sort: ``{"森川直人" = "もりかわ なおと"}`` (editors' and authors' names; the EPUB's ``file-as``)."""
    vertical: bool | None = key(kind.flag, None)
    """Also make a vertical (縦組み) EPUB edition of this language; default: on for Japanese, off otherwise."""

    def wants_vertical(self, lang: str) -> bool:
        """Whether this language gets a vertical EPUB edition (``vertical``, else Japanese only)."""
        if self.vertical is not None:
            return self.vertical
        return lang.replace("_", "-").split("-")[0].lower() == "ja"


DEFAULT_IGNORE_MARKERS = ["fix typo", "[skip l10n]"]
DEFAULT_TRANSLATABLE_KEYS = ["title", "subtitle", "running_head", "linktitle", "sidebar_label", "description", "abstract",
                             "summary", "authors", "keywords"]


STYLE_RULES = ("half-width-digits", "full-width-percent", "full-width-parentheses", "no-space-between-scripts")
"""House-style rules ``check`` knows (see docs/check.md, *Terminology and house style*)."""
FINDING_SEVERITIES = ("warning", "error")


def _style_rules(value: Any, root: Path) -> list[str]:
    rules = [value] if isinstance(value, str) else kind.strings(value, root)
    unknown = [rule for rule in rules if rule not in STYLE_RULES and rule != "default"]
    if unknown:
        raise Invalid(f"unknown style rules {', '.join(map(repr, unknown))} (known: \"default\", the language's "
                      f"own, or a list of {', '.join(STYLE_RULES)})")
    return rules


@dataclass
class CheckConfig:
    """``[check]``: settings of ``taiyaku check``."""

    ignore_commit_markers: list[str] = key(kind.strings, factory=lambda: list(DEFAULT_IGNORE_MARKERS))
    """Commits whose message contains one of these (case-insensitive) do not make a translation outdated."""
    pin_key: str = key(kind.key_name, "source_commit")
    """Front matter key that pins a translation to a source commit (read by the check, written by ``--pin``)."""
    catalogs: bool = key(kind.flag, True)
    """Check the UI catalogs (only where the volume has ``locales/`` or its own ``templates/``)."""
    translatable_keys: list[str] = key(kind.strings, factory=lambda: list(DEFAULT_TRANSLATABLE_KEYS))
    """Front matter keys holding text to translate (case-insensitive); edits of other keys are housekeeping."""
    markdown: str = key(kind.one_of(("auto", "commonmark", "python-markdown")), "auto")
    """The Markdown dialect the check reads: ``commonmark`` (Hugo, Docusaurus: a list may interrupt a paragraph),
    ``python-markdown`` (taiyaku's build, MkDocs), or ``auto``: CommonMark beside a ``hugo.*`` or
    ``docusaurus.config.*`` file and for MDX."""
    equivalents: list[list[str]] = key(kind.groups_of_strings, factory=list)
    """Groups of markup spellings a source edit may exchange without changing the text to translate
    (``[["{{< note >}}", "{{< alert >}}"]]``); emphasis style, shortcode delimiters and links to ``base_url``
    are equivalent already."""
    identifiers: list[str] = key(kind.strings, factory=list)
    """Names that stay in the source language (``Go``, ``Kube Config``): a heading or text made only of them and
    of identifier-like words (``Chart.yaml``, ``SDK``, ``snake_case``) is not untranslated."""
    glossary: str = key(kind.text, "")
    """Terminology for the check: a CSV (``en,ja,variants,forbidden,note``) or TBX file, volume-relative."""
    terminology: str = key(kind.one_of(FINDING_SEVERITIES), "warning")
    """How glossary findings count: ``warning`` or ``error``."""
    style: list[str] = key(_style_rules, factory=list)
    """House-style rules for translations: ``"default"`` (the language's own; Japanese: the sample's), or a list."""
    style_severity: str = key(kind.one_of(FINDING_SEVERITIES), "warning")
    """How house-style findings count: ``warning`` or ``error``."""


@dataclass
class ContentConfig:
    """``[content]``: which files under ``content/<lang>/`` are documents."""

    include: list[str] = key(kind.strings, factory=list)
    """Globs (relative to ``content/<lang>/``) read although a ``_`` name would skip them."""
    exclude: list[str] = key(kind.strings, factory=list)
    """Globs (relative to ``content/<lang>/``) never read as documents."""
    source: str = key(kind.pattern, "")
    """Where the source documents are, as a pattern (``docs/{path}.{ext}``); default: ``content/<source>/``.
    Any layout but the default is checked, not built."""
    translations: str = key(kind.translations_pattern, "")
    """Where each language's translations are (``i18n/{lang}/docusaurus-plugin-content-docs/current/{path}.{ext}``,
    ``docs/{path}.{lang}.{ext}``); default: ``content/{lang}/``."""
    mdx: list[str] = key(kind.strings, factory=lambda: ["*.mdx"])
    """Globs (relative to the group) of files read as MDX: JSX, ``import`` and ``{…}`` lines are markup. Docusaurus
    reads ``.md`` as MDX too: ``["*.md", "*.mdx"]``."""
    groups: list[dict[str, str]] = key(kind.groups, factory=list)
    """More groups of documents (docs, blog), each ``{name = "blog", source = "…", translations = "…"}``."""


@dataclass
class VolumeConfig:
    """The whole volume's settings."""

    slug: str = key(kind.slug, "")
    """Names the PDFs (``<slug>-<lang>.pdf``); default: the root folder's name."""
    source_language: str = key(kind.locale, "en")
    """The language the documents are written in; the others are translations."""
    languages: list[str] = key(kind.locales, factory=list)
    """Languages in display order; default: the folders under ``content/``, source first."""
    date: dt.date | None = key(kind.date, None, into=("date", "date_precision"))
    """Publication date (``2026-09`` or ``2026-09-15``); default: ``SOURCE_DATE_EPOCH`` or unset."""
    date_precision: str = "day"
    """How much of ``date`` was given: ``year``, ``month`` or ``day`` (a month prints as 2026年9月)."""
    page_size: str = key(kind.one_of(sorted(PAGE_SIZES)), "A4")
    """PDF page size: one of A4, A5, B5, Letter, 6x9."""
    profile: str = key(kind.one_of(PROFILES), "screen")
    """PDF profile: ``screen`` (hyperlinks, colour) or ``print`` (3 mm bleed, crop marks, TrimBox/BleedBox)."""
    base_url: str = key(kind.string, "")
    """Public URL of the site, for canonical links; empty for relative links only."""
    license: str = key(kind.text, "")
    """The volume's licence: an SPDX id (``CC-BY-4.0``, linked to its text) or free text."""
    copyright_year: int | None = key(kind.year, None)
    """The year of the © line; default: the year of ``date``."""
    cover: str = key(kind.cover, "")
    """Volume-relative path of the cover image (PNG or JPEG: social cards accept no SVG)."""
    cover_focus: str = key(kind.focal_point, "50% 50%")
    """The point of the cover image the PDF's cover keeps in view where the picture band above the title crops it
    (across, down: ``"50% 30%"``, or ``top``, ``center``, ``bottom``): the band is wider than a portrait image, so
    its top and bottom go. The site and the EPUB show the image whole."""
    facing: bool = key(kind.flag, True)
    """Make the 対訳 edition (``pdf/<slug>-<source>-<target>.pdf``, source and translation on facing pages)."""
    per_language: dict[str, LanguageConfig] = field(default_factory=dict)
    """``[<lang>]`` tables."""
    check: CheckConfig = field(default_factory=CheckConfig)
    """``[check]`` table."""
    content: ContentConfig = field(default_factory=ContentConfig)
    """``[content]`` table."""
    given: set[str] = field(default_factory=set)
    """The keys ``volume.toml`` set validly (``date``, ``ja.title``): any other key has its default."""

    def lang(self, lang: str) -> LanguageConfig:
        """The settings for one language (defaults when the volume gives none)."""
        return self.per_language.get(lang) or LanguageConfig()


TABLES: dict[str, type] = {"check": CheckConfig, "content": ContentConfig}
"""The named tables besides the ``[<lang>]`` ones."""


def schema(cls: type) -> dict[str, Field[Any]]:
    """The ``volume.toml`` keys of a config class (top level or a table), by name."""
    return {f.name: f for f in fields(cls) if "read" in f.metadata}


# -- reading ---------------------------------------------------------------------------------------------------

def _line_of(text: str, key: str, table: str = "") -> int | None:
    """The line that assigns ``key`` in ``[table]`` (top level when empty), or of the ``[key]`` header itself.

    tomllib keeps no positions, so the text is scanned.
    """
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header[1].strip().strip('"')
            if not table and current == key:
                return number
            continue
        if current == table and re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", line):
            return number
    return None




def _read_keys(target: Any, values: dict[str, Any], table: str, root: Path,
               bad: Callable[[str, str, str], None]) -> set[str]:
    """Apply each key's reader to ``values`` and store the results in ``target``; returns the keys set.

    A key the schema does not know, or a value its reader refuses, is reported through ``bad`` and leaves the
    default in place, so every problem of the file is found in one run.
    """
    keys = schema(type(target))
    given = set()
    for name, value in values.items():
        if name not in keys:
            bad(name, f"unknown setting (known: {', '.join(sorted(keys))})", table)
            continue
        try:
            result = keys[name].metadata["read"](value, root)
        except Invalid as exc:
            bad(name, str(exc), table)
            continue
        into = keys[name].metadata["into"] or (name,)
        for attribute, part in zip(into, result if len(into) > 1 else (result,)):
            setattr(target, attribute, part)
        given.add(name)
    return given


def load_config(root: Path, diagnostics: Diagnostics) -> VolumeConfig:
    """Read ``volume.toml`` (if any) under ``root``; problems go to ``diagnostics``."""
    config = VolumeConfig()
    path = root / CONFIG_FILE
    content_langs = sorted(p.name for p in (root / "content").iterdir() if p.is_dir()) if (root / "content").is_dir() else []
    raw: dict[str, Any] = {}
    text = ""
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
            raw = tomllib.loads(text)
        except UnicodeDecodeError as exc:
            diagnostics.error(CONFIG_FILE, None, "config", f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
            diagnostics.error(CONFIG_FILE, int(match[1]) if match else None, "config", f"TOML: {message}")

    def bad(key: str, message: str, table: str = "") -> None:
        diagnostics.error(CONFIG_FILE, _line_of(text, key, table), "config", f"{table + '.' if table else ''}{key}: {message}")

    config.given = _read_keys(config, {k: v for k, v in raw.items() if not isinstance(v, dict)}, "", root, bad)
    for table, values in raw.items():
        if not isinstance(values, dict):
            continue
        if table in TABLES:
            given = _read_keys(getattr(config, table), values, table, root, bad)
        elif not valid_locale(table):
            bad(table, "a table must be named after a language (like [ja])")
            continue
        else:
            config.per_language[table] = LanguageConfig()
            given = _read_keys(config.per_language[table], values, table, root, bad)
        config.given |= {f"{table}.{key}" for key in given}

    if config.date is None and os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        stamp = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), tz=dt.timezone.utc)
        config.date, config.date_precision = stamp.date(), "day"
    if not config.slug:
        config.slug = re.sub(r"[^A-Za-z0-9._-]+", "-", root.resolve().name).strip("-") or "volume"
    if not config.languages and (config.content.source or config.content.translations or config.content.groups):
        from .read.layout import layout_languages, load_layout

        config.languages = layout_languages(root, load_layout(config.content), config.source_language)
    if not config.languages:
        langs = [lang for lang in content_langs if valid_locale(lang)]
        config.languages = sorted(langs, key=lambda lang: (lang != config.source_language, lang))
    elif config.source_language not in config.languages:
        bad("languages", f"must include the source language {config.source_language!r}")
    return config


def warn_defaults(root: Path, config: VolumeConfig, diagnostics: Diagnostics) -> None:
    """Say which defaults stand in for a missing ``title`` or ``date``, naming the key to set (the build's warning).

    Nothing is said about a ``volume.toml`` that could not be read: its error is the news.
    """
    if any(d.path == CONFIG_FILE and d.severity == "error" for d in diagnostics.items):
        return
    missing = "" if (root / CONFIG_FILE).is_file() else "no such file, so "
    source = config.source_language
    if not config.lang(source).title:
        used = (f"the slug “{config.slug}”" if "slug" in config.given
                else f"the folder name “{root.resolve().name}”")
        text = (root / CONFIG_FILE).read_text(encoding="utf-8") if not missing else ""
        diagnostics.warning(CONFIG_FILE, _line_of(text, source), "config",
                            f"{missing}no 'title': {used} is used on the cover, the site and the PDF metadata; "
                            f"set title = \"…\" under [{source}]")
    published = config.license or any(table.isbn for table in config.per_language.values())
    if "date" not in config.given and not (published and config.date is None):  # else citations/volume.py says it
        used = (f"SOURCE_DATE_EPOCH gives {config.date.isoformat()}, used" if config.date is not None
                else "the volume is undated")
        diagnostics.warning(CONFIG_FILE, None, "config",
                            f"{missing}no 'date': {used} on the title page, the citations and the © line; "
                            f"set date = \"2026-09\" (or \"2026-09-15\")")
