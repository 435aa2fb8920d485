"""One source document against its translation: front matter, aligned blocks, footnotes, history.

Every problem names the source line and the translation line it concerns (1-based, in the files on disk).
Content missing from the translation is an error; heuristics that can misfire (numbers, link targets) are
warnings. Markers and the front matter's ``check: {ignore: [...]}`` silence known differences.
"""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterable, Sequence

import yaml

from ..config import DEFAULT_TRANSLATABLE_KEYS
from ..errors import Diagnostics, Severity
from ..frontmatter import FAST_LOADER, key_lines, read_meta, split_front_matter
from ..model import DocumentMeta, SourceFile
from ..sources import read_text
from .align import Alignment, Pair, Section, align
from .blocks import KIND_NAMES, TEXTLESS_KINDS, Block, ParsedBody, kind_matches, link_key, split_blocks
from .history import Staleness
from .model import ChangedBlock, DocumentReport, Problem, SourceChange
from .numbers import missing_in_text, missing_numbers
from .scripts import untranslated_reason

log = logging.getLogger(__name__)

TRANSLATED_KEYS = tuple(DEFAULT_TRANSLATABLE_KEYS)
"""Front matter keys whose values a translation translates: a change of one in the source is a source change."""
UNSILENCEABLE = {"source-changed", "translation-missing", "translation-orphan", "front-matter", "encoding",
                 "unreadable", "source-commit-unknown"}
"""Problems no marker can silence: they are fixed by translating, pinning or repairing the file."""
SILENCE_HINT = "<!-- taiyaku: ignore {kind} -->"


@dataclass
class ReadDocument:
    """One Markdown file read for the check (text normalised: no BOM, ``\\n`` line ends)."""

    file: SourceFile
    text: str | None
    """``None`` when the file could not be read or decoded."""
    meta: DocumentMeta | None
    """``None`` when the front matter is unusable (the problem is in ``problems``)."""
    body: ParsedBody
    yaml_text: str = ""
    yaml_start_line: int = 0
    body_start_line: int = 1
    problems: list[tuple[int | None, str, str, Severity]] = field(default_factory=list)
    """(line, kind, message, severity) found while reading."""

    @property
    def path(self) -> str:
        """Volume-relative path."""
        return self.file.volume_path

    @cached_property
    def key_lines(self) -> dict[str, int]:
        """File line of each top-level front matter key (PyYAML marks; computed when a message needs one)."""
        return key_lines(self.yaml_text, self.yaml_start_line) if self.yaml_start_line else {}

    @property
    def front_matter_end(self) -> int | None:
        """The line of the closing ``---`` (where a missing key would go); ``None`` without front matter."""
        return self.body_start_line - 1 if self.yaml_start_line else None

    @property
    def blocks(self) -> list[Block]:
        """The body's blocks."""
        return self.body.blocks

    @property
    def draft(self) -> bool:
        """``draft: true`` in the front matter."""
        return bool(self.meta and self.meta.draft)


def read_document(file: SourceFile) -> ReadDocument:
    """Read, split and parse one file; problems are recorded, never raised."""
    diagnostics = Diagnostics()
    empty = ParsedBody([], [], [])
    try:
        text = read_text(file, diagnostics)
    except OSError as exc:
        return ReadDocument(file, None, None, empty, problems=[(None, "unreadable", f"cannot read: {exc.strerror}",
                                                                 "error")])
    if text is None:
        return ReadDocument(file, None, None, empty, problems=[(d.line, d.category, d.message, d.severity)
                                                               for d in diagnostics.items])
    result = read_meta(text, file.volume_path, file.rel_path, diagnostics)
    split = split_front_matter(text)
    problems = [(d.line, d.category.replace(" ", "-"), d.message, d.severity) for d in diagnostics.items]
    if isinstance(split, int):
        return ReadDocument(file, text, None, empty, problems=problems)
    body = split_blocks(split.body, split.body_start_line)
    return ReadDocument(file, text, result[0] if result else None, body, split.yaml_text, split.yaml_start_line,
                        split.body_start_line, problems)


@dataclass
class PairContext:
    """What checking one pair needs besides the two documents."""

    source_lang: str
    target_lang: str
    staleness: Staleness | None = None
    old_source: str | None = None
    """The source's text at ``staleness.base`` (normalised), when the translation may be outdated."""
    outdated: bool = False
    pin_key: str = "source_commit"
    """The front matter key of pins (``[check] pin_key``)."""
    translatable_keys: Sequence[str] = TRANSLATED_KEYS
    """Front matter keys whose change in the source is a source change (``[check] translatable_keys``)."""


class _Collector:
    """Problems of one document; applies markers and the front matter's ``check.ignore`` as they come in."""

    def __init__(self, ignore: list[str]) -> None:
        self.problems: list[Problem] = []
        self.ignore = ignore
        self.silenced = 0

    def add(self, kind: str, severity: Severity, message: str, source_line: int | None = None,
            translation_line: int | None = None, blocks: Iterable[Block] = ()) -> None:
        if kind not in UNSILENCEABLE and (any(kind_matches(kind, name) for name in self.ignore)
                                          or any(b.silences(kind) for b in blocks)):
            self.silenced += 1
            return
        self.problems.append(Problem(kind, severity, message, source_line, translation_line))


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


def check_missing(source: ReadDocument, translation_path: str) -> DocumentReport:
    """A source without a translation."""
    report = DocumentReport(source.path, None, "missing")
    report.problems.append(Problem("translation-missing", "error",
                                   f"no translation: {translation_path} does not exist"))
    _read_problems(source, report.problems, "source")
    return report


def check_orphan(translation: ReadDocument, source_path: str) -> DocumentReport:
    """A translation without a source."""
    report = DocumentReport(None, translation.path, "orphan")
    report.problems.append(Problem("translation-orphan", "error", f"no source: {source_path} does not exist "
                                   "(remove the translation, or move it with its source)"))
    _read_problems(translation, report.problems, "translation")
    return report


def _read_problems(doc: ReadDocument, problems: list[Problem], side: str) -> None:
    for line, kind, message, severity in doc.problems:
        where = {"source_line": line} if side == "source" else {"translation_line": line}
        label = "source: " if side == "source" else ""
        problems.append(Problem(kind, severity, label + message, **where))


def check_pair(source: ReadDocument, translation: ReadDocument, ctx: PairContext) -> DocumentReport:
    """Compare a translation with its source; the report's status follows from the problems found."""
    report = DocumentReport(source.path, translation.path)
    pin = next((v for k, v in translation.meta.extra.items() if str(k).lower() == ctx.pin_key.lower()), None) \
        if translation.meta else None
    report.source_commit = str(pin) if pin is not None else None
    report.pin_key = ctx.pin_key
    problems: list[Problem] = []
    _read_problems(source, problems, "source")
    _read_problems(translation, problems, "translation")
    ignore = _ignore_list(translation.meta, lambda message: problems.append(
        Problem("front-matter", "error", message, None, _key_line(translation, "check"))))
    out = _Collector(ignore)
    out.problems.extend(problems)

    if source.text is not None and translation.text is not None:
        if source.meta is not None and translation.meta is not None:
            _check_front_matter(source, translation, ctx, out)
        for marker in translation.body.bad_markers:
            out.add("marker", "warning", f"unknown taiyaku marker {marker.directive!r} (known: ignore, merged, split, "
                    "added, omitted)", None, marker.line)
        alignment = align(source.blocks, translation.blocks, translation.body.trailing_markers)
        locate = _check_alignment(alignment, source, translation, ctx, out)
        if ctx.staleness is not None:
            _check_history(source, translation, ctx, alignment, locate, report, out)
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

def _check_front_matter(source: ReadDocument, translation: ReadDocument, ctx: PairContext, out: _Collector) -> None:
    s, t = source.meta, translation.meta
    assert s is not None and t is not None

    # Key lines need a second YAML pass: compute them only when a message needs one.
    def s_line(key: str) -> int | None:
        return _key_line(source, key)

    def t_line(key: str) -> int | None:
        return _key_line(translation, key)

    if t.draft:
        out.add("draft", "error", "marked draft: true, so the build leaves the translation out",
                s_line("draft"), t_line("draft"))
    for key in ("title", "subtitle", "abstract"):
        s_value, t_value = getattr(s, key), getattr(t, key)
        if s_value and not t_value:
            out.add("front-matter-missing", "error", f"the source's front matter has {key!r} (source line {s_line(key)}), "
                    "the translation's does not", s_line(key), translation.front_matter_end)
        elif s_value and t_value:
            reason = untranslated_reason(t_value, s_value, ctx.source_lang, ctx.target_lang, heading=key != "abstract")
            if reason:
                out.add("untranslated-front-matter", "error", f"{key!r} is not translated: {reason}",
                        s_line(key), t_line(key))
            if key == "abstract":
                missing = missing_in_text(s_value, t_value)
                if missing:
                    _numbers(missing, s_line(key), t_line(key), out, [])
    if s.authors and not t.authors:
        out.add("front-matter-missing", "error", f"the source's front matter names its authors (source line "
                f"{s_line('authors')}), the translation's does not", s_line("authors"), translation.front_matter_end)
    elif len(s.authors) != len(t.authors):
        out.add("front-matter-differs", "error", f"{_count(len(t.authors), 'author')}, the source names "
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


# -- blocks ----------------------------------------------------------------------------------------------------

def _describe(blocks: list[Block], side: str = "") -> str:
    """``a paragraph (line 21)``, ``a paragraph here`` or ``3 blocks (lines 21–30: 2 paragraphs, 1 list item)``."""
    if len(blocks) == 1:
        return f"a {KIND_NAMES[blocks[0].kind]} " + (side or f"(line {blocks[0].line})")
    kinds = Counter(KIND_NAMES[b.kind] for b in blocks)
    what = ", ".join(_count(n, k) for k, n in kinds.items())
    return f"{len(blocks)} blocks {side + ' ' if side else ''}(lines {blocks[0].line}–{blocks[-1].end_line}: {what})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _heading_name(section: Section) -> str:
    heading = section.heading
    return f"{heading.plain!r}" if heading else "the opening text"


def _check_alignment(alignment: Alignment, source: ReadDocument, translation: ReadDocument, ctx: PairContext,
                     out: _Collector) -> dict[int, int | None]:
    """Report every structural difference and compare paired blocks; returns source line → translation line."""
    locate: dict[int, int | None] = {}
    last_translation_line = translation.blocks[0].line if translation.blocks else None
    translation_refs = {label for b in translation.blocks for label in b.footnote_refs}
    sections = alignment.sections
    for index, (s_section, t_section, pairs) in enumerate(sections):
        if t_section is not None and t_section.heading:
            last_translation_line = t_section.heading.line
        if s_section is not None and t_section is None:
            where = _next_translation_line(sections, index) or last_translation_line
            for block in s_section.blocks():
                locate[block.line] = where
            if s_section.heading is not None:
                out.add("section-missing", "error",
                        f"section {_heading_name(s_section)} of the source (line {s_section.heading.line}, "
                        f"{_count(len(s_section.items), 'block')}) is missing here",
                        s_section.heading.line, where)
            continue
        if s_section is None and t_section is not None:
            if t_section.heading is not None:
                out.add("section-extra", "error", f"section {_heading_name(t_section)} has no counterpart in the source",
                        None, t_section.heading.line, [t_section.heading])
            continue
        assert s_section is not None and t_section is not None
        if s_section.heading and t_section.heading:
            locate[s_section.heading.line] = t_section.heading.line
            _compare([s_section.heading], [t_section.heading], ctx, out, translation_refs)
        section_end = t_section.blocks()[-1].line if t_section.blocks() else last_translation_line
        _check_pairs(pairs, ctx, out, translation_refs, locate, section_end or last_translation_line)
        last_translation_line = section_end or last_translation_line

    notes = alignment.footnotes
    for index, (s_note, t_note) in enumerate(notes):
        if s_note is not None and t_note is None:
            # Where it would go: before the next footnote the translation has, else after its last block.
            where = next((t.line for _, t in notes[index + 1 :] if t is not None), None) \
                or (translation.blocks[-1].end_line if translation.blocks else None)
            locate[s_note.line] = where
            out.add("footnote-missing", "error", f"footnote [^{s_note.label}] of the source (line {s_note.line}) has no "
                    "definition here", s_note.line, where)
        elif s_note is None and t_note is not None:
            if any(m.directive == "added" for m in t_note.markers):
                continue
            out.add("footnote-extra", "warning", f"footnote [^{t_note.label}] is not in the source (mark a "
                    "translator's note with <!-- taiyaku: added -->)", None, t_note.line, [t_note])
        elif s_note is not None and t_note is not None:
            locate[s_note.line] = t_note.line
            _compare([s_note], [t_note], ctx, out, translation_refs)
    source_refs = {label for b in source.blocks for label in b.footnote_refs}
    # Calls of the source's notes, and of notes the translator marked as added, are all accounted for.
    source_labels = {b.label for b in source.blocks if b.kind == "footnote"}
    source_labels |= {b.label for b in translation.blocks
                      if b.kind == "footnote" and any(m.directive == "added" for m in b.markers)}
    for block in translation.blocks:
        for label in block.footnote_refs:
            if label not in source_refs and label not in source_labels and block not in alignment.added:
                out.add("footnote-extra", "warning", f"footnote call [^{label}] is not in the source", None,
                        block.line, [block])
    return locate


def _next_translation_line(sections: list[tuple[Section | None, Section | None, list[Pair]]], index: int) -> int | None:
    for _, t_section, _ in sections[index + 1 :]:
        if t_section is not None and t_section.blocks():
            return t_section.blocks()[0].line
    return None


def _check_pairs(pairs: list[Pair], ctx: PairContext, out: _Collector, translation_refs: set[str],
                 locate: dict[int, int | None], section_end: int | None) -> None:
    """Gaps become block-missing / block-extra (one problem per run); pairs are compared."""
    index = 0
    previous_line = None
    while index < len(pairs):
        pair = pairs[index]
        if pair.source and pair.unit is None:
            start = index
            run: list[Block] = []
            while index < len(pairs) and pairs[index].unit is None:
                run.extend(pairs[index].source)
                index += 1
            following = next((p.translation[0].line for p in pairs[index:] if p.translation), None)
            where = following or previous_line or section_end
            for block in run:
                locate[block.line] = where
            before = pairs[start - 1] if start else None
            hint = ""
            if before is not None and before.translation and before.translation[0].kind == run[0].kind \
                    and run[0].kind in ("paragraph", "list-item", "quote"):
                hint = (" (if the translation merged it into the block before, mark that one "
                        f"<!-- taiyaku: merged {len(before.source) + len(run)} -->)")
            out.add("block-missing", "error", f"{_describe(run)} of the source "
                    f"{'has' if len(run) == 1 else 'have'} no counterpart here" + hint, run[0].line, where)
            continue
        if not pair.source and pair.unit is not None:
            extra: list[Block] = []
            while index < len(pairs) and not pairs[index].source and pairs[index].unit is not None:
                extra.extend(pairs[index].translation)
                index += 1
            if extra:
                following_source = next((p.source[0].line for p in pairs[index:] if p.source), None)
                out.add("block-extra", "error", f"{_describe(extra, 'here')} "
                        f"{'has' if len(extra) == 1 else 'have'} no counterpart in the source (a split paragraph: "
                        "<!-- taiyaku: split N --> before its first part; a translator's note: "
                        "<!-- taiyaku: added -->)", following_source, extra[0].line, extra)
                previous_line = extra[-1].line
            continue
        if pair.translation:
            for block in pair.source:
                locate[block.line] = pair.translation[0].line
            _compare(pair.source, pair.translation, ctx, out, translation_refs)
            previous_line = pair.translation[-1].line
        else:
            for block in pair.source:
                locate[block.line] = previous_line
        index += 1


def _numbers(missing: list[str], source_line: int | None, translation_line: int | None, out: _Collector,
             blocks: list[Block]) -> None:
    if missing:
        out.add("number-missing", "warning", f"{', '.join(missing)} of the source (line {source_line}) not found here",
                source_line, translation_line, blocks)


def _compare(source: list[Block], translation: list[Block], ctx: PairContext, out: _Collector,
             translation_refs: set[str]) -> None:
    """Everything that can differ between a source block (or group) and the translation that stands for it."""
    s, t = source[0], translation[0]
    s_line, t_line = s.line, t.line
    if s.kind != t.kind:
        out.add("block-kind", "error", f"a {KIND_NAMES[t.kind]} where the source has a {KIND_NAMES[s.kind]} "
                f"(source line {s_line})", s_line, t_line, translation)
    source_plain = " ".join(b.plain for b in source)
    for block in translation:
        if block.kind in TEXTLESS_KINDS or not block.plain:
            continue
        counterpart = source_plain if len(source) == 1 and len(translation) == 1 else ""
        reason = untranslated_reason(block.plain, counterpart, ctx.source_lang, ctx.target_lang,
                                     heading=block.kind == "heading", footnote=block.kind == "footnote")
        if reason:
            out.add("untranslated-block", "error", f"{KIND_NAMES[block.kind]} not translated: {reason} (source line "
                    f"{s_line}; to keep it on purpose: {SILENCE_HINT.format(kind='untranslated')})",
                    s_line, block.line, translation)
    missing = missing_numbers([n for b in source for n in b.numbers],
                              [n for b in translation for n in b.numbers_with_kanji])
    _numbers(missing, s_line, t_line, out, translation)

    s_images = [i for b in source for i in b.images]
    t_images = [i for b in translation for i in b.images]
    if s.kind != t.kind and "figure" in (s.kind, t.kind):
        pass  # a figure that lost its image is reported once, as a block of another kind
    elif len(t_images) < len(s_images):
        out.add("image-missing", "error", f"{_count(len(t_images), 'image')} where the source has {len(s_images)} "
                f"(source line {s_line})", s_line, t_line, translation)
    elif s_images != t_images[: len(s_images)] or len(t_images) > len(s_images):
        out.add("image-differs", "warning", f"image {', '.join(t_images)} differs from the source's "
                f"{', '.join(s_images)} (source line {s_line})", s_line, t_line, translation)

    s_links = [link for b in source for link in b.links]
    lost: list[str] = []
    if s_links:
        # A link that differs only by the language prefix (/docs/x, /ja/docs/x) or its form (x.md, /x/) is kept.
        languages = (ctx.source_lang, ctx.target_lang)
        kept = Counter(link_key(link, languages) for b in translation for link in b.links)
        for link in s_links:
            key = link_key(link, languages)
            if kept[key] > 0:
                kept[key] -= 1
            else:
                lost.append(link)
    if lost:
        out.add("link-differs", "warning", f"link to {', '.join(lost)} of the source (line {s_line}) not found here",
                s_line, t_line, translation)

    t_refs = {label for b in translation for label in b.footnote_refs}
    for label in dict.fromkeys(label for b in source for label in b.footnote_refs):
        if label in t_refs:
            continue
        if label in translation_refs:
            out.add("footnote-moved", "warning", f"footnote call [^{label}] of the source's block (line {s_line}) is "
                    "in another block here", s_line, t_line, translation)
        else:
            out.add("footnote-reference-missing", "error", f"footnote call [^{label}] of the source (line {s_line}) "
                    "is missing", s_line, t_line, translation)

    if s.kind == t.kind == "table-row" and len(source) == len(translation) == 1 and len(s.cells) != len(t.cells):
        out.add("table-columns", "error", f"{_count(len(t.cells), 'cell')} where the source's row has {len(s.cells)} "
                f"(source line {s_line})", s_line, t_line, translation)


# -- history ---------------------------------------------------------------------------------------------------

def _check_history(source: ReadDocument, translation: ReadDocument, ctx: PairContext, alignment: Alignment,
                   locate: dict[int, int | None], report: DocumentReport, out: _Collector) -> None:
    """Outdated translations: the commits since, and the changed source blocks beside their translations."""
    staleness = ctx.staleness
    assert staleness is not None
    if staleness.unknown_pin:
        out.add("source-commit-unknown", "warning" if staleness.shallow_pin else "error", staleness.unknown_pin,
                None, _key_line(translation, ctx.pin_key))
        return
    if not ctx.outdated or staleness.base is None:
        return
    report.source_changes = [SourceChange(c.short, c.sha, c.date, c.subject) for c in staleness.later]
    if staleness.dirty:
        report.source_changes.insert(0, SourceChange(None, None, None, "uncommitted changes in the working tree"))
    since = _since(staleness)
    old_blocks: list[Block] = []
    old_values: dict[str, Any] = {}
    if ctx.old_source is not None:
        split = split_front_matter(ctx.old_source)
        if not isinstance(split, int):
            old_blocks = split_blocks(split.body, split.body_start_line).blocks
            old_values = _front_matter_values(split.yaml_text)
    translation_by_line = {b.line: b for b in translation.blocks}
    changes: list[ChangedBlock] = []
    descriptions: list[str] = []
    if ctx.old_source is not None and source.yaml_start_line:
        new_values = _front_matter_values(source.yaml_text)
        for key in ctx.translatable_keys:
            key = key.lower()
            if new_values.get(key) != old_values.get(key):
                changes.append(ChangedBlock(_key_line(source, key), _key_line(translation, key), "changed",
                                            _shown(old_values.get(key)), _shown(new_values.get(key)), ""))
                descriptions.append(f"front matter {key!r} changed in the source")
    new_blocks = source.blocks
    # No old source (it did not exist then, or could not be read): the whole document is the change, said once.
    opcodes = difflib.SequenceMatcher(None, [(b.kind, b.normalized) for b in old_blocks],
                                      [(b.kind, b.normalized) for b in new_blocks], autojunk=False).get_opcodes() \
        if ctx.old_source is not None else []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            continue
        for offset, block in enumerate(new_blocks[j1:j2]):
            old = old_blocks[i1 + offset].text if i1 + offset < i2 else ""
            t_line = locate.get(block.line)
            t_block = translation_by_line.get(t_line) if t_line is not None else None
            changes.append(ChangedBlock(block.line, t_line, "changed" if old else "added", old, block.text,
                                        t_block.text if t_block else ""))
            descriptions.append(f"{block.name} {'changed' if old else 'added'} in the source")
        removed = old_blocks[i1 + (j2 - j1) : i2]
        if removed:
            after = new_blocks[j2] if j2 < len(new_blocks) else None
            t_line = _extra_before(alignment, after) or (locate.get(after.line) if after else None)
            t_block = translation_by_line.get(t_line) if t_line is not None else None
            changes.append(ChangedBlock(after.line if after else None, t_line, "removed",
                                        "\n\n".join(b.text for b in removed), "", t_block.text if t_block else ""))
            gone = KIND_NAMES[removed[0].kind] if len(removed) == 1 else f"{len(removed)} blocks"
            place = f"before line {after.line}" if after else "at the end"
            descriptions.append(f"{gone} removed from the source {place}")
    report.changed_blocks = changes
    for change, what in zip(changes, descriptions):
        out.add("source-changed", "error", f"{what} {since}", change.source_line, change.translation_line)
    if not changes:
        out.add("source-changed", "error", f"the source changed {since}", None, None)
    # A changed source block explains the differences found at it: report the change, not its symptoms.
    changed_lines = {c.source_line for c in changes if c.change != "removed" and c.source_line is not None}
    removed_lines = {c.translation_line for c in changes if c.change == "removed" and c.translation_line is not None}
    out.problems = [p for p in out.problems if p.kind == "source-changed" or not (
        p.source_line in changed_lines or (p.kind in ("block-extra", "section-extra")
                                           and p.translation_line in removed_lines))]


def _front_matter_values(yaml_text: str) -> dict[str, Any]:
    """Raw front matter values by lower-case key, to tell whether one changed (validation is read_meta's job)."""
    try:
        data = yaml.load(yaml_text, Loader=FAST_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    found: dict[str, Any] = {}
    for key, value in data.items():
        found.setdefault(str(key).lower(), value)
    return found


def _key_line(doc: ReadDocument, key: str) -> int | None:
    """The line of a front matter key, matched case-insensitively."""
    lines = doc.key_lines
    return lines.get(key) if key in lines else next((v for k, v in lines.items() if k.lower() == key.lower()), None)


def _shown(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else yaml.safe_dump(value, allow_unicode=True)


def _since(staleness: Staleness) -> str:
    base = staleness.base
    assert base is not None
    made = "pinned" if staleness.pinned else "translated"
    commits = staleness.later
    if commits:
        latest = commits[0]
        more = f" and {len(commits) - 1} more" if len(commits) > 1 else ""
        dirty = ", plus uncommitted changes" if staleness.dirty else ""
        return f"since it was {made} at {base.short}: {latest.short} {latest.date} {latest.subject!r}{more}{dirty}"
    return f"since it was {made} at {base.short}: uncommitted changes"


def _extra_before(alignment: Alignment, block: Block | None) -> int | None:
    """The first of the translation blocks without a source counterpart just before ``block`` (or the end)."""
    entries: list[tuple[list[Block], list[Block]]] = []
    for s_section, t_section, pairs in alignment.sections:
        s_head = [s_section.heading] if s_section and s_section.heading else []
        t_head = [t_section.heading] if t_section and t_section.heading else []
        if s_head or t_head:
            entries.append((s_head, t_head))
        if s_section is not None and t_section is None:
            entries.extend(([b], []) for b in s_section.items)
        elif t_section is not None and s_section is None:
            entries.extend(([], list(u.blocks)) for u in t_section.items)
        else:
            entries.extend((p.source, p.translation) for p in pairs)
    index = next((i for i, (src, _) in enumerate(entries) if block is not None and block in src), len(entries))
    first = None
    while index > 0 and not entries[index - 1][0] and entries[index - 1][1]:
        index -= 1
        first = entries[index][1][0].line
    return first


def read_old_text(data: bytes | None) -> str | None:
    """An old source blob as text the way the check reads files (BOM and CRLF removed)."""
    if data is None:
        return None
    return data.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")

