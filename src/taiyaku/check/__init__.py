"""Translation completeness: what of each translation is missing, outdated or only partly translated.

The Python API other stages call::

    from taiyaku.check import check_volume
    report = check_volume(root)            # CheckReport
    for diagnostic in report.diagnostics():
        ...

``taiyaku check`` (``check/cli.py``) prints the same report as text, JSON or HTML. See docs/check.md.

The names are loaded when first used (PEP 562): the command line registers ``check``'s options through
``check.cli`` without importing the checker itself (issue 20: ``build --help`` paid for the whole package).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import (CatalogProblem, CatalogReport, CatalogStats, ChangedBlock, CheckReport, CheckUsageError,
                        DocumentReport, GitInfo, LanguageReport, Problem, SourceChange, VolumeProblem)
    from .volume import check_volume

__all__ = [
    "CatalogProblem", "CatalogReport", "CatalogStats", "ChangedBlock", "CheckReport",
    "CheckUsageError", "DocumentReport", "GitInfo", "LanguageReport", "Problem", "SourceChange", "VolumeProblem",
    "check_volume",
]


def __getattr__(name: str) -> Any:
    """``check_volume`` from :mod:`.volume`, the report's types from :mod:`.model`, imported on first use."""
    if name == "check_volume":
        from .volume import check_volume

        return check_volume
    if name in __all__:
        return getattr(import_module(".model", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
