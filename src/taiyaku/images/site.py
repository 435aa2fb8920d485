"""The site's images: each raster image in a few widths (never upscaled), WebP beside the original format, and
the ``<picture>`` that offers them (``srcset``/``sizes``, ``width``/``height`` from the file, lazy loading below
the first figure). SVG and GIF are passed through as they are (a GIF may be animated)."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..errors import Diagnostics
from ..model import Document, OutputFile
from ..urls import asset_ref
from .cache import ImageCache
from .encode import MIME, SUFFIX, encode, is_drawing, open_image, resized
from .info import RASTER_SUFFIXES, ImageProblem, is_svg, read_info

WIDTHS = (480, 960, 1600)
"""The widths made of an image wider than them; a narrower image also gets its own width (never upscaled)."""
SIZES = "(max-width: 40rem) 100vw, 43rem"
"""How wide the text column shows an image: the whole width on a phone (site.css's 40rem break), else at most
the measure, 38rem of 18 px = 684 px (``sizes`` counts a rem as 16 px: 43rem)."""
FORMATS = {"PNG": ("WEBP", "PNG"), "JPEG": ("WEBP", "JPEG"), "WEBP": ("WEBP",)}
"""The formats made of each source format: WebP, and the original's as the fallback."""


@dataclass(frozen=True)
class Variant:
    """One file made of a source image for the site."""

    rel_path: str
    """Beside the source, relative to the language folder: ``figures/photo-960w.webp``."""
    width: int
    height: int
    format: str
    """``WEBP``, ``PNG`` or ``JPEG``."""

    @property
    def mime(self) -> str:
        """The ``type`` of a ``<source>``."""
        return MIME[self.format]


def widths_for(width: int) -> list[int]:
    """``WIDTHS`` narrower than the image, and its own width when that is not beyond the largest (never upscaled)."""
    return [w for w in WIDTHS if w < width] + ([width] if width <= WIDTHS[-1] else [])


def variants_for(src_path: Path, rel_path: str) -> list[Variant]:
    """The site's files for one image (from its header only; nothing is decoded): empty for SVG and GIF, which
    are used as they are. Raises :class:`ImageProblem` for an image the site cannot use."""
    if is_svg(src_path):
        return []
    info = read_info(src_path)
    if info.format not in FORMATS:
        return []
    stem, _ = posixpath.splitext(rel_path)
    found = []
    for kind in FORMATS[info.format]:
        for width in widths_for(info.width):
            height = max(1, round(info.height * width / info.width))
            found.append(Variant(f"{stem}-{width}w{SUFFIX[kind]}", width, height, kind))
    return found


def settings_of(variant: Variant) -> str:
    """What makes a variant's bytes, for the cache key."""
    return f"site {variant.format} {variant.width}x{variant.height}"


def variant_files(src_path: Path, variants: list[Variant], cache: ImageCache) -> list[tuple[Variant, bytes]]:
    """Every variant's bytes, from the cache or made (the source decoded once, only if one is missing)."""
    decoded = None
    drawing = False
    files = []
    for variant in variants:
        def make(variant: Variant = variant) -> bytes:
            nonlocal decoded, drawing
            if decoded is None:
                decoded = open_image(src_path)
                drawing = is_drawing(decoded, read_info(src_path).format)
            return encode(resized(decoded, variant.width, variant.height), variant.format, drawing=drawing)

        files.append((variant, cache.get(cache.key(src_path, settings_of(variant)), SUFFIX[variant.format], make)))
    return files


def responsive(img: etree.Element, src_path: Path, rel_path: str, ref: Callable[[str], str],
               eager: bool) -> etree.Element:
    """The element that shows ``img`` (its ``src`` already a reference to ``rel_path``): a ``<picture>`` with a
    WebP ``<source>`` and a sized ``<img>`` in the original format, or ``img`` itself, sized, for a GIF or WebP
    source; an SVG file as it is. ``ref`` turns a content-relative path into a reference; ``eager``: the document's
    first image, which may be on the first screen (no lazy loading; later ones, SVG too, load when scrolled to)."""
    if not eager:
        img.set("loading", "lazy")
        img.set("decoding", "async")
    if is_svg(src_path):
        return img  # the file as it is (its size is the drawing's own business)
    try:
        info = read_info(src_path)
        variants = variants_for(src_path, rel_path)
    except ImageProblem:
        return img  # reported by the image check (preflight), with its line
    if not variants:
        img.set("width", str(info.width))
        img.set("height", str(info.height))
        return img
    by_format: dict[str, list[Variant]] = {}
    for variant in variants:
        by_format.setdefault(variant.format, []).append(variant)
    fallback_format = list(by_format)[-1]
    fallback = by_format[fallback_format]
    largest = fallback[-1]
    img.set("src", ref(largest.rel_path))
    img.set("srcset", _candidates(fallback, ref))
    img.set("sizes", SIZES)
    img.set("width", str(largest.width))
    img.set("height", str(largest.height))
    if len(by_format) == 1:
        return img
    picture = etree.Element("picture")
    for kind, group in by_format.items():
        if kind == fallback_format:
            continue
        etree.SubElement(picture, "source", {"type": MIME[kind], "srcset": _candidates(group, ref),
                                             "sizes": SIZES})
    picture.tail, img.tail = img.tail, None
    picture.append(img)
    return picture


def _candidates(variants: list[Variant], ref: Callable[[str], str]) -> str:
    """A ``srcset``: each variant's reference (percent-encoded: a space or comma would split it) and width."""
    return ", ".join(f"{ref(quote(v.rel_path))} {v.width}w" for v in variants)


def site_files(src_path: Path, rel_path: str, cache: ImageCache, linked: bool) -> list[tuple[str, bytes]]:
    """The site's files for one image, relative to its language folder: its variants, and the original only
    when a link points to it (or when it has no variants: SVG, GIF). Raises :class:`ImageProblem`."""
    variants = variants_for(src_path, rel_path)
    files = [(variant.rel_path, data) for variant, data in variant_files(src_path, variants, cache)]
    if linked or not variants:
        files.append((rel_path, src_path.read_bytes()))
    return files


def document_files(doc: Document, cache_folder: Path, diagnostics: Diagnostics) -> list[OutputFile]:
    """Every file of the volume a document's page uses, for the site (``<lang>/<path>``): a raster image as its
    variants (the original too if a link points to it), anything else as it is. An image that cannot be made is
    an error at its line (the file is left out)."""
    from .preflight import CATEGORY, image_line

    cache = ImageCache(cache_folder)
    content = Path(doc.source.src_path).parents[len(Path(doc.source.rel_path).parts) - 1]
    files = []
    for asset in doc.assets:
        src_path = content / asset
        if posixpath.splitext(asset)[1].lower() not in RASTER_SUFFIXES:
            files.append(OutputFile(f"{doc.lang}/{asset}", src_path.read_bytes()))
            continue
        linked = f'href="{asset_ref(doc.lang, asset)}' in doc.html
        try:
            made = site_files(src_path, asset, cache, linked)
        except ImageProblem as exc:
            diagnostics.error(doc.source.volume_path, image_line(doc, asset), CATEGORY, f"{asset} {exc}")
            continue
        except (OSError, ValueError) as exc:  # a mode or variant Pillow cannot convert: still the user's file
            diagnostics.error(doc.source.volume_path, image_line(doc, asset), CATEGORY,
                              f"{asset} cannot be converted for the site ({exc}): save it as 8-bit PNG or JPEG")
            continue
        files.extend(OutputFile(f"{doc.lang}/{rel}", data) for rel, data in made)
    return files
