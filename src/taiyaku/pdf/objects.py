"""PDF objects across PDFs, for :mod:`.assemble` and :mod:`.metadata`: number and name trees read in order,
objects copied from a part into the volume, named destinations renamed, the streams the assembly makes
compressed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Iterator

import deflate
import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String


def tree_items(node: Any, key: str) -> Iterator[tuple[Any, Any]]:
    """(key, value) pairs of a number tree (``key`` = "/Nums") or a name tree ("/Names"), in order."""
    if node is None:
        return
    if key in node:
        entries = node[key]
        for index in range(0, len(entries) - 1, 2):
            yield entries[index], entries[index + 1]
    for kid in node.get("/Kids", []):
        yield from tree_items(kid, key)


def copy_object(out: Pdf, value: Any) -> Any:
    """``value`` of another PDF, copied into ``out``: indirect objects through ``copy_foreign`` (which copies
    each object of a source once, so references to pages already copied land on the copies), direct arrays
    and dictionaries item by item, scalars as they are."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, Array):
        return Array([copy_object(out, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: copy_object(out, item) for key, item in value.items()})
    return value


DEFLATE_LEVEL = 9
"""libdeflate's level for the streams the assembly writes (:func:`deflated_stream`)."""


def deflated_stream(out: Pdf, data: bytes, compress: Callable[[bytes], bytes] | None = None) -> Any:
    """A new stream of ``out`` holding ``data``, already compressed (``/FlateDecode``) by libdeflate.

    Why not leave it to qpdf's save (zlib at :data:`.assemble.FLATE_LEVEL`): the pages' content, rewritten with
    their folios and running heads, is most of what an assembly compresses, and libdeflate at level 9 makes it
    1–3 % smaller than zlib at 9 in half the time (the sample x8's volumes: 0.29 s → 0.17 s for the English one).
    qpdf writes a stream already compressed with Flate as it is. ``compress``: the same compression from a memo
    (:class:`.deflated.DeflateMemo`)."""
    stream = pikepdf.Stream(out, b"")
    write_deflated(stream, data, compress)
    return stream


def write_deflated(stream: Any, data: bytes, compress: Callable[[bytes], bytes] | None = None) -> None:
    """Replace a stream's data with ``data``, compressed as :func:`deflated_stream` does."""
    made = compress(data) if compress is not None else bytes(deflate.zlib_compress(data, DEFLATE_LEVEL))
    stream.write(made, filter=Name.FlateDecode)


def rename_target(item: Any, renamed: dict[str, str]) -> None:
    """Point a link annotation's or outline item's named destination at its renamed name."""
    dest = item.get("/Dest")
    if isinstance(dest, String) and str(dest) in renamed:
        item.Dest = String(renamed[str(dest)])
    action = item.get("/A")
    if action is not None and action.get("/S") == Name.GoTo and isinstance(action.get("/D"), String) \
            and str(action.D) in renamed:
        action.D = String(renamed[str(action.D)])


def rename_outline(item: Any, renamed: dict[str, str]) -> None:
    """``rename_target`` on an outline item and all its descendants."""
    pending = [item]
    seen: set[tuple[int, int]] = set()
    while pending:
        current = pending.pop()
        if current.objgen in seen:
            continue
        seen.add(current.objgen)
        rename_target(current, renamed)
        child = current.get("/First")
        while child is not None and child.objgen not in seen:
            pending.append(child)
            child = child.get("/Next")
