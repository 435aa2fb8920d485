"""The few words an EPUB shows or announces that the site does not: landmark names and the accessibility summary.

Kept here by language, as the alert labels are (``read.extensions.ALERT_LABELS``): they are not UI strings of a
template a volume could override. A language not listed takes the English words.
"""

from __future__ import annotations

from ..i18n import primary

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "cover": "Cover",
        "titlepage": "Title page",
        "landmarks": "Landmarks",
        "pages": "Pages",
        "start": "Start of content",
        "summary": ("This publication meets WCAG 2.1 Level AA as checked by taiyaku's tests: it has a table of "
                    "contents, headings in order, landmarks, alternative text for every image, footnotes that "
                    "reading systems show as pop-ups, and the page numbers of the print edition (a page-list). "
                    "Text can be resized and restyled; no font is embedded."),
        "summary_partial": ("This publication has a table of contents, headings, landmarks and footnotes that "
                            "reading systems show as pop-ups; text can be resized and restyled."),
    },
    "ja": {
        "cover": "表紙",
        "titlepage": "扉",
        "landmarks": "ランドマーク",
        "pages": "ページ",
        "start": "本文",
        "summary": ("この出版物はtaiyakuのテストによる検査でWCAG 2.1レベルAAを満たす。目次、順序どおりの見出し、"
                    "ランドマーク、すべての画像の代替テキスト、リーダーがポップアップで示す注、紙版のページ番号"
                    "（ページリスト）を備える。文字の大きさと書体は変更でき、フォントは埋め込んでいない。"),
        "summary_partial": "目次、見出し、ランドマーク、リーダーがポップアップで示す注を備える。文字の大きさと書体は変更できる。",
    },
}


def words(lang: str) -> dict[str, str]:
    """The words in ``lang`` (English where the language has none)."""
    return WORDS.get(primary(lang), WORDS["en"])
