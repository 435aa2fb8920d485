"""The one block model: typed blocks of a Markdown body that carry their 1-based line numbers in the file on disk,
and what each holds that survives translation (plain text, numbers, links, images, footnote calls, code).

:mod:`.splitter` splits a body into them. HTML comments are not blocks (a reader never sees
them); ``<!-- taiyaku: … -->`` comments are markers that belong to the block after them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Literal, TypeVar

from .grammar import MATH, SHORTCODE
from .numbers import Number, find_numbers

T = TypeVar("T")

BlockKind = Literal["heading", "paragraph", "figure", "caption", "list-item", "table-row", "quote", "footnote",
                    "code", "math", "html", "shortcode", "rule"]

KIND_NAMES: dict[str, str] = {
    "heading": "heading", "paragraph": "paragraph", "figure": "figure", "caption": "table caption",
    "list-item": "list item", "table-row": "table row", "quote": "block quote", "footnote": "footnote",
    "code": "code block", "math": "math block", "html": "HTML block", "shortcode": "shortcode", "rule": "horizontal rule",
}
"""How messages name each kind of block."""

TEXTLESS_KINDS = {"code", "math", "html", "shortcode", "rule"}
"""Blocks whose words are not prose to translate."""

MARKER_DIRECTIVES = ("ignore", "merged", "split", "added", "omitted")
"""What ``<!-- taiyaku: … -->`` can say (see docs/check.md)."""

ATX_HEADING = re.compile(r"^(#{1,6})(.*)$")
"""A heading line as Python-Markdown reads one: unindented, and ``#tag`` is a heading too (CommonMark wants a space
after the hashes; readers see what Python-Markdown renders)."""
FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?")
LIST_ITEM = re.compile(r"^([ \t]*)([-*+]|\d+\.)[ \t]+")
"""A list item's first line, as Python-Markdown reads one: ``1)`` and a marker alone on its line are not (CommonMark
takes both; readers see what Python-Markdown renders)."""
_DEFINITION = re.compile(r"^ {0,3}:[ ]{1,3}")
_ATTR_LIST = re.compile(r"\{:?[ \t]*[#.][^}]*\}|\{:[^}]*\}")

# Inline syntax, for the plain text a reader sees and the anchors a translation keeps.
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_IMAGE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
_IMAGE_REF = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\[([^\]]*)\]")
_LINK = re.compile(r"(?<!!)\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
_LINK_REF = re.compile(r"(?<![!\]])\[((?:[^\]\\^]|\\.)[^\]]*)\]\[([^\]]*)\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
_BARE_URL = re.compile(r"\bhttps?://[^\s<>)\]]+")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->|<\?.*?\?>", re.S)
_EMPHASIS = re.compile(r"(?<!\\)[*_]{1,3}|~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


class cached_property(Generic[T]):  # noqa: N801 (named like the functools one it stands for)
    """``functools.cached_property`` without its lock (Python 3.11 takes one per first access): blocks are
    built and read by one thread, and their properties are computed hundreds of thousands of times a check."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = instance.__dict__[self.name] = self.func(instance)
        return value


@dataclass(frozen=True)
class Marker:
    """A ``<!-- taiyaku: directive args -->`` comment; it applies to the block that follows it."""

    directive: str
    args: tuple[str, ...]
    line: int

    @property
    def count(self) -> int:
        """The number a ``merged N`` / ``split N`` / ``omitted N`` marker gives (default 2, or 1 for omitted)."""
        for arg in self.args:
            if arg.isdigit():
                return int(arg)
        return 1 if self.directive == "omitted" else 2


@dataclass(eq=False)
class Block:
    """One block of a Markdown body, with the file lines it spans."""

    kind: BlockKind
    line: int
    """1-based line of the block's first line in the file (front matter counted)."""
    end_line: int
    text: str
    """The block's Markdown, as written."""
    level: int = 0
    """Heading level (1–6); indentation of a list item."""
    label: str = ""
    """A footnote definition's label; a heading's explicit ``{#id}``."""
    table: int = 0
    """Which table of the document a row or caption belongs to (1-based)."""
    header: bool = False
    """A table's header row."""
    group: int = 0
    """Which list or block quote of the document a block belongs to (1-based): Python-Markdown makes one element of
    a list's items, and of quotes with only footnote definitions between them."""
    markers: list[Marker] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict, repr=False)
    """The document's reference definitions (``[label]: url``), for links written ``[text][label]``."""

    @property
    def name(self) -> str:
        """How messages name this block: ``paragraph (line 21)``."""
        return f"{KIND_NAMES[self.kind]} (line {self.line})"

    @cached_property
    def content(self) -> str:
        """The block's Markdown without its block syntax (``#``, list marker, ``>``, ``[^1]:``, ``|``)."""
        lines = self.text.split("\n")
        if self.kind == "heading":
            first = ATX_HEADING.match(lines[0])
            text = first[2] if first else lines[0]
            text = re.sub(r"[ \t]+#+[ \t]*$", "", text)
            return _ATTR_LIST.sub(" ", text).strip()
        if self.kind == "list-item" and LIST_ITEM.match(lines[0]):
            lines[0] = LIST_ITEM.sub("", lines[0], count=1)
        elif self.kind == "list-item":  # terms and definitions of a definition list
            lines = [_DEFINITION.sub("", line, count=1) for line in lines]
        elif self.kind == "quote":
            lines = [re.sub(r"^ {0,3}> ?", "", line) for line in lines]
        elif self.kind == "footnote":
            lines[0] = FOOTNOTE_DEF.sub("", lines[0], count=1)
        elif self.kind == "caption":
            lines[0] = re.sub(r"^\s*: ?", "", lines[0], count=1)
        elif self.kind == "table-row":
            return " | ".join(self.cells)
        return "\n".join(line.strip() for line in lines).strip()

    @cached_property
    def cells(self) -> list[str]:
        """A table row's cells."""
        row = self.text.strip()
        row = row[1:] if row.startswith("|") else row
        row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
        return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)]

    @cached_property
    def plain(self) -> str:
        """The text a reader sees: markup, code, URLs, footnote calls and HTML removed."""
        if self.kind in TEXTLESS_KINDS:
            return ""
        text = self.content
        # Each pass only when its syntax can be there: most prose has none of it, and this runs for every block.
        if "{{" in text:
            text = SHORTCODE.sub(" ", text)
        if "$$" in text or "\\(" in text:
            text = MATH.sub(" ", text)
        if "`" in text:
            text = _CODE_SPAN.sub(" ", text)
        if "[" in text:
            # Each pattern holds a pair of characters that must be in the text (as it is by then) for it to match.
            if "![" in text:
                text = _IMAGE.sub(lambda m: f" {m[1]} ", text)
            if "![" in text:
                text = _IMAGE_REF.sub(lambda m: f" {m[1]} ", text)
            if "](" in text:
                text = _LINK.sub(lambda m: m[1], text)
            if "][" in text:
                text = _LINK_REF.sub(lambda m: m[1], text)
            if "[^" in text:
                text = _FOOTNOTE_REF.sub(" ", text)
        if "<" in text:
            text = _AUTOLINK.sub(" ", text)
            text = _TAG.sub(" ", text)
        if "://" in text:
            text = _BARE_URL.sub(" ", text)
        if "{" in text:
            text = _ATTR_LIST.sub(" ", text)
        if "*" in text or "_" in text or "~" in text:
            text = _EMPHASIS.sub("", text)
        if "\\" in text:
            text = _ESCAPE.sub(r"\1", text)
        if "&" in text:
            text = html.unescape(text)
        return " ".join(text.split())

    @cached_property
    def normalized(self) -> str:
        """The Markdown with runs of white space made one space, to tell whether two blocks are the same."""
        return " ".join(self.content.split())

    @cached_property
    def numbers(self) -> list[Number]:
        """The numbers written in digits in the block's text (see :mod:`taiyaku.check.numbers`)."""
        return find_numbers(self.plain) if self.plain else []

    @cached_property
    def numbers_with_kanji(self) -> list[Number]:
        """The same, and kanji numerals too (for a translation's side)."""
        return find_numbers(self.plain, kanji=True) if self.plain else []

    @cached_property
    def links(self) -> list[str]:
        """Targets of the block's links (not images), in order."""
        content = self.content
        # A link needs "](", "][" or "<" (taking code spans out, each becomes a space, makes none).
        if self.kind == "code" or ("](" not in content and "][" not in content and "<" not in content):
            return []
        text = _CODE_SPAN.sub(" ", content)
        found: list[tuple[int, str]] = [(m.start(), m[2]) for m in _LINK.finditer(text)]
        found += [(m.start(), self.references.get((m[2] or m[1]).lower(), "")) for m in _LINK_REF.finditer(text)]
        found += [(m.start(), m[1]) for m in _AUTOLINK.finditer(text)]
        return [target for _, target in sorted(found) if target]

    @cached_property
    def images(self) -> list[str]:
        """Sources of the block's images, in order."""
        if self.kind in ("code",) or "![" not in self.content:
            return []
        text = _CODE_SPAN.sub(" ", self.content)
        found = [(m.start(), m[2]) for m in _IMAGE.finditer(text)]
        found += [(m.start(), self.references.get((m[2] or m[1]).lower(), "")) for m in _IMAGE_REF.finditer(text)]
        return [target for _, target in sorted(found) if target]

    @cached_property
    def footnote_refs(self) -> list[str]:
        """Labels of the footnotes this block calls, in order."""
        if self.kind in ("code",) or "[^" not in self.content:
            return []
        return _FOOTNOTE_REF.findall(_CODE_SPAN.sub(" ", self.content))

    @cached_property
    def code_spans(self) -> list[str]:
        """Inline code, which a translation keeps as written."""
        if self.kind == "code":
            return [self.text.strip()]
        if "`" not in self.content:
            return []
        return [m[2].strip() for m in _CODE_SPAN.finditer(self.content)]

    def silences(self, kind: str) -> bool:
        """Whether an ``ignore`` marker on this block silences problems of this kind."""
        for marker in self.markers:
            if marker.directive == "ignore" and (not marker.args or any(kind_matches(kind, a) for a in marker.args)):
                return True
        return False


_LANG_SEGMENT = re.compile(r"^/([a-z]{2,3}(?:[-_][a-z0-9]{2,4})?)(?=/|$)", re.I)


def link_key(target: str, languages: tuple[str, ...] = ()) -> str:
    """What stays of a link target across translations, so that links differing only in form compare equal.

    A link inside the site is known by its last path segment and fragment: ``/docs/x``, ``/ja/docs/x/``,
    ``../x.md`` and ``x/index.md`` are the same link. An external URL keeps its host and path, without a
    leading segment naming one of ``languages`` (``https://kubernetes.io/ja/docs/`` = ``…/docs/``).
    """
    target = target.strip()
    path, _, fragment = target.partition("#")
    scheme = re.match(r"^([a-z][a-z0-9+.-]*:)(//[^/]*)?", path, re.I)
    if scheme and not scheme[0].lower().startswith(("http:", "https:")):
        return target
    if scheme:
        rest = path[len(scheme[0]):]
        prefix = _LANG_SEGMENT.match(rest)
        if prefix and prefix[1].lower() in {lang.lower() for lang in languages}:
            rest = rest[prefix.end():]
        return f"{scheme[0].lower()}{rest.rstrip('/') or '/'}" + (f"#{fragment}" if fragment else "")
    segments = [s for s in path.split("/") if s and s != "."]
    if segments and segments[-1].endswith(".md"):
        segments[-1] = segments[-1][:-3]
    if segments and segments[-1] in ("index", "_index"):
        segments.pop()
    return (segments[-1] if segments else "") + (f"#{fragment}" if fragment else "")


def kind_matches(kind: str, name: str) -> bool:
    """Whether ``name`` (from a marker or front matter) names problem ``kind``: the kind itself or its family.

    ``untranslated`` silences ``untranslated-block`` and ``untranslated-front-matter``; ``numbers`` and ``number``
    silence ``number-missing``.
    """
    name = name.strip().lower().rstrip(",")
    return kind == name or kind.startswith(name + "-") or (name.endswith("s") and kind.startswith(name[:-1] + "-"))


@dataclass
class ParsedBody:
    """A body's blocks, and what is not a block."""

    blocks: list[Block]
    trailing_markers: list[Marker]
    """Markers after the last block (an ``omitted N`` at the end of the file)."""
    bad_markers: list[Marker]
    """``taiyaku:`` comments with a directive taiyaku does not know."""
