"""The PDFs through a book designer's eyes (issue 11), measured from the PDFs: hyphenation, punctuation-only
lines, unit signs, footnote calls, blank pages, page ranges, the imprint."""

from __future__ import annotations

import re

import pdfplumber
import pytest

from .pdfcheck import pdf_lines, pdf_pages_text
from .spacing import printed_lines, spaces_without_last_word
from taiyaku.pdf.weasy.hyphenation import LOOSE_SPACE

HYPHEN = "\u2010"
PUNCTUATION = set("、。，．・：；！？」』）〕］｝〉》】”’「『（〔［｛〈《【“‘,.;:!?)]}([{\"'‐-–—")


def _hyphen_runs(path) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """Runs of consecutive lines (in reading order, per page) that end with a hyphenation hyphen."""
    runs, run = [], []
    for page in pdf_pages_text(path):
        for line in page.splitlines() + [""]:
            if line.rstrip().endswith(HYPHEN):
                run.append(line)
            elif run:
                runs.append(run)
                run = []
    return runs


@pytest.mark.parametrize("fixture, name", [("typesetter", "typesetter-en.pdf"), ("japanese", "sample-en.pdf")])
def test_at_most_two_hyphenated_lines_in_a_row_and_names_split_only_as_a_last_resort(build_pdf, fixture: str,
                                                                                     name: str) -> None:
    built = build_pdf(fixture)
    assert built.code == 0, built.log
    runs = _hyphen_runs(built.pdf(name))
    assert runs, "the text is hyphenated at all"
    assert max(len(run) for run in runs) <= 2, [run for run in runs if len(run) > 2]
    fragments = [line for run in runs for line in run]
    # A name is divided only where setting it whole on the next line would leave the line loose.
    names = [line for line in printed_lines(built.pdf(name)) if re.search(rf"\b[A-Z][a-z]*{HYPHEN}$", line.text)]
    assert [(line.text, round(spaces_without_last_word(line), 2)) for line in names
            if spaces_without_last_word(line) <= LOOSE_SPACE - 0.02] == []
    # hyphenate-limit-chars 6 3 3: at least three letters before the hyphen.
    assert [line for line in fragments if re.search(rf"(^|\s)[a-z]{{1,2}}{HYPHEN}$", line)] == []


def test_no_hyphen_before_a_paragraphs_last_line_but_as_a_last_resort(build_pdf) -> None:
    built = build_pdf("typesetter", profile="screen")
    report = next(r for r in built.results if r.lang == "en").report
    assert report.hyphenated_lines > 0
    # Only as a last resort, where the line before would otherwise be loose (weasy/hyphenation.py).
    assert report.hyphen_before_last_line <= report.hyphenation_refused.get("last-resort", 0)
    assert report.longest_hyphen_run <= 2
    assert report.hyphenation_refused.get("capitalised", 0) > 0
    assert report.single_lines == 0  # orphans: 2; widows: 2


@pytest.mark.parametrize("fixture, name", [("typesetter", "typesetter-ja.pdf"), ("typesetter", "typesetter-en.pdf"),
                                           ("japanese", "sample-ja.pdf")])
def test_no_line_of_punctuation_only(build_pdf, fixture: str, name: str) -> None:
    lines = [line.text.replace(" ", "") for line in pdf_lines(build_pdf(fixture).pdf(name))]
    assert [line for line in lines if line and set(line) <= PUNCTUATION] == []


def test_japanese_caption_is_set_as_one_paragraph(build_pdf) -> None:
    text = "".join(pdf_pages_text(build_pdf("typesetter").pdf("typesetter-ja.pdf")))
    assert "図1　日本の防衛関係費（2013〜2025年度、当初予算、兆円）。" in text.replace("\n", "")
    assert re.search(r"兆円）。\n", text), "the caption ends its line with its closing punctuation"


def test_unit_signs_are_bound_to_their_number(build_pdf) -> None:
    path = build_pdf("typesetter").pdf("typesetter-ja.pdf")
    gaps = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = page.chars
            for before, after in zip(chars, chars[1:]):
                if before["text"].isdigit() and after["text"] in "％‰℃":
                    gaps.append((after["text"], (after["x0"] - before["x1"]) / after["size"]))
    assert sorted(sign for sign, _ in gaps) == sorted("‰％℃")
    assert all(gap < 0.05 for _, gap in gaps), gaps


@pytest.mark.parametrize("lang, call", [("en", "December.1,2"), ("ja", "署名された1,2。")])
def test_adjacent_footnote_calls_are_separated(build_pdf, lang: str, call: str) -> None:
    text = "".join(pdf_pages_text(build_pdf("typesetter").pdf(f"typesetter-{lang}.pdf"))).replace("\n", "")
    assert call in text


def _blank(page_text: str) -> bool:
    """A page with no text but perhaps a folio."""
    return re.fullmatch(r"\s*([0-9]+|[ivxlc]+)?\s*", page_text) is not None


def test_screen_profile_has_no_blank_pages(build_pdf) -> None:
    built = build_pdf("typesetter")
    for lang in ("en", "ja"):
        pages = pdf_pages_text(built.pdf(f"typesetter-{lang}.pdf"))
        assert [n for n, text in enumerate(pages, 1) if _blank(text)] == []
        report = next(r for r in build_pdf("typesetter", profile="screen").results if r.lang == lang).report
        assert report.blank_pages == 0


def test_print_profile_blank_pages_are_truly_blank(build_pdf) -> None:
    built = build_pdf("typesetter", profile="print")
    pages = pdf_pages_text(built.pdf("typesetter-en.pdf"))
    blanks = [n for n, text in enumerate(pages, 1) if _blank(text)]
    assert blanks, "one-page documents start on right-hand pages"
    assert [n for n in blanks if pages[n - 1].strip()] == [], "no folio or running head on a blank page"
    assert all(n % 2 == 0 for n in blanks), blanks


def test_offprint_page_range_is_not_broken(build_pdf) -> None:
    built = build_pdf("japanese", profile="screen")
    for lang, pattern in (("en", r"pp\. \d+–\d+\."), ("ja", r"\d+–\d+頁。")):
        cover = [line.text for line in pdf_lines(built.pdf(f"sample-{lang}/punctuation.pdf")) if line.page == 1]
        assert any(re.search(pattern, line) for line in cover), cover


def test_imprint_has_a_copyright_line(build_pdf) -> None:
    built = build_pdf("typesetter")
    assert "© 2026 Halden Institute" in pdf_pages_text(built.pdf("typesetter-en.pdf"))[1]
    assert "© 2026ハルデン研究所" in pdf_pages_text(built.pdf("typesetter-ja.pdf"))[1]


def test_opening_bracket_at_line_start_is_half_width(build_pdf) -> None:
    """「 starting a paragraph sits half an em into the 1 em indent; its blank half is dropped (JLReq)."""
    path = build_pdf("typesetter").pdf("typesetter-ja.pdf")
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines: dict[int, list[dict]] = {}
            for char in page.chars:
                if abs(char["size"] - 9) < 0.1:  # body text (A5: 9 pt)
                    lines.setdefault(round(char["top"]), []).append(char)
            starts = [min(chars, key=lambda c: c["x0"]) for chars in lines.values()]
            if not starts:
                continue
            left = min(c["x0"] for c in starts if c["text"] != "「")
            found += [(c["x0"] - left) / c["size"] for c in starts if c["text"] == "「"]
    assert found, "the fixture has a paragraph starting with 「"
    assert all(abs(offset - 0.5) < 0.05 or abs(offset + 0.5) < 0.05 for offset in found), found


@pytest.mark.parametrize("lang, label", [("en", "(continued)"), ("ja", "（続き）")])
def test_split_table_is_labelled_continued_with_two_rows_each_side(build_pdf, lang: str, label: str) -> None:
    pages = pdf_pages_text(build_pdf("typesetter").pdf(f"typesetter-{lang}.pdf"))
    with_rows = [(n, text) for n, text in enumerate(pages, 1) if re.search(r"\br\d\d\b", text)]
    assert len(with_rows) >= 2, "the fixture's table is split across pages"
    rows = [re.findall(r"\br(\d\d)\b", text) for _, text in with_rows]
    assert [int(n) for page in rows for n in page] == list(range(1, 41)), "every row once, in order"
    assert all(len(page) >= 2 for page in rows), rows
    flat = [text.replace("\n", "").replace(" ", "") for _, text in with_rows]
    wanted = label.replace(" ", "")
    assert wanted not in flat[0]
    assert all(wanted in text for text in flat[1:]), flat
    report = next(r for r in build_pdf("typesetter", profile="screen").results if r.lang == lang).report
    assert report.tables_continued == len(with_rows) - 1


def test_footnote_rule_is_a_third_of_the_measure(build_pdf) -> None:
    measure = 9 * 32  # A5: 32 characters of 9 pt (pdf/geometry.py), both editions
    with pdfplumber.open(build_pdf("typesetter").pdf("typesetter-en.pdf")) as pdf:
        # The footnote area's top border (#444), drawn as a path around the area: a tall rectangle.
        widths = [round(rect["width"], 1) for page in pdf.pages for rect in page.rects
                  if rect["top"] > page.height / 2 and rect["height"] > 5
                  and rect.get("non_stroking_color") == pytest.approx((0.2667,) * 3, abs=0.001)]
    assert widths and all(width == pytest.approx(measure / 3, abs=0.5) for width in widths), widths
