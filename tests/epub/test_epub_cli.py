"""The EPUB output through ``taiyaku build``: the registry runs it after the PDFs, whose page maps it takes (and
records for an EPUB-only build); a ``--lang`` build keeps the other languages' EPUBs; ``clean`` removes them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from helpers import run_taiyaku

EPUBS = ["minimal-en.epub", "minimal-ja-vertical.epub", "minimal-ja.epub"]


def _page_list(path: Path) -> bytes:
    nav = zipfile.ZipFile(path).read("EPUB/nav.xhtml")
    return nav[nav.index(b'epub:type="page-list"'):]


@pytest.mark.pdf
def test_build_epub_after_pdf_then_alone(make_root, tmp_path: Path) -> None:
    root, out, cache = make_root("minimal"), tmp_path / "out", tmp_path / "cache"
    code, err = run_taiyaku("build", "--root", root, "--out", out, "--cache-dir", cache, "--format", "pdf,epub", "-q")
    assert (code, err) == (0, "")
    assert sorted(p.name for p in (out / "epub").iterdir()) == EPUBS
    first = {name: (out / "epub" / name).read_bytes() for name in EPUBS}
    assert b"page-1" in _page_list(out / "epub" / "minimal-en.epub")
    # An EPUB-only build takes the page map the PDF build recorded: the same bytes.
    code, err = run_taiyaku("build", "--root", root, "--out", out, "--cache-dir", cache, "--format", "epub", "-q")
    assert (code, err) == (0, "")
    assert {name: (out / "epub" / name).read_bytes() for name in EPUBS} == first
    # One language rebuilt: the other's EPUBs stay.
    code, err = run_taiyaku("build", "--root", root, "--out", out, "--cache-dir", cache, "--format", "epub",
                            "--lang", "en", "-q")
    assert (code, err) == (0, "")
    assert sorted(p.name for p in (out / "epub").iterdir()) == EPUBS


def test_clean_removes_the_epubs(make_root) -> None:
    root = make_root("minimal")
    assert run_taiyaku("build", "--root", root, "--format", "epub", "-q")[0] == 0
    assert (root / "build" / "epub" / "minimal-en.epub").is_file()
    code, err = run_taiyaku("clean", "--root", root)
    assert code == 0, err
    assert not (root / "build").exists()
