"""Typed objects handed from one pipeline stage to the next.

``SourceFile`` (found on disk) → ``Document`` (front matter read, Markdown rendered) → grouped in a
``Volume``; the site and PDF stages read a ``Volume`` and produce ``OutputFile`` objects for the writer.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .check.model import CheckReport
    from .config import VolumeConfig
    from .read.text import SourceText


INDEX_FILES = ("index.md", "_index.md")
"""A folder's own page (Hugo's ``_index.md`` for a section, ``index.md`` for a page bundle)."""


@dataclass(frozen=True)
class SourceFile:
    """A Markdown file under ``content/<lang>/`` (or where the volume's ``[content]`` layout puts it)."""

    lang: str
    rel_path: str
    """Path relative to ``content/<lang>/``, with ``/``; pairs a translation with its source (in another layout,
    the key ``{path}.{ext}`` of :mod:`taiyaku.read.layout`)."""
    src_path: Path
    path: str = ""
    """The volume-relative path when the layout is not ``content/<lang>/`` (empty in that one)."""

    @property
    def volume_path(self) -> str:
        """Path relative to the volume root, as shown in messages (``content/ja/02-x.md``)."""
        return self.path or f"content/{self.lang}/{self.rel_path}"


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
    """The body as HTML. Populated by :func:`taiyaku.read.markup.render_document`."""
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
    def url_path(self) -> str:
        """The page's folder under its language: the source folder, then the slug (``docs/x``, ``intro``).

        A folder's own page (``docs/x/index.md``) is the folder: nested content keeps its hierarchy, and slugs
        need only be unique within a folder.
        """
        folder = posixpath.dirname(self.source.rel_path)
        if posixpath.basename(self.source.rel_path) in INDEX_FILES:
            folder = posixpath.dirname(folder)
        return posixpath.join(folder, self.slug)

    @property
    def url(self) -> str:
        """Site path of the document's page (a folder: ``ja/docs/x/``)."""
        return f"{self.lang}/{self.url_path}/"


@dataclass
class Volume:
    """Everything read from a volume folder, ready to render."""

    root: Path
    config: VolumeConfig
    languages: list[str]
    documents: dict[str, list[Document]]
    """Per language, in reading order."""
    translation_status: CheckReport | None = None
    """The checker's report, when the build ran it."""
    skipped: dict[str, list[str]] = field(default_factory=dict)
    """Per language, volume-relative paths of Markdown files that are not documents (``_``-prefixed names)."""
    files: dict[str, dict[str, SourceText]] = field(default_factory=dict)
    """Per language, every document file read (drafts and unreadable ones too), by path relative to
    ``content/<lang>/``."""

    def document(self, lang: str, slug: str) -> Document | None:
        """The document with this slug in this language, if translated."""
        return next((d for d in self.documents.get(lang, []) if d.slug == slug), None)

    def document_at(self, lang: str, rel_path: str) -> Document | None:
        """The document at this content-relative path in this language, if there is one."""
        return next((d for d in self.documents.get(lang, []) if d.source.rel_path == rel_path), None)

    def translations(self, doc: Document) -> dict[str, Document]:
        """The same document in every language that has it (paired by relative path), keyed by language."""
        found = {lang: self.document_at(lang, doc.source.rel_path) for lang in self.languages}
        return {lang: d for lang, d in found.items() if d is not None}


@dataclass(frozen=True)
class OutputFile:
    """One file to write, relative to the output folder."""

    rel_path: str
    data: bytes
