"""Numbers written in digits, normalised so that a source block's numbers can be found in its translation.

``1,951``, ``１９５１`` and ``1951年`` are all 1951; ``200 billion`` and ``2,000億`` are both 2 × 10¹¹; kanji
numerals (``三``, ``二十一``) count in the translation. Numbers spelled out in words are not numbers here, so
"two" or "second" in a source never asks for a digit in the translation.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

Value = Decimal | int
"""A number's value: integers as ``int`` (equal, and hash-equal, to the same ``Decimal``)."""
Number = tuple[str, frozenset[Value]]
"""A number as written (normalised) and the values it may stand for (as written, and scaled)."""

# After NFKC every digit a number is written with here is ASCII: [0-9] is cheaper than \d. One pattern finds
# digits and kanji numerals together, so a text is scanned once.
_NUMBER = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?")
_DIGIT = re.compile(r"[0-9]")
_DIGIT_RUN = re.compile(r"[0-9][0-9,.]*")
_KANJI_RUN = re.compile(r"[0-9〇零一二三四五六七八九十百千][0-9,.〇零一二三四五六七八九十百千]*")
_COMPATIBILITY = re.compile("[\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f\u2150-\u218f\u2460-\u24ff"
                            "\u2776-\u2793\u3200-\u33ff\uff0c\uff0e\uff10-\uff19]")
"""Characters NFKC may turn into digits or their separators (full-width, superscript, circled, enclosed);
normalising only texts that hold one keeps the common case cheap."""
_NUMBER_OR_KANJI = re.compile(r"([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)|([〇零一二三四五六七八九十百千]+)")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")
_SCALE_AFTER = re.compile(r"[ \t]?(thousand|million|billion|trillion|千|万|萬|億|兆)", re.I)
_SCALES = {"thousand": 3, "千": 3, "万": 4, "萬": 4, "million": 6, "億": 8, "billion": 9, "trillion": 12, "兆": 12}
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}


def _value(text: str) -> Value | None:
    """An integer as ``int`` (cheaper, and equal and hash-equal to the same ``Decimal``), else a ``Decimal``."""
    if text.isdigit():
        return int(text)
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


_SCALE_STARTS = frozenset(" \ttTmMbB千万萬億兆")
"""What a scale word after a number can start with (a space or tab, or its first letter): most numbers are
followed by none of these, and need no regular expression."""


def _scaled(value: Value, text: str, end: int) -> frozenset[Value]:
    """``value``, and its value times the scale word right after it (``43 trillion``, ``2,000億``), if any."""
    if text[end : end + 1] not in _SCALE_STARTS:
        return frozenset((value,))
    scale = _SCALE_AFTER.match(text, end)
    if not scale:
        return frozenset((value,))
    scaled = value * 10 ** _SCALES[scale[1].lower()]
    return frozenset((value, scaled.normalize() if isinstance(scaled, Decimal) else scaled))


def find_numbers(text: str, kanji: bool = False) -> list[Number]:
    """Every number in ``text`` (and, with ``kanji``, every kanji numeral), in order."""
    if not text.isascii():
        if _COMPATIBILITY.search(text):
            text = unicodedata.normalize("NFKC", text)
    elif not _DIGIT.search(text):
        return []
    found: list[Number] = []
    precise = _NUMBER_OR_KANJI if kanji else _NUMBER
    # Runs found by a plain character class first: the alternation alone would try every position of the text.
    for run in (_KANJI_RUN if kanji else _DIGIT_RUN).finditer(text):
        offset = run.start()
        for match in precise.finditer(run[0]):
            raw = match[0]
            end = offset + match.end()
            if kanji and match.lastindex == 2:
                number = _kanji_value(raw)
                if number is not None:
                    found.append((raw, _scaled(number, text, end)))
                continue
            if "," not in raw:
                value = _value(raw)
                if value is not None:
                    found.append((raw, _scaled(value, text, end)))
                continue
            parts = [p for p in raw.split(",") if p] if not _GROUPED.match(raw) else [raw.replace(",", "")]
            for index, part in enumerate(parts):
                value = _value(part)
                if value is None:
                    continue
                last = index == len(parts) - 1
                found.append((part, _scaled(value, text, end) if last else frozenset((value,))))
    return found


def missing_numbers(source: list[Number], translation: list[Number]) -> list[str]:
    """Numbers of the source that the translation does not have, as written in the source, each once."""
    if not source:
        return []
    available: set[Value] = set()
    for _, values in translation:
        available |= values
    missing: list[str] = []
    for written, values in source:
        if not values & available and written not in missing:
            missing.append(written)
    return missing


def missing_in_text(source_text: str, translation_text: str) -> list[str]:
    """:func:`missing_numbers` for two texts."""
    return missing_numbers(find_numbers(source_text), find_numbers(translation_text, kanji=True))
