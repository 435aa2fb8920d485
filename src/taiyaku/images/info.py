"""What an image file is (format, size as displayed), read from its header, and what is wrong with it."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

RASTER_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
"""Suffixes taken for raster images (anything else an ``<img>`` points to is opened to find out)."""
SITE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
"""Pillow formats every browser shows."""
_ROTATED = {5, 6, 7, 8}
"""EXIF orientations that swap width and height."""


class ImageProblem(Exception):
    """An image that cannot be used: the message says why, for a ``path:line: image: …`` diagnostic."""


@dataclass(frozen=True)
class ImageInfo:
    """An image file's format and size as shown (EXIF orientation applied)."""

    format: str
    """Pillow's name: ``PNG``, ``JPEG``, ``WEBP``, ``GIF``."""
    width: int
    height: int
    animated: bool = False


_memo: dict[tuple[str, int, int], ImageInfo | str] = {}


def is_svg(path: Path) -> bool:
    """An SVG file (passed through as it is)."""
    return path.suffix.lower() == ".svg"


def read_info(path: Path) -> ImageInfo:
    """The image's header, remembered per file version; raises :class:`ImageProblem` for a file that is not an
    image a browser shows, or one larger than Pillow's ``MAX_IMAGE_PIXELS`` (a decompression bomb)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    found = _memo.get(key)
    if found is None:
        try:
            found = _read(path)
        except ImageProblem as exc:
            found = str(exc)
        _memo[key] = found
    if isinstance(found, str):
        raise ImageProblem(found)
    return found


def _read(path: Path) -> ImageInfo:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: both are refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                orientation = image.getexif().get(0x0112, 1) if image.format in ("JPEG", "WEBP", "PNG") else 1
                frames = getattr(image, "n_frames", 1)
                kind = image.format or "unknown"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(f"has more pixels than Pillow's limit ({Image.MAX_IMAGE_PIXELS:,}): "
                           "refused as a possible decompression bomb; scale it down") from None
    except UnidentifiedImageError:
        raise ImageProblem("cannot be read as an image (damaged, or not an image)") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(f"cannot be read as an image: {exc}") from None
    if kind not in SITE_FORMATS:
        raise ImageProblem(f"is a {kind} image, which browsers cannot show: convert it to PNG or JPEG")
    if orientation in _ROTATED:
        width, height = height, width
    return ImageInfo(kind, width, height, animated=frames > 1)
