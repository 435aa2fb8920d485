"""Print stage: plan one job per language, assemble its print HTML, typeset it in a worker process.

Per language: the volume (``<slug>-<lang>.pdf``) and, from the same layout, one offprint per paper
(``<slug>-<lang>/<paper>.pdf``). The steps, one module each:

- :mod:`.plan` — :func:`make_jobs`: a :class:`TypesetJob` per language (:mod:`.jobs` holds the job and result
  types);
- :mod:`.document` — the print HTML from ``print/volume.html`` and ``print/print.css``, prepared for what
  WeasyPrint cannot do by itself (:mod:`.prepare`), and the offprint covers (:mod:`.citation`);
- :mod:`.run` — :func:`run_jobs`: every job in a spawned worker, which runs :mod:`.typeset`: WeasyPrint through
  its adapter (:mod:`.weasy`, the only code that imports it, with taiyaku's fixes), Japanese line adjustment
  (:mod:`.jlreq`), verification of the laid-out pages (:mod:`.verify`), then the PDFs.

Nothing imported here loads WeasyPrint, so the parent process and commands that never make a PDF start fast.
"""

from __future__ import annotations

from .jobs import (DEFAULT_VARIANT, PAGES_MARK, PDF_VARIANTS, OffprintJob, SourceRef, TypesetJob,
                   TypesetResult)
from .plan import make_jobs
from .run import run_jobs

__all__ = ["DEFAULT_VARIANT", "PAGES_MARK", "PDF_VARIANTS", "OffprintJob", "SourceRef", "TypesetJob",
           "TypesetResult", "make_jobs", "run_jobs"]
