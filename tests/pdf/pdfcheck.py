"""PDF inspection for the PDF tests, with poppler (``pdftotext``, ``pdffonts``)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


def pdf_pages_text(path: Path) -> list[str]:
    """The text of every page (pdftotext, reading order)."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@dataclass
class TextLine:
    """A line of text as pdftotext -bbox-layout sees it (points, from the top left)."""

    page: int
    x0: float
    x1: float
    y0: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        """Height of the line's box."""
        return self.y1 - self.y0


def pdf_lines(path: Path) -> list[TextLine]:
    """Every line of every page with its box."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    lines = []
    for number, page in enumerate(re.split(r"<page ", xml)[1:], start=1):
        for match in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                                 page, re.S):
            words = re.findall(r"<word [^>]*>(.*?)</word>", match.group(5))
            text = " ".join(words).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            lines.append(TextLine(number, float(match.group(1)), float(match.group(3)), float(match.group(2)),
                                  float(match.group(4)), text))
    return lines
