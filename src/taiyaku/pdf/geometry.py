"""Page geometry per page size and language: a measure of whole characters for Japanese (JLReq)."""

from __future__ import annotations

from dataclasses import dataclass

from ..lang import is_japanese_language

MM = 72 / 25.4
"""Points per millimetre."""

# width, height (mm); Japanese body size (pt) and characters per line; Latin body size (pt).
SIZES: dict[str, tuple[float, float, float, int, float]] = {
    "A4": (210, 297, 10.0, 40, 10.5),
    "Letter": (215.9, 279.4, 10.0, 40, 10.5),
    "B5": (182, 257, 9.5, 38, 10.0),
    "A5": (148, 210, 9.0, 32, 9.5),
    "6x9": (152.4, 228.6, 9.0, 33, 9.5),
}
CSS_SIZE = {"A4": "A4", "Letter": "letter", "B5": "182mm 257mm", "A5": "A5", "6x9": "6in 9in"}


@dataclass(frozen=True)
class PageGeometry:
    """Values the print stylesheet needs, as CSS lengths."""

    size: str
    height: str
    margin_top: str
    margin_bottom: str
    margin_inner: str
    margin_outer: str
    text_height: str
    font_size: str
    line_height: str
    note_size: str
    first_indent: str
    chars_per_line: int
    serif: str
    note_align: str = "left"
    """Footnotes: ragged in English (short, unhyphenated lines), justified in Japanese."""
    bleed: str = ""
    """``3mm`` in the print profile: how far art (a cover image) runs past the trim."""
    mark_bleed: str = ""
    """The CSS ``bleed`` in the print profile: the bleed and room for the crop marks beyond it (WeasyPrint draws
    its marks inside the CSS bleed; with the bleed alone they sat inside the area the printer keeps). The PDF's
    BleedBox is set back to the bleed when the parts are assembled."""
    serif_latin: str = '"Noto Serif", "DejaVu Serif", serif'
    serif_ja: str = '"Noto Serif CJK JP", serif'
    sans: str = '"Noto Sans", "Noto Sans CJK JP", "DejaVu Sans", sans-serif'
    sans_ja: str = '"Noto Sans CJK JP", sans-serif'


BLEED_MM = 3.0
MARKS_MM = 10.0
"""Room for the crop marks outside the bleed (a press slug: the marks start 5 mm from the bleed's edge)."""
BLEED = f"{BLEED_MM:g}mm"


def page_geometry(page_size: str, lang: str, profile: str = "screen") -> PageGeometry:
    """Geometry for one PDF: the text block's width is a whole number of Japanese characters in both languages."""
    width_mm, height_mm, ja_pt, chars, latin_pt = SIZES[page_size]
    japanese = is_japanese_language(lang)
    measure_pt = ja_pt * chars  # the same text block for both editions: they are bound side by side
    spare_pt = width_mm * MM - measure_pt
    inner, outer = spare_pt * 0.44, spare_pt * 0.56
    top, bottom = height_mm * 0.09 * MM, height_mm * 0.11 * MM
    font_pt = ja_pt if japanese else latin_pt
    return PageGeometry(
        size=CSS_SIZE[page_size], height=f"{height_mm}mm",
        margin_top=f"{top:.3f}pt", margin_bottom=f"{bottom:.3f}pt",
        margin_inner=f"{inner:.3f}pt", margin_outer=f"{outer:.3f}pt",
        text_height=f"{height_mm * MM - top - bottom - 1:.3f}pt",
        font_size=f"{font_pt}pt", line_height="1.75" if japanese else "1.42",
        note_size=f"{font_pt - 1.5}pt", first_indent="1em" if japanese else "0",
        chars_per_line=chars,
        serif='"Noto Serif CJK JP", serif' if japanese else '"Noto Serif", "DejaVu Serif", serif',
        note_align="justify" if japanese else "left",
        bleed=BLEED if profile == "print" else "",
        mark_bleed=f"{BLEED_MM + MARKS_MM:g}mm" if profile == "print" else "",
    )
