"""``volume.toml``: the schema, its defaults, and validation that reports every problem at once.

Every key is optional, so a folder holding only ``content/`` builds. Per-language settings live in a
table named after the language::

    slug = "alliance-at-75"
    source_language = "en"
    date = "2026-09"

    [ja]
    title = "七十五年目の同盟"

The schema is declarative: each key is a dataclass field whose metadata holds its reader (``_key(read, …)``), a
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

from .errors import Diagnostics
from .paths import inside

CONFIG_FILE = "volume.toml"
SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PAGE_SIZES = {"A4", "A5", "B5", "Letter", "6x9"}
"""Named page sizes; ``B5`` is JIS B5 (182 × 257 mm), the usual size of Japanese academic books."""
PROFILES = ("screen", "print")
"""PDF profiles: ``screen``, or ``print`` with bleed and crop marks (see ``taiyaku.pdf.geometry``)."""
COVER_TYPES = (".png", ".jpg", ".jpeg")
"""Cover image formats: what Open Graph and Twitter cards, and the PDF, all show."""

Reader = Callable[[Any, Path], Any]
"""Checks one TOML value (the volume folder at hand, for paths) and returns what the config stores."""


class Invalid(ValueError):
    """A value a key cannot take; the message says what was expected."""


# -- readers: one per kind of value --------------------------------------------------------------------------

def _string(value: Any, root: Path) -> str:
    if not isinstance(value, str):
        raise Invalid(f"expected a string, got {value!r}")
    return value


def _text(value: Any, root: Path) -> str:
    """A string, without the spaces around it."""
    return _string(value, root).strip()


def _one_of(choices: list[str] | tuple[str, ...]) -> Reader:
    """A string among ``choices`` (listed in this order when the value is not)."""
    def read(value: Any, root: Path) -> str:
        if _string(value, root) not in choices:
            raise Invalid(f"expected one of {', '.join(choices)}, got {value!r}")
        return value
    return read


def _slug(value: Any, root: Path) -> str:
    if not SAFE_SEGMENT.match(_string(value, root)):
        raise Invalid(f"{value!r} is not one safe path segment (letters, digits, '.', '_', '-')")
    return value


def _locale(value: Any, root: Path) -> str:
    if not valid_locale(_string(value, root)):
        raise Invalid(f"{value!r} is not a locale code Babel knows")
    return value


def _locales(value: Any, root: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"expected a list of locale codes, got {value!r}")
    unknown = [v for v in value if not valid_locale(v)]
    if unknown:
        raise Invalid(f"not locale codes Babel knows: {', '.join(map(repr, unknown))}")
    return list(value)


def _date(value: Any, root: Path) -> tuple[dt.date, str]:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise Invalid(str(exc)) from None


def _year(value: Any, root: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
        raise Invalid(f"expected a year like 2026, got {value!r}")
    return value


def _cover(value: Any, root: Path) -> str:
    problem = _cover_problem(root, _string(value, root))
    if problem:
        raise Invalid(problem)
    return value


def _names(value: Any, root: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"expected a list of names, got {value!r}")
    return list(value)


def _strings(value: Any, root: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"expected a list of strings, got {value!r}")
    return list(value)


def _readings(value: Any, root: Path) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise Invalid(f"expected a table of name = \"reading\", got {value!r}")
    return {k: v.strip() for k, v in value.items()}


def _flag(value: Any, root: Path) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {value!r}")
    return value


def _key_name(value: Any, root: Path) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", value):
        raise Invalid(f"expected a front matter key (letters, digits, '_', '-', '.'), got {value!r}")
    return value


def _key(read: Reader, default: Any = None, *, factory: Callable[[], Any] | None = None,
         into: tuple[str, ...] = ()) -> Any:
    """A ``volume.toml`` key: a dataclass field read by ``read``; ``into`` names the fields a tuple fills."""
    metadata = {"read": read, "into": into}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


# -- the schema ------------------------------------------------------------------------------------------------

@dataclass
class LanguageConfig:
    """Settings that differ per language: the volume's title page and imprint."""

    title: str = _key(_text, "")
    """The volume's title; default: the source language's title, else the slug (the root folder's name)."""
    subtitle: str = _key(_text, "")
    """Shown under the title."""
    editors: list[str] = _key(_names, factory=list)
    """Names of the volume's editors, as printed in this language."""
    publisher: str = _key(_text, "")
    """The publishing institution."""
    isbn: str = _key(_text, "")
    """ISBN of this language's edition."""
    disclaimer: str = _key(_text, "")
    """Printed on the imprint page and the site's home."""
    license: str = _key(_text, "")
    """This language's licence when it differs from the volume's ``license``."""
    copyright: str = _key(_text, "")
    """The copyright holder as named in this language; default: the publisher."""
    cover: str = _key(_cover, "")
    """This language's cover image when it differs from the volume's ``cover``."""
    cover_alt: str = _key(_text, "")
    """What the cover image shows, for readers who cannot see it."""
    cover_credit: str = _key(_text, "")
    """The cover image's credit line (source and licence), shown with it."""
    series: str = _key(_text, "")
    """The series the volume belongs to, as named in this language (the EPUB's ``belongs-to-collection``)."""
    readings: dict[str, str] = _key(_readings, factory=dict)
    """How names sort: ``{"森川直人" = "もりかわ なおと"}`` (editors' and authors' names; the EPUB's ``file-as``)."""
    vertical: bool | None = _key(_flag, None)
    """Also make a vertical (縦組み) EPUB edition of this language; default: on for Japanese, off otherwise."""

    def wants_vertical(self, lang: str) -> bool:
        """Whether this language gets a vertical EPUB edition (``vertical``, else Japanese only)."""
        if self.vertical is not None:
            return self.vertical
        return lang.replace("_", "-").split("-")[0].lower() == "ja"


DEFAULT_IGNORE_MARKERS = ["fix typo", "[skip l10n]"]
DEFAULT_TRANSLATABLE_KEYS = ["title", "subtitle", "linktitle", "description", "abstract", "summary", "authors",
                             "keywords"]


@dataclass
class CheckConfig:
    """``[check]``: settings of ``taiyaku check``."""

    ignore_commit_markers: list[str] = _key(_strings, factory=lambda: list(DEFAULT_IGNORE_MARKERS))
    """Commits whose message contains one of these (case-insensitive) do not make a translation outdated."""
    pin_key: str = _key(_key_name, "source_commit")
    """Front matter key that pins a translation to a source commit (read by the check, written by ``--pin``)."""
    catalogs: bool = _key(_flag, True)
    """Check the UI catalogs (only where the volume has ``locales/`` or its own ``templates/``)."""
    translatable_keys: list[str] = _key(_strings, factory=lambda: list(DEFAULT_TRANSLATABLE_KEYS))
    """Front matter keys holding text to translate (case-insensitive); edits of other keys are housekeeping."""


@dataclass
class ContentConfig:
    """``[content]``: which files under ``content/<lang>/`` are documents."""

    include: list[str] = _key(_strings, factory=list)
    """Globs (relative to ``content/<lang>/``) read although a ``_`` name would skip them."""
    exclude: list[str] = _key(_strings, factory=list)
    """Globs (relative to ``content/<lang>/``) never read as documents."""


@dataclass
class VolumeConfig:
    """The whole volume's settings."""

    slug: str = _key(_slug, "")
    """Names the PDFs (``<slug>-<lang>.pdf``); default: the root folder's name."""
    source_language: str = _key(_locale, "en")
    """The language the documents are written in; the others are translations."""
    languages: list[str] = _key(_locales, factory=list)
    """Languages in display order; default: the folders under ``content/``, source first."""
    date: dt.date | None = _key(_date, None, into=("date", "date_precision"))
    """Publication date (``2026-09`` or ``2026-09-15``); default: ``SOURCE_DATE_EPOCH`` or unset."""
    date_precision: str = "day"
    """How much of ``date`` was given: ``year``, ``month`` or ``day`` (a month prints as 2026年9月)."""
    page_size: str = _key(_one_of(sorted(PAGE_SIZES)), "A4")
    """PDF page size: one of A4, A5, B5, Letter, 6x9."""
    profile: str = _key(_one_of(PROFILES), "screen")
    """PDF profile: ``screen`` (hyperlinks, colour) or ``print`` (3 mm bleed, crop marks, TrimBox/BleedBox)."""
    base_url: str = _key(_string, "")
    """Public URL of the site, for canonical links; empty for relative links only."""
    license: str = _key(_text, "")
    """The volume's licence: an SPDX id (``CC-BY-4.0``, linked to its text) or free text."""
    copyright_year: int | None = _key(_year, None)
    """The year of the © line; default: the year of ``date``."""
    cover: str = _key(_cover, "")
    """Volume-relative path of the cover image (PNG or JPEG: social cards accept no SVG)."""
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


def _read_keys(target: Any, values: dict[str, Any], table: str, root: Path,
               bad: Callable[[str, str, str], None]) -> set[str]:
    """Apply each key's reader to ``values`` and store the results in ``target``; returns the keys set.

    A key the schema does not know, or a value its reader refuses, is reported through ``bad`` and leaves the
    default in place, so every problem of the file is found in one run.
    """
    keys = schema(type(target))
    given = set()
    for key, value in values.items():
        if key not in keys:
            bad(key, f"unknown setting (known: {', '.join(sorted(keys))})", table)
            continue
        try:
            result = keys[key].metadata["read"](value, root)
        except Invalid as exc:
            bad(key, str(exc), table)
            continue
        into = keys[key].metadata["into"] or (key,)
        for name, part in zip(into, result if len(into) > 1 else (result,)):
            setattr(target, name, part)
        given.add(key)
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
    if "date" not in config.given and not (published and config.date is None):  # else citations.py says it
        used = (f"SOURCE_DATE_EPOCH gives {config.date.isoformat()}, used" if config.date is not None
                else "the volume is undated")
        diagnostics.warning(CONFIG_FILE, None, "config",
                            f"{missing}no 'date': {used} on the title page, the citations and the © line; "
                            f"set date = \"2026-09\" (or \"2026-09-15\")")


# -- documentation -----------------------------------------------------------------------------------------------

def _field_docs(cls: type) -> dict[str, str]:
    """The string under each field of ``cls``: its documentation (Python keeps none at run time, so it is parsed)."""
    import ast
    import inspect
    import textwrap

    body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
    docs: dict[str, str] = {}
    assert isinstance(body, ast.ClassDef)
    for node, after in zip(body.body, body.body[1:]):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and isinstance(after, ast.Expr) \
                and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str):
            docs[node.target.id] = " ".join(after.value.value.split()).replace("``", "`")
    return docs


def _toml_default(f: Field[Any]) -> str:
    value = f.default_factory() if callable(f.default_factory) else f.default  # type: ignore[misc]
    if value in ("", None, [], {}):
        return "—"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return "`[" + ", ".join(f'"{v}"' for v in value) + "]`"
    return f'`"{value}"`'


def reference() -> str:
    """Every ``volume.toml`` key with its default and documentation, as Markdown tables (docs/cli.md holds it)."""
    lines = []
    for heading, cls in (("top level", VolumeConfig), ("`[<lang>]`, one table per language", LanguageConfig),
                         ("`[check]`", CheckConfig), ("`[content]`", ContentConfig)):
        docs = _field_docs(cls)
        lines += [f"**{heading}**", "", "| key | default | |", "|---|---|---|"]
        lines += [f"| `{name}` | {_toml_default(f)} | {docs.get(name, '')} |" for name, f in schema(cls).items()]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m taiyaku.config: the reference, to paste into docs/cli.md
    import sys

    sys.stdout.write(reference())
