"""Typed objects handed from one pipeline stage to the next.

``SourceFile`` (found on disk) → ``Document`` (front matter read, Markdown rendered) → grouped in a
``Volume``; the site and PDF stages read a ``Volume`` and produce ``OutputFile`` objects for the writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import VolumeConfig


@dataclass(frozen=True)
class SourceFile:
    """A Markdown file under ``content/<lang>/``."""

    lang: str
    rel_path: str
    """Path relative to ``content/<lang>/``, with ``/``; pairs a translation with its source."""
    src_path: Path

    @property
    def volume_path(self) -> str:
        """Path relative to the volume root, as shown in messages (``content/ja/02-x.md``)."""
        return f"content/{self.lang}/{self.rel_path}"


@dataclass(frozen=True)
class Author:
    """A contributor named in front matter."""

    name: str
    affiliation: str = ""
    bio: str = ""


@dataclass
class DocumentMeta:
    """Validated front matter of one document."""

    title: str
    subtitle: str = ""
    authors: list[Author] = field(default_factory=list)
    order: float | None = None
    slug: str = ""
    abstract: str = ""
    draft: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    """Keys taiyaku does not know, handed to templates unchanged."""


@dataclass(frozen=True)
class Heading:
    """A section heading, for tables of contents and anchors."""

    level: int
    id: str
    text: str


@dataclass
class Document:
    """One document in one language, read and rendered."""

    source: SourceFile
    meta: DocumentMeta
    body_start_line: int
    """1-based line of the first body line in the file (front matter counted)."""
    body: str = ""
    """The Markdown body (front matter removed)."""
    html: str = ""
    """The body as HTML. Populated by :func:`taiyaku.markup.render_document`."""
    headings: list[Heading] = field(default_factory=list)
    """Populated with ``html``."""
    footnote_count: int = 0
    assets: list[str] = field(default_factory=list)
    """Content-relative paths (``ja/figures/x.svg``) of images the document uses."""

    @property
    def lang(self) -> str:
        """The document's language."""
        return self.source.lang

    @property
    def slug(self) -> str:
        """The document's URL segment, shared by its translations."""
        return self.meta.slug

    @property
    def url(self) -> str:
        """Site-relative URL of the document's page."""
        return f"{self.lang}/{self.slug}/"


@dataclass
class Volume:
    """Everything read from a volume folder, ready to render."""

    root: Path
    config: VolumeConfig
    languages: list[str]
    documents: dict[str, list[Document]]
    """Per language, in reading order."""
    translation_status: Any = None
    """The checker's :class:`taiyaku.check.CheckReport`, when the build ran it."""

    def document(self, lang: str, slug: str) -> Document | None:
        """The document with this slug in this language, if translated."""
        return next((d for d in self.documents.get(lang, []) if d.slug == slug), None)

    def translations(self, doc: Document) -> dict[str, Document]:
        """The same document in every language that has it, keyed by language."""
        found = {lang: self.document(lang, doc.slug) for lang in self.languages}
        return {lang: d for lang, d in found.items() if d is not None}


@dataclass(frozen=True)
class OutputFile:
    """One file to write, relative to the output folder."""

    rel_path: str
    data: bytes
