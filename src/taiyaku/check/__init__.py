"""Translation completeness: what of each translation is missing, outdated or only partly translated.

The Python API other stages call::

    from taiyaku.check import check_volume
    report = check_volume(root)            # CheckReport
    for diagnostic in report.diagnostics():
        ...

``taiyaku check`` (``check/cli.py``) prints the same report as text, JSON or HTML. See docs/check.md.
"""

from __future__ import annotations

from .model import (CatalogProblem, CatalogReport, CatalogStats, ChangedBlock, CheckReport, CheckUsageError,
                    DocumentReport, GitInfo, LanguageReport, Problem, SourceChange, VolumeProblem)
from .volume import check_volume

__all__ = [
    "CatalogProblem", "CatalogReport", "CatalogStats", "ChangedBlock", "CheckReport",
    "CheckUsageError", "DocumentReport", "GitInfo", "LanguageReport", "Problem", "SourceChange", "VolumeProblem",
    "check_volume",
]
