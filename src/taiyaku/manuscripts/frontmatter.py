"""A document's front matter from a Word file: title, subtitle, authors, abstract and keywords from the Title,
Subtitle, Author, Abstract and Keywords styles, else from the file's core properties; written as taiyaku's YAML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from ..model import Author
from .docx import Package
from .nodes import Node, stringify, style_of
from .styles import AFFILIATION_STYLES, BIO_STYLES, KEYWORD_STYLES
from .writer import Finding

_KEYWORD_LABEL = re.compile(r"^\s*(?:key\s*words?|キーワード|索引語)\s*[:：]?\s*", re.IGNORECASE)
_KEYWORD_SPLIT = re.compile(r"\s*[;,、；，・]\s*")
WRITTEN_KEYS = {"title", "subtitle", "authors", "order", "keywords", "abstract"}
"""The keys an import writes from the Word file."""


@dataclass
class ManuscriptMeta:
    """The front matter an import writes; text fields are inline Markdown."""

    title: str = ""
    subtitle: str = ""
    authors: list[Author] = field(default_factory=list)
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    order: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Keys the import does not write itself, kept from the document an import replaces."""
    findings: list[Finding] = field(default_factory=list)

    def keep_from(self, old: dict[str, Any]) -> list[str]:
        """Take what the Word file did not give from the front matter of the document being replaced (an
        editor's bios, slug, check settings); returns the keys kept."""
        kept = []
        for key in ("subtitle", "abstract"):
            if not getattr(self, key) and isinstance(old.get(key), str) and old[key].strip():
                setattr(self, key, old[key].strip())
                kept.append(key)
        if not self.keywords and old.get("keywords"):
            value = old["keywords"]
            self.keywords = [str(k) for k in value] if isinstance(value, list) else [str(value)]
            kept.append("keywords")
        old_authors: list[Any] = old["authors"] if isinstance(old.get("authors"), list) else []
        # Only the authors both name, by position: a revision that adds an author keeps the others' bios.
        for number, (author, previous) in enumerate(zip(self.authors, old_authors, strict=False), start=1):
            if not isinstance(previous, dict):
                continue
            for key in ("affiliation", "bio"):
                if not getattr(author, key) and isinstance(previous.get(key), str) and previous[key].strip():
                    self.authors[number - 1] = author = replace(author, **{key: previous[key].strip()})
                    kept.append(f"author {number}'s {key}")
        if isinstance(old.get("order"), (int, float)) and not isinstance(old["order"], bool):
            self.order = old["order"]
        for key, value in old.items():
            if key not in WRITTEN_KEYS:
                self.extra[key] = value
                kept.append(str(key))
        return kept

    def yaml(self) -> str:
        """The front matter block, ``---`` fences included, in the sample volume's key order."""
        lines = ["---", f"title: {_quote(self.title)}"]
        if self.subtitle:
            lines.append(f"subtitle: {_quote(self.subtitle)}")
        if self.authors:
            lines.append("authors:")
            for author in self.authors:
                lines.append(f"  - name: {_quote(author.name)}")
                if author.affiliation:
                    lines.append(f"    affiliation: {_quote(author.affiliation)}")
                if author.bio:
                    lines.append(f"    bio: {_quote(author.bio)}")
        if self.order is not None:
            lines.append(f"order: {self.order:g}")
        if self.keywords:
            lines.append("keywords: [" + ", ".join(_quote(k) for k in self.keywords) + "]")
        if self.abstract:
            lines.append(f"abstract: {_quote(self.abstract)}")
        if self.extra:
            lines.append(yaml.safe_dump(self.extra, allow_unicode=True, sort_keys=False, width=1000).rstrip("\n"))
        lines.append("---")
        return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def meta_text(value: dict[str, Any] | None, inline: Callable[[list[Node]], str]) -> list[str]:
    """A pandoc metadata value as Markdown texts: one per list item, paragraphs joined by a blank line."""
    if not value:
        return []
    kind: str = value["t"]
    content: Any = value.get("c")
    if kind == "MetaList":
        return [text for item in content for text in meta_text(item, inline)]
    if kind == "MetaInlines":
        return [inline(content).strip()]
    if kind == "MetaBlocks":
        paragraphs = [inline(block["c"]).strip() for block in content if block["t"] in ("Para", "Plain")]
        return ["\n\n".join(p for p in paragraphs if p)]
    if kind == "MetaString":
        return [str(content)]
    return []


def read_meta(ast: dict[str, Any], package: Package, inline: Callable[[list[Node]], str]) -> tuple[ManuscriptMeta,
                                                                                                  list[Node]]:
    """Front matter from the document's styles (pandoc's metadata and taiyaku's own), then from its core
    properties; returns it with the body's blocks (those paragraphs taken out)."""
    meta = ManuscriptMeta()
    data = ast.get("meta", {})
    meta.title = next(iter(meta_text(data.get("title"), inline)), "")
    meta.subtitle = next(iter(meta_text(data.get("subtitle"), inline)), "")
    meta.abstract = next(iter(meta_text(data.get("abstract"), inline)), "")
    names = [a for a in meta_text(data.get("author"), inline) if a]
    blocks, affiliations, bios = _styled_paragraphs(meta, names, list(ast["blocks"]), inline)
    if not meta.title and package.core.get("title"):
        meta.title = package.core["title"]
        meta.findings.append(Finding(None, "front-matter", "no paragraph has the Title style: the title is the "
                                     "file's Title property", "info"))
    if not meta.title:
        blocks = _title_from_heading(meta, blocks)
    blocks = _unstyled_front(meta, blocks, inline)
    if not names and package.core.get("creator"):
        names = [name.strip() for name in re.split(r"\s*;\s*", package.core["creator"]) if name.strip()]
        meta.findings.append(Finding(None, "front-matter", "no paragraph has the Author style: the authors are the "
                                     f"file's Author property ({package.core['creator']!r}); check them"))
    # The n-th Affiliation and Bio paragraphs belong to the n-th author.
    meta.authors = [Author(name, affiliations[n] if n < len(affiliations) else "", bios[n] if n < len(bios) else "")
                    for n, name in enumerate(names)]
    if len(affiliations) > len(names) or len(bios) > len(names):
        meta.findings.append(Finding(None, "front-matter", f"{len(names)} author(s) but {len(affiliations)} "
                                     f"Affiliation and {len(bios)} Bio paragraph(s): the extra ones are left out"))
    if not meta.keywords and package.core.get("keywords"):
        meta.keywords = _keywords(package.core["keywords"])
    return meta, blocks


def _styled_paragraphs(meta: ManuscriptMeta, names: list[str], blocks: list[Node],
                       inline: Callable[[list[Node]], str]) -> tuple[list[Node], list[str], list[str]]:
    """Front matter paragraphs of the body taken out: Keywords, Affiliation, Bio, and the Title, Subtitle, Author
    and Abstract paragraphs pandoc leaves in the body when they are not at the top of the document."""
    kept = []
    affiliations: list[str] = []
    bios: list[str] = []
    for block in blocks:
        style = style_of(block["c"][0]).lower() if block["t"] == "Div" else ""
        paragraphs = [inline(b["c"]).strip() for b in _paragraphs(block)] if style else []
        value = "\n\n".join(p for p in paragraphs if p)
        if style in KEYWORD_STYLES:
            meta.keywords.extend(_keywords(stringify(block["c"][1])))
        elif style == "author":
            names.append(value)
        elif style == "abstract":
            meta.abstract = f"{meta.abstract}\n\n{value}" if meta.abstract else value
        elif style in ("title", "subtitle") and not getattr(meta, style):
            setattr(meta, style, value)
        elif style in AFFILIATION_STYLES:
            affiliations.append(value.replace("\n\n", " "))
        elif style in BIO_STYLES:
            bios.append(value.replace("\n\n", " "))
        else:
            kept.append(block)
    return kept, affiliations, bios


def _paragraphs(block: Node) -> list[Node]:
    return [b for b in block["c"][1] if b["t"] in ("Para", "Plain")]


_ABSTRACT_HEADINGS = {"abstract", "summary", "要旨", "要約", "概要", "アブストラクト", "摘要"}
_KEYWORD_LINE = re.compile(r"^\s*(?:key\s*words?|キーワード)\s*[:：]", re.IGNORECASE)


def _unstyled_front(meta: ManuscriptMeta, blocks: list[Node], inline: Callable[[list[Node]], str]) -> list[Node]:
    """Before the first section: an ``Abstract`` heading and its paragraphs, and a ``Keywords:`` paragraph, as
    manuscripts without the styles have them, go into the front matter (and the import says so)."""
    kept: list[Node] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block["t"] == "Header":
            if stringify(block["c"][2]).strip(" :：").lower() not in _ABSTRACT_HEADINGS or meta.abstract:
                break
            end = index + 1
            while end < len(blocks) and blocks[end]["t"] in ("Para", "Plain") \
                    and not _KEYWORD_LINE.match(stringify(blocks[end]["c"])):
                end += 1
            meta.abstract = "\n\n".join(inline(b["c"]).strip() for b in blocks[index + 1 : end])
            meta.findings.append(Finding(None, "front-matter", f"the section {stringify(block['c'][2])!r} became the "
                                         "abstract (Word's Abstract style says so without a heading)", "info"))
            index = end
            continue
        if block["t"] in ("Para", "Plain") and not meta.keywords and _KEYWORD_LINE.match(stringify(block["c"])):
            meta.keywords = _keywords(stringify(block["c"]))
            meta.findings.append(Finding(None, "front-matter", "the 'Keywords:' paragraph became the keywords",
                                         "info"))
        else:
            kept.append(block)
        index += 1
    return kept + blocks[index:]


def _keywords(text: str) -> list[str]:
    """``Keywords: a; b, c`` → ``[a, b, c]``."""
    return [k for k in _KEYWORD_SPLIT.split(_KEYWORD_LABEL.sub("", text).strip().rstrip(".。")) if k]


def _title_from_heading(meta: ManuscriptMeta, blocks: list[Node]) -> list[Node]:
    """Without a Title style or property: the first heading, if it is the only one of the top level."""
    headings = [b for b in blocks if b["t"] == "Header"]
    if not headings:
        return blocks
    top = min(h["c"][0] for h in headings)
    first = headings[0]
    if first["c"][0] == top and sum(1 for h in headings if h["c"][0] == top) == 1:
        meta.title = stringify(first["c"][2])
        meta.findings.append(Finding(None, "front-matter", "no Title style or property: the title is the first "
                                     "heading", "info"))
        return [b for b in blocks if b is not first]
    return blocks


def heading_shift(blocks: list[Node]) -> int:
    """How far headings move so that the top level is ``##`` (the title is the page's one ``#``)."""
    levels = [b["c"][0] for b in _headers(blocks)]
    return 2 - min(levels) if levels else 0


def _headers(blocks: list[Node]) -> list[Node]:
    found = []
    for block in blocks:
        if block["t"] == "Header":
            found.append(block)
        elif block["t"] == "Div":
            found.extend(_headers(block["c"][1]))
    return found
