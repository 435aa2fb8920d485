"""No justified Japanese paragraph ends on a line of one character (JLReq 3.5.4, book house rules): measured
from the PDFs with pdfplumber. The fixture ``a2_lastline`` holds paragraphs of the sample volume (A4, 40
characters a line) whose last line was "る⁴。", "る。" and, in a note, "ある。" before the fix; the line before
now gives up a character and is stretched to the measure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

from taiyaku.lang import is_japanese
from taiyaku.pdf.jlreq import LAST_LINE_CLOSERS, LAST_LINE_MIN, short_last_line

CALL_SIZE = 0.8
"""A character smaller than this share of its line's size is a note call (superscript)."""


@dataclass
class Line:
    """A line of a page as drawn: its characters in content-stream order."""

    page: int
    chars: list[dict]

    @property
    def size(self) -> float:
        """The size most of the line's characters have."""
        return Counter(round(char["size"], 1) for char in self.chars).most_common(1)[0][0]

    @property
    def text(self) -> str:
        """The line's characters."""
        return "".join(char["text"] for char in self.chars)

    def counted(self) -> int:
        """Characters other than closing punctuation and note calls."""
        return sum(1 for char in self.chars
                   if char["size"] > CALL_SIZE * self.size and char["text"] not in LAST_LINE_CLOSERS)


def _lines(path: Path) -> list[Line]:
    """Every line of every page. Characters are taken in drawing order (WeasyPrint draws a line's boxes left
    to right), a new line starting where the text goes back left or moves down by more than a size: a
    superscript call shifted up stays on its line, where grouping by ``top`` would split it off."""
    lines: list[Line] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            current: list[dict] = []
            for char in page.chars:
                if char["text"].isspace():
                    continue
                if current and (char["x0"] < current[-1]["x0"] - 1 or abs(char["bottom"] - current[-1]["bottom"])
                                > max(char["size"], current[-1]["size"])):
                    lines.append(Line(page.page_number, current))
                    current = []
                current.append(char)
            if current:
                lines.append(Line(page.page_number, current))
    return lines


def _last_lines(path: Path) -> list[tuple[Line, Line]]:
    """``(line before, last line)`` of every Japanese paragraph of two lines or more that ends on a page where
    it began: a line below a line of the same size that starts where it does or one em in (the paragraph
    indent), where the line before ends at the measure (justified) and the last line does not. The measure is
    where most long lines of the page end (body text and notes share it); a flush-left table cell's lines end
    short of it."""
    lines = _lines(path)
    pairs = []
    for before, line in zip(lines, lines[1:]):
        size = line.size
        if before.page != line.page or abs(before.size - size) > 0.05:
            continue
        indent = before.chars[0]["x0"] - line.chars[0]["x0"]
        if (not (abs(indent) < 1 or abs(indent - size) < 1)
                or not 0 < line.chars[0]["top"] - before.chars[0]["top"] < 2.5 * size
                or not any(is_japanese(char["text"]) for char in line.chars)):
            continue
        ends = Counter(round(other.chars[-1]["x1"]) for other in lines
                       if other.page == line.page and len(other.chars) >= 10)
        right = ends.most_common(1)[0][0]
        if abs(right - before.chars[-1]["x1"]) < size / 2 and right - line.chars[-1]["x1"] > size:
            pairs.append((before, line))
    return pairs


@pytest.mark.parametrize(("fixture", "name", "paragraphs"), [("a2_lastline", "lastline-ja.pdf", 3),
                                                             ("japanese", "sample-ja.pdf", 1),
                                                             ("typesetter", "typesetter-ja.pdf", 1)])
def test_no_paragraph_ends_on_a_line_of_one_character(build_pdf, fixture: str, name: str,
                                                      paragraphs: int) -> None:
    """Every paragraph's last line holds at least two characters besides closing punctuation and calls; the
    line before it still ends at the measure (it gave up a character and was stretched)."""
    built = build_pdf(fixture)
    assert built.code == 0, built.log
    pairs = _last_lines(built.pdf(name))
    assert len(pairs) >= paragraphs, "the document has paragraphs' last lines to look at"
    short = [f"page {line.page}: {before.text[-10:]} / {line.text}" for before, line in pairs
             if line.counted() < LAST_LINE_MIN]
    assert short == []


def test_the_fixture_ends_its_paragraphs_after_a_call_and_a_full_stop(build_pdf) -> None:
    """The fixture still holds the case it was made for: a paragraph ending with a note call before its 。."""
    pairs = _last_lines(build_pdf("a2_lastline").pdf("lastline-ja.pdf"))
    calls = [line for _, line in pairs
             if any(char["size"] <= CALL_SIZE * line.size for char in line.chars) and line.text.endswith("。")]
    assert calls, [line.text for _, line in pairs]


@pytest.mark.parametrize(("text", "short"), [("る。", True), ("る\u2060。", True), ("盤。", True), ("る」。", True),
                                             ("いる。", False), ("ある。", False), ("議", True),
                                             ("bite.", False), ("る。\nそして", False), ("", False)])
def test_short_last_line(text: str, short: bool) -> None:
    """What the line breaking counts as a last line of one character (note calls are left out before)."""
    assert short_last_line(text) is short


def test_the_report_counts_the_last_lines_it_mended(build_pdf) -> None:
    built = build_pdf("a2_lastline", profile="screen")
    report = next(r for r in built.results if r.lang == "ja").report
    assert report.japanese_short_last_lines >= 3, report
    assert "one-character last lines avoided" in report.summary()
