"""``taiyaku import FILE.docx``: read the package, refuse what cannot be imported, write the document and its
images into the volume (all checked first, then written), and report what could not be mapped."""

from __future__ import annotations

import logging
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..config import load_config
from ..config_fields import SAFE_SEGMENT
from ..errors import ConfigError, Diagnostic, Diagnostics
from ..read.frontmatter import default_slug, split_front_matter
from ..read.sources import scan_sources
from .docx import ManuscriptError, Package, TrackedChange, read_package
from .engine import Changes, read_ast
from .frontmatter import heading_shift, read_meta
from .writer import Finding, MarkdownWriter, Written

log = logging.getLogger(__name__)
errors_log = logging.getLogger("taiyaku.errors")
"""Where diagnostics are logged: the console prints them as they are (``path:line: warning: …``)."""

IMAGE_TYPES: dict[str, tuple[bytes, ...]] = {
    "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "gif": (b"GIF87a", b"GIF89a"),
}
"""Formats the site shows, by their first bytes (WebP and SVG are tested apart)."""
FORMAT_NAMES = {b"\x01\x00\x00\x00": "EMF", b"\xd7\xcd\xc6\x9a": "WMF", b"II*\x00": "TIFF", b"MM\x00*": "TIFF",
                b"BM": "BMP"}


@dataclass
class ImportOptions:
    """What ``taiyaku import`` was asked to do."""

    root: Path
    src_path: Path
    lang: str | None = None
    slug: str | None = None
    force: bool = False
    changes: Changes | None = None
    """``accept`` or ``reject`` tracked changes; ``None`` refuses a file that has any."""


@dataclass
class ImportResult:
    """What an import wrote and found."""

    rel_path: str
    """Volume-relative path of the document (``content/ja/02-treaty-history.md``)."""
    images: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: int = 0
    endnotes: list[str] = field(default_factory=list)


@dataclass
class _Image:
    target: str
    rel_path: str
    data: bytes


def import_docx(options: ImportOptions) -> ImportResult:
    """Import one Word file: everything read and checked first, then written; raises :class:`ManuscriptError`
    (nothing written) when it cannot be imported."""
    plan = plan_import(options)
    existing = [p for p, data in plan.targets if p.exists() and p.read_bytes() != data]
    if existing and not options.force:
        shown = ", ".join(p.relative_to(options.root).as_posix() for p in existing[:3])
        raise ManuscriptError(f"would overwrite {shown}{' …' if len(existing) > 3 else ''}: add --force to replace "
                              "them", str(options.src_path))
    _write_all(plan.targets)
    plan.result.diagnostics = _report(plan.result.rel_path, plan.body_offset, plan.findings)
    return plan.result


@dataclass
class ImportPlan:
    """What an import will write (path and bytes of each file) and report."""

    result: ImportResult
    targets: list[tuple[Path, bytes]]
    findings: list[Finding]
    body_offset: int
    """File line of the body's line 0: findings carry body lines."""


def plan_import(options: ImportOptions) -> ImportPlan:
    """Read the volume's settings and the Word file, and make the document; nothing is written."""
    root = options.root
    if not (root / "volume.toml").is_file() and not (root / "content").is_dir():
        raise ConfigError("not a taiyaku volume: no volume.toml and no content/ folder (start one with "
                          "`taiyaku new DIR`, or give the volume with --root)", str(root))
    diagnostics = Diagnostics()
    config = load_config(root, diagnostics)
    if diagnostics.errors:
        diagnostics.report()
        raise ConfigError("volume.toml has errors (above): fix them before importing", "volume.toml")
    lang = options.lang or config.source_language
    if lang not in config.languages:
        raise ConfigError(f"--lang {lang}: not a language of this volume (volume.toml languages: "
                          f"{', '.join(config.languages)})", "volume.toml")
    package = read_package(options.src_path)
    name = str(options.src_path)
    if package.changes and options.changes is None:
        raise ManuscriptError(_changes_refused(package.changes), name)
    ast = read_ast(package, options.changes or "accept")

    scratch = MarkdownWriter(lambda target: target, package.comments, 0, front_matter=True)
    meta, blocks = read_meta(ast, package, scratch.inlines)
    meta.findings.extend(replace(f, line=None) for f in scratch.findings)
    if not meta.title:
        raise ManuscriptError("no title: give the title the Title style in Word (or fill in File → Info → Title)",
                              name)
    slug = options.slug or _slugify(meta.title) or _slugify(options.src_path.stem)
    if not slug or not SAFE_SEGMENT.match(slug):
        raise ManuscriptError(f"no usable slug from the title {meta.title!r}: give one with --slug", name)
    rel_path, meta.order = _place(root, lang, slug, config.languages)
    content_dir = root / "content" / lang
    dest = content_dir / rel_path
    if dest.is_file():
        kept = meta.keep_from(_front_matter(dest))
        if kept:
            meta.findings.append(Finding(None, "front-matter", f"kept from the document it replaces, which the Word "
                                         f"file does not give: {', '.join(kept)}", "info"))

    # A translation's figures take the names its source's figures have, so that check pairs them.
    figures = _Figures(package, slug, _counterpart_images(root, rel_path, lang,
                                                          [config.source_language, *config.languages]))
    writer = MarkdownWriter(figures.path, package.comments, heading_shift(blocks))
    written = writer.write(blocks)
    front = meta.yaml()
    text = front + "\n" + written.body + _notes_text(written)
    volume_path = f"content/{lang}/{rel_path}"
    result = ImportResult(volume_path, [f"content/{lang}/{i.rel_path}" for i in figures.images],
                          notes=len(written.notes))
    result.endnotes = [note.label for note in written.notes if note.endnote]
    findings = meta.findings + written.findings + _package_findings(package, writer.images, result.endnotes)
    targets = [(dest, text.encode("utf-8"))] + [(content_dir / i.rel_path, i.data) for i in figures.images]
    return ImportPlan(result, targets, findings, front.count("\n") + 1)


class _Figures:
    """Names and checks the document's images as the writer meets them: ``figures/<slug>-<n>.<ext>``, or the
    name the source's n-th figure has."""

    def __init__(self, package: Package, slug: str, counterpart: list[str]) -> None:
        self.package = package
        self.slug = slug
        self.counterpart = counterpart
        self.images: list[_Image] = []

    def path(self, target: str) -> str:
        """The content-relative path for pandoc's media ``target``; refuses what the site cannot show."""
        name = str(self.package.path)
        for image in self.images:
            if image.target == target:
                return image.rel_path
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target):
            raise ManuscriptError(f"image {target} is linked, not embedded: in Word, insert the picture itself "
                                  "(Insert → Pictures → This Device) and import again", name)
        data = self.package.media(target)
        if data is None:
            raise ManuscriptError(f"the .docx is damaged: image {target} is missing from the package", name)
        ext = _image_format(data, target, name)
        number = len(self.images)
        path = f"figures/{self.slug}-{number + 1}.{ext}"
        if number < len(self.counterpart) and self.counterpart[number].lower().endswith(f".{ext}"):
            path = self.counterpart[number]
        self.images.append(_Image(target, path, data))
        return path


def _package_findings(package: Package, images: int, endnotes: list[str]) -> list[Finding]:
    """What the package tells about the import as a whole: pictures pandoc left out, endnotes, formatting."""
    findings = []
    if images < package.pictures and not package.changes:  # accepting or rejecting changes may drop pictures
        findings.append(Finding(None, "image", f"the Word file has {package.pictures} pictures, the document "
                                f"{images}: pandoc left some out (in a text box or a shape?); insert them in line "
                                "with the text and import again"))
    if package.format_changes:
        findings.append(Finding(None, "tracked-change", f"{package.format_changes} tracked formatting change(s) "
                                "taken as the text shows them now", "info"))
    if package.endnotes and len(endnotes) != package.endnotes and not package.changes:
        findings.append(Finding(None, "endnote", f"Word's {package.endnotes} endnotes became notes among the "
                                "footnotes (which ones could not be told)"))
    elif endnotes:
        findings.append(Finding(None, "endnote", f"Word's endnotes became notes [^{'], [^'.join(endnotes)}] "
                                "(taiyaku has one kind of note, shown at the foot of the page and in the notes)",
                                "info"))
    return findings


def _report(volume_path: str, offset: int, findings: list[Finding]) -> list[Diagnostic]:
    """Log the findings in the order of the document's lines; returns the warnings as diagnostics."""
    warnings = []
    for finding in sorted(findings, key=lambda f: f.line or 0):
        line = finding.line + offset if finding.line is not None else None
        diagnostic = Diagnostic(volume_path, line, finding.category, finding.message,
                                "error" if finding.severity == "error" else "warning")
        if finding.severity == "info":
            log.info("%s%s: %s: %s", volume_path, f":{line}" if line else "", finding.category, finding.message)
        else:
            warnings.append(diagnostic)
            errors_log.warning("%s", diagnostic)
    return warnings


def _front_matter(path: Path) -> dict[str, Any]:
    """The front matter of a document about to be replaced ({} when it has none or it is unreadable)."""
    try:
        split = split_front_matter(path.read_text(encoding="utf-8"))
        data = yaml.safe_load(split.yaml_text) if not isinstance(split, int) else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _changes_refused(changes: list[TrackedChange]) -> str:
    """One line: how many tracked changes, where the first ones are, and the two ways on."""
    shown = "; ".join(f"paragraph {c.paragraph} ({c.context!r}): {c.kind} by {c.author}" for c in changes[:3])
    more = f"; and {len(changes) - 3} more" if len(changes) > 3 else ""
    return (f"{len(changes)} tracked change{'s' if len(changes) != 1 else ''} ({shown}{more}): accept or reject "
            "them in Word, or import with --accept-changes or --reject-changes")


def _notes_text(written: Written) -> str:
    """The note definitions after the body: one line each, further paragraphs indented four spaces."""
    if not written.notes:
        return ""
    lines: list[str] = [""]
    for note in written.notes:
        first, *rest = note.paragraphs or [[""]]
        lines.append(f"[^{note.label}]: {first[0]}".rstrip())
        lines.extend("    " + line if line else "" for line in first[1:])
        for paragraph in rest:
            lines.append("")
            lines.extend("    " + line if line else "" for line in paragraph)
        if rest:
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _slugify(text: str) -> str:
    """ASCII words of ``text``, lower case, joined by hyphens (``From San Francisco…`` → ``from-san-francisco``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return "-".join(words[:6])


_PREFIX = re.compile(r"^(\d+)[-_.]")


def _place(root: Path, lang: str, slug: str, languages: list[str]) -> tuple[str, float | None]:
    """The document's path in ``content/<lang>/`` and its order: a translation takes its source's path (the same
    slug in another language); a new document the next free number."""
    highest = 0
    for other in [lang, *[code for code in languages if code != lang]]:
        for source in scan_sources(root, other).files:
            match = _PREFIX.match(source.rel_path.rsplit("/", 1)[-1])
            if match:
                highest = max(highest, int(match[1]))
            if _slug_of(source.src_path, source.rel_path) == slug:
                return source.rel_path, int(match[1]) if match else None
    return f"{highest + 1:02d}-{slug}.md", highest + 1


_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(<?([^)\s>]+)>?")


def _counterpart_images(root: Path, rel_path: str, lang: str, languages: list[str]) -> list[str]:
    """The local images, in order, of the same document in another language (the source's first)."""
    for other in dict.fromkeys(languages):
        path = root / "content" / other / rel_path
        if other != lang and path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return []
            folder = posixpath.dirname(rel_path)
            return [target for target in _IMAGE.findall(text) if "://" not in target and not target.startswith("/")
                    and not posixpath.normpath(posixpath.join(folder, target)).startswith("../")]
    return []


def _slug_of(path: Path, rel_path: str) -> str:
    """A document's slug: its front matter's ``slug``, else its file name's."""
    try:
        split = split_front_matter(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return default_slug(rel_path)
    if not isinstance(split, int):
        match = re.search(r"^slug:\s*[\"']?([^\"'\n]+?)[\"']?\s*$", split.yaml_text, re.M)
        if match:
            return match[1]
    return default_slug(rel_path)


def _image_format(data: bytes, target: str, name: str) -> str:
    """The file extension for an image the site can show; any other format is refused."""
    for ext, magics in IMAGE_TYPES.items():
        if data.startswith(magics):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if b"<svg" in data[:2048]:
        return "svg"
    kind = next((label for magic, label in FORMAT_NAMES.items() if data.startswith(magic)),
                target.rsplit(".", 1)[-1].upper())
    raise ManuscriptError(f"image {target} is {kind}, which web browsers cannot show: in Word, replace it with a "
                          "PNG, JPEG or SVG copy and import again", name)


def _write_all(targets: list[tuple[Path, bytes]]) -> None:
    """Write every file beside its place first, then move each in: a failed write leaves nothing half-made."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_name(f".{path.name}.taiyaku-import")
            temp.write_bytes(data)
            staged.append((temp, path))
        for temp, path in staged:
            os.replace(temp, path)
    except OSError as exc:
        for temp, _path in staged:
            temp.unlink(missing_ok=True)
        raise ManuscriptError(f"could not write the document: {exc}", str(targets[0][0])) from exc
