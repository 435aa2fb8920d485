"""Language and script facts, each stated once: a locale code's primary language subtag, whether a language is
Japanese, and which characters are Japanese; whether Babel knows a locale code.

Locale codes come from ``volume.toml``, the content folders and HTML ``lang`` attributes, written ``ja``,
``ja_JP``, ``ja-JP`` or ``zh_Hant``; :func:`primary` reads them all with Babel's ``parse_locale``. The Japanese
ranges are named by what they hold (:data:`KANA`, :data:`KANJI`…) and combined for each use:
:data:`JAPANESE_LETTERS` (what makes a text Japanese) and :func:`is_japanese` (what is set on the square grid).
"""

from __future__ import annotations

import functools

from babel.core import parse_locale

Ranges = tuple[tuple[int, int], ...]

HIRAGANA: Ranges = ((0x3040, 0x309F),)
KATAKANA: Ranges = ((0x30A0, 0x30FF), (0x31F0, 0x31FF))
"""Katakana (with the middle dot and the prolonged sound mark) and the small katakana for Ainu."""
KANA: Ranges = HIRAGANA + KATAKANA
KANJI: Ranges = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
"""CJK unified ideographs (extension A, the main block, the compatibility block, extensions B and beyond)."""
HALFWIDTH_KATAKANA: Ranges = ((0xFF66, 0xFF9F),)
CJK_PUNCTUATION: Ranges = ((0x3000, 0x303F),)
"""The ideographic space, 、。「」『』〜 and the other CJK symbols and punctuation."""
FULLWIDTH_FORMS: Ranges = ((0xFF01, 0xFF60),)
"""Full-width ASCII and brackets: ！（），．：？％ …"""
HANGUL_SYLLABLES: Ranges = ((0xAC00, 0xD7AF),)
JAPANESE_LETTERS: Ranges = KANA + KANJI + HALFWIDTH_KATAKANA
"""The letters of Japanese text (punctuation aside): what the checker, line breaking and citations look for."""
GRID_SYMBOLS = "―…‥"
"""Dashes and leaders set on the square grid with the Japanese characters, though outside their blocks."""


def in_ranges(char: str, ranges: Ranges) -> bool:
    """Whether ``char`` is in one of ``ranges``."""
    code = ord(char)
    return any(first <= code <= last for first, last in ranges)


def char_class(ranges: Ranges) -> str:
    """The inside of a regular expression's ``[…]`` matching ``ranges``."""
    return "".join(f"{chr(first)}-{chr(last)}" for first, last in ranges)


@functools.lru_cache(maxsize=8192)
def is_japanese(char: str) -> bool:
    """Kana, kanji, CJK punctuation and full-width forms (the characters set on the square grid)."""
    return in_ranges(char, KANA + KANJI + CJK_PUNCTUATION + FULLWIDTH_FORMS) or char in GRID_SYMBOLS


@functools.lru_cache(maxsize=256)
def primary(lang: str) -> str:
    """The primary language subtag, lower case: ``ja`` for ``ja``, ``ja_JP`` and ``ja-JP``, ``zh`` for
    ``zh_Hant``; a code Babel cannot parse gives its first subtag."""
    code = lang.replace("-", "_")
    try:
        return parse_locale(code)[0].lower()
    except ValueError:
        return code.split("_")[0].lower()


def is_japanese_language(lang: str | None) -> bool:
    """Whether a locale code or ``lang`` attribute (``ja``, ``ja-JP``, ``ja_JP``) is Japanese."""
    return bool(lang) and primary(lang) == "ja"  # type: ignore[arg-type]


def valid_locale(code: str) -> bool:
    """Whether Babel knows this locale code (``ja``, ``en``, ``zh_Hant``)."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True
