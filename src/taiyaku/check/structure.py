"""The body of a pair, block by block: sections and blocks only one side has, and what differs in blocks that pair
up (kind, untranslated text, numbers, images, links, footnote calls, table cells).

Content missing from the translation is an error; heuristics that can misfire (numbers, link targets) are
warnings.
"""

from __future__ import annotations

import re
from collections import Counter

from ..read.align import Alignment, Pair, Section
from ..read.blocks import KIND_NAMES, TEXTLESS_KINDS, Block, link_key
from ..read.numbers import missing_numbers
from ..read.text import SourceText
from .context import SILENCE_HINT, Collector, PairContext, count
from .scripts import untranslated_text


def describe(blocks: list[Block], side: str = "") -> str:
    """``a paragraph (line 21)``, ``a paragraph here`` or ``3 blocks (lines 21–30: 2 paragraphs, 1 list item)``."""
    if len(blocks) == 1:
        return f"a {KIND_NAMES[blocks[0].kind]} " + (side or f"(line {blocks[0].line})")
    kinds = Counter(KIND_NAMES[b.kind] for b in blocks)
    what = ", ".join(count(n, k) for k, n in kinds.items())
    return f"{len(blocks)} blocks {side + ' ' if side else ''}(lines {blocks[0].line}–{blocks[-1].end_line}: {what})"


_CODE = re.compile(r"(`+)(.+?)\1")
_LINK_TEXT = re.compile(r"!?\[((?:[^\]\\]|\\.)*)\]\([^)]*\)")
_EMPHASIS_MARK = re.compile(r"(?<![\w\\])[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}(?!\w)|~~")


def shown(block: Block) -> str:
    """A block's text for quoting in a message: links and emphasis resolved, inline code kept as written."""
    parts = []
    at = 0
    text = block.content
    for match in _CODE.finditer(text):
        parts.append(_EMPHASIS_MARK.sub("", _LINK_TEXT.sub(r"\1", text[at : match.start()])))
        parts.append(match[0])
        at = match.end()
    parts.append(_EMPHASIS_MARK.sub("", _LINK_TEXT.sub(r"\1", text[at:])))
    return " ".join("".join(parts).split())


def _heading_name(section: Section) -> str:
    heading = section.heading
    return f"{shown(heading)!r}" if heading else "the opening text"


def _names(sections: list[Section], shown_at_most: int = 3) -> str:
    """``'A', 'B', 'C' and 2 more``."""
    names = [_heading_name(section) for section in sections[:shown_at_most]]
    more = len(sections) - len(names)
    return ", ".join(names) + (f" and {more} more" if more else "")


def check_alignment(alignment: Alignment, source: SourceText, translation: SourceText, ctx: PairContext,
                     out: Collector) -> dict[int, int | None]:
    """Report every structural difference and compare paired blocks; returns source line → translation line."""
    locate: dict[int, int | None] = {}
    last_translation_line = translation.blocks[0].line if translation.blocks else None
    translation_refs = {label for b in translation.blocks for label in b.footnote_refs}
    sections = alignment.sections
    # Consecutive sections only one side has are one change (the FAQ split into pages): reported once.
    missing: list[tuple[Section, int | None]] = []
    extra: list[Section] = []
    for index, (s_section, t_section, pairs) in enumerate(sections):
        if t_section is not None and t_section.heading:
            last_translation_line = t_section.heading.line
        if s_section is not None and t_section is None:
            where = _next_translation_line(sections, index) or last_translation_line
            for block in s_section.blocks():
                locate[block.line] = where
            if s_section.heading is not None:
                missing.append((s_section, where))
            continue
        if s_section is None and t_section is not None:
            if t_section.heading is not None:
                extra.append(t_section)
            continue
        _report_sections(missing, extra, out)
        assert s_section is not None and t_section is not None
        if s_section.heading and t_section.heading:
            locate[s_section.heading.line] = t_section.heading.line
            _compare([s_section.heading], [t_section.heading], ctx, out, translation_refs)
        section_end = t_section.blocks()[-1].line if t_section.blocks() else last_translation_line
        _check_pairs(pairs, ctx, out, translation_refs, locate, section_end or last_translation_line)
        last_translation_line = section_end or last_translation_line
    _report_sections(missing, extra, out)

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


def _report_sections(missing: list[tuple[Section, int | None]], extra: list[Section], out: Collector) -> None:
    """Report the run of sections missing here, and the run of sections without a source, each once; empty them."""
    if len(missing) == 1:
        section, where = missing[0]
        assert section.heading is not None
        out.add("section-missing", "error", f"section {_heading_name(section)} of the source (line "
                f"{section.heading.line}, {count(len(section.items), 'block')}) is missing here",
                section.heading.line, where)
    elif missing:
        first, where = missing[0]
        last = missing[-1][0]
        blocks = sum(len(section.items) for section, _ in missing)
        assert first.heading is not None
        end = last.blocks()[-1].end_line if last.blocks() else first.heading.line
        out.add("section-missing", "error", f"{len(missing)} sections of the source (lines {first.heading.line}–{end}, "
                f"{count(blocks, 'block')}: {_names([s for s, _ in missing])}) are missing here",
                first.heading.line, where)
    if len(extra) == 1:
        section = extra[0]
        assert section.heading is not None
        out.add("section-extra", "error", f"section {_heading_name(section)} has no counterpart in the source",
                None, section.heading.line, [section.heading])
    elif extra:
        first_heading, last = extra[0].heading, extra[-1]
        assert first_heading is not None
        end = last.blocks()[-1].end_line if last.blocks() else first_heading.line
        out.add("section-extra", "error", f"{len(extra)} sections (lines {first_heading.line}–{end}: "
                f"{_names(extra)}) have no counterpart in the source", None, first_heading.line,
                [s.heading for s in extra if s.heading is not None])
    missing.clear()
    extra.clear()


def _next_translation_line(sections: list[tuple[Section | None, Section | None, list[Pair]]], index: int) -> int | None:
    for _, t_section, _ in sections[index + 1 :]:
        if t_section is not None and t_section.blocks():
            return t_section.blocks()[0].line
    return None


def _check_pairs(pairs: list[Pair], ctx: PairContext, out: Collector, translation_refs: set[str],
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
            out.add("block-missing", "error", f"{describe(run)} of the source "
                    f"{'has' if len(run) == 1 else 'have'} no counterpart here" + hint, run[0].line, where)
            continue
        if not pair.source and pair.unit is not None:
            extra: list[Block] = []
            while index < len(pairs) and not pairs[index].source and pairs[index].unit is not None:
                extra.extend(pairs[index].translation)
                index += 1
            if extra:
                following_source = next((p.source[0].line for p in pairs[index:] if p.source), None)
                out.add("block-extra", "error", f"{describe(extra, 'here')} "
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


def report_numbers(missing: list[str], source_line: int | None, translation_line: int | None, out: Collector,
                   blocks: list[Block]) -> None:
    """One ``number-missing`` warning for the numbers of a source block its translation lacks."""
    if missing:
        out.add("number-missing", "warning", f"{', '.join(missing)} of the source (line {source_line}) not found here",
                source_line, translation_line, blocks)


def _compare(source: list[Block], translation: list[Block], ctx: PairContext, out: Collector,
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
        reason = untranslated_text(block.plain, counterpart, ctx.source_lang, ctx.target_lang, ctx.identifiers,
                                   heading=block.kind == "heading", footnote=block.kind == "footnote")
        if reason:
            out.add("untranslated-block", "error", f"{KIND_NAMES[block.kind]} not translated: {reason} (source line "
                    f"{s_line}; to keep it on purpose: {SILENCE_HINT.format(kind='untranslated')})",
                    s_line, block.line, translation)
    source_numbers = [n for b in source for n in b.numbers]
    if source_numbers:  # the translation's numbers are looked for only when the source has some
        missing = missing_numbers(source_numbers, [n for b in translation for n in b.numbers_with_kanji])
        report_numbers(missing, s_line, t_line, out, translation)

    s_images = [i for b in source for i in b.images]
    t_images = [i for b in translation for i in b.images]
    if s.kind != t.kind and "figure" in (s.kind, t.kind):
        pass  # a figure that lost its image is reported once, as a block of another kind
    elif len(t_images) < len(s_images):
        out.add("image-missing", "error", f"{count(len(t_images), 'image')} where the source has {len(s_images)} "
                f"(source line {s_line})", s_line, t_line, translation)
    elif s_images != t_images[: len(s_images)] or len(t_images) > len(s_images):
        out.add("image-differs", "warning", f"image {', '.join(t_images)} differs from the source's "
                f"{', '.join(s_images)} (source line {s_line})", s_line, t_line, translation)

    s_links = [link for b in source for link in b.links]
    lost: list[str] = []
    if s_links:
        # A link that differs only by the language prefix (/docs/x, /ja/docs/x) or its form (x.md, /x/) is kept.
        languages = (ctx.source_lang, ctx.target_lang)
        site = ctx.markup.normalize  # a link to the site's own base_url is the same path without it
        kept = Counter(link_key(site(link), languages) for b in translation for link in b.links)
        for link in s_links:
            key = link_key(site(link), languages)
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
        out.add("table-columns", "error", f"{count(len(t.cells), 'cell')} where the source's row has {len(s.cells)} "
                f"(source line {s_line})", s_line, t_line, translation)

