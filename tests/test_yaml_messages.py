"""Front matter YAML mistakes named in plain words, at their line (issue 26, item 11: an unclosed or early-closed
quote got advice about indentation)."""

from __future__ import annotations

import pytest
import yaml

from taiyaku.read.frontmatter import yaml_problem

EARLY = ("a quote mark inside this quoted value ends it early: write it as \\\" inside \"…\" or as '' inside '…', "
         "or quote the value with the other mark")


@pytest.mark.parametrize(("text", "line", "words"), [
    ('title: "One: a "quoted" word\nsubtitle: x\n', 2, EARLY),
    ("title: 'It's here'\nsubtitle: x\n", 2, EARLY),
    ('title: One\nauthors:\n  - name: "A "B" C"\n', 4, EARLY),
    ('title: "One\nsubtitle: x\n', 2, "a quoted value starts here and is never closed: add the closing quote"),
    ("title: One\nsubtitle: A: B\n", 3, "a value contains ': ': put the whole value in quotes"),
])
def test_quote_mistakes_are_named(text: str, line: int, words: str) -> None:
    with pytest.raises(yaml.YAMLError) as caught:
        yaml.safe_load(text)  # as read_front_matter does for its message (marks with the text)
    assert yaml_problem(caught.value, 2) == (line, words)
