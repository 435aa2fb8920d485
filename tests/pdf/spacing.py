"""Printed lines and their word spaces, measured with pdfplumber (what a reader sees of justification)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber

HYPHEN = "\u2010"
"""The hyphenation character of the print stylesheet."""


@dataclass
class PrintedLine:
    """The glyphs of one line of text at one size (note calls inside it joined in), left to right."""

    page: int
    size: float
    bottom: float
    chars: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The line's characters."""
        return "".join(char["text"] for char in self.chars)

    @property
    def right(self) -> float:
        """Where the line's last glyph ends (points)."""
        return max(char["x1"] for char in self.chars if char["text"] != " ")

    def word_spaces(self) -> list[float]:
        """Ems between the words of the line: from the end of a word's last glyph to the next word's first."""
        chars = self.chars
        return [(chars[i + 1]["x0"] - chars[i - 1]["x1"]) / self.size
                for i in range(1, len(chars) - 1)
                if chars[i]["text"] == " " and chars[i - 1]["text"] != " " and chars[i + 1]["text"] != " "]


def printed_lines(path: Path) -> list[PrintedLine]:
    """Every line of the PDF in reading order (page, then top to bottom). Glyphs much smaller than the body
    (note calls) that sit within a body line are part of it."""
    lines: list[PrintedLine] = []
    with pdfplumber.open(path) as pdf:
        sizes = Counter(round(char["size"], 1) for page in pdf.pages for char in page.chars)
        body = sizes.most_common(1)[0][0]
        for number, page in enumerate(pdf.pages, start=1):
            rows: dict[tuple[int, float], list[dict[str, Any]]] = defaultdict(list)
            for char in page.chars:
                rows[(round(char["bottom"]), round(char["size"], 1))].append(char)
            hosts = [key for key in rows if key[1] == body]
            for key in [key for key in rows if key[1] < 0.75 * body]:
                host = [other for other in hosts if other[0] - 0.8 * body < key[0] <= other[0] + 1]
                if host:
                    rows[min(host, key=lambda other: abs(other[0] - key[0]))].extend(rows.pop(key))
            for (bottom, size), chars in sorted(rows.items()):
                chars.sort(key=lambda char: char["x0"])
                lines.append(PrintedLine(number, size, bottom, chars))
    return lines


def body_size(lines: list[PrintedLine]) -> float:
    """The commonest size of text: the body's."""
    return Counter(line.size for line in lines for _ in line.chars).most_common(1)[0][0]


def justified_lines(lines: list[PrintedLine]) -> list[PrintedLine]:
    """Body lines with word spaces that end at the measure (the right edge of the page's widest body line)."""
    size = body_size(lines)
    body = [line for line in lines if line.size == size and line.text.strip()]
    measure: dict[int, float] = defaultdict(float)
    for line in body:
        measure[line.page] = max(measure[line.page], line.right)
    return [line for line in body if abs(line.right - measure[line.page]) < 0.6 and line.word_spaces()]


def median_space(lines: list[PrintedLine]) -> float:
    """The median word space (ems) of justified lines."""
    return statistics.median(space for line in lines for space in line.word_spaces())


def spaces_without_last_word(line: PrintedLine) -> float:
    """Ems the word spaces of a justified line would have if its last word (or word part) went to the next
    line: the line's width less its other glyphs' natural advances, shared by the spaces left."""
    chars = line.chars
    cut = max(i for i, char in enumerate(chars) if char["text"] == " " and 0 < i < len(chars) - 1)
    kept = chars[:cut]
    spaces = [char for char in kept if char["text"] == " "]
    if not spaces:
        return float("inf")
    natural = sum(char["x1"] - char["x0"] for char in kept)
    extra = (line.right - chars[0]["x0"] - natural) / len(spaces)
    return (spaces[0]["x1"] - spaces[0]["x0"] + extra) / line.size
