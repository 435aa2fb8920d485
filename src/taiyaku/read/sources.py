"""Read stage: find ``content/<lang>/**/*.md``, read each file, parse front matter, render Markdown.

Every file is read before anything is checked or written; a bad file is recorded and the run goes on, so one
run reports every problem.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..config import ContentConfig, VolumeConfig
from ..errors import Diagnostics
from ..model import Document, Heading, SourceFile, Volume
from .frontmatter import ParsedYaml, read_front_matter
from .layout import DEFAULT_LAYOUT, LayoutScan, load_layout
from .mdx import is_mdx
from .text import SourceText

if TYPE_CHECKING:
    from ..rendercache import RenderStore
    from .markup import Rendered

log = logging.getLogger(__name__)


SourceScan = LayoutScan
"""The documents of one language, and the Markdown files that are not documents."""


def scan_sources(root: Path, lang: str, content: ContentConfig | None = None,
                 diagnostics: Diagnostics | None = None, source_lang: str | None = None) -> SourceScan:
    """Documents of one language sorted by relative path; hidden files and folders are not looked at.

    Where they are is the ``[content]`` layout's (default ``content/<lang>/``; ``source_lang`` tells which
    pattern applies, the source's or the translations'). A file reached through a symbolic link that leads
    outside the volume is refused (an error when ``diagnostics`` is given), like any other path outside the
    volume.
    """
    layout = load_layout(content) if content is not None else DEFAULT_LAYOUT
    volume = root.resolve()
    found = layout.scan(root, lang, source_lang or lang, content)
    scan = SourceScan(skipped=found.skipped)
    linked = any(not (root / base).resolve().is_relative_to(volume) for base in layout.bases(lang, source_lang or lang))
    for source in found.files:
        path = source.src_path
        # rglob does not enter linked folders: a file link, or a linked language folder, can lead outside.
        outside = (linked or path.is_symlink()) and not path.resolve().is_relative_to(volume)
        if outside:
            if diagnostics is not None:
                diagnostics.error(source.volume_path, None, "content",
                                  f"a symbolic link to {path.resolve()}, outside the volume: taiyaku reads only "
                                  "files inside the volume folder")
            scan.skipped.append(source.volume_path)
            continue
        scan.files.append(source)
    if scan.skipped:
        log.debug("%s: %d Markdown file(s) are not documents (names starting with '_', or [content] exclude)",
                  lang, len(scan.skipped))
    return scan


def read_text(source: SourceFile, diagnostics: Diagnostics) -> str | None:
    """The file's text with ``\\n`` line ends and no BOM; invalid UTF-8 is reported with the line of the first
    bad byte, NUL characters are replaced (a warning with the line of the first)."""
    data = source.src_path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diagnostics.error(source.volume_path, line, "encoding",
                          f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8")
        return None
    # Line ends as Python's universal newlines read them: a file saved with CR alone is lines, not one line.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        # CommonMark replaces NUL for safety; a NUL left in would reach the HTML (a parse error there) and
        # the PDF text layer.
        line = text.count("\n", 0, text.index("\x00")) + 1
        count = text.count("\x00")
        diagnostics.warning(source.volume_path, line, "encoding",
                            f"{count} NUL character{'s' if count != 1 else ''} (the first on this line), replaced "
                            "by U+FFFD; the file may have been saved in UTF-16 or be damaged")
        text = text.replace("\x00", "\ufffd")
    return text


def uses_commonmark(root: Path, setting: str) -> bool:
    """Whether the check reads the volume's Markdown as CommonMark (``[check] markdown``)."""
    if setting != "auto":
        return setting == "commonmark"
    return any(root.glob("hugo.*")) or any(root.glob("docusaurus.config.*"))


def read_source(source: SourceFile, title_required: bool = True, parsed: ParsedYaml | None = None) -> SourceText:
    """Read one file: text, front matter split with its lines, validated meta; problems kept, never raised
    (``parsed``: front matter parsed by an earlier run, see :class:`~.frontmatter.ParsedYaml`)."""
    problems = Diagnostics()
    read = SourceText(source)
    try:
        read.text = read_text(source, problems)
    except OSError as exc:
        problems.error(source.volume_path, None, "unreadable", f"cannot read: {exc.strerror}")
    if read.text is not None:
        front = read_front_matter(read.text, source.volume_path, source.rel_path, problems, title_required, parsed)
        read.meta = front.meta
        if front.split is not None:
            read.yaml_text, read.yaml_start_line = front.split.yaml_text, front.split.yaml_start_line
            read.body, read.body_start_line = front.split.body, front.split.body_start_line
    read.problems = problems.items
    return read


def read_volume(root: Path, config: VolumeConfig, diagnostics: Diagnostics, languages: list[str] | None = None,
                include_drafts: bool = False, render: bool = True, parsed: ParsedYaml | None = None) -> Volume:
    """Read every document of the chosen languages, each file once, and render it unless ``render`` is false.

    Not rendering is reading for the check, where a page may have no title (the check compares the pair's);
    ``parsed`` is the check's memory of front matter it parsed before.

    Every file read stays on ``Volume.files`` (drafts and unreadable ones too), which is all the checker reads.
    """
    langs = languages or config.languages
    layout = load_layout(config.content)
    if not layout.default and render:
        diagnostics.error("volume.toml", None, "config",
                          "[content] source/translations: this layout can be checked (taiyaku check) but not built: "
                          "the site and the PDFs are built from content/<lang>/*.md; remove the [content] patterns "
                          "or build from a copy in that layout")
        return Volume(root, config, langs, {})
    if layout.default and not (root / "content").is_dir():
        diagnostics.error("content", None, "content", "no content/ folder: put documents in content/<lang>/*.md")
        return Volume(root, config, langs, {})
    texts: dict[str, list[tuple[SourceFile, Document, str]]] = {}
    found: dict[str, set[str]] = {}
    skipped: dict[str, list[str]] = {}
    files: dict[str, dict[str, SourceText]] = {}
    source_lang = config.source_language
    commonmark = uses_commonmark(root, config.check.markdown)
    for lang in langs:
        bases = layout.bases(lang, source_lang)
        present = any((root / base).is_dir() for base in bases)
        scan = scan_sources(root, lang, config.content, diagnostics, source_lang) if present else SourceScan()
        sources = scan.files
        skipped[lang] = scan.skipped
        found[lang] = {source.rel_path for source in sources}
        if not sources:
            where = bases[0].rstrip("/") if layout.default else ", ".join(
                (g.source if lang == source_lang else g.translations).text.replace("{lang}", lang)
                for g in layout.groups)
            diagnostics.error(where, None, "content", "no Markdown documents (*.md) in this folder" if layout.default
                              else "no Markdown documents (*.md, *.mdx) where the [content] layout puts them")
        texts[lang] = []
        files[lang] = {}
        for source in sources:
            read = files[lang][source.rel_path] = read_source(source, title_required=render, parsed=parsed)
            read.mdx = is_mdx(source.rel_path, config.content.mdx)
            read.commonmark = commonmark
            diagnostics.extend(read.problems)
            if read.meta is None or read.text is None:
                continue
            if read.meta.draft and not include_drafts:
                log.info("%s: draft, skipped", source.volume_path)
                continue
            body = "\n".join(read.text.split("\n")[read.body_start_line - 1 :])
            texts[lang].append((source, Document(source, read.meta, read.body_start_line), body))

    documents: dict[str, list[Document]] = {}
    for lang, entries in texts.items():
        _check_slugs(entries, diagnostics)
        slugs = {source.rel_path: doc.slug for source, doc, _ in entries}
        lang_dir = root / "content" / lang
        # Each file with its size and time: a page shows an image's width and height (taiyaku.images), so a
        # replaced image renders the page again under `serve`.
        lang_files = frozenset(_file_state(p, lang_dir) for p in lang_dir.rglob("*")) \
            if lang_dir.is_dir() and render else frozenset()
        for _, doc, body in entries:
            if render:
                _render(doc, body, slugs, root, diagnostics, lang_files)
            else:
                doc.body = body
        ordered = sorted((doc for _, doc, _ in entries),
                         key=lambda d: (d.meta.order is None, d.meta.order or 0, d.source.rel_path))
        documents[lang] = ordered
    volume = Volume(root, config, langs, documents, skipped=skipped, files=files)
    _check_pairs(volume, found, diagnostics)
    return volume


def _file_state(path: Path, folder: Path) -> str:
    """A file's path under ``folder`` with its size and modification time (the path alone if it vanished, or for
    a document: another document's text changes no page but its own, and its slug is in the key already)."""
    rel = path.relative_to(folder).as_posix()
    if path.suffix in (".md", ".mdx"):
        return rel
    try:
        stat = path.stat()
    except OSError:
        return rel
    return f"{rel}\0{stat.st_size}:{stat.st_mtime_ns}"


class RenderCache:
    """Site renderings of unchanged documents, for the process: ``serve`` rebuilds only what an edit changed.

    The key holds everything a rendering depends on: the text, the other documents' slugs and the language
    folder's files (a link or image may start or stop resolving). Bounded: the oldest renderings go first, so a
    long ``serve`` session does not keep every edited version of every document.
    """

    LIMIT = 2000

    def __init__(self) -> None:
        self.entries: dict[tuple[object, ...], Rendered] = {}
        self.kept: RenderStore | None = None
        """Renderings kept between builds (:mod:`taiyaku.rendercache`), set by the build while it reads."""

    def get(self, key: tuple[object, ...]) -> Rendered | None:
        """The rendering for ``key``, marked as recently used."""
        found = self.entries.pop(key, None)
        if found is not None:
            self.entries[key] = found
        return found

    def put(self, key: tuple[object, ...], rendered: Rendered) -> Rendered:
        """Keep ``rendered``; drop the least recently used beyond the limit."""
        self.entries[key] = rendered
        while len(self.entries) > self.LIMIT:
            del self.entries[next(iter(self.entries))]
        return rendered


_RENDERED = RenderCache()


def _render(doc: Document, body: str, slugs: dict[str, str], root: Path, diagnostics: Diagnostics,
            files: frozenset[str] = frozenset()) -> None:
    key = (str(root.resolve()), doc.lang, doc.source.rel_path, body, tuple(sorted(slugs.items())), files)
    rendered = _RENDERED.get(key)
    if _RENDERED.kept is not None:
        # Through the kept store even when the process has the rendering (``serve``): the store keeps only
        # what a build used.
        parts = (*key[:3], json.dumps(key[4]), "\n".join(sorted(files)), body)
        if rendered is not None:
            found = rendered
            _RENDERED.kept.memo("site-markdown", parts, lambda: _to_json(found))
        else:
            rendered = _RENDERED.put(key, _from_json(_RENDERED.kept.memo(
                "site-markdown", parts, lambda: _to_json(_site_rendering(doc, body, slugs, root)))))
    elif rendered is None:
        rendered = _RENDERED.put(key, _site_rendering(doc, body, slugs, root))
    doc.html, doc.headings, doc.assets, doc.footnote_count = (
        rendered.html, rendered.headings, rendered.assets, rendered.footnotes)
    doc.body = body
    searched_from: dict[str, int] = {}
    for kind, target in rendered.broken:
        line = _next_line(body, f"({target}", doc.body_start_line, searched_from) \
            or _next_line(body, target, doc.body_start_line, searched_from)
        what = "an image" if kind.startswith("image") else "a link"
        if kind.endswith("-outside"):
            path = root / "content" / doc.lang / posixpath.normpath(
                posixpath.join(posixpath.dirname(doc.source.rel_path), unquote(urlsplit(target).path)))
            diagnostics.error(doc.source.volume_path, line, "content",
                              f"{what} points to {target!r}, a symbolic link to {path.resolve()}, outside the "
                              "volume: taiyaku reads only files inside the volume folder")
            continue
        diagnostics.error(doc.source.volume_path, line, "content",
                          f"{what} points to {target!r}, which is not a file of this volume")


def _site_rendering(doc: Document, body: str, slugs: dict[str, str], root: Path) -> Rendered:
    """The document rendered for the site; in a build that makes PDFs, for print too from the same parse
    (:mod:`.pair`: kept for the print stage)."""
    # Python-Markdown is loaded only when something is rendered: `taiyaku check` reads without it.
    from .markup import RenderContext, render_markdown
    from .pair import keep_print, render_site_and_print, wants_print

    site = RenderContext(doc.lang, doc.source.rel_path, root / "content" / doc.lang, slugs, "site")
    if not wants_print():
        return render_markdown(body, site)
    printed = RenderContext(doc.lang, doc.source.rel_path, root / "content" / doc.lang, slugs, "print",
                            id_prefix=f"{doc.slug}:")
    rendered, for_print = render_site_and_print(body, site, printed)
    keep_print(printed, body, for_print.html)
    return rendered


def _to_json(rendered: Rendered) -> dict[str, Any]:
    """A rendering as kept between builds (its broken links too: they are reported again from it)."""
    return dataclasses.asdict(rendered)


def _from_json(fields: dict[str, Any]) -> Rendered:
    from .markup import Rendered

    return Rendered(fields["html"], [Heading(**h) for h in fields["headings"]], list(fields["assets"]),
                    [(kind, target) for kind, target in fields["broken"]], int(fields["footnotes"]))


@contextmanager
def kept_renderings(store: RenderStore) -> Iterator[None]:
    """Read with ``store`` keeping the site renderings between builds (the caller saves it once the build has
    succeeded: a refused or failed build leaves the cache folder as it was)."""
    _RENDERED.kept = store
    try:
        yield
    finally:
        _RENDERED.kept = None


def _next_line(body: str, needle: str, first_line: int, searched_from: dict[str, int]) -> int | None:
    """File line of the next occurrence of ``needle`` after the one found last time (problems come in document
    order, so the same broken target twice is reported at both places); the first one when there is no next."""
    at = body.find(needle, searched_from.get(needle, 0))
    if at < 0:
        at = body.find(needle)
    if at < 0:
        return None
    searched_from[needle] = at + len(needle)
    return first_line + body.count("\n", 0, at)


def _check_slugs(entries: list[tuple[SourceFile, Document, str]], diagnostics: Diagnostics) -> None:
    seen: dict[str, SourceFile] = {}
    for source, doc, _ in entries:
        first = seen.setdefault(doc.slug, source)
        if first is not source:
            diagnostics.error(source.volume_path, 1, "front-matter",
                              f"slug {doc.slug!r} is already used by {first.volume_path}: set a different 'slug'")


def _check_pairs(volume: Volume, found: dict[str, set[str]], diagnostics: Diagnostics) -> None:
    """Translations pair with sources by relative path; a translation without a source is suspicious.

    ``found`` holds every file seen, also those that failed to read, so a broken source is not reported
    a second time as missing.
    """
    source_lang = volume.config.source_language
    if source_lang not in volume.documents:
        return
    source_paths = {d.source.rel_path: d for d in volume.documents[source_lang]}
    for lang, docs in volume.documents.items():
        if lang == source_lang:
            continue
        for doc in docs:
            original = source_paths.get(doc.source.rel_path)
            if original is None and doc.source.rel_path in found.get(source_lang, set()):
                continue
            if original is None:
                where = load_layout(volume.config.content).path_of(source_lang, doc.source.rel_path, source_lang)
                diagnostics.warning(doc.source.volume_path, None, "translation", f"no source document {where}")
            elif original.slug != doc.slug:
                diagnostics.error(doc.source.volume_path, 1, "front-matter",
                                  f"slug {doc.slug!r} differs from its source's {original.slug!r}: "
                                  "a translation keeps the source's slug so the languages link up")
