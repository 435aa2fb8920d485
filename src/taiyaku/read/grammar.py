"""Python-Markdown's block grammar as taiyaku renders it, line by line: what opens a block and where it ends.

The facts :mod:`.splitter` follows, each as Python-Markdown (3.x, with ``fenced_code``, ``tables``, ``def_list``,
``footnotes``, ``sane_lists`` and taiyaku's own extensions) reads it; where CommonMark reads otherwise the renderer
is followed, since readers see what it renders. ``tests/read/test_splitter_differential.py`` holds the two together.
"""

from __future__ import annotations

import re

SYNTAX_START = frozenset(" \t#`~<[-*+_>|:=$0123456789")
"""First characters of a line that may open something other than a paragraph."""
FENCE = re.compile(r"^(`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(\"|').*?\2[ ]*)?)$")
"""A fence's opening line as ``fenced_code`` reads it: unindented, then a language or ``{attributes}`` only."""
SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
"""A setext heading's underline: Python-Markdown takes it only unindented and right under the paragraph's first line."""
REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$")
REFERENCE_LABEL = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*$")
"""A reference definition whose URL is on the next line."""
REFERENCE_MORE = re.compile(r"^[ \t]+(?:<?\S+>?[ \t]*)?(?:\"[^\"]*\"|'[^']*'|\([^)]*\))?[ \t]*$")
"""A continuation line of a reference definition: its URL and/or its title."""
MATH_FENCE = re.compile(r"^ {0,3}\$\$")
"""Display math (no extension renders it: its text stands in a paragraph)."""
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
"""A horizontal rule; it ends the paragraph above it (unless that paragraph is one line: a setext heading)."""
QUOTE = re.compile(r"^ {0,3}>")
"""A block quote's line; a quote takes the lines after it in its block as lazy lines."""
ALERT = re.compile(r"^ {0,3}> ?\[!(?:note|tip|important|warning|caution)\][ \t]*$", re.I)
"""A GitHub alert's first line (``extensions.AlertTreeprocessor``): it begins an element of its own."""
_END_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|$")
CAPTION = re.compile(r"^ {0,3}: ")
"""A table caption's line (Pandoc's syntax), when a table is next to it."""
DEFINITION = re.compile(r"^ {0,3}:[ ]{1,3}")
"""A definition list's definition line (``def_list``): the lines before it in its paragraph are terms."""
INDENTED = re.compile(r"^(?: {4}|\t)")
"""Four spaces or a tab: code, or a list's or footnote's next paragraph."""
COMMENT_START = re.compile(r"^ {0,3}<!--")
"""An HTML comment: no block; Python-Markdown keeps it apart, so it ends a list."""
MARKER = re.compile(r"^\s*taiyaku:\s*(.*?)\s*$", re.S)
"""A comment's text that makes it a ``taiyaku:`` marker."""
_HTML_BLOCK = re.compile(r"^ {0,3}</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "canvas", "center", "colgroup", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "group", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "html", "iframe", "legend", "li", "main", "map", "math", "menu", "nav", "noscript", "object", "ol",
    "option", "output", "p", "pre", "progress", "script", "section", "style", "summary", "table", "tbody", "td",
    "textarea", "tfoot", "th", "thead", "tr", "ul", "video",
}
"""Python-Markdown's block-level elements (``Markdown.block_level_elements``): one of them at the start of a line
opens raw HTML that runs to its end tag (``<svg>``, ``<audio>`` or ``<picture>`` do not: they stand in a paragraph)."""
_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
IMAGE_START = re.compile(r"^\s*!\[((?:[^\[\]\\]|\\.|\[(?:[^\]\\]|\\.)*\])*)\](?:\([^)]*\)|\[([^\]]*)\])")
"""An image at the start of a paragraph, which ``markup._make_figures`` makes a figure of, whatever follows it (the
rest of its line and the next are the caption); a reference image only when its reference is defined."""
HEADING_ID = re.compile(r"\{:?[^}]*#([A-Za-z][\w:.-]*)[^}]*\}\s*$")
"""A heading's explicit ``{#id}`` (``attr_list``)."""
SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.S)
"""A Hugo shortcode, ``{{< name args >}}`` or ``{{% name args %}}``, opening, closing or single."""
MATH = re.compile(r"\$\$.+?\$\$|\\\(.+?\\\)", re.S)
"""Inline math, ``$$…$$`` or ``\\(…\\)``: never text to read or translate."""
NOT_PROSE = re.compile(r"\{\{[<%].*?[%>]\}\}|<\?.*?\?>|<!--.*?-->|\s+", re.S)
"""What a block of markup only is made of: shortcodes, processing instructions, comments."""


def indent_of(line: str) -> int:
    """The columns of white space a line starts with, tabs expanded to four as Python-Markdown does."""
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _cells(row: str) -> list[str]:
    """A table row's cells, border pipes dropped (pipes in code spans are not told apart)."""
    row = row.strip(" ")
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if _END_PIPE.search(row) else row
    return re.split(r"(?<!\\)\|", row)


def _has_border(row: str) -> bool:
    row = row.strip(" ")
    return row.startswith("|") or bool(_END_PIPE.search(row))


def blank(lines: list[str], index: int) -> bool:
    """Whether line ``index`` is blank (past the end counts as blank)."""
    return index >= len(lines) or not lines[index].strip()


def html_starts(line: str) -> bool:
    """Whether raw HTML opens on this line: a block-level start tag at its start."""
    match = _HTML_BLOCK.match(line)
    return bool(match and match[1].lower() in BLOCK_TAGS and not line.lstrip().startswith("</"))


def html_end(lines: list[str], index: int) -> int:
    """The index after raw HTML opening at line ``index``: the line where its end tag closes every tag opened since
    (blank lines and all, as Python-Markdown's HTML parser reads it); unclosed, the end of the body."""
    stack: list[str] = []
    for end in range(index, len(lines)):
        for match in _TAG.finditer(lines[end]):
            tag = match[2].lower()
            if match[1]:
                if tag in stack:
                    while stack.pop() != tag:
                        pass
            elif tag not in _VOID and not match[3].rstrip().endswith("/"):
                stack.append(tag)
            if not stack:
                return end + 1
    return len(lines)


def fence_end(lines: list[str], index: int) -> int | None:
    """The index after a fence opening at line ``index`` (``FENCE`` matches it): Python-Markdown closes it with the
    very same fence, unindented; unclosed, it is no fence at all."""
    opening = FENCE.match(lines[index])
    assert opening is not None
    closing = re.compile(rf"^{re.escape(opening[1])}[ ]*$")
    for end in range(index + 1, len(lines)):
        if closing.match(lines[end]):
            return end + 1
    return None


def is_table(lines: list[str], index: int) -> bool:
    """Whether a table starts at line ``index``, by Python-Markdown's test: a header of two cells or more (of one,
    when every line of the block has a border pipe), then a delimiter row of as many cells."""
    if blank(lines, index + 1):
        return False
    header = _cells(lines[index])
    if len(header) == 1:
        if not (_has_border(lines[index]) and _has_border(lines[index + 1])):
            return False
        end = index + 2
        while not blank(lines, end) and _has_border(lines[end]):
            end += 1
        if not blank(lines, end):
            return False
    delimiter = _cells(lines[index + 1])
    return len(delimiter) == len(header) and set("".join(delimiter)) <= set("|:- ")


def marked_caption(lines: list[str], index: int) -> bool:
    """Whether line ``index`` is a table caption's (``markup.TableCaptions`` marks it; it then is no definition): a
    ``: …`` line with a table right before or right after it, blank lines between."""
    if not CAPTION.match(lines[index]):
        return False
    after = index + 1
    while after < len(lines) and blank(lines, after):
        after += 1
    if after < len(lines) and "|" in lines[after] and is_table(lines, after):
        return True
    above = index - 1
    while above >= 0 and blank(lines, above):
        above -= 1
    if above < 0 or "|" not in lines[above]:
        return False
    start = above
    while start > 0 and not blank(lines, start - 1):
        start -= 1
    return "|" in lines[start] and is_table(lines, start)
