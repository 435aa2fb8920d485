"""The build, phase by phase: load config → read sources → check → render HTML → typeset PDF → swap output in.

Nothing is written until every file has been read and checked; every problem of the run is reported together.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BuildFailed, ConfigError, Diagnostic, Diagnostics, TaiyakuError
from .outputs import BuildContext, kept_files, parse_formats, select_outputs
from .workers import Workers
from .writer import OutputWriter

if TYPE_CHECKING:
    from .i18n import UIStrings
    from .model import Volume
    from .pdf.jobs import TypesetReport
    from .rendercache import RenderStore
    from .stamp import BuildStamp

# The reading, checking and rendering modules are imported where they are used, after the worker is prestarted
# (_build): their imports (60 ms) would otherwise delay the worker the first paper waits for.

log = logging.getLogger(__name__)


@dataclass
class BuildOptions:
    """What ``taiyaku build`` was asked to do."""

    root: Path
    out: Path | None = None
    """Output folder; default ``<root>/build``."""
    format: str = "all"
    """The outputs to make, by their registry names, comma-separated (``html,pdf``); ``all``: every output the
    volume enables (:mod:`taiyaku.outputs`)."""
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
    preview: bool = False
    """A build for ``serve``: what the reloaded page does not need is left for later, so that an edit reaches the
    browser sooner: no search index (``serve`` makes it afterwards, :mod:`taiyaku.serve_search`), and the
    previous output is removed in a thread."""

    @property
    def cache_folder(self) -> Path:
        """Where typeset PDFs are kept between builds."""
        from .cache import CACHE_DIR

        return self.cache_dir or self.root / CACHE_DIR

    @property
    def formats(self) -> tuple[str, ...]:
        """``format`` as registry names."""
        return parse_formats(self.format)

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
    from .config import load_config, warn_defaults
    from .read.sources import read_volume

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


def load_strings(volume: Volume, diagnostics: Diagnostics, store: RenderStore | None = None) -> dict[str, UIStrings]:
    """Phase 3: compile each language's catalogs and check that every UI string is translated (``store``: where
    the templates' strings are kept between builds)."""
    from .i18n import check_ui_strings, extract_messages, load_ui_strings
    from .theme import THEME_ROOT, template_dirs

    used = extract_messages(template_dirs(volume.root), store=store)
    strings = {}
    for lang in volume.languages:
        strings[lang] = load_ui_strings(lang, volume.root, THEME_ROOT, diagnostics)
        check_ui_strings(strings[lang], used, diagnostics)
    return strings


def check_translations(volume: Volume, diagnostics: Diagnostics, cache: Path | None = None) -> None:
    """Phase 3b: the checker's analysis; an outdated or incomplete translation is a warning of the build.

    The full report stays on the volume (``volume.translation_status``) for the stages that show it. ``cache``:
    the check's cache folder, for a build whose outputs show no block alignment (``Output.aligns``): the pairs
    unchanged since the last check are not compared again (the x8 volume's 48 pairs: 0.1 s).
    """
    from .check import check_volume

    if not (volume.root / "content").is_dir() or len(volume.languages) < 2:
        return
    try:
        # The volume as read: the checker compares the files already read and reads only git on top.
        status = check_volume(volume, history=True, catalogs=False, cache=cache)
    except TaiyakuError as exc:  # the build has reported the same problem its own way
        log.debug("translation check skipped: %s", exc)
        return
    volume.translation_status = status
    for lang, lang_report in status.languages.items():
        for doc in lang_report.documents:
            if doc.status == "missing" and doc.source:
                diagnostics.warning(doc.source, None, "translation",
                                    f"not translated into {lang}: the {lang} edition shows the original, marked as "
                                    "not yet translated")
                continue
            if doc.status not in ("outdated", "incomplete") or not doc.translation:
                continue
            errors = sum(1 for p in doc.problems if p.severity == "error")
            detail = (f"{doc.behind() or 'the source changed'} since it was translated"
                      if doc.status == "outdated" else f"{errors} problem{'s' if errors != 1 else ''}")
            diagnostics.warning(doc.translation, None, "translation",
                                f"{doc.status} ({detail}); `taiyaku check` shows where")


def build(options: BuildOptions) -> BuildReport:
    """Run the whole build; raises :class:`BuildFailed` after reporting every problem."""
    if options.cache or options.cache_dir is not None:
        return _build(options)
    # --no-cache: what the outputs keep between builds (image versions, page maps) goes to a folder of this
    # build's own, removed after it, so that nothing is read from or left in the volume's cache.
    with tempfile.TemporaryDirectory(prefix="taiyaku-no-cache-") as scratch:
        return _build(dataclasses.replace(options, cache_dir=Path(scratch)))


def _build(options: BuildOptions) -> BuildReport:
    """:func:`build` with its cache folder settled."""
    diagnostics = Diagnostics()
    report = BuildReport(options.out_dir)
    stamp = _stamp(options)
    replayed = stamp.replay() if stamp else None
    if replayed is not None:
        return _replay(report, replayed, options)
    workers = Workers()  # shared by the outputs that lay out
    if "pdf" in options.formats or "all" in options.formats:
        workers.prestart()  # it imports WeasyPrint while this process reads, checks and plans
    from .read.pair import print_ahead

    try:
        # A build that makes PDFs renders each document for print from its site rendering's parse (read.pair).
        with print_ahead(any(name in options.formats for name in ("all", "pdf", "facing"))):
            return _read_and_write(options, diagnostics, report, stamp, workers)
    finally:
        workers.close(wait=False)  # (after a failure too: an output that fails while they work ends them itself)


def _read_and_write(options: BuildOptions, diagnostics: Diagnostics, report: BuildReport,
                    stamp: BuildStamp | None, workers: Workers) -> BuildReport:
    """:func:`_build` past the stamp: read, check, plan, run and swap in."""
    started = time.perf_counter()
    from .read.sources import kept_renderings
    from .rendercache import RenderStore
    from .site import check_reserved_slugs
    from .theme import keep_compiled_templates

    keep_compiled_templates(options.cache_folder)
    renderings = RenderStore(options.cache_folder, "read")
    with kept_renderings(renderings):
        volume = load_volume(options, diagnostics)
    check_reserved_slugs(volume, diagnostics)
    strings = load_strings(volume, diagnostics, renderings)
    report.timings.append(PhaseTiming("read", "all", time.perf_counter() - started))
    _stop_if_failed(diagnostics, options)
    # Only a volume that reads cleanly is worth a translation report (else it repeats the same problems).
    started = time.perf_counter()
    outputs = select_outputs(options.formats, volume)
    aligned = any(getattr(output, "aligns", True) for output in outputs)
    check_translations(volume, diagnostics, cache=None if aligned else options.cache_folder)
    report.timings.append(PhaseTiming("check", "all", time.perf_counter() - started))
    _stop_if_failed(diagnostics, options)

    targets = options.languages or volume.languages
    sections = sorted({section for output in outputs for section in output.sections})
    partial = set(targets) != set(volume.languages)

    # A partial build (--lang) starts from the previous output so that the other languages' files stay.
    writer = OutputWriter(options.out_dir, sections, keep_existing=partial, root=options.root,
                          discard_later=options.preview,
                          carry=None if partial else kept_files(outputs, volume))
    try:
        ctx = BuildContext(volume, strings, diagnostics, writer, options, report, list(targets), workers=workers)
        # Every output plans before any runs: problems stop the build before anything is written (papers the
        # PDFs' plan handed to the workers early are settled first), and the site knows what will exist.
        for output in outputs:
            ctx.planned.extend(output.plan(ctx))
        _stop_if_failed(diagnostics, options)
        ctx.manifest.extend(a for a in ctx.planned if a.size is not None)  # kept from the last build
        for output in outputs:
            made = output.run(ctx)
            ctx.manifest = [a for a in ctx.manifest if a.output != output.name] + made
            _stop_if_failed(diagnostics, options)
        workers.close(wait=False)  # they end while the output is swapped in
        writer.commit()
    except BaseException as exc:
        # Papers handed to the workers early (pdf.early) write into the staging folder: they are cancelled or
        # finished (ended, on an interrupt) before it goes — and it goes whatever happens meanwhile.
        try:
            if isinstance(exc, Exception):
                workers.settle()
            else:
                workers.end()
        finally:
            writer.abort()
        raise
    renderings.save()
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

    settings = (options.formats, sorted(options.languages), options.strict, options.drafts, options.profile,
                options.pdf_variant, options.preview)
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


def _stop_if_failed(diagnostics: Diagnostics, options: BuildOptions) -> None:
    failing = diagnostics.errors or (options.strict and diagnostics.warnings)
    if failing:
        diagnostics.report()
        count = len(set(diagnostics.errors)) + (len(set(diagnostics.warnings)) if options.strict else 0)
        raise BuildFailed(f"{count} problem{'s' if count != 1 else ''} found; nothing was written"
                          + (" (--strict: warnings count)" if options.strict and not diagnostics.errors else ""))
