"""Which EPUB editions a volume has, and what each is made of: checked before anything is written.

An edition is one language, set horizontally, or (``vertical``) set top to bottom, right to left (縦組み). Its
identifier is a name-based UUID of the volume and the edition, so it stays the same from build to build.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import uuid
from dataclasses import dataclass, field

from ..errors import Diagnostics
from ..model import Document, Volume
from ..views import reading_order

IMAGE_TYPES = {".gif": "image/gif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".svg": "image/svg+xml", ".webp": "image/webp"}
"""EPUB 3.3's core media types for images: a reading system shows these without a fallback."""
EPOCH_FLOOR = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
"""The oldest time a zip entry can carry; also the modification date of an undated volume."""


@dataclass(frozen=True)
class Asset:
    """An image a document of the edition shows, renamed for the package (``images/img-03.svg``)."""

    lang: str
    rel_path: str
    """Under ``content/<lang>/``."""
    href: str
    """In the package, relative to the content documents."""

    @property
    def media_type(self) -> str:
        """Its core media type."""
        return IMAGE_TYPES[posixpath.splitext(self.rel_path)[1].lower()]


@dataclass
class Edition:
    """One EPUB to write: a language, horizontal or vertical, and the documents it holds in reading order."""

    lang: str
    vertical: bool
    rel_path: str
    """Under the build folder: ``epub/alliance-at-75-ja-vertical.epub``."""
    identifier: str
    """``urn:uuid:…``, the same in every build of this edition."""
    modified: dt.datetime
    documents: list[Document] = field(default_factory=list)
    assets: dict[tuple[str, str], Asset] = field(default_factory=dict)
    """(language, content-relative path) → the image in the package."""


def modified_time(volume: Volume) -> dt.datetime:
    """``dcterms:modified``: ``SOURCE_DATE_EPOCH`` when set, else the volume's date, else 1980-01-01 (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return max(EPOCH_FLOOR, dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc))
    date = volume.config.date
    if date is None:
        return EPOCH_FLOOR
    return max(EPOCH_FLOOR, dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc))


def plan_editions(volume: Volume, languages: list[str], diagnostics: Diagnostics) -> list[Edition]:
    """The editions of ``languages`` (a vertical one where the language asks for it), their images checked."""
    config = volume.config
    editions = []
    for lang in languages:
        wanted = [False, True] if config.lang(lang).wants_vertical(lang) else [False]
        for vertical in wanted:
            name = f"{config.slug}-{lang}{'-vertical' if vertical else ''}"
            seed = f"{config.base_url or config.slug}#epub/{name}"
            edition = Edition(lang, vertical, f"epub/{name}.epub", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}",
                              modified_time(volume), reading_order(volume, lang))
            _collect_assets(edition, diagnostics)
            editions.append(edition)
    _check_cover(volume, languages, diagnostics)
    return editions


def _collect_assets(edition: Edition, diagnostics: Diagnostics) -> None:
    """Every image of the edition's documents, each given a package name; a format EPUB does not allow is an
    error at the line that shows it."""
    for doc in edition.documents:
        for rel_path in doc.assets:
            key = (doc.lang, rel_path)
            if key in edition.assets:
                continue
            suffix = posixpath.splitext(rel_path)[1].lower()
            if suffix not in IMAGE_TYPES:
                diagnostics.error(doc.source.volume_path, line_of(doc, posixpath.basename(rel_path)), "epub",
                                  f"{posixpath.basename(rel_path)}: an EPUB shows only GIF, JPEG, PNG, SVG and WebP "
                                  "images; convert it to one of these (the site and the PDF may keep it)")
                continue
            edition.assets[key] = Asset(doc.lang, rel_path, f"images/img-{len(edition.assets) + 1:02d}{suffix}")


def line_of(doc: Document, needle: str) -> int | None:
    """The file line of the first body line that holds ``needle`` (an image's file name or URL)."""
    for offset, line in enumerate(doc.body.splitlines()):
        if needle and needle in line:
            return doc.body_start_line + offset
    return None


def _check_cover(volume: Volume, languages: list[str], diagnostics: Diagnostics) -> None:
    """The cover each edition shows must still be there (``volume.toml`` was checked when read; the file may
    have gone since) and be a format the package allows."""
    from ..config import CONFIG_FILE, _line_of as toml_line

    config = volume.config
    text = (volume.root / CONFIG_FILE).read_text(encoding="utf-8") if (volume.root / CONFIG_FILE).is_file() else ""
    for lang in languages:
        own = config.lang(lang).cover
        path = own or config.cover
        if not path:
            continue
        line = toml_line(text, "cover", lang if own else "")
        if not (volume.root / path).is_file():
            diagnostics.error(CONFIG_FILE, line, "epub", f"cover: {path!r}: no such file (the {lang} EPUB shows it)")
        elif posixpath.splitext(path)[1].lower() not in IMAGE_TYPES:
            diagnostics.error(CONFIG_FILE, line, "epub", f"cover: {path!r}: an EPUB cover must be a JPEG or PNG image")
