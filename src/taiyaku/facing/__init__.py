"""The 対訳 edition: a facing-page parallel PDF, the source on every left page and its translation on the right.

:mod:`.plan` cuts each paper and its translation into aligned rows; :mod:`.layout` (in workers) measures and
places each side; :mod:`.pack` chooses the rows that open a spread; :mod:`.assemble` interleaves the pages with
pikepdf; :mod:`.report` counts what it did; :mod:`.edition` runs it all. :class:`FacingOutput` is the output's
face to the build (``--format facing``). Nothing imported here loads WeasyPrint.
"""

from __future__ import annotations

from .output import Artifact, FacingOutput

__all__ = ["Artifact", "FacingOutput"]
