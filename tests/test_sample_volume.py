"""The repository's sample volume, built end to end (HTML and both PDFs), with the PDFs checked by properties."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO
from helpers import parse_html, pdffonts, pdftotext, run_taiyaku, snapshot

pytestmark = [pytest.mark.slow, pytest.mark.pdf]

SLUG = "alliance-at-75"


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    folder = tmp_path_factory.mktemp("sample")
    out = folder / "out"
    # A cache of its own: a cold build every time (the repository's .taiyaku-cache/ would serve a second run).
    code, err = run_taiyaku("build", "--root", REPO, "--out", out, "--cache-dir", folder / "cache")
    return out, code, err


@pytest.fixture(scope="module")
def out(sample_build: tuple[Path, int, str]) -> Path:
    out, code, err = sample_build
    assert code == 0, err
    return out


def test_build_succeeds_without_warnings(sample_build: tuple[Path, int, str]) -> None:
    out, code, err = sample_build
    lines = err.splitlines()
    assert code == 0
    assert len(lines) == 4, err
    assert re.fullmatch(rf"{SLUG}-en\.pdf: \d+ pages, \d+\.\d s; .+", lines[0]), err
    assert re.fullmatch(rf"{SLUG}-ja\.pdf: \d+ pages, \d+\.\d s; .+", lines[1]), err
    assert re.fullmatch(rf"{SLUG}-en-ja\.pdf: \d+\.\d s; \d+ pages, \d+ spreads of papers, (\d+)/\1 rows in step, .+",
                        lines[2]), err  # the facing edition
    assert re.fullmatch(rf"built 108 files into {re.escape(str(out))}: {SLUG}-en\.pdf \(\d+ pages\), "
                        rf"{SLUG}-ja\.pdf \(\d+ pages\), {SLUG}-en-ja\.pdf \(\d+ pages\)", lines[3]), err


def test_outputs(out: Path) -> None:
    files = snapshot(out)
    assert sorted(f for f in files if f.endswith(".pdf")) == sorted([
        f"html/pdf/{SLUG}-en.pdf", f"html/pdf/{SLUG}-ja.pdf", f"pdf/{SLUG}-en.pdf", f"pdf/{SLUG}-ja.pdf",
        f"html/pdf/{SLUG}-en-ja.pdf", f"pdf/{SLUG}-en-ja.pdf",
        *[f"{top}pdf/{SLUG}-{lang}/{paper}.pdf" for top in ("", "html/") for lang in ("en", "ja") for paper in (
            "about", "introduction", "treaty-history", "paying-for-deterrence", "co-development", "networked-region")],
    ])
    for lang in ("en", "ja"):
        assert files[f"html/pdf/{SLUG}-{lang}.pdf"] == files[f"pdf/{SLUG}-{lang}.pdf"]
        assert files[f"pdf/{SLUG}-{lang}.pdf"].startswith(b"%PDF-")
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_site_offers_the_pdfs(out: Path) -> None:
    for lang, other, label in (("en", "ja", "The whole volume in English (PDF)"),
                               ("ja", "en", "日本語版 全巻（PDF）")):
        section = parse_html(out / f"html/{lang}/index.html").find("section", class_="downloads")
        anchors = list(section.iter("a"))
        # Each language's PDF, then its EPUBs (the registry's order), the page's language first.
        editions = {l: [f"../pdf/{SLUG}-{l}.pdf", f"../epub/{SLUG}-{l}.epub"]
                    + ([f"../epub/{SLUG}-{l}-vertical.epub"] if l == "ja" else []) for l in ("en", "ja")}
        editions["en"].append(f"../pdf/{SLUG}-en-ja.pdf")  # the facing edition, with the source's files
        assert [a.attrs["href"] for a in anchors] == editions[lang] + editions[other]
        assert anchors[0].text == label
        assert all((out / "html" / lang / a.attrs["href"]).resolve().is_file() for a in anchors)
        sizes = [span.text for span in section.iter("span") if span.attrs.get("class") == "size"]
        assert len(sizes) == 6 and all(re.fullmatch(r"[\d.]+ (MB|kB|KB)", size) for size in sizes), sizes


def test_each_paper_offers_its_offprint(out: Path) -> None:
    for lang, label in (("en", "This paper as PDF"), ("ja", "本論文のPDF")):
        page = out / f"html/{lang}/treaty-history/index.html"
        link = parse_html(page).find("p", class_="offprint-link")
        anchor = link.find("a")
        assert anchor.text == label
        assert anchor.attrs["href"] == f"../../pdf/{SLUG}-{lang}/treaty-history.pdf"
        target = (page.parent / anchor.attrs["href"]).resolve()
        assert target.read_bytes() == (out / f"pdf/{SLUG}-{lang}/treaty-history.pdf").read_bytes()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pdf_pages_language_and_metadata(out: Path, lang: str) -> None:
    reader = PdfReader(out / f"pdf/{SLUG}-{lang}.pdf")
    assert len(reader.pages) > 20
    assert reader.trailer["/Root"]["/Lang"] == lang
    title = {"en": "An Alliance at Seventy-Five", "ja": "七十五年目の同盟"}[lang]
    assert reader.metadata["/Title"] == title
    # The editors as the edition's language lists names.
    assert reader.metadata["/Author"] == {"en": "Eleanor Whitcombe, Naoto Morikawa",
                                          "ja": "エレノア・ウィットコム、森川直人"}[lang]


def test_every_pdf_passes_an_independent_pdf_ua_check(out: Path) -> None:
    """PyPI's ``pdfua`` (pikepdf-based, no JVM; the machine-checkable part of PDF/UA-1 and the Matterhorn
    Protocol): no error and no warning on the volumes and every offprint (table headers carry their /Scope).
    What it cannot check is said in docs/typography.md."""
    import subprocess
    import sys

    pdfs = sorted((out / "pdf").rglob("*.pdf"))
    assert len(pdfs) >= 14
    done = subprocess.run([sys.executable, "-m", "pdfua", "check", *map(str, pdfs)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    assert done.stdout.count("result: PASS (no findings)") == len(pdfs), done.stdout[-3000:]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pdf_fonts_are_embedded_subsets(out: Path, lang: str) -> None:
    fonts = pdffonts(out / f"pdf/{SLUG}-{lang}.pdf")
    assert fonts
    for font in fonts:
        assert (font.emb, font.sub) == ("yes", "yes"), font
        assert re.fullmatch(r"[A-Z]{6}\+\S+", font.name), font


def test_japanese_pdf_embeds_noto_serif_cjk_jp(out: Path) -> None:
    names = [re.sub(r"^[A-Z]{6}\+", "", f.name) for f in pdffonts(out / f"pdf/{SLUG}-ja.pdf")]
    assert "Noto-Serif-CJK-JP" in names, names


def test_japanese_pdf_text(out: Path) -> None:
    source = (REPO / "content/ja/01-introduction.md").read_text(encoding="utf-8")
    text = pdftotext(out / f"pdf/{SLUG}-ja.pdf")
    sentence = "日本側の署名者は吉田茂首相ただ一人であった。"
    footnote = "SACO最終報告は1996年12月に公表された。"
    assert sentence in source and footnote in source
    assert sentence in text
    assert footnote in text
    assert "Contents" not in text and "目次" in text


def test_english_pdf_text(out: Path) -> None:
    source = (REPO / "content/en/01-introduction.md").read_text(encoding="utf-8")
    raw = pdftotext(out / f"pdf/{SLUG}-en.pdf", join="\n")
    text = " ".join(re.sub("\u2010\n", "", raw).split())  # undo hyphenation (U+2010 at a line end)
    sentence = "Prime Minister Shigeru Yoshida was the only Japanese signatory."
    footnote = "The SACO Final Report was issued in December 1996."
    assert sentence in source and footnote in source
    assert sentence in text
    assert footnote in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pdf_cover_image_and_rights(out: Path, lang: str) -> None:
    """Issue 15: the cover photograph on page one, the © and licence line and the credit on the imprint, and the
    rights in the XMP metadata of the volume and of every offprint."""
    from pypdf import PdfReader

    volume_pdf = out / f"pdf/alliance-at-75-{lang}.pdf"
    reader = PdfReader(volume_pdf)
    images = [name for name, obj in reader.pages[0]["/Resources"].get("/XObject", {}).items()
              if obj.get_object().get("/Subtype") == "/Image"]
    assert len(images) == 1
    imprint = reader.pages[1].extract_text()
    holder = "ハルデン太平洋問題研究所" if lang == "ja" else "Halden Institute for Pacific Affairs"
    assert "© 2026" in imprint and "CC BY 4.0" in imprint and "draw_cover.py" in imprint
    for path in [volume_pdf, *sorted((out / f"pdf/alliance-at-75-{lang}").glob("*.pdf"))]:
        rights = PdfReader(path).xmp_metadata.dc_rights
        assert rights["x-default"].startswith(f"© 2026 {holder}") and rights["x-default"].endswith("CC BY 4.0")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_scholar_page_numbers_are_the_pdfs(out: Path, lang: str) -> None:
    """citation_firstpage/lastpage (and the RIS SP/EP) are the offprint's folios in the volume PDF."""
    import re

    from pypdf import PdfReader

    cited = 0
    for offprint in sorted((out / f"pdf/alliance-at-75-{lang}").glob("*.pdf")):
        labels = PdfReader(offprint).page_labels
        first, last = labels[1], labels[-1]
        page = (out / f"html/{lang}/{offprint.stem}/index.html").read_text(encoding="utf-8")
        if "citation_title" not in page:
            continue  # a document without authors ("About This Volume") is not cited
        assert re.search(r'<meta name="citation_firstpage" content="(\d+)">', page)[1] == first
        assert re.search(r'<meta name="citation_lastpage" content="(\d+)">', page)[1] == last
        ris = (out / f"html/{lang}/{offprint.stem}/cite.ris").read_text(encoding="utf-8")
        assert f"SP  - {first}\n" in ris and f"EP  - {last}\n" in ris
        cited += 1
    assert cited == 5
