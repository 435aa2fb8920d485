"""What ``taiyaku check`` finds, as typed objects: problems, documents, catalogs, languages, the whole report.

These are the checker's Python API (other stages read them) and the source of every output format; the JSON
names follow the contract in ``docs/check.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ConfigError, Diagnostic, Severity

if TYPE_CHECKING:
    from ..read.align import Alignment

Status = Literal["missing", "orphan", "outdated", "incomplete", "complete"]
STATUSES: tuple[Status, ...] = ("missing", "orphan", "outdated", "incomplete", "complete")
"""Every document status, in order of precedence."""


class CheckUsageError(ConfigError):
    """The command was asked something that cannot be done (an unknown ``--lang``, no ``content/`` folder)."""

    category = "usage"


@dataclass(frozen=True, order=True)
class Problem(Diagnostic):
    """One thing wrong with a translated document: a :class:`Diagnostic` located in the file a translator edits
    (the translation, else the source), which also names the line on each side (1-based)."""

    source_line: int | None = None
    translation_line: int | None = None

    @classmethod
    def at(cls, kind: str, severity: Severity, message: str, source: str | None, translation: str | None,
           source_line: int | None = None, translation_line: int | None = None) -> Problem:
        """A problem of the pair ``source``/``translation`` (volume-relative paths, either may be ``None``)."""
        # Point at the file the translator edits; the message names the other side's line.
        if translation and translation_line is not None:
            path, line = translation, translation_line
        elif source and source_line is not None:
            path, line = source, source_line
        else:
            path, line = translation or source or "", None
        return cls(path, line, kind, message, severity, source_line, translation_line)

    @property
    def kind(self) -> str:
        """The problem's kind (its diagnostic category), as the JSON contract names it."""
        return self.category

    def to_json(self) -> dict[str, Any]:
        """The contract's problem object."""
        return {"kind": self.kind, "severity": self.severity, "message": self.message,
                "source_line": self.source_line, "translation_line": self.translation_line}


@dataclass
class VolumeProblem:
    """A problem that belongs to no document pair: ``volume.toml``, an unreadable folder."""

    path: str
    line: int | None
    kind: str
    severity: Severity
    message: str

    def to_json(self) -> dict[str, Any]:
        """As a JSON object."""
        return {"path": self.path, "line": self.line, "kind": self.kind, "severity": self.severity,
                "message": self.message}


@dataclass(frozen=True)
class SourceChange:
    """A source commit the translation has not caught up with (``commit`` is ``None`` for uncommitted edits)."""

    commit: str | None
    """Abbreviated hash (7 digits)."""
    sha: str | None
    date: str | None
    """Committer date, ``YYYY-MM-DD``."""
    subject: str

    def to_json(self) -> dict[str, Any]:
        """The contract's source change object (plus the full ``sha``)."""
        return {"commit": self.commit, "date": self.date, "subject": self.subject, "sha": self.sha}


@dataclass
class ChangedBlock:
    """A source block changed since the translation was made, beside the translation block it maps to."""

    source_line: int | None
    """Line of the block in the current source; ``None`` when the change removed blocks at the end."""
    translation_line: int | None
    change: Literal["changed", "added", "removed"]
    old_source: str
    """The block's text in the source the translation was made from (empty when added)."""
    source: str
    """The block's text now (empty when removed)."""
    translation: str
    """The corresponding translation block's text (empty when there is none)."""

    def to_json(self) -> dict[str, Any]:
        """As a JSON object."""
        return {"source_line": self.source_line, "translation_line": self.translation_line, "change": self.change,
                "old_source": self.old_source, "source": self.source, "translation": self.translation}


@dataclass
class DocumentReport:
    """One source document and its translation in one language (either may be absent)."""

    source: str | None
    """Volume-relative path of the source file (``content/en/x.md``); ``None`` for an orphan."""
    translation: str | None
    """Volume-relative path of the translation; ``None`` when missing."""
    status: Status = "complete"
    problems: list[Problem] = field(default_factory=list)
    source_changes: list[SourceChange] = field(default_factory=list)
    changed_blocks: list[ChangedBlock] = field(default_factory=list)
    source_commit: str | None = None
    """The translation's pin (front matter ``source_commit``, or ``[check] pin_key``), as written."""
    pin_key: str = "source_commit"
    """The front matter key read as the pin."""
    translated_from: str | None = None
    """The commit the translation is compared with (7 digits): the pin, or (unpinned) its last re-translation."""
    base_commit: str | None = None
    """The same commit's full hash."""
    silenced: int = 0
    """Problems left out because a marker or the front matter said so."""
    alignment: Alignment | None = field(default=None, repr=False, compare=False)
    """The block alignment of source and translation (pairs only; not in JSON), for the site's parallel view."""

    @property
    def path(self) -> str:
        """The file a reader edits to fix this entry: the translation, or the source when there is none."""
        return self.translation or self.source or ""

    @property
    def source_commits(self) -> int:
        """Source commits the translation has not caught up with (an uncommitted edit is not one)."""
        return sum(1 for change in self.source_changes if change.commit is not None)

    @property
    def uncommitted_changes(self) -> bool:
        """Whether the source's uncommitted edits are among the changes since the translation."""
        return any(change.commit is None for change in self.source_changes)

    def behind(self) -> str:
        """What the source did since the translation: ``2 source commits``, ``1 source commit and uncommitted
        changes``, ``uncommitted changes`` (empty when nothing)."""
        commits = self.source_commits
        parts = [f"{commits} source commit{'s' if commits != 1 else ''}"] if commits else []
        if self.uncommitted_changes:
            parts.append("uncommitted changes" if commits else "uncommitted changes of the source")
        return " and ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The contract's document object."""
        return {
            "source": self.source, "translation": self.translation, "status": self.status,
            "problems": [p.to_json() for p in self.problems],
            "source_changes": [c.to_json() for c in self.source_changes],
            "source_commits": self.source_commits, "uncommitted_changes": self.uncommitted_changes,
            "changed_blocks": [b.to_json() for b in self.changed_blocks],
            "source_commit": self.source_commit, "pin_key": self.pin_key, "translated_from": self.translated_from,
            "base_commit": self.base_commit,
            "silenced": self.silenced,
        }


@dataclass
class CatalogProblem:
    """An entry of a UI catalog that leaves a string untranslated, or a catalog that is missing or broken."""

    kind: str
    severity: Severity
    message: str
    msgid: str | None = None
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The contract's catalog problem object."""
        return {"kind": self.kind, "msgid": self.msgid, "line": self.line, "severity": self.severity,
                "message": self.message}


@dataclass
class CatalogStats:
    """Counts of one ``.po`` file's entries (the header left out); every entry is exactly one of the first three."""

    path: str
    exists: bool = False
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0

    def to_json(self) -> dict[str, Any]:
        """As a JSON object."""
        return {"path": self.path, "exists": self.exists, "total": self.total, "translated": self.translated,
                "fuzzy": self.fuzzy, "untranslated": self.untranslated, "obsolete": self.obsolete}


@dataclass
class CatalogReport:
    """The UI strings of one language: the volume's catalog, the theme's, and what the templates use."""

    stats: CatalogStats
    """The volume's own catalog, ``locales/<lang>/LC_MESSAGES/messages.po`` (``exists`` false when absent)."""
    theme: CatalogStats | None
    """The default theme's catalog for this language, if taiyaku ships one."""
    used: int = 0
    """Distinct UI strings the templates (the volume's and the theme's) use."""
    used_translated: int = 0
    """Of those, how many some catalog translates (not fuzzy)."""
    problems: list[CatalogProblem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The contract's catalog object."""
        data = self.stats.to_json()
        data["problems"] = [p.to_json() for p in self.problems]
        data["used"] = self.used
        data["used_translated"] = self.used_translated
        data["theme"] = self.theme.to_json() if self.theme else None
        return data


@dataclass
class LanguageReport:
    """Every document of one target language, and its UI catalog."""

    lang: str
    documents: list[DocumentReport] = field(default_factory=list)
    catalog: CatalogReport | None = None
    """``None`` for a language whose UI needs no catalog (the templates' own language)."""
    drafts: int = 0
    """Source documents marked ``draft: true``: left out, like the build leaves them out."""
    skipped: int = 0
    """Markdown files of this language's folder that are not documents (``_``-prefixed, ``[content] exclude``)."""

    def summary(self) -> dict[str, int]:
        """Documents by status, and problem counts (the contract's ``summary``)."""
        counts = {"documents": len(self.documents)} | {status: 0 for status in STATUSES}
        for doc in self.documents:
            counts[doc.status] += 1
        problems = [p.severity for d in self.documents for p in d.problems]
        problems += [p.severity for p in self.catalog.problems] if self.catalog else []
        counts["drafts"] = self.drafts
        counts["skipped"] = self.skipped
        counts["errors"] = problems.count("error")
        counts["warnings"] = problems.count("warning")
        return counts

    def to_json(self) -> dict[str, Any]:
        """The contract's language object."""
        return {"summary": self.summary(), "documents": [d.to_json() for d in self.documents],
                "catalog": self.catalog.to_json() if self.catalog else None}


@dataclass
class GitInfo:
    """What the history part of the check could see."""

    repository: bool = False
    shallow: bool = False
    head: str | None = None

    def to_json(self) -> dict[str, Any]:
        """As a JSON object."""
        return {"repository": self.repository, "shallow": self.shallow, "head": self.head}


@dataclass
class CheckReport:
    """The whole check: every target language, plus problems and notes that belong to the volume."""

    source_language: str
    languages: dict[str, LanguageReport] = field(default_factory=dict)
    problems: list[VolumeProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Said once: not a git repository, a shallow clone."""
    git: GitInfo = field(default_factory=GitInfo)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    """Per language folder (the source's too), Markdown files that are not documents, never left out silently."""

    def diagnostics(self) -> list[Diagnostic]:
        """Every problem as a ``path:line: kind: message`` diagnostic, in file and line order."""
        items = [Diagnostic(p.path, p.line, p.kind, p.message, p.severity) for p in self.problems]
        for lang in self.languages.values():
            for doc in lang.documents:
                items.extend(doc.problems)
            if lang.catalog:
                for c in lang.catalog.problems:
                    items.append(Diagnostic(lang.catalog.stats.path, c.line, c.kind, c.message, c.severity))
        return sorted(items, key=lambda d: (d.path, d.line or 0, d.category, d.message))

    def counts(self) -> tuple[int, int]:
        """(errors, warnings) over the whole report."""
        found = self.diagnostics()
        errors = sum(1 for d in found if d.severity == "error")
        return errors, len(found) - errors

    def passed(self, strict: bool = False) -> bool:
        """Whether the check passes: no errors (and, when strict, no warnings)."""
        errors, warnings = self.counts()
        return not errors and not (strict and warnings)

    def exit_code(self, strict: bool = False) -> int:
        """0 when the check passes, 1 otherwise."""
        return 0 if self.passed(strict) else 1

    def to_json(self, strict: bool = False) -> dict[str, Any]:
        """The JSON contract: ``source_language``, ``ok``, ``languages``, and more."""
        errors, warnings = self.counts()
        return {
            "source_language": self.source_language, "ok": self.passed(strict), "strict": strict,
            "errors": errors, "warnings": warnings,
            "languages": {lang: report.to_json() for lang, report in self.languages.items()},
            "problems": [p.to_json() for p in self.problems], "notes": list(self.notes),
            "git": self.git.to_json(), "skipped": self.skipped,
        }
