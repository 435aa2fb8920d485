"""Japanese composition (JLReq): lines flush at the measure with clean extracted text, kinsoku, half-width
consecutive punctuation, ¼ em between Japanese and Western text, titles broken between phrases."""

from __future__ import annotations

import re
import statistics
from collections import Counter

import pytest
import weasyprint

from .pdfcheck import TextLine, pdf_lines, pdf_pages_text
from taiyaku.pdf import weasy
from taiyaku.lang import is_japanese
from taiyaku.pdf.jlreq import OPENING, phrase_breaks
from taiyaku.pdf.prepare import WORD_JOINER, prepare_document

LINE_START_FORBIDDEN = set("、。，．・：；！？‼⁇⁈⁉」』）〕］｝〉》】〙〗〟’”｠»ー〜゠‐々ゝゞヽヾ"
                           "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
FLUSH = 0.5
"""Points: a line ends at the measure when its last glyph ends this close to it."""


def body_lines(lines: list[TextLine]) -> tuple[list[TextLine], list[TextLine]]:
    """(non-final, final) lines of body paragraphs, judged from the PDF alone: body lines have the document's
    commonest line height; a line is non-final when the next body line, right below it, starts at the left
    edge, and final when that line is indented (a new paragraph). The last line before a gap or at the foot
    of the page is left out: it could be either."""
    non_final, final = [], []
    height = Counter(round(line.height, 1) for line in lines).most_common(1)[0][0]
    for page in sorted({line.page for line in lines}):
        on_page = [line for line in lines if line.page == page]
        body = sorted((line for line in on_page if abs(line.height - height) < 0.3), key=lambda line: line.y0)
        if len(body) < 3:
            continue
        # The commonest start (a line starting with 「 starts half an em before the edge).
        left = Counter(round(line.x0) for line in body).most_common(1)[0][0]
        for line, below in zip(body, body[1:]):
            if below.y0 - line.y1 > 0.6 * height:
                continue
            (final if below.x0 > left + 3 else non_final).append(line)
    return non_final, final


@pytest.mark.parametrize("fixture, name", [("japanese", "sample-ja.pdf"), ("dense_notes", "dense-ja.pdf")])
def test_japanese_lines_end_at_the_measure(build_pdf, fixture: str, name: str) -> None:
    built = build_pdf(fixture)
    assert built.code == 0, built.log
    lines = pdf_lines(built.pdf(name))
    non_final, final = body_lines(lines)
    assert len(non_final) > 20 and final
    flush = 0
    ragged = []
    for line in non_final:
        # The measure: where most lines of the page end. (A line ending with a half-width full stop, 。
        # of 。〔, reaches past it by half an em in pdftotext's box, which counts the glyph's full width.)
        measure = statistics.median(other.x1 for other in non_final if other.page == line.page)
        if line.x1 >= measure - FLUSH:
            flush += 1
        else:
            ragged.append(f"page {line.page}: {line.text[:20]}… {measure - line.x1:.1f} pt short")
    assert flush / len(non_final) >= 0.98, ragged
    # Final lines are not stretched: most end well before the measure.
    assert any(statistics.median(o.x1 for o in non_final if o.page == line.page) - line.x1 > 20 for line in final)


def test_worker_counts_flush_lines(build_pdf) -> None:
    built = build_pdf("japanese", profile="screen")
    result = next(r for r in built.results if r.lang == "ja")
    assert result.japanese_lines > 20
    assert result.japanese_flush / result.japanese_lines >= 0.98


@pytest.mark.parametrize("fixture, name", [("japanese", "sample-ja.pdf"), ("dense_notes", "dense-ja.pdf")])
def test_extracted_text_has_no_inserted_spaces(build_pdf, fixture: str, name: str) -> None:
    built = build_pdf(fixture)
    text = "".join(pdf_pages_text(built.pdf(name)))
    assert "。" in text
    spaced = [m.group(0) for m in re.finditer(r"(.)[ \u2005](.)", text)
              if is_japanese(m.group(1)) or is_japanese(m.group(2))]
    # Between two Japanese characters, or between Japanese and the Western text taiyaku spaced out by ¼ em.
    assert spaced == []
    assert "1951年9月8日" in text or fixture == "dense_notes"
    assert "\u2060" not in text


def test_kinsoku(build_pdf) -> None:
    built = build_pdf("japanese")
    lines = [line for page in pdf_pages_text(built.pdf("sample-ja.pdf")) for line in page.splitlines() if line]
    starts = [line for line in lines if line[0] in LINE_START_FORBIDDEN]
    ends = [line for line in lines if line[-1] in OPENING]
    assert starts == [] and ends == []
    # The fixture is made to test this: its punctuation-heavy paragraph spans several lines.
    assert sum("。" in line or "、" in line for line in lines) > 10


def _line_widths(html_body: str, css: str = "") -> list[float]:
    """Widths (CSS px) of the lines of a Japanese paragraph laid out with the print rules that matter."""
    weasy.apply()
    html = (f'<html lang="ja"><style>@page {{ size: A4; margin: 10mm }} p {{ font: 16px "Noto Serif CJK JP"; '
            f'margin: 0 }} .halt {{ font-feature-settings: "halt" }} .bx {{ white-space: nowrap }} {css}</style>'
            f"<body>{html_body}</body></html>")
    prepared, _ = prepare_document(html)
    document = weasyprint.HTML(string=prepared).render()
    widths = []
    for box in weasy.page_box(document.pages[0]).descendants():
        if type(box).__name__ == "LineBox":
            leaves = [b for b in box.descendants() if type(b).__name__ == "TextBox"]
            widths.append(max(b.position_x + b.width for b in leaves) - min(b.position_x for b in leaves))
    return widths


def test_consecutive_punctuation_is_half_width() -> None:
    em = 16
    (plain,) = _line_widths("<p>あいうえ</p>")
    (pairs,) = _line_widths("<p>あ。」「い」、え</p>")  # 。」 」「 」、: three halved
    assert plain == pytest.approx(4 * em, abs=0.5)
    assert pairs == pytest.approx((8 - 1.5) * em, abs=0.5)


def test_quarter_em_between_japanese_and_western() -> None:
    em = 16
    (spaced,) = _line_widths("<p>日本は1951年に</p>")
    assert spaced == pytest.approx(7 * em - 4 * 0.5 * em + 2 * 0.256 * em + 4 * 0.5 * em, abs=1.5)
    (plain,) = _line_widths("<p>日本は、1951、に</p>")  # beside punctuation: none
    assert spaced - plain == pytest.approx(2 * 0.256 * em - 1 * em, abs=1)  # two spaces, one character less
    # None at a line's start: the paragraph's only line starts with the digits, flush left.
    (start,) = _line_widths("<p>1951年</p>")
    (start_plain,) = _line_widths('<p lang="en">1951</p>')
    assert start - start_plain == pytest.approx(1 * em + 0.256 * em, abs=1)


def test_numbers_are_not_split_at_markup_boundaries() -> None:
    html = '<p style="width: 7em">あいうえおかき¥<em>3</em>,<span>000</span>です</p>'
    prepared, _ = prepare_document(f'<html lang="ja"><body>{html}</body></html>')
    assert f"¥{WORD_JOINER}<em>3{WORD_JOINER}</em>,{WORD_JOINER}<span>" in prepared
    weasy.apply()
    document = weasyprint.HTML(string=prepared).render()
    lines = []
    for box in weasy.page_box(document.pages[0]).descendants():
        if type(box).__name__ == "LineBox":
            lines.append("".join(b.text for b in box.descendants() if type(b).__name__ == "TextBox"))
    assert any("¥" in line and "000" in line for line in lines), lines


def test_titles_break_between_phrases(build_pdf) -> None:
    built = build_pdf("japanese")
    title = "句読点と文節と注――やや長い題名をもつ論文の組版について"
    pages = pdf_pages_text(built.pdf("sample-ja.pdf"))
    page = next(p for p in pages if title[:8] in p and "トーマス" in p and "目次" not in p)
    lines = page.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(title[:8]))
    assert lines[first] != title, "the title is long enough to wrap on A5"
    assert lines[first] + lines[first + 1] == title
    assert len(lines[first]) in phrase_breaks(title)


def _justified_lines(text: str, width_em: int) -> list[tuple[str, bool, bool]]:
    """(text, compressed, stretched) of each line of a justified Japanese paragraph ``width_em`` ems wide."""
    weasy.apply()
    html = (f'<html lang="ja"><style>@page {{ size: A4; margin: 10mm }} p {{ font: 16px "Noto Serif CJK JP"; '
            f'margin: 0; width: {width_em}em; text-align: justify }}</style><body><p>{text}</p></body></html>')
    document = weasyprint.HTML(string=html).render()
    lines = []
    for box in weasy.page_box(document.pages[0]).descendants():
        if type(box).__name__ == "LineBox":
            line = "".join(b.text for b in box.descendants() if type(b).__name__ == "TextBox")
            lines.append((line, getattr(box, "taiyaku_compressed", False), getattr(box, "taiyaku_stretched", False)))
    return lines


def test_punctuation_is_compressed_before_a_line_is_stretched() -> None:
    # Full width, 10 characters fill the line and け would go down; its two 、 give up their blank halves
    # (JLReq push-in) and け stays: the line is compressed, not stretched.
    lines = _justified_lines("あいう、えお、かきくけこさしすせそたちつてとなにぬねの", 10)
    assert lines[0] == ("あいう、えお、かきくけ", True, False)
    # A full stop never gives up its half (JLReq): with 。 for the second 、, け goes down, and the ten
    # characters left fill the line at full width.
    lines = _justified_lines("あいう、えお。かきくけこさしすせそたちつてとなにぬねの", 10)
    assert lines[0] == ("あいう、えお。かきく", False, False)
    # Nine characters and a comma fit at full width: the comma's half is given back from the slack, and the
    # line is neither compressed nor stretched.
    lines = _justified_lines("あいう、えおかきくけこさしすせそたちつてとなにぬね", 10)
    assert lines[0] == ("あいう、えおかきくけ", False, False)


def test_push_in_takes_in_about_one_character() -> None:
    # With half-width commas "あ、…か、" (12 characters, 9 em) would fit, but set full width it is 12 em: 2 em
    # of compression, beyond the 1 em JLReq's push-in takes. The break is made before か (10 em, full
    # width, nothing compressed), and no later line is compressed by more than 1 em either.
    lines = _justified_lines("あ、い、う、え、お、か、き、く、け、こ、さ、し、す、せ、そ、た、ち、つ、", 10)
    assert lines[0] == ("あ、い、う、え、お、", False, False)
    assert [len(line) for line, _, _ in lines[:-1]] == [10, 10, 10]
    assert not any(line.strip() and all(char in "、。" for char in line) for line, _, _ in lines)


def test_push_in_is_bounded_over_a_line_of_several_boxes() -> None:
    # The span makes the line three text boxes; each fits on its own, but together "あ、…か、" would be
    # compressed by 2 em. The line is made again, narrower, and breaks before か at full width.
    lines = _justified_lines("あ、い、う、<span>え、お、か、</span>き、く、け、こ、さ、し、す、せ、そ、た、", 10)
    assert lines[0] == ("あ、い、う、え、お、", False, False)


def test_report_counts_compressed_and_stretched_lines(build_pdf) -> None:
    built = build_pdf("japanese", profile="screen")
    result = next(r for r in built.results if r.lang == "ja")
    report = result.report
    assert report.japanese_compressed > 0
    assert 0 < report.japanese_stretched < result.japanese_lines
