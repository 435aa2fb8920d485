"""``xliff export``: the units the check says need translating (or all), gathered per document."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ..check import CheckReport, check_volume
from ..check.volume import load_for_check
from ..model import Volume
from ..read.blocks import Block
from .exchange import Export, ExportDocument

log = logging.getLogger(__name__)


@dataclass
class Collected:
    """An export, with the volume and the check report it was made from (an import compares against them)."""

    export: Export
    volume: Volume
    report: CheckReport


def collect_units(root: Path, lang: str, paths: list[str] | None = None, every: bool = False) -> Collected:
    """The units of every document (under ``paths``) of ``lang``: missing, outdated and untranslated ones, or all.

    Raises :class:`~taiyaku.check.CheckUsageError` for an unknown language or a folder without ``content/``.
    """
    from .units import document_units

    volume, _ = load_for_check(root, [lang])
    report = check_volume(volume, [lang], paths=paths, catalogs=False)
    config = volume.config
    sources = volume.files.get(config.source_language, {})
    translations = volume.files.get(lang, {})
    documents: list[ExportDocument] = []
    for doc in report.languages[lang].documents:
        if doc.source is None:
            continue  # an orphan: nothing of the source to translate
        rel = doc.source.split("/", 2)[2]
        source, translation = sources.get(rel), translations.get(rel)
        if source is None or source.text is None:
            continue
        if translation is not None and (translation.text is None or translation.meta is None):
            log.warning("%s: unreadable, left out of the export (repair it first)", translation.path)
            continue
        left_out: list[Block] = []
        units = document_units(doc, source, translation, config.check.translatable_keys, every, left_out)
        if left_out:
            log.info("%s: %d block(s) merged, split or omitted on purpose left out (source line %d…): edit them in the file",
                     f"content/{lang}/{rel}", len(left_out), left_out[0].line)
        if units:
            documents.append(ExportDocument(doc.source, f"content/{lang}/{rel}", units))
    return Collected(Export(config.source_language, lang, documents), volume, report)
