"""The command line: `build` is the default command; global options anywhere; usage errors exit 2 in one line."""

from __future__ import annotations

import argparse
import os
import signal
from pathlib import Path

import pytest

from taiyaku import __version__, cli


def test_build_is_the_default_command(make_root, run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = run("--root", make_root("minimal"), "--out", out, "--format", "html")
    assert (code, err) == (0, f"built 14 files into {out}\n")


def test_quiet_build_prints_nothing(make_root, run, tmp_path: Path) -> None:
    code, err = run("build", "-q", "--root", make_root("minimal"), "--out", tmp_path / "out", "--format", "html")
    assert (code, err) == (0, "")


def test_quiet_build_still_prints_problems(make_root, run, tmp_path: Path) -> None:
    code, err = run("build", "-q", "--root", make_root("missing_link"), "--out", tmp_path / "out")
    assert (code, err) == (1, "content/en/01-one.md:7: content: a link points to '03-missing.md', which is not a "
                              "file of this volume\nerror: build: 1 problem found; nothing was written\n")


def test_version(run, capsys) -> None:
    code, _ = run("--version")
    assert code == 0
    assert capsys.readouterr().out == f"taiyaku {__version__}\n"


def test_unknown_format_is_a_usage_error(make_root, run, tmp_path: Path) -> None:
    code, err = run("build", "--root", make_root("minimal"), "--format", "html,mobi")
    assert code == 2
    assert err == ("taiyaku build: error: argument --format: 'html,mobi': expected one or more of the outputs' "
                   "names, comma-separated: pdf, epub, facing, html, or all (see `taiyaku build --help`)\n")


def test_option_value_named_like_a_command(make_root, run, tmp_path: Path, monkeypatch) -> None:
    root = make_root("minimal")
    monkeypatch.chdir(root)
    code, err = run("--format", "html", "--out", "build")
    assert (code, err) == (0, "built 14 files into build\n")


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_before_or_after_the_command(make_root, run, tmp_path: Path, where: str) -> None:
    root, out = make_root("minimal"), tmp_path / "out"
    options = ["--root", str(root), "-v"]
    build = ["build", "--out", str(out), "--format", "html"]
    code, err = run(*(options + build if where == "before" else build + options))
    assert code == 0
    assert err.splitlines()[-1] == f"built 14 files into {out}"
    assert any(line.startswith("debug: ") for line in err.splitlines())


def test_root_before_check_is_the_volume_checked(make_root, run, tmp_path: Path, monkeypatch, capsys) -> None:
    root = make_root("minimal")
    monkeypatch.chdir(tmp_path)  # holds no volume
    code, _ = run("--root", root, "check")
    assert code == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert ["ja", "2", "2", "0", "0", "0", "0"] in [row[:7] for row in rows]


def test_quiet_before_the_command(make_root, run, tmp_path: Path) -> None:
    assert run("-q", "build", "--root", make_root("minimal"), "--out", tmp_path / "o", "--format", "html") == (0, "")


def _all_parsers(parser: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _all_parsers(sub)


def test_every_option_and_command_has_help() -> None:
    parsers = list(_all_parsers(cli._parser()))
    assert {p.prog for p in parsers} >= {"taiyaku build", "taiyaku check", "taiyaku serve", "taiyaku new",
                                         "taiyaku clean", "taiyaku i18n init", "taiyaku completion"}
    for parser in parsers:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                assert all(choice.help for choice in action._choices_actions), parser.prog
            else:
                assert action.help, f"{parser.prog} {action.option_strings or action.dest} has no help"
        assert "docs/" not in parser.format_help(), parser.prog  # the installed package has no docs/


def test_a_missing_argument_names_the_fix(run) -> None:
    code, err = run("i18n", "init")
    assert (code, err) == (2, "taiyaku i18n init: error: the following arguments are required: LANG "
                              "(see `taiyaku i18n init --help`)\n")


def test_ctrl_c_is_one_line_and_exit_130(make_root, run, monkeypatch) -> None:
    def interrupted(args):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "_build", interrupted)
    assert run("build", "--root", make_root("minimal")) == (130, "error: interrupted\n")


def test_sigterm_unwinds_and_exits_143(make_root, run, monkeypatch) -> None:
    cleaned: list[bool] = []

    def killed(args):  # type: ignore[no-untyped-def]
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            raise AssertionError("SIGTERM did not interrupt the command")
        finally:
            cleaned.append(True)  # a build's cleanup runs in the same way
    monkeypatch.setattr(cli, "_build", killed)
    before = signal.getsignal(signal.SIGTERM)
    assert run("build", "--root", make_root("minimal")) == (143, "error: terminated\n")
    assert cleaned == [True]
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is the command's only


def test_an_unknown_command_is_named(run) -> None:
    assert run("--root", ".", "biuld") == (2, "taiyaku: error: unknown command 'biuld' (choose from build, check, "
                                              "clean, completion, i18n, import, new, serve, xliff) (see `taiyaku --help`)\n")


def test_a_port_out_of_range_is_a_usage_error(run) -> None:
    assert run("serve", "--port", "70000") == (2, "taiyaku serve: error: argument --port: '70000' is not a port "
                                                  "number (0 to 65535; 0 picks a free one) (see `taiyaku serve "
                                                  "--help`)\n")


def test_the_command_ends_without_teardown_and_loses_nothing(make_root, tmp_path: Path) -> None:
    """``cli.run`` (the installed command, build.py, ``python -m taiyaku``) ends with ``os._exit`` once the work is
    done: the exit code is the build's, its messages are all there, the exit handlers ran (one registered by the
    process before the build prints last) but no teardown (an object only it would free says nothing), and a
    build with problems still exits 1 with them."""
    import subprocess
    import sys

    src = Path(cli.__file__).resolve().parents[1]
    script = ("import atexit, sys\n"
              "atexit.register(lambda: print('handlers ran', flush=False))\n"
              "class Kept:\n"
              "    def __del__(self): print('torn down')\n"
              "kept = Kept()  # freed only by the interpreter's teardown\n"
              "from taiyaku.cli import run\n"
              "run()\n")
    env = {**os.environ, "PYTHONPATH": str(src)}
    good = subprocess.run([sys.executable, "-c", script, "--root", str(make_root("minimal")), "--out",
                           str(tmp_path / "out"), "--format", "html"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert good.returncode == 0, good.stderr
    assert good.stderr == f"built 14 files into {tmp_path / 'out'}\n"
    assert good.stdout == "handlers ran\n"
    bad = subprocess.run([sys.executable, "-c", script, "build", "-q", "--root", str(make_root("missing_link")),
                          "--out", str(tmp_path / "out2")], capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 1
    assert bad.stderr.endswith("error: build: 1 problem found; nothing was written\n")
    assert bad.stdout == "handlers ran\n"
