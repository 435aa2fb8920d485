"""The typesetting worker: WeasyPrint with a fetcher that reads only the volume and the theme.

Runs in its own process (see :func:`taiyaku.pdf.run_jobs`); it returns what happened instead of logging,
so the parent reports every warning in order. Per job: lay the volume out once, verify the pages
(:mod:`.verify`), write the volume with page labels, then each offprint from the same pages.
"""

from __future__ import annotations

import copy
import logging
import re
import resource
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..errors import Diagnostic
from . import PAGES_MARK, TypesetJob, TypesetResult
from . import patches
from .jlreq import japanese_language
from .verify import attach_blocks, check_footnotes, japanese_lines, locate, overflows

SUBSET_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"
NOTDEF = re.compile(r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.*)" \(U\+([0-9A-F]+)\)')


class VolumeFetcher(URLFetcher):
    """Fetch ``data:`` URLs and files under the allowed folders; refuse everything else (no network)."""

    def __init__(self, allowed_roots: tuple[str, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=5)
        self.allowed = [Path(root) for root in allowed_roots]
        self.refused: list[str] = []

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
                return URLFetcherResponse(url, path.read_bytes())
        self.refused.append(url)
        raise ValueError(f"taiyaku reads only the volume and the theme, not {url}")


class _Collector(logging.Handler):
    """Keeps WeasyPrint's warnings for the parent process to report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _Problems:
    """Problems of one job, located in the sources when possible."""

    def __init__(self, job: TypesetJob, result: TypesetResult) -> None:
        self.job = job
        self.result = result
        self._sources: list[tuple[str, str, int]] | None = None

    def sources(self) -> list[tuple[str, str, int]]:
        if self._sources is None:
            self._sources = []
            for ref in self.job.sources:
                try:
                    self._sources.append((ref.path, Path(ref.src_path).read_text(encoding="utf-8"), ref.first_line))
                except OSError:
                    pass
        return self._sources

    def add(self, severity: str, message: str, text: str = "") -> None:
        """Record a problem, at the source line where ``text`` is when it can be found."""
        path, line = locate(text, self.sources()) if text else (None, None)
        self.result.problems.append(Diagnostic(path or f"pdf/{self.job.label}", line, "pdf", message, severity))
        shown = f"{path}:{line}: {message}" if path else message
        if severity == "error":
            # A failed job must say so: the first error is always in ``error``.
            if not self.result.error or not self.job.structured_problems:
                self.result.error = f"{self.result.error}; {shown}" if self.result.error else shown
        elif not self.job.structured_problems:
            self.result.warnings.append(shown)


def typeset(job: TypesetJob) -> TypesetResult:
    """Lay out and write one language's PDFs; never raises for a user's problem, reports it in the result."""
    result = TypesetResult(job.lang, job.label)
    problems = _Problems(job, result)
    collector = _Collector()
    wp_logger = logging.getLogger("weasyprint")
    wp_logger.addHandler(collector)
    wp_logger.propagate = False
    level = wp_logger.level
    wp_logger.setLevel(logging.WARNING)  # the command line quiets WeasyPrint when a job runs in its process
    fetcher = VolumeFetcher(job.allowed_roots)
    try:
        if job.typography and not patches.apply():
            result.warnings.append(f"WeasyPrint {weasyprint.__version__} is not {patches.WEASYPRINT_VERSION}: "
                                   "typesetting without taiyaku's layout fixes and Japanese line adjustment")
        started, cpu = time.perf_counter(), time.process_time()
        document = weasyprint.HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher).render(
            pdf_variant=job.pdf_variant, pdf_tags=True)
        if job.typography:
            _verify(document, job, result, problems)
        result.layout_seconds = time.perf_counter() - started
        result.layout_cpu_seconds = time.process_time() - cpu
        result.pages = len(document.pages)
        if result.error:
            return result
        started = time.perf_counter()
        body_start = _page_of(document, job.chapters[0]) if job.chapters else None
        data = document.write_pdf(pdf_variant=job.pdf_variant, pdf_tags=True, pdf_identifier=True,
                                  finisher=_page_labels(body_start))
        _glyphs(collector, problems)
        if result.error:
            return result
        target = Path(job.target)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        result.size_bytes = len(data)
        result.write_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for offprint in job.offprints:
            _offprint(document, job, offprint, body_start, fetcher, result)
        result.offprint_seconds = time.perf_counter() - started
        _glyphs(collector, problems)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a PDF error with the file named
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        wp_logger.removeHandler(collector)
        wp_logger.setLevel(level)
        result.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result.refused = fetcher.refused
        result.warnings.extend(m for m in collector.messages
                               if "taiyaku reads only" not in m and "no such file" not in m and not NOTDEF.search(m))
    return result


def _verify(document: weasyprint.Document, job: TypesetJob, result: TypesetResult, problems: _Problems) -> None:
    """Footnotes (an error loses the build), Japanese line ends (counted), overflowing boxes (warned)."""
    notes = check_footnotes(document)
    result.footnotes = notes.bodies
    for message in notes.errors:
        text = message.split("(“", 1)[1].split("”)", 1)[0] if "(“" in message else ""
        problems.add("error", f"{message}: the build stops rather than ship a PDF without it", text.rstrip("…"))
    for message in notes.warnings:
        problems.add("warning", message)
    if japanese_language(job.lang) or any(japanese_language(ref.path.split("/")[1]) for ref in job.sources):
        attach_blocks(document)
        lines = japanese_lines(document)
        result.japanese_lines, result.japanese_flush = lines.lines, lines.flush
    for box in overflows(document):
        problems.add("warning", f"{box.kind} “{box.text}” on page {box.page} is {box.excess * 0.75:.1f} pt wider "
                                "than the text block", box.text.rstrip("…"))


def _glyphs(collector: _Collector, problems: _Problems) -> None:
    """Characters no installed font has: named with their code point, file and line."""
    seen = {d.message for d in problems.result.problems}
    for message in collector.messages:
        match = NOTDEF.search(message)
        if not match:
            continue
        char, code = match.group(1), match.group(2)
        text = f"no font has the character {char!r} (U+{code}): it would print as an empty box; " \
               "install a font that covers it or change the text"
        if text in seen:
            continue
        seen.add(text)
        problems.add("error", text, char)
    collector.messages[:] = [m for m in collector.messages if not NOTDEF.search(m)]


def _page_of(document: weasyprint.Document, anchor: str) -> int | None:
    """Index of the page where ``anchor`` (an element id) is."""
    for index, page in enumerate(document.pages):
        if anchor in page.anchors:
            return index
    return None


def _page_labels(body_start: int | None, offprint: bool = False, first_folio: int = 1):  # type: ignore[no-untyped-def]
    """A ``finisher`` that gives the PDF page labels matching the printed folios.

    Volume: lower-roman front matter (from the cover), arabic from the first paper at 1. Offprint: the cover
    page is labelled "Offprint", then the volume's folios.
    """

    def finish(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
        if offprint:
            nums = [0, pydyf.Dictionary({"P": pydyf.String("Offprint")}),
                    1, pydyf.Dictionary({"S": "/D", "St": first_folio})]
        elif body_start:
            nums = [0, pydyf.Dictionary({"S": "/r"}), body_start, pydyf.Dictionary({"S": "/D", "St": 1})]
        else:
            nums = [0, pydyf.Dictionary({"S": "/D", "St": 1})]
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(nums)})

    return finish


def _offprint(document: weasyprint.Document, job: TypesetJob, offprint, body_start: int | None,  # type: ignore[no-untyped-def]
              fetcher: VolumeFetcher, result: TypesetResult) -> None:
    """The paper's pages of the volume behind a cover page of its own."""
    start = _page_of(document, offprint.slug)
    if start is None:
        result.warnings.append(f"offprint {offprint.rel_path}: the paper was not found in the volume")
        return
    later = [index for index in (_page_of(document, slug) for slug in job.chapters) if index is not None and index > start]
    end = min(later) if later else len(document.pages)
    while end - 1 > start and document.pages[end - 1]._page_box.page_type.blank:
        end -= 1  # the blank verso before the next paper
    base = body_start or 0
    first, last = start - base + 1, end - base
    cover = weasyprint.HTML(string=offprint.cover_html.replace(PAGES_MARK, f"{first}–{last}"),
                            base_url=job.base_url, url_fetcher=fetcher).render(pdf_variant=job.pdf_variant,
                                                                               pdf_tags=True)
    pages = [cover.pages[0], *document.pages[start:end]]
    anchors = {name for page in pages for name in page.anchors}
    for page in pages:
        # Links to other papers point outside the offprint: keep their text, drop the link.
        # (The volume is already written, and no two offprints share a page.)
        page.links = [link for link in page.links if link[0] != "internal" or link[1] in anchors]
    paper = document.copy(pages)
    paper.metadata = copy.copy(document.metadata)
    paper.metadata.title = offprint.title
    paper.metadata.authors = list(offprint.authors)
    data = paper.write_pdf(pdf_variant=job.pdf_variant, pdf_tags=True, pdf_identifier=True,
                           finisher=_page_labels(None, offprint=True, first_folio=first))
    target = Path(offprint.target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    result.offprints[offprint.rel_path] = len(pages)
