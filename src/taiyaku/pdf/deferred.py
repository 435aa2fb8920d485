"""Fonts subset once per output PDF: the placeholder a part's PDF carries instead of a font program, and its
resolution at assembly (for :mod:`.assemble`).

A volume is laid out in parts (a paper, the front matter, the sheet of folios, a batch of covers), and
WeasyPrint subsets, compresses and embeds every font again in each part: for a Japanese paper that is most of
its write (four CJK fonts of 20–27 MB each). The parts' PDFs are never read by anyone but the assembly, so a
worker writes a *placeholder* instead (:mod:`.weasy.deferfonts`): a few bytes naming the font file, the face and
the file's size and time. The parts' font dictionaries keep their widths and Unicode maps, which say which glyphs
each uses. At assembly every placeholder of one font gets one program, subset by HarfBuzz (:mod:`.harfbuzz`) for
the union of the glyphs the output uses, exactly as WeasyPrint would have subset it; :mod:`.subsets` then merges
the font dictionaries and writes CID-keyed CFF programs compact, as it does for subsets made in the parts.

Only fonts installed on the machine are deferred (their files outlive the build, and the cache's key holds
their paths, sizes and times); a volume's own ``@font-face`` fonts, which WeasyPrint copies into a temporary
folder, are subset in the part as before.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pikepdf
from pikepdf import Dictionary, Name, Pdf

from ..errors import PDFError
from .objects import deflated_stream, write_deflated

MARK = b"%taiyaku-deferred-font "
"""After the font file's 4-byte tag, what a placeholder starts with."""
_LONGEST = 2048
"""A placeholder is shorter than this (a real font program never is): only such streams are read."""


def placeholder(tag: bytes, path: str, index: int, hinting: bool) -> bytes:
    """The bytes a part embeds instead of a subset of face ``index`` of font file ``path``. ``tag`` is the
    file's sfnt tag as WeasyPrint tells programs apart (``OTTO`` for CFF outlines, else TrueType)."""
    stat = os.stat(path)
    fields = {"path": path, "index": index, "hinting": hinting, "size": stat.st_size, "mtime": stat.st_mtime_ns}
    return tag + MARK + json.dumps(fields, sort_keys=True).encode()


def read_placeholder(data: bytes) -> dict[str, Any] | None:
    """A placeholder's fields, or ``None`` for a real font program."""
    if data[4:4 + len(MARK)] != MARK:
        return None
    try:
        fields = json.loads(data[4 + len(MARK):])
    except ValueError:
        return None
    return fields if isinstance(fields, dict) else None


def font_file(descriptor: Any) -> tuple[str, Any] | None:
    """(key, stream) of the font program embedded in a font descriptor."""
    for key in ("/FontFile2", "/FontFile3"):
        if key in descriptor:
            return key, descriptor[key]
    return None


def _font_files(font: Any) -> tuple[Any, str, Any] | None:
    """(font descriptor, FontFile key, program stream) of a Type0 font's descendant, if it embeds one."""
    try:
        if font.get("/Subtype") != Name.Type0:
            return None
        descriptor = font.DescendantFonts[0].FontDescriptor
        found = font_file(descriptor)
    except (AttributeError, KeyError, IndexError, TypeError, pikepdf.PdfError):
        return None
    return (descriptor, *found) if found is not None else None


def placeholder_in(stream: Any) -> dict[str, Any] | None:
    """The placeholder a program stream holds, or ``None`` (a real program is never read: too long)."""
    try:
        if int(stream.get("/Length", _LONGEST)) >= _LONGEST:
            return None
        return read_placeholder(bytes(stream.read_bytes()))
    except pikepdf.PdfError:
        return None


def resolve_fonts(out: Pdf, fonts: list[Any], used_glyphs: Callable[[Any], set[int]],
                  raw: dict[tuple[int, int], bytes] | None = None) -> int:
    """Give every placeholder among ``fonts`` (the output's font dictionaries, each once) one program per font
    file and face: a subset for the glyphs all of its dictionaries use (``used_glyphs`` reads them from a
    descendant CIDFont: :func:`.subsets.used_glyphs`). Returns how many programs were made.

    ``raw``: the programs are left uncompressed and their data put here by stream: the caller (the merging of
    subsets, which rewrites most CFF programs compact) compresses those it keeps (:func:`deflate_kept`), instead
    of each being compressed here and read back there.
    Raises :class:`~taiyaku.errors.PDFError` when a font file changed or went since its parts were laid out."""
    from .harfbuzz import SubsetError, subset

    from .cff import cid_keyed

    # One program per font file, face and BaseFont: two dictionaries of one file (a weight and its synthetic
    # bold) keep programs of their own, so that each one's /CIDSet (PDF/A-1) lists what its program holds.
    groups: dict[tuple[str, int, bool, str], tuple[dict[str, Any], list[tuple[Any, str]], set[int]]] = {}
    for font in fonts:
        found = _font_files(font)
        if found is None:
            continue
        descriptor, key, stream = found
        fields = placeholder_in(stream)
        if fields is None:
            continue
        group = groups.setdefault((fields["path"], fields["index"], bool(fields["hinting"]), str(font.BaseFont)),
                                  (fields, [], set()))
        group[1].append((descriptor, key))
        group[2].update(used_glyphs(font.DescendantFonts[0]))
    for (path, index, hinting, _), (fields, descriptors, glyphs) in groups.items():
        try:
            stat = os.stat(path)
        except OSError:
            forget_fonts()
            raise PDFError(f"the font file {path} is gone since the parts were laid out; build again") from None
        if (stat.st_size, stat.st_mtime_ns) != (fields["size"], fields["mtime"]):
            forget_fonts()
            raise PDFError(f"the font file {path} changed since the parts were laid out; build again")
        try:
            data = subset(path, index, glyphs or {0}, hinting, compact=descriptors[0][1] == "/FontFile3")
            if descriptors[0][1] == "/FontFile3" and not cid_keyed(data):
                # Only a CID-keyed CFF keeps its glyphs findable (by CID) once renumbered: any other keeps its ids.
                data = subset(path, index, glyphs or {0}, hinting)
        except SubsetError as exc:
            raise PDFError(f"font {path}: {exc}") from None
        if raw is None:
            program = deflated_stream(out, data)
        else:
            program = pikepdf.Stream(out, data)
            raw[program.objgen] = data
        if descriptors[0][1] == "/FontFile3":
            program.Subtype = Name.OpenType
        else:
            program.Length1 = len(data)
        for descriptor, key in descriptors:
            descriptor[key] = program  # one program for every part's dictionary of this font
            if "/CIDSet" in descriptor:  # (PDF/A-1) the glyphs the program holds, offprints' narrowed fonts too
                descriptor.CIDSet = deflated_stream(out, cid_set(sorted(glyphs)))
    return len(groups)


def deflate_kept(fonts: list[Any], raw: dict[tuple[int, int], bytes]) -> None:
    """Compress the programs :func:`resolve_fonts` left raw that ``fonts`` (the output's fonts, once merged) still
    embed; the others were replaced and are not written."""
    for font in fonts:
        found = _font_files(font)
        if found is not None and found[2].objgen in raw:
            write_deflated(found[2], raw.pop(found[2].objgen))


def cid_set(cids: list[int]) -> bytes:
    """A /CIDSet stream's bits for these CIDs."""
    bits = bytearray((cids[-1] // 8 + 1) if cids else 1)
    for cid in cids:
        bits[cid // 8] |= 0x80 >> (cid % 8)
    return bytes(bits)


def forget_fonts() -> None:
    """A font file changed under a running process (``serve``): the installed fonts' digest, which keys the part
    cache, is taken again by the next build, which then lays the parts out anew."""
    from .. import cache

    cache._fonts_memo = None


def placeholders_left(out: Pdf) -> bool:
    """Whether any font dictionary of ``out`` still embeds a placeholder (a test's and a check's question)."""
    for obj in out.objects:
        if isinstance(obj, Dictionary) and obj.get("/Type") == Name.Font:
            found = _font_files(obj)
            if found is not None and placeholder_in(found[2]) is not None:
                return True
    return False
