"""HarfBuzz's font subsetter, reached through cffi, for :mod:`.deferred` (a font subset once per output PDF).

Why not a wheel such as uharfbuzz: this is the system HarfBuzz WeasyPrint itself subsets with (the same library
file, the same flags as WeasyPrint 70's ``Font._harfbuzz_subset``), so a program made at assembly is the one
WeasyPrint would have written, and no second copy of HarfBuzz comes into the build. Why not WeasyPrint's own
binding: importing it loads WeasyPrint, which the parent process (assembling the volumes) never does; this
binding loads two shared libraries and nothing else.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
typedef uint32_t hb_tag_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
unsigned int hb_face_get_glyph_count (const hb_face_t *face);
void hb_set_add_sorted_array (hb_set_t *set, const hb_codepoint_t *sorted_codepoints, unsigned int num_codepoints);
hb_tag_t hb_tag_from_string (const char *str, int len);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set (hb_subset_input_t *input);
hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""
# hb-subset.h's values (a stable ABI since HarfBuzz 2.9).
_NO_HINTING, _RETAIN_GIDS, _DESUBROUTINIZE, _PASSTHROUGH_UNRECOGNIZED = 0x1, 0x2, 0x4, 0x20
_SETS_DROP_TABLE_TAG = 3
_DROPPED = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")
"""The tables WeasyPrint 70 drops from every subset (sorted by tag, as ``hb_set_add_sorted_array`` wants)."""

_LIBRARIES = {"harfbuzz": ("libharfbuzz.so.0", "harfbuzz", "libharfbuzz-0", "libharfbuzz.0.dylib"),
              "subset": ("libharfbuzz-subset.so.0", "harfbuzz-subset", "libharfbuzz-subset-0",
                         "libharfbuzz-subset.0.dylib")}
_loaded: tuple[Any, Any, Any] | None = None
_faces: dict[tuple[str, int], Any] = {}
_lock = threading.Lock()


class SubsetError(Exception):
    """HarfBuzz could not open or subset a font."""


def _libraries() -> tuple[Any, Any, Any]:
    """(ffi, libharfbuzz, libharfbuzz-subset), loaded once per process."""
    global _loaded
    if _loaded is None:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef(_CDEF)
        found = []
        for names in _LIBRARIES.values():
            for name in names:
                try:
                    found.append(ffi.dlopen(name))
                    break
                except OSError:
                    continue
            else:
                raise SubsetError(f"cannot load {names[0]} (HarfBuzz, which WeasyPrint needs too)")
        _loaded = (ffi, found[0], found[1])
    return _loaded


def _face(path: str, index: int) -> Any:
    """The HarfBuzz face of a font file (memory-mapped; kept for the process: a worker subsets many outputs)."""
    key = (path, index)
    if key not in _faces:
        ffi, hb, _ = _libraries()
        blob = hb.hb_blob_create_from_file_or_fail(path.encode())
        if blob == ffi.NULL:
            raise SubsetError(f"cannot read the font file {path}")
        face = hb.hb_face_create(blob, index)
        hb.hb_blob_destroy(blob)  # the face holds its own reference
        _faces[key] = face
    return _faces[key]


def subset(path: str, index: int, glyphs: Iterable[int], hinting: bool, compact: bool = False) -> bytes:
    """The font file of face ``index`` of ``path`` with only ``glyphs`` (glyph ids, kept in place), made as
    WeasyPrint 70 makes a subset: glyph ids retained, subroutines inlined, layout tables dropped, then every
    slot after the last glyph used dropped (and hinting with it unless ``hinting``).

    ``compact``: in one pass, glyphs renumbered from 0 — for a CID-keyed CFF, whose charset keeps each glyph's
    CID, so :func:`.cff.compact_cid_cff` finds them by CID all the same; a third of the time for a CJK font
    (no 65,000 empty slots to write)."""
    gids = sorted(set(glyphs))
    if not gids:
        raise SubsetError(f"no glyph to keep from {path}")
    with _lock:
        ffi, hb, hbs = _libraries()
        face = _face(path, index)
        if gids[-1] >= hb.hb_face_get_glyph_count(face):
            raise SubsetError(f"glyph {gids[-1]} is not in {path} (it has {hb.hb_face_get_glyph_count(face)})")
        request = hbs.hb_subset_input_create_or_fail()
        if request == ffi.NULL:
            raise SubsetError("HarfBuzz could not start a subset")
        try:
            drop = [hb.hb_tag_from_string(tag, 4) for tag in _DROPPED]
            hb.hb_set_add_sorted_array(hbs.hb_subset_input_set(request, _SETS_DROP_TABLE_TAG),
                                       ffi.new("hb_codepoint_t[]", sorted(drop)), len(drop))
            hb.hb_set_add_sorted_array(hbs.hb_subset_input_glyph_set(request),
                                       ffi.new("hb_codepoint_t[]", gids), len(gids))
            last_pass = _PASSTHROUGH_UNRECOGNIZED | _DESUBROUTINIZE | (0 if hinting else _NO_HINTING)
            if compact:
                return _subset_data(path, face, request, last_pass)
            hbs.hb_subset_input_set_flags(request, _RETAIN_GIDS | _PASSTHROUGH_UNRECOGNIZED | _DESUBROUTINIZE)
            first = hbs.hb_subset_or_fail(face, request)
            if first == ffi.NULL:
                raise SubsetError(f"HarfBuzz could not subset {path}")
            try:
                every = list(range(gids[-1] + 1))
                hb.hb_set_add_sorted_array(hbs.hb_subset_input_glyph_set(request),
                                           ffi.new("hb_codepoint_t[]", every), len(every))
                return _subset_data(path, first, request, last_pass)
            finally:
                hb.hb_face_destroy(first)
        finally:
            hbs.hb_subset_input_destroy(request)


def _subset_data(path: str, face: Any, request: Any, flags: int) -> bytes:
    """The font file of ``face`` subset as ``request`` asks, with these flags."""
    ffi, hb, hbs = _libraries()
    hbs.hb_subset_input_set_flags(request, flags)
    made = hbs.hb_subset_or_fail(face, request)
    if made == ffi.NULL:
        raise SubsetError(f"HarfBuzz could not subset {path}")
    try:
        return _data(made)
    finally:
        hb.hb_face_destroy(made)


def _data(face: Any) -> bytes:
    """A face's font file."""
    ffi, hb, _ = _libraries()
    blob = hb.hb_face_reference_blob(face)
    try:
        length = ffi.new("unsigned int *")
        data = hb.hb_blob_get_data(blob, length)
        return ffi.unpack(data, length[0])
    finally:
        hb.hb_blob_destroy(blob)
