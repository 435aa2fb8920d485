"""Images, with Pillow: responsive variants for the site, copies downsampled to the print resolution for the
PDFs, and the checks that go with them (unreadable files, formats a browser cannot show, decompression bombs,
too few pixels for print, taller than the page). Everything made is cached by content (:mod:`.cache`).

The anchors are Hugo's image processing and Eleventy Image: a few widths, never upscaled, WebP beside the
original format, fixed encoder settings so that the same source gives the same bytes on every build.
"""

from __future__ import annotations

from .info import ImageInfo, ImageProblem, read_info
from .site import Variant, variants_for

__all__ = ["ImageInfo", "ImageProblem", "Variant", "read_info", "variants_for"]
