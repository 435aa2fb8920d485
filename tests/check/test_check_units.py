"""The check's building blocks on their own: block splitting, numbers, script rules, the pin edit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from taiyaku.read.blocks import kind_matches
from taiyaku.read.splitter import split_blocks
from taiyaku.read.numbers import find_numbers, missing_in_text
from taiyaku.check.pin import set_front_matter_value
from taiyaku.check.scripts import untranslated_reason
from taiyaku.errors import ContentError

BODY = """
Intro paragraph[^a] with [a link](02-two.md).

## Heading {#custom}

- item one
  continued
- item two

    second paragraph of item two

| A | B |
|---|---|
| 1 | 2 |

![Alt](figures/x.svg)
Caption.

> quoted
> still quoted

<!-- a comment is not a block -->
<!-- taiyaku: ignore numbers -->
```python
code = 1
```

<div class="box">html</div>

---

[^a]: A note
    with a second line.

[ref]: https://example.org
"""


def test_blocks_carry_file_lines() -> None:
    parsed = split_blocks(BODY, first_line=10)
    found = [(b.kind, b.line, b.end_line) for b in parsed.blocks]
    assert found == [
        ("paragraph", 11, 11), ("heading", 13, 13), ("list-item", 15, 16), ("list-item", 17, 19),
        ("table-row", 21, 21), ("table-row", 23, 23), ("figure", 25, 26), ("quote", 28, 29), ("code", 33, 35),
        ("html", 37, 37), ("rule", 39, 39), ("footnote", 41, 42),
    ]
    heading = parsed.blocks[1]
    assert (heading.level, heading.label, heading.plain) == (2, "custom", "Heading")
    assert parsed.blocks[0].footnote_refs == ["a"] and parsed.blocks[0].links == ["02-two.md"]
    assert parsed.blocks[0].plain == "Intro paragraph with a link."
    code = next(b for b in parsed.blocks if b.kind == "code")
    assert [(m.directive, m.args) for m in code.markers] == [("ignore", ("numbers",))]
    assert code.silences("number-missing") and not code.silences("untranslated-block")
    note = parsed.blocks[-1]
    assert (note.label, note.plain) == ("a", "A note with a second line.")


def test_list_items_and_lazy_lines() -> None:
    parsed = split_blocks("- one\n- two\n  - nested\n\ntext\n", 1)
    assert [(b.kind, b.line, b.level) for b in parsed.blocks] == [
        ("list-item", 1, 0), ("list-item", 2, 0), ("list-item", 3, 2), ("paragraph", 5, 0)]


@pytest.mark.parametrize(("kind", "name", "expected"), [
    ("untranslated-block", "untranslated", True), ("number-missing", "numbers", True),
    ("number-missing", "number-missing", True), ("link-differs", "links", True),
    ("footnote-moved", "footnote", True), ("block-missing", "untranslated", False),
])
def test_kind_families(kind: str, name: str, expected: bool) -> None:
    assert kind_matches(kind, name) is expected


def test_numbers_are_normalised() -> None:
    assert find_numbers("１，２００ and 1,200 and 1200") == [("1200", frozenset({1200}))] * 3
    assert find_numbers("43 trillion") == [("43", frozenset({Decimal(43), Decimal("4.3E+13")}))]
    assert find_numbers("約1.05兆円、二十一世紀", kanji=True) == [
        ("1.05", frozenset({Decimal("1.05"), Decimal("1.05E+12")})), ("二十一", frozenset({21}))]
    assert missing_in_text("In 1951 and 1960, 2.50 percent", "1951年、1960年、2.5％") == []
    assert missing_in_text("200 billion yen", "2,000億円") == []
    assert missing_in_text("3 documents, 21st century", "三つの文書、二十一世紀") == []
    assert missing_in_text("two documents, the second one", "2つの文書、第2のもの") == []
    assert missing_in_text("1, 2 and 3", "1と2") == ["3"]


@pytest.mark.parametrize(("text", "source", "kwargs", "reason"), [
    ("The treaty was signed and took effect.", "", {}, "reads as English prose and has no Japanese letters"),
    ("How the Budget Grew", "", {"heading": True}, "English words and no Japanese letters"),
    ("How the Budget Grew", "", {}, None),
    ("NATO", "NATO", {}, None),
    ("Joseph S. Nye Jr.", "Joseph S. Nye Jr.", {}, None),
    ("Security Treaty of the Alliance", "Security Treaty of the Alliance", {}, "identical to the source"),
    ("John Smith, *Bound* (New York: Basic Books, 2019), 45.", "John Smith, *Bound* (New York: Basic Books, 2019), 45.",
     {"footnote": True}, None),
    ("the bases and the costs", "the bases and the costs", {"footnote": True},
     "reads as English prose and has no Japanese letters"),
    ("条約は署名された。The treaty was signed and took effect.", "", {}, None),
])
def test_untranslated_rules(text: str, source: str, kwargs: dict[str, bool], reason: str | None) -> None:
    assert untranslated_reason(text, source, "en", "ja", **kwargs) == reason


def test_pin_edit() -> None:
    assert set_front_matter_value(b"---\ntitle: x\n---\nbody\n", "source_commit", "abc") == \
        b"---\ntitle: x\nsource_commit: abc\n---\nbody\n"
    assert set_front_matter_value(b"---\r\nsource_commit: old  # note\r\ntitle: x\r\n---\r\n", "source_commit", "abc") \
        == b"---\r\nsource_commit: abc\r\ntitle: x\r\n---\r\n"
    assert set_front_matter_value(b"\xef\xbb\xbfno front matter\n", "source_commit", "abc") == \
        b"\xef\xbb\xbf---\nsource_commit: abc\n---\nno front matter\n"
    assert set_front_matter_value("---\ntitle: \"a\u2028b\"\n---\n".encode(), "k", "v") == \
        "---\ntitle: \"a\u2028b\"\nk: v\n---\n".encode()
    with pytest.raises(ContentError):
        set_front_matter_value(b"---\ntitle: x\n", "source_commit", "abc")


@pytest.mark.parametrize(("commits", "dirty", "said"), [
    (2, False, "2 source commits"), (1, True, "1 source commit and uncommitted changes"),
    (0, True, "uncommitted changes of the source"), (0, False, "")])
def test_behind_names_uncommitted_changes_apart(commits: int, dirty: bool, said: str) -> None:
    """Issue 26: what the build's warning says of an outdated translation never counts an edit as a commit."""
    from taiyaku.check.model import DocumentReport, SourceChange

    changes = [SourceChange(None, None, None, "uncommitted changes in the working tree")] if dirty else []
    changes += [SourceChange(f"{n:07}", f"{n:040}", "2026-05-01", "edit") for n in range(commits)]
    doc = DocumentReport("content/en/x.md", "content/ja/x.md", "outdated", source_changes=changes)
    assert (doc.behind(), doc.source_commits, doc.uncommitted_changes) == (said, commits, dirty)
