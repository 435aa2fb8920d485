"""An exchange file is untrusted: no DTDs, entities or bombs; text that looks like markup stays text."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from taiyaku.read.markup import render_inline
from taiyaku.xliff.inline import escape_text
from taiyaku.xliff.safety import ExchangeError, parse_untrusted_xml

from .conftest import snapshot
from .support import taiyaku

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
X = NS["x"]
HOSTILE = [
    '<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<xliff>&xxe;</xliff>',
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n<xliff>&lol3;</xliff>',
    '<?xml version="1.0"?>\n<!DOCTYPE xliff SYSTEM "http://example.org/x.dtd">\n<xliff/>',
    '<?xml version="1.0"?>\n<xliff>&undeclared;</xliff>',
    '<?xml version="1.0"?>\n<xliff><unclosed></xliff>',
]


@pytest.mark.parametrize("text", HOSTILE, ids=["xxe", "billion-laughs", "external-dtd", "entity", "broken"])
def test_hostile_xml_is_refused_with_its_line(text: str) -> None:
    with pytest.raises(ExchangeError) as caught:
        parse_untrusted_xml(text.encode(), "in.xlf")
    assert caught.value.line in (1, 2), caught.value
    assert "root:" not in str(caught.value)


def test_a_hostile_file_changes_nothing_and_exits_1(sample: Path, tmp_path: Path) -> None:
    before = snapshot(sample)
    exchange = tmp_path / "evil.xlf"
    exchange.write_text(HOSTILE[0], encoding="utf-8")
    assert taiyaku(sample, "xliff", "import", exchange) == 1
    assert snapshot(sample) == before


MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
          "{{< shortcode >}} {{ .Title }}", "**太字** _斜体_ `code` &amp; &#60;b&#62;", "[^1] ![a](b.png)",
          "# 見出し", "- 項目", "1. 番号", "> 引用", ": 表題", "| セル |", "\\ バックスラッシュ", "<!-- コメント -->"]


@pytest.mark.parametrize("text", MARKUP)
def test_markup_looking_text_renders_as_the_same_text(text: str) -> None:
    html = render_inline(escape_text(text), "ja")
    assert "<script" not in html and "<img" not in html and "<a " not in html and "<strong" not in html
    assert "<em" not in html and "<code" not in html and "<!--" not in html and "<sup" not in html
    unescaped = etree.fromstring(f"<p>{html}</p>".encode()).xpath("string()")
    assert unescaped == text


def test_markup_in_a_target_is_written_as_text(sample: Path, tmp_path: Path) -> None:
    exchange = tmp_path / "all.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "--all", "-o", exchange) == 0
    tree = etree.parse(str(exchange))
    unit = next(u for u in tree.findall(".//x:trans-unit", NS) if u.get("restype") == "x-paragraph"
                and not len(u.find("x:target", NS)))
    unit.find("x:target", NS).text = "本文 " + " ".join(MARKUP[:5])
    tree.write(str(exchange), xml_declaration=True, encoding="UTF-8")
    assert taiyaku(sample, "xliff", "import", exchange) == 0
    assert taiyaku(sample, "build", "--format", "html", "--lang", "ja") == 0
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (sample / "build" / "html" / "ja").rglob("index.html"))
    assert "本文 &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(1))" \
        in pages.replace("&quot;", '"')
    assert "javascript:" not in pages.replace("[x](javascript:alert(1))", "")


def test_a_unit_id_with_invisible_characters_is_shown_escaped(sample: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    exchange = tmp_path / "x.xlf"
    exchange.write_text('<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
                        '<file original="content/en/00-about.md" source-language="en" target-language="ja" '
                        'datatype="x-markdown"><body><trans-unit id="x&#x202e;y"><source>a</source>'
                        '<target>b</target></trans-unit></body></file></xliff>', encoding="utf-8")
    before = snapshot(sample)
    assert taiyaku(sample, "xliff", "import", exchange) == 1
    err = capsys.readouterr().err
    assert "\u202e" not in err and "unit x\\u202ey: refused: its source changed since the export" in err
    assert snapshot(sample) == before


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SPECIAL = st.sampled_from(list("<>&*_`[](){}#!|\\:=-+.~^$ \n") + ["&amp;", "&#60;", "http://x.org", "{{<", "1.",
                                                                  "<!--", "-->", "javascript:", "日本", "a"])


@settings(max_examples=150, deadline=None)
@given(st.lists(SPECIAL, min_size=1, max_size=20).map("".join))
def test_any_text_renders_as_itself(text: str) -> None:
    # Lines of text: their breaks and runs of spaces are white space to HTML, so compared as one space.
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text:
        return
    html = render_inline(escape_text(text), "ja")
    element = etree.fromstring(f"<p>{html}</p>".encode())
    assert [e.tag for e in element.iter()] == ["p"], html  # no element at all: nothing became markup
    assert " ".join(element.xpath("string()").split()) == " ".join(text.split())


def test_inline_math_is_a_placeholder() -> None:
    from taiyaku.xliff.inline import Tag, read_segment, write_segment

    segment = read_segment(r"Energy \(E = mc^2\) and $$x_1$$ cost $5")
    assert [p.ctype for p in segment if isinstance(p, Tag)] == ["x-math", "x-math"]
    assert write_segment(segment) == r"Energy \(E = mc^2\) and $$x_1$$ cost $5"
