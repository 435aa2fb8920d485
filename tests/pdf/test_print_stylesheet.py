"""English lines and offprint covers through a book designer's eyes (issue 11), measured from the PDFs:
inline code keeps its spaces in justified text, the volume's title on an offprint cover keeps its case, and
the rules of hyphenation hold from a document's first hyphenated word."""

from __future__ import annotations

import io

import pdfplumber
import weasyprint

from .pdfcheck import pdf_pages_text
from taiyaku.pdf import weasy

HYPHEN = "\u2010"


def _render(body: str, css: str) -> bytes:
    weasy.apply()
    html = (f'<html lang="en"><style>@page {{ size: A4; margin: 10mm }} p {{ font: 16px "Noto Serif"; margin: 0 }} '
            f"{css}</style><body>{body}</body></html>")
    return weasyprint.HTML(string=html).render().write_pdf()


def test_inline_code_does_not_stretch_in_a_justified_line() -> None:
    # The first line is justified (not the paragraph's last): its word spaces stretch, the space inside the
    # code keeps the monospace advance of every other character of the code.
    body = ("<p>Call <code>make_jobs(x, profile=y)</code> on a volume and its strings to get the jobs that the "
            "workers run for every language.</p>")
    css = ('p { width: 20em; text-align: justify } '
           'code { font-family: "Noto Sans Mono CJK JP"; font-size: 0.9em }')
    with pdfplumber.open(io.BytesIO(_render(body, css))) as pdf:
        chars = pdf.pages[0].chars
    code = [char for char in chars if "Mono" in char["fontname"]]
    assert "".join(char["text"] for char in code) == "make_jobs(x, profile=y)"
    advances = [round(b["x0"] - a["x0"], 2) for a, b in zip(code, code[1:])]
    assert max(advances) - min(advances) < 0.05, advances
    # The line is stretched at all: its word spaces are wider than a space of the same font set ragged.
    words = [char for char in chars if "Mono" not in char["fontname"] and abs(char["top"] - code[0]["top"]) < 3]
    after = next(char for char in words if char["x0"] > code[-1]["x0"] and char["text"].strip())  # "o" of "on"
    assert after["x0"] - code[-1]["x1"] > 0.35 * 16


def test_offprint_label_keeps_the_titles_case(build_pdf) -> None:
    built = build_pdf("a_offprint")
    assert built.code == 0, built.log
    english = pdf_pages_text(built.pdf("offprint-en/paper.pdf"))[0]
    japanese = pdf_pages_text(built.pdf("offprint-ja/paper.pdf"))[0]
    assert "OFFPRINT FROM Alliance Studies in Print" in english  # the label in capitals, the title as written
    assert "『Alliance Studies" in japanese and "抜刷" in japanese
    assert "ALLIANCE" not in japanese


def test_first_hyphenated_word_of_a_document_follows_the_rules() -> None:
    # The document's first hyphenation is in a name: WeasyPrint made that word's Pyphen dictionary itself
    # and used it unwrapped, so "Massa-/chusetts" was split although names never are.
    body = "<p>The delegation from Massachusetts arrived in the morning and the discussion continued.</p>"
    css = "p { width: 9em; text-align: justify; hyphens: auto; hyphenate-limit-chars: 6 3 3 }"
    lines = pdf_lines_text(_render(body, css))
    assert not any(line.endswith(HYPHEN) and "Massa" in line for line in lines), lines
    assert any("Massachusetts" in line for line in lines), lines


def pdf_lines_text(data: bytes) -> list[str]:
    """The lines of the first page, as pdfplumber groups them."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [line.rstrip() for line in (pdf.pages[0].extract_text() or "").splitlines()]


def test_inline_code_does_not_stretch_in_a_justified_japanese_line() -> None:
    """In a Japanese line the line adjustment opens gaps between characters and at spaces, but none inside
    inline code: its characters keep the monospace advance."""
    weasy.apply()
    html = ('<html lang="ja"><style>@page { size: A4; margin: 10mm } p { font: 16px "Noto Serif CJK JP"; margin: 0; '
            'width: 20em; text-align: justify } code { font-family: "Noto Sans Mono CJK JP"; font-size: 0.9em }'
            "</style><body><p>コマンド<code>taiyaku build --format pdf</code>が言語ごとに組版し、設定は"
            "<code>volume.toml</code>に書く。もう一行になるように文を続けておく。</p></body></html>")
    with pdfplumber.open(io.BytesIO(weasyprint.HTML(string=html).render().write_pdf())) as pdf:
        chars = pdf.pages[0].chars
    code = [char for char in chars if "Mono" in char["fontname"]]
    first = [char for char in code if abs(char["top"] - code[0]["top"]) < 3]
    assert "".join(char["text"] for char in first).startswith("taiyaku build")
    advances = [round(b["x0"] - a["x0"], 2) for a, b in zip(first, first[1:]) if abs(b["top"] - a["top"]) < 3]
    assert max(advances) - min(advances) < 0.05, advances
