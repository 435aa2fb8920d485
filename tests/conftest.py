"""Shared fixtures: copies of the volumes under ``tests/roots/``, an in-process ``taiyaku`` runner, no network."""

from __future__ import annotations

import contextlib
import io
import shutil
import socket
from pathlib import Path

import pytest

from taiyaku.cli import main

TESTS = Path(__file__).resolve().parent
ROOTS = TESTS / "roots"
REPO = TESTS.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds the whole sample volume with its PDFs (run by default)")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection from the test process fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a test tried to use the network: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def make_root(tmp_path: Path):
    """``make_root(name)``: a fresh copy of ``tests/roots/<name>/`` as ``<tmp_path>/<name>``."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(ROOTS / name, target)
        return target

    return copy


def run_taiyaku(*args: object) -> tuple[int, str]:
    """Run ``taiyaku.cli.main`` in-process; returns (exit code, everything written to stderr).

    ``cli.setup_logging`` installs a ``StreamHandler(sys.stderr)`` on each call, so swapping ``sys.stderr`` for
    the duration of the call captures the ``taiyaku`` logger's output.
    """
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors and --help
            code = exc.code if isinstance(exc.code, int) else 1
    return code, buffer.getvalue()


@pytest.fixture
def run():
    """The in-process runner (see :func:`run_taiyaku`)."""
    return run_taiyaku


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative path → bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def staging_leftovers(out: Path) -> list[str]:
    """Staging folders (``.<name>.taiyaku-*``) left beside ``out``."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".") and "taiyaku-" in p.name)


@pytest.fixture
def previous_output(tmp_path: Path):
    """An output folder holding an HTML build of the minimal root, and a snapshot of its files."""
    root = tmp_path / "previous" / "minimal"
    shutil.copytree(ROOTS / "minimal", root)
    out = tmp_path / "out"
    code, err = run_taiyaku("build", "--root", root, "--out", out, "--format", "html")
    assert (code, err) == (0, f"built 8 files into {out}\n")
    return out, snapshot(out)
