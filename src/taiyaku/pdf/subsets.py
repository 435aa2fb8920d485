"""Merge the font subsets of PDF parts laid out separately into one program per font (for :mod:`.assemble`).

Every part embeds its own subset of each font. WeasyPrint 70 subsets with HarfBuzz's RETAIN_GIDS (fontTools'
retain_gids as fallback) and writes Identity-H fonts whose CIDs are the original glyph ids, so the subsets of one
font in different parts share one glyph numbering: one program holding the union of their glyphs serves all.
The font dictionaries carry the same BaseFont (WeasyPrint's tag is a hash of the font description, not of
the glyph set), which is how the subsets of one font are found.
"""

from __future__ import annotations

import logging
import re
import struct
from collections import deque
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from .cff import compact_cid_cff
from .deferred import cid_set, deflate_kept, font_file, resolve_fonts
from .fontmerge import merged_program
from .objects import deflated_stream

log = logging.getLogger(__name__)

_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def _resource_dicts(out: Pdf) -> Iterator[Any]:
    """Every /Resources dictionary reachable from the pages, once each (:func:`reachable_resources`)."""
    starts = [(page.obj, False) for page in out.pages]
    seen: set[int] = set()
    for resources, _ in reachable_resources(starts):
        key = resources.objgen if resources.is_indirect else id(resources)
        if key not in seen:
            seen.add(key)
            yield resources


def reachable_resources(starts: list[tuple[Any, bool]]) -> Iterator[tuple[Any, bool]]:
    """The /Resources dictionaries reachable from ``starts`` (pages, forms: (object, flag)), with a flag: set by
    any step through a pattern, a soft mask's group or an annotation's appearance, kept through forms. Each
    owner is visited once per flag."""
    seen: set[tuple[Any, bool]] = set()
    pending: deque[tuple[Any, bool]] = deque(starts)
    while pending:
        owner, flag = pending.popleft()
        if not isinstance(owner, (Dictionary, pikepdf.Stream)):
            continue
        key = (owner.objgen if owner.is_indirect else id(owner), flag)
        if key in seen:
            continue
        seen.add(key)
        pending.extend((annot, True) for annot in owner.get("/Annots", []))
        appearance = owner.get("/AP")
        if isinstance(appearance, Dictionary):
            for state in appearance.values():
                pending.extend((item, True) for item in (state.values() if isinstance(state, Dictionary)
                                                         and "/Subtype" not in state else [state]))
        resources = owner.get("/Resources")
        if not isinstance(resources, Dictionary):
            continue
        yield resources, flag
        for item in resources.get("/XObject", Dictionary()).values():
            if isinstance(item, pikepdf.Stream) and "/Resources" in item:
                pending.append((item, flag))
        pending.extend((item, True) for item in resources.get("/Pattern", Dictionary()).values())
        for state in resources.get("/ExtGState", Dictionary()).values():
            mask = state.get("/SMask") if isinstance(state, Dictionary) else None
            if isinstance(mask, Dictionary) and "/G" in mask:
                pending.append((mask.G, True))


def _widths(descendant: Any) -> dict[int, Any]:
    """CID → width from a CIDFont's /W array (read from its text: pikepdf is slow item by item)."""
    widths: dict[int, Any] = {}
    if "/W" not in descendant:
        return widths
    tokens = re.findall(rb"\[|\]|[-+0-9.]+", descendant.W.unparse())[1:-1]
    index = 0
    while index < len(tokens):
        first = int(tokens[index])
        if tokens[index + 1] == b"[":
            index += 2
            while tokens[index] != b"]":
                widths[first] = _pdf_number(tokens[index])
                first += 1
                index += 1
            index += 1
        else:
            last, width = int(tokens[index + 1]), _pdf_number(tokens[index + 2])
            for cid in range(first, last + 1):
                widths[cid] = width
            index += 3
    return widths


def used_glyphs(descendant: Any) -> set[int]:
    """The glyph ids a CIDFont draws (the CIDs of its /W array: WeasyPrint gives a width to every glyph it uses)."""
    return set(_widths(descendant))


def _pdf_number(token: bytes) -> int | Decimal:
    """A PDF number, exactly."""
    return Decimal(token.decode()) if b"." in token else int(token)


def _mergeable(font: Any, memo: _Memo) -> tuple[str, str] | None:
    """(BaseFont, program kind) for a Type0 Identity-H font WeasyPrint wrote with an embedded TrueType or CFF
    subset; None for any other font (left as it is)."""
    try:
        if font.get("/Subtype") != Name.Type0 or font.get("/Encoding") != Name("/Identity-H"):
            return None
        descendant = font.DescendantFonts[0]
        if descendant.get("/CIDToGIDMap", Name.Identity) != Name.Identity:
            return None
        found = font_file(descendant.FontDescriptor)
        cmap = memo.to_unicode(font)
        if found is None or b"beginbfchar" not in cmap or b"beginbfrange" in cmap:
            return None
        return str(font.BaseFont), found[0]
    except (AttributeError, KeyError, IndexError, TypeError, pikepdf.PdfError):
        return None


def merge_font_subsets(out: Pdf) -> int:
    """Replace the parts' subsets of each font by one font with the union of their glyphs (CID-keyed CFF fonts
    also when one part has them), after giving the parts' placeholders their programs (:mod:`.deferred`);
    returns how many font dictionaries were replaced."""
    resources = list(_resource_dicts(out))
    every: dict[tuple[int, int], Any] = {}
    for resource in resources:
        for font in resource.get("/Font", Dictionary()).values():
            if font.is_indirect:
                every.setdefault(font.objgen, font)
    raw: dict[tuple[int, int], bytes] = {}  # the placeholders' programs, compressed once the merging is done
    memo = _Memo()
    resolve_fonts(out, list(every.values()), memo.used_glyphs, raw)  # the placeholders: one program per font file
    groups: dict[tuple[str, str], dict[tuple[int, int], Any]] = {}
    for objgen, font in every.items():
        key = _mergeable(font, memo)
        if key is not None:
            groups.setdefault(key, {})[objgen] = font
    replaced: dict[tuple[int, int], Any] = {}
    for (base_font, kind), fonts in groups.items():
        if len(fonts) < 2 and kind != "/FontFile3":
            continue  # a CFF subset of one part is still worth writing compact: it keeps every glyph slot
        try:
            merged = _merged_font(out, list(fonts.values()), kind, memo, raw)
        except Exception as exc:  # noqa: BLE001 - a font fontTools cannot merge stays as the parts embedded it
            log.warning("font %s: subsets not merged (%s: %s)", base_font[1:], type(exc).__name__, exc)
            continue
        if merged is None:
            continue
        for objgen in fonts:
            replaced[objgen] = merged
    for resource in resources:
        fonts = resource.get("/Font")
        if fonts is None:
            continue
        for name, font in list(fonts.items()):
            if font.is_indirect and font.objgen in replaced:
                fonts[name] = replaced[font.objgen]
    if raw:
        kept = {font.objgen: font for resource in resources for font in resource.get("/Font", Dictionary()).values()
                if font.is_indirect}
        deflate_kept(list(kept.values()), raw)
    return len(replaced)


class _Memo:
    """What the merging reads of a font more than once, read once: a CIDFont's widths (its /W array parsed)
    and a font's Unicode map (decompressed)."""

    def __init__(self) -> None:
        self._read: dict[tuple[str, tuple[int, int]], Any] = {}

    def _once(self, what: str, obj: Any, read: Callable[[Any], Any]) -> Any:
        if not obj.is_indirect:
            return read(obj)
        key = (what, obj.objgen)
        if key not in self._read:
            self._read[key] = read(obj)
        return self._read[key]

    def widths(self, descendant: Any) -> dict[int, Any]:
        return self._once("/W", descendant, _widths)

    def used_glyphs(self, descendant: Any) -> set[int]:
        return set(self.widths(descendant))

    def to_unicode(self, font: Any) -> bytes:
        return self._once("/ToUnicode", font.ToUnicode, lambda stream: bytes(stream.read_bytes()))


def _merged_font(out: Pdf, fonts: list[Any], kind: str, memo: _Memo,
                 raw: dict[tuple[int, int], bytes]) -> Any | None:
    """One Type0 font for ``fonts`` (subsets of one font): the union of their glyphs, widths and Unicode maps
    (``raw``: programs not compressed yet, by stream)."""
    programs: dict[tuple[int, int], tuple[Any, set[int]]] = {}
    widths: dict[int, Any] = {}
    to_unicode: dict[int, bytes] = {}
    for font in fonts:
        stream = font.DescendantFonts[0].FontDescriptor[kind]
        used = memo.widths(font.DescendantFonts[0])
        for cid, width in used.items():
            widths.setdefault(cid, width)
        programs.setdefault(stream.objgen, (stream, set()))[1].update(used)
        for glyph, text in _BFCHAR.findall(memo.to_unicode(font)):
            to_unicode.setdefault(int(glyph, 16), text)
    first = fonts[0]
    descendant = first.DescendantFonts[0]
    # Largest subsets first; a subset whose glyphs are all in larger ones is not read at all.
    needed, have = [], set()
    for stream, used in sorted(programs.values(), key=lambda entry: -len(entry[1])):
        if used - have:
            needed.append((stream, used))
            have |= used
    data = None
    if kind == "/FontFile3" and descendant.get("/Subtype") == Name.CIDFontType0:
        try:
            data = compact_cid_cff([(_program(stream, raw), used) for stream, used in needed])
        except (ValueError, IndexError, StopIteration, struct.error) as exc:
            log.debug("font %s: merged with fontTools (%s)", str(first.BaseFont)[1:], exc)
    subtype = Name.CIDFontType0C if data is not None else descendant.FontDescriptor[kind].get("/Subtype")
    program = None
    if data is None and len(needed) == 1:
        if len(fonts) == 1:
            return None  # one font, one program: nothing to merge
        # One subset has every glyph the others have (or the parts share one program, given at assembly by
        # :mod:`.deferred`): the merged font takes that program as it is.
        program = needed[0][0]
    elif data is None:
        data = merged_program(str(first.BaseFont)[1:], [(_program(stream, raw), used) for stream, used in needed])
        if data is None:
            return None
    descriptor = Dictionary({key: value for key, value in descendant.FontDescriptor.items()
                             if key not in ("/FontFile2", "/FontFile3", "/CIDSet")})
    if program is None:
        program = deflated_stream(out, data)
        if kind == "/FontFile3":
            program.Subtype = subtype if subtype is not None else Name.OpenType
        else:
            program.Length1 = len(data)
    descriptor[kind] = program
    boxes = [[float(v) for v in font.DescendantFonts[0].FontDescriptor.FontBBox] for font in fonts]
    descriptor.FontBBox = Array([min(b[0] for b in boxes), min(b[1] for b in boxes),
                                 max(b[2] for b in boxes), max(b[3] for b in boxes)])
    if any("/CIDSet" in font.DescendantFonts[0].FontDescriptor for font in fonts):
        descriptor.CIDSet = deflated_stream(out, cid_set(sorted(widths)))
    w: list[Any] = []
    for cid in sorted(widths):
        if cid - 1 not in widths:
            w += [cid, []]
        w[-1].append(widths[cid])
    new_descendant = Dictionary({key: value for key, value in descendant.items()
                                 if key not in ("/W", "/FontDescriptor")})
    new_descendant.W = Array([Array(item) if isinstance(item, list) else item for item in w])
    new_descendant.FontDescriptor = out.make_indirect(descriptor)
    merged = Dictionary({key: value for key, value in first.items() if key not in ("/DescendantFonts", "/ToUnicode")})
    merged.DescendantFonts = Array([out.make_indirect(new_descendant)])
    merged.ToUnicode = deflated_stream(out, _to_unicode_cmap(to_unicode))
    return out.make_indirect(merged)


def _program(stream: Any, raw: dict[tuple[int, int], bytes]) -> bytes:
    """A font program's data: as made at this assembly (not compressed yet), else as the part embedded it."""
    return raw[stream.objgen] if stream.objgen in raw else bytes(stream.read_bytes())


def _to_unicode_cmap(to_unicode: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap in WeasyPrint's form (bfchar blocks of at most 100)."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
             b"endcodespacerange"]
    items = sorted(to_unicode.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines.extend(b"<%04x> <%s>" % (glyph, text) for glyph, text in batch)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)
