"""縦中横: which numbers the vertical edition sets upright."""

from __future__ import annotations

import lxml.etree as etree
import lxml.html

from taiyaku.epub.vertical import set_upright


def _upright(html: str, japanese: bool = True) -> tuple[list[str], str]:
    holder = lxml.html.fragment_fromstring(html, create_parent="div")
    set_upright(holder, japanese)
    spans = [span.text for span in holder.iter("span") if span.get("class") == "tcy"]
    return spans, "".join(holder.itertext())


def test_one_and_two_digit_numbers_only() -> None:
    spans, text = _upright("<p>第5条と第12条、1951年、3.5％、v2、表1に<em>9</em>月</p>")
    assert spans == ["5", "12", "1", "9"]
    assert text == "第5条と第12条、1951年、3.5％、v2、表1に9月"  # nothing lost, nothing moved


def test_code_tables_links_and_other_languages_are_left_alone() -> None:
    html = ('<p>第5条<code>x = 5</code><sup><a href="#fn-1">1</a></sup></p><table><tr><td>12</td></tr></table>'
            '<p lang="en">Article 5</p>')
    spans, _ = _upright(html)
    assert spans == ["5"]
    assert _upright("<p>第5条</p>", japanese=False)[0] == []


def test_the_result_is_well_formed_xml() -> None:
    holder = lxml.html.fragment_fromstring("<p>a 1 b <b>2</b> c 3</p>", create_parent="div")
    set_upright(holder, True)
    xml = etree.tostring(holder[0], encoding="unicode", method="xml")
    assert xml == '<p>a <span class="tcy">1</span> b <b><span class="tcy">2</span></b> c <span class="tcy">3</span></p>'
