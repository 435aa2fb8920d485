"""Fonts subset once per output (issue 25 item 2): a part's PDF carries placeholders for its installed fonts, and
the assembly gives each font one program made for the glyphs the whole output uses."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import deflate
import pikepdf
import pytest

from helpers import pdffonts, pdftotext
from taiyaku.errors import PDFError
from taiyaku.pdf.assemble import Part, assemble
from taiyaku.pdf.deferred import placeholder_in, placeholders_left, read_placeholder
from taiyaku.pdf.objects import DEFLATE_LEVEL

pytestmark = pytest.mark.pdf

CSS = """
@page { size: A6; margin: 12mm }
body { font-family: serif; font-size: 10pt }
.sans { font-family: sans-serif; font-weight: bold }
"""
BODY = ('<p>Deferred fonts keep every glyph: “quotes”, ﬁ ligatures, 1–2.</p>'
        '<p lang="ja">日本語の段落、句読点。漢字と仮名「かぎ括弧」。</p>'
        '<p class="sans">Sans bold <span lang="ja">太字の見出し</span></p>')


def _write(body: str, part: bool, head: str = "") -> bytes:
    from taiyaku.pdf import weasy

    html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>{head}'
            f"<style>{CSS}</style></head><body>{body}</body></html>")
    document = weasy.render(html, pdf_variant="pdf/ua-1")
    return weasy.write_pdf(document, "pdf/ua-1", [(0, {"S": "/D", "St": 1})], part=part)


def _programs(data: bytes) -> dict[str, bytes]:
    """BaseFont → embedded font program of every font of a PDF."""
    found = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font and "/DescendantFonts" in obj:
                descriptor = obj.DescendantFonts[0].FontDescriptor
                key = "/FontFile2" if "/FontFile2" in descriptor else "/FontFile3"
                found[str(obj.BaseFont)] = bytes(descriptor[key].read_bytes())
    return found


def _assembled(data: bytes) -> bytes:
    return assemble([Part("p", data)], [(0, {"S": "/D", "St": 1})], title="t", authors=[], lang="en").data


def test_a_part_carries_placeholders_and_its_assembly_the_programs_weasyprint_would_write(tmp_path: Path) -> None:
    deferred, subset = _write(BODY, part=True), _write(BODY, part=False)
    placeholders = {name: read_placeholder(program) for name, program in _programs(deferred).items()}
    assert placeholders and all(fields is not None for fields in placeholders.values()), placeholders
    assert {Path(fields["path"]).suffix for fields in placeholders.values()} >= {".ttc"}  # Noto CJK among them
    assert len(deferred) < len(subset) / 5  # no font program in the part
    with pikepdf.open(io.BytesIO(deferred)) as pdf:
        assert placeholders_left(pdf)
    # Assembled, the deferred part's fonts are byte for byte those of the part WeasyPrint subset itself.
    made, reference = _assembled(deferred), _assembled(subset)
    with pikepdf.open(io.BytesIO(made)) as pdf:
        assert not placeholders_left(pdf)
    assert _programs(made) == _programs(reference)
    (tmp_path / "made.pdf").write_bytes(made)
    (tmp_path / "reference.pdf").write_bytes(reference)
    assert pdftotext(tmp_path / "made.pdf") == pdftotext(tmp_path / "reference.pdf")
    assert all(font.emb == "yes" and font.sub == "yes" for font in pdffonts(tmp_path / "made.pdf"))


def test_parts_of_one_output_share_one_program_per_font() -> None:
    first = _write('<p>First part, Latin only: abc.</p><p lang="ja">一つ目</p>', part=True)
    second = _write('<p>Second part: xyz, other glyphs.</p><p lang="ja">二つ目の部分</p>', part=True)
    made = assemble([Part("a", first), Part("b", second)], [(0, {"S": "/D", "St": 1})], title="t", authors=[],
                    lang="en").data
    with pikepdf.open(io.BytesIO(made)) as pdf:
        assert not placeholders_left(pdf)
        files = set()
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.FontDescriptor:
                for key in ("/FontFile2", "/FontFile3"):
                    if key in obj:
                        files.add(obj[key].objgen)
                        # Made uncompressed for the merging (which rewrites most), compressed once kept, by
                        # libdeflate (not left to qpdf's zlib at save).
                        program = obj[key]
                        assert program.get("/Filter") == pikepdf.Name.FlateDecode, str(obj.FontName)
                        assert bytes(program.read_raw_bytes()) == bytes(
                            deflate.zlib_compress(bytes(program.read_bytes()), DEFLATE_LEVEL)), str(obj.FontName)
        fonts = [obj for obj in pdf.objects
                 if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font]
        assert len(files) == len({str(font.BaseFont) for font in fonts})  # one program per font, not per part


def test_a_font_file_changed_since_the_part_was_laid_out_is_named(tmp_path: Path) -> None:
    data = _write(BODY, part=True)
    path = next(fields["path"] for fields in map(read_placeholder, _programs(data).values()) if fields)
    # The same placeholder, but recorded with another time: as if the file had changed after the layout.
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and (fields := placeholder_in(obj)) is not None:
                obj.write(bytes(obj.read_bytes()).replace(str(fields["mtime"]).encode(), b"1"))
        buffer = io.BytesIO()
        pdf.save(buffer)
    with pytest.raises(PDFError, match="changed since the parts were laid out"):
        _assembled(buffer.getvalue())
    assert os.path.exists(path)


def test_a_volume_font_face_is_subset_in_the_part(tmp_path: Path) -> None:
    """A ``@font-face`` font is copied by WeasyPrint into a temporary folder gone after the layout: the part
    embeds its subset as before, beside placeholders for the installed fonts."""
    font = tmp_path / "Own.ttf"
    shutil.copy("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", font)
    head = f'<style>@font-face {{ font-family: Own; src: url("{font.as_uri()}") }} .own {{ font-family: Own }}</style>'
    data = _write('<p class="own">Own font</p><p>Installed serif</p>', part=True, head=head)
    kinds = {name: read_placeholder(program) is None for name, program in _programs(data).items()}
    assert any(kinds.values()) and not all(kinds.values()), kinds  # the own font subset, the serif deferred
    made = _assembled(data)
    (tmp_path / "made.pdf").write_bytes(made)
    assert "Own font" in pdftotext(tmp_path / "made.pdf")
    assert all(row.emb == "yes" for row in pdffonts(tmp_path / "made.pdf"))


def _cff_font(path: Path) -> None:
    """A CFF font that is not CID-keyed (as most Latin .otf fonts are): five glyphs, each a different triangle."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    names = [".notdef", "A", "B", "C", "D"]
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({0x41: "A", 0x42: "B", 0x43: "C", 0x44: "D"})
    charstrings = {}
    for index, name in enumerate(names):
        pen = T2CharStringPen(500, None)
        pen.moveTo((0, 0))
        pen.lineTo((100 * (index + 1), 0))
        pen.lineTo((0, 100 * (index + 1)))
        pen.closePath()
        charstrings[name] = pen.getCharString()
    builder.setupCFF("TaiyakuTestCFF", {"FullName": "Taiyaku Test CFF"}, charstrings, {})
    builder.setupHorizontalMetrics({name: (500, 0) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "TaiyakuTestCFF", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))


def test_a_cff_font_that_is_not_cid_keyed_keeps_its_glyph_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed Latin .otf: its subset keeps the glyph ids the page content draws (only a CID-keyed CFF is
    found again by CID after renumbering)."""
    from fontTools.ttLib import TTFont

    from taiyaku.pdf import weasy
    from taiyaku.pdf.weasy import deferfonts

    folder = tmp_path / "fonts"
    folder.mkdir()
    _cff_font(folder / "test.otf")
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                      '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                      f'<dir>{folder}</dir><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    monkeypatch.setattr(weasy, "_fonts", None)  # a configuration that sees the folder, for this test only
    monkeypatch.setattr(deferfonts, "_INSTALLED", (*deferfonts._INSTALLED, str(folder) + "/"))
    html = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
            "<style>body { font-family: TaiyakuTestCFF }</style></head><body><p>CD</p></body></html>")
    document = weasy.render(html, pdf_variant="pdf/ua-1")
    data = weasy.write_pdf(document, "pdf/ua-1", [(0, {"S": "/D", "St": 1})], part=True)
    assert any(fields and fields["path"].endswith("test.otf")
               for fields in map(read_placeholder, _programs(data).values()))
    made = _assembled(data)
    program = next(value for name, value in _programs(made).items() if "TaiyakuTestCFF" in name)
    order = TTFont(io.BytesIO(program)).getGlyphOrder()
    assert order[3:5] == ["C", "D"], order  # the content's glyph ids 3 and 4


def test_pdf_a_1_cid_sets_list_the_glyphs_each_program_holds() -> None:
    """PDF/A-1 (PDF 1.4) fonts carry a /CIDSet, which must list the glyphs of the program the assembly made."""
    from taiyaku.pdf import weasy

    html = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
            f"<style>{CSS}</style></head><body>{BODY}</body></html>")
    parts = []
    for body in (BODY, "<p>Other glyphs: xyz</p>"):
        document = weasy.render(html.replace(BODY, body), pdf_variant="pdf/a-1b")
        parts.append(Part(f"p{len(parts)}", weasy.write_pdf(document, "pdf/a-1b", [(0, {"S": "/D", "St": 1})],
                                                             part=True)))
    made = assemble(parts, [(0, {"S": "/D", "St": 1})], title="t", authors=[], lang="en").data
    from taiyaku.pdf.subsets import used_glyphs

    checked = 0
    with pikepdf.open(io.BytesIO(made)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font and "/DescendantFonts" in obj:
                descendant = obj.DescendantFonts[0]
                bits = bytes(descendant.FontDescriptor.CIDSet.read_bytes())
                listed = {index * 8 + bit for index, byte in enumerate(bits) for bit in range(8) if byte & (0x80 >> bit)}
                assert listed == used_glyphs(descendant), str(obj.BaseFont)
                checked += 1
    assert checked >= 3


def test_a_font_also_drawn_in_a_pattern_keeps_every_glyph_when_an_offprint_narrows_it() -> None:
    """An offprint narrows its cover's and its sheet's fonts to the glyphs their pages draw
    (``pdf.extract.narrow_fonts``), and the assembly subsets them to that: a font a pattern (or a soft mask, or an
    annotation's appearance) also draws with is left whole, since only page and form content is read."""
    from pikepdf import Array, Dictionary, Name

    from taiyaku.pdf.extract import narrow_fonts
    from taiyaku.pdf.subsets import used_glyphs

    pdf = pikepdf.new()
    widths = Array([1, Array([500, 510, 520])])

    def font() -> pikepdf.Object:
        descendant = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.CIDFontType2, W=widths))
        return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type0, Encoding=Name("/Identity-H"),
                                            BaseFont=Name("/AAAAAA+Test"), DescendantFonts=Array([descendant])))

    plain, patterned = font(), font()
    pattern = pdf.make_stream(b"BT /F2 9 Tf <00030002> Tj ET", Type=Name.Pattern, PatternType=1,
                              Resources=Dictionary(Font=Dictionary(F2=patterned)))
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.obj.Resources = Dictionary(Font=Dictionary(F1=plain, F2=patterned), Pattern=Dictionary(P1=pattern))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf <0001> Tj /F2 12 Tf <0001> Tj ET")
    narrow_fonts([page])
    assert used_glyphs(plain.DescendantFonts[0]) == {1}  # narrowed to what the page draws
    assert used_glyphs(patterned.DescendantFonts[0]) == {1, 2, 3}  # left whole


def test_a_font_drawn_only_in_a_soft_mask_gets_its_program() -> None:
    """The assembly finds every font it must give a program: in page content, forms, patterns, annotations'
    appearances and soft masks' groups (an SVG ``<mask>`` with text)."""
    from pikepdf import Array, Dictionary, Name

    from taiyaku.pdf.deferred import placeholder
    from taiyaku.pdf.subsets import merge_font_subsets

    path = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
    pdf = pikepdf.new()
    program = pdf.make_stream(placeholder(b"\0\1\0\0", path, 0, False))
    descriptor = pdf.make_indirect(Dictionary(Type=Name.FontDescriptor, FontName=Name("/AAAAAA+Sans"),
                                              FontFile2=program))
    descendant = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.CIDFontType2, W=Array([36, Array([600])]),
                                              FontDescriptor=descriptor, CIDToGIDMap=Name.Identity))
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type0, Encoding=Name("/Identity-H"),
                                        BaseFont=Name("/AAAAAA+Sans"), DescendantFonts=Array([descendant])))
    group = pdf.make_stream(b"BT /F1 40 Tf <0024> Tj ET", Type=Name.XObject, Subtype=Name.Form,
                            BBox=Array([0, 0, 100, 100]), Resources=Dictionary(Font=Dictionary(F1=font)))
    mask = Dictionary(Type=Name.ExtGState, SMask=Dictionary(Type=Name.Mask, S=Name.Luminosity, G=group))
    pdf.add_blank_page()
    pdf.pages[0].obj.Resources = Dictionary(ExtGState=Dictionary(GS1=pdf.make_indirect(mask)))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"/GS1 gs 0 0 50 50 re f")
    assert placeholders_left(pdf)
    merge_font_subsets(pdf)
    assert not placeholders_left(pdf)
    assert bytes(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes())[:4] == b"\0\1\0\0"
