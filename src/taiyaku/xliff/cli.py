"""``taiyaku xliff export|import``: the translator's round trip through XLIFF (or PO) files.

``taiyaku.cli`` registers the command with :func:`add_parser` and calls :func:`run`. See docs/translators.md.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..check.model import CheckUsageError
from ..errors import Diagnostics

if TYPE_CHECKING:
    from .exchange import Export, ReturnedUnit

log = logging.getLogger(__name__)


def add_parser(subparsers: argparse._SubParsersAction, common_parent: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Register ``xliff export`` and ``xliff import`` on the command line's subparsers."""
    parser = subparsers.add_parser(
        "xliff", parents=[common_parent], help="export what needs translating to XLIFF or PO, import it back",
        description="The translator's round trip: export the missing and outdated blocks to an XLIFF 1.2 (or 2.0, "
                    "or PO) file for a CAT tool, then import the translated file back into content/<lang>/. "
                    "The README describes the loop.")
    actions = parser.add_subparsers(dest="xliff_action", metavar="ACTION", required=True)
    export = actions.add_parser("export", parents=[common_parent], help="write the units to translate",
                                description="Write one exchange file with the missing and outdated blocks of "
                                            "every document (every block with --all).")
    export.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="only these files or folders (under content/<lang>/; default: the whole volume)")
    export.add_argument("--lang", required=True, metavar="LANG", help="the translation language")
    export.add_argument("--all", action="store_true", dest="every",
                        help="every block, with its current translation (default: only what needs translating)")
    export.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="where to write (default: build/xliff/<slug>-<lang>.xlf, or .po)")
    export.add_argument("--format", choices=("xliff", "po"), default="xliff", help="xliff (default) or po")
    export.add_argument("--xliff-version", choices=("1.2", "2.0"), default="1.2",
                        help="1.2 (default: every CAT tool reads it) or 2.0")
    back = actions.add_parser("import", parents=[common_parent], help="write translations back into the files",
                              description="Write each translated unit back at its block's lines; refuse units "
                                          "whose source changed or whose tags were damaged, all or nothing per file.")
    back.add_argument("file", type=Path, metavar="FILE", help="the translated .xlf, .xliff or .po file")
    back.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    back.add_argument("--no-pin", dest="pin", action="store_false",
                      help="do not advance the pin of translations left with nothing outdated")
    return parser


def _write(export: Export, fmt: str, version: str) -> bytes:
    if fmt == "po":
        from . import po
        return po.write(export)
    if version == "2.0":
        from . import xliff20
        return xliff20.write(export)
    from . import xliff12
    return xliff12.write(export)


def read_exchange(data: bytes, path: str) -> tuple[str, list[ReturnedUnit]]:
    """The target language and the units of an exchange file, whichever of the three formats it is."""
    if path.lower().endswith((".po", ".pot")):
        from . import po
        return po.read(data, path)
    from . import xliff12, xliff20
    head = data[:4096]
    if xliff20.NS.encode() in head:
        return xliff20.read(data, path)
    units = xliff12.read(data, path)
    import re
    match = re.search(rb'target-language="([^"]+)"', data)
    return (match[1].decode() if match else ""), units


def run(args: argparse.Namespace) -> int:
    """Run ``taiyaku xliff export|import``; returns the exit code (0 done, 1 refused units, 2 usage error)."""
    from .safety import ExchangeError  # lxml: loaded when an exchange file is made or read, not by every command

    root: Path = args.root
    if not root.is_dir():
        log.error("%s: not a folder", root)
        return 2
    try:
        if args.xliff_action == "export":
            return _export(root, args)
        return _import(root, args)
    except CheckUsageError as exc:
        log.error("%s", exc.message)
        return 2
    except ExchangeError as exc:
        log.error("%s", exc)
        return 1


def _export(root: Path, args: argparse.Namespace) -> int:
    from ..check.cli import _volume_path
    from ..config import load_config
    from .export import collect_units

    paths = []
    for given in args.paths:
        rel = _volume_path(root, given, folders=True)
        if rel is None or not rel.startswith("content/"):
            log.error("%s: not a file or folder under %s/content/", given, root)
            return 2
        paths.append(rel)
    collected = collect_units(root, args.lang, paths or None, args.every)
    config = load_config(root, Diagnostics())
    suffix = ".po" if args.format == "po" else ".xlf"
    output: Path = args.output or root / "build" / "xliff" / f"{config.slug}-{args.lang}{suffix}"
    data = _write(collected.export, args.format, args.xliff_version)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
    except OSError as exc:
        log.error("%s: cannot write: %s", output, exc.strerror)
        return 1
    reasons: dict[str, int] = {}
    for doc in collected.export.documents:
        for unit in doc.units:
            reasons[unit.reason] = reasons.get(unit.reason, 0) + 1
    shown = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items())) or "nothing to translate"
    log.info("wrote %s: %d units in %d documents (%s)", output, collected.export.count,
             len(collected.export.documents), shown)
    return 0


def _diff(root: Path, rel: str, data: bytes) -> str:
    """What an import would change in one file, as a unified diff."""
    import difflib

    path = root / rel
    old = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.is_file() else []
    new = data.decode("utf-8").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"a/{rel}", f"b/{rel}"))


def _import(root: Path, args: argparse.Namespace) -> int:
    from ..check.report import render
    from ..config import load_config
    from .importer import import_units

    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.error("%s: cannot read: %s", path, exc.strerror)
        return 2
    shown = str(path)
    lang, units = read_exchange(data, shown)
    config = load_config(root, Diagnostics())
    if not lang or lang == config.source_language:
        log.error("%s: names no translation language (target-language / trgLang / Language header)", shown)
        return 2
    result = import_units(root, shown, lang, units, dry_run=args.dry_run, pin=args.pin)
    for problem in result.refused:
        log.error("%s", problem)
    for file in sorted(result.files.values(), key=lambda f: f.path):
        verb = "would write" if args.dry_run else "wrote"
        if file.data is not None:
            log.info("%s: %s %d unit(s), %d unchanged%s", file.path, verb, file.written, file.unchanged,
                     " (a new file)" if file.created else "")
            if args.dry_run:
                sys.stdout.write(_diff(root, file.path, file.data))
    if result.report is not None:
        sys.stdout.write(render(result.report, "text", False))
    return 1 if result.refused else 0
