"""Split a Markdown body into typed blocks that carry their 1-based line numbers in the file on disk.

The splitter follows taiyaku's Markdown (Python-Markdown with footnotes, pipe tables, attribute lists) closely
enough that a source and its translation split the same way; it is line-based so that every block keeps the
lines it came from, which Python-Markdown's tree does not. The blocks themselves are :mod:`.blocks`.
"""

from __future__ import annotations

from .blocks import ATX_HEADING, FOOTNOTE_DEF, LIST_ITEM, MARKER_DIRECTIVES, Block, BlockKind, Marker, ParsedBody
from .grammar import (ALERT, CAPTION, COMMENT_START, DEFINITION, FENCE, HEADING_ID, IMAGE_START, INDENTED, MARKER,
                      MATH_FENCE, NOT_PROSE, QUOTE, REFERENCE_DEF, REFERENCE_LABEL, REFERENCE_MORE, RULE, SETEXT,
                      SYNTAX_START, blank, fence_end, html_end, html_starts, indent_of, is_table, marked_caption)

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
        self.code_open = self.quote_open = False
        """Whether the last element is code, or a block quote (footnote definitions are no elements)."""
        self.commented = False
        """Whether a comment stands between the last block and the line being read."""
        self.definitions: int | None = None
        """The list number of the definition list a following definition would join."""
        self.table_end = -1
        """The index of the line after the last table."""
        self.captioned: set[int] = set()
        """Tables that have their caption (one each, the one before first)."""
        self.lists = 0
        """Lists and block quotes numbered so far (``Block.group``)."""
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
        return blank(self.lines, index)

    def _past_blanks(self, index: int) -> int:
        """The first line from ``index`` on that is not blank (``len(lines)`` at the end)."""
        while index < len(self.lines) and self._blank(index):
            index += 1
        return index

    def _add(self, kind: BlockKind, start: int, end: int, **extra: object) -> Block:
        """A block of lines ``start``..``end - 1``; pending markers attach to it."""
        block = Block(kind, self.first + start, self.first + end - 1, "\n".join(self.lines[start:end]),
                      markers=self.pending, **extra)  # type: ignore[arg-type]
        self.pending = []
        self.commented = False
        self.blocks.append(block)
        if kind != "footnote":
            self.code_open = kind == "code"
            self.quote_open = kind == "quote"
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
        if line[0] not in SYNTAX_START and "|" not in line:
            return self._take_paragraph(index)
        if INDENTED.match(line):
            if self.list_open is not None and LIST_ITEM.match(line):
                return self._take_list_item(index)
            previous = next((b for b in reversed(self.blocks) if b.kind != "footnote"), None)
            if (self.list_open is not None or self.definitions is not None) and previous is not None \
                    and previous.kind == "list-item":
                # Only definitions came between: the list goes on (Python-Markdown's ListIndentProcessor).
                end = self._take_continued(index, indent=4, stop_at_list=True)
                open_list, definitions = self.list_open, self.definitions
                self._add("list-item", index, end, level=indent_of(line), group=previous.group)
                self.list_open, self.definitions = open_list, definitions
                return end
            if previous is not None and previous.kind == "code" and INDENTED.match(previous.text) \
                    and not self.commented and self.pending == [] and self.code_open:
                # Only definitions came between: the code goes on (Python-Markdown's CodeBlockProcessor).
                end = self._take_code(index, add=False)
                start = previous.line - self.first
                previous.end_line, previous.text = self.first + end - 1, "\n".join(self.lines[start:end])
                return end
            return self._take_code(index)
        if FENCE.match(line) and fence_end(self.lines, index):
            return self._take_fence(index)
        if COMMENT_START.match(line):
            taken = self._take_comment(index)
            if taken is not None:
                return taken
        if "|" in line and is_table(self.lines, index):
            return self._take_table(index)
        if heading := ATX_HEADING.match(line):
            match = HEADING_ID.search(line)
            self._add("heading", index, index + 1, level=len(heading[1]), label=match[1] if match else "")
            return index + 1
        if FOOTNOTE_DEF.match(line):
            return self._take_footnote(index)
        if REFERENCE_DEF.match(line) or (REFERENCE_LABEL.match(line) and index + 1 < len(self.lines)
                                          and REFERENCE_MORE.match(self.lines[index + 1])):
            return self._take_reference(index)
        if MATH_FENCE.match(line):
            return self._take_math(index)
        if RULE.match(line):
            self._add("rule", index, index + 1)
            return index + 1
        if QUOTE.match(line):
            return self._take_quote(index)
        if LIST_ITEM.match(line):
            return self._take_list_item(index)
        if html_starts(line):
            end = html_end(self.lines, index)
            self._add("html", index, end)
            return end
        return self._take_paragraph(index)

    def _take_code(self, index: int, add: bool = True) -> int:
        """Lines indented by four spaces or a tab, with the blank lines between them (a block unless ``add`` is
        false)."""
        end = index
        while end < len(self.lines) and (self._blank(end) or INDENTED.match(self.lines[end])):
            end += 1
        while end > index and self._blank(end - 1):
            end -= 1
        if add:
            self._add("code", index, end)
        return end

    def _take_fence(self, index: int) -> int:
        end = fence_end(self.lines, index)
        assert end is not None
        self._add("code", index, end)
        return end

    def _take_reference(self, index: int) -> int:
        """A link reference definition: not a block (nothing shows); its URL and title may be on the lines after."""
        match = REFERENCE_DEF.match(self.lines[index])
        end = index + 1
        if match:
            label, url = match[1], match[2]
        else:
            label = REFERENCE_LABEL.match(self.lines[index])[1]  # type: ignore[index]
            url = self.lines[end].split()[0].strip("<>") if self.lines[end].split() else ""
            end += 1
        while end < len(self.lines) and self.lines[end].strip() and REFERENCE_MORE.match(self.lines[end]) \
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
        marker = MARKER.match(inner)
        if marker:
            words = marker[1].replace(",", " ").split()
            if words:
                parsed = Marker(words[0].lower(), tuple(words[1:]), self.first + index)
                (self.pending if parsed.directive in MARKER_DIRECTIVES else self.bad).append(parsed)
        self.list_open = self.definitions = None  # Python-Markdown keeps the comment in a block of its own
        self.commented = True
        self.code_open = self.quote_open = False
        return end + 1

    def _interrupts(self, index: int, footnote: bool = True, quote: bool = True) -> bool:
        """A line that starts a new block even without a blank line before it. Python-Markdown's processors that
        come first take the rest of their block as lazy lines: a quote takes a footnote definition, a list item
        a quote and a footnote definition."""
        line = self.lines[index]
        return bool(ATX_HEADING.match(line) or (FENCE.match(line) and fence_end(self.lines, index))
                    or (footnote and FOOTNOTE_DEF.match(line)) or RULE.match(line)
                    or (quote and QUOTE.match(line)) or (COMMENT_START.match(line) and line.rstrip().endswith("-->"))
                    or ("<" in line and html_starts(line)))

    def _take_footnote(self, index: int) -> int:
        label = FOOTNOTE_DEF.match(self.lines[index])[1]  # type: ignore[index]
        end = self._take_continued(index, indent=4, stop_at_list=False, one_blank=True)
        self._add("footnote", index, end, label=label)
        return end

    def _take_list_item(self, index: int) -> int:
        """One item: its lazy lines, and what is indented by four spaces after blank lines (Python-Markdown's
        tab length, whatever the marker's width); an item indented by four is a nested one, of the same list."""
        line = self.lines[index]
        indent = indent_of(line)
        ordered = LIST_ITEM.match(line)[2][0].isdigit()  # type: ignore[index]
        starts_block = index == 0 or self._blank(index - 1)  # else it goes on a block Python-Markdown put in the list
        if self.list_open is None or (indent < 4 and self.list_open != ordered and starts_block):
            self.lists += 1
            self.list_open = ordered
        end = self._take_continued(index, indent=4, stop_at_list=True,
                                   item_of=self.list_open if indent < 4 else None, in_list=True)
        self._add("list-item", index, end, level=indent, group=self.lists)
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
                after = self._past_blanks(end)
                if after >= len(self.lines) or (one_blank and after > end + 1):
                    break
                nxt = self.lines[after]
                if indent_of(nxt) >= indent and not (stop_at_list and LIST_ITEM.match(nxt)):
                    end = after
                    continue
                break
            item = LIST_ITEM.match(line) if stop_at_list else None
            if item and (item_of is None or indent_of(line) >= 4 or item[2][0].isdigit() == item_of):
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
                after = self._past_blanks(end)
                if after < len(self.lines) and QUOTE.match(self.lines[after]) \
                        and not ALERT.match(self.lines[after]):
                    end = after
                    continue
                break
            line = self.lines[end]
            if not QUOTE.match(line) and self._interrupts(end, footnote=False):
                break
            if ALERT.match(line) and self.lines[end - 1].strip() == ">" \
                    and any(text.strip(" >") for text in self.lines[index:end]):
                break  # an alert mark opening a later paragraph of the quote: AlertTreeprocessor splits there
            end += 1
        previous = next((b for b in reversed(self.blocks) if b.kind != "footnote"), None)
        if previous is not None and previous.kind == "quote" and self.quote_open and not ALERT.match(self.lines[index]):
            group = previous.group  # only footnote definitions between: Python-Markdown goes on with that quote
        else:
            self.lists += 1
            group = self.lists
        self._add("quote", index, end, group=group)
        return end

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

    def _caption_of(self, index: int, end: int) -> int | None:
        """The table a ``: …`` paragraph (lines ``index``..``end - 1``) is the caption of: the table right before
        unless it has one, else 0 for the one right after; ``None`` for none (``markup._caption_tables`` takes a
        marked paragraph next to a table, each table one)."""
        if not marked_caption(self.lines, index):
            return None
        before = index - 1
        while before >= 0 and self._blank(before):
            before -= 1
        previous = self.blocks[-1] if self.blocks else None
        if previous is not None and previous.kind == "table-row" and self.table_end == before + 1 \
                and previous.table not in self.captioned and not self.commented:
            return previous.table
        after = self._past_blanks(end)
        if after < len(self.lines) and "|" in self.lines[after] and is_table(self.lines, after):
            return 0
        return None

    def _take_paragraph(self, index: int) -> int:
        end = index + 1
        while end < len(self.lines) and not self._blank(end):
            line = self.lines[end]
            setext = SETEXT.match(line) if end == index + 1 else None
            if setext:
                self._add("heading", index, end + 1, level=1 if setext[1][0] == "=" else 2)
                return end + 1
            if self._interrupts(end):
                break
            end += 1
        first = self.lines[index]
        text = "\n".join(self.lines[index:end])
        if ("{{" in text or "<?" in text or "<!--" in text) and not NOT_PROSE.sub("", text):
            # Only shortcodes, processing instructions and comments: markup a reader never reads as text.
            kind: BlockKind = "shortcode" if "{{" in text else "html"
        elif any(DEFINITION.match(self.lines[n]) and not marked_caption(self.lines, n) for n in range(index, end)):
            return self._take_definition(index, end)
        elif image := IMAGE_START.match(first):
            kind = "figure"
            if image[2] is not None:
                self.figure_refs.append((len(self.blocks), (image[2] or image[1]).lower()))
        elif CAPTION.match(first) and (table := self._caption_of(index, end)) is not None:
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
        terms = not DEFINITION.match(self.lines[index])
        if not terms and previous is None:
            self._add("paragraph", index, end)
            return end
        number = self.definitions
        if not terms and previous is not None and previous.kind == "paragraph" and not self.commented:
            self.lists += 1
            number = previous.group = self.lists
            previous.kind = "list-item"
        if number is None:
            self.lists += 1
            number = self.lists
        while end < len(self.lines) and self._blank(end):
            after = self._past_blanks(end)
            if after < len(self.lines) and indent_of(self.lines[after]) >= 4:
                end = after
                while end < len(self.lines) and not self._blank(end):
                    end += 1
            else:
                break
        self._add("list-item", index, end, group=number)
        self.definitions = number
        return end
