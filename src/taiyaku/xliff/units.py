"""Translation units: the blocks (and front matter values) a translator is sent, with stable ids.

A unit is made from the check's view of a document pair: the source block, the translation block aligned with
it one for one (if any), and, for an outdated block, what the source said when it was translated. A unit id is
``<document>:b<block number>:<hash of the block's source>`` (``<document>:fm:<key path>:<hash>`` for a front
matter value): exporting the same source again gives the same ids, and a changed source gives another.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from ..check.model import DocumentReport
from ..read.blocks import Block
from ..read.text import SourceText
from .frames import segment_of
from .inline import Segment, Tag, plain_text, read_segment, tags_of

State = Literal["new", "needs-translation", "needs-review-translation", "translated"]
Reason = Literal["missing", "outdated", "untranslated", "current"]

FRONT_MATTER_TEXT_KEYS = ("name", "affiliation", "bio")
"""Inside a translatable list of mappings (``authors``), the keys whose values are text."""


def short_hash(text: str) -> str:
    """Eight hex digits of a text's SHA-1: enough to tell one block's versions apart."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


@dataclass
class Unit:
    """One thing to translate: a source block or front matter value, and what the translation has for it."""

    id: str
    doc: str
    """The document's path inside its language folder (``03-paying-for-deterrence.md``)."""
    kind: str
    """The block's kind, or ``front-matter``."""
    resname: str
    """The heading path (``Paying for Deterrence > The December decision``), or ``front matter: title``."""
    source: Segment
    reason: Reason
    target: Segment | None = None
    state: State = "new"
    old_source: Segment | None = None
    """For an outdated block: the source it was translated from."""
    note: str = ""
    source_line: int | None = None
    translation_line: int | None = None
    translation_hash: str = ""
    """Hash of the translation block as exported: an import refuses the unit if the file changed since."""
    key_path: tuple[str | int, ...] = ()
    """For a front matter value: its keys (``("authors", 0, "bio")``)."""
    source_block: Block | None = field(default=None, repr=False)
    translation_block: Block | None = field(default=None, repr=False)


def word_diff(old: str, new: str) -> str:
    """A word diff from ``old`` to ``new``: ``[-removed-]{+added+}``, unchanged words as they are."""
    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            same = "".join(a[i1:i2]).split()
            # Long unchanged stretches shortened to a few words of context either side.
            if len(same) > 12:
                head = same[:5] if i1 > 0 else []
                tail = same[-5:] if i2 < len(a) else []
                same = head + ["…"] + tail
            out.append(" " + " ".join(same) + " ")
            continue
        if i2 > i1:
            out.append(" [-" + "".join(a[i1:i2]).strip() + "-] ")
        if j2 > j1:
            out.append(" {+" + "".join(b[j1:j2]).strip() + "+} ")
    return " ".join("".join(out).split())


def reconcile(source: Segment, target: Segment) -> Segment:
    """``target`` with its tags numbered like the source's that they stand for.

    A tag matches a source tag with the same code (a footnote call, the same link); then, in order, one of the same
    kind (a link to the Japanese edition for the source's link). Tags with no counterpart get fresh ids.
    """
    def groups(segment: Segment) -> list[tuple[str, str, str]]:
        """(id, ctype, code with the pair's closing) per ``ph`` or ``bpt``, in order."""
        closing = {t.id: t.code for t in tags_of(segment) if t.kind == "ept"}
        return [(t.id, t.ctype, t.code + "\0" + closing.get(t.id, "") if t.kind == "bpt" else t.code)
                for t in tags_of(segment) if t.kind != "ept"]

    src, tgt = groups(source), groups(target)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for tid, ctype, code in tgt:
        found = next((sid for sid, sc, scode in src if sid not in used and sc == ctype and scode == code), None)
        if found:
            mapping[tid] = found
            used.add(found)
    for tid, ctype, _ in tgt:
        if tid in mapping or ctype == "x-footnote":
            continue
        found = next((sid for sid, sc, _ in src if sid not in used and sc == ctype), None)
        if found:
            mapping[tid] = found
            used.add(found)
    fresh = max((int(sid) for sid, _, _ in src), default=0)
    for tid, _, _ in tgt:
        if tid not in mapping:
            fresh += 1
            mapping[tid] = str(fresh)
    return [Tag(p.kind, mapping[p.id], p.code, p.ctype) if isinstance(p, Tag) else p for p in target]


def _heading_paths(blocks: list[Block], title: str) -> dict[int, str]:
    """Each block's heading path (the document's title first), by its line."""
    stack: list[tuple[int, str]] = [(0, title)] if title else []
    paths: dict[int, str] = {}
    for block in blocks:
        if block.kind == "heading":
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.plain))
        paths[block.line] = " > ".join(title for _, title in stack)
    return paths


def _block_map(report: DocumentReport) -> dict[int, tuple[str, Block | None]]:
    """Source block line → ("one", its translation block) / ("none", None) / ("many", None: merged, split or
    omitted on purpose)."""
    found: dict[int, tuple[str, Block | None]] = {}
    alignment = report.alignment
    if alignment is None:
        return found
    for s_section, t_section, pairs in alignment.sections:
        if s_section is None:
            continue
        if s_section.heading is not None:
            heading = t_section.heading if t_section else None
            found[s_section.heading.line] = ("one", heading) if heading else ("none", None)
        if t_section is None:
            for item in s_section.items:
                found[item.line] = ("none", None)
            continue
        for pair in pairs:
            for block in pair.source:
                if pair.unit is not None and pair.unit.marker is not None and pair.unit.marker.directive == "omitted":
                    found[block.line] = ("many", None)  # left out on purpose: not a block to translate
                elif not pair.translation:
                    found[block.line] = ("none", None)
                elif len(pair.source) == 1 and len(pair.translation) == 1:
                    found[block.line] = ("one", pair.translation[0])
                else:
                    found[block.line] = ("many", None)
    for src, trans in alignment.footnotes:
        if src is not None:
            found[src.line] = ("one", trans) if trans else ("none", None)
    return found


def document_units(report: DocumentReport, source: SourceText, translation: SourceText | None,
                   translatable_keys: list[str], every: bool, left_out: list[Block] | None = None) -> list[Unit]:
    """The units of one document: its missing, outdated and untranslated blocks and values (all with ``every``).

    Source blocks a translation merged, split or omitted on purpose (markers) have no one block to write into:
    they are added to ``left_out``.
    """
    doc = source.path.split("/", 2)[2]
    token = re.sub(r"[^\w.-]", "_", doc.replace("/", "."))  # an NMTOKEN, as XLIFF 2.0 ids must be
    units: list[Unit] = []
    changed = {c.source_line: c for c in report.changed_blocks if c.change != "removed" and c.source_line}
    untranslated = {p.translation_line for p in report.problems if p.kind == "untranslated-block"}
    flagged = {p.translation_line for p in report.problems if p.kind == "untranslated-front-matter"}
    units.extend(_front_matter_units(source, translation, token, doc, translatable_keys, every, changed, flagged))
    mapped = _block_map(report) if translation is not None else {}
    paths = _heading_paths(source.blocks, source.meta.title if source.meta and source.meta.title else doc)
    for number, block in enumerate(source.blocks, start=1):
        segment = segment_of(block)
        if segment is None or not block.plain and not tags_of(segment):
            continue
        how, t_block = mapped.get(block.line, ("none", None)) if translation is not None else ("none", None)
        if how == "many":
            if left_out is not None and (every or block.line in changed):
                left_out.append(block)
            continue
        change = changed.get(block.line)
        if t_block is None:
            reason: Reason = "missing"
        elif change is not None:
            reason = "outdated"
        elif t_block.line in untranslated:
            reason = "untranslated"
        else:
            reason = "current"
        if reason == "current" and not every:
            continue
        unit = Unit(f"{token}:b{number}:{short_hash(block.text)}", doc, block.kind, paths.get(block.line, ""),
                    segment, reason, source_line=block.line, source_block=block)
        if t_block is not None:
            target = segment_of(t_block)
            unit.target = reconcile(segment, target or [])
            unit.translation_line = t_block.line
            unit.translation_hash = short_hash(t_block.text)
            unit.translation_block = t_block
            unit.state = {"outdated": "needs-review-translation", "untranslated": "needs-translation"}.get(
                reason, "translated")  # type: ignore[assignment]
        if change is not None and change.old_source:
            unit.old_source = _reframe(block, change.old_source) or read_segment(change.old_source)
            unit.note = "source changed since the translation: " + word_diff(plain_text(unit.old_source),
                                                                            plain_text(segment))
        units.append(unit)
    return units


def _reframe(block: Block, old_text: str) -> Segment | None:
    """The old source text of a block, framed like the block (its syntax left out)."""
    old = Block(block.kind, block.line, block.line + old_text.count("\n"), old_text, level=block.level)
    return segment_of(old)


# -- front matter ---------------------------------------------------------------------------------------------

def front_matter_values(yaml_text: str, keys: list[str]) -> dict[tuple[str | int, ...], str]:
    """The text values of the translatable keys, by key path (``("authors", 0, "bio")``)."""
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    wanted = {k.lower() for k in keys}
    found: dict[tuple[str | int, ...], str] = {}

    def walk(path: tuple[str | int, ...], value: Any, nested: bool) -> None:
        if isinstance(value, str) and value.strip():
            found[path] = value
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(path + (index,), item, nested)
        elif isinstance(value, dict):
            for key, item in value.items():
                if str(key).lower() in FRONT_MATTER_TEXT_KEYS:
                    walk(path + (str(key),), item, True)

    for key, value in data.items():
        if str(key).lower() in wanted:
            walk((str(key),), value, False)
    return found


def _key_name(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def _front_matter_units(source: SourceText, translation: SourceText | None, token: str, doc: str,
                        keys: list[str], every: bool, changed: dict[int, Any], flagged: set[int | None]) -> list[Unit]:
    if not source.yaml_text:
        return []
    values = front_matter_values(source.yaml_text, keys)
    theirs = front_matter_values(translation.yaml_text, keys) if translation is not None and translation.yaml_text else {}
    units = []
    for path, value in values.items():
        top_line = source.key_lines.get(str(path[0])) or source.key_lines.get(str(path[0]).lower())
        current = theirs.get(path)
        change = changed.get(top_line) if top_line is not None and top_line < source.body_start_line else None
        old = _old_value(change.old_source, path) if change is not None else value
        their_line = translation.key_lines.get(str(path[0])) if translation is not None else None
        if current is None:
            reason: Reason = "missing"
        elif old != value:
            reason = "outdated"
        elif their_line in flagged and (current == value or len(path) == 1):
            reason = "untranslated"  # the check says so (for an author's values: the one left as the source)
        else:
            reason = "current"
        if reason == "current" and not every:
            continue
        unit = Unit(f"{token}:fm:{_key_name(path)}:{short_hash(value)}", doc, "front-matter",
                    f"front matter: {_key_name(path)}", read_segment(value), reason, source_line=top_line,
                    key_path=path)
        if current is not None:
            unit.target = reconcile(unit.source, read_segment(current))
            unit.translation_hash = short_hash(current)
            unit.state = {"outdated": "needs-review-translation", "untranslated": "needs-translation"}.get(
                reason, "translated")  # type: ignore[assignment]
        if reason == "outdated" and old is not None:
            unit.old_source = read_segment(old)
            unit.note = "source changed since the translation: " + word_diff(old, value)
        units.append(unit)
    return units


def _old_value(old_source: str, path: tuple[str | int, ...]) -> str | None:
    """A front matter value as it was, from the check's record of its key's old value (the text of a string,
    YAML for a list or mapping); ``None`` when it was not there."""
    if len(path) == 1:
        return old_source or None
    try:
        old = yaml.safe_load(old_source) if old_source else None
    except yaml.YAMLError:
        return None
    return front_matter_values(yaml.safe_dump({path[0]: old}, allow_unicode=True), [str(path[0])]).get(path)
