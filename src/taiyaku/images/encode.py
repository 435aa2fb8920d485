"""Pillow, opened and saved one way: orientation applied, metadata dropped (the colour profile kept), fixed
encoder settings, so the same source gives the same bytes on every build and machine with the same Pillow."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

from .info import ImageProblem

WEBP = {"quality": 80, "method": 4}
WEBP_LOSSLESS = {"lossless": True, "quality": 80, "method": 4}
"""For drawings (a PNG of few colours: charts, diagrams, screenshots), whose edges lossy WebP would blur."""
JPEG = {"quality": 82, "optimize": True, "progressive": True}
PRINT_JPEG = {"quality": 90, "optimize": True}
"""Print copies are read once, by WeasyPrint, which embeds a JPEG's bytes as they are: a higher quality."""
PNG = {"optimize": True}
SUFFIX = {"WEBP": ".webp", "JPEG": ".jpg", "PNG": ".png"}
MIME = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}


def open_image(path: Path) -> Any:
    """The whole image, decoded and turned upright (EXIF orientation); :class:`ImageProblem` if it cannot be."""
    from PIL import Image, ImageFile, ImageOps

    # WeasyPrint, once imported in a process, tells Pillow to load truncated images as if whole (its
    # images.py sets LOAD_TRUNCATED_IMAGES): a cut-short file must still be refused here, whoever imported what.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                icc = image.info.get("icc_profile")
                upright = ImageOps.exif_transpose(image)
                upright.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(f"has more pixels than Pillow's limit ({Image.MAX_IMAGE_PIXELS:,}): "
                           "refused as a possible decompression bomb; scale it down") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(f"cannot be read as an image: {exc}") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    if upright.mode.startswith("I"):  # 16-bit grey: scaled to 8 bits (convert() alone would clip it)
        upright = upright.convert("I").point(lambda value: value / 256).convert("L")
    upright.info = {"icc_profile": icc} if icc else {}
    return upright


def resized(image: Any, width: int, height: int) -> Any:
    """``image`` at ``width`` × ``height`` (Lanczos), in a mode every encoder takes."""
    from PIL import Image

    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = image.mode in ("P", "PA") and "transparency" in image.info or image.mode.endswith("A")
        image = image.convert("RGBA" if has_alpha else "RGB")
    if (width, height) == image.size:
        return image.copy()
    return image.resize((width, height), Image.Resampling.LANCZOS)


def is_drawing(image: Any, kind: str) -> bool:
    """A PNG of a palette or at most 256 colours: a chart, a diagram, a screenshot rather than a photo."""
    return kind == "PNG" and (image.mode in ("P", "PA", "1") or image.getcolors(256) is not None)


def encode(image: Any, kind: str, for_print: bool = False, drawing: bool = False) -> bytes:
    """``image`` saved as ``kind`` (``WEBP``, ``JPEG``, ``PNG``) with taiyaku's fixed settings, no metadata but
    the colour profile; a ``drawing`` in lossless WebP."""
    options: dict[str, Any] = dict((WEBP_LOSSLESS if drawing else WEBP) if kind == "WEBP" else PNG if kind == "PNG"
                                   else PRINT_JPEG if for_print else JPEG)
    icc = image.info.get("icc_profile")
    if icc:
        options["icc_profile"] = icc
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")  # JPEG has no alpha (a transparent JPEG source does not exist)
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()
