"""One source document against its translation: what reading found, front matter, then the body (``structure``)
and the history (``changes``); the report's status follows from the problems found.
"""

from __future__ import annotations

from typing import Callable

from ..model import DocumentMeta
from ..read.align import align
from ..read.numbers import missing_in_text
from ..read.text import SourceText
from .changes import check_history
from .content import check_content
from .context import Collector, PairContext, count, key_line
from .model import DocumentReport, Problem
from .scripts import untranslated_reason, untranslated_text
from .structure import check_alignment, report_numbers


def _ignore_list(meta: DocumentMeta | None, report: Callable[[str], None]) -> list[str]:
    """The front matter's ``check: {ignore: [...]}``; a malformed value is reported, not guessed at."""
    if meta is None or "check" not in meta.extra:
        return []
    value = meta.extra["check"]
    ignore = value.get("ignore", []) if isinstance(value, dict) else None
    if isinstance(ignore, str):
        ignore = [ignore]
    if not isinstance(ignore, list) or not all(isinstance(v, str) for v in ignore):
        report(f"'check' must be a mapping like {{ignore: [numbers, untranslated]}}, got {value!r}")
        return []
    return list(ignore)


def check_missing(source: SourceText, translation_path: str) -> DocumentReport:
    """A source without a translation."""
    report = DocumentReport(source.path, None, "missing")
    report.problems.append(Problem.at("translation-missing", "error", f"no translation: {translation_path} does "
                                      "not exist", source.path, None))
    report.problems.extend(_read_problems(source, "source"))
    return report


def check_orphan(translation: SourceText, source_path: str) -> DocumentReport:
    """A translation without a source."""
    report = DocumentReport(None, translation.path, "orphan")
    report.problems.append(Problem.at("translation-orphan", "error", f"no source: {source_path} does not exist "
                                      "(remove the translation, or move it with its source)", None, translation.path))
    report.problems.extend(_read_problems(translation, "translation"))
    return report


def _read_problems(doc: SourceText, side: str) -> list[Problem]:
    """What reading the file found, as the check's problems (the source's say so)."""
    found = []
    for d in doc.problems:
        if side == "source":
            found.append(Problem(d.path, d.line, d.category, "source: " + d.message, d.severity, source_line=d.line))
        else:
            found.append(Problem(d.path, d.line, d.category, d.message, d.severity, translation_line=d.line))
    return found


def check_pair(source: SourceText, translation: SourceText, ctx: PairContext) -> DocumentReport:
    """Compare a translation with its source; the report's status follows from the problems found."""
    report = DocumentReport(source.path, translation.path)
    pin = next((v for k, v in translation.meta.extra.items() if str(k).lower() == ctx.pin_key.lower()), None) \
        if translation.meta else None
    report.source_commit = str(pin) if pin is not None else None
    report.pin_key = ctx.pin_key
    problems = _read_problems(source, "source") + _read_problems(translation, "translation")
    ignore = _ignore_list(translation.meta, lambda message: problems.append(
        Problem.at("front-matter", "error", message, source.path, translation.path, None,
                   key_line(translation, "check"))))
    out = Collector(ignore, source.path, translation.path)
    out.problems.extend(problems)

    if source.text is not None and translation.text is not None:
        if source.meta is not None and translation.meta is not None:
            _check_front_matter(source, translation, ctx, out)
        for marker in translation.parsed.bad_markers:
            out.add("marker", "warning", f"unknown taiyaku marker {marker.directive!r} (known: ignore, merged, split, "
                    "added, omitted)", None, marker.line)
        alignment = align(source.blocks, translation.blocks, translation.parsed.trailing_markers)
        report.alignment = alignment
        locate = check_alignment(alignment, source, translation, ctx, out)
        check_content(alignment, out)
        if ctx.staleness is not None:
            check_history(source, translation, ctx, alignment, locate, report, out)
    report.problems = out.problems
    report.silenced = out.silenced
    if ctx.staleness is not None and ctx.staleness.base is not None:
        report.translated_from = ctx.staleness.base.short
        report.base_commit = ctx.staleness.base.sha
    if any(p.kind == "source-changed" for p in report.problems):
        report.status = "outdated"
    elif any(p.severity == "error" for p in report.problems):
        report.status = "incomplete"
    else:
        report.status = "complete"
    return report


# -- front matter --------------------------------------------------------------------------------------------

def _check_front_matter(source: SourceText, translation: SourceText, ctx: PairContext, out: Collector) -> None:
    s, t = source.meta, translation.meta
    assert s is not None and t is not None

    # Key lines need a second YAML pass: compute them only when a message needs one.
    def s_line(key: str) -> int | None:
        return key_line(source, key)

    def t_line(key: str) -> int | None:
        return key_line(translation, key)

    if t.draft:
        out.add("draft", "error", "marked draft: true, so the build leaves the translation out",
                s_line("draft"), t_line("draft"))
    for key in ("title", "subtitle", "abstract"):
        s_value, t_value = getattr(s, key), getattr(t, key)
        if s_value and not t_value:
            out.add("front-matter-missing", "error", f"the source's front matter has {key!r} (source line {s_line(key)}), "
                    "the translation's does not", s_line(key), translation.front_matter_end)
        elif s_value and t_value:
            reason = untranslated_text(t_value, s_value, ctx.source_lang, ctx.target_lang, ctx.identifiers,
                                       heading=key != "abstract")
            if reason:
                out.add("untranslated-front-matter", "error", f"{key!r} is not translated: {reason}",
                        s_line(key), t_line(key))
            if key == "abstract":
                missing = missing_in_text(s_value, t_value)
                if missing:
                    report_numbers(missing, s_line(key), t_line(key), out, [])
    if s.authors and not t.authors:
        out.add("front-matter-missing", "error", f"the source's front matter names its authors (source line "
                f"{s_line('authors')}), the translation's does not", s_line("authors"), translation.front_matter_end)
    elif len(s.authors) != len(t.authors):
        out.add("front-matter-differs", "error", f"{count(len(t.authors), 'author')}, the source names "
                f"{len(s.authors)} (source line {s_line('authors')})", s_line("authors"), t_line("authors"))
    else:
        for number, (a, b) in enumerate(zip(s.authors, t.authors), start=1):
            for key in ("affiliation", "bio"):
                s_value, t_value = getattr(a, key), getattr(b, key)
                if s_value and not t_value:
                    out.add("front-matter-missing", "error", f"author {number} ({b.name}) has no {key}; the source "
                            f"gives one (source line {s_line('authors')})", s_line("authors"), t_line("authors"))
                elif s_value and t_value:
                    reason = untranslated_reason(t_value, s_value, ctx.source_lang, ctx.target_lang,
                                                 heading=key == "affiliation")
                    if reason:
                        out.add("untranslated-front-matter", "error",
                                f"author {number} ({b.name}): the {key} is not translated: {reason}",
                                s_line("authors"), t_line("authors"))
    if s.slug != t.slug:
        out.add("front-matter-differs", "error", f"slug {t.slug!r} differs from the source's {s.slug!r}: a "
                "translation keeps its source's slug so that the languages link up", s_line("slug"), t_line("slug") or 1)
    if s.order != t.order:
        def shown(order: float | None) -> str:
            return "none" if order is None else f"{order:g}"
        out.add("front-matter-differs", "warning", f"order {shown(t.order)} differs from the source's "
                f"{shown(s.order)} (source line {s_line('order')})", s_line("order"), t_line("order"))

