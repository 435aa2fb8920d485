"""The build, phase by phase: load config → read sources → check → render HTML → typeset PDF → swap output in.

Nothing is written until every file has been read and checked; every problem of the run is reported together.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .citations.pages import fill_pages
from .config import load_config, warn_defaults
from .errors import BuildFailed, ConfigError, Diagnostic, Diagnostics, TaiyakuError
from .i18n import UIStrings, check_ui_strings, extract_messages, load_ui_strings
from .model import OutputFile, Volume
from .pdf.jobs import TypesetReport
from .read.sources import read_volume
from .search import write_search_index
from .site import Download, Downloads, check_reserved_slugs, fill_sizes, render_site
from .theme import THEME_ROOT, template_dirs
from .writer import OutputWriter

if TYPE_CHECKING:
    from .stamp import BuildStamp

log = logging.getLogger(__name__)

Format = Literal["html", "pdf", "all"]


@dataclass
class BuildOptions:
    """What ``taiyaku build`` was asked to do."""

    root: Path
    out: Path | None = None
    """Output folder; default ``<root>/build``."""
    format: Format = "all"
    languages: list[str] = field(default_factory=list)
    """Restrict the build to these languages; empty: all."""
    strict: bool = False
    """Fail on warnings too."""
    drafts: bool = False
    progress: bool = False
    """Show a rich progress display for the PDF phase."""
    profile: str | None = None
    """PDF profile: ``screen`` or ``print`` (bleed, crop marks); default the volume's ``profile``."""
    pdf_variant: str | None = None
    """A WeasyPrint PDF variant (``pdf/a-3b``…); default PDF/UA-1."""
    cache: bool = True
    """Reuse PDFs typeset by an earlier build from the same inputs (``--no-cache``: typeset everything)."""
    cache_dir: Path | None = None
    """The cache folder; default ``<root>/.taiyaku-cache``."""

    @property
    def cache_folder(self) -> Path:
        """Where typeset PDFs are kept between builds."""
        from .cache import CACHE_DIR

        return self.cache_dir or self.root / CACHE_DIR

    @property
    def out_dir(self) -> Path:
        """The output folder."""
        return self.out or self.root / "build"


@dataclass
class PhaseTiming:
    """Wall time (and, for PDFs, pages and memory) of one phase."""

    phase: str
    lang: str
    seconds: float
    pages: int = 0
    peak_rss_mb: float = 0.0


@dataclass
class BuildReport:
    """What a successful build made, for the command's summary and the benchmark."""

    out_dir: Path
    files: int = 0
    pdfs: dict[str, int] = field(default_factory=dict)
    """PDF name → page count."""
    timings: list[PhaseTiming] = field(default_factory=list)
    warnings: int = 0
    cached: list[str] = field(default_factory=list)
    """PDFs (volume labels) that came from the build cache instead of being typeset."""
    page_ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Offprint site path → its first and last page in the volume, filled in the site's citations."""
    unchanged: bool = False
    """Nothing changed since the last build into the same folder: nothing was read or written."""
    typesetting: dict[str, TypesetReport] = field(default_factory=dict)
    """PDF name → what its typesetting did (for ``build --json`` and the summary)."""


def load_volume(options: BuildOptions, diagnostics: Diagnostics) -> Volume:
    """Phases 1–2: read the config and every document of the chosen languages."""
    config = load_config(options.root, diagnostics)
    warn_defaults(options.root, config, diagnostics)
    unknown = [lang for lang in options.languages if lang not in config.languages]
    if unknown:
        raise ConfigError(f"--lang {', '.join(unknown)}: the volume's languages are {', '.join(config.languages) or 'none'}")
    if not config.languages and (options.root / "content").is_dir():
        diagnostics.error("content", None, "content", "no language folders: put documents in content/<lang>/*.md (e.g. content/en/)")
    # Every language is read even when --lang narrows the build: pages link to the other languages and
    # translations pair with their sources.
    return read_volume(options.root, config, diagnostics, None, options.drafts)


def load_strings(volume: Volume, diagnostics: Diagnostics) -> dict[str, UIStrings]:
    """Phase 3: compile each language's catalogs and check that every UI string is translated."""
    used = extract_messages(template_dirs(volume.root))
    strings = {}
    for lang in volume.languages:
        strings[lang] = load_ui_strings(lang, volume.root, THEME_ROOT, diagnostics)
        check_ui_strings(strings[lang], used, diagnostics)
    return strings


def check_translations(volume: Volume, diagnostics: Diagnostics) -> None:
    """Phase 3b: the checker's analysis; an outdated or incomplete translation is a warning of the build.

    The full report stays on the volume (``volume.translation_status``) for the stages that show it.
    """
    from .check import check_volume

    if not (volume.root / "content").is_dir() or len(volume.languages) < 2:
        return
    try:
        # The volume as read: the checker compares the files already read and reads only git on top.
        status = check_volume(volume, history=True, catalogs=False)
    except TaiyakuError as exc:  # the build has reported the same problem its own way
        log.debug("translation check skipped: %s", exc)
        return
    volume.translation_status = status
    for lang_report in status.languages.values():
        for doc in lang_report.documents:
            if doc.status not in ("outdated", "incomplete") or not doc.translation:
                continue
            errors = sum(1 for p in doc.problems if p.severity == "error")
            changes = len(doc.source_changes)
            detail = (f"{changes} source commit{'s' if changes != 1 else ''} since it was translated"
                      if doc.status == "outdated" else f"{errors} problem{'s' if errors != 1 else ''}")
            diagnostics.warning(doc.translation, None, "translation",
                                f"{doc.status} ({detail}); `taiyaku check` shows where")


def build(options: BuildOptions) -> BuildReport:
    """Run the whole build; raises :class:`BuildFailed` after reporting every problem."""
    diagnostics = Diagnostics()
    report = BuildReport(options.out_dir)
    stamp = _stamp(options)
    replayed = stamp.replay() if stamp else None
    if replayed is not None:
        return _replay(report, replayed, options)
    started = time.perf_counter()
    volume = load_volume(options, diagnostics)
    check_reserved_slugs(volume, diagnostics)
    strings = load_strings(volume, diagnostics)
    report.timings.append(PhaseTiming("read", "all", time.perf_counter() - started))
    _stop_if_failed(diagnostics, options)
    # Only a volume that reads cleanly is worth a translation report (else it repeats the same problems).
    started = time.perf_counter()
    check_translations(volume, diagnostics)
    report.timings.append(PhaseTiming("check", "all", time.perf_counter() - started))
    _stop_if_failed(diagnostics, options)

    want_html = options.format in ("html", "all")
    want_pdf = options.format in ("pdf", "all")
    targets = options.languages or volume.languages
    sections = (["html"] if want_html else []) + (["pdf"] if want_pdf else [])
    partial = set(targets) != set(volume.languages)

    # A partial build (--lang) starts from the previous output so that the other languages' files stay.
    writer = OutputWriter(options.out_dir, sections, keep_existing=partial, root=options.root)
    try:
        jobs = []
        if want_pdf:
            from .pdf import make_jobs

            jobs = make_jobs(volume, strings, writer.stage, diagnostics, pdf_variant=options.pdf_variant,
                             profile=options.profile, offprints=True, languages=list(targets),
                             structured_problems=True)
        _stop_if_failed(diagnostics, options)
        site_files = []
        if want_html:
            # Rendered once, before typesetting, so that template errors stop the build early; the PDFs' sizes
            # are filled in when they exist (site.fill_sizes).
            started = time.perf_counter()
            planned = {rel for job in jobs for rel in job.outputs}
            downloads = find_downloads(writer.stage / "pdf", volume, planned) if want_pdf else {}
            site_files = render_site(volume, strings, diagnostics, downloads, targets)
            report.timings.append(PhaseTiming("html", "all", time.perf_counter() - started))
            _stop_if_failed(diagnostics, options)
        if jobs:
            _typeset(jobs, writer, report, diagnostics, options)
        _stop_if_failed(diagnostics, options)
        if want_html and want_pdf:
            site_files = [OutputFile(f.rel_path, fill_pages(fill_sizes(f.data, writer.stage / "pdf"), report.page_ranges))
                          for f in site_files]
            _link_pdfs_into_site(writer)
        for f in site_files:
            writer.write(f"html/{f.rel_path}", f.data)
        write_search_index(writer, diagnostics)
        _stop_if_failed(diagnostics, options)  # --strict: a search index that could not be made fails too
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    report.files = len(writer.written)
    report.warnings = len(diagnostics.warnings)
    diagnostics.report()
    if stamp is not None:
        stamp.record({"files": report.files, "pdfs": report.pdfs,
                      "warnings": [dataclasses.asdict(d) for d in diagnostics.warnings]})
    return report


def _stamp(options: BuildOptions) -> BuildStamp | None:
    """The record of the last build into this output folder, when builds may reuse earlier work."""
    if not options.cache:
        return None
    from .stamp import BuildStamp

    settings = (options.format, sorted(options.languages), options.strict, options.drafts, options.profile,
                options.pdf_variant)
    return BuildStamp(options.cache_folder, options.root, options.out_dir, repr(settings))


def _replay(report: BuildReport, replayed: dict, options: BuildOptions) -> BuildReport:
    """Nothing changed since the last build into this folder: say so, and repeat its warnings."""
    diagnostics = Diagnostics()
    diagnostics.items.extend(Diagnostic(**d) for d in replayed.get("warnings", []))
    diagnostics.report()
    report.files = int(replayed.get("files", 0))
    report.pdfs = dict(replayed.get("pdfs", {}))
    report.warnings = len(diagnostics.warnings)
    report.unchanged = True
    log.info("nothing changed since the last build into %s", options.out_dir)
    return report


def find_downloads(pdf_dir: Path, volume: Volume, planned: set[str] | frozenset[str] = frozenset()
                   ) -> dict[str, Downloads]:
    """The PDFs of each language: ``planned`` (paths under ``pdf/`` this build will typeset, sizes filled in
    later) and those already staged (after ``--lang``, the other languages' kept PDFs)."""
    found: dict[str, Downloads] = {}
    slug = volume.config.slug

    def download(path: Path) -> Download | None:
        rel = path.relative_to(pdf_dir).as_posix()
        if rel in planned:
            return Download(f"pdf/{rel}", None)
        return Download(f"pdf/{rel}", path.stat().st_size) if path.is_file() else None

    for lang in volume.languages:
        folder = f"{slug}-{lang}"
        names = {p.name for p in (pdf_dir / folder).glob("*.pdf")}
        names |= {rel.split("/", 1)[1] for rel in planned if rel.startswith(folder + "/")}
        offprints = {name.removesuffix(".pdf"): download(pdf_dir / folder / name) for name in sorted(names)}
        whole = download(pdf_dir / f"{folder}.pdf")
        if whole is not None or offprints:
            found[lang] = Downloads(whole, {k: v for k, v in offprints.items() if v is not None})
    return found


def _link_pdfs_into_site(writer: OutputWriter) -> None:
    """The site offers the PDFs for download, so it can be published on its own (hard links: no copies)."""
    pdf_dir = writer.stage / "pdf"
    for staged in sorted(pdf_dir.rglob("*.pdf")):
        copy = writer.path(f"html/pdf/{staged.relative_to(pdf_dir).as_posix()}")
        copy.unlink(missing_ok=True)  # a partial build carried the previous copy over
        os.link(staged, copy)


def _typeset(jobs: list, writer: OutputWriter, report: BuildReport, diagnostics: Diagnostics,
             options: BuildOptions) -> None:
    """Phase 5: typeset every language's PDF in worker processes and record what the workers saw."""
    from .pdf import run_jobs

    for job in jobs:
        for rel_path in job.outputs:  # the volume and its offprints
            writer.path(f"pdf/{rel_path}")  # claim the path: the worker writes it
    progress_cm = _progress(jobs) if options.progress else nullcontext(None)
    with progress_cm as progress:
        if options.cache:
            from .pdf.cache import PDFCache

            cache = PDFCache(options.cache_folder, options.root)
            results = cache.run(jobs, lambda todo: run_jobs(todo, progress, cache.parts))
            report.cached = list(cache.hits)
            if cache.parts.hits:
                log.info("parts from the cache: %d", cache.parts.hits)
        else:
            results = run_jobs(jobs, progress)
    for result in results:
        where = f"pdf/{result.label}"
        # Problems the worker located in the sources (missing glyphs, lost notes, overflowing tables).
        diagnostics.extend(result.problems)
        if result.error:
            if not any(problem.severity == "error" for problem in result.problems):
                diagnostics.error(where, None, "pdf", f"typesetting failed: {result.error}")
            continue
        off = sorted(name for name, active in result.fixes.items() if not active)
        if off:
            diagnostics.warning(where, None, "pdf", f"WeasyPrint {result.weasyprint_version}: typeset without "
                                f"taiyaku's {', '.join(off)} fix{'es' if len(off) > 1 else ''} (written for "
                                "another version; footnotes are still verified)")
        if result.slow_font_subsetting:
            diagnostics.warning(where, None, "pdf", "!!! WeasyPrint is subsetting fonts with fontTools, about 30x "
                                "slower: install libharfbuzz-subset0 (make setup does) !!!")
        for message in result.warnings:
            diagnostics.warning(where, None, "pdf", message)
        for url in sorted(set(result.refused)):
            diagnostics.warning(where, None, "pdf", f"refused to load {url} (only the volume and the theme are read)")
        report.pdfs[result.label] = result.pages
        report.typesetting[result.label] = result.report
        report.page_ranges.update({f"pdf/{rel}": (first, last) for rel, (first, last) in result.page_ranges.items()})
        report.timings.append(PhaseTiming("pdf layout", result.lang, result.layout_seconds, result.pages, result.peak_rss_mb))
        report.timings.append(PhaseTiming("pdf write", result.lang, result.write_seconds, result.pages, result.peak_rss_mb))
        if result.offprints:
            report.timings.append(PhaseTiming("pdf offprints", result.lang, result.offprint_seconds,
                                              sum(result.offprints.values()), result.peak_rss_mb))
        log.info("%s: %d pages, %.1f s; %s", result.label, result.pages, result.layout_seconds + result.write_seconds,
                 result.report.summary())


def _progress(jobs: list):  # type: ignore[no-untyped-def]
    """A rich progress display: one line per PDF, ticked when its worker finishes."""
    from contextlib import contextmanager

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    @contextmanager
    def display():  # type: ignore[no-untyped-def]
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      transient=False, console=None) as bar:
            tasks = {job.label: bar.add_task(f"typesetting {job.label}", total=1) for job in jobs}

            def done(result) -> None:  # type: ignore[no-untyped-def]
                bar.update(tasks[result.label], completed=1,
                           description=f"{result.label}: {result.pages} pages")

            yield done

    return display()


def _stop_if_failed(diagnostics: Diagnostics, options: BuildOptions) -> None:
    failing = diagnostics.errors or (options.strict and diagnostics.warnings)
    if failing:
        diagnostics.report()
        count = len(set(diagnostics.errors)) + (len(set(diagnostics.warnings)) if options.strict else 0)
        raise BuildFailed(f"{count} problem{'s' if count != 1 else ''} found; nothing was written"
                          + (" (--strict: warnings count)" if options.strict and not diagnostics.errors else ""))
