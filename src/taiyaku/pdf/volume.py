"""A volume assembled in a worker from its parts (:class:`VolumeWork`, made by :meth:`.book.Book.volume_work`):
the front matter, blank versos, papers and contributors joined, the sheet of folios and running heads stamped,
the fonts subset once, written to its place.

Why in a worker and not in the parent, which used to assemble: the parent is the one that hands the workers
their next jobs, and while it assembled (0.5 s for the sample x8's English volume) the offprints whose covers
came back meanwhile waited to be handed out; and on two cores the parent assembling beside two busy workers
made three processes for two cores. Now a volume goes to the workers as soon as its own parts are back (its
covers are not among them), and the parent stays free to hand out the offprints as their covers arrive.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..workers import no_new_worker
from .furniture import Placement


@dataclass(frozen=True)
class VolumeWork:
    """What a worker needs to assemble one volume: its parts' PDFs in page order, its page labels, its metadata,
    the sheet and where its pages go, the compressed pages kept from the last assembly."""

    label: str
    target: str
    parts: tuple[tuple[str, str], ...]
    """(name, path of the part's PDF) in page order; a blank verso's PDF appears once per blank page."""
    labels: tuple[tuple[int, dict[str, Any]], ...]
    title: str
    authors: tuple[str, ...]
    lang: str
    rights_xmp: bytes = b""
    sheet: str = ""
    """The sheet of running heads and folios (``""``: none)."""
    placements: tuple[Placement, ...] = ()
    memo: str = ""
    """Where the compressed page content of the last assembly is kept (:class:`.deflated.DeflateMemo`), if
    anywhere."""


@dataclass(frozen=True)
class VolumeMade:
    """A volume assembled and written (or the error that stopped it)."""

    pages: int = 0
    size: int = 0
    seconds: float = 0.0
    unresolved: tuple[str, ...] = field(default_factory=tuple)
    """Anchors that links pointed to and that no part has."""
    error: str = ""
    compressed: tuple[int, int] = (0, 0)
    """Streams of page content compressed anew, and taken from the last assembly (:class:`.deflated.DeflateMemo`)."""


@no_new_worker
def assemble_volume(work: VolumeWork) -> VolumeMade:
    """Assemble and write one volume (in a worker); never raises for a problem of the volume's own."""
    from .assemble import Part, assemble
    from .deflated import DeflateMemo
    from .objects import DEFLATE_LEVEL

    started = time.perf_counter()
    try:
        memo = DeflateMemo(Path(work.memo) if work.memo else None, DEFLATE_LEVEL)
        read: dict[str, bytes] = {}
        parts = [Part(name, read.setdefault(path, Path(path).read_bytes())) for name, path in work.parts]
        furniture = (Path(work.sheet).read_bytes(), list(work.placements)) if work.sheet else None
        assembled = assemble(parts, list(work.labels), title=work.title, authors=list(work.authors),
                             lang=work.lang, rights_xmp=work.rights_xmp, furniture=furniture,
                             compress=memo.compress)
        memo.save()
        target = Path(work.target)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(assembled.data)
    except Exception as exc:  # noqa: BLE001 - reported as the volume's error, in the worker
        return VolumeMade(seconds=time.perf_counter() - started,
                          error=f"assembling the parts: {type(exc).__name__}: {exc}")
    return VolumeMade(assembled.pages, len(assembled.data), time.perf_counter() - started,
                      tuple(assembled.unresolved), compressed=(memo.misses, memo.hits))
