"""Japanese compression (issue 11, JLReq 3.8): push-in is bounded to about one character on every line, a full
stop keeps its half, and the quarters of middle dots go before the halves of brackets and commas."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pdfplumber
import pytest
import weasyprint

from .conftest import ROOTS
from taiyaku.pdf import weasy
from taiyaku.pdf.prepare import prepare_document
from taiyaku.lang import is_japanese
from taiyaku.pdf.jlreq import COMPRESSED_TOLERANCE, FULL_STOPS, PUNCTUATION, PUSH_IN_LIMIT, UNIT_SIGNS

REPO = Path(__file__).resolve().parents[2]
WORD_JOINER = "\u2060"


def _volume_lines(root: Path, tmp_path: Path) -> list[tuple[float, float, str]]:
    """``(compression, halves, text)`` of every Japanese line of ``root``'s Japanese edition laid out whole
    (CSS px; the compression is what the line's slack left its punctuation short of full width)."""
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf import make_jobs
    from taiyaku.pipeline import BuildOptions, load_strings, load_volume

    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=root), diagnostics)
    jobs = make_jobs(volume, load_strings(volume, diagnostics), tmp_path / "out", diagnostics)
    job = next(job for job in jobs if job.lang == "ja")
    weasy.apply()
    document = weasy.render(job.html, job.base_url, weasy.VolumeFetcher(job.allowed_roots), job.pdf_variant)
    boxes = weasy.box_types()
    lines = []
    for page in document.pages:
        for box in weasy.page_box(page).descendants():
            if isinstance(box, boxes.LineBox) and hasattr(box, "taiyaku_compression"):
                text = "".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox))
                lines.append((box.taiyaku_compression, box.style["font_size"], text))
    return lines


def _copy_sample(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    root.mkdir()
    for name in ("content", "templates", "locales", "images"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "volume.toml", root / "volume.toml")
    return root


@pytest.mark.parametrize("volume", ["sample", "japanese", "typesetter"])
def test_no_line_is_compressed_beyond_one_em(volume: str, tmp_path: Path) -> None:
    """Push-in takes in about the one character push-out would move down: no line's punctuation is short of
    full width by more than 1 em (plus the rounding a line counts as full width). The sample volume had one
    line at 1.39 em: the paragraph's last, "…計上されている⁴。", whose call and 。 are boxes after the text."""
    if volume == "sample":
        root = _copy_sample(tmp_path)
    else:
        root = tmp_path / volume
        shutil.copytree(ROOTS / volume, root)
    lines = _volume_lines(root, tmp_path)
    compressed = [(compression, em, text) for compression, em, text in lines if compression > COMPRESSED_TOLERANCE]
    assert compressed, "the volume has compressed lines at all"
    over = [f"{compression / em:.2f} em: {text}" for compression, em, text in lines
            if compression > PUSH_IN_LIMIT * em + COMPRESSED_TOLERANCE]
    assert over == []


def _lines(html_body: str, width_em: int = 10) -> list[tuple[str, float]]:
    """(text, compression in em) of each line of a justified Japanese paragraph ``width_em`` ems wide."""
    weasy.apply()
    html = (f'<html lang="ja"><style>@page {{ size: A4; margin: 10mm }} p {{ font: 16px "Noto Serif CJK JP"; '
            f"margin: 0; width: {width_em}em; text-align: justify }} .note {{ float: footnote }}</style>"
            f"<body><p>{html_body}</p></body></html>")
    document = weasyprint.HTML(string=html).render()
    boxes = weasy.box_types()
    lines = []
    for box in weasy.page_box(document.pages[0]).descendants():
        if isinstance(box, boxes.LineBox) and box.element_tag == "p":
            text = "".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox))
            lines.append((text, getattr(box, "taiyaku_compression", 0.0) / 16))
    return lines


@pytest.mark.parametrize("end", ["さ、し、す、せそたち", "さ、し、すせそたちつ"])
def test_push_in_is_bounded_when_a_call_and_its_full_stop_end_the_line(end: str) -> None:
    # The last line's text box fits at full width, but the footnote call and the 。 after it (tied to the
    # text by a word joiner) are boxes of their own: the line held them only by compressing its commas and
    # full stop by 1.3 em. It is made again, narrower, and the last characters go down with the call: two of
    # them, since a paragraph's last line holds at least two characters besides its punctuation and calls.
    lines = _lines(f'あいうえおかきくけこ{end}{WORD_JOINER}<span class="note">注</span>。')
    assert max(compression for _, compression in lines) <= PUSH_IN_LIMIT + COMPRESSED_TOLERANCE / 16, lines
    assert len(lines) == 3 and lines[-1][0].startswith(end[-2:]), lines


def _advances(html_body: str, width_em: int = 10) -> list[list[tuple[str, float]]]:
    """Per line of a justified Japanese paragraph (prepared as the print document is: ¼ em spaces, halt
    pairs), each character and the distance (em) from its origin to the next character's, measured in the
    PDF with pdfplumber."""
    weasy.apply()
    html = (f'<html lang="ja"><style>@page {{ size: A4; margin: 10mm }} p {{ font: 16px "Noto Serif CJK JP"; '
            f'margin: 0; width: {width_em}em; text-align: justify }} .halt {{ font-feature-settings: "halt" }}'
            f"</style><body><p>{html_body}</p></body></html>")
    prepared, _ = prepare_document(html)
    with pdfplumber.open(io.BytesIO(weasyprint.HTML(string=prepared).render().write_pdf())) as pdf:
        chars = pdf.pages[0].chars
    lines: list[list[tuple[str, float]]] = [[]]
    for char, following in zip(chars, chars[1:]):
        if abs(char["top"] - following["top"]) > 1:
            lines.append([])
            continue
        lines[-1].append((char["text"], (following["x0"] - char["x0"]) / char["size"]))
    return lines


def test_middle_dots_are_compressed_before_commas() -> None:
    # 11 characters on a 10 em line: at full width 11 em, with the two middle dots and the comma in half
    # width 9.5 em. Of the 1 em compression, JLReq takes the dots' quarters first (1 em): the comma keeps
    # its full em. (Shrinking all three by the same ratio gave each two thirds of its room.)
    first = _advances("あ・い・う、えおかきくけこさしすせそたちつてと")[0]
    assert "".join(char for char, _ in first) == "あ・い・う、えおかき"  # and く, the line's last
    advances = dict((char, advance) for char, advance in first if char in "、・")
    assert advances["、"] == pytest.approx(1.0, abs=0.01)
    # あ・い: 1.5 em, the dot in half width (its quarters gone on both sides).
    assert first[0][1] + first[1][1] == pytest.approx(1.5, abs=0.01)
    assert first[2][1] + first[3][1] == pytest.approx(1.5, abs=0.01)


def test_space_between_japanese_and_western_text_shrinks_first() -> None:
    # "あいう、えお A、かきく" holds on a 10 em line only compressed by about 1 em. JLReq's first stage: the
    # ¼ em space before A shrinks to ⅛ em, and only the rest is taken from the two commas.
    first = _advances("あいう、えおA、かきくけこさしすせそたちつてと")[0]
    assert "".join(char for char, _ in first).replace(" ", "") == "あいう、えおA、かき"  # and く
    space = next(advance for char, advance in first if char == " ")
    assert space == pytest.approx(0.125, abs=0.01)
    commas = [advance for char, advance in first if char == "、"]
    assert all(0.5 < advance < 0.6 for advance in commas), commas


def test_full_stop_keeps_its_half(build_pdf) -> None:
    """JLReq's table of positions where a line may be shortened never reduces the half after a full stop:
    measured in the fixtures' PDFs, a 。 followed on its line by a kana or kanji is a full em wide."""
    narrow = []
    count = 0
    for fixture, name in (("japanese", "sample-ja.pdf"), ("typesetter", "typesetter-ja.pdf"),
                          ("dense_notes", "dense-ja.pdf")):
        with pdfplumber.open(build_pdf(fixture).pdf(name)) as pdf:
            for page in pdf.pages:
                chars = page.chars
                for char, following in zip(chars, chars[1:]):
                    if (char["text"] in FULL_STOPS and abs(char["top"] - following["top"]) < 1
                            and is_japanese(following["text"])
                            and following["text"] not in PUNCTUATION | UNIT_SIGNS | {"\u3000"}):
                        count += 1
                        advance = (following["x0"] - char["x0"]) / char["size"]
                        if advance < 0.99:
                            narrow.append(f"{name} page {page.page_number}: 。{following['text']} {advance:.2f} em")
    assert count >= 10, "the fixtures have full stops inside lines"
    assert narrow == []
