"""The outputs a build can make, as peers: one interface and a registry (Sphinx's builders, WeasyPrint's variants).

Each output plans from the loaded volume (what it will write; problems go to the diagnostics, nothing is
written), then runs (writes through the build's writer) and returns its :class:`Artifact` list. Outputs run in
the registry's order and each sees the artifacts of those before it in ``BuildContext.manifest``: the EPUB takes
the PDFs' page maps, the site offers every file with its size and page count. ``--format`` takes the registry's
names, several at once (``--format pdf,epub``); ``all`` is every output the volume enables.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from .errors import ConfigError

if TYPE_CHECKING:
    from .errors import Diagnostics
    from .i18n import UIStrings
    from .model import Volume
    from .pipeline import BuildOptions, BuildReport
    from .workers import Workers
    from .writer import OutputWriter


@dataclass(frozen=True)
class Artifact:
    """One file an output made (or, from ``plan``, will make)."""

    output: str
    """The registry name of the output that makes it (``pdf``, ``epub``…)."""
    rel_path: str
    """Under the build folder: ``pdf/alliance-at-75-ja.pdf``, ``epub/alliance-at-75-ja-vertical.epub``."""
    langs: tuple[str, ...]
    """Its language, or the source and translation of a two-language edition."""
    kind: str
    """``volume``, ``offprint``, ``facing``, ``epub``, ``epub-vertical``…"""
    doc: str = ""
    """For a one-document file (an offprint): the document's slug."""
    size: int | None = None
    """Bytes; ``None`` while only planned."""
    pages: int | None = None
    page_range: tuple[int, int] | None = None
    """An offprint's first and last page in its volume, as printed."""
    data: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    """What a later output may need from this one (a PDF's page map for the EPUB's page-list)."""


@dataclass
class BuildContext:
    """What every output's ``plan`` and ``run`` see."""

    volume: Volume
    strings: dict[str, UIStrings]
    diagnostics: Diagnostics
    writer: OutputWriter
    options: BuildOptions
    report: BuildReport
    languages: list[str]
    """The languages this build makes (``--lang``); the others' files are kept from the last build."""
    planned: list[Artifact] = field(default_factory=list)
    """Every output's plan, before any runs (the site lists what will exist)."""
    manifest: list[Artifact] = field(default_factory=list)
    """The artifacts of the outputs that ran before, and the files kept from the last build."""
    workers: Workers | None = None
    """The build's worker processes (:mod:`.workers`), shared by the outputs that lay out."""

    def made(self, output: str, lang: str | None = None, kind: str | None = None) -> list[Artifact]:
        """Artifacts in the manifest of one output, optionally of one language and kind."""
        return [a for a in self.manifest if a.output == output and (lang is None or lang in a.langs)
                and (kind is None or a.kind == kind)]


class Output(Protocol):
    """A kind of output: the site, the PDFs, the EPUBs, the facing edition."""

    name: str
    """The ``--format`` name."""
    sections: tuple[str, ...]
    """The build subfolders it writes (``html``, ``pdf``…); a build replaces only the sections of its outputs."""
    aligns: bool
    """Whether it shows the checker's block alignments (the site's parallel views, the facing edition's rows): a
    build with such an output aligns every pair; without, its check takes unchanged pairs from the check's cache,
    whose reports carry no alignment."""

    def enabled(self, volume: Volume) -> bool:
        """Whether ``--format all`` makes it for this volume."""

    def plan(self, ctx: BuildContext) -> list[Artifact]:
        """What it will write (sizes unknown); problems go to ``ctx.diagnostics``; nothing is written."""

    def run(self, ctx: BuildContext) -> list[Artifact]:
        """Write its files through ``ctx.writer``; the artifacts made, with sizes (and pages)."""

    def owns(self, rel_path: str, volume: Volume) -> bool:
        """Whether a file of the last build (path under the build folder) is this output's: a build that does not
        make this output keeps such files in a folder it shares with it (the PDFs and the facing edition)."""


REGISTRY: dict[str, str] = {
    "pdf": "taiyaku.pdf.output:PDFOutput",
    "epub": "taiyaku.epub:EpubOutput",
    "facing": "taiyaku.facing:FacingOutput",
    "html": "taiyaku.site_output:SiteOutput",
}
"""Name → ``module:class``, in the order outputs run (the site last: it offers the others' files). Imported only
when chosen, so that a site-only build never loads the PDF machinery."""


def output_names() -> list[str]:
    """The names ``--format`` accepts (with ``all``)."""
    return [*REGISTRY, "all"]


def parse_formats(value: str) -> tuple[str, ...]:
    """``html,pdf`` → ``("html", "pdf")``; ``all`` → ``("all",)``; an unknown name is a :class:`ConfigError`."""
    names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    unknown = [n for n in names if n not in output_names()]
    if unknown or not names:
        raise ConfigError(f"--format {value}: {FORMAT_HELP}")
    return names


FORMAT_HELP = "expected one or more of the outputs' names, comma-separated: " + ", ".join(REGISTRY) + ", or all"


def load_output(name: str) -> Output:
    """The output registered under ``name``."""
    module, _, cls = REGISTRY[name].partition(":")
    output: Output = getattr(importlib.import_module(module), cls)()
    return output


def kept_files(chosen: list[Output], volume: Volume) -> Callable[[str], bool] | None:
    """Which files of the last build to keep in the sections the chosen outputs write: those of the registered
    outputs not chosen that write the same sections (``--format pdf`` keeps the facing edition); None: none."""
    names = {output.name for output in chosen}
    sections = {section for output in chosen for section in output.sections}
    others = [load_output(name) for name, target in REGISTRY.items() if name not in names]
    sharing = [other for other in others if sections & set(other.sections)]
    if not sharing:
        return None
    return lambda rel_path: any(other.owns(rel_path, volume) for other in sharing)


def select_outputs(formats: tuple[str, ...], volume: Volume) -> list[Output]:
    """The outputs a build makes, in the registry's order: those named, or with ``all`` those the volume enables."""
    chosen: list[Output] = []
    for name in REGISTRY:
        if name not in formats and "all" not in formats:
            continue
        output = load_output(name)
        if name in formats or output.enabled(volume):
            chosen.append(output)
    return chosen
