"""``taiyaku check``: its options, and running it (exit 0 complete, 1 problems found, 2 usage error).

``taiyaku.cli`` registers the command with :func:`add_parser` and calls :func:`run`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .report import FORMATS

# The parser is made for every command (``build --help`` too): the checker, the config and the layouts are
# imported only when ``check`` runs.

log = logging.getLogger(__name__)


def add_parser(subparsers: argparse._SubParsersAction, common_parent: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Register ``check`` and its options on the command line's subparsers."""
    parser = subparsers.add_parser(
        "check", parents=[common_parent],
        help="report missing, outdated and partly translated documents and UI strings",
        description="Report what of each translation is missing, outdated or partly translated, down to the "
                    "paragraph, and which UI strings are untranslated. Exit 0 when complete, 1 when not, 2 on a "
                    "usage error. See docs/check.md.")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="check only these files or folders (under content/<lang>/, or where the [content] "
                             "layout puts documents; a source path checks its translations; default: the whole volume)")
    parser.add_argument("--lang", action="append", default=[], metavar="LANG",
                        help="check only this translation language (repeatable; default: every one)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default): a summary and path:line lines; json: the JSON contract; "
                             "html: one self-contained page")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--pin", action="append", default=[], type=Path, metavar="PATH",
                        help="first write source_commit: <the source's last commit> (or the key [check] pin_key "
                             "names) into this translation's front matter, changing nothing else (repeatable)")
    parser.add_argument("--glossary", metavar="FILE",
                        help="check terminology against this CSV or TBX glossary (instead of [check] glossary)")
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help="compare every pair again instead of reusing the findings of unchanged pairs from "
                             ".taiyaku-cache/check/ (the report is the same either way)")
    parser.add_argument("--cache-dir", type=Path, metavar="DIR",
                        help="where findings are kept between checks (default: .taiyaku-cache/ in the volume)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``taiyaku check`` with parsed arguments; returns the exit code."""
    from .volume import rare_collections

    with rare_collections():  # the report's rendering makes as many objects as the check: see rare_collections
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..errors import Diagnostics
    from ..read.layout import load_layout
    from .model import CheckUsageError
    from .report import render
    from .volume import check_volume

    root: Path = args.root
    if not root.is_dir():
        log.error("%s: not a folder", root)
        return 2
    code = 0
    try:
        if args.pin:
            code = _pin_all(root, args.pin)
            if code == 2:
                return 2
        paths = []
        roots = load_layout(load_config(root, Diagnostics()).content).roots if args.paths else []
        for given in args.paths:
            rel = _volume_path(root, given, folders=True)
            if rel is None or not any(_related(rel, base) for base in roots):
                where = " or ".join(f"{root}/{base}" for base in roots)
                log.error("%s: not a file or folder under %s", given, where)
                return 2
            paths.append(rel)
        glossary = None
        if args.glossary:
            found = Path(args.glossary)
            glossary = str(found.resolve()) if found.exists() else args.glossary
        cache = None
        if getattr(args, "cache", True):
            from ..cache import CACHE_DIR

            cache = getattr(args, "cache_dir", None) or root / CACHE_DIR
        report = check_volume(root, args.lang or None, paths=paths or None, glossary=glossary, cache=cache)
    except CheckUsageError as exc:
        log.error("%s", exc.message)
        return 2
    text = render(report, args.format, args.strict)
    if args.output:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            log.error("%s: cannot write the report: %s", args.output, exc.strerror)
            return 1
        log.info("wrote %s", args.output)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return max(code, report.exit_code(args.strict))


def _related(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder``, inside it, or holds it (``content`` holds ``content/en/``)."""
    folder = folder.rstrip("/")
    return not folder or path == folder or path.startswith(folder + "/") or folder.startswith(path + "/")


def _volume_path(root: Path, given: Path, folders: bool = False) -> str | None:
    """``given`` (relative to the current folder or to the root) as a volume-relative path, if inside the root
    (and a file, or also a folder when ``folders``)."""
    base = root.resolve()
    for candidate in ([given] if given.is_absolute() else [Path.cwd() / given, root / given]):
        try:
            rel = candidate.resolve().relative_to(base)
        except ValueError:
            continue
        if candidate.is_file() or (folders and candidate.is_dir()):
            return rel.as_posix()
    return None


def _pin_all(root: Path, paths: list[Path]) -> int:
    """Pin every translation named; 2 when one is not a translation file, 1 when one could not be pinned."""
    from ..config import load_config
    from ..errors import ContentError, Diagnostics
    from ..read.layout import load_layout
    from .history import load_history
    from .pin import pin_translation

    config = load_config(root, Diagnostics())
    layout = load_layout(config.content)
    source_lang = config.source_language
    targets: list[tuple[str, str]] = []
    for given in paths:
        rel = _volume_path(root, given)
        found = layout.identify(rel, source_lang, config.languages) if rel else None
        if rel is None or found is None:
            where = f"{root}/content/<lang>/" if layout.default else \
                f"{root} where [content] translations puts them ({', '.join(g.translations.text for g in layout.groups)})"
            log.error("--pin %s: not a Markdown file under %s", given, where)
            return 2
        lang, key = found
        if lang == source_lang:
            example = layout.path_of("<lang>", key, source_lang)
            log.error("--pin %s: that is a source document; pin its translation (%s)", given, example)
            return 2
        targets.append((rel, layout.path_of(source_lang, key, source_lang)))
    history = load_history(root, config.check.ignore_commit_markers, layout.roots)
    code = 0
    from ..lock import volume_lock

    with volume_lock(root, "check --pin of this volume"):  # two pins at once would interleave front matter edits
        for translation, source in targets:
            if not (root / source).is_file():
                log.error("%s: cannot pin: there is no source %s", translation, source)
                code = 1
                continue
            try:
                pin_translation(root, translation, source, history, config.check.pin_key)
            except ContentError as exc:
                log.error("%s%s: %s", exc.path, f":{exc.line}" if exc.line else "", exc.message)
                code = 1
    return code
