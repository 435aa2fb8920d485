"""A long Western word in a Japanese heading breaks where it can (its hyphens) instead of running off the page, and
a word no line can hold is reported with its file and line (issue 26, item 5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import run_taiyaku

pytestmark = pytest.mark.pdf

MINIMAL = Path(__file__).resolve().parents[1] / "roots" / "minimal"
COMPOUND = "Transpacific-interoperability-and-interchangeability-frameworkdevelopmentprogramme"
UNBREAKABLE = "Pneumonoultramicroscopicsilicovolcanoconiosispneumonoultramicroscopicsilicovolcanoconiosis"


def build_with_heading(tmp_path: Path, word: str) -> tuple[int, str, Path]:
    root = tmp_path / "vol"
    shutil.copytree(MINIMAL, root)
    page = root / "content/ja/01-one.md"
    page.write_text(page.read_text(encoding="utf-8").replace("## ある節", f"## ある節 {word} の課題"), encoding="utf-8")
    code, err = run_taiyaku("build", "--root", root, "--out", tmp_path / "out", "--format", "pdf", "--lang", "ja",
                            "--no-cache")
    return code, err, tmp_path / "out/pdf/vol-ja.pdf"


def test_a_hyphenated_compound_breaks_at_its_hyphens(tmp_path: Path) -> None:
    code, err, pdf = build_with_heading(tmp_path, COMPOUND)
    assert code == 0, err
    assert "wider than the text block" not in err
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        page = next(p for p in doc.pages if "Transpacific" in (p.extract_text() or ""))
        words = page.extract_words()
        first = next(w for w in words if "Transpacific" in w["text"])
        last = next(w for w in words if "programme" in w["text"])
        assert max(w["x1"] for w in words if w["top"] < last["bottom"]) <= page.width - 20  # nothing past the margin
        assert last["top"] > first["bottom"]  # the compound went on on the next line


def test_a_word_no_line_can_hold_is_reported_where_it_is(tmp_path: Path) -> None:
    code, err, _ = build_with_heading(tmp_path, UNBREAKABLE)
    assert code == 0, err
    assert f"content/ja/01-one.md:7: warning: pdf: text “{UNBREAKABLE[:50]}…” on page 1 is " in err
