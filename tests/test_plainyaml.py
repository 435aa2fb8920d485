"""read.plainyaml reads plain front matter exactly as PyYAML's SafeLoader does, and gives up on the rest."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from taiyaku.read.frontmatter import FAST_LOADER, split_front_matter
from taiyaku.read.plainyaml import plain_yaml

REPO = Path(__file__).resolve().parent.parent


def _same(text: str) -> bool:
    """Whether plain_yaml gave up, or read ``text`` as PyYAML does (value and types, key order)."""
    mine = plain_yaml(text)
    if mine is None:
        return True
    theirs = yaml.load(text, Loader=FAST_LOADER)  # noqa: S506 (a safe loader)
    return repr(mine) == repr(theirs)


def _front_matters() -> list[str]:
    found = []
    for path in sorted(REPO.glob("tests/**/*.md")) + sorted(REPO.glob("content/**/*.md")):
        split = split_front_matter(path.read_text(encoding="utf-8", errors="replace"))
        if not isinstance(split, int) and split.yaml_start_line:
            found.append(split.yaml_text)
    return found


def test_front_matters_of_the_test_volumes_read_alike() -> None:
    texts = _front_matters()
    assert len(texts) > 100
    read = 0
    for text in texts:
        assert _same(text), text
        read += plain_yaml(text) is not None
    assert read > len(texts) // 3  # most are plain enough (else the fast path is useless)


@pytest.mark.parametrize("text, expected", [
    ('title: "Paper 1"\nauthors:\n  - name: "A"\n    affiliation: \'B\'\norder: 3\n',
     {"title": "Paper 1", "authors": [{"name": "A", "affiliation": "B"}], "order": 3}),
    ("title: 用語集\nstatus: Feedback Appreciated  \ntags:\n- a\n- b c\n",
     {"title": "用語集", "status": "Feedback Appreciated", "tags": ["a", "b c"]}),
    ("weight: -20\nid: 0\n", {"weight": -20, "id": 0}),
])
def test_plain_texts(text: str, expected: dict) -> None:
    assert plain_yaml(text) == expected
    assert _same(text)


@pytest.mark.parametrize("text", [
    "draft: yes\n", "draft: On\n", "x: null\n", "x: ~\n", "x:\n", "on: 1\n", "x: 010\n", "x: 0x1F\n", "x: 1_000\n",
    "x: 1.5\n", "date: 2024-05-01\n", "x: a # note\n", "x: a: b\n", "x: [a, b]\n", "x: {a: b}\n", "x: 'it''s'\n",
    'x: "a\\tb"\n', "x: a\n  continued\n", 'x: "a\n  b"\n', "x: 1\nx: 2\n", "x: |\n  a\n", "x: &a b\n", "x: *a\n",
    "x: !!str 1\n", "- a\n", "# c\nx: 1\n", "x: a\tb\n", "x: a\u00a0\n", "x:\n  - a\n   - b\n", "x: a\r\n",
    "x:\n  - k: 1\n   j: 2\n", "x:\n  - k: 1\n      j: 2\n", "x:\n  -   k: 1\n    j: 2\n", "", "\n",
])
def test_unsure_texts_are_left_to_pyyaml(text: str) -> None:
    assert plain_yaml(text) is None


def _generated(rng: random.Random) -> str:
    """A front matter of plain-looking lines, some of them spoilt."""
    keys = ["title", "x", "yes", "No", "on", "a-b", "_k", "Null", "y", "k2", "date"]
    values = ['"a b"', "'c'", '"#: x"', "1", "0", "-3", "01", "1.5", "a b", "用語 集", "a - b", "a #b", "~", "",
              "Off", "n", "é", "x:y", "2024-01-01", "a  ", '"', "'", "[a]", "a\tb", "-"]
    lines = []
    for _ in range(rng.randint(1, 6)):
        kind = rng.random()
        if kind < 0.6:
            lines.append(f"{rng.choice(keys)}:{rng.choice([' ', '  ', ''])}{rng.choice(values)}")
        else:
            lines.append(f"{rng.choice(keys)}:")
            indent = " " * rng.choice([0, 2, 2, 4])
            for _ in range(rng.randint(0, 3)):
                if rng.random() < 0.5:
                    lines.append(f"{indent}- {rng.choice(values)}")
                else:
                    lines.append(f"{indent}-{rng.choice([' ', '   '])}{rng.choice(keys)}: {rng.choice(values)}")
                    for _ in range(rng.randint(0, 2)):
                        lines.append(f"{indent}{rng.choice(['  ', '   ', ' '])}{rng.choice(keys)}: {rng.choice(values)}")
    text = "\n".join(lines) + rng.choice(["\n", "", "\n\n"])
    if rng.random() < 0.2:
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice([" ", "\n", "-", ":", "#", "\t", "'", '"']) + text[at:]
    return text


def test_generated_texts_read_alike() -> None:
    rng = random.Random(25)
    tried = read = 0
    for _ in range(20_000):
        text = _generated(rng)
        try:
            yaml.load(text, Loader=FAST_LOADER)  # noqa: S506 (a safe loader)
        except (yaml.YAMLError, ValueError):
            assert plain_yaml(text) is None, repr(text)
            continue
        tried += 1
        read += plain_yaml(text) is not None
        assert _same(text), repr(text)
    assert read > 200 and tried > 5000, (read, tried)
