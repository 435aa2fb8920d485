"""The print profile's page boxes: the BleedBox exactly the bleed beyond the TrimBox.

The print stylesheet's CSS ``bleed`` is the bleed plus room for the crop marks (``geometry.MARKS_MM``), so that
WeasyPrint draws the marks outside the area the printer keeps; WeasyPrint then puts the BleedBox at most 10 pt
beyond the trim, which is not the 3 mm the printer is told. Set here, for every page, from the TrimBox.
"""

from __future__ import annotations

from pikepdf import Array, Pdf

from .geometry import BLEED_MM, MM


def set_bleed_boxes(pdf: Pdf, bleed_mm: float = BLEED_MM) -> int:
    """Every page with a TrimBox inside a larger MediaBox gets BleedBox = TrimBox + ``bleed_mm``; pages set."""
    bleed = bleed_mm * MM
    count = 0
    for page in pdf.pages:
        trim, media = page.obj.get("/TrimBox"), page.obj.get("/MediaBox")
        if trim is None or media is None:
            continue
        x0, y0, x1, y1 = (float(v) for v in trim)
        m0, n0, m1, n1 = (float(v) for v in media)
        if x0 - m0 < bleed + 0.5:  # no room beyond the bleed: the screen profile, or a PDF made elsewhere
            continue
        page.obj.BleedBox = Array([round(x0 - bleed, 3), round(y0 - bleed, 3), round(x1 + bleed, 3),
                                   round(y1 + bleed, 3)])
        count += 1
    return count
