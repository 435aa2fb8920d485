"""Shortcuts of the cold check decide as the long way does."""

from __future__ import annotations

import random

from taiyaku.check.housekeeping import _MARKUP, strip_markup
from taiyaku.check.identifiers import without_identifiers
from taiyaku.check.scripts import _COMPILED, _KEPT


def test_a_kept_letter_survives_identifiers_taken_out() -> None:
    rng = random.Random(3)
    pieces = ["あ", "漢", "字", "ア", "ー", "a", "B", "Z", "1", "１", "٣", "_", ".", "/", "-", " ", "、", "。", "x.y",
              "Go", "二", "①", "é", "日本", "\n", "v1", "CamelCase"]
    kept = 0
    for _ in range(40_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        if _KEPT["japanese"].search(text):
            kept += 1
            assert _COMPILED["japanese"].search(without_identifiers(text)), repr(text)
            assert _COMPILED["japanese"].search(without_identifiers(text, ("Go", "x"))), repr(text)
    assert kept > 5_000


def test_strip_markup_is_the_regular_expression() -> None:
    rng = random.Random(5)
    alphabet = " \t\n\r\u3000\u00a0\u2028\x1c" + "*_`#>|~=+-\\" + "abcあ漢"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert strip_markup(text) == _MARKUP.sub("", text), repr(text)
