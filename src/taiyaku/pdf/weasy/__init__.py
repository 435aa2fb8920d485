"""The WeasyPrint adapter: the only code of taiyaku that imports WeasyPrint or reaches into its internals.

Everything the print stage asks of WeasyPrint goes through here: rendering and writing (:func:`render`,
:func:`write_pdf`), the fetcher that reads only the volume and the theme (:class:`VolumeFetcher`), page labels,
and access to laid-out boxes (:func:`page_box`, :func:`box_types`, :func:`is_blank`). Fixes and hooks into
WeasyPrint's layout are :class:`~.fix.Fix` objects (:mod:`.footnotes`, :mod:`.lines`, :mod:`.japanese`),
each probed and switched on separately: an upgrade that repairs one bug or renames one function switches off
that fix only. :func:`unpatched` lays out as bare WeasyPrint does (benchmarks, bug-reproduction tests).

Imported only by the typesetting worker (and tests): the parent process never loads WeasyPrint.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import unquote, urlsplit

from .libraries import found_in_linker_cache

with found_in_linker_cache():  # WeasyPrint finds its C libraries as it is imported (0.12 s saved: .libraries)
    import pydyf
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

from .fix import Fix  # noqa: E402 - after WeasyPrint, which the fixes reach into

if TYPE_CHECKING:
    from ...images.print import PrintImages

log = logging.getLogger(__name__)

LOGGER_NAME = "weasyprint"


def fixes() -> list[Fix]:
    """Every fix, in installation order."""
    from .footnotes import FOOTNOTES
    from .hyphenation import HYPHENATION
    from .japanese import JAPANESE_LINES
    from .leaders import LEADERS
    from .lines import FIRST_WORD_HYPHEN
    from .pagestyles import PAGE_STYLES
    from .stylesheets import STYLESHEET_CACHE

    return [FOOTNOTES, FIRST_WORD_HYPHEN, JAPANESE_LINES, HYPHENATION, STYLESHEET_CACHE, PAGE_STYLES,
            LEADERS]


def apply() -> dict[str, bool]:
    """Switch on every fix whose probe holds (idempotent); returns name → active."""
    state = {}
    for fix in fixes():
        if not fix.active and fix.applies():
            fix.switch_on()
        state[fix.name] = fix.active
    return state


def take_hyphenation_counts() -> dict[str, int]:
    """Hyphenation breaks refused by rule, and those taken as a last resort, since the last call (then reset)."""
    from .hyphenation import take_counts

    return take_counts()


@contextmanager
def unpatched() -> Iterator[None]:
    """Lay out as bare WeasyPrint does inside the block; fixes that were on are switched on again after."""
    active = [fix for fix in fixes() if fix.active]
    for fix in reversed(active):
        fix.switch_off()
    try:
        yield
    finally:
        for fix in active:
            fix.switch_on()


# --- rendering and writing -----------------------------------------------------------------------------------


class VolumeFetcher(URLFetcher):
    """Fetch ``data:`` URLs and files under the allowed folders; refuse everything else (no network)."""

    def __init__(self, allowed_roots: tuple[str, ...], images: PrintImages | None = None) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=5)
        self.allowed = [Path(root) for root in allowed_roots]
        self.refused: list[str] = []
        self.images = images
        """Print copies of raster images (downsampled to the profile's resolution) served instead of the files."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource, or raise ``ValueError`` (WeasyPrint then leaves it out) and remember why."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.allowed):
                if not path.is_file():
                    self.refused.append(f"{url}: no such file")
                    raise ValueError(f"no such file: {path}")
                copy = self.images.serve(path) if self.images is not None else None
                if copy is not None:  # answered with the copy's own URL: WeasyPrint reads the file it names
                    return URLFetcherResponse(copy.as_uri(), copy.read_bytes())
                return URLFetcherResponse(url, path.read_bytes())
        self.refused.append(url)
        raise ValueError(f"taiyaku reads only the volume and the theme, not {url}")


def render(html: str, base_url: str | None = None, fetcher: URLFetcher | None = None,
           pdf_variant: str | None = None, pdf_tags: bool = True) -> Any:
    """Lay ``html`` out: a ``weasyprint.Document``.

    A document that declares no font of its own (no ``@font-face``, no imported or linked stylesheet that could) shares the
    worker's font configuration with the documents before it: WeasyPrint 70 makes a new one per document by
    default, and with it Pango's font map, whose fonts, metrics and shaping caches then start cold for every
    part of a volume (about 10 % of an English paper's layout and write). The fonts found are the same.
    """
    kwargs: dict[str, Any] = {"string": html, "base_url": base_url}
    if fetcher is not None:
        kwargs["url_fetcher"] = fetcher
    options: dict[str, Any] = {"pdf_variant": pdf_variant, "pdf_tags": pdf_tags}
    lowered = html.lower()
    if "@font-face" not in lowered and "@import" not in lowered and "<link" not in lowered:
        options["font_config"] = _shared_fonts()
    return weasyprint.HTML(**kwargs).render(**options)


WARM_UP = """<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
@page {{ size: A5; margin: 20mm; @bottom-center {{ content: counter(page); font-family: {sans} }} }}
html {{ font-family: {serif_latin}; hyphens: auto; text-align: justify }}
[lang|="ja"] {{ font-family: {serif_ja}; hyphens: none }}
h1, .sans {{ font-family: {sans} }} .sans[lang|="ja"] {{ font-family: {sans_ja} }}
</style></head><body><h1>Warming up</h1><p>A paragraph of <em>justified</em>, <strong>hyphenated</strong> text long
enough to be broken into several lines, so that the fonts, the shaper and the hyphenation dictionary are
ready.</p><p class="sans">Sans</p><p lang="ja">日本語の段落、<strong>太字</strong>。</p><p class="sans" lang="ja">ゴシック</p>
</body></html>"""
"""A small document in the default theme's faces (:class:`..geometry.PageGeometry`), both languages."""


def warm_up() -> None:
    """Lay out and write :data:`WARM_UP` with taiyaku's fixes on: a worker's first part was 0.1 s slower than
    the same part again (Pango opening the faces and shaping for the first time, the English hyphenation
    dictionary loaded). Done while the build reads and plans, or before a worker started later takes a job;
    a volume in other faces gains less, loses nothing."""
    from dataclasses import fields

    from ..geometry import PageGeometry
    from .deferfonts import deferring

    faces = {field.name: field.default for field in fields(PageGeometry)
             if field.name in ("serif_latin", "serif_ja", "sans", "sans_ja")}
    off = [fix for fix in fixes() if not fix.active]
    apply()
    try:
        document = render(WARM_UP.format(**faces))
        with deferring():
            document.write_pdf()
    finally:
        for fix in off:  # as they were: a job switches on what it asks for (typography), no more
            fix.switch_off()


_fonts: Any = None


def _shared_fonts() -> Any:
    """The worker's font configuration for documents without fonts of their own."""
    global _fonts
    if _fonts is None:
        from weasyprint.text.fonts import FontConfiguration

        _fonts = FontConfiguration()
    return _fonts


def write_pdf(document: Any, pdf_variant: str | None, labels: list[tuple[int, dict[str, Any]]],
              rights_xmp: bytes = b"", *, part: bool = False) -> bytes:
    """The PDF of a laid-out document, tagged, with a content-hash identifier and these page labels.

    ``labels``: (first page index, ``{"S": "/D"|"/r", "St": n, "P": prefix}``) ranges, as in the PDF's
    ``/PageLabels`` number tree. ``rights_xmp`` goes inside the ``rdf:RDF`` of the XMP packet WeasyPrint writes
    (readers look in the first one only). A ``part`` of a volume, which only the assembly reads, is written with
    placeholders for its installed fonts (:mod:`.deferfonts`: the assembly subsets each font once per output).
    """
    from ..metadata import add_to_xmp

    def finish(_document: Any, pdf: pydyf.PDF) -> None:
        nums: list[Any] = []
        for start, label in labels:
            entries = {key: pydyf.String(value) if key == "P" else value for key, value in label.items()}
            nums += [start, pydyf.Dictionary(entries)]
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(nums)})
        if rights_xmp:
            for obj in pdf.objects:
                if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
                    obj.stream = [add_to_xmp(b"".join(obj.stream), rights_xmp)]

    if not part:
        return document.write_pdf(pdf_variant=pdf_variant, pdf_tags=True, pdf_identifier=True, finisher=finish)
    from .deferfonts import deferring

    with deferring():
        return document.write_pdf(pdf_variant=pdf_variant, pdf_tags=True, pdf_identifier=True, finisher=finish)


def copy_document(document: Any, pages: list[Any], title: str, authors: list[str]) -> Any:
    """A document of some of ``document``'s pages, with its own title and authors."""
    import copy

    paper = document.copy(pages)
    paper.metadata = copy.copy(document.metadata)
    paper.metadata.title = title
    paper.metadata.authors = authors
    return paper


# --- laid-out boxes ----------------------------------------------------------------------------------------------


def box_types() -> Any:
    """WeasyPrint's box classes (``LineBox``, ``TextBox``…), for code that walks the laid-out pages."""
    from weasyprint.formatting_structure import boxes

    return boxes


def page_box(page: Any) -> Any:
    """The root box of a laid-out page."""
    return page._page_box


def is_blank(page: Any) -> bool:
    """Whether WeasyPrint inserted the page as blank (a ``break-before: right`` left it empty)."""
    return bool(page._page_box.page_type.blank)


def page_lefts(document: Any) -> list[float]:
    """Each page's left margin in PDF points (where its content starts: the side of the page decides it)."""
    return [round(page._page_box.margin_left * 0.75, 3) for page in document.pages]


def page_parts(page: Any) -> tuple[Any, Any]:
    """The page's body (root box) and its footnote area (or None)."""
    boxes = box_types()
    children = page._page_box.children
    area = next((child for child in children if isinstance(child, boxes.FootnoteAreaBox)), None)
    return children[0], area
