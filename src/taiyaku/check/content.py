"""Drift the history cannot show, found in the content of blocks that pair up: a code block whose commands or
flags differ from the source's, and a paragraph whose translation is far shorter than its source, relative to
the rest of the page (a sentence added to the source and never translated).
"""

from __future__ import annotations

import re
from statistics import median

from ..read.align import Alignment
from ..read.blocks import Block
from .context import Collector
from .scripts import _COMPILED, script_of

_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_PROMPT = re.compile(r"^\s*(?:\$|%|>|PS [^>]*>|[\w.-]+@[\w.-]+:[^$#]*[$#])\s+")
_COMMENT = re.compile(r"(?:^|(?<=\s))(?:#|//|--\s).*$|/\*.*?\*/|<!--.*?-->")
_SPACE = re.compile(r"\s+")
_RULE = re.compile(r"([-=+─|])\1+")
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")

PROSE_KINDS = ("paragraph", "list-item", "quote")
SHORT_SHARE = 0.5
"""A translation under this share of the page's usual length ratio is far shorter than its source …"""
SHORT_MIN_SOURCE = 80
"""… when its source block has at least this many characters of text …"""
SHORT_MIN_PAIRS = 4
"""… and the page has this many paired prose blocks to tell its usual ratio."""


def code_lines(block: Block) -> list[str]:
    """A code block's lines as commands: fences, prompts, comments and the contents of strings left out."""
    lines = block.text.split("\n")
    if lines and _FENCE_LINE.match(lines[0]):
        lines = lines[1:-1] if len(lines) > 1 and _FENCE_LINE.match(lines[-1]) else lines[1:]
    found = []
    for line in lines:
        line = _STRING.sub('""', _PROMPT.sub("", line))
        line = " ".join(_COMMENT.sub("", line).split())
        if line:
            found.append(line)
    return found


def _squeezed(line: str) -> str:
    """A line without white space and with rules of ``-``, ``=``, ``+`` drawn at any width (tables in output)."""
    return _RULE.sub(r"\1", _SPACE.sub("", line))


def compare_code(source: Block, translation: Block, target_lang: str, out: Collector) -> None:
    """Report a translation's code block whose commands differ from its source's; a line that holds letters
    of the translation's script (a localized value or output) is taken as translated."""
    s_lines, t_lines = code_lines(source), code_lines(translation)
    if [_squeezed(line) for line in s_lines] == [_squeezed(line) for line in t_lines]:
        return
    letters = _COMPILED[script_of(target_lang)] if script_of(target_lang) != "latin" else None
    if len(s_lines) == len(t_lines):
        pairs = [(s, t) for s, t in zip(s_lines, t_lines)
                 if _squeezed(s) != _squeezed(t) and not (letters and letters.search(t))]
        if not pairs:
            return
        s_line, t_line = pairs[0]
        what = f"`{t_line}` where the source has `{s_line}`"
    else:
        extra = [line for line in s_lines if line not in t_lines]
        what = (f"{len(t_lines)} lines of code where the source has {len(s_lines)}"
                + (f" (`{extra[0]}` is not here)" if extra else ""))
        if letters and not extra:
            return
    out.add("code-differs", "error", f"code block differs from the source's (source line {source.line}): {what}",
            source.line, translation.line, [translation])


def check_content(alignment: Alignment, target_lang: str, out: Collector) -> None:
    """Compare the code of paired code blocks and the length of paired prose blocks."""
    prose: list[tuple[Block, Block]] = []
    for _, _, pairs in alignment.sections:
        for pair in pairs:
            if len(pair.source) != 1 or len(pair.translation) != 1:
                continue
            s, t = pair.source[0], pair.translation[0]
            if s.kind == t.kind == "code":
                compare_code(s, t, target_lang, out)
            elif s.kind == t.kind and s.kind in PROSE_KINDS and s.plain and t.plain:
                prose.append((s, t))
    _check_lengths(prose, out)


def _check_lengths(prose: list[tuple[Block, Block]], out: Collector) -> None:
    measured = [(s, t, len(t.plain) / len(s.plain)) for s, t in prose if len(s.plain) >= SHORT_MIN_SOURCE // 2]
    if len(measured) < SHORT_MIN_PAIRS:
        return
    usual = median(ratio for _, _, ratio in measured)
    for s, t, ratio in measured:
        if len(s.plain) >= SHORT_MIN_SOURCE and ratio < SHORT_SHARE * usual:
            out.add("translation-short", "warning", f"far shorter than its source (source line {s.line}): "
                    f"{len(t.plain)} characters for {len(s.plain)}, where this page's translations run at "
                    f"{usual:.0%} of their sources; a sentence may be missing", s.line, t.line, [t])
