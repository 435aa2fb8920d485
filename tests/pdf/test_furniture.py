"""Issue 25: folios and running heads drawn at assembly from one sheet per volume (``pdf/furniture.py``):
where they land, how they are tagged, and the short running head of a long title (issue 26)."""

from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from .conftest import ROOTS


@pytest.fixture(scope="module")
def built(build_pdf):
    result = build_pdf("japanese")
    assert result.code == 0, result.log
    return result


def _labels(path: Path) -> list[str]:
    from pypdf import PdfReader

    return list(PdfReader(str(path)).page_labels)


@pytest.mark.pdf
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_each_body_page_prints_its_label_as_folio_and_its_side_sets_the_margins(built, lang: str) -> None:
    """Screen profile: the second paper starts at an even folio, on a left-hand page; it was laid out on a right
    one and moved. Every left-hand page's text starts at one x, every right-hand page's at another (the outer
    margin is the wider), and the links move with the text."""
    path = built.pdf(f"sample-{lang}.pdf")
    labels = _labels(path)
    body = labels.index("1")
    lefts: dict[bool, set[float]] = defaultdict(set)
    with pdfplumber.open(path) as pdf:
        height = float(pdf.pages[0].height)
        for index in range(body, len(pdf.pages)):
            page = pdf.pages[index]
            foot = [c for c in page.chars if c["top"] > height * 0.92]
            assert "".join(c["text"] for c in foot) == labels[index], f"page {index + 1}"
            text = [c for c in page.chars if height * 0.09 < c["top"] < height * 0.85]
            starts: dict[float, float] = {}  # each line's first character (the measure's edge, but for hanging marks)
            for char in text:
                top = round(char["top"])
                starts[top] = min(starts.get(top, char["x0"]), char["x0"])
            if starts:
                edge = Counter(round(x, 1) for x in starts.values()).most_common(1)[0][0]
                lefts[int(labels[index]) % 2 == 0].add(edge)
            for link in page.annots:
                inside = [c for c in page.chars if link["x0"] - 1 <= c["x0"] and c["x1"] <= link["x1"] + 1
                          and link["top"] - 2 <= c["top"] <= link["bottom"] + 2]
                assert inside, f"page {index + 1}: a link over no text"
    assert len(lefts[True]) == len(lefts[False]) == 1, lefts
    assert lefts[True].pop() > lefts[False].pop()


@pytest.mark.pdf
def test_the_furniture_is_a_pagination_artifact_outside_the_structure_tree(built) -> None:
    path = built.pdf("sample-en.pdf")
    labels = _labels(path)
    with pikepdf.open(path) as pdf:
        for index in range(labels.index("1"), len(pdf.pages)):
            page = pdf.pages[index]
            stack: list[str] = []
            artifact_text = plain_text = 0
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    kind = str(operands[0])
                    if kind == "/Artifact" and len(operands) > 1:
                        assert operands[1].get("/Type") in (None, "/Pagination")
                    stack.append(kind)
                elif name == "EMC":
                    stack.pop()
                elif name in ("Tj", "TJ"):
                    if "/Artifact" in stack:
                        artifact_text += 1
                    else:
                        assert stack, f"page {index + 1}: text outside marked content"
                        plain_text += 1
            assert artifact_text, f"page {index + 1}: no folio drawn as an artifact"
            assert plain_text, f"page {index + 1}: no tagged text"
            assert not stack


@pytest.mark.pdf
def test_an_offprint_carries_the_volume_folios_and_heads(built) -> None:
    volume = built.pdf("sample-en.pdf")
    offprint = built.pdf("sample-en/second.pdf")
    labels = _labels(volume)
    with pdfplumber.open(volume) as whole, pdfplumber.open(offprint) as own:
        start = next(i for i, page in enumerate(whole.pages) if "Paying for Deterrence" in (page.extract_text() or "")
                     and labels[i].isdigit())
        for number, page in enumerate(own.pages[1:]):
            mine = sorted((round(c["x0"], 1), round(c["top"], 1), c["text"]) for c in page.chars)
            theirs = sorted((round(c["x0"], 1), round(c["top"], 1), c["text"])
                            for c in whole.pages[start + number].chars)
            assert mine == theirs, f"offprint page {number + 2}"


def test_a_long_title_gets_a_short_running_head() -> None:
    from taiyaku.pdf.furniture import head_measure, head_width, short_head

    measure = head_measure("A5", "en")
    assert short_head("Paying for Deterrence", measure) == "Paying for Deterrence"
    # A subtitle goes first.
    assert short_head("The Alliance at Seventy-Five: Burden Sharing, Bases and the Politics of Deterrence",
                      measure) == "The Alliance at Seventy-Five"
    # Then words, with an ellipsis; never past the measure.
    long = "Punctuation, Phrases and Notes in a Paper with a Rather Long Title and Some More Words Besides"
    short = short_head(long, measure)
    assert short.endswith("…") and long.startswith(short[:-1]) and head_width(short) <= measure
    assert not short[:-1].endswith((",", " "))
    # Japanese: before the dash of a subtitle, else cut at a character.
    assert short_head("句読点と文節と注――やや長い題名をもつ論文の組版について", head_measure("A5", "ja")) == "句読点と文節と注"
    cut = short_head("日本語" * 20, head_measure("A5", "ja"))
    assert cut.endswith("…") and head_width(cut) <= head_measure("A5", "ja")


def test_front_matter_running_head_is_used_for_the_sheet(tmp_path: Path) -> None:
    """``running_head:`` in a paper's front matter is its running head (not shortened further); a paper without
    one and a short title has none of its own."""
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf import make_jobs
    from taiyaku.pdf.furniture import SheetPaper, sheet_html
    from taiyaku.pipeline import BuildOptions, load_strings, load_volume

    root = tmp_path / "volume"
    shutil.copytree(ROOTS / "japanese", root)
    paper = root / "content/en/01-punctuation.md"
    paper.write_text(paper.read_text(encoding="utf-8").replace("title:", 'running_head: "Punctuation and Notes"\ntitle:', 1),
                     encoding="utf-8")
    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=root), diagnostics)
    jobs = make_jobs(volume, load_strings(volume, diagnostics), tmp_path / "out", diagnostics, languages=["en", "ja"])
    assert not diagnostics.errors
    heads = {job.lang: dict(job.running_heads) for job in jobs}
    assert heads["en"] == {"punctuation": "Punctuation and Notes"}
    assert heads["ja"] == {"punctuation": "句読点と文節と注"}
    (en,) = [job for job in jobs if job.lang == "en"]
    chapters = [part for part in en.parts if part.name != "front"]
    html = sheet_html(en.head, [SheetPaper(part.body, 2, heads["en"].get(part.name, "")) for part in chapters], "")
    assert html.count('string-set: chapter-title &quot;Punctuation and Notes&quot;') == 1
    assert html.count('class="taiyaku-sheet"') == len(chapters)
    assert len(re.findall(r"<section\b", html)) == len(chapters) and ' id="' not in html.split("<body", 1)[1]
