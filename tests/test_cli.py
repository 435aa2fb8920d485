"""The command line: `build` is the default command; usage errors exit 2."""

from __future__ import annotations

from pathlib import Path


from taiyaku import __version__


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
    code, err = run("build", "--root", make_root("minimal"), "--format", "epub")
    assert code == 2
    assert err.splitlines()[-1] == ("taiyaku build: error: argument --format: invalid choice: 'epub' "
                                    "(choose from 'html', 'pdf', 'all')")


def test_option_value_named_like_a_command(make_root, run, tmp_path: Path, monkeypatch) -> None:
    root = make_root("minimal")
    monkeypatch.chdir(root)
    code, err = run("--format", "html", "--out", "build")
    assert (code, err) == (0, "built 14 files into build\n")
