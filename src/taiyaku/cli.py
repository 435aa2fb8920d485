"""Command line: ``taiyaku build | check | xliff | serve | new | import | clean | i18n | completion``; user errors become
``path:line: message``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .errors import TaiyakuError, Terminated
from .outputs import FORMAT_HELP, output_names, parse_formats

if TYPE_CHECKING:
    from .pipeline import BuildReport

log = logging.getLogger("taiyaku")
COMMANDS = ("build", "check", "clean", "completion", "i18n", "import", "new", "serve", "xliff")
SHELLS = ("bash", "zsh")
"""Shells ``taiyaku completion`` writes a script for (shtab also knows tcsh, which nobody asked for)."""


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


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line naming the fix (exit 2), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: message`` and where to read more, exit 2."""
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _add_common(parser: argparse.ArgumentParser, top: bool) -> None:
    """The global options, accepted before and after the command word.

    Only the top parser has defaults: a subparser's default would silently overwrite a value given before the
    command (argparse copies every attribute of the subcommand's namespace), so there they are ``SUPPRESS``.
    """
    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    group = parser.add_argument_group("global options (before or after the command)")
    group.add_argument("--root", type=Path, default=default(Path(".")), metavar="DIR",
                       help="the volume folder (default: the current folder)")
    noise = group.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_const", const=-1, dest="verbosity", default=default(0),
                       help="print only warnings and errors")
    noise.add_argument("-v", "--verbose", action="store_const", const=1, dest="verbosity",
                       default=default(0), help="print debug output too")


def _subparser(commands: argparse._SubParsersAction, name: str, help: str, **kwargs: Any) -> argparse.ArgumentParser:  # noqa: A002
    """A command's parser with the global options; its description repeats the one-line help."""
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help, description=kwargs.pop("description", help),
                                                          **kwargs)
    _add_common(parser, top=False)
    return parser


def _port(text: str) -> int:
    """A TCP port number for ``--port``."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535; 0 picks a free one)")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="taiyaku", description="Bilingual publishing: a parallel Markdown volume into an HTML "
                     "site and a typeset PDF per language. Without a command, `build` runs.")
    parser.add_argument("--version", action="version", version=f"taiyaku {__version__}",
                        help="print the version and exit")
    _add_common(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    build = _subparser(commands, "build", "build the site and the PDFs (the default command)")
    build.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: <root>/build)")
    build.add_argument("--format", type=_formats, default="all", metavar="NAMES", choices=_FormatChoices(output_names()),
                       help="the outputs to make, comma-separated: " + ", ".join(output_names()[:-1])
                       + "; all (default): every output the volume has")
    build.add_argument("--lang", action="append", default=[], metavar="LANG",
                       help="build only this language (repeatable); other languages' output is kept")
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument("--drafts", action="store_true", help="include documents marked draft: true")
    build.add_argument("--profile", choices=["screen", "print"],
                       help="PDFs for the screen or for the print shop (3 mm bleed, crop marks); "
                            "default: the volume's profile setting")
    build.add_argument("--pdf-variant", metavar="VARIANT",
                       help="a WeasyPrint PDF variant such as pdf/a-3b (default pdf/ua-1)")
    build.add_argument("--no-cache", dest="cache", action="store_false",
                       help="typeset every PDF again instead of reusing unchanged ones from .taiyaku-cache/")
    build.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="where typeset PDFs are kept between builds (default: .taiyaku-cache/ in the volume)")
    build.add_argument("--json", action="store_true",
                       help="print the build's summary as JSON on stdout (files, PDFs and their pages, the "
                            "typesetting report); the log stays on stderr")

    from .check.cli import add_parser as add_check

    sub_common = _Parser(add_help=False)
    _add_common(sub_common, top=False)
    check = add_check(commands, sub_common)
    # The installed package carries no docs/ folder: point to what it does carry.
    check.description = (check.description or "").replace("See docs/check.md.", "The README describes the report.")
    from .xliff.cli import add_parser as add_xliff

    add_xliff(commands, sub_common)

    serve = _subparser(commands, "serve", "preview the site, rebuilt and reloaded on every change",
                       description="Build the site into a temporary folder and serve it, rebuilt and reloaded on "
                                   "every change; failed builds show their problems over the page.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
    serve.add_argument("--open", action="store_true", help="open the site in the web browser")
    serve.add_argument("--pdf", action="store_true",
                       help="typeset the PDFs too on every build (slower; only the changed papers are laid out "
                            "again) and preview each at /__taiyaku/pdf/<name>.pdf, reloaded after each rebuild; "
                            "without it, /pdf/ serves the PDFs of the last `taiyaku build` into build/, if any")

    new = _subparser(commands, "new", "start a new volume in an empty folder",
                     description="Write a small working volume into DIR: volume.toml with every key explained, "
                                 "one document per language with a figure and a footnote.")
    new.add_argument("dir", type=Path, metavar="DIR", help="the folder to create (must be missing or empty)")
    new.add_argument("--languages", default="en,ja", metavar="LANGS",
                     help="comma-separated locale codes, the source language first (default: en,ja)")

    from .manuscripts.cli import add_parser as add_import

    add_import(_subparser(commands, "import", "turn a Word manuscript (.docx) into a volume document",
                          description="Write content/<lang>/<NN>-<slug>.md and its figures from a .docx: front "
                                      "matter from the Title, Subtitle, Author, Abstract and Keywords styles, notes "
                                      "as [^n], tables, figures with captions; what cannot be mapped is reported. "
                                      "Needs pandoc: pip install 'taiyaku[word]'."))

    _subparser(commands, "clean", "remove what taiyaku made in the volume: build/ and .taiyaku-cache/")

    i18n = _subparser(commands, "i18n", "UI string catalogs: extract, init, update, compile (Babel workflow)")
    i18n_commands = i18n.add_subparsers(dest="i18n_command", metavar="SUBCOMMAND", title="subcommands")
    _subparser(i18n_commands, "extract",
               "write locales/messages.pot: every UI string of the theme's and the volume's templates")
    _subparser(i18n_commands, "update", "extract, then merge new strings into every catalog, keeping translations")
    _subparser(i18n_commands, "compile", "write .mo files beside the catalogs (the build needs none)")
    init = _subparser(i18n_commands, "init", "start a catalog for a new language with every UI string")
    init.add_argument("lang", metavar="LANG", help="a locale code Babel knows, such as ko or zh_Hant")

    completion = _subparser(commands, "completion", "print a shell completion script (bash or zsh)",
                            description="Print a script that completes taiyaku's commands, options and their "
                                        "values in bash or zsh. Bash: add `eval \"$(taiyaku completion bash)\"` "
                                        "to ~/.bashrc. Zsh: save the script as _taiyaku in a folder of $fpath.")
    completion.add_argument("shell", choices=SHELLS, help="the shell to complete in: bash or zsh")
    return parser


def _command_word(parser: argparse.ArgumentParser, argv: list[str]) -> str | None:
    """The first word of ``argv`` that is not an option or an option's value (``--out build`` names no command)."""
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
            return arg
    return None


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    """Run a command; returns the exit code (0 ok, 1 problems found, 2 usage error, 130/143 interrupted)."""
    parser = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    word = _command_word(parser, argv)
    if word is not None and word not in COMMANDS:
        parser.error(f"unknown command {word!r} (choose from {', '.join(COMMANDS)})")
    if word is None and not {"-h", "--help", "--version"} & set(argv):
        argv.insert(0, "build")  # `python build.py --format html` means `python build.py build --format html`
    args = parser.parse_args(argv)
    setup_logging(args.verbosity)
    command = args.command or "build"
    # SIGTERM (a CI runner cancelling a job) unwinds like Ctrl-C, so every `finally` and cleanup block runs.
    previous = signal.signal(signal.SIGTERM, _terminate) if threading.current_thread() is threading.main_thread() \
        else None
    try:
        return _run(command, args, parser)
    except TaiyakuError as exc:
        log.error("%s", exc)
        return 1
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130
    except Terminated:
        log.error("terminated")
        return 143
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def run() -> NoReturn:
    """The ``taiyaku`` command (``build.py``, ``python -m taiyaku``): :func:`main`, then the process ends.

    It ends without tearing the interpreter down: the exit handlers run (logging's flush, temporary folders,
    multiprocessing's), the output is flushed, and ``os._exit`` skips the freeing of every module's and the
    volume's objects, which took a build 0.05–0.13 s after its work was done. Only when no other thread of the
    process still runs (Python would wait for it); else as usual."""
    code = main()
    if any(thread is not threading.main_thread() and not thread.daemon and thread.is_alive()
           for thread in threading.enumerate()):
        raise SystemExit(code)
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):  # closed, or none: nothing more can reach it
            pass
    os._exit(code)


def _run(command: str, args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Dispatch a parsed command line."""
    if command == "build":
        return _build(args)
    if command == "check":
        from .check.cli import run as run_check

        return run_check(args)
    if command == "xliff":
        from .xliff.cli import run as run_xliff

        return run_xliff(args)
    if command == "serve":
        from .serve import serve

        return serve(args.root, args.port, host=args.host, open_browser=args.open, pdf=args.pdf)
    if command == "new":
        from .scaffold import new_volume

        languages = [code.strip() for code in args.languages.split(",") if code.strip()]
        new_volume(args.dir, languages)
        return 0
    if command == "import":
        from .manuscripts.cli import run as run_import

        return run_import(args)
    if command == "clean":
        from .scaffold import clean

        clean(args.root)
        return 0
    if command == "completion":
        sys.stdout.write(completion_script(parser, args.shell))
        return 0
    if command == "i18n":
        if args.i18n_command is None:
            i18n = _subparsers(parser)["i18n"]
            sys.stderr.write(i18n.format_help())
            return 2
        from .catalogs import run_i18n

        return run_i18n(args.i18n_command, args.root, getattr(args, "lang", None))
    return 2


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """A ``shell`` script completing this command line, made by shtab from the parser itself, so it never lags."""
    import shtab

    pending = [parser]
    while pending:
        current = pending.pop()
        for action in current._actions:  # argparse has no public way to list a parser's options
            if isinstance(action, argparse._SubParsersAction):
                pending.extend(action.choices.values())
            elif action.metavar == "DIR":
                action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]
            elif action.metavar in ("FILE", "PATH"):
                action.complete = shtab.FILE  # type: ignore[attr-defined]
    return shtab.complete(parser, shell=shell)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse has no public way to reach a subparser
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def build_summary(report: BuildReport) -> dict[str, Any]:
    """``build --json``: what a successful build made, per PDF its pages and typesetting report."""
    return {
        "out_dir": str(report.out_dir),
        "files": report.files,
        "unchanged": report.unchanged,
        "warnings": report.warnings,
        "cached": sorted(report.cached),
        "pdfs": {name: {"pages": pages, "cached": name in report.cached,
                        "typesetting": dataclasses.asdict(report.typesetting[name])
                        if name in report.typesetting else None}
                 for name, pages in sorted(report.pdfs.items())},
    }


class _FormatChoices(list[str]):
    """The outputs' names for the shell's completion; any comma-separated list of them is a valid value."""

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and all(name in list(self) for name in value.split(","))


def _formats(value: str) -> str:
    """``--format``: registry names, comma-separated (checked here, so that a typo is a usage error)."""
    try:
        return ",".join(parse_formats(value))
    except TaiyakuError:
        raise argparse.ArgumentTypeError(f"{value!r}: {FORMAT_HELP}") from None


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
        cache=getattr(args, "cache", True), cache_dir=getattr(args, "cache_dir", None),
    )
    report = build(options)
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(build_summary(report), ensure_ascii=False, indent=2) + "\n")
    pdfs = ", ".join(f"{name} ({pages} pages)" for name, pages in report.pdfs.items())
    if report.unchanged:
        return 0  # the build said so ("nothing changed since the last build into …")
    log.info("built %d files into %s%s%s%s", report.files, report.out_dir, f": {pdfs}" if pdfs else "",
             f" ({len(report.cached)} unchanged, from the cache)" if report.cached else "",
             f"; {report.warnings} warning(s)" if report.warnings else "")
    return 0
