"""House style of a translation: typographic rules of its language, each finding at its file line.

The Japanese default is the sample volume's own style: half-width digits (2022年), full-width ％ and （） in
Japanese text, no space between Japanese and Latin letters or digits (GDPの, 2％). ``[check] style`` names the
rules to apply (``"default"``: the language's own; none unless set); findings are warnings unless ``[check] style_severity = "error"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import STYLE_RULES
from ..errors import Severity
from ..read.blocks import Block
from .model import Problem

_J = r"[\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
"""A Japanese character: kana, kanji, Japanese and full-width punctuation (not full-width digits or letters)."""


@dataclass(frozen=True)
class Rule:
    """One house-style rule: a pattern that finds a breach, and what to write instead."""

    name: str
    pattern: re.Pattern[str]
    advice: str


RULES: dict[str, Rule] = {rule.name: rule for rule in (
    Rule("half-width-digits", re.compile(r"[０-９]+"), "write digits half-width (2022, not ２０２２)"),
    Rule("full-width-percent", re.compile(r"(?<=[0-9０-９])[ \t]*%"), "write ％ after a number in Japanese text"),
    # An English citation in parentheses inside a Japanese note keeps ASCII ones: "(Tokyo: …, 2016) を参照".
    Rule("full-width-parentheses", re.compile(rf"{_J}\(|\([^()]*{_J}[^()]*\)"),
         "write （ ） right after or around Japanese text"),
    Rule("no-space-between-scripts", re.compile(rf"{_J}[ \t]+[A-Za-z0-9]|[A-Za-z0-9%][ \t]+{_J}"),
         "no space between Japanese and Latin letters or digits"),
)}
assert set(RULES) == set(STYLE_RULES)

_IDEOGRAPHIC = "\ue000"
"""A private-use stand-in for U+3000 while ``Block.plain`` normalises spaces."""

DEFAULT_RULES: dict[str, tuple[str, ...]] = {"ja": STYLE_RULES}
"""The rules applied when the volume names none, by primary language subtag."""


def rules_for(lang: str, names: list[str]) -> list[Rule]:
    """The rules the volume names for a translation language (``default``: the language's own)."""
    chosen: list[str] = []
    for name in names:
        more = DEFAULT_RULES.get(lang.split("-")[0].split("_")[0].lower(), ()) if name == "default" else (name,)
        chosen += [rule for rule in more if rule not in chosen]
    return [RULES[name] for name in chosen]


def _plain(text: str) -> str:
    """What a reader sees of a line of Markdown, ideographic spaces kept."""
    return Block("paragraph", 1, 1, text.replace("\u3000", _IDEOGRAPHIC)).plain.replace(_IDEOGRAPHIC, "\u3000")


def _lines(block: Block) -> list[tuple[int, str]]:
    """The block's text a reader sees, line by line, with each line's file line."""
    # ``Block.plain`` makes every run of white space one space, U+3000 too: keep it apart.
    if block.kind in ("heading", "table-row"):
        return [(block.line, _plain(block.content))]
    found = []
    for offset, line in enumerate(block.content.split("\n")):
        plain = _plain(line)
        if plain:
            found.append((block.line + offset, plain))  # content keeps one line per line of the block
    return found


def check_style(blocks: list[Block], rules: list[Rule], severity: Severity, source_path: str,
                translation_path: str) -> tuple[list[Problem], int]:
    """House-style findings in a translation's blocks, and how many a marker silenced."""
    found: list[Problem] = []
    silenced = 0
    if not rules:
        return found, silenced
    for block in blocks:
        if not block.plain:
            continue
        for line, text in _lines(block):
            for rule in rules:
                match = rule.pattern.search(text)
                if match is None:
                    continue
                if block.silences(f"style-{rule.name}"):
                    silenced += 1
                    continue
                start = max(0, match.start() - 8)
                shown = text[start : match.end() + 8]
                found.append(Problem.at(f"style-{rule.name}", severity, f"{rule.advice}: …{shown}…", source_path,
                                        translation_path, None, line))
    return found, silenced
