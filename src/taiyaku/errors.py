"""One error hierarchy and the diagnostics every stage reports.

Users see ``path:line: category: message``; anything that is not a :class:`TaiyakuError`
is a bug in taiyaku and may show a traceback.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Literal

log = logging.getLogger(__name__)

Severity = Literal["error", "warning"]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the user's input, located by volume-relative path and 1-based line."""

    path: str
    line: int | None
    category: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        # A control character in a file name (a carriage return, an escape) or quoted in a message from a parser
        # (Babel's, a NUL in a catalog) must not rewrite the console line: written escaped.
        path = _escaped(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        prefix = f"{where}: " if where else ""
        level = "warning: " if self.severity == "warning" else ""
        return f"{prefix}{level}{self.category}: {_escaped(self.message)}"


def _escaped(text: str) -> str:
    """``text`` with control characters (but newlines and tabs) written as escapes: ``\\x00``, ``\\r``."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


class TaiyakuError(Exception):
    """Base of every error caused by the user's input or environment."""

    category = "error"

    def __init__(self, message: str, path: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def diagnostic(self) -> Diagnostic:
        """This error as a diagnostic line."""
        return Diagnostic(self.path, self.line, self.category, self.message)

    def __str__(self) -> str:
        return str(self.diagnostic())


class ConfigError(TaiyakuError):
    """``volume.toml`` or a command-line option is wrong."""

    category = "config"


class ContentError(TaiyakuError):
    """A content file (Markdown, front matter, asset) is wrong."""

    category = "content"


class TemplateError(TaiyakuError):
    """A theme template failed to load or render."""

    category = "template"


class CatalogError(TaiyakuError):
    """A message catalog could not be read or compiled."""

    category = "catalog"


class PDFError(TaiyakuError):
    """Typesetting or writing a PDF failed."""

    category = "pdf"


class OutputError(TaiyakuError):
    """The output folder cannot be used: refused, locked by another build, or not writable (disk full…)."""

    category = "output"


class BuildFailed(TaiyakuError):
    """The run found errors; they were all reported before this was raised."""

    category = "build"


@dataclass
class Diagnostics:
    """Collects every problem of a run so that all are reported together, once."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int | None, category: str, message: str) -> None:
        """Record an error."""
        self.items.append(Diagnostic(path, line, category, message, "error"))

    def warning(self, path: str, line: int | None, category: str, message: str) -> None:
        """Record a warning."""
        self.items.append(Diagnostic(path, line, category, message, "warning"))

    def add(self, exc: TaiyakuError) -> None:
        """Record a raised error."""
        self.items.append(exc.diagnostic())

    def extend(self, other: Diagnostics | list[Diagnostic]) -> None:
        """Take over another collection's items."""
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        """The errors, in the order found."""
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The warnings, in the order found."""
        return [d for d in self.items if d.severity == "warning"]

    def report(self) -> None:
        """Log every item once, errors and warnings, sorted by place so a reader can walk the files."""
        seen: set[Diagnostic] = set()
        for d in sorted(self.items, key=lambda d: (d.path, d.line or 0, d.message)):
            if d in seen:
                continue
            seen.add(d)
            (log.error if d.severity == "error" else log.warning)("%s", d)


class Terminated(BaseException):
    """The process got SIGTERM; raised by the handler ``cli.main`` installs, so cleanup runs as for Ctrl-C."""
