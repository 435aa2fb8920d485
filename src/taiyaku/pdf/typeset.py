"""The typesetting worker: lay one part of a volume out, verify its pages, write its PDF.

Runs in its own process (see :mod:`.run`) and reaches WeasyPrint only through :mod:`.weasy`. It returns what
happened instead of logging, so the parent reports every warning in order. :func:`typeset_part` lays out one
part (the front matter, a paper, the contributors, a blank verso, an offprint cover), verifies its pages
(:mod:`.verify`) and writes its PDF; :mod:`.run` assembles the parts. :func:`typeset` is the older route, the
whole volume in one layout (the benchmarks compare both).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import resource
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import Diagnostic
from ..lang import is_japanese_language
from . import weasy
from .weasy.fix import VERSION as WEASYPRINT_VERSION
from .jobs import OffprintJob, PartJob, TypesetJob, TypesetReport, TypesetResult, folios_in_messages
from .tables import hide_first_labels
from .pagemap import page_map
from .document import COVER_ID
from .verify import attach_blocks, check_footnotes, count_lines, japanese_lines, locate, overflows

SUBSET_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"
NOTDEF = re.compile(r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.*)" \(U\+([0-9A-F]+)\)')


class _Collector(logging.Handler):
    """Keeps WeasyPrint's warnings for the parent process to report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _Problems:
    """Problems of one job, located in the sources when possible."""

    def __init__(self, job: TypesetJob | PartJob, result: TypesetResult) -> None:
        self.job = job
        self.result = result
        self._sources: list[tuple[str, str, int]] | None = None

    def sources(self) -> list[tuple[str, str, int]]:
        """(volume-relative path, file text, body's first line) of every chapter's source."""
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


@contextlib.contextmanager
def _worker_log(result: TypesetResult, fetcher: weasy.VolumeFetcher) -> Iterator[_Collector]:
    """WeasyPrint's warnings collected for ``result`` (the logger restored after), an exception turned into the
    result's error (reported to the parent with the file named), and the job's memory and refusals recorded."""
    collector = _Collector()
    wp_logger = logging.getLogger(weasy.LOGGER_NAME)
    wp_logger.addHandler(collector)
    level, propagate = wp_logger.level, wp_logger.propagate
    wp_logger.propagate = False
    wp_logger.setLevel(logging.WARNING)
    try:
        yield collector
    except Exception as exc:  # noqa: BLE001 - a user's problem never raises out of the worker
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        wp_logger.removeHandler(collector)
        wp_logger.setLevel(level)
        wp_logger.propagate = propagate
        result.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result.refused = fetcher.refused
        result.slow_font_subsetting = any(SUBSET_FALLBACK in m for m in collector.messages)
        result.warnings.extend(m for m in collector.messages
                               if "taiyaku reads only" not in m and "no such file" not in m
                               and not NOTDEF.search(m) and SUBSET_FALLBACK not in m)


def _fixes_on(result: TypesetResult, typography: bool) -> None:
    """taiyaku's WeasyPrint fixes switched on for a job (recorded in its result), its hyphenation counts from
    zero (this job's only)."""
    if typography:
        result.fixes = weasy.apply()
        weasy.take_hyphenation_counts()


def typeset(job: TypesetJob) -> TypesetResult:
    """Lay out and write one language's PDFs from the whole print document in one layout; never raises for a
    user's problem, reports it in the result.

    The build lays out parts (:mod:`.run`); this whole-volume route stays for three users: a volume's own
    ``print/volume.html`` without the part marks (``test_a_volume_template_without_part_marks_is_laid_out_whole``),
    the reference the assembled parts are tested against page by page (``tests/pdf/test_chapters.py``), and the
    benchmarks comparing the two (``benchmarks/bench_chapters.py``, ``benchmarks/bench_pdf.py``)."""
    result = TypesetResult(job.lang, job.label, weasyprint_version=WEASYPRINT_VERSION)
    problems = _Problems(job, result)
    fetcher = weasy.VolumeFetcher(job.allowed_roots, job.images)
    with _worker_log(result, fetcher) as collector:
        _fixes_on(result, job.typography)
        started, cpu = time.perf_counter(), time.process_time()
        document = weasy.render(job.html, job.base_url, fetcher, job.pdf_variant)
        if job.typography:
            continued = hide_first_labels(document)
            _verify(document, job, result, problems)
            result.report.tables_continued = continued
        result.layout_seconds = time.perf_counter() - started
        result.layout_cpu_seconds = time.process_time() - cpu
        result.pages = len(document.pages)
        if result.error:
            return result
        started = time.perf_counter()
        body_start = _page_of(document, job.chapters[0]) if job.chapters else None
        result.page_map = page_map(document, 1, body_start or 0)
        data = weasy.write_pdf(document, job.pdf_variant, _volume_labels(body_start), job.rights_xmp)
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
    return result


def typeset_part(part: PartJob, inspect: Callable[[Any], None] | None = None) -> TypesetResult:
    """Lay out and write one part's PDF (untitled, unlabelled: the assembly gives both); never raises for a
    user's problem, reports it in the result. ``inspect`` is shown the laid-out document before it is written
    (the facing edition reads where its rows landed)."""
    result = TypesetResult(part.lang, part.label, weasyprint_version=WEASYPRINT_VERSION)
    problems = _Problems(part, result)
    fetcher = weasy.VolumeFetcher(part.allowed_roots, part.images)
    with _worker_log(result, fetcher) as collector:
        _fixes_on(result, part.typography)
        started, cpu = time.perf_counter(), time.process_time()
        document = weasy.render(part.html, part.base_url, fetcher, part.pdf_variant)
        if part.typography:
            continued = hide_first_labels(document)
            _verify(document, part, result, problems)
            result.report.tables_continued = continued
            _pages_as_folios(result, part.start)
        result.layout_seconds = time.perf_counter() - started
        result.layout_cpu_seconds = time.process_time() - cpu
        result.pages = len(document.pages)
        result.anchors = [name for page in document.pages for name in page.anchors]
        result.page_lefts = weasy.page_lefts(document)
        if part.name != "blank" and not part.name.startswith("cover:"):
            result.page_map = page_map(document, part.start, len(document.pages) if part.name == "front" else 0)
        if inspect is not None:
            inspect(document)
        if result.error:
            return result
        started = time.perf_counter()
        data = weasy.write_pdf(document, part.pdf_variant, [], part=True)
        del document  # one part at a time in a worker
        _glyphs(collector, problems)
        if result.error:
            return result
        _save(result, part.target, data, started)
    return result


def _save(result: TypesetResult, target: str, data: bytes, started: float) -> None:
    """Write a part's PDF and record its size and the seconds since ``started``."""
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    result.size_bytes = len(data)
    result.write_seconds = time.perf_counter() - started


def typeset_covers(part: PartJob) -> TypesetResult:
    """Lay out a batch of offprint covers of one language (:func:`.document.covers_html`: one stylesheet parse,
    one layout) and write their pages as one PDF (one font subset per font: :mod:`.extract` takes each cover's
    pages out of it at assembly); never raises for a user's problem. ``cover_pages`` gives each cover's first
    page in the PDF."""
    result = TypesetResult(part.lang, part.label, weasyprint_version=WEASYPRINT_VERSION)
    problems = _Problems(part, result)
    fetcher = weasy.VolumeFetcher(part.allowed_roots, part.images)
    with _worker_log(result, fetcher) as collector:
        _fixes_on(result, part.typography)
        started, cpu = time.perf_counter(), time.process_time()
        document = weasy.render(part.html, part.base_url, fetcher, part.pdf_variant)
        if part.typography:
            _verify(document, part, result, problems)
        result.layout_seconds = time.perf_counter() - started
        result.layout_cpu_seconds = time.process_time() - cpu
        # The blank pages between covers (each starts on a right-hand page) are not written.
        inserted = sum(1 for page in document.pages if weasy.is_blank(page))
        result.report.blank_pages = max(0, result.report.blank_pages - inserted)
        pages = [page for page in document.pages if not weasy.is_blank(page)]
        for page in pages:
            for anchor in [name for name in page.anchors if name.startswith(COVER_ID)]:
                result.cover_pages.append(pages.index(page))
                del page.anchors[anchor]
        if len(result.cover_pages) != part.html.count(f'id="{COVER_ID}') and not result.error:
            result.error = "an offprint cover was lost in the layout of the covers"
        if result.error:
            return result
        started = time.perf_counter()
        result.pages = len(pages)
        result.anchors = [name for page in pages for name in page.anchors]
        data = weasy.write_pdf(weasy.copy_document(document, pages, "", []), part.pdf_variant, [], part=True)
        del document
        _glyphs(collector, problems)
        if result.error:
            return result
        _save(result, part.target, data, started)
    return result


_pages_as_folios = folios_in_messages
"""(The name the tests and the facing edition know.)"""


def _verify(document: Any, job: TypesetJob | PartJob, result: TypesetResult, problems: _Problems) -> None:
    """Footnotes (an error loses the build), Japanese line ends (counted), overflowing boxes (warned)."""
    notes = check_footnotes(document)
    result.footnotes = notes.bodies
    lines = count_lines(document)
    result.report = TypesetReport(lines.hyphenated, lines.longest_run, lines.before_last_line,
                                  weasy.take_hyphenation_counts(), lines.stretched, lines.blank_pages,
                                  notes.later, job.adjacent_calls, single_lines=lines.single_lines,
                                  japanese_compressed=lines.compressed,
                                  japanese_short_last_lines=lines.short_last_lines)
    for problem in notes.errors:
        problems.add("error", f"{problem.message}: the build stops rather than ship a PDF without it", problem.text)
    for problem in notes.warnings:
        problems.add("warning", problem.message, problem.text)
    if is_japanese_language(job.lang) or any(is_japanese_language(ref.path.split("/")[1]) for ref in job.sources):
        attach_blocks(document)
        japanese = japanese_lines(document)
        result.japanese_lines, result.japanese_flush = japanese.lines, japanese.flush
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


def _page_of(document: Any, anchor: str) -> int | None:
    """Index of the page where ``anchor`` (an element id) is."""
    for index, page in enumerate(document.pages):
        if anchor in page.anchors:
            return index
    return None


def _volume_labels(body_start: int | None) -> list[tuple[int, dict[str, Any]]]:
    """Page labels matching the printed folios: lower-roman front matter (from the cover), arabic from the
    first paper at 1."""
    if body_start:
        return [(0, {"S": "/r"}), (body_start, {"S": "/D", "St": 1})]
    return [(0, {"S": "/D", "St": 1})]


def _offprint(document: Any, job: TypesetJob, offprint: OffprintJob, body_start: int | None,
              fetcher: weasy.VolumeFetcher, result: TypesetResult) -> None:
    """The paper's pages of the volume behind a cover page of its own (labelled "Offprint", then the folios)."""
    start = _page_of(document, offprint.slug)
    if start is None:
        result.warnings.append(f"offprint {offprint.rel_path}: the paper was not found in the volume")
        return
    later = [index for index in (_page_of(document, slug) for slug in job.chapters) if index is not None and index > start]
    end = min(later) if later else len(document.pages)
    while end - 1 > start and weasy.is_blank(document.pages[end - 1]):
        end -= 1  # the blank verso before the next paper
    base = body_start or 0
    first, last = start - base + 1, end - base
    result.page_ranges[offprint.rel_path] = [first, last]
    cover = weasy.render(offprint.cover(first, last), job.base_url, fetcher,
                         job.pdf_variant)
    pages = [cover.pages[0], *document.pages[start:end]]
    anchors = {name for page in pages for name in page.anchors}
    for page in pages:
        # Links to other papers point outside the offprint: keep their text, drop the link.
        # (The volume is already written, and no two offprints share a page.)
        page.links = [link for link in page.links if link[0] != "internal" or link[1] in anchors]
    paper = weasy.copy_document(document, pages, offprint.title, list(offprint.authors))
    data = weasy.write_pdf(paper, job.pdf_variant, [(0, {"P": "Offprint"}), (1, {"S": "/D", "St": first})],
                           job.rights_xmp)
    target = Path(offprint.target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    result.offprints[offprint.rel_path] = len(pages)
