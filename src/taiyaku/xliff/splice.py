"""Writing translations back into Markdown files at their blocks' lines, and nothing else.

Edits are line ranges of the file on disk (1-based, front matter counted, as the block model gives them); the
file's BOM and line endings stay, every line outside the edited ranges stays byte for byte. A front matter
value is spliced into its YAML scalar's own span, never re-dumped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace lines ``start``..``end`` (1-based, inclusive) by ``lines``; ``end == start - 1`` inserts before
    ``start``. ``order`` keeps insertions at one place in source order."""

    start: int
    end: int
    order: int
    lines: tuple[str, ...]


def apply_edits(data: bytes, edits: list[Edit]) -> bytes:
    """``data`` (a UTF-8 file) with ``edits`` applied; raises ``ValueError`` when two edits overlap."""
    bom = data.startswith(_BOM)
    text = data[len(_BOM):].decode("utf-8") if bom else data.decode("utf-8")
    lines = text.split("\n")
    # A file's own line ending: what its first line ends with.
    newline = "\r\n" if lines and lines[0].endswith("\r") else "\n"
    ordered = sorted(edits)
    for before, after in zip(ordered, ordered[1:]):
        if after.start <= before.end:
            raise ValueError(f"edits of lines {before.start}-{before.end} and {after.start}-{after.end} overlap")
    out: list[str] = []
    index = 0  # 0-based line of the original not yet copied
    for edit in ordered:
        while index < edit.start - 1:
            out.append(lines[index])
            index += 1
        cr = "\r" if newline == "\r\n" else ""
        out.extend(line + cr for line in edit.lines)
        index = max(index, edit.end)
    out.extend(lines[index:])
    result = "\n".join(out).encode("utf-8")
    return _BOM + result if bom else result


def scalar_span(yaml_text: str, path: tuple[str | int, ...]) -> tuple[int, int, int, int] | None:
    """Where a front matter value is written: (first line, column, last line, end column), 0-based in
    ``yaml_text``; ``None`` when the key path is not there or the value is not a plain scalar."""
    try:
        node: Any = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            node = next((value for key, value in node.value
                         if isinstance(key, yaml.ScalarNode) and key.value.lower() == step.lower()), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if step < len(node.value) else None
        else:
            return None
        if node is None:
            return None
    if not isinstance(node, yaml.ScalarNode):
        return None
    start, end = node.start_mark, node.end_mark
    if node.style in ("|", ">"):
        # A block scalar's span runs to the next key: stop at its last line of text.
        lines = yaml_text.split("\n")
        last = end.line - 1 if end.column == 0 else end.line
        while last > start.line and not lines[last].strip():
            last -= 1
        return start.line, start.column, last, len(lines[last])
    return start.line, start.column, end.line, end.column


@dataclass(frozen=True, order=True)
class ValueEdit:
    """A front matter scalar replaced: from (line, column) to (last line, end column), 1-based lines of the file."""

    line: int
    column: int
    last: int
    end_column: int
    text: str


def value_edit(yaml_start_line: int, span: tuple[int, int, int, int], value: str) -> ValueEdit:
    """The edit that writes ``value`` (as a double-quoted YAML scalar) over the scalar at ``span``."""
    first, column, last, end_column = span
    return ValueEdit(yaml_start_line + first, column, yaml_start_line + last, end_column, quoted(value))


def line_edits(file_lines: list[str], values: list[ValueEdit]) -> list[Edit]:
    """Front matter value edits as line edits: several values of one line (a flow list) become one edit."""
    groups: list[list[ValueEdit]] = []
    for edit in sorted(values):
        if groups and edit.line <= groups[-1][-1].last:
            groups[-1].append(edit)
        else:
            groups.append([edit])
    edits = []
    for group in groups:
        first, last = group[0].line, max(e.last for e in group)
        text = "\n".join(line.rstrip("\r") for line in file_lines[first - 1 : last])
        offsets = [0]
        for line in file_lines[first - 1 : last]:
            offsets.append(offsets[-1] + len(line.rstrip("\r")) + 1)
        for edit in reversed(group):
            start = offsets[edit.line - first] + edit.column
            end = offsets[edit.last - first] + edit.end_column
            text = text[:start] + edit.text + text[end:]
        edits.append(Edit(first, last, 0, tuple(text.split("\n"))))
    return edits


def quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(value, ensure_ascii=False)
