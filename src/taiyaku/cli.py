"""Command line: ``taiyaku build`` and ``taiyaku i18n``; user errors become ``path:line: message`` and exit 1."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__
from .errors import TaiyakuError

log = logging.getLogger("taiyaku")
COMMANDS = ("build", "check", "i18n", "serve")


class _Formatter(logging.Formatter):
    """Diagnostics are already ``path:line: …``; other records get a short level prefix."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name.startswith("taiyaku.errors") or record.levelno == logging.INFO:
            return message
        return f"{record.levelname.lower()}: {message}"


def setup_logging(verbosity: int) -> None:
    """``-q``: errors and warnings only; default: a line per phase; ``-v``: debug."""
    level = {-1: logging.WARNING, 0: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger("taiyaku")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    # WeasyPrint's own messages are collected per PDF by the worker; keep them off the console here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="the volume folder (default: current folder)")
    noise = common.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_const", const=-1, dest="verbosity", default=0,
                       help="only warnings and errors")
    noise.add_argument("-v", "--verbose", action="store_const", const=1, dest="verbosity", help="debug output")

    parser = argparse.ArgumentParser(prog="taiyaku", description="Bilingual publishing: a parallel Markdown volume "
                                     "into an HTML site and a typeset PDF per language.", parents=[common])
    parser.add_argument("--version", action="version", version=f"taiyaku {__version__}")
    commands = parser.add_subparsers(dest="command")

    build = commands.add_parser("build", parents=[common], help="build the site and the PDFs (the default)")
    build.add_argument("--out", type=Path, help="output folder (default: <root>/build)")
    build.add_argument("--format", choices=["html", "pdf", "all"], default="all")
    build.add_argument("--lang", action="append", default=[], metavar="LANG",
                       help="build only this language (repeatable); other languages' output is kept")
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument("--drafts", action="store_true", help="include documents marked draft: true")
    build.add_argument("--profile", choices=["screen", "print"],
                       help="PDFs for the screen (default) or for the print shop (3 mm bleed, crop marks); "
                            "default: the volume's profile setting")
    build.add_argument("--pdf-variant", metavar="VARIANT",
                       help="a WeasyPrint PDF variant such as pdf/a-3b (default pdf/ua-1)")

    from .check.cli import add_parser as add_check

    add_check(commands, common)

    serve = commands.add_parser("serve", parents=[common], help="preview the site on 127.0.0.1, rebuilt on every change")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")

    i18n = commands.add_parser("i18n", parents=[common], help="UI string catalogs (Babel workflow)")
    i18n_commands = i18n.add_subparsers(dest="i18n_command", required=True)
    i18n_commands.add_parser("extract", parents=[common], help="write locales/messages.pot from templates/")
    i18n_commands.add_parser("update", parents=[common], help="merge messages.pot into every catalog, keeping translations")
    i18n_commands.add_parser("compile", parents=[common], help="write .mo files beside the catalogs (the build needs none)")
    init = i18n_commands.add_parser("init", parents=[common], help="start a catalog for a new language")
    init.add_argument("lang", metavar="LANG")
    return parser


def _command_word(parser: argparse.ArgumentParser, argv: list[str]) -> str | None:
    """The command named in ``argv``, skipping option values (``--out build`` names no command)."""
    takes_value: set[str] = set()
    pending = [parser]
    while pending:
        current = pending.pop()
        for action in current._actions:  # argparse has no public way to list a parser's options
            if action.option_strings and action.nargs != 0:
                takes_value.update(action.option_strings)
            if isinstance(action, argparse._SubParsersAction):
                pending.extend(action.choices.values())
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg.startswith("-"):
            skip = arg in takes_value  # "--out=x" carries its value
        else:
            return arg if arg in COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> int:
    """Run a command; returns the exit code (0 ok, 1 problems found, 2 usage error)."""
    parser = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if _command_word(parser, argv) is None and not {"-h", "--help", "--version"} & set(argv):
        argv.insert(0, "build")  # `python build.py --format html` means `python build.py build --format html`
    args = parser.parse_args(argv)
    setup_logging(args.verbosity)
    command = args.command or "build"
    try:
        if command == "build":
            return _build(args)
        if command == "check":
            from .check.cli import run as run_check

            return run_check(args)
        if command == "serve":
            from .serve import serve

            return serve(args.root, args.port)
        if command == "i18n":
            from .catalogs import run_i18n

            return run_i18n(args.i18n_command, args.root, getattr(args, "lang", None))
    except TaiyakuError as exc:
        log.error("%s", exc)
        return 1
    except KeyboardInterrupt:
        log.error("interrupted; the previous output is untouched")
        return 130
    return 2


def _build(args: argparse.Namespace) -> int:
    from .pipeline import BuildOptions, build

    root: Path = args.root
    if not root.is_dir():
        log.error("%s: not a folder", root)
        return 1
    options = BuildOptions(
        root=root, out=getattr(args, "out", None), format=getattr(args, "format", "all"),
        languages=getattr(args, "lang", []), strict=getattr(args, "strict", False),
        drafts=getattr(args, "drafts", False), progress=sys.stderr.isatty() and args.verbosity >= 0,
        profile=getattr(args, "profile", None), pdf_variant=getattr(args, "pdf_variant", None),
    )
    report = build(options)
    pdfs = ", ".join(f"{name} ({pages} pages)" for name, pages in report.pdfs.items())
    log.info("built %d files into %s%s%s", report.files, report.out_dir, f": {pdfs}" if pdfs else "",
             f"; {report.warnings} warning(s)" if report.warnings else "")
    return 0
