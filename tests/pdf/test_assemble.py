"""The assembler (issue 12): one volume PDF from PDFs WeasyPrint wrote separately, checked by its properties."""

from __future__ import annotations

import importlib
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from helpers import pdffonts, pdftotext
from taiyaku.errors import PDFError
from taiyaku.pdf.assemble import DEST_SCHEME, Assembled, Part, assemble

subsets_module = importlib.import_module("taiyaku.pdf.subsets")  # the font merge, patched to take its fallback

CSS = """
@page { size: A6; margin: 15mm; @bottom-center { content: counter(page) } }
body { font-family: serif; font-size: 10pt }
.note { float: footnote }
h1 { break-before: page }
"""
LABELS = [(0, {"S": "/r"}), (1, {"S": "/D", "St": 1})]
RIGHTS = (b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:rights><rdf:Alt>'
          b'<rdf:li xml:lang="x-default">CC BY 4.0</rdf:li></rdf:Alt></dc:rights></rdf:Description>')


def make_part(name: str, lang: str, body: str) -> Part:
    """A tagged PDF (pdf/ua-1) of one small HTML document, written as the typesetting worker writes one."""
    from taiyaku.pdf import weasy

    html = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{name}</title>'
            f"<style>{CSS}</style></head><body>{body}</body></html>")
    document = weasy.render(html, pdf_variant="pdf/ua-1")
    return Part(name, weasy.write_pdf(document, "pdf/ua-1", [(0, {"S": "/D", "St": 1})]))


@dataclass
class Volume:
    """The parts and what the assembler made of them."""

    parts: list[Part]
    result: Assembled
    path: Path

    def pdf(self) -> pikepdf.Pdf:
        """The assembled PDF, opened."""
        return pikepdf.open(io.BytesIO(self.result.data))


@pytest.fixture(scope="module")
def parts() -> list[Part]:
    """Front matter, two English pages, two Japanese parts; links across parts and one to a missing anchor."""
    return [
        make_part("front", "en", '<p id="front-title">The Alliance at Seventy-Five</p>'),
        make_part("alpha", "en",
                  '<h1 id="alpha-intro">Introduction</h1>'
                  '<p>The treaty was signed in 1951.<span class="note">San Francisco.</span> '
                  f'See <a href="{DEST_SCHEME}beta-sec">the section</a>, '
                  f'<a href="{DEST_SCHEME}nowhere">a paper not in this volume</a> and '
                  '<a href="#alpha-intro">the start</a>.</p>'
                  '<p style="break-before: page">A second page of the introduction.</p>'),
        make_part("beta", "ja",
                  '<h1 id="beta-top">条約の歴史</h1><h2 id="beta-sec">改定</h2>'
                  '<p>一九六〇年に改定された。<span class="note">新条約。</span>'
                  f'<a href="{DEST_SCHEME}alpha-intro">序論</a>を見よ。</p>'),
        make_part("gamma", "ja",
                  '<h1 id="gamma-top">防衛費の負担</h1>'
                  f'<p>同盟の費用は誰が払うのか。<a href="{DEST_SCHEME}beta-top">前章</a>。</p>'),
    ]


@pytest.fixture(scope="module")
def volume(parts: list[Part], tmp_path_factory: pytest.TempPathFactory) -> Volume:
    """The parts assembled, written to a file for the Poppler tools."""
    result = assemble(parts, LABELS, title="The Alliance at 75", authors=["A. Author", "山田太郎"], lang="en",
                      rights_xmp=RIGHTS)
    path = tmp_path_factory.mktemp("assembled") / "volume.pdf"
    path.write_bytes(result.data)
    return Volume(parts, result, path)


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _struct_elements(root: Any) -> list[Any]:
    """Every structure element under a StructTreeRoot, depth first."""
    found, pending = [], list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
    while pending:
        elem = pending.pop(0)
        if not isinstance(elem, pikepdf.Dictionary) or elem.get("/Type") in ("/OBJR", "/MCR"):
            continue
        found.append(elem)
        kids = elem.get("/K")
        pending[:0] = list(kids) if isinstance(kids, pikepdf.Array) else ([kids] if kids is not None else [])
    return found


def _dest_page(pdf: pikepdf.Pdf, name: str) -> int:
    """Index of the page a named destination lands on."""
    names = pdf.Root.Names.Dests.Names
    for index in range(0, len(names), 2):
        if str(names[index]) == name:
            page = names[index + 1][0]
            return next(i for i, p in enumerate(pdf.pages) if p.objgen == page.objgen)
    raise KeyError(name)


def test_pages_in_order_with_the_volume_labels(volume: Volume) -> None:
    assert volume.result.pages == sum(_pages(part.data) for part in volume.parts) == 5
    assert PdfReader(volume.path).page_labels == ["i", "1", "2", "3", "4"]


def test_offprint_labels_have_a_prefix(parts: list[Part]) -> None:
    offprint = assemble([parts[0], parts[1]], [(0, {"P": "Offprint"}), (1, {"S": "/D", "St": 7})],
                        title="Introduction", authors=["A. Author"], lang="en")
    assert PdfReader(io.BytesIO(offprint.data)).page_labels == ["Offprint", "7", "8"]
    assert offprint.unresolved == ["beta-sec", "nowhere"]


def test_text_is_the_parts_text_in_order(volume: Volume, tmp_path: Path) -> None:
    texts = []
    for part in volume.parts:
        path = tmp_path / f"{part.name}.pdf"
        path.write_bytes(part.data)
        texts.append(pdftotext(path, "\n"))
    assert pdftotext(volume.path, "\n") == "\n".join(texts)
    assert "a paper not in this volume" in texts[1]  # the removed link keeps its text


def test_one_structure_tree_covering_every_page_and_link(volume: Volume) -> None:
    pdf = volume.pdf()
    tree = pdf.Root.StructTreeRoot
    assert len(tree.K) == 1 and tree.K[0].S == "/Document"
    assert [str(kid.S) for kid in tree.K[0].K] == ["/Part"] * 4
    assert [str(kid.get("/Lang", "")) for kid in tree.K[0].K] == ["", "", "ja", "ja"]  # the catalog says en
    nums = tree.ParentTree.Nums
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert keys == sorted(set(keys)) and int(tree.ParentTreeNextKey) > max(keys)
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    pages = {page.objgen for page in pdf.pages}
    annotations = set()
    for page in pdf.pages:
        assert int(page.StructParents) in parent_tree
        for annot in page.get("/Annots", []):
            assert int(annot.StructParent) in parent_tree
            assert parent_tree[int(annot.StructParent)].S == "/Link"
            annotations.add(annot.objgen)
    referenced = []
    for elem in _struct_elements(tree):
        if "/Pg" in elem:
            assert elem.Pg.objgen in pages, f"{elem.S} points at a page outside the result"
        objrs = []
        for kid in elem.K if isinstance(elem.get("/K"), pikepdf.Array) else []:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                assert kid.Obj.objgen in annotations, "an OBJR points at a removed annotation"
                objrs.append(kid.Obj.objgen)
            elif isinstance(kid, pikepdf.Dictionary):
                assert kid.P.objgen == elem.objgen
        assert bool(objrs) == (elem.S == "/Link"), "a Link element without its annotation"
        referenced += objrs
    assert sorted(referenced) == sorted(annotations)


def test_links_between_parts_are_goto_actions(volume: Volume) -> None:
    pdf = volume.pdf()
    gotos = set()
    for index, page in enumerate(pdf.pages):
        for annot in page.get("/Annots", []):
            action = annot.get("/A")
            assert action is None or action.S != "/URI", "a taiyaku-dest: link was left as a URI"
            if action is not None:
                gotos.add((str(action.D), index))
    assert gotos == {("beta-sec", 1), ("alpha-intro", 3), ("beta-top", 4)}
    assert _dest_page(pdf, "beta-sec") == 3
    assert _dest_page(pdf, "alpha-intro") == 1
    assert _dest_page(pdf, "beta-top") == 3
    assert _dest_page(pdf, "gamma-top") == 4


def test_missing_anchor_link_removed_and_reported(volume: Volume) -> None:
    assert volume.result.unresolved == ["nowhere"]
    assert b"nowhere" not in b"".join(
        annot.A.get("/D", pikepdf.String("")).__bytes__() for page in volume.pdf().pages
        for annot in page.get("/Annots", []) if "/A" in annot)


def test_outline_has_every_part(volume: Volume) -> None:
    pdf = volume.pdf()
    with pdf.open_outline() as outline:
        top = [(item.title, [child.title for child in item.children]) for item in outline.root]
        pages = [next(i for i, p in enumerate(pdf.pages) if p.objgen == item.destination[0].objgen)
                 for item in outline.root]
    assert top == [("Introduction", []), ("条約の歴史", ["改定"]), ("防衛費の負担", [])]
    assert pages == [1, 3, 4]


def test_metadata_of_the_volume(volume: Volume) -> None:
    pdf = volume.pdf()
    assert str(pdf.docinfo.Title) == "The Alliance at 75"
    assert str(pdf.docinfo.Author) == "A. Author, 山田太郎"
    assert str(pdf.Root.Lang) == "en" and bool(pdf.Root.MarkInfo.Marked)
    xmp = pdf.Root.Metadata.read_bytes().decode()
    assert xmp.count("<dc:title>") == 1 and "The Alliance at 75" in xmp and "alpha" not in xmp
    assert re.findall(r"<rdf:li>([^<]*)</rdf:li>", xmp) == ["A. Author", "山田太郎"]
    assert 'pdfuaid:part="1"' in xmp and xmp.count("CC BY 4.0") == 1
    with pdf.open_metadata() as meta:
        assert meta["dc:title"] == "The Alliance at 75"


def test_same_parts_give_the_same_bytes(parts: list[Part], volume: Volume) -> None:
    again = assemble(parts, LABELS, title="The Alliance at 75", authors=["A. Author", "山田太郎"], lang="en",
                     rights_xmp=RIGHTS)
    assert again.data == volume.result.data
    other = assemble(parts[:2], LABELS, title="The Alliance at 75", authors=["A. Author"], lang="en")
    assert pikepdf.open(io.BytesIO(other.data)).trailer.ID[0] != volume.pdf().trailer.ID[0]


def test_one_embedded_subset_per_font(volume: Volume, tmp_path: Path) -> None:
    fonts = pdffonts(volume.path)
    names = [font.name.split("+", 1)[1] for font in fonts]
    assert all(font.emb == font.sub == font.uni == "yes" for font in fonts)
    assert len(names) == len(set(names)), names
    assert {"Noto-Serif", "Noto-Serif-CJK-JP"} <= set(names)
    parts_fonts = []
    for part in volume.parts:
        path = tmp_path / f"{part.name}.pdf"
        path.write_bytes(part.data)
        parts_fonts += [font.name for font in pdffonts(path)]
    assert len(parts_fonts) > len(fonts)  # the parts each embedded their own subsets


@pytest.mark.parametrize("cff", ["compact", "fontTools"])
def test_pages_look_as_the_parts_did(volume: Volume, tmp_path: Path, cff: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The merged fonts draw every glyph the parts drew: each page renders to the same pixels (CJK fonts as a
    bare CID-keyed CFF of the glyphs in use, or through the fontTools fallback that keeps every glyph slot)."""
    if cff == "fontTools":
        monkeypatch.setattr(subsets_module, "compact_cid_cff", lambda programs: None)
        volume.path.with_name("fonttools.pdf").write_bytes(
            assemble(volume.parts, LABELS, title="The Alliance at 75", authors=[], lang="en").data)
        volume = Volume(volume.parts, volume.result, volume.path.with_name("fonttools.pdf"))
        assert any(font.type == "CID Type 0C (OT)" for font in pdffonts(volume.path))
    else:
        assert any(font.type == "CID Type 0C" for font in pdffonts(volume.path))
    subprocess.run(["pdftoppm", "-r", "60", "-gray", str(volume.path), str(tmp_path / "volume")], check=True)
    index = 0
    for part in volume.parts:
        path = tmp_path / f"{part.name}.pdf"
        path.write_bytes(part.data)
        subprocess.run(["pdftoppm", "-r", "60", "-gray", str(path), str(tmp_path / part.name)], check=True)
        for image in sorted(tmp_path.glob(f"{part.name}-*.pgm")):
            index += 1
            assert (tmp_path / f"volume-{index}.pgm").read_bytes() == image.read_bytes(), \
                f"page {index} ({part.name}) differs"
    assert index == volume.result.pages


def test_a_part_that_is_not_a_pdf() -> None:
    with pytest.raises(PDFError) as error:
        assemble([Part("broken", b"not a pdf")], [], title="T", authors=[], lang="en")
    assert str(error.value).startswith("pdf: part broken: not a readable PDF (")
    assert "BytesIO" not in str(error.value)
    with pytest.raises(PDFError) as error:
        assemble([], [], title="T", authors=[], lang="en")
    assert str(error.value) == "pdf: nothing to assemble: no parts"


def test_an_anchor_in_two_parts_keeps_each_parts_own_links(caplog: pytest.LogCaptureFixture) -> None:
    body = '<h1 id="notes">Notes</h1><p>Back to <a href="#notes">the notes</a>.</p>'
    parts = [make_part("one", "en", body), make_part("two", "en", body)]
    result = assemble(parts, [], title="T", authors=[], lang="en")
    pdf = pikepdf.open(io.BytesIO(result.data))
    targets = [str(annot.Dest) for page in pdf.pages for annot in page.get("/Annots", [])]
    assert targets == ["notes", "notes~1"]
    assert (_dest_page(pdf, "notes"), _dest_page(pdf, "notes~1")) == (0, 1)
    assert [record.getMessage() for record in caplog.records] == [
        "part two: anchor 'notes' is also in an earlier part; links from other parts go to the first"]


def test_an_object_reference_to_no_annotation_is_dropped(parts: list[Part]) -> None:
    """WeasyPrint 70 can write OBJRs that point at font dictionaries (pages whose links changed after layout):
    the volume's tree must not keep them, nor the fonts they would pin unmerged."""
    pdf = pikepdf.open(io.BytesIO(parts[2].data))
    font = next(iter(pdf.pages[0].Resources.Font.values()))
    for elem in _struct_elements(pdf.Root.StructTreeRoot):
        for kid in elem.K if elem.S == "/Link" else []:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                kid.Obj = font
    for page in pdf.pages:
        del page.obj["/Annots"]
    damaged = io.BytesIO()
    pdf.save(damaged)
    result = assemble([parts[1], Part("damaged", damaged.getvalue())], [], title="T", authors=[], lang="en")
    merged = pikepdf.open(io.BytesIO(result.data))
    kinds = [str(elem.S) for elem in _struct_elements(merged.Root.StructTreeRoot)]
    objrs = [kid.Obj.get("/Type") for elem in _struct_elements(merged.Root.StructTreeRoot)
             if isinstance(elem.get("/K"), pikepdf.Array) for kid in elem.K
             if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"]
    assert objrs and set(objrs) == {"/Annot"}
    assert kinds.count("/Link") == len(objrs)


def test_qpdf_finds_no_syntax_problem(volume: Volume) -> None:
    pdf = volume.pdf()
    check = getattr(pdf, "check_pdf_syntax", None) or pdf.check  # renamed in pikepdf 10
    assert check() == []


def test_untagged_parts_give_an_untagged_volume(caplog: pytest.LogCaptureFixture) -> None:
    import weasyprint

    def untagged(body: str) -> Part:
        return Part("untagged", weasyprint.HTML(string=f'<html lang="en"><body>{body}</body></html>').write_pdf())

    one = untagged(f'<h1 id="x">One</h1><a href="{DEST_SCHEME}y">to two</a> <a href="{DEST_SCHEME}z">nowhere</a>')
    two = untagged(f'<h1 id="y">Two</h1><a href="{DEST_SCHEME}x">to one</a>')
    result = assemble([one, two], [], title="T", authors=[], lang="en")
    pdf = pikepdf.open(io.BytesIO(result.data))
    assert result.unresolved == ["z"]
    assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
    assert [[str(a.A.D) for a in page.Annots] for page in pdf.pages] == [["y"], ["x"]]
    assert not caplog.records
    assemble([one, make_part("tagged", "en", "<p>Tagged</p>")], [], title="T", authors=[], lang="en")
    assert [record.getMessage() for record in caplog.records] == [
        "some parts are tagged and some are not: the assembled PDF is untagged"]
