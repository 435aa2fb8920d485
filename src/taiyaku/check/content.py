"""Drift the history cannot show, found in the content of blocks that pair up: a code block whose commands or
flags differ from the source's, and a paragraph whose translation is far shorter than its source, relative to
the rest of the page (a sentence added to the source and never translated).
"""

from __future__ import annotations

import re

from ..read.align import Alignment
from ..read.blocks import KIND_NAMES, Block, link_key
from .context import Collector, count

_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_PROMPT = re.compile(r"^\s*(?:\$|%|>|PS [^>]*>|[\w.-]+@[\w.-]+:[^$#]*[$#])\s+")
_COMMENT = re.compile(r"(?:^|(?<=\s))(?:#|//|--\s).*$|/\*.*?\*/|<!--.*?-->")
_SPACE = re.compile(r"\s+")
_RULE = re.compile(r"([-=+─|])\1+")
_PROSE_LINE = re.compile(r"[A-Za-z][A-Za-z',]*(?: [A-Za-z][A-Za-z',]*){2,}[.:!?]?")
"""A line of words only (a template's placeholder text): no operator, path or flag in it."""
_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9',.]*(?: [A-Za-z][A-Za-z0-9',.]*)*")
_KEY_VALUE = re.compile(r"^([\w.-]+)\s*[:=]\s*(.*)$")
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")

PROSE_KINDS = ("paragraph", "list-item", "quote")
SYMPTOMS = {"number-missing", "link-differs", "code-differs", "footnote-moved", "image-differs"}
"""What a swap of two blocks shows in each; reported as the one move instead."""
SHORT_SHARE = 0.5
"""A translation under this share of the page's usual length ratio is far shorter than its source …"""
SHORT_MIN_SOURCE = 80
"""… when its source block has at least this many characters of text …"""
SHORT_MIN_PAIRS = 4
"""… and the page has this many paired prose blocks to tell its usual ratio."""
FEWER_SENTENCES_SHARE = 0.9
"""A translation with fewer sentences than its source is short already under this share of the usual ratio."""
_SENTENCE_END = re.compile(r"[。！？]|(?<!\b[A-Za-z])(?<!\betc)(?<!\bvs)[.!?](?=\s|$)")
"""Where a sentence ends: Japanese and Chinese full stops; a Latin one unless it ends an initial or an
abbreviation (``U.S.``, ``e.g.``, ``etc.``)."""


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


def _translated(source: str, translation: str) -> bool:
    """Whether two differing code lines are the same line translated, not another command: the translation
    holds letters beyond ASCII (a localized value or output), the source line is prose (a comment-like line of
    a template), or both set the same key to text (``title: Definition Template`` / ``title: Vorlage``)."""
    if any(c.isalpha() and ord(c) > 127 for c in translation):
        return True
    if _PROSE_LINE.fullmatch(source):
        return True
    s_key, t_key = _KEY_VALUE.match(source), _KEY_VALUE.match(translation)
    return bool(s_key and t_key and s_key[1] == t_key[1] and " " in s_key[2] + t_key[2]
                and _WORDS.fullmatch(s_key[2]) and _WORDS.fullmatch(t_key[2]))


def compare_code(source: Block, translation: Block, out: Collector) -> None:
    """Report a translation's code block whose commands differ from its source's (lines translated aside)."""
    s_lines, t_lines = code_lines(source), code_lines(translation)
    if [_squeezed(line) for line in s_lines] == [_squeezed(line) for line in t_lines]:
        return
    if len(s_lines) == len(t_lines):
        pairs = [(s, t) for s, t in zip(s_lines, t_lines) if _squeezed(s) != _squeezed(t) and not _translated(s, t)]
        if not pairs:
            return
        s_line, t_line = pairs[0]
        what = f"`{t_line}` where the source has `{s_line}`"
    else:
        kept = {_squeezed(line) for line in t_lines}
        extra = [line for line in s_lines if _squeezed(line) not in kept and not _PROSE_LINE.fullmatch(line)]
        if not extra or any(any(c.isalpha() and ord(c) > 127 for c in line) for line in t_lines):
            return  # lines only added or removed around localized text: nothing to tell a command by
        what = f"{len(t_lines)} lines of code where the source has {len(s_lines)} (`{extra[0]}` is not here)"
    out.add("code-differs", "error", f"code block differs from the source's (source line {source.line}): {what}",
            source.line, translation.line, [translation])


def _anchors(block: Block, translation: bool) -> frozenset[str]:
    """What survives translation in a block: numbers, inline code, link targets; a code block's commands."""
    if block.kind == "code":
        return frozenset(_squeezed(line) for line in code_lines(block))
    numbers = block.numbers_with_kanji if translation else block.numbers
    return frozenset({str(value) for _, values in numbers for value in values} | set(block.code_spans)
                     | {link_key(target) for target in block.links})


def _swapped(first: tuple[Block, Block], second: tuple[Block, Block],
             anchors: dict[int, frozenset[str]] | None = None) -> bool:
    """Whether two pairs in a row match crosswise and not straight: the translation has them in the other order.

    ``anchors`` keeps each block's anchors (by ``id``) for the next call: a block is in two pairs in a row.
    """
    memo = {} if anchors is None else anchors

    def of(block: Block, translation: bool) -> frozenset[str]:
        found = memo.get(id(block))
        if found is None:
            found = memo[id(block)] = _anchors(block, translation)
        return found

    (s1, t1), (s2, t2) = first, second
    a, b = of(s1, False), of(s2, False)
    if not a or not b or a == b:
        return False  # the translation's anchors are not needed (and not computed)
    x, y = of(t1, True), of(t2, True)
    return a <= y and b <= x and not (a <= x and b <= y)


def _report_moves(pairs: list[tuple[Block, Block]], out: Collector) -> set[int]:
    """Two blocks swapped in the translation: one ``block-moved`` warning, instead of what differs in each;
    returns the translation lines of the blocks moved."""
    moved: set[int] = set()
    anchors: dict[int, frozenset[str]] = {}
    index = 0
    while index + 1 < len(pairs):
        first, second = pairs[index], pairs[index + 1]
        if first[0].kind != second[0].kind or not _swapped(first, second, anchors):
            index += 1
            continue
        lines = {first[1].line, second[1].line}
        moved |= lines
        out.problems = [p for p in out.problems if not (p.translation_line in lines and p.kind in SYMPTOMS)]
        (s1, t1), (s2, _) = first, second
        out.add("block-moved", "warning", f"the {KIND_NAMES[s2.kind]} of source line {s2.line} comes first here, "
                f"before the one of source line {s1.line}: the translation has the two in the other order",
                s1.line, t1.line, [t1])
        index += 2
    return moved


def check_content(alignment: Alignment, out: Collector) -> None:
    """Compare the code of paired code blocks and the length of paired prose blocks; report swapped blocks."""
    prose: list[tuple[Block, Block]] = []
    for _, _, pairs in alignment.sections:
        ones = [(p.source[0], p.translation[0]) for p in pairs if len(p.source) == len(p.translation) == 1]
        moved = _report_moves(ones, out)
        for s, t in ones:
            if t.line in moved:
                continue
            if s.kind == t.kind == "code":
                compare_code(s, t, out)
            elif s.kind == t.kind and s.kind in PROSE_KINDS and s.plain and t.plain:
                prose.append((s, t))
    _check_lengths(prose, out)


def _median(values: list[float]) -> float:
    """The median (``statistics.median``'s, without importing ``statistics`` and ``fractions`` for one number)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _check_lengths(prose: list[tuple[Block, Block]], out: Collector) -> None:
    measured = [(s, t, len(t.plain) / len(s.plain)) for s, t in prose if len(s.plain) >= SHORT_MIN_SOURCE // 2]
    if len(measured) < SHORT_MIN_PAIRS:
        return
    usual = _median([ratio for _, _, ratio in measured])
    for s, t, ratio in measured:
        if len(s.plain) < SHORT_MIN_SOURCE or ratio >= max(SHORT_SHARE, FEWER_SENTENCES_SHARE) * usual:
            continue  # short enough to say nothing, or long enough whatever the sentences: not counted
        s_sentences, t_sentences = len(_SENTENCE_END.findall(s.plain)), len(_SENTENCE_END.findall(t.plain))
        # A fragment without a full stop (a list item) says nothing, unless its source has two sentences or more.
        fewer = t_sentences < s_sentences and (t_sentences >= 1 or s_sentences >= 2)
        if len(s.plain) >= SHORT_MIN_SOURCE and (ratio < SHORT_SHARE * usual
                                                 or fewer and ratio < FEWER_SENTENCES_SHARE * usual):
            sentences = f", {count(t_sentences, 'sentence')} for {s_sentences}" if fewer else ""
            out.add("translation-short", "warning", f"far shorter than its source (source line {s.line}): "
                    f"{len(t.plain)} characters for {len(s.plain)}{sentences}, where this page's translations run at "
                    f"{usual:.0%} of their sources; a sentence may be missing", s.line, t.line, [t])
