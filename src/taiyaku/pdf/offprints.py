"""One offprint assembled in a worker from its volume's parts (:class:`OffprintWork`, made by
:meth:`.book.Book.finish`): its cover's page taken out of its batch, the paper's pages, the volume's furniture
sheet stamped on them, the paper's folios as page labels."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import PDFError
from ..workers import no_new_worker
from .furniture import Placement
from .jobs import OffprintJob


@dataclass(frozen=True)
class OffprintWork:
    """What a worker needs to assemble one offprint: the offprint, its cover's and its paper's part PDFs, the
    paper's folios, and the volume's language and rights."""

    offprint: OffprintJob
    cover: str
    paper: str
    first: int
    last: int
    lang: str
    rights_xmp: bytes
    sheet: str = ""
    """The volume's sheet of running heads and folios (``""``: none)."""
    placements: tuple[Placement, ...] = ()
    """Where its pages go on the offprint's pages (the paper's, after the cover)."""
    cover_pages: tuple[int, ...] = ()
    """The cover's pages in ``cover`` (the PDF of its batch of covers)."""
    key: str = ""
    """What the offprint is made of (the parts' HTML, which with the build environment fixes their bytes, and
    how they are put together): the part store keeps assembled offprints by it."""


@no_new_worker
def assemble_offprint(work: OffprintWork) -> tuple[int, float, str]:
    """Assemble and write one offprint (in a worker): (pages, seconds, error or "")."""
    from .assemble import Part, assemble

    started = time.perf_counter()
    try:
        offprint = work.offprint
        pieces = [Part("cover", Path(work.cover).read_bytes(), work.cover_pages),
                  Part(offprint.slug, Path(work.paper).read_bytes())]
        furniture = (Path(work.sheet).read_bytes(), work.placements) if work.sheet else None
        made = assemble(pieces, [(0, {"P": "Offprint"}), (1, {"S": "/D", "St": work.first})], title=offprint.title,
                        authors=list(offprint.authors), lang=work.lang, rights_xmp=work.rights_xmp,
                        furniture=furniture)
        path = Path(offprint.target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(made.data)
    except (OSError, PDFError) as exc:
        return 0, time.perf_counter() - started, str(exc)
    return made.pages, time.perf_counter() - started, ""
