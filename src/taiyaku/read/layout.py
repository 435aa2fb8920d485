"""Where a repository keeps its documents: ``[content]`` path patterns, one group per kind of document.

A pattern names a file by ``{lang}``, ``{path}`` (the path inside the group, without its extension) and
``{ext}`` (``md`` or ``mdx``)::

    content/{lang}/{path}.md                                             taiyaku's and Hugo's default
    docs/{path}.{ext}  +  i18n/{lang}/docusaurus-plugin-content-docs/current/{path}.{ext}   Docusaurus
    docs/{path}.{ext}  +  docs/{path}.{lang}.{ext}                       MkDocs (mkdocs-static-i18n suffixes)
    docs/{path}.{ext}  +  docs/{lang}/{path}.{ext}                       MkDocs (folders)

A translation pairs with its source by the key ``{path}.{ext}`` (prefixed by the group's name when several
groups are given), the ``rel_path`` of :class:`~taiyaku.model.SourceFile`; every message and every git
question uses the file's real path. Only the default layout builds a site and PDFs; the others are checked.
"""

from __future__ import annotations

import fnmatch
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config_fields import PLACEHOLDER, pattern_problem
from ..model import SourceFile

if TYPE_CHECKING:
    from ..config import ContentConfig

log = logging.getLogger(__name__)


MARKDOWN_EXTENSIONS = ("md", "mdx")
"""What ``{ext}`` matches: Markdown and MDX (read as Markdown with JSX lines as markup)."""
DEFAULT_PATTERN = "content/{lang}/{path}.md"
_LANG = r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*"


class LayoutError(ValueError):
    """A pattern that cannot name files; the message says why."""


@dataclass(frozen=True)
class PathPattern:
    """One path pattern, compiled: files it names and the path it gives a (lang, key)."""

    text: str

    def __post_init__(self) -> None:
        problem = pattern_problem(self.text)
        if problem:
            raise LayoutError(problem)

    @property
    def root(self) -> str:
        """The folder every matching file is under (``""``: the volume root), with a trailing ``/``."""
        return self.root_for(None)

    def root_for(self, lang: str | None) -> str:
        """The folder every file of ``lang`` is under (any language's when ``None``), with a trailing ``/``."""
        text = self.text.replace("{lang}", lang) if lang is not None else self.text
        static = text.split("{", 1)[0]
        return static[: static.rfind("/") + 1]

    def regex(self, lang: str | None = None) -> re.Pattern[str]:
        """The pattern as a regular expression over volume-relative paths (``lang`` fixed when given)."""
        parts, at = [], 0
        for match in PLACEHOLDER.finditer(self.text):
            parts.append(re.escape(self.text[at : match.start()]))
            name = match[1]
            if name == "lang":
                parts.append(re.escape(lang) if lang is not None else f"(?P<lang>{_LANG})")
            elif name == "path":
                # Not starting with "." and no hidden folder: editors' and tools' files are not documents.
                parts.append(r"(?P<path>(?:[^/.][^/]*/)*?[^/.][^/]*?)")
            else:
                parts.append(f"(?P<ext>{'|'.join(MARKDOWN_EXTENSIONS)})")
            at = match.end()
        parts.append(re.escape(self.text[at:]))
        return re.compile("".join(parts))

    def key(self, match: re.Match[str]) -> str:
        """``{path}.{ext}`` of a match (the extension the pattern spells when it has no ``{ext}``)."""
        ext = match.groupdict().get("ext") or self.text.rsplit(".", 1)[-1]
        return f"{match['path']}.{ext}"

    def path_for(self, lang: str, key: str) -> str:
        """The volume-relative path this pattern gives the document ``key`` in ``lang``."""
        path, _, ext = key.rpartition(".")
        return self.text.replace("{lang}", lang).replace("{path}", path).replace("{ext}", ext)


@dataclass(frozen=True)
class ContentGroup:
    """One kind of document (docs, blog): where sources are and where each language's translations are."""

    source: PathPattern
    translations: PathPattern
    name: str = ""
    """Prefixes the pairing key when several groups are given."""


@dataclass
class LayoutScan:
    """The documents of one language, and the Markdown files that are not documents."""

    files: list[SourceFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Volume-relative paths of Markdown files left out: ``_``-prefixed (partials) or ``[content] exclude``."""


@dataclass(frozen=True)
class Layout:
    """The volume's content groups; ``default`` is ``content/{lang}/{path}.md``, the one a site is built from."""

    groups: tuple[ContentGroup, ...]
    default: bool = True

    @property
    def roots(self) -> list[str]:
        """The folders (``/``-terminated, volume-relative) git and the scan look under."""
        return sorted({p.root for g in self.groups for p in (g.source, g.translations)})

    def path_of(self, lang: str, rel: str, source_lang: str) -> str:
        """The volume-relative path of document ``rel`` in ``lang`` (where it is, or would be)."""
        group, key = self._split(rel)
        pattern = group.source if lang == source_lang else group.translations
        return pattern.path_for(lang, key)

    def identify(self, path: str, source_lang: str, languages: list[str]) -> tuple[str, str] | None:
        """``(lang, rel)`` of a volume-relative file path, or ``None`` when no pattern names it."""
        for group in self.groups:
            for lang in [source_lang] + [lang for lang in languages if lang != source_lang]:
                pattern = group.source if lang == source_lang else group.translations
                match = pattern.regex(lang).fullmatch(path)
                if match and not (lang == source_lang and self._is_translation(path, source_lang)):
                    return lang, self._rel(group, pattern.key(match))
        return None

    def bases(self, lang: str, source_lang: str) -> list[str]:
        """The folders the files of ``lang`` are under (volume-relative, ``/``-terminated)."""
        return sorted({(g.source if lang == source_lang else g.translations).root_for(lang) for g in self.groups})

    def scan(self, root: Path, lang: str, source_lang: str, content: ContentConfig | None = None) -> LayoutScan:
        """Every document of ``lang`` under the volume, sorted by key; hidden files and folders are skipped."""
        scan = LayoutScan()
        seen: set[str] = set()
        for group in self.groups:
            pattern = group.source if lang == source_lang else group.translations
            regex = pattern.regex(lang)
            base = root / pattern.root_for(lang)
            if not base.is_dir():
                continue
            for path in sorted(base.rglob("*.md*")):
                rel_path = path.relative_to(root).as_posix()
                match = regex.fullmatch(rel_path)
                if match is None or not path.is_file():
                    continue
                if lang == source_lang and self._is_translation(rel_path, source_lang):
                    continue  # docs/x.ja.md under docs/{path}.{ext}: a translation, not a source
                key = pattern.key(match)
                rel = self._rel(group, key)
                if rel in seen:
                    continue
                seen.add(rel)
                source = SourceFile(lang, rel, path, "" if self.default else rel_path)
                if is_document(key, content):
                    scan.files.append(source)
                else:
                    scan.skipped.append(source.volume_path)
        scan.files.sort(key=lambda f: f.rel_path)
        return scan

    def _is_translation(self, path: str, source_lang: str) -> bool:
        if self.default:
            return False
        for group in self.groups:
            match = group.translations.regex().fullmatch(path)
            if match is not None and match.groupdict().get("lang") not in (None, source_lang) \
                    and _known_locale(match["lang"]):
                return True
        return False

    def _rel(self, group: ContentGroup, key: str) -> str:
        return f"{group.name}/{key}" if group.name and len(self.groups) > 1 else key

    def _split(self, rel: str) -> tuple[ContentGroup, str]:
        if len(self.groups) > 1:
            name, _, key = rel.partition("/")
            for group in self.groups:
                if group.name == name:
                    return group, key
        return self.groups[0], rel


def _known_locale(code: str) -> bool:
    from ..lang import valid_locale

    return valid_locale(code)


def is_document(rel_path: str, content: ContentConfig | None = None) -> bool:
    """Whether a Markdown file (its path inside its group) is a document, by Hugo's and Docusaurus' rule.

    ``_index.md`` (a section's own page) and ``index.md`` (a page bundle) are the pages of their folder; other
    names and folders starting with ``_`` are not pages (partials); ``[content] include`` and ``exclude`` globs
    override.
    """
    if content is not None and any(fnmatch.fnmatchcase(rel_path, glob) for glob in content.exclude):
        return False
    if content is not None and any(fnmatch.fnmatchcase(rel_path, glob) for glob in content.include):
        return True
    parts = rel_path.split("/")
    return not any(part.startswith("_") for part in parts[:-1]) and (
        parts[-1].startswith("_index.") or not parts[-1].startswith("_"))


DEFAULT_LAYOUT = Layout((ContentGroup(PathPattern(DEFAULT_PATTERN), PathPattern(DEFAULT_PATTERN)),))


def load_layout(content: ContentConfig) -> Layout:
    """The layout ``[content]`` declares (the patterns were validated with the config)."""
    groups = []
    if content.source or content.translations:
        groups.append(ContentGroup(PathPattern(content.source or DEFAULT_PATTERN),
                                   PathPattern(content.translations or DEFAULT_PATTERN)))
    for group in content.groups:
        groups.append(ContentGroup(PathPattern(group["source"]), PathPattern(group["translations"]),
                                   group.get("name", "")))
    if not groups:
        return DEFAULT_LAYOUT
    if len(groups) == 1 and groups[0].source.text == DEFAULT_PATTERN == groups[0].translations.text:
        return DEFAULT_LAYOUT
    return Layout(tuple(groups), default=False)


def layout_languages(root: Path, layout: Layout, source_lang: str) -> list[str]:
    """The source language and every language some translation file of the layout is in, sorted after it."""
    found: set[str] = set()
    for group in layout.groups:
        regex = group.translations.regex()
        base = root / group.translations.root
        if base.is_dir():
            for path in base.rglob("*.md*"):
                match = regex.fullmatch(path.relative_to(root).as_posix())
                if match and match["lang"] != source_lang and match["lang"] not in found and _known_locale(match["lang"]):
                    found.add(match["lang"])
    return [source_lang] + sorted(found)
