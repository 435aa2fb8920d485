"""One font program from subsets of one font that parts embedded separately, glyphs copied in by glyph id with
fontTools (for :mod:`.subsets`, where a TrueType font or a CFF font that is not CID-keyed has subsets in several
parts: CID-keyed CFF fonts are merged by :func:`.cff.compact_cid_cff`).

The subsets keep the font's glyph ids (WeasyPrint's RETAIN_GIDS), so the largest one takes in the others' glyphs
slot by slot, with their metrics, vertical origins and, for TrueType, components and character map.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from .cff import cff_index, keep_charstrings_raw, raw_metric, vertical_origins

log = logging.getLogger(__name__)


def merged_program(name: str, programs: list[tuple[bytes, set[int]]]) -> bytes | None:
    """The largest of ``programs`` (subsets of font ``name``: font file, glyph ids used) with the others' glyphs
    copied in by glyph id; ``None`` when they are not subsets of one font."""
    from fontTools.ttLib import TTFont

    # No bounding boxes recomputed (drawing every glyph: seconds per CJK font; the PDF carries its own metrics)
    # and no new timestamp (the same parts must give the same bytes).
    loaded = [(TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False), used)
              for data, used in programs]
    base, have = max(loaded, key=lambda entry: entry[0]["maxp"].numGlyphs)
    have = set(have)
    for other, used in loaded:
        if other is base:
            continue
        if not _same_font(base, other):
            log.warning("font %s: the parts embed different fonts under one name; subsets not merged", name)
            return None
        _copy_glyphs(base, other, sorted(used - have))
        have |= used
    if "CFF " in base:
        keep_charstrings_raw(base)
    buffer = io.BytesIO()
    base.save(buffer, reorderTables=False)
    return buffer.getvalue()


def _same_font(base: Any, other: Any) -> bool:
    """Whether two subsets come from one font (same glyph numbering and, for CFF, the same font dicts)."""
    if base["head"].unitsPerEm != other["head"].unitsPerEm or \
            base["head"].fontRevision != other["head"].fontRevision or ("CFF " in base) != ("CFF " in other):
        return False
    if "CFF " in base:
        top, other_top = base["CFF "].cff.topDictIndex[0], other["CFF "].cff.topDictIndex[0]
        if hasattr(top, "FDArray") != hasattr(other_top, "FDArray"):
            return False
        if hasattr(top, "FDArray"):
            return getattr(top, "ROS", None) == getattr(other_top, "ROS", None)
        return _private(top) == _private(other_top)
    return True


def _private(owner: Any) -> dict[str, Any]:
    """A CFF font dict's private values (without the offset of its subroutines, which differs per subset)."""
    return {key: value for key, value in owner.Private.rawDict.items() if key != "Subrs"}


def _base_fd(top: Any, other_top: Any, fd: int, found: dict[int, int]) -> int:
    """Index in ``top``'s FDArray of ``other_top``'s font dict ``fd`` (matched by name and private values;
    appended when missing: HarfBuzz drops the font dicts a subset does not use, so the indices differ)."""
    if fd not in found:
        wanted = other_top.FDArray[fd]
        name = getattr(wanted, "FontName", None)
        for index, candidate in enumerate(top.FDArray):
            if getattr(candidate, "FontName", None) == name and _private(candidate) == _private(wanted):
                found[fd] = index
                break
        else:
            top.FDArray.append(wanted)
            found[fd] = len(top.FDArray) - 1
    return found[fd]


def _copy_glyphs(base: Any, other: Any, gids: list[int]) -> None:
    """Copy the glyphs ``gids`` (with their metrics and, for TrueType, their components) from ``other``.

    ``other`` is read raw where fontTools would parse every one of a CJK font's 65,000 glyph slots (its glyph
    names, metrics and charstrings): its tables are only looked up by glyph id here.
    """
    base_order = base.getGlyphOrder()
    pending = [gid for gid in gids if gid < len(base_order)]
    done: set[int] = set()
    if "CFF " in base:
        _copy_charstrings(base, other, pending)
        done.update(pending)
    while pending and "glyf" in base:
        gid = pending.pop()
        if gid in done:
            continue
        done.add(gid)
        glyph = other["glyf"][other.getGlyphName(gid)]
        if glyph.isComposite():
            pending.extend(other.getGlyphID(component.glyphName) for component in glyph.components)
        base["glyf"][base_order[gid]] = glyph
    for table, header in (("hmtx", "hhea"), ("vmtx", "vhea")):
        if table in base and table in other:
            metrics = base[table].metrics
            for gid in sorted(done):
                metrics[base_order[gid]] = raw_metric(other, table, header, gid)
    if "VORG" in base and "VORG" in other:
        origins = vertical_origins(other.reader["VORG"])
        for gid in done:
            if gid in origins:
                base["VORG"].VOriginRecords[base_order[gid]] = origins[gid]
    if "glyf" in base and "cmap" in base and "cmap" in other:
        # TrueType only: a CID font's cmap is never used by a PDF reader (glyphs are reached by CID), and
        # reading a CJK subset's cmap would parse all its glyph names.
        for table in base["cmap"].tables:
            match = other["cmap"].getcmap(table.platformID, table.platEncID)
            if match is not None:
                for code, glyph in match.cmap.items():
                    table.cmap.setdefault(code, base_order[other.getGlyphID(glyph)])


def _copy_charstrings(base: Any, other: Any, gids: list[int]) -> None:
    """Copy CFF charstrings by glyph id, each under the right font dict (subsets are desubroutinized)."""
    from fontTools.misc.psCharStrings import T2CharString

    top, other_top = base["CFF "].cff.topDictIndex[0], other["CFF "].cff.topDictIndex[0]
    charstrings = top.CharStrings.charStringsIndex
    raw = other.reader["CFF "]
    lookup = cff_index(raw, other_top.rawDict["CharStrings"])
    fds: dict[int, int] = {}
    for gid in gids:
        if hasattr(top, "FDArray"):
            fd = _base_fd(top, other_top, other_top.FDSelect[gid], fds)
            top.FDSelect[gid] = fd
            private = top.FDArray[fd].Private
        else:
            private = top.Private
        charstrings[gid] = T2CharString(bytecode=lookup(gid), private=private, globalSubrs=top.GlobalSubrs)
