"""What checking one document pair shares: the pair's context and the collector of its problems.

Every problem names the source line and the translation line it concerns (1-based, in the files on disk).
Markers and the front matter's ``check: {ignore: [...]}`` silence known differences as problems come in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..config import DEFAULT_TRANSLATABLE_KEYS
from ..errors import Severity
from ..read.blocks import Block, kind_matches
from ..read.text import SourceText
from .equivalence import MarkupRules
from .history import Staleness
from .model import Problem

TRANSLATED_KEYS = tuple(DEFAULT_TRANSLATABLE_KEYS)
"""Front matter keys whose values a translation translates: a change of one in the source is a source change."""
UNSILENCEABLE = {"source-changed", "translation-missing", "translation-orphan", "front-matter", "encoding",
                 "unreadable", "source-commit-unknown"}
"""Problems no marker can silence: they are fixed by translating, pinning or repairing the file."""
SILENCE_HINT = "<!-- taiyaku: ignore {kind} -->"


@dataclass
class PairContext:
    """What checking one pair needs besides the two documents."""

    source_lang: str
    target_lang: str
    staleness: Staleness | None = None
    old_source: str | None = None
    """The source's text at ``staleness.base`` (normalised), when the translation may be outdated."""
    outdated: bool = False
    pin_key: str = "source_commit"
    """The front matter key of pins (``[check] pin_key``)."""
    translatable_keys: Sequence[str] = TRANSLATED_KEYS
    """Front matter keys whose change in the source is a source change (``[check] translatable_keys``)."""
    identifiers: Sequence[str] = ()
    """Names that stay in the source language (``[check] identifiers``)."""
    markup: MarkupRules = field(default_factory=MarkupRules)
    """Markup spellings that are one (``base_url``, ``[check] equivalents``)."""


class Collector:
    """Problems of one document; applies markers and the front matter's ``check.ignore`` as they come in."""

    def __init__(self, ignore: list[str], source: str | None, translation: str | None) -> None:
        self.problems: list[Problem] = []
        self.ignore = ignore
        self.silenced = 0
        self.source = source
        self.translation = translation

    def add(self, kind: str, severity: Severity, message: str, source_line: int | None = None,
            translation_line: int | None = None, blocks: Iterable[Block] = ()) -> None:
        """Record a problem unless a marker or the front matter silences its kind."""
        if kind not in UNSILENCEABLE and (any(kind_matches(kind, name) for name in self.ignore)
                                          or any(b.silences(kind) for b in blocks)):
            self.silenced += 1
            return
        self.problems.append(Problem.at(kind, severity, message, self.source, self.translation, source_line,
                                        translation_line))


def key_line(doc: SourceText, key: str) -> int | None:
    """The line of a front matter key, matched case-insensitively."""
    lines = doc.key_lines
    return lines.get(key) if key in lines else next((v for k, v in lines.items() if k.lower() == key.lower()), None)


def count(number: int, noun: str) -> str:
    """``1 author``, ``2 authors``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
