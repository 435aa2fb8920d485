"""What the print stage passes between its steps: jobs for the worker, and the worker's typed results.

Picklable dataclasses only; nothing here imports WeasyPrint.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from ..errors import Diagnostic
from ..images.print import PrintImages

DEFAULT_VARIANT = "pdf/ua-1"
"""Tagged PDF, identified as PDF/UA-1, unless another variant is asked for."""
PDF_VARIANTS = ("pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4u", "pdf/a-1a", "pdf/a-2a",
                "pdf/a-3a", "pdf/a-4e", "pdf/a-4f", "pdf/ua-1", "pdf/ua-2", "pdf/x-1a", "pdf/x-3", "pdf/x-4",
                "pdf/x-5g")
"""WeasyPrint 70's variants (``weasyprint.document.VARIANTS``), listed here so the parent needn't import it."""
PAGES_MARK = "\u27e6pages\u27e7"
"""Stands in an offprint cover for the paper's page range, known once the volume is laid out."""


@dataclass(frozen=True)
class SourceRef:
    """Where a chapter of the print document comes from, to name files and lines in messages."""

    slug: str
    path: str
    """Volume-relative, as diagnostics show it: ``content/ja/02-treaty-history.md``."""
    src_path: str
    first_line: int
    """File line of the body's first line."""


@dataclass(frozen=True)
class PartSource:
    """One part of a language's print document, laid out on its own: the front matter, a paper, the
    contributors (:func:`.document.split_parts`)."""

    name: str
    """``front``, the paper's slug, ``contributors``."""
    body: str
    """The part's HTML inside ``<body>``, links to other parts already pointing to ``DEST_SCHEME``."""


@dataclass(frozen=True)
class PartJob:
    """One part to lay out in a worker: its whole HTML (starting folio and page side set in it) and where its
    PDF goes (picklable, small: it never holds the whole volume)."""

    lang: str
    label: str
    """The volume PDF it belongs to, for messages: ``alliance-at-75-ja.pdf``."""
    name: str
    """``front``, a slug, ``contributors``, ``blank``, ``cover:<slug>``."""
    html: str
    base_url: str
    allowed_roots: tuple[str, ...]
    target: str
    """Where the worker writes the part's PDF (a scratch folder, not the output)."""
    start: int = 1
    """The folio of its first page."""
    pdf_variant: str | None = DEFAULT_VARIANT
    profile: str = "screen"
    sources: tuple[SourceRef, ...] = ()
    typography: bool = True
    structured_problems: bool = False
    adjacent_calls: int = 0
    images: PrintImages | None = None
    """Serves images downsampled to the profile's resolution (``taiyaku.images.print``); ``None``: the originals."""


@dataclass(frozen=True)
class OffprintJob:
    """One paper's offprint: its cover page, then its pages of the volume."""

    slug: str
    rel_path: str
    """Under ``pdf/``: ``alliance-at-75-ja/treaty-history.pdf``."""
    target: str
    cover_html: str
    """The cover page's HTML; ``PAGES_MARK`` stands for the page range."""
    title: str
    authors: tuple[str, ...]
    one_page_html: str = ""
    """The cover for a paper of one page (``PAGES_MARK`` stands for its folio, worded as a page)."""

    def cover(self, first: int, last: int) -> str:
        """The cover's HTML with the paper's folios in it."""
        if first == last and self.one_page_html:
            return self.one_page_html.replace(PAGES_MARK, str(first))
        return self.cover_html.replace(PAGES_MARK, f"{first}–{last}")


@dataclass(frozen=True)
class TypesetJob:
    """Everything a worker process needs to make one language's PDFs (picklable)."""

    lang: str
    html: str
    base_url: str
    allowed_roots: tuple[str, ...]
    target: str
    """Absolute path of the volume PDF to write (inside the writer's staging folder)."""
    label: str
    """Shown in messages: ``alliance-at-75-ja.pdf``."""
    pdf_variant: str | None = DEFAULT_VARIANT
    profile: str = "screen"
    offprints: tuple[OffprintJob, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    chapters: tuple[str, ...] = ()
    """Ids of the chapter sections in order (papers, then the contributors); the first starts the body."""
    typography: bool = True
    """taiyaku's fixes and Japanese composition; False typesets the bare WeasyPrint way (benchmarks)."""
    structured_problems: bool = False
    """Located problems only in ``TypesetResult.problems`` (the caller reports them), not also as text."""
    adjacent_calls: int = 0
    """Footnote calls right after another call (counted by :mod:`.prepare`, for the report)."""
    rights_xmp: bytes = b""
    """An XMP description of the edition's rights (``metadata.xmp_rights``), added to every PDF's metadata."""
    head: str = ""
    """The print document up to and including ``<body …>``: every part's HTML starts with it."""
    parts: tuple[PartSource, ...] = ()
    """The front matter, then the papers and the contributors, each typeset on its own (``html`` is the
    whole document, kept for the benchmarks' one-layout comparison)."""
    title: str = ""
    """The volume's title as text, for the PDF's metadata and the running heads of the parts."""
    authors: tuple[str, ...] = ()
    """The editors, for the PDF's metadata."""
    images: PrintImages | None = None
    """Serves images downsampled to the profile's resolution (``taiyaku.images.print``); ``None``: the originals."""
    running_heads: tuple[tuple[str, str], ...] = ()
    """Paper slug → its running head where it is not the paper's title (front matter ``running_head``, or the
    title shortened to the head's measure)."""

    @property
    def outputs(self) -> list[str]:
        """Every file this job writes, relative to ``pdf/`` (for the writer to claim)."""
        return [self.label, *(offprint.rel_path for offprint in self.offprints)]


_PAGES = re.compile(r"\b(pages? )(\d+(?:, \d+)*)")


def folios_in_messages(result: TypesetResult, start: int) -> None:
    """Page numbers in a result's verification messages counted from the part's first folio ``start`` (as
    printed), not from the part's first page."""
    if start == 1:
        return

    def folios(text: str) -> str:
        return _PAGES.sub(lambda m: m.group(1) + ", ".join(str(int(n) + start - 1) for n in m.group(2).split(", ")),
                          text)

    result.problems[:] = [dataclasses.replace(p, message=folios(p.message)) for p in result.problems]
    result.warnings[:] = [folios(message) for message in result.warnings]
    result.error = folios(result.error)


@dataclass
class TypesetReport:
    """What the typesetting did, counted on the laid-out pages: a regression shows as a number."""

    hyphenated_lines: int = 0
    """Lines ending with a hyphenation hyphen (explicit hyphens do not count)."""
    longest_hyphen_run: int = 0
    """Most hyphenated lines in a row in one paragraph."""
    hyphen_before_last_line: int = 0
    """Paragraphs whose last line starts with the end of a hyphenated word."""
    hyphenation_refused: dict[str, int] = field(default_factory=dict)
    """Breaks the layout refused, by rule: ``capitalised``, ``last-word``, ``run``, ``last-line``, ``page-end``;
    and ``last-resort``: refused breaks taken after all to mend a loose line (not refused)."""
    japanese_stretched: int = 0
    """Japanese lines justified by opening gaps between characters."""
    blank_pages: int = 0
    notes_on_next_page: int = 0
    """Footnotes printed on a page after their call's (moved whole: WeasyPrint does not split notes)."""
    adjacent_calls: int = 0
    """Footnote calls right after another call, separated by a comma."""
    tables_continued: int = 0
    """Table fragments on a page after the table's first, labelled "(continued)"."""
    single_lines: int = 0
    """Orphans and widows: one line of a paragraph alone on a page."""
    japanese_compressed: int = 0
    """Japanese lines justified by compressing punctuation instead (JLReq: compression is tried first)."""
    japanese_short_last_lines: int = 0
    """Japanese paragraphs whose last line would have held one character: the line before gave one up."""

    def add(self, other: TypesetReport) -> None:
        """Count ``other``'s pages in too (a part's report into its volume's)."""
        for name in ("hyphenated_lines", "hyphen_before_last_line", "japanese_stretched", "blank_pages",
                     "notes_on_next_page", "adjacent_calls", "tables_continued", "single_lines",
                     "japanese_compressed", "japanese_short_last_lines"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.longest_hyphen_run = max(self.longest_hyphen_run, other.longest_hyphen_run)
        for rule, count in other.hyphenation_refused.items():
            self.hyphenation_refused[rule] = self.hyphenation_refused.get(rule, 0) + count

    def summary(self) -> str:
        """One line for the build's summary."""
        refused = sum(count for rule, count in self.hyphenation_refused.items() if rule != "last-resort")
        return (f"{self.hyphenated_lines} hyphenated lines (at most {self.longest_hyphen_run} in a row, "
                f"{self.hyphen_before_last_line} before a last line, {refused} breaks refused, "
                f"{self.hyphenation_refused.get('last-resort', 0)} taken as a last resort), {self.japanese_stretched} Japanese lines stretched, {self.japanese_compressed} compressed, "
                f"{self.japanese_short_last_lines} one-character last lines avoided, {self.blank_pages} blank "
                f"pages, {self.single_lines} orphans/widows, {self.notes_on_next_page} notes on a later page, "
                f"{self.tables_continued} tables continued")


@dataclass
class TypesetResult:
    """What a worker reports back."""

    lang: str
    label: str
    pages: int = 0
    layout_seconds: float = 0.0
    layout_cpu_seconds: float = 0.0
    """Processor time of the layout (steadier than wall time on a shared machine; the benchmark's ratio)."""
    write_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    size_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    """WeasyPrint's own warnings, as it words them."""
    refused: list[str] = field(default_factory=list)
    error: str = ""
    problems: list[Diagnostic] = field(default_factory=list)
    """Problems located in the sources (``path:line``); unless the job asked for ``structured_problems``,
    also flattened into ``error`` and ``warnings`` as text."""
    offprints: dict[str, int] = field(default_factory=dict)
    """Offprint path (under ``pdf/``) → page count."""
    offprint_seconds: float = 0.0
    footnotes: int = 0
    """Footnote bodies laid out, each once, in order (verified)."""
    japanese_lines: int = 0
    """Non-final lines of justified Japanese paragraphs."""
    japanese_flush: int = 0
    """Of those, lines that end at the measure."""
    weasyprint_version: str = ""
    fixes: dict[str, bool] = field(default_factory=dict)
    """Each of taiyaku's WeasyPrint fixes (``footnotes``, ``japanese-lines``…) → whether it was on."""
    page_ranges: dict[str, list[int]] = field(default_factory=dict)
    """Offprint path (under ``pdf/``) → its first and last page in the volume (for citations)."""
    slow_font_subsetting: bool = False
    """WeasyPrint subset fonts with fontTools (about 30x slower) because HarfBuzz's hb-subset is missing."""
    report: TypesetReport = field(default_factory=TypesetReport)
    """The typesetting report (counted when taiyaku's typography is on)."""
    anchors: list[str] = field(default_factory=list)
    """A part's element ids, in page order (where links from other parts may land)."""
    page_lefts: list[float] = field(default_factory=list)
    """A part's pages' left margins in points (where a page's content starts: its side decides it), so that
    the assembly can move a page laid out on one side to the other (:mod:`.furniture`)."""
    cover_pages: list[int] = field(default_factory=list)
    """A batch of offprint covers: each cover's first page in its PDF, in the batch's order."""
    typeset_parts: list[str] = field(default_factory=list)
    """Names of the parts this build laid out, once per layout (the others came from the cache)."""
    page_map: list[list[str]] = field(default_factory=list)
    """Per page holding content, in order: [the folio as printed (``iii``, ``12``), the block that holds the
    page's start] — ``<chapter id>/<n>`` (the n-th block of its body), ``<chapter id>`` (its heading),
    ``cover``, ``imprint``, ``contents``. Blank pages and offprint covers are left out (the EPUB's page-list)."""
    flows: dict[str, dict[str, object]] = field(default_factory=dict)
    """Paper part → where its blocks landed (:meth:`taiyaku.pdf.flow.Flow.as_dict`): the facing edition packs
    its spreads from it instead of laying the paper out again."""

    def __post_init__(self) -> None:
        if isinstance(self.report, dict):  # read back from JSON (the build cache)
            self.report = TypesetReport(**self.report)


def at_folio(result: TypesetResult, start: int) -> TypesetResult:
    """A paper's result (laid out from folio 1) as the volume counts it: its page map and the page numbers in
    its messages from its first folio ``start``."""
    if start == 1:
        return result
    moved = dataclasses.replace(result, problems=list(result.problems), warnings=list(result.warnings),
                    page_map=[[str(int(folio) + start - 1), block] for folio, block in result.page_map])
    folios_in_messages(moved, start)
    return moved


def merge_into(total: TypesetResult, part: TypesetResult) -> None:
    """Count a part's result into its volume's."""
    total.weasyprint_version = total.weasyprint_version or part.weasyprint_version
    total.fixes = total.fixes or dict(part.fixes)
    total.layout_seconds += part.layout_seconds
    total.layout_cpu_seconds += part.layout_cpu_seconds
    total.write_seconds += part.write_seconds
    total.peak_rss_mb = max(total.peak_rss_mb, part.peak_rss_mb)
    total.footnotes += part.footnotes
    total.japanese_lines += part.japanese_lines
    total.japanese_flush += part.japanese_flush
    total.slow_font_subsetting = total.slow_font_subsetting or part.slow_font_subsetting
    total.report.add(part.report)
    total.page_map.extend(part.page_map)  # parts merge in page order; blank versos and covers have none
    total.flows.update(part.flows)
    for message in part.warnings:
        if message not in total.warnings:
            total.warnings.append(message)
    total.refused.extend(url for url in part.refused if url not in total.refused)
    total.problems.extend(problem for problem in part.problems if problem not in total.problems)
    if part.error and not total.error:
        total.error = part.error
