"""A document not yet translated is never shipped silently: the build names it (an error with ``--strict``), and
the other language's PDF carries the notice the site shows, in the reader's language (issue 26, item 4)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run_taiyaku

ROOTS = Path(__file__).parent / "roots"
WARNING = ("content/en/02-two.md: warning: translation: not translated into ja: the ja edition shows the original, "
           "marked as not yet translated")


@pytest.fixture
def standin(tmp_path: Path) -> Path:
    shutil.copytree(ROOTS / "standin", tmp_path / "standin")
    return tmp_path / "standin"


def test_the_build_names_the_untranslated_document_and_strict_fails(standin: Path, tmp_path: Path) -> None:
    code, err = run_taiyaku("build", "--root", standin, "--out", tmp_path / "out", "--format", "html", "--strict")
    assert code == 1
    assert err.splitlines()[0] == WARNING
    assert not (tmp_path / "out").exists()


@pytest.mark.pdf
def test_the_pdf_says_the_paper_is_shown_in_the_original(standin: Path, tmp_path: Path) -> None:
    code, err = run_taiyaku("build", "--root", standin, "--out", tmp_path / "out", "--format", "pdf", "--lang", "ja",
                            "--no-cache", "-q")
    assert code == 0, err
    text = subprocess.run(["pdftotext", "-layout", tmp_path / "out/pdf/standin-ja.pdf", "-"], capture_output=True,
                          text=True, check=True).stdout
    # The notice in Japanese on the stand-in's first page, under the English paper's title; not on the translated one.
    pages = text.split("\f")
    notice = "未翻訳のため原文で表示している。"
    marked = [n for n, page in enumerate(pages) if notice in page]
    assert len(marked) == 1
    assert "The Untranslated Essay" in pages[marked[0]]
