"""Language and script facts (lang.py): one primary subtag for every spelling of a locale code, the Japanese
character ranges stated once."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from taiyaku.lang import JAPANESE_LETTERS, KANJI, char_class, is_japanese, is_japanese_language, primary


@pytest.mark.parametrize(("code", "expected"), [("ja", "ja"), ("ja_JP", "ja"), ("ja-JP", "ja"), ("zh_Hant", "zh"),
                                                ("zh-Hant-TW", "zh"), ("EN-gb", "en"), ("", "")])
def test_the_primary_subtag_whatever_the_spelling(code: str, expected: str) -> None:
    assert primary(code) == expected


def test_a_japanese_edition_is_japanese_however_its_code_is_written() -> None:
    assert all(is_japanese_language(code) for code in ("ja", "ja-JP", "ja_JP", "JA"))
    assert not any(is_japanese_language(code) for code in ("", None, "jv", "en-JP"))


def test_a_ja_jp_edition_gets_the_japanese_copyright_line() -> None:
    from taiyaku.pdf.document import copyright_line

    view = SimpleNamespace(lang="ja-JP", publisher="出版会", editors=[], date="2026年9月", license="CC BY 4.0")
    assert copyright_line(view) == "© 2026出版会\u3000CC BY 4.0"  # type: ignore[arg-type]
    english = SimpleNamespace(**{**vars(view), "lang": "en-GB"})
    assert copyright_line(english) == "© 2026 出版会. CC BY 4.0"  # type: ignore[arg-type]


def test_japanese_letters_and_the_characters_set_on_the_grid() -> None:
    letters = re.compile(f"[{char_class(JAPANESE_LETTERS)}]")
    assert all(letters.match(char) for char in "かカ漢ｶ𠮷ㇰ")
    assert not any(letters.match(char) for char in "a、。１한")
    assert re.fullmatch(f"[{char_class(KANJI)}]+", "漢字𠮷")
    assert all(is_japanese(char) for char in "か漢、。（１―…𠮷")
    assert not any(is_japanese(char) for char in "aé ｶ한")


def test_a_year_in_kanji_numerals_is_one_phrase_in_a_title() -> None:
    """「二〇二六年」 never breaks as 「二〇|二六年」: the ideographic zero is a kanji numeral like 二 and 六."""
    from taiyaku.pdf.jlreq import phrase_breaks

    assert phrase_breaks("二〇二六年の同盟") == [6]
