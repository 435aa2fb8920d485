"""An outdated translation: the source commits since its base, and each changed source block beside the
translation block it maps to."""

from __future__ import annotations

import difflib
from typing import Any

import yaml

from ..read.align import Alignment
from ..read.blocks import KIND_NAMES, Block
from ..read.frontmatter import split_front_matter
from ..read.body import split_body
from ..read.text import SourceText
from .context import Collector, PairContext, key_line
from .structure import describe
from .history import Staleness
from .housekeeping import keys_to_follow, parsed_yaml, strip_markup
from .model import ChangedBlock, DocumentReport, SourceChange


def check_history(source: SourceText, translation: SourceText, ctx: PairContext, alignment: Alignment,
                   locate: dict[int, int | None], report: DocumentReport, out: Collector) -> None:
    """Outdated translations: the commits since, and the changed source blocks beside their translations."""
    staleness = ctx.staleness
    assert staleness is not None
    if staleness.unknown_pin:
        out.add("source-commit-unknown", "warning" if staleness.shallow_pin else "error", staleness.unknown_pin,
                None, key_line(translation, ctx.pin_key))
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
            old_blocks = split_body(split.body, split.body_start_line, source.mdx, source.commonmark).blocks
            old_values = _front_matter_values(split.yaml_text)
    translation_by_line = {b.line: b for b in translation.blocks}
    followed = 0
    changes: list[ChangedBlock] = []
    descriptions: list[str] = []
    if ctx.old_source is not None and source.yaml_start_line:
        new_values = _front_matter_values(source.yaml_text)
        done = _front_matter_values(translation.yaml_text)
        for key in keys_to_follow(old_values, new_values, done, ctx.translatable_keys):
            if key:
                changes.append(ChangedBlock(key_line(source, key), key_line(translation, key), "changed",
                                            _shown(old_values.get(key)), _shown(new_values.get(key)), ""))
                descriptions.append(f"front matter {key!r} changed in the source")
    new_blocks = source.blocks
    # No old source (it did not exist then, or could not be read): the whole document is the change, said once.
    # Blocks compared as the outdated status compares texts: a block whose markup only changed is no change.
    seen: dict[str, str] = {}  # most blocks are the same in the old source and the new: normalised once

    def key(block: Block) -> tuple[str, str]:
        content = block.content
        found = seen.get(content)
        if found is None:
            found = seen[content] = strip_markup(ctx.markup.normalize(content))
        return block.kind, found

    opcodes = difflib.SequenceMatcher(None, [key(b) for b in old_blocks], [key(b) for b in new_blocks],
                                      autojunk=False).get_opcodes() if ctx.old_source is not None else []
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
            extra = _extra_before(alignment, after)
            if extra is None and all(b.kind == "heading" for b in removed):
                # The translation has no heading left over there: it follows the removal already.
                followed += 1
                continue
            t_line = extra or (locate.get(after.line) if after else None)
            t_block = translation_by_line.get(t_line) if t_line is not None else None
            changes.append(ChangedBlock(after.line if after else None, t_line, "removed",
                                        "\n\n".join(b.text for b in removed), "", t_block.text if t_block else ""))
            gone = KIND_NAMES[removed[0].kind] if len(removed) == 1 else f"{len(removed)} blocks"
            place = f"before line {after.line}" if after else "at the end"
            descriptions.append(f"{gone} removed from the source {place}")
    report.changed_blocks = changes
    for what, source_line, translation_line in _grouped(changes, descriptions, new_blocks):
        out.add("source-changed", "error", f"{what} {since}", source_line, translation_line)
    if not changes and followed:
        report.source_changes = []  # every change is one the translation follows already
    elif not changes:
        out.add("source-changed", "error", f"the source changed {since}", None, None)
    # A changed source block explains the differences found at it: report the change, not its symptoms.
    changed_lines = {c.source_line for c in changes if c.change != "removed" and c.source_line is not None}
    removed_lines = {c.translation_line for c in changes if c.change == "removed" and c.translation_line is not None}
    out.problems = [p for p in out.problems if p.kind == "source-changed" or not (
        p.source_line in changed_lines or (p.kind in ("block-extra", "section-extra")
                                           and p.translation_line in removed_lines))]


def _grouped(changes: list[ChangedBlock], descriptions: list[str],
             blocks: list[Block]) -> list[tuple[str, int | None, int | None]]:
    """One message per change, except that blocks added in a row at one place of the translation are one."""
    by_line = {b.line: b for b in blocks}
    position = {b.line: index for index, b in enumerate(blocks)}
    messages: list[tuple[str, int | None, int | None]] = []
    run: list[ChangedBlock] = []

    def flush() -> None:
        if len(run) > 1:
            added = [by_line[c.source_line] for c in run if c.source_line in by_line]
            messages.append((f"{describe(added)} added in the source", run[0].source_line, run[0].translation_line))
        elif run:
            messages.append((f"{by_line[run[0].source_line].name} added in the source", run[0].source_line,
                             run[0].translation_line))
        run.clear()

    for change, what in zip(changes, descriptions):
        if change.change == "added" and change.source_line in by_line and (
                not run or (run[-1].translation_line == change.translation_line
                            and position[run[-1].source_line] + 1 == position[change.source_line])):
            run.append(change)
            continue
        flush()
        if change.change == "added" and change.source_line in by_line:
            run.append(change)
            continue
        messages.append((what, change.source_line, change.translation_line))
    flush()
    return messages


def _front_matter_values(yaml_text: str) -> dict[str, Any]:
    """Raw front matter values by lower-case key, to tell whether one changed (validation is read_meta's job)."""
    parsed, data = parsed_yaml(yaml_text)
    if not parsed or not isinstance(data, dict):
        return {}
    found: dict[str, Any] = {}
    for key, value in data.items():
        found.setdefault(str(key).lower(), value)
    return found


def _shown(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else yaml.safe_dump(value, allow_unicode=True)


def _since(staleness: Staleness) -> str:
    base = staleness.base
    assert base is not None
    made = "pinned" if staleness.pinned else "translated"
    commits = staleness.later
    since = f"since it was {made} at {base.short}"
    if not commits:
        return f"{since}: uncommitted changes"
    latest = f"{commits[0].short} {commits[0].date} {commits[0].subject!r}"
    if len(commits) == 1 and not staleness.dirty:
        return f"{since}: {latest}"
    # An uncommitted edit is named as such, never counted as one more commit (issue 26).
    counted = f"1 source commit ({latest})" if len(commits) == 1 else \
        f"{len(commits)} source commits (the latest {latest})"
    return f"{since}: {counted}" + (" and uncommitted changes" if staleness.dirty else "")


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

