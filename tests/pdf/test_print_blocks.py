"""Alerts, code blocks, inline code and definition lists in the PDFs of both languages
(``tests/roots/print_blocks/``): typeset with no overflow, their text kept, styled as print.css says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from .conftest import Built, _build
from .pdfcheck import pdf_lines, pdf_pages_text

ROOT = Path(__file__).resolve().parent.parent / "roots" / "print_blocks"
PUNCTUATION = set("、。，．・：；！？」』）〕］｝〉》】")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    base = tmp_path_factory.mktemp("print_blocks")
    root = base / "print_blocks"
    shutil.copytree(ROOT, root)
    return _build(root, base / "out")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_blocks_typeset_without_overflow(built: Built, lang: str) -> None:
    assert built.code == 0, built.log
    assert "wider than the text block" not in built.log
    assert "overflow" not in built.log.lower()
    assert built.pdf(f"blocks-{lang}.pdf").exists()


@pytest.mark.parametrize("lang, wanted", [
    ("en", ["NOTE", "WARNING", "Alerts are set apart", "def typeset(volume: Volume, profile: str = \"screen\") ->",
            "# a long line that must wrap", "return [run(job) for job in make_jobs(volume,",
            "taiyaku build --format pdf --profile print", "Alliance", "Host-nation support",
            "Also called “sympathy budget”"]),
    ("ja", ["注記", "警告", "注記は本文から区別して組む", "def typeset(volume: Volume, profile: str = \"screen\") ->",
            "測版をはみ出さずに折り返すべき長い行", "taiyaku build --format pdf --profile print", "同盟", "接受国支援",
            "「思いやり予算」"]),
])
def test_blocks_keep_their_text(built: Built, lang: str, wanted: list[str]) -> None:
    text = "\n".join(pdf_pages_text(built.pdf(f"blocks-{lang}.pdf")))
    flat = "".join(text.split())
    missing = [item for item in wanted if "".join(item.split()) not in flat]
    assert missing == []
    if lang == "ja":
        lines = [line for line in text.splitlines() if line.strip()]
        assert [line for line in lines if all(char in PUNCTUATION for char in line.strip())] == []


@pytest.mark.parametrize("lang, label, first", [("en", "NOTE", "Alerts"), ("ja", "注記", "注記は")])
def test_alert_text_is_flush_under_its_label(built: Built, lang: str, label: str, first: str) -> None:
    lines = pdf_lines(built.pdf(f"blocks-{lang}.pdf"))
    title = next(line for line in lines if line.text == label)
    body = next(line for line in lines if line.text.startswith(first) and line.y0 > title.y0)
    assert abs(body.x0 - title.x0) < 1, (title, body)
    # Set in from the text block by the rule and its padding.
    assert title.x0 > min(line.x0 for line in lines if line.page == title.page) + 5


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_code_is_monospaced_and_wraps_inside_the_measure(built: Built, lang: str) -> None:
    with pdfplumber.open(built.pdf(f"blocks-{lang}.pdf")) as pdf:
        page = next(p for p in pdf.pages if "def typeset" in (p.extract_text() or ""))
        chars = page.chars
    mono = [c for c in chars if "Mono" in c["fontname"]]
    size = min(c["size"] for c in mono)
    code = [c for c in mono if abs(c["size"] - size) < 0.1]  # the block (inline code is larger)
    assert {c["text"] for c in code} >= set("deftypsvolum")
    if lang == "ja":
        # Japanese in a code comment is in the same monospace, a full width twice a Latin one.
        kana = [c for c in code if c["text"] == "測"]
        latin = [c for c in code if c["text"] == "d"]
        assert kana and latin
        assert kana[0]["width"] == pytest.approx(2 * latin[0]["width"], rel=0.02)
    # The long line wrapped: more lines than the source's two, none past the body text's right edge.
    body_right = max(c["x1"] for c in chars if "Mono" not in c["fontname"])
    assert len({round(c["top"]) for c in code}) > 2
    assert max(c["x1"] for c in code) <= body_right + 1
