"""``taiyaku import``'s options and its run: one Word file into the volume at ``--root``."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

log = logging.getLogger("taiyaku")


def add_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The import command's own options (the global ``--root``, ``-q`` and ``-v`` are already there)."""
    parser.add_argument("file", type=Path, metavar="FILE", help="the Word manuscript (.docx)")
    parser.add_argument("--lang", metavar="LANG",
                        help="the document's language (default: the volume's source language); a translation "
                             "with the slug of an existing document lands at that document's path")
    parser.add_argument("--slug", metavar="SLUG",
                        help="the document's slug and file name (default: made from the title)")
    parser.add_argument("--force", action="store_true", help="replace a document or figures that already exist")
    changes = parser.add_mutually_exclusive_group()
    changes.add_argument("--accept-changes", dest="changes", action="store_const", const="accept",
                         help="accept the file's tracked changes (without this or --reject-changes, a file with "
                              "tracked changes is refused)")
    changes.add_argument("--reject-changes", dest="changes", action="store_const", const="reject",
                         help="reject the file's tracked changes: import the text as it was before them")
    return parser


def run(args: argparse.Namespace) -> int:
    """Import ``args.file``; 0 when written (warnings were reported), a :class:`TaiyakuError` otherwise."""
    from .importer import ImportOptions, import_docx

    root: Path = args.root
    if not root.is_dir():
        log.error("%s: not a folder", root)
        return 1
    result = import_docx(ImportOptions(root=root, src_path=args.file, lang=args.lang, slug=args.slug,
                                       force=args.force, changes=args.changes))
    figures = f" and {len(result.images)} figure{'s' if len(result.images) != 1 else ''}" if result.images else ""
    warnings = len(result.diagnostics)
    log.info("imported %s into %s%s (%d note%s)%s", args.file, result.rel_path, figures, result.notes,
             "" if result.notes == 1 else "s", f"; {warnings} warning(s) above" if warnings else "")
    return 0
