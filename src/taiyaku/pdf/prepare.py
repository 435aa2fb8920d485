"""Document preparation: the print HTML rewritten, before layout, for what WeasyPrint cannot do by itself.

One pass over the assembled print document (see :func:`prepare_document`). Text is changed only by adding
markup and invisible joiners, never visible characters:

- every footnote gets ``data-note="<chapter> <n>"`` (named in messages when a note goes astray), and a
  word joiner (U+2060) ties it to the preceding character, so a call never starts a line (``た|⁴。``);
- a word joiner at each inline markup boundary inside a number or a Western word (``¥<em>3</em>,<span>000``),
  where WeasyPrint would otherwise allow a break;
- in Japanese text (JLReq):
  - a space (¼ em in the Japanese font, collapsed at line edges) between a Western run (letters, digits) and
    a Japanese character other than punctuation; the PDF's text leaves it out (:mod:`taiyaku.pdf.jlreq`);
  - consecutive punctuation is set in half width: ``<span class="halt">`` (OpenType ``halt``) on the
    first of a closing-then-any pair (``。」``, ``」「``, ``、「``) and on the second of two openings (``（「``);
  - titles and headings are broken only between phrases: BudouX phrases in ``<span class="bx">``
    (``white-space: nowrap``), never split between two kanji, two katakana or inside a number.

Word joiners are default-ignorable: Pango draws nothing for them and they do not reach the PDF's text.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, field

from ..lang import is_japanese, is_japanese_language
from .jlreq import CLOSING, COMMAS, FULL_STOPS, OPENING, PUNCTUATION, UNIT_SIGNS, is_western, phrase_breaks
from .tables import label_tables

WORD_JOINER = "\u2060"
CALL = "\ufdd0"
"""Stands for a footnote call in the text flow around it."""
HALT_FIRST = CLOSING | COMMAS | FULL_STOPS
HALT_PAIR = HALT_FIRST | OPENING
BLOCK_TAGS = {
    "html", "head", "body", "section", "header", "footer", "nav", "main", "article", "aside", "div", "p",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot",
    "tr", "td", "th", "caption", "figure", "figcaption", "blockquote", "pre", "br", "hr", "img", "title",
    "meta", "style", "script", "svg",
}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
RAW_TAGS = {"style", "script"}
PHRASED = {"h1", "h2", "h3", "h4"}
"""Headings broken between BudouX phrases in Japanese."""
PHRASED_CLASSES = {"cover-title", "cover-subtitle", "chapter-subtitle", "toc-title"}
JAPANESE_WESTERN_SPACE = " "
"""¼ em between Japanese and Western text: a space in the Japanese font is 0.256 em, collapses at line edges
(JLReq: none there) and opens with the line adjustment; the PDF's text (ActualText) leaves it out."""
_TOKEN = re.compile(r"(<!--.*?-->|<![^>]*>|<[^>]+>)", re.S)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)([^>]*?)(/?)\s*>", re.S)
_ATTR = re.compile(r'([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("[^"]*"|\'[^\']*\'|[^\s>]+)')


@dataclass
class _Open:
    tag: str
    lang: str
    classes: frozenset[str]
    chapter: str
    raw: bool = False
    code: bool = False
    phrased: bool = False


@dataclass
class _Char:
    """One character of a text flow: where it is and what may be inserted around it."""

    token: int
    index: int
    char: str
    japanese: bool
    code: bool
    phrased: bool


@dataclass
class _Flow:
    chars: list[_Char] = field(default_factory=list)


@dataclass
class PrepareReport:
    """What the pass changed (for tests and debugging)."""

    notes: int = 0
    western_runs: int = 0
    halt: int = 0
    phrases: int = 0
    joiners: int = 0
    adjacent_calls: int = 0
    """Footnote calls right after another call, printed with a separating comma."""


def _follows_call(chars: list[_Char]) -> bool:
    """Whether the flow so far ends with a footnote call (white space and joiners between do not count)."""
    for char in reversed(chars):
        if char.char == CALL:
            return True
        if not (char.char.isspace() or char.char in (WORD_JOINER, "\u200b")):
            return False
    return False


def _attrs(text: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value.strip("\"'")) for name, value in _ATTR.findall(text)}


def prepare_document(document: str, japanese_rules: bool = True) -> tuple[str, PrepareReport]:
    """The print document with notes named and joined, tables labelled for their continuation pages, and (in
    Japanese text) JLReq spacing markup."""
    tokens = _TOKEN.split(label_tables(document))
    texts: dict[int, str] = {}
    before: dict[tuple[int, int], list[str]] = {}  # (token, char index) → markup to insert before that char
    after: dict[tuple[int, int], list[str]] = {}
    report = PrepareReport()
    stack: list[_Open] = [_Open("#root", "", frozenset(), "")]
    flows: list[_Flow] = [_Flow()]
    note_numbers: dict[str, int] = {}
    finished: list[_Flow] = []
    edits: dict[int, str] = {}  # token → replacement for a start tag

    def close_flow() -> None:
        if flows[-1].chars:
            finished.append(flows[-1])
        flows[-1] = _Flow()

    for number, token in enumerate(tokens):
        if not token:
            continue
        if number % 2 == 1:  # markup
            match = _TAG.match(token)
            if match is None:
                continue
            closing, name, rest, self_closing = match.group(1), match.group(2).lower(), match.group(3), match.group(4)
            top = stack[-1]
            if closing:
                if name in BLOCK_TAGS:
                    close_flow()
                if top.tag == "span" and "footnote" in top.classes and name == "span":
                    close_flow()
                    finished_flow = flows.pop()
                    assert not finished_flow.chars
                for depth in range(len(stack) - 1, 0, -1):
                    if stack[depth].tag == name:
                        del stack[depth:]
                        break
                continue
            attrs = _attrs(rest)
            classes = frozenset(attrs.get("class", "").split())
            lang = attrs.get("lang", top.lang)
            chapter = attrs["id"] if name == "section" and "chapter" in classes and "id" in attrs else top.chapter
            if name in BLOCK_TAGS:
                close_flow()
            if name == "span" and "footnote" in classes:
                note_numbers[chapter] = note_numbers.get(chapter, 0) + 1
                report.notes += 1
                tag = token[:-1].rstrip("/").rstrip()
                if _follows_call(flows[-1].chars):
                    # Adjacent calls print "17,18" (print.css), not "1718".
                    tag = tag.replace('class="', 'class="after-call ', 1)
                    report.adjacent_calls += 1
                edits[number] = tag + f' data-note="{html.escape(chapter)} {note_numbers[chapter]}">'
                flows[-1].chars.append(_Char(number, -1, CALL, False, True, False))
                flows.append(_Flow())
            if name in VOID_TAGS or self_closing:
                continue
            stack.append(_Open(
                name, lang, classes, chapter, raw=name in RAW_TAGS,
                code=top.code or name in ("code", "pre", "kbd", "samp"),
                phrased=top.phrased or name in PHRASED or bool(classes & PHRASED_CLASSES)))
            continue
        top = stack[-1]
        if top.raw:
            continue
        text = html.unescape(token)
        texts[number] = text
        japanese = japanese_rules and is_japanese_language(top.lang)
        if japanese:
            for index, char in enumerate(text):
                flows[-1].chars.append(_Char(number, index, char, True, top.code, top.phrased))
        elif text:
            # Other text only matters at its edges (joiners at markup boundaries and before calls).
            for index in sorted({0, len(text) - 1}):
                flows[-1].chars.append(_Char(number, index, text[index], False, top.code, top.phrased))
    close_flow()
    for flow in flows:
        if flow.chars:
            finished.append(flow)

    for flow in finished:
        _join(flow.chars, after, report)
        _japanese(flow.chars, before, after, report)

    marked: dict[int, set[int]] = {}  # token → the characters with markup before or after them
    for number, index in itertools.chain(before, after):
        marked.setdefault(number, set()).add(index)
    out = []
    for number, token in enumerate(tokens):
        if number in edits:
            out.append(edits[number])
        elif number in texts:
            out.append(_with_markup(texts[number], number, sorted(marked.get(number, ())), before, after))
        else:
            out.append(token)
    return "".join(out), report


def _with_markup(text: str, number: int, indices: list[int], before: dict[tuple[int, int], list[str]],
                 after: dict[tuple[int, int], list[str]]) -> str:
    """Text token ``number`` escaped, with the markup to insert before and after its characters at ``indices``
    (escaped in runs: most text, all of most English text, has none)."""
    pieces = []
    last = 0
    for index in indices:
        if not 0 <= index < len(text):
            continue
        pieces.append(html.escape(text[last:index], quote=False))
        pieces.extend(before.get((number, index), ()))
        pieces.append(html.escape(text[index], quote=False))
        pieces.extend(after.get((number, index), ()))
        last = index + 1
    pieces.append(html.escape(text[last:], quote=False))
    return "".join(pieces)


def open_tags(html: str) -> str:
    """The start tags of the elements open at the end of ``html``, tokenized as :func:`prepare_document` does."""
    stack: list[tuple[str, str]] = []
    for token in _TOKEN.split(html)[1::2]:
        match = _TAG.match(token)
        if match is None:
            continue
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(4)
        if closing:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == name:
                    del stack[depth:]
                    break
        elif name not in VOID_TAGS and not self_closing:
            stack.append((name, token))
    return "".join(token for _, token in stack)


def _continues_run(chars: list[_Char], start: int, position: int) -> bool:
    """Whether the character at ``position`` still belongs to the Western run that begins at ``start``."""
    char = chars[position].char
    if is_western(char) or char in "%$€£¥":
        return True
    if char == " ":
        return position + 1 < len(chars) and is_western(chars[position + 1].char)
    return char in ".,:&'’/+-–" and position + 1 < len(chars) and is_western(chars[position + 1].char)


def _join(chars: list[_Char], after: dict[tuple[int, int], list[str]], report: PrepareReport) -> None:
    """Word joiners before footnote calls and at markup boundaries inside Western words and numbers."""
    for position in range(1, len(chars)):
        a, b = chars[position - 1], chars[position]
        if a.char == CALL or a.index < 0:
            continue
        if b.char == CALL:
            if not a.char.isspace():
                after.setdefault((a.token, a.index), []).append(WORD_JOINER)
                report.joiners += 1
            continue
        if a.token == b.token or a.char.isspace() or b.char.isspace():
            continue
        if is_japanese(a.char) or is_japanese(b.char) or a.char in PUNCTUATION or b.char in PUNCTUATION:
            continue
        if a.char in "([{‘“" or b.char in ")]}’”—–":
            continue
        after.setdefault((a.token, a.index), []).append(WORD_JOINER)
        report.joiners += 1


def _japanese(chars: list[_Char], before: dict[tuple[int, int], list[str]], after: dict[tuple[int, int], list[str]],
              report: PrepareReport) -> None:
    if not any(c.japanese for c in chars):
        return
    count = len(chars)

    def char_at(position: int) -> str:
        return chars[position].char if 0 <= position < count else ""

    # Western runs inside Japanese text: ¼ em (a space, collapsed at line edges) where they touch a Japanese
    # character that is not punctuation.
    runs: list[tuple[int, int]] = []
    position = 0
    while position < count:
        c = chars[position]
        if not c.japanese or c.code or c.index < 0 or not is_western(c.char) and c.char not in "$€£¥":
            position += 1
            continue
        end = position
        while end + 1 < count and chars[end + 1].token == c.token and chars[end + 1].japanese \
                and _continues_run(chars, position, end + 1):
            end += 1
        # A run ends with a letter, a digit or a per cent sign, not with a full stop or a comma.
        while end > position and not (chars[end].char.isalnum() or chars[end].char == "%"):
            end -= 1
        left = char_at(position - 1)
        right = char_at(end + 1)
        spaced = False
        if left and is_japanese(left) and left not in PUNCTUATION and left != "\u3000":
            first = chars[position]
            before.setdefault((first.token, first.index), []).append(JAPANESE_WESTERN_SPACE)
            spaced = True
        if right and is_japanese(right) and right not in PUNCTUATION and right not in UNIT_SIGNS \
                and right != "\u3000":
            last = chars[end]
            after.setdefault((last.token, last.index), []).insert(0, JAPANESE_WESTERN_SPACE)
            spaced = True
        if spaced:
            runs.append((position, end))
            report.western_runs += 1
        position = end + 1

    # Consecutive punctuation in half width.
    for position in range(count - 1):
        a, b = chars[position], chars[position + 1]
        if not (a.japanese and b.japanese) or a.index < 0 or b.index < 0:
            continue
        target = None
        if a.char in HALT_FIRST and b.char in HALT_PAIR:
            target = a
        elif a.char in OPENING and b.char in OPENING:
            target = b
        if target is not None:
            before.setdefault((target.token, target.index), []).append('<span class="halt">')
            after.setdefault((target.token, target.index), []).insert(0, "</span>")
            report.halt += 1

    # Phrases in titles and headings.
    start = 0
    while start < count:
        if not (chars[start].phrased and chars[start].japanese):
            start += 1
            continue
        end = start
        while end + 1 < count and chars[end + 1].phrased and chars[end + 1].japanese \
                and chars[end + 1].token == chars[start].token:
            end += 1
        segment = chars[start:end + 1]
        text = "".join(c.char for c in segment)
        # A phrase boundary inside a Western run would cross its span: drop it.
        breaks = [b for b in phrase_breaks(text) if not any(s < start + b <= e for s, e in runs)]
        edges = [0, *breaks, len(text)]
        for left, right in zip(edges, edges[1:]):
            for a, b in _bindable(text, left, right):
                first, last = segment[a], segment[b - 1]
                before.setdefault((first.token, first.index), []).insert(0, '<span class="bx">')
                after.setdefault((last.token, last.index), []).append("</span>")
                report.phrases += 1
        start = end + 1


LONG_PHRASE = 20
"""Characters: a BudouX phrase this long holds a Western run (``節 Transpacific-interoperability-…の``)."""


def _bindable(text: str, left: int, right: int) -> list[tuple[int, int]]:
    """The parts of the phrase ``text[left:right]`` to keep on one line: the phrase, or, when it is too long to be
    sure to fit the measure, only its Japanese pieces, so that a long Western word breaks where it can (its spaces
    and hyphens) instead of running off the page."""
    if right - left < LONG_PHRASE:
        return [(left, right)] if right - left >= 2 else []
    pieces, at = [], left
    for match in re.finditer(r"[\s\x21-\x7e\u00a0-\u024f\u2010-\u2015]+", text[left:right]):
        pieces.append((at, left + match.start()))
        at = left + match.end()
    pieces.append((at, right))
    return [(a, b) for a, b in pieces if b - a >= 2]
