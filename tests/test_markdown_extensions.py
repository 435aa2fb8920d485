"""Markdown that real documents use (fenced code, GitHub alerts, definition lists) and Japanese line breaking
on screen: rendered by ``markup.render_markdown`` and checked by parsing the HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Element, parse_html
from taiyaku.read.extensions import NUMBER_WITH_COUNTER, WORD_JOINER
from taiyaku.read.markup import RenderContext, render_markdown


def render(body: str, lang: str = "en", mode: str = "site", tmp_path: Path | None = None) -> str:
    ctx = RenderContext(lang=lang, rel_path="paper.md", content_dir=tmp_path or Path("."), slugs={"paper.md": "paper"},
                        mode=mode)  # type: ignore[arg-type]
    return render_markdown(body, ctx).html


def tree(html: str, tmp_path: Path) -> Element:
    page = tmp_path / "page.html"
    page.write_text(f"<!DOCTYPE html><html><body>{html}</body></html>", encoding="utf-8")
    return parse_html(page).find("body")


@pytest.mark.parametrize(("lang", "labels"), [
    ("en", ["Note", "Tip", "Important", "Warning", "Caution"]),
    ("ja", ["注記", "ヒント", "重要", "警告", "注意"]),
    ("fr", ["Note", "Tip", "Important", "Warning", "Caution"]),  # no words of its own: English
])
def test_alerts_are_asides_labelled_in_the_documents_language(tmp_path: Path, lang: str, labels: list[str]) -> None:
    body = "\n\n".join(f"> [!{kind}]\n> Text of the {kind.lower()}."
                       for kind in ("NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"))
    asides = tree(render(body, lang), tmp_path).find_all("aside")
    assert [(a.attrs["class"], a.attrs["role"]) for a in asides] == [
        (f"alert alert-{kind}", "note") for kind in ("note", "tip", "important", "warning", "caution")]
    assert [a.find("p", class_="alert-title").text for a in asides] == labels
    assert [a.find_all("p")[1].text for a in asides] == [
        f"Text of the {kind}." for kind in ("note", "tip", "important", "warning", "caution")]


def test_alert_mark_on_its_own_paragraph_and_plain_quotes(tmp_path: Path) -> None:
    body = "> [!warning]\n>\n> First paragraph.\n>\n> Second.\n\nBetween.\n\n> An ordinary quotation [!NOTE]."
    root = tree(render(body), tmp_path)
    aside = root.find("aside")
    assert [p.text for p in aside.find_all("p")] == ["Warning", "First paragraph.", "Second."]
    assert root.find("blockquote").find("p").text == "An ordinary quotation [!NOTE]."


def test_fenced_code_is_highlighted_with_classes(tmp_path: Path) -> None:
    html = render("Before.\n\n```python\ndef f(x):\n    return x  # twice\n```\n\nAfter.")
    root = tree(html, tmp_path)
    block = root.find("div", class_="highlight")
    assert block.find("pre").find("code") is not None
    spans = {(span.attrs["class"], span.text) for span in block.iter("span") if "class" in span.attrs}
    assert {("k", "def"), ("nf", "f"), ("k", "return"), ("c1", "# twice")} <= spans
    assert "style=" not in html and "<script" not in html
    assert [p.text for p in root.find_all("p")] == ["Before.", "After."]


def test_fence_without_a_language_is_not_guessed(tmp_path: Path) -> None:
    root = tree(render("```\nplain <text> & more\n```"), tmp_path)
    code = root.find("code")
    assert code.text == "plain <text> & more\n"
    assert not [span for span in code.iter("span") if span.attrs.get("class") not in (None, "")]


def test_definition_lists(tmp_path: Path) -> None:
    dl = tree(render("Alliance\n:   A formal agreement.\n\n同盟\n:   二国以上の約束。", "ja"), tmp_path).find("dl")
    assert [(el.tag, el.text) for el in dl.children if isinstance(el, Element)] == [
        ("dt", "Alliance"), ("dd", "A formal agreement."), ("dt", "同盟"), ("dd", "二国以上の約束。")]


def test_footnote_calls_are_joined_to_the_word_before(tmp_path: Path) -> None:
    html = render("同盟である[^1][^2]。\n\nWord [^1] after a space.\n\n[^1]: 注。\n[^2]: 注。", "ja")
    assert f"である{WORD_JOINER}<sup" in html
    assert f"</sup>{WORD_JOINER}<sup" in html  # the second of two adjacent calls too
    assert f"Word <sup" in html  # after a space the line may break there: nothing to bind


def test_print_mode_is_left_to_the_print_stage() -> None:
    html = render("同盟は1951年に[^1]。\n\n[^1]: 注。", "ja", mode="print")
    assert WORD_JOINER not in html and "nowrap" not in html


@pytest.mark.parametrize(("text", "kept"), [
    ("1951年に署名", ["1951年"]),
    ("第6条と第10条", ["第6条", "第10条"]),
    ("約1兆2000億円の予算", ["約1兆2000億円"]),
    ("2023年度から5年間", ["2023年度", "5年間"]),
    ("GDP比2％", ["2％"]),
    ("費用（2013〜2025年度、当初）", ["（2013〜", "2025年度、"]),  # what may not start a line stays with it;
    ("2023～2027年度の支出", ["2023～", "2027年度"]),  # a range may break after its dash (JLReq), never before
    ("1951年9月8日に", ["1951年", "9月", "8日"]),  # a date may break between its parts, not inside one
])
def test_numbers_with_counters(text: str, kept: list[str]) -> None:
    assert [m.group() for m in NUMBER_WITH_COUNTER.finditer(text)] == kept


def test_japanese_numbers_and_table_cells(tmp_path: Path) -> None:
    body = "条約は1951年に署名された。\n\n| 年 | 出来事 |\n|---|---|\n| 1951年 | 日米安全保障条約が署名された |\n"
    root = tree(render(body, "ja"), tmp_path)
    assert [s.text for s in root.find_all("span", class_="nowrap")] == ["1951年", "1951年"]
    cell = root.find_all("td")[1]
    assert cell.text == "日米安全保障条約が署名された"
    assert len(cell.find_all("wbr")) >= 1  # between phrases, never inside one
    english = tree(render("Signed in 1951.\n\n| a | b |\n|---|---|\n| x | y |", "en"), tmp_path)
    assert not english.find_all("span", class_="nowrap") and not english.find_all("wbr")


def test_a_table_cell_never_breaks_to_leave_one_character_alone(tmp_path: Path) -> None:
    """BudouX cuts 「日米安全保障共同宣言」 into 「日米安全保障共同宣」「言」: one-character phrases join the one before."""
    body = "| 文書 | 年 |\n|---|---|\n| 日米安全保障共同宣言 | 1996年 |\n| 日米安全保障共同宣言（1996年）に基づく | x |\n"
    cells = tree(render(body, "ja"), tmp_path).find_all("td")
    assert cells[0].text == "日米安全保障共同宣言" and not cells[0].find_all("wbr")
    html = render(body, "ja")
    cell = html[html.index("<td>日米安全保障共同宣言<wbr>"):]
    cell = cell[:cell.index("</td>")].removeprefix("<td>")
    assert "言" not in [piece.strip() for piece in cell.split("<wbr>")]
    assert "<wbr>" in cell
