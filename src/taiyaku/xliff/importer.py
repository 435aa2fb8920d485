"""``xliff import``: translations back into their files, block by block, all or nothing per file.

A unit is refused, by name, when its source changed since the export (its id names another source), when the
translation file changed at that block since the export, or when its tags were lost, added, damaged or
reordered. A file with a refused unit is left as it is. Otherwise each changed target is written at its block's
lines (front matter values into their YAML scalars); then the check runs on the files touched, and a
translation's pin advances when no block of it is left outdated.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..check import CheckReport, check_volume
from ..config import CheckConfig
from ..check.history import load_history
from ..check.pin import pin_translation
from ..errors import ContentError, Diagnostic
from ..read.text import SourceText
from .exchange import ExportDocument, ReturnedUnit
from .export import collect_units
from .inline import Segment, Tag, write_segment
from .splice import Edit, ValueEdit, apply_edits, line_edits, scalar_span, value_edit
from .tags import known_tags, tag_problems
from .frames import frame_of
from .units import Unit

log = logging.getLogger(__name__)


@dataclass
class FileResult:
    """What the import did to one translation file."""

    path: str
    written: int = 0
    """Units whose translation was written."""
    unchanged: int = 0
    refused: list[Diagnostic] = field(default_factory=list)
    created: bool = False
    pinned: str | None = None
    data: bytes | None = None
    """The new content (``None`` when the file is left as it is)."""


@dataclass
class ImportResult:
    """The whole import: per translation file, and problems of units that belong to no file."""

    files: dict[str, FileResult] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    report: CheckReport | None = None
    """The check of the touched files after the import (not in a dry run)."""

    @property
    def refused(self) -> list[Diagnostic]:
        """Every refused unit, and every problem of the exchange file."""
        return self.problems + [d for f in self.files.values() for d in f.refused]


def _without_number(unit_id: str) -> tuple[str, str]:
    """A block unit's document and source hash (its block number left out); a value's id as it is."""
    parts = unit_id.split(":")
    if len(parts) == 3 and parts[1][:1] == "b" and parts[1][1:].isdigit():
        return parts[0], parts[2]
    return unit_id, ""


def _same(a: Segment | None, b: Segment | None) -> bool:
    """Whether two segments hold the same text and tags (a tag's ``ctype`` is only a hint for the tool)."""
    def shape(segment: Segment | None) -> list[object]:
        return [(p.kind, p.id, p.code) if isinstance(p, Tag) else p for p in segment or []]
    return shape(a) == shape(b)


def _markdown(unit: Unit, returned: Segment, frame_table: bool, single_line: bool) -> str:
    """The returned target as Markdown: the export's own code for each tag, the text escaped."""
    known = known_tags(unit.source, unit.target)
    pieces: Segment = [known.get((p.kind, p.id), p) if isinstance(p, Tag) else p for p in returned]
    return write_segment(pieces, table=frame_table, single_line=single_line)


def import_units(root: Path, xlf_path: str, lang: str, returned: list[ReturnedUnit], dry_run: bool = False,
                 pin: bool = True) -> ImportResult:
    """Apply returned units to the volume at ``root`` (or only say what would change, with ``dry_run``)."""
    result = ImportResult()
    sources = sorted({u.source_path for u in returned if u.source_path})
    collected = collect_units(root, lang, paths=sources or None, every=True)
    volume = collected.volume
    by_file = _match(collected.export.documents, returned, xlf_path, result)
    lang_files = volume.files.get(lang, {})
    source_files = volume.files.get(volume.config.source_language, {})
    done_lines: dict[str, set[int]] = {}
    for translation_path, pairs in by_file.items():
        file = result.files[translation_path]
        if file.refused:
            units = {d.message.split(" ", 2)[1] for d in file.refused}
            log.warning("%s: left as it is: %d unit(s) refused", translation_path, len(units))
            continue
        rel = translation_path.split("/", 2)[2]
        done_lines[translation_path] = _plan(root, file, pairs, lang_files.get(rel), source_files[rel], xlf_path)
    if dry_run:
        return result
    touched = _write(root, result)
    # A translation approved as it stands (finished, unchanged) may be pinned too: check those files as well.
    paths = sorted({f.path for f in touched} | {path for path, lines in done_lines.items() if lines})
    if paths:
        result.report = _check_and_pin(root, lang, paths, done_lines, result, volume.config.check, pin)
    return result


def _match(documents: list[ExportDocument], returned: list[ReturnedUnit], xlf_path: str,
           result: ImportResult) -> dict[str, list[tuple[ReturnedUnit, Unit]]]:
    """Each returned unit beside the unit it stands for now, by translation file; refusals go into ``result``."""
    current: dict[str, tuple[str, Unit]] = {}
    moved: dict[tuple[str, str], list[tuple[str, Unit]]] = {}
    for doc in documents:
        for unit in doc.units:
            current[unit.id] = (doc.translation, unit)
            moved.setdefault(_without_number(unit.id), []).append(current[unit.id])
    by_file: dict[str, list[tuple[ReturnedUnit, Unit]]] = {}
    for back in returned:
        # An id from outside may hold control characters: never let them reach a terminal as they are.
        back.id = back.id.encode("unicode_escape").decode("ascii") if not back.id.isprintable() else back.id
        found = current.get(back.id)
        if found is None and len(moved.get(_without_number(back.id), [])) == 1:
            found = moved[_without_number(back.id)][0]  # the same source, moved by blocks added or removed above
        if found is None:
            result.problems.append(Diagnostic(xlf_path, back.line, "xliff-import",
                                              f"unit {back.id}: refused: its source changed since the export (no "
                                              f"block of {back.source_path or 'the volume'} has that source now); "
                                              "export again"))
            continue
        translation_path, unit = found
        file = result.files.setdefault(translation_path, FileResult(translation_path))
        reasons = list(back.damage)
        if back.translation_hash and unit.translation_hash and back.translation_hash != unit.translation_hash:
            reasons.append(f"{translation_path} changed at this block since the export (line "
                           f"{unit.translation_line}); export again")
        if back.target is not None:
            reasons.extend(tag_problems(back.target, unit.source, unit.target))
        for reason in reasons:
            file.refused.append(Diagnostic(xlf_path, back.line, "xliff-import",
                                           f"unit {back.id} ({unit.resname}): refused: {reason}"))
        by_file.setdefault(translation_path, []).append((back, unit))
    return by_file


def _plan(root: Path, file: FileResult, pairs: list[tuple[ReturnedUnit, Unit]], translation: SourceText | None,
          source: SourceText, xlf_path: str) -> set[int]:
    """The new content of one translation file (``file.data``); returns the source lines of its finished units."""
    base = translation if translation is not None else source
    edits: list[Edit] = []
    values: list[ValueEdit] = []
    done: set[int] = set()
    for back, unit in pairs:
        if back.done and unit.source_line:
            done.add(unit.source_line)
        if back.target is None or not back.target or _same(back.target, unit.target):
            file.unchanged += 1
            continue
        try:
            edit = _edit_for(unit, back.target, base, translation is None, source)
        except ContentError as exc:
            file.refused.append(Diagnostic(xlf_path, back.line, "xliff-import",
                                           f"unit {back.id} ({unit.resname}): refused: {exc.message}"))
            continue
        if isinstance(edit, ValueEdit):
            values.append(edit)
        else:
            edits.append(edit)
        file.written += 1
    edits += line_edits((base.text or "").split("\n"), values)
    if file.refused or not edits:
        return set() if file.refused else done
    path = root / (translation.path if translation is not None else source.path)
    try:
        file.data = apply_edits(path.read_bytes(), edits)
    except (OSError, ValueError) as exc:
        file.refused.append(Diagnostic(file.path, None, "xliff-import", f"cannot write: {exc}"))
        return set()
    file.created = translation is None
    return done


def _write(root: Path, result: ImportResult) -> list[FileResult]:
    """Write every planned file, each atomically; returns those written."""
    touched = []
    for file in (f for f in result.files.values() if f.data is not None):
        try:
            _write_atomic(root / file.path, file.data or b"")
        except OSError as exc:
            file.refused.append(Diagnostic(file.path, None, "xliff-import", f"cannot write: {exc.strerror}"))
            file.data = None
            continue
        touched.append(file)
        log.debug("%s: %s %d unit(s)", file.path, "created with" if file.created else "wrote", file.written)
    return touched


def _check_and_pin(root: Path, lang: str, paths: list[str], done_lines: dict[str, set[int]], result: ImportResult,
                   config: CheckConfig, pin: bool) -> CheckReport:
    """The check of the files touched; a translation is pinned when every outdated block of it came back finished."""
    report = check_volume(root, [lang], paths=paths, catalogs=False)
    if not pin:
        return report
    history = None
    for checked in report.languages[lang].documents:
        if checked.status != "outdated" or checked.translation is None or checked.source is None:
            continue
        lines = done_lines.get(checked.translation, set())
        left = [c for c in checked.changed_blocks if c.change == "removed" or c.source_line not in lines]
        if left or not checked.changed_blocks:
            continue
        history = history or load_history(root, config.ignore_commit_markers)
        try:
            pinned = pin_translation(root, checked.translation, checked.source, history, config.pin_key)
        except ContentError as exc:
            log.warning("%s: not pinned: %s", checked.translation, exc.message)
            continue
        result.files.setdefault(checked.translation, FileResult(checked.translation)).pinned = pinned.sha
    if history is None:
        return report
    history.close()
    return check_volume(root, [lang], paths=paths, catalogs=False)


def _edit_for(unit: Unit, target: Segment, base: SourceText, new_file: bool, source: SourceText) -> Edit | ValueEdit:
    """The edit that writes ``target`` for ``unit`` into ``base`` (the translation, or the source copied)."""
    if unit.key_path:
        span = scalar_span(base.yaml_text, unit.key_path)
        if span is None:
            if len(unit.key_path) == 1 and base.front_matter_end:
                from .splice import quoted
                value = _markdown(unit, target, False, False)
                return Edit(base.front_matter_end, base.front_matter_end - 1, 0,
                            (f"{unit.key_path[0]}: {quoted(value)}",))
            raise ContentError(f"front matter value {'.'.join(map(str, unit.key_path))} is not in the "
                               "translation as a plain value: add it there first")
        value = _markdown(unit, target, False, False)
        return value_edit(base.yaml_start_line, span, value)
    block = unit.source_block if new_file or unit.translation_block is None else unit.translation_block
    assert block is not None
    framed = frame_of(block)
    assert framed is not None
    frame = framed[0]
    markdown = _markdown(unit, target, frame.table, frame.single_line)
    new_lines = tuple(frame.wrap(markdown))
    if new_file or unit.translation_block is not None:
        return Edit(block.line, block.end_line, 0, new_lines)
    return _insertion(unit, new_lines, base, source)


def _insertion(unit: Unit, new_lines: tuple[str, ...], translation: SourceText, source: SourceText) -> Edit:
    """A block the translation lacks: after the translation of the source block before it (in source order)."""
    from ..read.align import align

    block = unit.source_block
    assert block is not None
    mapping = align(source.blocks, translation.blocks, translation.parsed.trailing_markers).source_map()
    before = [b for b in source.blocks if b.line < block.line]
    gap = bool(before) and block.line - before[-1].end_line > 1
    for previous in reversed(before):
        anchor = mapping.get(previous.line)
        if anchor is not None:
            lines = ("",) + new_lines if gap else new_lines
            return Edit(anchor.end_line + 1, anchor.end_line, block.line, lines)
    if translation.blocks:  # before the translation's first block, a blank line between
        start = translation.blocks[0].line
        return Edit(start, start - 1, block.line, new_lines + ("",))
    end = len((translation.text or "").rstrip("\n").split("\n"))
    return Edit(end + 1, end, block.line, ("",) + new_lines)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
