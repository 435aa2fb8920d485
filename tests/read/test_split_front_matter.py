"""split_front_matter's one-search path splits exactly as splitting every line does."""

from __future__ import annotations

import random

from taiyaku.read import frontmatter
from taiyaku.read.frontmatter import SplitFile, split_front_matter


def _line_by_line(text: str) -> SplitFile | int:
    lines = text.splitlines(keepends=True)
    if not lines or not frontmatter.FENCE.match(lines[0].rstrip("\r\n")):
        return SplitFile("", 0, text, 1)
    for index in range(1, len(lines)):
        if frontmatter.FENCE.match(lines[index].rstrip("\r\n")):
            return SplitFile("".join(lines[1:index]), 2, "".join(lines[index + 1 :]), index + 2)
    return 1


def test_the_same_split_as_line_by_line() -> None:
    rng = random.Random(9)
    pieces = ["---", "--- ", "---\t", "----", " ---", "\n", "\n", "a: 1", "x", "\r\n", "\r", "\u2028", "\x0c", " ",
              "\t", "-", "本"]
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.5:
            text = "---\n" + text
        assert split_front_matter(text) == _line_by_line(text), repr(text)
