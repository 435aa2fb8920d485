"""Print stage: plan one job per language, split its print HTML into parts, typeset the parts in worker
processes, assemble them.

Per language: the volume (``<slug>-<lang>.pdf``) and one offprint per paper (``<slug>-<lang>/<paper>.pdf``),
made from the same laid-out parts. The steps, one module each:

- :mod:`.plan` — :func:`make_jobs`: a :class:`TypesetJob` per language (:mod:`.jobs` holds the job, part and
  result types);
- :mod:`.document` — the print HTML from ``print/volume.html`` and ``print/print.css``, prepared for what
  WeasyPrint cannot do by itself (:mod:`.prepare`), split into parts (front matter, papers, contributors) with
  each part's own rules (a paper's: no folio or running head, drawn at assembly by :mod:`.furniture`), and the
  offprint covers (:mod:`.citation`);
- :mod:`.run` — :func:`run_jobs`: every part in a spawned worker, which runs :mod:`.typeset`: WeasyPrint through
  its adapter (:mod:`.weasy`, the only code that imports it, with taiyaku's fixes), Japanese line adjustment
  (:mod:`.jlreq`), verification of the laid-out pages (:mod:`.verify`), then the part's PDF; the volume and the
  offprints assembled from the parts (:mod:`.assemble`, pikepdf).

Nothing imported here loads WeasyPrint, so the parent process and commands that never make a PDF start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .jobs import (DEFAULT_VARIANT, PAGES_MARK, PDF_VARIANTS, OffprintJob, PartJob, PartSource, SourceRef,
                   TypesetJob, TypesetResult)

if TYPE_CHECKING:
    from .plan import make_jobs
    from .run import run_jobs


def __getattr__(name: str) -> Any:
    """``make_jobs`` and ``run_jobs`` imported when first asked for: a worker, which imports this package for
    :mod:`.typeset`, needs neither the planning (Jinja, Markdown, the citations) nor the assembly (pikepdf), and
    they were a quarter of its start (the parent's first paper waits for it)."""
    if name == "make_jobs":
        from .plan import make_jobs

        return make_jobs
    if name == "run_jobs":
        from .run import run_jobs

        return run_jobs
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["DEFAULT_VARIANT", "PAGES_MARK", "PDF_VARIANTS", "OffprintJob", "PartJob", "PartSource", "SourceRef",
           "TypesetJob", "TypesetResult", "make_jobs", "run_jobs"]
