"""Split a Markdown body into typed blocks that carry their 1-based line numbers in the file on disk.

The splitter follows taiyaku's Markdown (Python-Markdown with footnotes, pipe tables, attribute lists) closely
enough that a source and its translation split the same way; it is line-based so that every block keeps the
lines it came from, which Python-Markdown's tree does not. HTML comments are not blocks (a reader never sees
them); ``<!-- taiyaku: … -->`` comments are markers that belong to the block after them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Literal, TypeVar

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

_SYNTAX_START = frozenset(" \t#`~<[-*+_>|:=$0123456789")
"""First characters of a line that may open something other than a paragraph."""
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?=[ \t]|$)(.*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?")
_REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$")
_REFERENCE_LABEL = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*$")
"""A reference definition whose URL is on the next line."""
_REFERENCE_MORE = re.compile(r"^[ \t]+(?:<?\S+>?[ \t]*)?(?:\"[^\"]*\"|'[^']*'|\([^)]*\))?[ \t]*$")
"""A continuation line of a reference definition: its URL and/or its title."""
_MATH_FENCE = re.compile(r"^ {0,3}\$\$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}>")
_LIST = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_TABLE_DELIM = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_COMMENT_START = re.compile(r"^ {0,3}<!--")
_MARKER = re.compile(r"^\s*taiyaku:\s*(.*?)\s*$", re.S)
_HTML_BLOCK = re.compile(r"^ {0,3}</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "iframe", "main", "math",
    "nav", "noscript", "ol", "p", "pre", "script", "section", "style", "table", "ul", "video", "audio", "canvas",
    "center", "summary", "svg", "picture",
}
_IMAGE_LINE = re.compile(r"^\s*!\[(?:[^\]\\]|\\.)*\](?:\([^)]*\)|\[[^\]]*\])\s*(?:\{[^}]*\})?\s*$")
_ATTR_LIST = re.compile(r"\{:?[ \t]*[#.][^}]*\}|\{:[^}]*\}")
_HEADING_ID = re.compile(r"\{:?[^}]*#([A-Za-z][\w:.-]*)[^}]*\}\s*$")

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
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.S)
"""Hugo shortcodes, ``{{< name args >}}`` and ``{{% name args %}}``, opening, closing or single."""
_MATH = re.compile(r"\$\$.+?\$\$|\\\(.+?\\\)", re.S)
_NOT_PROSE = re.compile(r"\{\{[<%].*?[%>]\}\}|<\?.*?\?>|<!--.*?-->|\s+", re.S)
"""What a block of markup only is made of: shortcodes, processing instructions, comments."""
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
    """Which table of the document a row belongs to (1-based)."""
    header: bool = False
    """A table's header row."""
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
            first = _ATX.match(lines[0])
            text = first[2] if first else lines[0]
            text = re.sub(r"[ \t]+#+[ \t]*$", "", text)
            return _ATTR_LIST.sub(" ", text).strip()
        if self.kind == "list-item":
            lines[0] = _LIST.sub("", lines[0], count=1)
        elif self.kind == "quote":
            lines = [re.sub(r"^ {0,3}> ?", "", line) for line in lines]
        elif self.kind == "footnote":
            lines[0] = _FOOTNOTE_DEF.sub("", lines[0], count=1)
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
            text = _SHORTCODE.sub(" ", text)
        if "$$" in text or "\\(" in text:
            text = _MATH.sub(" ", text)
        if "`" in text:
            text = _CODE_SPAN.sub(" ", text)
        if "[" in text:
            text = _IMAGE.sub(lambda m: f" {m[1]} ", text)
            text = _IMAGE_REF.sub(lambda m: f" {m[1]} ", text)
            text = _LINK.sub(lambda m: m[1], text)
            text = _LINK_REF.sub(lambda m: m[1], text)
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
        if self.kind in ("code",) or ("[" not in self.content and "<" not in self.content):
            return []
        text = _CODE_SPAN.sub(" ", self.content)
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


def split_blocks(body: str, first_line: int) -> ParsedBody:
    """Split a Markdown body (front matter removed, ``\\n`` line ends) that starts at file line ``first_line``."""
    return _Splitter(body.split("\n"), first_line).run()


class _Splitter:
    """One pass over the lines; each ``_take_*`` consumes one block and returns the index after it."""

    def __init__(self, lines: list[str], first_line: int) -> None:
        self.lines = lines
        self.first = first_line
        self.blocks: list[Block] = []
        self.pending: list[Marker] = []
        self.bad: list[Marker] = []
        self.references: dict[str, str] = {}
        self.tables = 0

    def run(self) -> ParsedBody:
        index = 0
        while index < len(self.lines):
            index = self._step(index)
        for block in self.blocks:
            block.references = self.references
        return ParsedBody(self.blocks, self.pending, self.bad)

    def _blank(self, index: int) -> bool:
        return index >= len(self.lines) or not self.lines[index].strip()

    def _add(self, kind: BlockKind, start: int, end: int, **extra: object) -> Block:
        """A block of lines ``start``..``end - 1``; pending markers attach to it."""
        block = Block(kind, self.first + start, self.first + end - 1, "\n".join(self.lines[start:end]),
                      markers=self.pending, **extra)  # type: ignore[arg-type]
        self.pending = []
        self.blocks.append(block)
        return block

    def _step(self, index: int) -> int:
        line = self.lines[index]
        if not line.strip():
            return index + 1
        # Most lines of prose start with a letter: nothing but a paragraph (or a table row) can start there.
        if line[0] not in _SYNTAX_START and "|" not in line:
            return self._take_paragraph(index)
        if _FENCE.match(line):
            return self._take_fence(index)
        if _COMMENT_START.match(line):
            taken = self._take_comment(index)
            if taken is not None:
                return taken
        if _ATX.match(line):
            match = _HEADING_ID.search(line)
            self._add("heading", index, index + 1, level=len(_ATX.match(line)[1]), label=match[1] if match else "")
            return index + 1
        if _FOOTNOTE_DEF.match(line):
            return self._take_footnote(index)
        if _REFERENCE_DEF.match(line) or (_REFERENCE_LABEL.match(line) and index + 1 < len(self.lines)
                                          and _REFERENCE_MORE.match(self.lines[index + 1])):
            return self._take_reference(index)
        if _MATH_FENCE.match(line):
            return self._take_math(index)
        if _RULE.match(line):
            self._add("rule", index, index + 1)
            return index + 1
        if _QUOTE.match(line):
            return self._take_quote(index)
        if _LIST.match(line):
            return self._take_list_item(index)
        if "|" in line and index + 1 < len(self.lines) and "|" in self.lines[index + 1] + line \
                and "-" in self.lines[index + 1] and _TABLE_DELIM.match(self.lines[index + 1]):
            return self._take_table(index)
        html_match = _HTML_BLOCK.match(line)
        if html_match and html_match[1].lower() in _BLOCK_TAGS:
            end = index
            while not self._blank(end):
                end += 1
            self._add("html", index, end)
            return end
        if _INDENTED.match(line):
            end = index
            while end < len(self.lines) and (self._blank(end) or _INDENTED.match(self.lines[end])):
                end += 1
            while end > index and self._blank(end - 1):
                end -= 1
            self._add("code", index, end)
            return end
        return self._take_paragraph(index)

    def _take_fence(self, index: int) -> int:
        opening = _FENCE.match(self.lines[index])
        assert opening is not None
        char, length = opening[2][0], len(opening[2])
        end = index + 1
        while end < len(self.lines):
            closing = re.match(rf"^ {{0,3}}({re.escape(char)}{{{length},}})[ \t]*$", self.lines[end])
            end += 1
            if closing:
                break
        self._add("code", index, end)
        return end

    def _take_reference(self, index: int) -> int:
        """A link reference definition: not a block (nothing shows); its URL and title may be on the lines after."""
        match = _REFERENCE_DEF.match(self.lines[index])
        end = index + 1
        if match:
            label, url = match[1], match[2]
        else:
            label = _REFERENCE_LABEL.match(self.lines[index])[1]  # type: ignore[index]
            url = self.lines[end].split()[0].strip("<>") if self.lines[end].split() else ""
            end += 1
        while end < len(self.lines) and self.lines[end].strip() and _REFERENCE_MORE.match(self.lines[end]) \
                and self.lines[end].strip()[0] in "\"'(":
            end += 1
        self.references[label.lower()] = url
        return end

    def _take_math(self, index: int) -> int:
        """Display math between ``$$`` lines (or ``$$ … $$`` on one line): not prose."""
        first = self.lines[index].strip()
        end = index + 1
        if not (len(first) > 4 and first.endswith("$$")):
            while end < len(self.lines) and "$$" not in self.lines[end]:
                end += 1
            end = min(end + 1, len(self.lines))
        self._add("math", index, end)
        return end

    def _take_comment(self, index: int) -> int | None:
        """An HTML comment on lines of its own: not a block; a marker if it says ``taiyaku:``."""
        end = index
        while end < len(self.lines) and "-->" not in self.lines[end]:
            end += 1
        if end == len(self.lines):
            return None
        text = "\n".join(self.lines[index : end + 1]).strip()
        if not text.endswith("-->"):
            return None  # something follows the comment on its last line: an HTML block or a paragraph
        inner = text[4:-3]
        marker = _MARKER.match(inner)
        if marker:
            words = marker[1].replace(",", " ").split()
            if words:
                parsed = Marker(words[0].lower(), tuple(words[1:]), self.first + index)
                (self.pending if parsed.directive in MARKER_DIRECTIVES else self.bad).append(parsed)
        return end + 1

    def _interrupts(self, line: str) -> bool:
        """A line that starts a new block even without a blank line before it."""
        return bool(_ATX.match(line) or _FENCE.match(line) or _FOOTNOTE_DEF.match(line) or _RULE.match(line)
                    or _QUOTE.match(line) or (_COMMENT_START.match(line) and line.rstrip().endswith("-->")))

    def _take_footnote(self, index: int) -> int:
        label = _FOOTNOTE_DEF.match(self.lines[index])[1]  # type: ignore[index]
        end = self._take_continued(index, indent=4, stop_at_list=True)
        self._add("footnote", index, end, label=label)
        return end

    def _take_list_item(self, index: int) -> int:
        indent = len(self.lines[index]) - len(self.lines[index].lstrip(" \t"))
        end = self._take_continued(index, indent=indent + 2, stop_at_list=True)
        self._add("list-item", index, end, level=indent)
        return end

    def _take_continued(self, index: int, indent: int, stop_at_list: bool) -> int:
        """Lines of a list item or footnote: lazy lines, and indented lines after blank ones."""
        end = index + 1
        while end < len(self.lines):
            line = self.lines[end]
            if not line.strip():
                after = end
                while self._blank(after) and after < len(self.lines):
                    after += 1
                if after >= len(self.lines):
                    break
                nxt = self.lines[after]
                nxt_indent = len(nxt) - len(nxt.lstrip(" \t"))
                if nxt_indent >= indent and not (stop_at_list and _LIST.match(nxt)):
                    end = after
                    continue
                break
            if (stop_at_list and _LIST.match(line)) or self._interrupts(line):
                break
            end += 1
        return end

    def _take_quote(self, index: int) -> int:
        end = index + 1
        while end < len(self.lines) and not self._blank(end):
            line = self.lines[end]
            if not _QUOTE.match(line) and self._interrupts(line):
                break
            end += 1
        self._add("quote", index, end)
        return end

    def _take_table(self, index: int) -> int:
        self.tables += 1
        markers = self.pending
        ignore = [m for m in markers if m.directive == "ignore"]
        self._add("table-row", index, index + 1, table=self.tables, header=True)
        end = index + 2
        while end < len(self.lines) and not self._blank(end) and "|" in self.lines[end]:
            # An ``ignore`` marker before a table covers every row; the others concern the table's first row.
            self.pending = list(ignore)
            self._add("table-row", end, end + 1, table=self.tables)
            end += 1
        return end

    def _take_paragraph(self, index: int) -> int:
        end = index + 1
        while end < len(self.lines) and not self._blank(end):
            line = self.lines[end]
            setext = _SETEXT.match(line)
            if setext:
                if end - 1 > index:
                    self._add("paragraph", index, end - 1)
                self._add("heading", end - 1, end + 1, level=1 if setext[1][0] == "=" else 2)
                return end + 1
            if self._interrupts(line):
                break
            end += 1
        first = self.lines[index]
        text = "\n".join(self.lines[index:end])
        if ("{{" in text or "<?" in text or "<!--" in text) and not _NOT_PROSE.sub("", text):
            # Only shortcodes, processing instructions and comments: markup a reader never reads as text.
            kind: BlockKind = "shortcode" if "{{" in text else "html"
        elif _IMAGE_LINE.match(first):
            kind = "figure"
        elif re.match(r"^ {0,3}: ", first):
            kind = "caption"
        else:
            kind = "paragraph"
        self._add(kind, index, end)
        return end
