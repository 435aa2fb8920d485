"""What goes out to a translator and what comes back, whatever the file format (XLIFF 1.2, XLIFF 2.0, PO)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .inline import Segment
from .units import Unit

TOOL = "taiyaku"
DONE_STATES = {"translated", "signed-off", "final", "needs-review-l10n", "reviewed", "needs-l10n"}
"""Target states (XLIFF 1.2 and 2.0) that mean the translator is done with a unit."""


@dataclass
class ExportDocument:
    """One document's units, with the paths of its source and its translation (volume-relative)."""

    source: str
    translation: str
    units: list[Unit]


@dataclass
class Export:
    """Everything one exchange file holds."""

    source_lang: str
    target_lang: str
    documents: list[ExportDocument]

    @property
    def count(self) -> int:
        """How many units the file holds."""
        return sum(len(d.units) for d in self.documents)


@dataclass
class ReturnedUnit:
    """A unit as it came back from the translator's tool."""

    id: str
    source_path: str
    """The ``original`` of its file: the source document's volume-relative path."""
    source: Segment
    target: Segment | None
    state: str
    done: bool
    """The translator marked it translated (not new, not needing review, not fuzzy)."""
    line: int | None
    """Its line in the exchange file."""
    translation_hash: str = ""
    damage: list[str] = field(default_factory=list)
    """What reading found wrong with its inline tags (elements the export never makes)."""
