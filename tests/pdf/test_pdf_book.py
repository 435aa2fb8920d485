"""The book as a PDF: page labels, outline, metadata, tags, fonts, offprints, the print profile."""

from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from .pdfcheck import pdf_pages_text

TITLES = {
    "en": ("Punctuation, Phrases and Notes in a Paper with a Rather Long Title", "Paying for Deterrence",
           "Contributors", "A Small Volume"),
    "ja": ("句読点と文節と注――やや長い題名をもつ論文の組版について", "抑止の費用", "執筆者紹介", "小さな論集"),
}


@pytest.fixture(params=["en", "ja"])
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def volume(build_pdf, lang: str) -> PdfReader:
    built = build_pdf("japanese")
    assert built.code == 0, built.log
    return PdfReader(built.pdf(f"sample-{lang}.pdf"))


def test_page_labels_roman_front_matter_then_arabic_from_the_first_paper(build_pdf, volume: PdfReader,
                                                                          lang: str) -> None:
    labels = volume.page_labels
    first = labels.index("1")
    assert labels[:first] == ["i", "ii", "iii", "iv"][:first] and first >= 3
    assert labels[first:] == [str(n) for n in range(1, len(labels) - first + 1)]
    pages = pdf_pages_text(build_pdf("japanese").pdf(f"sample-{lang}.pdf"))
    assert TITLES[lang][0][:12] in pages[first]
    # The printed folios agree: the first paper's opening page says 1, the contents page iii.
    assert pages[first].rstrip().endswith("\n1")
    assert pages[2].rstrip().endswith("iii")
    contents = pages[2]
    assert re.search(r"\.{4,} ?1\n", contents), contents


def test_outline_has_every_paper_and_section(volume: PdfReader, lang: str) -> None:
    def titles(items, depth=0):  # type: ignore[no-untyped-def]
        for item in items:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield depth, item.title, volume.get_destination_page_number(item)

    outline = list(titles(volume.outline))
    paper, second, contributors, _ = TITLES[lang]
    top = [title for depth, title, _ in outline if depth == 0]
    assert paper in top and second in top and contributors in top
    assert len([1 for depth, _, _ in outline if depth == 1]) == 3  # two sections, one section
    first = volume.page_labels.index("1")
    assert next(page for _, title, page in outline if title == paper) == first


def test_metadata_language_and_tags(volume: PdfReader, lang: str) -> None:
    root = volume.trailer["/Root"]
    assert root["/Lang"] == lang
    assert volume.metadata["/Title"] == TITLES[lang][3]
    assert volume.metadata["/Author"] in ("Eleanor Whitcombe", "エレノア・ウィットコム")
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def _struct_elements(node, found):  # type: ignore[no-untyped-def]
    node = node.get_object()
    if isinstance(node, dict) or hasattr(node, "keys"):
        if node.get("/S") is not None:
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object") or isinstance(kid, dict):
                    _struct_elements(kid, found)
    return found


def test_figures_have_alt_text(volume: PdfReader, lang: str) -> None:
    elements = _struct_elements(volume.trailer["/Root"]["/StructTreeRoot"], [])
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert figures
    alts = [str(f.get("/Alt", "")) for f in figures]
    expected = "Bar chart of a defense budget" if lang == "en" else "防衛予算の棒グラフ"
    assert any(expected in alt for alt in alts), alts


def test_fonts_are_embedded_subsets(build_pdf, lang: str) -> None:
    out = subprocess.run(["pdffonts", str(build_pdf("japanese").pdf(f"sample-{lang}.pdf"))], capture_output=True,
                         text=True, check=True).stdout.splitlines()[2:]
    assert out
    for line in out:
        columns = line.split()
        assert columns[-5:-3] == ["yes", "yes"], line  # emb, sub
    if lang == "ja":
        assert any("Noto-Serif-CJK-JP" in line for line in out)


def test_offprints(build_pdf, lang: str) -> None:
    built = build_pdf("japanese", profile="screen")
    volume = PdfReader(built.pdf(f"sample-{lang}.pdf"))
    first = volume.page_labels.index("1")
    for slug, title in (("punctuation", TITLES[lang][0]), ("second", TITLES[lang][1])):
        path = built.pdf(f"sample-{lang}/{slug}.pdf")
        offprint = PdfReader(path)
        pages = pdf_pages_text(path)
        start = next(i for i, page in enumerate(pdf_pages_text(built.pdf(f"sample-{lang}.pdf")))
                     if title[:10] in page and i >= first)
        folio = int(volume.page_labels[start])
        assert offprint.page_labels[0] == "Offprint"
        assert offprint.page_labels[1] == str(folio)
        assert title[:10] in pages[0] and title[:10] in pages[1]
        last = int(offprint.page_labels[-1])
        cover = pages[0].replace("\n", "")
        if last > folio:
            assert f"{folio}–{last}" in cover, cover
        else:  # one page: cited as a page
            assert (f"p. {folio}." if lang == "en" else f"{folio}頁") in cover and "–" not in cover, cover
        assert ("offprint from" if lang == "en" else "抜刷") in cover.lower()
        assert offprint.metadata["/Title"] == title
        # Cross references to the other paper are dropped, not left dangling.
        for page in offprint.pages:
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                assert annotation.get("/Dest") is not None or annotation.get("/A") is not None
    assert not [w for result in built.results for w in result.warnings if "No anchor" in w]


def test_print_profile_has_bleed_and_trim_boxes(build_pdf) -> None:
    built = build_pdf("japanese", profile="print")
    assert built.code == 0, built.log
    reader = PdfReader(built.pdf("sample-ja.pdf"))
    bleed_pt = 3 * 72 / 25.4
    for page in reader.pages:
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        media = [float(v) for v in page.mediabox]
        assert trim[2] - trim[0] == pytest.approx(148 * 72 / 25.4, abs=0.5)  # A5
        assert bleed[0] == pytest.approx(trim[0] - bleed_pt, abs=0.1)
        assert bleed[2] == pytest.approx(trim[2] + bleed_pt, abs=0.1)
        # The crop marks sit outside the bleed: 10 mm of room beyond it on every side.
        assert media[0] == pytest.approx(bleed[0] - 10 * 72 / 25.4, abs=0.1)
        assert media[2] == pytest.approx(bleed[2] + 10 * 72 / 25.4, abs=0.1)
    screen = PdfReader(build_pdf("japanese").pdf("sample-ja.pdf"))
    page = screen.pages[0]
    assert [float(v) for v in page.trimbox] == [float(v) for v in page.mediabox]
