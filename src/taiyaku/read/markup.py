"""Markdown → HTML with Python-Markdown and taiyaku's tree processor.

The processor gives headings ids that are the same in every language (from position, unless the author
wrote ``{#id}``), turns an image that stands alone in its paragraph into a ``<figure>`` (the next line is the
caption, further lines the source note), resolves links to other documents and images, and — for print —
moves each footnote to its call so that WeasyPrint can float it to the foot of the page; for an EPUB
(``epub`` mode) each note becomes an ``<aside epub:type="footnote">`` after the text, its back link first, so
reading systems show it as a pop-up.
"""

from __future__ import annotations

import functools
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..lang import primary
from ..model import Heading
from ..paths import inside, is_file
from ..urls import ASSET_REF, asset_ref, doc_ref
from .footnotes import aside_footnotes, inline_footnotes
from .grammar import marked_caption

Mode = Literal["site", "print", "epub"]
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ASSET_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf"}


@dataclass
class RenderContext:
    """What the tree processor needs to know about the document being rendered, and what it found."""

    lang: str
    rel_path: str
    """The document's path relative to ``content/<lang>/``."""
    content_dir: Path
    """``content/<lang>/`` on disk."""
    slugs: dict[str, str]
    """Every document of this language: content-relative path → slug (a link to another path is broken)."""
    mode: Mode
    id_prefix: str = ""
    headings: list[Heading] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    broken: list[tuple[str, str]] = field(default_factory=list)
    """(kind, target) of links and images that point nowhere: kind ``image`` or ``link``, with ``-outside`` when
    the file is a symbolic link leading out of the volume."""
    footnotes: int = 0


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc) or url.startswith(("#", "/"))


class TaiyakuTreeprocessor(Treeprocessor):
    """Heading ids, figures, link resolution and print footnotes (runs after every built-in processor)."""

    def __init__(self, md: markdown.Markdown, ctx: RenderContext) -> None:
        super().__init__(md)
        self.ctx = ctx

    def run(self, root: etree.Element) -> None:
        self._number_headings(root)
        self._make_figures(root)
        self._caption_tables(root)
        self._resolve_links(root)
        if self.ctx.mode == "print":
            self.ctx.footnotes += inline_footnotes(root)
        elif self.ctx.mode == "epub":
            # Tables stay top-level blocks, as in print: the print edition's page map counts blocks.
            self.ctx.footnotes = aside_footnotes(root)
        else:
            self._responsive_images(root)
            self._scroll_tables(root)
            self.ctx.footnotes = len(root.findall(".//div[@class='footnote']/ol/li"))

    def _number_headings(self, root: etree.Element) -> None:
        """Ids from position (``sec-2-1``): identical in every language whatever the heading says."""
        headings = [el for el in root.iter() if el.tag in HEADING_TAGS]
        if not headings:
            return
        top = min(int(h.tag[1]) for h in headings)
        counters = [0] * 7
        for h in headings:
            level = int(h.tag[1])
            counters[level] += 1
            for deeper in range(level + 1, 7):
                counters[deeper] = 0
            # A level skipped before its parent counts as 0 (sec-0-1), so ids never collide.
            ident = h.get("id") or "sec-" + "-".join(str(c) for c in counters[top : level + 1])
            h.set("id", self.ctx.id_prefix + ident)
            text = "".join(h.itertext()).strip()
            self.ctx.headings.append(Heading(level - top + 1, self.ctx.id_prefix + ident, text))

    def _make_figures(self, root: etree.Element) -> None:
        """``<p><img>caption\\nsource</p>`` → ``<figure><img><figcaption>…</figcaption></figure>``."""
        for parent in list(root.iter()):
            for index, p in enumerate(list(parent)):
                if p.tag != "p" or (p.text or "").strip() or not len(p) or p[0].tag != "img":
                    continue
                img = p[0]
                figure = etree.Element("figure", {k: v for k, v in p.attrib.items()})
                figure.set("class", (figure.get("class", "") + " figure").strip())
                rest_text = img.tail or ""
                img.tail = None
                figure.append(img)
                lines = _split_lines(rest_text, list(p)[1:])
                if lines:
                    caption = etree.SubElement(figure, "figcaption")
                    for number, (text, children) in enumerate(lines):
                        span = etree.SubElement(caption, "span", {"class": "caption" if number == 0 else "source"})
                        span.text = text
                        span.extend(children)
                parent.remove(p)
                parent.insert(index, figure)

    def _caption_tables(self, root: etree.Element) -> None:
        """A paragraph starting with ``: `` right before or after a table is its caption (Pandoc's syntax)."""
        for parent in list(root.iter()):
            for table in [child for child in parent if child.tag == "table"]:
                # Read afresh for each table: a caption between two tables went to the first (and is gone).
                children = list(parent)
                index = children.index(table)
                for neighbour in (children[index - 1] if index else None,
                                  children[index + 1] if index + 1 < len(children) else None):
                    if neighbour is None or neighbour.tag != "p" \
                            or not (neighbour.text or "").startswith(CAPTION_MARK):
                        continue
                    caption = etree.Element("caption")
                    caption.text = (neighbour.text or "")[len(CAPTION_MARK):]
                    caption.extend(list(neighbour))
                    table.insert(0, caption)
                    parent.remove(neighbour)
                    break

    def _scroll_tables(self, root: etree.Element) -> None:
        """Each table in a ``div.table-scroll`` that scrolls sideways (site only): a table wider than the column
        (many columns, long words) scrolls in its box instead of the whole page; still one top-level element."""
        for parent in list(root.iter()):
            for index, table in enumerate(list(parent)):
                if table.tag != "table":
                    continue
                box = etree.Element("div", {"class": "table-scroll"})
                box.tail, table.tail = table.tail, None
                parent.remove(table)
                box.append(table)
                parent.insert(index, box)

    def _resolve_links(self, root: etree.Element) -> None:
        """Links to ``.md`` files become links to their pages; images must exist and are collected."""
        here = posixpath.dirname(self.ctx.rel_path)
        for el in root.iter():
            attr = "src" if el.tag == "img" else "href" if el.tag == "a" else None
            if attr is None or not el.get(attr):
                continue
            if el.get(attr, "").startswith("#") and len(el.get(attr, "")) > 1:
                # A link within the document: in print every id carries the document's prefix.
                if self.ctx.mode == "print" and el.get("class") not in ("footnote-ref", "footnote-backref"):
                    el.set(attr, "#" + self.ctx.id_prefix + el.get(attr, "")[1:])
                continue
            if _is_external(el.get(attr, "")):
                continue
            url = el.get(attr, "")
            parts = urlsplit(url)
            target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
            if target.endswith(".md"):
                slug = self.ctx.slugs.get(target)
                if slug is None:
                    self.ctx.broken.append(("link", url))
                elif self.ctx.mode == "print":
                    el.set(attr, f"#{slug}:{parts.fragment}" if parts.fragment else f"#{slug}")
                else:
                    el.set(attr, doc_ref(target, parts.fragment))
                continue
            kind = "image" if el.tag == "img" else "link"
            if target.startswith("../") or not is_file(self.ctx.content_dir / target):
                self.ctx.broken.append((kind, url))
                continue
            if not inside(self.ctx.content_dir.parent.parent, self.ctx.content_dir / target):
                # A symbolic link in the content folder leading out of the volume: it would be published.
                self.ctx.broken.append((f"{kind}-outside", url))
                continue
            self.ctx.assets.append(target)
            suffix = f"#{parts.fragment}" if parts.fragment else ""
            if self.ctx.mode == "print":
                # The print document's base URL is content/_/, so every language's files are reachable.
                el.set(attr, f"../{self.ctx.lang}/{target}{suffix}")
            else:
                # A reference, resolved to a link when the page that shows it is written (urls.py).
                el.set(attr, asset_ref(self.ctx.lang, target, parts.fragment))

    def _responsive_images(self, root: etree.Element) -> None:
        """Raster images in several widths and formats, sized, lazy after the first (site only; the files are
        made by the site stage): :func:`taiyaku.images.site.responsive`."""
        from ..images.site import responsive

        prefix = f"{ASSET_REF}{self.ctx.lang}/"
        first = True
        for parent in list(root.iter()):
            for index, img in enumerate(list(parent)):
                if img.tag != "img" or not img.get("src", "").startswith(prefix):
                    continue
                target = img.get("src", "")[len(prefix):].partition("#")[0]
                shown = responsive(img, self.ctx.content_dir / target, target,
                                   lambda rel: asset_ref(self.ctx.lang, rel), eager=first)
                first = False
                if shown is not img:
                    parent.remove(img)
                    parent.insert(index, shown)

def _split_lines(text: str, children: list[etree.Element]) -> list[tuple[str, list[etree.Element]]]:
    """Split inline content at newlines into lines of (leading text, inline children)."""
    lines: list[tuple[str, list[etree.Element]]] = [("", [])]

    def add_text(chunk: str) -> None:
        pieces = chunk.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                lines.append(("", []))
            head, kids = lines[-1]
            if kids:
                kids[-1].tail = (kids[-1].tail or "") + piece
            else:
                lines[-1] = (head + piece, kids)

    add_text(text.lstrip("\n"))
    for child in children:
        if child.tag == "br":
            lines.append(("", []))
            add_text(child.tail or "")
            continue
        tail, child.tail = child.tail or "", None
        lines[-1][1].append(child)
        add_text(tail)
    cleaned = []
    for head, kids in lines:
        if kids or head.strip():
            if kids and kids[-1].tail:
                kids[-1].tail = kids[-1].tail.rstrip()
            cleaned.append((head.strip() if not kids else head.lstrip(), kids))
    return cleaned


CAPTION_MARK = "\u2060: "
"""What a table caption line (``: Table 1. …``) starts with once :class:`TableCaptions` has marked it."""
class TableCaptions(Preprocessor):
    """Mark Pandoc's table caption lines (``: …`` with a table right before or after, blank lines between) so that
    the definition list syntax (``term`` / ``: definition``) does not take them and turn the paragraph before into
    a term."""

    def run(self, lines: list[str]) -> list[str]:
        return [CAPTION_MARK + line.lstrip()[2:] if marked_caption(lines, n) else line for n, line in enumerate(lines)]


class _TaiyakuExtension(Extension):
    def __init__(self, ctx: RenderContext) -> None:
        super().__init__()
        self.ctx = ctx

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(TableCaptions(md), "taiyaku-captions", 5)
        md.treeprocessors.register(TaiyakuTreeprocessor(md, self.ctx), "taiyaku", 1)


@dataclass
class Rendered:
    """The result of rendering one document body."""

    html: str
    headings: list[Heading]
    assets: list[str]
    broken: list[tuple[str, str]]
    footnotes: int


def render_markdown(body: str, ctx: RenderContext) -> Rendered:
    """Render a document body to HTML for the site or for print."""
    html = markdown_for(ctx).convert(body)
    return Rendered(html, ctx.headings, sorted(set(ctx.assets)), ctx.broken, ctx.footnotes)


def markdown_for(ctx: RenderContext) -> markdown.Markdown:
    """The Markdown converter for one rendering in ``ctx`` (its mode's extensions; taiyaku's write into ``ctx``)."""
    from .extensions import AlertExtension, LineBreakExtension

    extensions: list[str | Extension] = ["footnotes", "tables", "attr_list", "sane_lists", "fenced_code",
                                         "codehilite", "def_list", AlertExtension(lang=ctx.lang),
                                         _TaiyakuExtension(ctx)]
    if primary(ctx.lang) == "en":
        extensions.append("smarty")
    if ctx.mode in ("site", "epub"):
        # On screen only: the print path binds footnotes and numbers itself (pdf.prepare).
        extensions.append(LineBreakExtension(lang=ctx.lang))
    return markdown.Markdown(
        extensions=extensions,
        extension_configs={
            # In an EPUB ids are fragment targets of other files too: no colon (``fn-1``, not ``fn:1``).
            "footnotes": {"BACKLINK_TITLE": "", "SUPERSCRIPT_TEXT": "{}",
                          **({"SEPARATOR": "-"} if ctx.mode == "epub" else {})},
            # Pygments classes styled by site.css (no inline styles, no JavaScript); a fence without a
            # language stays plain rather than guessed.
            "codehilite": {"css_class": "highlight", "guess_lang": False, "use_pygments": True},
        },
        output_format="xhtml" if ctx.mode == "epub" else "html",
    )


_INLINE: dict[bool, markdown.Markdown] = {}


def render_inline(text: str, lang: str) -> str:
    """Front matter text (titles, abstracts, bios) as inline HTML: emphasis, links, English typographic quotes.

    Paragraphs are joined with ``<br>`` so the result fits anywhere a line of text does.
    """
    if not text:
        return ""
    return _inline(text, primary(lang) == "en")


@functools.lru_cache(maxsize=8192)
def _inline(text: str, english: bool) -> str:
    """:func:`render_inline`, once per text: every view of a volume (the site's two renderings, each EPUB, the
    print documents) shows the same titles, abstracts and biographies (3,600 renderings of a few hundred texts
    in a full build of the sample repeated 8 times)."""
    md = _INLINE.get(english)
    if md is None:
        md = _INLINE.setdefault(english, markdown.Markdown(extensions=["smarty"] if english else [], output_format="html"))
    html = md.reset().convert(text).strip()
    paragraphs = re.findall(r"<p>(.*?)</p>", html, flags=re.S)
    return "<br>".join(paragraphs) if paragraphs else html
