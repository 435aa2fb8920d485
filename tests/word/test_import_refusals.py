"""Files that cannot be imported: one line naming the file, exit 1, nothing written. Tracked changes are refused
unless accepted or rejected; an existing document is replaced only with ``--force``."""

from __future__ import annotations

import builtins
import zipfile
from pathlib import Path

import pytest

from helpers import run_taiyaku

from .conftest import needs_pandoc, paper, with_changes
from .docx_builder import Docx, image, para


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _refused(volume: Path, docx: Path, *args: str) -> str:
    """Import ``docx``, expecting a refusal: exit 1, one line, the volume untouched; returns the line."""
    before = _files(volume)
    code, err = run_taiyaku("--root", volume, "import", docx, *args)
    assert code == 1, err
    assert err.count("\n") == 1, err
    assert _files(volume) == before
    return err.strip()


def _zip(path: Path, parts: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_not_a_docx(volume: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.docx"
    notes.write_text("Dear editor, here is my paper.", encoding="utf-8")
    assert _refused(volume, notes) == (f"error: {notes}: import: not a Word .docx file (a .docx is a zip package; "
                                       "this is not one)")


def test_rtf_saved_as_docx(volume: Path, tmp_path: Path) -> None:
    rtf = tmp_path / "paper.docx"
    rtf.write_bytes(b"{\\rtf1\\ansi Hello}")
    assert _refused(volume, rtf) == (f"error: {rtf}: import: not a Word .docx file but an RTF file: open it in Word "
                                     "(or LibreOffice) and save it as .docx, then import the .docx")


def test_legacy_doc(volume: Path, tmp_path: Path) -> None:
    legacy = tmp_path / "paper.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "WordDocument".encode("utf-16-le"))
    assert _refused(volume, legacy) == (f"error: {legacy}: import: a legacy Word 97–2003 .doc file: open it in Word "
                                        "and save it as .docx (Word Document), then import the .docx")


def test_password_protected(volume: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked.docx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptionInfo".encode("utf-16-le")
                       + "EncryptedPackage".encode("utf-16-le"))
    assert "import: the file is password-protected" in _refused(volume, locked)


def test_truncated(volume: Path, tmp_path: Path) -> None:
    whole = paper().write(tmp_path / "whole.docx").read_bytes()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(whole[: len(whole) // 2])
    assert _refused(volume, broken) == (f"error: {broken}: import: the .docx is damaged: its zip package is "
                                        "incomplete (cut short in a download or a copy?)")


def test_damaged_xml(volume: Path, tmp_path: Path) -> None:
    parts = paper().parts()
    parts["word/document.xml"] = str(parts["word/document.xml"])[:-40]
    damaged = _zip(tmp_path / "damaged.docx", parts)
    line = _refused(volume, damaged)
    assert line.startswith(f"error: {damaged}: import: the .docx is damaged: word/document.xml is not well-formed XML")


def test_a_zip_that_is_no_word_file(volume: Path, tmp_path: Path) -> None:
    sheet = _zip(tmp_path / "budget.docx", {"xl/workbook.xml": "<workbook/>"})
    assert _refused(volume, sheet) == (f"error: {sheet}: import: not a Word .docx file: a spreadsheet (.xlsx) "
                                       "without word/document.xml")


def test_missing_file(volume: Path, tmp_path: Path) -> None:
    assert _refused(volume, tmp_path / "nowhere.docx") == f"error: {tmp_path / 'nowhere.docx'}: import: no such file"


@needs_pandoc
def test_image_the_site_cannot_show(volume: Path, tmp_path: Path) -> None:
    doc = Docx()
    doc.media["rIdImg1"] = b"\x01\x00\x00\x00" + b"\x00" * 80  # an EMF header record
    doc.media_ext["rIdImg1"] = "emf"
    doc.add(para("Charts", style="Title"), para(image("rIdImg1", "A chart", 1)), para("Figure 1.", style="Caption"))
    docx = doc.write(tmp_path / "charts.docx")
    assert _refused(volume, docx) == (f"error: {docx}: import: image media/rIdImg1.emf is EMF, which web browsers "
                                      "cannot show: in Word, replace it with a PNG, JPEG or SVG copy and import again")


def test_charts_and_linked_pictures_pandoc_would_drop(volume: Path, tmp_path: Path) -> None:
    doc = Docx()
    doc.links["rIdExt"] = "file:///C:/figures/map.png"
    chart = image("rIdChart", "Defense budget chart", 1).replace(
        "http://schemas.openxmlformats.org/drawingml/2006/picture", "http://schemas.openxmlformats.org/drawingml/2006/chart")
    linked = image("rIdExt", "Map of the bases", 2).replace("r:embed=", "r:link=")
    doc.add(para("Budgets", style="Title"), para(chart), para(linked))
    docx = doc.write(tmp_path / "charts.docx")
    assert _refused(volume, docx) == (
        f"error: {docx}: import: a Word chart in paragraph 2 ('Defense budget chart'); a picture linked to a file "
        "outside the document in paragraph 3 ('Map of the bases'): pandoc cannot read them, so the import would lose "
        "them; in Word, replace them with an embedded picture (a chart or SmartArt: Copy, then Paste Special → "
        "Picture (PNG)) and import again")


@needs_pandoc
def test_tracked_changes_refused_then_accepted_or_rejected(volume: Path, tmp_path: Path) -> None:
    docx = with_changes().write(tmp_path / "revised.docx")
    line = _refused(volume, docx)
    assert line == (f"error: {docx}: import: 2 tracked changes (paragraph 3 ('The treaty was quickly slowly "
                    "ratified.'): insertion by Reviser; paragraph 3 ('The treaty was quickly slowly ratified.'): "
                    "deletion by Reviser): accept or reject them in Word, or import with --accept-changes or "
                    "--reject-changes")
    document = volume / "content/en/02-revised.md"
    code, err = run_taiyaku("--root", volume, "import", docx, "--accept-changes")
    assert code == 0, err
    assert "\nThe treaty was quickly ratified.\n" in document.read_text(encoding="utf-8")
    code, err = run_taiyaku("--root", volume, "import", docx, "--reject-changes", "--force")
    assert code == 0, err
    assert "\nThe treaty was slowly ratified.\n" in document.read_text(encoding="utf-8")


@needs_pandoc
def test_never_overwrites_without_force(volume: Path, tmp_path: Path) -> None:
    first = paper().write(tmp_path / "paper.docx")
    code, err = run_taiyaku("--root", volume, "import", first)
    assert code == 0, err
    revised = paper()
    revised.add(para("A paragraph added in revision."))
    second = revised.write(tmp_path / "paper-revised.docx")
    line = _refused(volume, second)
    assert line == (f"error: {second}: import: would overwrite content/en/02-treaties-and-their-afterlives.md: add "
                    "--force to replace them")
    code, err = run_taiyaku("--root", volume, "import", second, "--force")
    assert code == 0, err
    text = (volume / "content/en/02-treaties-and-their-afterlives.md").read_text(encoding="utf-8")
    assert "A paragraph added in revision." in text


def test_language_not_in_the_volume(volume: Path, paper_docx: Path) -> None:
    assert _refused(volume, paper_docx, "--lang", "fr") == ("error: volume.toml: config: --lang fr: not a language of "
                                                            "this volume (volume.toml languages: en)")


def test_without_the_word_extra(volume: Path, paper_docx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pypandoc(name: str, *args: object, **kwargs: object) -> object:
        if name == "pypandoc":
            raise ImportError("No module named 'pypandoc'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pypandoc)
    assert _refused(volume, paper_docx) == ("error: import: pandoc is not installed: install taiyaku's word extra "
                                            "(pip install 'taiyaku[word]', or `make setup`)")


def test_not_a_volume(tmp_path: Path, paper_docx: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _refused(empty, paper_docx) == (f"error: {empty}: config: not a taiyaku volume: no volume.toml and no "
                                           "content/ folder (start one with `taiyaku new DIR`, or give the volume "
                                           "with --root)")
