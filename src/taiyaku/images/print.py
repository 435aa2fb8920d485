"""Print copies: a raster image downsampled to the profile's resolution at its printed size, served to
WeasyPrint in place of the original (:class:`taiyaku.pdf.weasy.VolumeFetcher` asks :meth:`PrintImages.serve`).

The print stylesheet sets a figure's image at the text block's width (``.chapter-body figure img``), any other
image at most that wide, and the cover image over the top of the cover page (``object-fit: cover``). An image
with more pixels than the resolution needs there is scaled down (Lanczos) and saved in its own format (WebP as
PNG, which WeasyPrint embeds without converting); one with fewer is served as it is, never upscaled. Its
printed size does not change: an image shown at 96 px per inch or more keeps filling the same box.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

from .cache import VERSION, ImageCache
from .encode import PNG, PRINT_JPEG, SUFFIX, encode, open_image, resized
from .info import RASTER_SUFFIXES, read_info

log = logging.getLogger(__name__)

PPI = {"screen": 150, "print": 300}
"""Pixels per inch of the print copies, per PDF profile."""
LOW_PPI = 200
"""Below this at its printed size an image is warned about in the print profile."""
CSS_PX_PER_INCH = 96
"""WeasyPrint shows an image's pixel as a CSS pixel (``image-resolution: 1dppx``) unless the stylesheet scales it."""


@dataclass(frozen=True)
class PrintImages:
    """What a typesetting worker needs to serve print copies (picklable: it travels in the job)."""

    cache_folder: str
    ppi: int
    text_width_pt: float
    """The widest an image in the text is printed (the text block)."""
    covers: tuple[tuple[str, float, float], ...] = ()
    """(absolute path, box width, box height in pt) of cover images, which fill their box (``object-fit: cover``)."""
    encoder: str = f"{VERSION} {PRINT_JPEG} {PNG}"
    """The cache's version and the encoders' settings: in the job, so a PDF typeset with other copies is not
    taken from the PDF cache."""

    def target_width(self, path: Path, width: int, height: int) -> int:
        """The most pixels across the image needs at its printed size and ``ppi``."""
        for cover, box_w, box_h in self.covers:
            if cover == str(path):
                scale = max(box_w / width, box_h / height)  # pt per pixel, the box covered
                return math.ceil(width * scale / 72 * self.ppi)
        return math.ceil(self.text_width_pt / 72 * self.ppi)

    def serve(self, path: Path) -> Path | None:
        """The print copy of the image at ``path`` (a file in the cache: WeasyPrint reads an image from the file
        its URL names), or ``None`` to use the file as it is (not a raster image,
        already at or under the resolution, an animated GIF, or a file that cannot be read: the preflight has
        reported it)."""
        if path.suffix.lower() not in RASTER_SUFFIXES:
            return None
        try:
            info = read_info(path)
            if info.animated:
                return None
            width = self.target_width(path, info.width, info.height)
            if info.width <= width:
                return None
            height = max(1, round(info.height * width / info.width))
            kind = "JPEG" if info.format == "JPEG" else "PNG"
            cache = ImageCache(Path(self.cache_folder))
            key = cache.key(path, f"print {kind} {width}x{height}")
            return cache.ensure(key, SUFFIX[kind],
                                lambda: encode(resized(open_image(path), width, height), kind, for_print=True))
        except Exception as exc:  # noqa: BLE001 - the original is still there to print
            log.debug("print copy of %s failed: %s", path, exc)
            return None


def text_block_pt(page_size: str, lang: str, profile: str) -> tuple[float, float]:
    """The text block's width and height in pt (``pdf.geometry``: the same width in every language)."""
    from ..pdf.geometry import SIZES, page_geometry

    _, _, ja_pt, chars, _ = SIZES[page_size]
    return ja_pt * chars, float(page_geometry(page_size, lang, profile).text_height.removesuffix("pt"))


def print_images(page_size: str, lang: str, profile: str, cache_folder: Path,
                 cover: Path | None = None) -> PrintImages:
    """The print copies' settings for one PDF: the profile's resolution, the text block, the cover's box
    (print.css: the page's width and bleed, 46 % of its height)."""
    from ..pdf.geometry import BLEED, MM, SIZES

    width_mm, height_mm = SIZES[page_size][:2]
    bleed_mm = float(BLEED.removesuffix("mm")) if profile == "print" else 0.0
    covers = ((str(cover.resolve()), (width_mm + 2 * bleed_mm) * MM, round(height_mm * 0.46, 1) * MM),) \
        if cover is not None else ()
    return PrintImages(str(Path(cache_folder).resolve()), PPI.get(profile, PPI["screen"]),
                       text_block_pt(page_size, lang, profile)[0], covers)
