"""Font programs left out of a part's PDF, for the assembly to subset once per output (:mod:`..deferred`); one
:class:`Fix` (``deferred-fonts``), in effect only inside :func:`deferring`.

WeasyPrint 70's ``Font.clean`` subsets each font for the one PDF it writes; a part of a volume is not that PDF,
and its subsets were merged again at assembly. Inside :func:`deferring`, ``clean`` writes a placeholder naming
the font's file instead (found through Pango's fontconfig pattern, recorded by the wrapped ``Font.__init__``).
A font stays WeasyPrint's to subset when the placeholder could not stand for it: a file outside the installed
font folders (a volume's ``@font-face`` font, copied to a temporary folder), a variable or colour font (its
program is rewritten after subsetting), a glyph missing from it (drawn with a special encoding), or no glyph
list (fonts used in forms keep every glyph).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ...cache import FONT_DIRS
from ..deferred import placeholder
from .fix import Fix, Target

Replace = Callable[[Any, str, Any], None]

_active = False
_INSTALLED = tuple(str(Path(folder).expanduser().resolve()) + os.sep for folder in FONT_DIRS)
"""The installed font folders, whose files the part cache's key covers."""


def _font_file(pango_font: Any) -> str | None:
    """The file a Pango font was loaded from (its fontconfig pattern's ``file``), or ``None``."""
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2

    try:
        getter = pangoft2.pango_fc_font_get_pattern
    except AttributeError:
        try:
            ffi.cdef("FcPattern * pango_fc_font_get_pattern (PangoFcFont *font);")
        except Exception:  # noqa: BLE001 - a WeasyPrint that declares it itself
            pass
        try:
            getter = pangoft2.pango_fc_font_get_pattern
        except AttributeError:
            return None
    pattern = getter(ffi.cast("PangoFcFont *", pango_font))
    if pattern == ffi.NULL:
        return None
    string = ffi.new("FcChar8 **")
    if fontconfig.FcPatternGetString(pattern, b"file", 0, string) != 0:  # FcResultMatch
        return None
    return ffi.string(string[0]).decode(errors="surrogateescape")


def _install(replace: Replace) -> None:
    from weasyprint.pdf import fonts

    original_init, original_clean = fonts.Font.__init__, fonts.Font.clean
    read_face = fonts.get_hb_object_data

    def __init__(self, pango_font, description, font_size):  # type: ignore[no-untyped-def]
        if not _active:
            original_init(self, pango_font, description, font_size)
            self.taiyaku_file = None
            return
        # The font file (20–27 MB for a CJK collection) is copied out of HarfBuzz only if WeasyPrint reads it
        # (``_LazyFile``): a font left to WeasyPrint, a second font object of one file, a font used in forms.
        fonts.get_hb_object_data = _unread
        try:
            original_init(self, pango_font, description, font_size)
        finally:
            fonts.get_hb_object_data = read_face
        path = _font_file(pango_font)
        self.taiyaku_file = path if path is not None and os.path.realpath(path).startswith(_INSTALLED) else None
        if self.bitmap or self.png or self.svg or self.colr or "fvar" in self.tables:
            self.taiyaku_file = None

    def clean(self, to_unicode, hinting):  # type: ignore[no-untyped-def]
        path = getattr(self, "taiyaku_file", None)
        # ``to_unicode`` is every glyph of the fonts WeasyPrint writes with this one's program: a glyph id past the
        # font's end is a missing glyph of one of them (drawn with a special encoding), left to WeasyPrint.
        if (not _active or not to_unicode or path is None or self.missing
                or max(to_unicode) >= self.glyph_count):
            return original_clean(self, to_unicode, hinting)
        tag = b"OTTO" if "CFF " in self.tables else b"\0\1\0\0"  # WeasyPrint tells the two kinds apart by it
        self.file_content = placeholder(tag, path, self.index, bool(hinting))

    replace(fonts.Font, "__init__", __init__)
    replace(fonts.Font, "clean", clean)
    replace(fonts.Font, "file_content", _LazyFile(read_face))


def _unread(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> None:
    """Stands for ``get_hb_object_data`` while a font is made for a part: its file is not read yet."""
    return None


class _LazyFile:
    """``Font.file_content``: the font file, copied out of HarfBuzz the first time it is read (``None`` stored by
    ``__init__`` inside :func:`deferring` means "not read yet")."""

    def __init__(self, read_face: Callable[[Any], bytes]) -> None:
        self.read_face = read_face

    def __get__(self, font: Any, owner: type | None = None) -> Any:
        if font is None:
            return self
        data = font.__dict__.get("_file_content")
        if data is None:
            data = font.__dict__["_file_content"] = self.read_face(font.hb_face)
        return data

    def __set__(self, font: Any, value: bytes | None) -> None:
        font.__dict__["_file_content"] = value


DEFERRED_FONTS = Fix(
    "deferred-fonts",
    "WeasyPrint subsets every font for each PDF it writes; a volume's parts are merged, so their fonts are "
    "subset once at assembly",
    (Target("weasyprint.pdf.fonts", "Font.__init__", ("self", "pango_font", "description", "font_size")),
     Target("weasyprint.pdf.fonts", "Font.clean", ("self", "to_unicode", "hinting")),
     Target("weasyprint.pdf.fonts", "get_hb_object_data", ("hb_object", "ot_color", "glyph"))),
    _install,
    versions=("70.",),
)


@contextmanager
def deferring() -> Iterator[bool]:
    """Inside the block, PDFs are written with placeholders for the installed fonts (yields whether the fix
    applies to this WeasyPrint; if not, fonts are subset as usual)."""
    global _active
    if not DEFERRED_FONTS.active and DEFERRED_FONTS.applies():
        DEFERRED_FONTS.switch_on()
    _active = DEFERRED_FONTS.active
    try:
        yield _active
    finally:
        _active = False
