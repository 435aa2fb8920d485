"""``volume.toml``: the schema, its defaults, and validation that reports every problem at once.

Every key is optional, so a folder holding only ``content/`` builds. Per-language settings live in a
table named after the language::

    slug = "alliance-at-75"
    source_language = "en"
    date = "2026-09"

    [ja]
    title = "七十五年目の同盟"
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from .errors import Diagnostics
from .paths import inside

CONFIG_FILE = "volume.toml"
SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PAGE_SIZES = {"A4", "A5", "B5", "Letter", "6x9"}
"""Named page sizes; ``B5`` is JIS B5 (182 × 257 mm), the usual size of Japanese academic books."""
PROFILES = ("screen", "print")
"""PDF profiles: ``screen``, or ``print`` with bleed and crop marks (see ``taiyaku.pdf.geometry``)."""


@dataclass
class LanguageConfig:
    """Settings that differ per language: the volume's title page and imprint."""

    title: str = ""
    """The volume's title; default: the root folder's name."""
    subtitle: str = ""
    """Shown under the title."""
    editors: list[str] = field(default_factory=list)
    """Names of the volume's editors, as printed in this language."""
    publisher: str = ""
    """The publishing institution."""
    isbn: str = ""
    """ISBN of this language's edition."""
    disclaimer: str = ""
    """Printed on the imprint page and the site's home."""
    license: str = ""
    """This language's licence when it differs from the volume's ``license``."""
    copyright: str = ""
    """The copyright holder as named in this language; default: the publisher."""
    cover: str = ""
    """This language's cover image when it differs from the volume's ``cover``."""
    cover_alt: str = ""
    """What the cover image shows, for readers who cannot see it."""
    cover_credit: str = ""
    """The cover image's credit line (source and licence), shown with it."""


DEFAULT_IGNORE_MARKERS = ["fix typo", "[skip l10n]"]
DEFAULT_TRANSLATABLE_KEYS = ["title", "subtitle", "linktitle", "description", "abstract", "summary", "authors",
                             "keywords"]


@dataclass
class CheckConfig:
    """``[check]``: settings of ``taiyaku check``."""

    ignore_commit_markers: list[str] = field(default_factory=lambda: list(DEFAULT_IGNORE_MARKERS))
    """Commits whose message contains one of these (case-insensitive) do not make a translation outdated."""
    pin_key: str = "source_commit"
    """Front matter key that pins a translation to a source commit (read by the check, written by ``--pin``)."""
    catalogs: bool = True
    """Check the UI catalogs (only where the volume has ``locales/`` or its own ``templates/``)."""
    translatable_keys: list[str] = field(default_factory=lambda: list(DEFAULT_TRANSLATABLE_KEYS))
    """Front matter keys holding text to translate (case-insensitive); edits of other keys are housekeeping."""


@dataclass
class ContentConfig:
    """``[content]``: which files under ``content/<lang>/`` are documents."""

    include: list[str] = field(default_factory=list)
    """Globs (relative to ``content/<lang>/``) read although a ``_`` name would skip them."""
    exclude: list[str] = field(default_factory=list)
    """Globs (relative to ``content/<lang>/``) never read as documents."""


@dataclass
class VolumeConfig:
    """The whole volume's settings."""

    slug: str = ""
    """Names the PDFs (``<slug>-<lang>.pdf``); default: the root folder's name."""
    source_language: str = "en"
    """The language the documents are written in; the others are translations."""
    languages: list[str] = field(default_factory=list)
    """Languages in display order; default: the folders under ``content/``, source first."""
    date: dt.date | None = None
    """Publication date (``2026-09`` or ``2026-09-15``); default: ``SOURCE_DATE_EPOCH`` or unset."""
    date_precision: str = "day"
    """How much of ``date`` was given: ``year``, ``month`` or ``day`` (a month prints as 2026年9月)."""
    page_size: str = "A4"
    """PDF page size: one of A4, A5, B5, Letter, 6x9."""
    profile: str = "screen"
    """PDF profile: ``screen`` (hyperlinks, colour) or ``print`` (3 mm bleed, crop marks, TrimBox/BleedBox)."""
    base_url: str = ""
    """Public URL of the site, for canonical links; empty for relative links only."""
    license: str = ""
    """The volume's licence: an SPDX id (``CC-BY-4.0``, linked to its text) or free text."""
    copyright_year: int | None = None
    """The year of the © line; default: the year of ``date``."""
    cover: str = ""
    """Volume-relative path of the cover image (PNG or JPEG: social cards accept no SVG)."""
    per_language: dict[str, LanguageConfig] = field(default_factory=dict)
    """``[<lang>]`` tables."""
    check: CheckConfig = field(default_factory=CheckConfig)
    """``[check]`` table."""
    content: ContentConfig = field(default_factory=ContentConfig)
    """``[content]`` table."""

    def lang(self, lang: str) -> LanguageConfig:
        """The settings for one language (defaults when the volume gives none)."""
        return self.per_language.get(lang) or LanguageConfig()


_TOP_KEYS = {f.name for f in fields(VolumeConfig)} - {"per_language", "date_precision", "check", "content"}
_LANG_KEYS = {f.name for f in fields(LanguageConfig)}


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


def parse_date(value: Any) -> tuple[dt.date, str]:
    """A date and its precision from TOML: a date, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str):
        for fmt, precision in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
            try:
                return dt.datetime.strptime(value, fmt).date(), precision
            except ValueError:
                pass
    raise ValueError(f"expected a date like 2026-09 or 2026-09-15, got {value!r}")


COVER_TYPES = (".png", ".jpg", ".jpeg")
"""Cover image formats: what Open Graph and Twitter cards, and the PDF, all show."""


def _cover_problem(root: Path, value: str) -> str:
    """Why ``value`` cannot be the cover image (empty when it can): an existing PNG or JPEG inside the volume."""
    path = Path(value)
    if path.is_absolute() or ".." in path.parts:
        return f"{value!r}: expected a path inside the volume folder"
    if path.suffix.lower() not in COVER_TYPES:
        return f"{value!r}: expected a PNG or JPEG image"
    try:
        found = (root / path).is_file()
    except (OSError, ValueError):  # a NUL byte, a name too long
        found = False
    if not found:
        return f"{value!r}: no such file"
    if not inside(root, root / path):
        return f"{value!r}: a symbolic link outside the volume folder (taiyaku reads only files inside it)"
    return ""


def valid_locale(code: str) -> bool:
    """Whether Babel knows this locale code (``ja``, ``en``, ``zh_Hant``)."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def _read_table(values: dict[str, Any], target: CheckConfig | ContentConfig, table: str,
                bad: Callable[[str, str, str], None]) -> None:
    """Fill ``[check]`` or ``[content]`` from TOML; each value must have its field's default's type."""
    known = {f.name for f in fields(target)}
    for key, value in values.items():
        if key not in known:
            bad(key, f"unknown setting (known: {', '.join(sorted(known))})", table)
            continue
        default = getattr(target, key)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                bad(key, f"expected true or false, got {value!r}", table)
                continue
        elif isinstance(default, str):
            if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", value):
                bad(key, f"expected a front matter key (letters, digits, '_', '-', '.'), got {value!r}", table)
                continue
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            bad(key, f"expected a list of strings, got {value!r}", table)
            continue
        setattr(target, key, list(value) if isinstance(value, list) else value)


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

    for key, value in raw.items():
        if isinstance(value, dict):
            continue
        if key not in _TOP_KEYS:
            bad(key, f"unknown setting (known: {', '.join(sorted(_TOP_KEYS))})")
            continue
        if key in ("slug", "source_language", "base_url", "page_size", "profile", "license", "cover") \
                and not isinstance(value, str):
            bad(key, f"expected a string, got {value!r}")
            continue
        if key == "slug":
            if not SAFE_SEGMENT.match(value):
                bad(key, f"{value!r} is not one safe path segment (letters, digits, '.', '_', '-')")
            else:
                config.slug = value
        elif key == "source_language":
            if not valid_locale(value):
                bad(key, f"{value!r} is not a locale code Babel knows")
            else:
                config.source_language = value
        elif key == "languages":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                bad(key, f"expected a list of locale codes, got {value!r}")
            else:
                unknown = [v for v in value if not valid_locale(v)]
                if unknown:
                    bad(key, f"not locale codes Babel knows: {', '.join(map(repr, unknown))}")
                else:
                    config.languages = list(value)
        elif key == "date":
            try:
                config.date, config.date_precision = parse_date(value)
            except ValueError as exc:
                bad(key, str(exc))
        elif key == "page_size":
            if value not in PAGE_SIZES:
                bad(key, f"expected one of {', '.join(sorted(PAGE_SIZES))}, got {value!r}")
            else:
                config.page_size = value
        elif key == "base_url":
            config.base_url = value
        elif key == "profile":
            if value not in PROFILES:
                bad(key, f"expected one of {', '.join(PROFILES)}, got {value!r}")
            else:
                config.profile = value
        elif key == "license":
            config.license = value.strip()
        elif key == "copyright_year":
            if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
                bad(key, f"expected a year like 2026, got {value!r}")
            else:
                config.copyright_year = value
        elif key == "cover":
            problem = _cover_problem(root, value)
            if problem:
                bad(key, problem)
            else:
                config.cover = value

    for table, values in raw.items():
        if not isinstance(values, dict):
            continue
        if table in ("check", "content"):
            _read_table(values, config.check if table == "check" else config.content, table, bad)
            continue
        if not valid_locale(table):
            bad(table, "a table must be named after a language (like [ja])")
            continue
        lang_config = LanguageConfig()
        for key, value in values.items():
            if key not in _LANG_KEYS:
                bad(key, f"unknown setting (known: {', '.join(sorted(_LANG_KEYS))})", table)
            elif key == "editors":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    bad(key, f"expected a list of names, got {value!r}", table)
                else:
                    lang_config.editors = list(value)
            elif not isinstance(value, str):
                bad(key, f"expected a string, got {value!r}", table)
            elif key == "cover" and _cover_problem(root, value):
                bad(key, _cover_problem(root, value) or "", table)
            else:
                setattr(lang_config, key, value.strip())
        config.per_language[table] = lang_config

    if config.date is None and os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        stamp = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), tz=dt.timezone.utc)
        config.date, config.date_precision = stamp.date(), "day"
    if not config.slug:
        config.slug = re.sub(r"[^A-Za-z0-9._-]+", "-", root.resolve().name).strip("-") or "volume"
    if not config.languages:
        langs = [lang for lang in content_langs if valid_locale(lang)]
        config.languages = sorted(langs, key=lambda lang: (lang != config.source_language, lang))
    elif config.source_language not in config.languages:
        bad("languages", f"must include the source language {config.source_language!r}")
    return config
