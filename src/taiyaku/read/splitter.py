"""Split a Markdown body into typed blocks that carry their 1-based line numbers in the file on disk.

The splitter follows taiyaku's Markdown (Python-Markdown with footnotes, pipe tables, attribute lists) closely
enough that a source and its translation split the same way; it is line-based so that every block keeps the
lines it came from, which Python-Markdown's tree does not. The blocks themselves are :mod:`.blocks`.
"""

from __future__ import annotations

import re

from .blocks import ATX_HEADING, FOOTNOTE_DEF, LIST_ITEM, MARKER_DIRECTIVES, Block, BlockKind, Marker, ParsedBody

_SYNTAX_START = frozenset(" \t#`~<[-*+_>|:=$0123456789")
"""First characters of a line that may open something other than a paragraph."""
_FENCE = re.compile(r"^(`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(\"|').*?\2[ ]*)?)$")
"""A fence's opening line as ``fenced_code`` reads it: unindented, then a language or ``{attributes}`` only."""
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
"""A setext heading's underline: Python-Markdown takes it only unindented and right under the paragraph's first line."""
_REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$")
_REFERENCE_LABEL = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*$")
"""A reference definition whose URL is on the next line."""
_REFERENCE_MORE = re.compile(r"^[ \t]+(?:<?\S+>?[ \t]*)?(?:\"[^\"]*\"|'[^']*'|\([^)]*\))?[ \t]*$")
"""A continuation line of a reference definition: its URL and/or its title."""
_MATH_FENCE = re.compile(r"^ {0,3}\$\$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}>")
_ALERT = re.compile(r"^ {0,3}> ?\[!(?:note|tip|important|warning|caution)\][ \t]*$", re.I)
_END_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|$")
_CAPTION = re.compile(r"^ {0,3}: ")
_TABLE_LINE = re.compile(r"^ {0,3}\|")
_DEFINITION = re.compile(r"^ {0,3}:[ ]{1,3}")
"""A definition list's definition line (``def_list``): the lines before it in its paragraph are terms."""
_INDENTED = re.compile(r"^(?: {4}|\t)")
_COMMENT_START = re.compile(r"^ {0,3}<!--")
_MARKER = re.compile(r"^\s*taiyaku:\s*(.*?)\s*$", re.S)
_HTML_BLOCK = re.compile(r"^ {0,3}</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_BLOCK_TAGS = {
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
_IMAGE_START = re.compile(r"^\s*!\[((?:[^\[\]\\]|\\.|\[(?:[^\]\\]|\\.)*\])*)\](?:\([^)]*\)|\[([^\]]*)\])")
"""An image at the start of a paragraph, which ``markup._make_figures`` makes a figure of, whatever follows it (the
rest of its line and the next are the caption); a reference image only when its reference is defined."""
_HEADING_ID = re.compile(r"\{:?[^}]*#([A-Za-z][\w:.-]*)[^}]*\}\s*$")
_NOT_PROSE = re.compile(r"\{\{[<%].*?[%>]\}\}|<\?.*?\?>|<!--.*?-->|\s+", re.S)
"""What a block of markup only is made of: shortcodes, processing instructions, comments."""


def _indent(line: str) -> int:
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
        self.figure_refs: list[tuple[int, str]] = []
        """Figures whose image is a reference (block index, label): figures only if the body defines it."""
        self.code_open = False
        """Whether the last element is code (footnote definitions are no elements)."""
        self.commented = False
        """Whether a comment stands between the last block and the line being read."""
        self.definitions: int | None = None
        """The list number of the definition list a following definition would join."""
        self.table_end = -1
        """The index of the line after the last table."""
        self.captioned: set[int] = set()
        """Tables that have their caption (one each, the one before first)."""
        self.lists = 0
        self.list_open: bool | None = None
        """Whether the list last begun is ordered, while a new item at its level would join it; ``None`` when
        something else has come since (Python-Markdown's ``sane_lists``: ``-`` after ``1.`` begins a new list,
        and so does any item after a paragraph, heading or comment)."""

    def run(self) -> ParsedBody:
        index = 0
        while index < len(self.lines):
            index = self._step(index)
        for number, label in self.figure_refs:
            if label not in self.references:
                self.blocks[number].kind = "paragraph"  # an undefined reference stays text
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
        self.commented = False
        self.blocks.append(block)
        if kind != "footnote":
            self.code_open = kind == "code"
        if kind != "footnote":
            if kind != "list-item" or not LIST_ITEM.match(block.text):
                self.list_open = None
            if kind != "list-item" or LIST_ITEM.match(block.text):
                self.definitions = None
        return block

    def _step(self, index: int) -> int:
        line = self.lines[index]
        if not line.strip():
            return index + 1
        # Most lines of prose start with a letter: nothing but a paragraph (or a table row) can start there.
        if line[0] not in _SYNTAX_START and "|" not in line:
            return self._take_paragraph(index)
        if _INDENTED.match(line):
            if self.list_open is not None and LIST_ITEM.match(line):
                return self._take_list_item(index)
            previous = next((b for b in reversed(self.blocks) if b.kind != "footnote"), None)
            if (self.list_open is not None or self.definitions is not None) and previous is not None \
                    and previous.kind == "list-item":
                # Only definitions came between: the list goes on (Python-Markdown's ListIndentProcessor).
                end = self._take_continued(index, indent=4, stop_at_list=True)
                open_list, definitions = self.list_open, self.definitions
                self._add("list-item", index, end, level=_indent(line), list=previous.list)
                self.list_open, self.definitions = open_list, definitions
                return end
            if previous is not None and previous.kind == "code" and _INDENTED.match(previous.text) \
                    and not self.commented and self.pending == [] and self.code_open:
                # Only definitions came between: the code goes on (Python-Markdown's CodeBlockProcessor).
                end = self._take_code(index, add=False)
                start = previous.line - self.first
                previous.end_line, previous.text = self.first + end - 1, "\n".join(self.lines[start:end])
                return end
            return self._take_code(index)
        if _FENCE.match(line) and self._fence_end(index):
            return self._take_fence(index)
        if _COMMENT_START.match(line):
            taken = self._take_comment(index)
            if taken is not None:
                return taken
        if "|" in line and self._is_table(index):
            return self._take_table(index)
        if ATX_HEADING.match(line):
            match = _HEADING_ID.search(line)
            self._add("heading", index, index + 1, level=len(ATX_HEADING.match(line)[1]), label=match[1] if match else "")
            return index + 1
        if FOOTNOTE_DEF.match(line):
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
        if LIST_ITEM.match(line):
            return self._take_list_item(index)
        if self._html_starts(line):
            return self._take_html(index)
        return self._take_paragraph(index)

    @staticmethod
    def _html_starts(line: str) -> bool:
        match = _HTML_BLOCK.match(line)
        return bool(match and match[1].lower() in _BLOCK_TAGS and not line.lstrip().startswith("</"))

    def _take_html(self, index: int) -> int:
        """Raw HTML: from a block-level start tag to the line where its end tag closes every tag opened since
        (blank lines and all, as Python-Markdown's HTML parser reads it); unclosed, to the end of the body."""
        stack: list[str] = []
        for end in range(index, len(self.lines)):
            for match in _TAG.finditer(self.lines[end]):
                tag = match[2].lower()
                if match[1]:
                    if tag in stack:
                        while stack.pop() != tag:
                            pass
                elif tag not in _VOID and not match[3].rstrip().endswith("/"):
                    stack.append(tag)
                if not stack:
                    break
            if not stack:
                break
        self._add("html", index, end + 1)
        return end + 1

    def _take_code(self, index: int, add: bool = True) -> int:
        """Lines indented by four spaces or a tab, with the blank lines between them (a block unless ``add`` is
        false)."""
        end = index
        while end < len(self.lines) and (self._blank(end) or _INDENTED.match(self.lines[end])):
            end += 1
        while end > index and self._blank(end - 1):
            end -= 1
        if add:
            self._add("code", index, end)
        return end

    def _fence_end(self, index: int) -> int | None:
        """The index after the fence that opens at line ``index``: Python-Markdown closes it with the very same
        fence, unindented; unclosed, it is no fence at all."""
        opening = _FENCE.match(self.lines[index])
        assert opening is not None
        closing = re.compile(rf"^{re.escape(opening[1])}[ ]*$")
        for end in range(index + 1, len(self.lines)):
            if closing.match(self.lines[end]):
                return end + 1
        return None

    def _take_fence(self, index: int) -> int:
        end = self._fence_end(index)
        assert end is not None
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
        self.list_open = self.definitions = None  # Python-Markdown keeps the comment in a block of its own
        self.commented = True
        self.code_open = False
        return end + 1

    def _interrupts(self, index: int, footnote: bool = True, quote: bool = True) -> bool:
        """A line that starts a new block even without a blank line before it. Python-Markdown's processors that
        come first take the rest of their block as lazy lines: a quote takes a footnote definition, a list item
        a quote and a footnote definition."""
        line = self.lines[index]
        return bool(ATX_HEADING.match(line) or (_FENCE.match(line) and self._fence_end(index))
                    or (footnote and FOOTNOTE_DEF.match(line)) or _RULE.match(line)
                    or (quote and _QUOTE.match(line)) or (_COMMENT_START.match(line) and line.rstrip().endswith("-->"))
                    or ("<" in line and self._html_starts(line)))

    def _take_footnote(self, index: int) -> int:
        label = FOOTNOTE_DEF.match(self.lines[index])[1]  # type: ignore[index]
        end = self._take_continued(index, indent=4, stop_at_list=False, one_blank=True)
        self._add("footnote", index, end, label=label)
        return end

    def _take_list_item(self, index: int) -> int:
        """One item: its lazy lines, and what is indented by four spaces after blank lines (Python-Markdown's
        tab length, whatever the marker's width); an item indented by four is a nested one, of the same list."""
        line = self.lines[index]
        indent = _indent(line)
        ordered = LIST_ITEM.match(line)[2][0].isdigit()  # type: ignore[index]
        if self.list_open is None or (indent < 4 and self.list_open != ordered):
            self.lists += 1
            self.list_open = ordered
        end = self._take_continued(index, indent=4, stop_at_list=True,
                                   item_of=self.list_open if indent < 4 else None, in_list=True)
        self._add("list-item", index, end, level=indent, list=self.lists)
        return end

    def _take_continued(self, index: int, indent: int, stop_at_list: bool, item_of: bool | None = None,
                        one_blank: bool = False, in_list: bool = False) -> int:
        """Lines of a list item or footnote: lazy lines, and lines indented by ``indent`` after blank ones.

        Without a blank line, an item of the other kind (``1.`` in a ``-`` list, ``item_of`` says which the list
        is) is a lazy line of the item before, unless it is indented by four (a nested list). With ``one_blank``
        (a footnote) two blank lines end it: Python-Markdown's footnote processor looks only at the next block.
        """
        end = index + 1
        while end < len(self.lines):
            line = self.lines[end]
            if not line.strip():
                after = end
                while self._blank(after) and after < len(self.lines):
                    after += 1
                if after >= len(self.lines) or (one_blank and after > end + 1):
                    break
                nxt = self.lines[after]
                if _indent(nxt) >= indent and not (stop_at_list and LIST_ITEM.match(nxt)):
                    end = after
                    continue
                break
            item = LIST_ITEM.match(line) if stop_at_list else None
            if item and (item_of is None or _indent(line) >= 4 or item[2][0].isdigit() == item_of):
                break
            if self._interrupts(end, footnote=not in_list, quote=not in_list):
                break
            end += 1
        return end

    def _take_quote(self, index: int) -> int:
        """A block quote with its lazy lines; quotes after blank lines are the same quote (Python-Markdown joins
        them), unless one begins a GitHub alert (``AlertTreeprocessor`` splits there)."""
        end = index + 1
        while end < len(self.lines):
            if self._blank(end):
                after = end
                while self._blank(after) and after < len(self.lines):
                    after += 1
                if after < len(self.lines) and _QUOTE.match(self.lines[after]) \
                        and not _ALERT.match(self.lines[after]):
                    end = after
                    continue
                break
            line = self.lines[end]
            if not _QUOTE.match(line) and self._interrupts(end, footnote=False):
                break
            end += 1
        self._add("quote", index, end)
        return end

    def _is_table(self, index: int) -> bool:
        """Whether a table starts here, by Python-Markdown's test: a header of two cells or more (of one, when
        every line of the block has a border pipe), then a delimiter row of as many cells."""
        if index + 1 >= len(self.lines) or self._blank(index + 1):
            return False
        header = _cells(self.lines[index])
        if len(header) == 1:
            if not (_has_border(self.lines[index]) and _has_border(self.lines[index + 1])):
                return False
            end = index + 2
            while not self._blank(end) and _has_border(self.lines[end]):
                end += 1
            if not self._blank(end):
                return False
        delimiter = _cells(self.lines[index + 1])
        return len(delimiter) == len(header) and set("".join(delimiter)) <= set("|:- ")

    def _take_table(self, index: int) -> int:
        """A table: its header, delimiter and every line after them up to a blank one (each a row, as in
        Python-Markdown, with a pipe or without)."""
        self.tables += 1
        markers = self.pending
        ignore = [m for m in markers if m.directive == "ignore"]
        previous = self.blocks[-1] if self.blocks else None
        if previous is not None and previous.kind == "caption" and previous.table == 0:
            previous.table = self.tables  # the caption before it, unless the table before took it
            self.captioned.add(self.tables)
        self._add("table-row", index, index + 1, table=self.tables, header=True)
        end = index + 2
        while end < len(self.lines) and not self._blank(end):
            # An ``ignore`` marker before a table covers every row; the others concern the table's first row.
            self.pending = list(ignore)
            self._add("table-row", end, end + 1, table=self.tables)
            end += 1
        self.table_end = end
        return end

    def _marked(self, index: int) -> bool:
        """Whether ``markup.TableCaptions`` marks line ``index`` as a caption (it then is no definition): a ``: …``
        line whose nearest non-blank line before or after starts with ``|``."""
        if not _CAPTION.match(self.lines[index]):
            return False
        for step in (-1, 1):
            near = index + step
            while 0 <= near < len(self.lines) and self._blank(near):
                near += step
            if 0 <= near < len(self.lines) and _TABLE_LINE.match(self.lines[near]):
                return True
        return False

    def _caption_of(self, index: int, end: int) -> int | None:
        """The table a ``: …`` paragraph (lines ``index``..``end - 1``) is the caption of: the table right before
        unless it has one, else 0 for the one right after; ``None`` for none (``markup._caption_tables`` takes a
        marked paragraph next to a table, each table one)."""
        if not self._marked(index):
            return None
        before = index - 1
        while before >= 0 and self._blank(before):
            before -= 1
        previous = self.blocks[-1] if self.blocks else None
        if previous is not None and previous.kind == "table-row" and self.table_end == before + 1 \
                and previous.table not in self.captioned and not self.commented:
            return previous.table
        after = end
        while after < len(self.lines) and self._blank(after):
            after += 1
        if after < len(self.lines) and "|" in self.lines[after] and self._is_table(after):
            return 0
        return None
        previous = self.blocks[-1] if self.blocks else None
        if previous is not None and previous.kind == "table-row" and previous.end_line == self.first + before \
                and previous.table not in self.captioned:
            return previous.table
        if after < len(self.lines) and "|" in self.lines[after] and self._is_table(after):
            return 0
        return None

    def _take_paragraph(self, index: int) -> int:
        end = index + 1
        while end < len(self.lines) and not self._blank(end):
            line = self.lines[end]
            setext = _SETEXT.match(line) if end == index + 1 else None
            if setext:
                self._add("heading", index, end + 1, level=1 if setext[1][0] == "=" else 2)
                return end + 1
            if self._interrupts(end):
                break
            end += 1
        first = self.lines[index]
        text = "\n".join(self.lines[index:end])
        if ("{{" in text or "<?" in text or "<!--" in text) and not _NOT_PROSE.sub("", text):
            # Only shortcodes, processing instructions and comments: markup a reader never reads as text.
            kind: BlockKind = "shortcode" if "{{" in text else "html"
        elif any(_DEFINITION.match(self.lines[n]) and not self._marked(n) for n in range(index, end)):
            return self._take_definition(index, end)
        elif image := _IMAGE_START.match(first):
            kind = "figure"
            if image[2] is not None:
                self.figure_refs.append((len(self.blocks), (image[2] or image[1]).lower()))
        elif _CAPTION.match(first) and (table := self._caption_of(index, end)) is not None:
            if table:
                self.captioned.add(table)
            self._add("caption", index, end, table=table)
            return end
        else:
            kind = "paragraph"
        self._add(kind, index, end)
        return end

    def _take_definition(self, index: int, end: int) -> int:
        """A paragraph holding a definition line: terms and definitions, one item of a definition list (a list
        item whose text has no list marker), with what is indented by four after blank lines.

        Python-Markdown's ``def_list`` joins it to the list right before; a definition without terms takes the
        paragraph before as its terms, and at the start of the body it is only a paragraph.
        """
        previous = self.blocks[-1] if self.blocks else None
        terms = not _DEFINITION.match(self.lines[index])
        if not terms and previous is None:
            self._add("paragraph", index, end)
            return end
        number = self.definitions
        if not terms and previous is not None and previous.kind == "paragraph" and not self.commented:
            self.lists += 1
            number = previous.list = self.lists
            previous.kind = "list-item"
        if number is None:
            self.lists += 1
            number = self.lists
        while end < len(self.lines) and self._blank(end):
            after = end
            while after < len(self.lines) and self._blank(after):
                after += 1
            if after < len(self.lines) and _indent(self.lines[after]) >= 4:
                end = after
                while end < len(self.lines) and not self._blank(end):
                    end += 1
            else:
                break
        self._add("list-item", index, end, list=number)
        self.definitions = number
        return end
