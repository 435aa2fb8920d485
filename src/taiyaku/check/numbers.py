"""Numbers written in digits, normalised so that a source block's numbers can be found in its translation.

``1,951``, ``１９５１`` and ``1951年`` are all 1951; ``200 billion`` and ``2,000億`` are both 2 × 10¹¹; kanji
numerals (``三``, ``二十一``) count in the translation. Numbers spelled out in words are not numbers here, so
"two" or "second" in a source never asks for a digit in the translation.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\d+")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_SCALE_AFTER = re.compile(r"[ \t]?(thousand|million|billion|trillion|千|万|萬|億|兆)", re.I)
_SCALES = {"thousand": 3, "千": 3, "万": 4, "萬": 4, "million": 6, "億": 8, "billion": 9, "trillion": 12, "兆": 12}
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUMBER = re.compile(r"[〇零一二三四五六七八九十百千]+")


def _value(text: str) -> Decimal | None:
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


def _kanji_value(text: str) -> int | None:
    """``二十一`` → 21, ``百五十`` → 150, ``二〇二五`` → 2025."""
    if all(ch in _KANJI_DIGITS for ch in text):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in _KANJI_DIGITS:
            if digit is not None:
                return None
            digit = _KANJI_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _KANJI_UNITS[ch]
            digit = None
    return total + (digit or 0)


def find_numbers(text: str, kanji: bool = False) -> list[frozenset[Decimal]]:
    """Every number in ``text``, each as the set of values it may stand for (as written, and scaled)."""
    text = unicodedata.normalize("NFKC", text)
    found: list[frozenset[Decimal]] = []
    for match in _NUMBER.finditer(text):
        raw = match[0]
        if "," in raw and not _GROUPED.match(raw):
            parts = [p for p in raw.split(",") if p]
        else:
            parts = [raw.replace(",", "")]
        for index, part in enumerate(parts):
            value = _value(part)
            if value is None:
                continue
            values = {value}
            scale = _SCALE_AFTER.match(text, match.end()) if index == len(parts) - 1 else None
            if scale:
                values.add((value * Decimal(10) ** _SCALES[scale[1].lower()]).normalize())
            found.append(frozenset(values))
    if kanji:
        for match in _KANJI_NUMBER.finditer(text):
            number = _kanji_value(match[0])
            if number is not None:
                values = {Decimal(number)}
                scale = _SCALE_AFTER.match(text, match.end())
                if scale:
                    values.add(Decimal(number) * Decimal(10) ** _SCALES[scale[1].lower()])
                found.append(frozenset(v.normalize() for v in values))
    return found


def missing_numbers(source_text: str, translation_text: str) -> list[str]:
    """Numbers of the source text that the translation does not have, as written in the source (each once)."""
    available: set[Decimal] = set()
    for values in find_numbers(translation_text, kanji=True):
        available |= values
    missing: list[str] = []
    text = unicodedata.normalize("NFKC", source_text)
    for match, values in zip(_matches(text), find_numbers(source_text)):
        if not values & available and match not in missing:
            missing.append(match)
    return missing


def _matches(text: str) -> list[str]:
    """The numbers of (normalised) ``text`` as written, parallel to :func:`find_numbers` without kanji."""
    written: list[str] = []
    for match in _NUMBER.finditer(text):
        raw = match[0]
        parts = [p for p in raw.split(",") if p] if "," in raw and not _GROUPED.match(raw) else [raw]
        written.extend(p for p in parts if _value(p.replace(",", "")) is not None)
    return written


def number_anchors(text: str) -> set[Decimal]:
    """Every value the numbers of ``text`` may stand for (for aligning blocks)."""
    anchors: set[Decimal] = set()
    for values in find_numbers(text, kanji=False):
        anchors |= values
    return anchors
