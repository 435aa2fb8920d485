"""Is a translation block still in the source language? Decided by writing system, not by guessing the language.

A block of a Japanese translation that holds no kana or kanji at all, yet reads as English prose, was not
translated. Names, acronyms and citations in Latin script are not prose: the rules below say exactly when a
Latin-script block counts (see docs/check.md, "Untranslated blocks").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from babel import UnknownLocaleError

from ..lang import JAPANESE_LETTERS, KANJI, char_class, primary
from .identifiers import without_identifiers

# Letters of each writing system; a language not listed writes in Latin script.
_SCRIPTS: dict[str, str] = {
    "latin": r"A-Za-z\u00c0-\u024f\u1e00-\u1eff",
    "japanese": char_class(JAPANESE_LETTERS),
    "han": char_class(KANJI),
    "hangul": r"\u1100-\u11ff\u3130-\u318f\uac00-\ud7af",
    "cyrillic": r"\u0400-\u04ff",
    "greek": r"\u0370-\u03ff",
    "arabic": r"\u0600-\u06ff\u0750-\u077f",
    "hebrew": r"\u0590-\u05ff",
    "thai": r"\u0e00-\u0e7f",
    "devanagari": r"\u0900-\u097f",
}
_LANGUAGE_SCRIPTS = {
    "ja": "japanese", "zh": "han", "ko": "hangul", "ru": "cyrillic", "uk": "cyrillic", "bg": "cyrillic",
    "sr": "cyrillic", "mk": "cyrillic", "be": "cyrillic", "kk": "cyrillic", "mn": "cyrillic", "el": "greek",
    "ar": "arabic", "fa": "arabic", "ur": "arabic", "he": "hebrew", "th": "thai", "hi": "devanagari",
    "mr": "devanagari", "ne": "devanagari",
}


class _Patterns(dict[str, "re.Pattern[str]"]):
    """A pattern for each writing system, compiled at its first use: a check needs two or three of them, and
    compiling the Japanese letter class alone takes 5 ms (a fiftieth of a small volume's check)."""

    def __init__(self, pattern: str) -> None:
        super().__init__()
        self.pattern = pattern

    def __missing__(self, script: str) -> re.Pattern[str]:
        found = self[script] = re.compile(self.pattern.replace("CHARS", _SCRIPTS[script]))
        return found


_COMPILED = _Patterns("[CHARS]")
_KEPT = _Patterns(r"(?:^|[^\w./-])(?=[^\W\d_]*+(?![\w./-]))[^\W\d_]*?[CHARS]")
"""A letter of a non-Latin script (only: a Latin letter may be part of an identifier) that :func:`~.identifiers.without_identifiers` cannot take out: in a run of
word characters, ``-``, ``.`` and ``/`` (an identifier never spans more than one) made of letters only (no
digit, ``_``, ``-``, ``.`` or ``/``), only the ASCII-only kinds of identifier (``CamelCase``, ``SDK``) can match,
and none of them holds such a letter. Most translated blocks have one, and need no identifier taken out (a tenth of the
comparison of 1,000 documents)."""
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]{2,}(?:['’\-][A-Za-z\u00c0-\u024f\u1e00-\u1eff]+)*")

PROSE_MIN_LOWERCASE = 3
"""A Latin-script block is prose when at least this many of its words start lowercase …"""
PROSE_MIN_SHARE = 0.4
"""… and they make up at least this share of its words (English title case and citations stay below it)."""
NAMES_MAX_WORDS = 4
"""A block identical to its source is still fine when it is no more than this many capitalised words (names)."""


@lru_cache(maxsize=None)
def _name(lang: str) -> str:
    """The language's English name for messages (console messages stay in English)."""
    from ..i18n import language_name  # Babel's dates and catalogs: only when a message names a language

    try:
        return language_name(lang, "en")
    except (ValueError, TypeError, UnknownLocaleError):
        return lang


@lru_cache(maxsize=None)
def script_of(lang: str) -> str:
    """The writing system a language is written in (``japanese``, ``latin`` …)."""
    return _LANGUAGE_SCRIPTS.get(primary(lang), "latin")


@dataclass(frozen=True)
class ScriptProfile:
    """What the untranslated-block rules need to know about one text."""

    target_letters: int
    """Letters of the translation's writing system."""
    source_letters: int
    """Letters of the source's writing system."""
    words: int
    """Latin-script words of two letters or more."""
    lowercase_words: int
    """Of those, words that start with a lowercase letter."""


def profile(text: str, source_script: str, target_script: str) -> ScriptProfile:
    """Count what the rules look at in ``text``."""
    words = _LATIN_WORD.findall(text)
    return ScriptProfile(
        target_letters=len(_COMPILED[target_script].findall(text)),
        source_letters=len(_COMPILED[source_script].findall(text)),
        words=len(words), lowercase_words=sum(1 for w in words if w[0].islower()),
    )


def untranslated_reason(text: str, source_text: str, source_lang: str, target_lang: str, *, heading: bool = False,
                        footnote: bool = False) -> str | None:
    """Why a translation block (plain text) is left in the source language, or ``None`` when it is not.

    ``source_text`` is the plain text of the source block it aligns with ("" if none). The rules:

    1. when the two languages use different writing systems, a block with no letter of the translation's is
       untranslated if it reads as prose (for a Latin-script source: at least three words that start
       lowercase, and at least 40 % of its words), or if it is a heading of two words or more;
    2. in any case, a block identical to its source block is untranslated, unless it is a footnote (a
       citation kept as published) or a few capitalised words (names); a block of two words or fewer is
       never reported by this rule.
    """
    source_script, target_script = script_of(source_lang), script_of(target_lang)
    if source_script != target_script and not _COMPILED[target_script].search(text):
        found = profile(text, source_script, target_script)
        # The languages' names (Babel's locale data, a tenth of a small volume's check) only for a message.
        if source_script == "latin":
            if (found.lowercase_words >= PROSE_MIN_LOWERCASE
                    and found.lowercase_words >= PROSE_MIN_SHARE * found.words):
                return f"reads as {_name(source_lang)} prose and has no {_name(target_lang)} letters"
            if heading and found.words >= 2:
                return f"{_name(source_lang)} words and no {_name(target_lang)} letters"
        elif found.source_letters >= 4:
            return f"{_name(source_lang)} text and no {_name(target_lang)} letters"
    if footnote or not text or " ".join(text.split()) != " ".join(source_text.split()):
        return None
    found = profile(text, source_script, target_script)
    if source_script == "latin":
        if found.words <= 2:
            return None
        if found.lowercase_words == 0 and found.words <= NAMES_MAX_WORDS:
            return None
    elif found.source_letters < 4:
        return None
    return "identical to the source"


def untranslated_text(text: str, source_text: str, source_lang: str, target_lang: str, names: Sequence[str] = (),
                      *, heading: bool = False, footnote: bool = False) -> str | None:
    """:func:`untranslated_reason` of the two texts with identifiers and ``names`` taken out
    (:func:`~.identifiers.without_identifiers`), the source's only when a rule can still use it."""
    script = script_of(target_lang)
    target = _COMPILED[script]
    if script != "latin" and not target.search(source_text) and _KEPT[script].search(text) \
            and not any(target.search(name) for name in names):
        return None  # as below, known without taking the identifiers out
    stripped = without_identifiers(text, names)
    if target.search(stripped) and not target.search(source_text):
        # Rule 1 cannot apply (the translation has letters of its own script), nor rule 2 (the texts cannot be
        # the same: the source has none of those letters). Most translated blocks end here, at half the cost.
        return None
    return untranslated_reason(stripped, without_identifiers(source_text, names), source_lang, target_lang,
                               heading=heading, footnote=footnote)
