"""Images, with Pillow: responsive variants for the site, copies downsampled to the print resolution for the
PDFs, and the checks that go with them (unreadable files, formats a browser cannot show, decompression bombs,
too few pixels for print, taller than the page). Everything made is cached by content (:mod:`.cache`).

The anchors are Hugo's image processing and Eleventy Image: a few widths, never upscaled, WebP beside the
original format, fixed encoder settings so that the same source gives the same bytes on every build.

For another output (an EPUB): :func:`variants_for` lists an image's files from its header alone, and
:func:`~.site.variant_files` makes them through an :class:`~.cache.ImageCache`.
"""

from __future__ import annotations

from .cache import ImageCache
from .info import ImageInfo, ImageProblem, read_info
from .site import Variant, variant_files, variants_for

__all__ = ["ImageCache", "ImageInfo", "ImageProblem", "Variant", "read_info", "variant_files", "variants_for"]
