"""Image checks before anything is written: every image a document shows must be one the site and the PDFs can
use (an error otherwise), and in the PDFs it should have enough pixels and fit the page (warnings), each named
with its file and line."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import Diagnostics
from ..model import Document
from ..urls import asset_ref
from .info import ImageInfo, ImageProblem, is_svg, read_info
from .print import CSS_PX_PER_INCH, LOW_PPI, PPI, PrintImages

CATEGORY = "image"
MM_PER_PT = 25.4 / 72


def shown_images(doc: Document) -> list[str]:
    """The document's files shown as images: named in an image's Markdown (``![…](…name…)``), or an ``<img>``
    the site left as it was; a file only linked to is not printed."""
    return [asset for asset in doc.assets
            if re.search(r"!\[[^\]]*\]\(<?[^)\n]*" + re.escape(posixpath.basename(asset)), doc.body)
            or f'src="{asset_ref(doc.lang, asset)}"' in doc.html]


def image_line(doc: Document, asset: str) -> int | None:
    """The file line of the first Markdown line naming the image (by its file name)."""
    name = posixpath.basename(asset)
    at = doc.body.find(name)
    return doc.body_start_line + doc.body.count("\n", 0, at) if at >= 0 else None


def _standalone(doc: Document, asset: str) -> bool:
    """An image alone at the start of its line becomes a figure (``markup._make_figures``), printed full width."""
    name = posixpath.basename(asset)
    return any(line.lstrip().startswith("![") and name in line for line in doc.body.splitlines())


def check_images(documents: Iterable[Document], diagnostics: Diagnostics) -> dict[tuple[str, str], ImageInfo]:
    """An error for each image that cannot be used (unreadable, a format browsers do not show, a decompression
    bomb); the good rasters' headers by (language, asset)."""
    found: dict[tuple[str, str], ImageInfo] = {}
    for doc in documents:
        for asset in shown_images(doc):
            path = _content_dir(doc) / asset
            if is_svg(path):
                continue
            try:
                found[(doc.lang, asset)] = read_info(path)
            except ImageProblem as exc:
                diagnostics.error(doc.source.volume_path, image_line(doc, asset), CATEGORY,
                                  f"{asset} {exc}")
            except OSError as exc:
                diagnostics.error(doc.source.volume_path, image_line(doc, asset), CATEGORY,
                                  f"{asset} cannot be read: {exc.strerror or exc}")
    return found


def _content_dir(doc: Document) -> Path:
    """``content/<lang>/`` of a document (its source path minus its content-relative path)."""
    src = Path(doc.source.src_path)
    return src.parents[len(Path(doc.source.rel_path).parts) - 1]


def check_print(documents: Iterable[Document], profile: str, text_width_pt: float, text_height_pt: float,
                diagnostics: Diagnostics) -> None:
    """Every image check, and for the PDFs: under ``LOW_PPI`` at its printed size (print profile), or printed
    taller than the text block (any profile)."""
    documents = list(documents)
    infos = check_images(documents, diagnostics)
    for doc in documents:
        for asset in shown_images(doc):
            info = infos.get((doc.lang, asset))
            if info is None:
                continue
            natural_pt = info.width / CSS_PX_PER_INCH * 72
            width_pt = text_width_pt if _standalone(doc, asset) else min(natural_pt, text_width_pt)
            ppi = info.width / (width_pt / 72)
            height_pt = width_pt * info.height / info.width
            where = doc.source.volume_path, image_line(doc, asset), CATEGORY
            if profile == "print" and ppi < LOW_PPI:
                wanted = round(width_pt / 72 * PPI["print"])
                diagnostics.warning(*where, f"{asset} prints at {ppi:.0f} ppi ({info.width} px across "
                                    f"{width_pt * MM_PER_PT:.0f} mm): under {LOW_PPI} ppi it prints soft; "
                                    f"an image {wanted} px wide prints at {PPI['print']} ppi")
            if height_pt > text_height_pt + 0.5:
                diagnostics.warning(*where, f"{asset} prints {height_pt * MM_PER_PT:.0f} mm tall, taller than "
                                    f"the page's text block ({text_height_pt * MM_PER_PT:.0f} mm): it runs off "
                                    "the page; crop it or make it wider")


def check_cover(root: Path, cover: str, images: PrintImages, profile: str,
                diagnostics: Diagnostics) -> None:
    """The cover image: unusable (an error), or under ``LOW_PPI`` over its box in the print profile (a warning),
    at its line of ``volume.toml``."""
    path = root / cover
    where = "volume.toml", _toml_line(root / "volume.toml", cover), CATEGORY
    try:
        info = read_info(path)
    except ImageProblem as exc:
        diagnostics.error(*where, f"cover: {cover} {exc}")
        return
    except OSError as exc:
        diagnostics.error(*where, f"cover: {cover} cannot be read: {exc.strerror or exc}")
        return
    needed = images.target_width(path.resolve(), info.width, info.height)
    ppi = info.width / needed * images.ppi
    if profile == "print" and ppi < LOW_PPI:
        across = needed / images.ppi * 25.4
        diagnostics.warning(*where, f"cover: {cover} prints at {ppi:.0f} ppi ({info.width} px across {across:.0f} mm "
                            f"of the cover): under {LOW_PPI} ppi it prints soft; an image {needed} px wide prints "
                            f"at {images.ppi} ppi")


def _toml_line(path: Path, value: str) -> int | None:
    """The first line of ``volume.toml`` that sets a key to ``value``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if "=" in line and value in line.partition("=")[2]), None)
