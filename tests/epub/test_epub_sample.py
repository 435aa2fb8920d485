"""The sample volume's EPUB editions: valid, reproducible, accessible, with the print edition's pages."""

from __future__ import annotations

import re
import struct
import zipfile
from io import BytesIO
from pathlib import Path

import lxml.etree as etree
import pytest
from pypdf import PdfReader

from .conftest import Built, epubcheck, run_epub

pytestmark = pytest.mark.pdf  # the session's sample volume typesets its PDFs (the page maps)

EDITIONS = ["epub/alliance-at-75-en.epub", "epub/alliance-at-75-ja.epub", "epub/alliance-at-75-ja-vertical.epub"]
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def _xml(built: Built, edition: str, name: str) -> etree._Element:
    return etree.fromstring(built.epub(edition).read(f"EPUB/{name}"))


def _content_docs(built: Built, edition: str) -> list[str]:
    return sorted(n[5:] for n in built.epub(edition).namelist() if n.endswith(".xhtml"))


def test_one_edition_per_language_and_a_vertical_japanese_one(sample_built: Built) -> None:
    assert sorted(sample_built.ctx.writer.files) == sorted(EDITIONS)
    kinds = {a.rel_path: (a.langs, a.kind) for a in sample_built.artifacts}
    assert kinds == {EDITIONS[0]: (("en",), "epub"), EDITIONS[1]: (("ja",), "epub"),
                     EDITIONS[2]: (("ja",), "epub-vertical")}
    assert all(a.size == len(sample_built.ctx.writer.files[a.rel_path]) for a in sample_built.artifacts)
    assert not [m for m in sample_built.messages if "epub" in m], sample_built.messages


@pytest.mark.parametrize("edition", EDITIONS)
def test_epubcheck_finds_nothing(sample_built: Built, edition: str, tmp_path: Path) -> None:
    assert epubcheck(sample_built.ctx.writer.files[edition], tmp_path, Path(edition).name) == []


def test_epubcheck_reports_a_broken_book(sample_built: Built, tmp_path: Path) -> None:
    """The one-JVM EPUBCheck reports what it finds, book after book (not only an empty list)."""
    book = sample_built.ctx.writer.files[EDITIONS[0]]
    broken = BytesIO()
    with zipfile.ZipFile(BytesIO(book)) as original, zipfile.ZipFile(broken, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            copy.writestr(info, data.replace(b"<nav", b'<nav bogus="1"', 1) if info.filename.endswith("nav.xhtml")
                          else data)
    messages = epubcheck(broken.getvalue(), tmp_path, "broken.epub")
    assert any(m.startswith("ERROR RSC-005 EPUB/nav.xhtml") and '"bogus"' in m for m in messages), messages
    assert epubcheck(b"not a zip", tmp_path, "junk.epub")[0].startswith("ERROR PKG-003")
    assert epubcheck(book, tmp_path, "again.epub") == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_mimetype_is_the_first_entry_and_stored(sample_built: Built, edition: str) -> None:
    """OCF: ``mimetype`` first, uncompressed, no extra field, so its value sits at byte 38 (EPUBCheck 5 no
    longer checks it)."""
    data = sample_built.ctx.writer.files[edition]
    signature, _, _, method, *_rest = struct.unpack("<IHHH", data[:10]) + (None,)
    name_length, extra_length = struct.unpack("<HH", data[26:30])
    assert signature == 0x04034B50
    assert method == 0  # stored
    assert data[30:30 + name_length] == b"mimetype" and extra_length == 0
    assert data[38:58] == b"application/epub+zip"
    info = sample_built.epub(edition).infolist()[0]
    assert info.filename == "mimetype" and info.compress_type == 0


def test_two_builds_are_byte_identical(sample_built: Built) -> None:
    again = run_epub(sample_built.ctx)
    assert again.ctx.writer.files == sample_built.ctx.writer.files


def test_source_date_epoch_sets_the_modification_date(sample_built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    built = run_epub(sample_built.ctx)
    opf = _xml(built, EDITIONS[0], "package.opf")
    assert opf.findtext(".//opf:meta[@property='dcterms:modified']", namespaces=NS) == "2026-09-21T14:13:20Z"
    assert built.epub(EDITIONS[0]).infolist()[0].date_time == (2026, 9, 21, 14, 13, 20)
    assert built.ctx.writer.files != sample_built.ctx.writer.files


@pytest.mark.parametrize("edition", EDITIONS)
def test_page_list_has_every_page_of_the_pdf_with_its_printed_folio(sample_built: Built, sample, edition: str) -> None:
    """One entry per page of the language's PDF (the screen profile has no blank pages), labelled as the PDF's
    page labels print it (roman front matter), each pointing at a marker in reading order."""
    lang = "en" if "-en" in edition else "ja"
    pdf = PdfReader(sample[1] / "pdf" / f"alliance-at-75-{lang}.pdf")
    nav = _xml(sample_built, edition, "nav.xhtml")
    page_list = nav.find(".//x:nav[@epub:type='page-list']", NS)
    entries = [(a.get("href"), a.text) for a in page_list.iterfind(".//x:a", NS)]
    assert [label for _, label in entries] == list(pdf.page_labels)
    assert entries[0][1] == "i" and "1" in [label for _, label in entries]
    for href, label in entries:
        name, _, ident = href.partition("#")
        marker = _xml(sample_built, edition, name).find(f".//*[@id='{ident}']")
        assert marker is not None and marker.get(EPUB_TYPE) == "pagebreak", href
        assert marker.get("role") == "doc-pagebreak" and marker.get("title") == label
    opf = _xml(sample_built, edition, "package.opf")
    source = opf.find(".//dc:source", NS)
    assert source.text.startswith("urn:isbn:978")
    assert opf.findtext(f".//opf:meta[@refines='#{source.get('id')}']", namespaces=NS) == "pagination"


@pytest.mark.parametrize("edition", EDITIONS)
def test_footnotes_are_asides_with_the_back_link_first(sample_built: Built, edition: str) -> None:
    ctx = sample_built.ctx
    lang = "en" if "-en" in edition else "ja"
    notes_in_volume = sum(doc.footnote_count for doc in ctx.volume.documents[lang])
    asides = calls = 0
    for name in _content_docs(sample_built, edition):
        tree = _xml(sample_built, edition, name)
        found = tree.findall(".//x:aside", NS)
        notes = [a for a in found if a.get(EPUB_TYPE) == "footnote"]
        refs = [a for a in tree.iterfind(".//x:a", NS) if a.get(EPUB_TYPE) == "noteref"]
        assert len(notes) == len(refs), name
        for ref in refs:
            assert ref.get("role") == "doc-noteref" and len(ref) == 0 and ref.text.isdigit(), name
            assert tree.find(f".//*[@id='{ref.get('href')[1:]}']") in notes
        for note in notes:
            assert note.get("role") == "doc-footnote"
            first = note[0][0]
            assert first.tag == f"{{{NS['x']}}}a" and first.get("role") == "doc-backlink"
            assert not (note[0].text or "").strip()  # nothing before the back link
        asides += len(notes)
        calls += len(refs)
    assert asides == calls == notes_in_volume > 0


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_content_document_says_its_language(sample_built: Built, edition: str) -> None:
    for name in _content_docs(sample_built, edition):
        root = _xml(sample_built, edition, name)
        lang = root.get("{http://www.w3.org/XML/1998/namespace}lang")
        assert lang and root.get("lang") == lang, name
        for element in root.iter():
            if isinstance(element.tag, str) and element.get("lang"):
                assert element.get("{http://www.w3.org/XML/1998/namespace}lang") == element.get("lang"), name


def test_metadata(sample_built: Built) -> None:
    identifiers = set()
    for edition in EDITIONS:
        opf = _xml(sample_built, edition, "package.opf")
        meta = {}
        for element in opf.iterfind(".//opf:meta[@property]", NS):
            meta.setdefault(element.get("property"), []).append(element.text)
        identifier = opf.findtext(".//dc:identifier", namespaces=NS)
        assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier)
        identifiers.add(identifier)
        lang = "en" if "-en" in edition else "ja"
        assert opf.findtext(".//dc:language", namespaces=NS) == lang
        assert meta["dcterms:modified"] == ["2026-09-01T00:00:00Z"]
        assert "CC BY 4.0" in opf.findtext(".//dc:rights", namespaces=NS)
        assert opf.find(".//opf:link[@rel='dcterms:license']", NS).get("href").startswith("https://creativecommons.org/")
        assert sorted(meta["schema:accessMode"]) == ["textual", "visual"]
        assert {"structuralNavigation", "tableOfContents", "alternativeText", "printPageNumbers",
                "pageNavigation"} <= set(meta["schema:accessibilityFeature"])
        assert meta["schema:accessibilityHazard"] == ["none"]
        assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
        summary = meta["schema:accessibilitySummary"][0]
        assert ("WCAG" in summary) and (("。" in summary) == (lang == "ja"))
        roles = {e.text for e in opf.iterfind(".//opf:meta[@property='role']", NS)}
        assert roles == {"edt", "aut"}
        file_as = [e.text for e in opf.iterfind(".//opf:meta[@property='file-as']", NS)]
        assert ("もりかわ なおと" in file_as) if lang == "ja" else ("Morikawa, Naoto" in file_as)
        cover = opf.find(".//opf:item[@properties='cover-image']", NS)
        assert cover.get("media-type") == "image/jpeg"
    assert len(identifiers) == 3


def test_navigation_has_two_levels_and_landmarks(sample_built: Built) -> None:
    nav = _xml(sample_built, EDITIONS[1], "nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    papers = toc.findall("x:ol/x:li", NS)
    titles = [doc.meta.title for doc in sample_built.ctx.volume.documents["ja"]]
    assert [li.find("x:a", NS).text for li in papers] == titles + ["執筆者紹介"]
    assert all(li.find("x:ol", NS) is not None for li in papers[1:6])
    landmarks = [a.get(EPUB_TYPE) for a in nav.iterfind(".//x:nav[@epub:type='landmarks']//x:a", NS)]
    assert landmarks == ["cover", "titlepage", "toc", "bodymatter"]


def test_vertical_edition_turns_pages_right_to_left(sample_built: Built) -> None:
    opf = _xml(sample_built, EDITIONS[2], "package.opf")
    assert opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    assert _xml(sample_built, EDITIONS[1], "package.opf").find("opf:spine", NS).get("page-progression-direction") is None
    chapter = _xml(sample_built, EDITIONS[2], "ch03.xhtml")
    assert chapter.get("class") == "vertical"
    assert [link.get("href") for link in chapter.iterfind(".//x:link", NS)] == ["css/epub.css", "css/vertical.css"]
    upright = [span.text for span in chapter.iterfind(".//x:span[@class='tcy']", NS)]
    assert upright and all(len(text) <= 2 and text.isdigit() for text in upright)
    css = sample_built.epub(EDITIONS[2]).read("EPUB/css/vertical.css").decode()
    for prop in ("writing-mode: vertical-rl", "-epub-writing-mode: vertical-rl", "-webkit-writing-mode: vertical-rl"):
        assert prop in css
    assert not any(n.endswith((".otf", ".ttf", ".woff", ".woff2")) for n in sample_built.epub(EDITIONS[2]).namelist())


def test_print_profile_page_list_leaves_out_only_the_blank_versos(tmp_path: Path) -> None:
    """In the print profile papers start on right-hand pages: the blank versos between them have no entry, every
    other page of the PDF has one, with its label."""
    from taiyaku.pdf import make_jobs, run_jobs

    from .conftest import copy_sample, load, pdf_artifact

    ctx = load(copy_sample(tmp_path / "alliance"))
    ctx.languages = ["en"]
    jobs = make_jobs(ctx.volume, ctx.strings, tmp_path / "stage", ctx.diagnostics, profile="print", languages=["en"])
    (result,) = run_jobs(jobs)
    assert not result.error and result.report.blank_pages > 0
    ctx.manifest = [pdf_artifact(result.label, "en", result.pages, result.page_map)]
    built = run_epub(ctx)
    pdf = PdfReader(tmp_path / "stage" / "pdf" / result.label)
    labels = [label for label, page in zip(pdf.page_labels, pdf.pages) if page.extract_text().strip()]
    nav = _xml(built, EDITIONS[0], "nav.xhtml")
    entries = [a.text for a in nav.find(".//x:nav[@epub:type='page-list']", NS).iterfind(".//x:a", NS)]
    assert entries == labels
    assert len(entries) == len(pdf.pages) - result.report.blank_pages
