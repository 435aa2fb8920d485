"""Shared fixtures: copies of the volumes under ``tests/roots/``, an in-process ``taiyaku`` runner, no network."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from helpers import run_taiyaku, snapshot

TESTS = Path(__file__).resolve().parent
ROOTS = TESTS / "roots"
REPO = TESTS.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds the whole sample volume with its PDFs (run by default)")


@pytest.fixture(scope="session", autouse=True)
def no_network():
    """Any attempt to open a network connection from the test process fails (PDF workers refuse URLs anyway)."""

    loopback = ("127.0.0.1", "localhost", "::1")
    originals = {name: getattr(socket.socket, name) for name in ("connect", "connect_ex")}
    create_connection, getaddrinfo = socket.create_connection, socket.getaddrinfo

    def host_of(address: object) -> object:
        return address[0] if isinstance(address, tuple) else address

    def guard(original):  # the preview server's tests talk to 127.0.0.1; nothing else is allowed
        def call(self_or_address, *args, **kwargs):
            address = args[0] if isinstance(self_or_address, socket.socket) else self_or_address
            if host_of(address) not in loopback:
                raise AssertionError(f"a test tried to use the network: {address!r}")
            return original(self_or_address, *args, **kwargs)
        return call

    with pytest.MonkeyPatch.context() as mp:
        for name, original in originals.items():
            mp.setattr(socket.socket, name, guard(original))
        mp.setattr(socket, "create_connection", guard(create_connection))
        mp.setattr(socket, "getaddrinfo", guard(getaddrinfo))
        yield


@pytest.fixture
def make_root(tmp_path: Path):
    """``make_root(name)``: a fresh copy of ``tests/roots/<name>/`` as ``<tmp_path>/<name>``."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(ROOTS / name, target)
        return target

    return copy


@pytest.fixture
def run():
    """The in-process runner (see :func:`run_taiyaku`)."""
    return run_taiyaku


@pytest.fixture(scope="session")
def _minimal_html_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An HTML build of the minimal root, made once per session."""
    base = tmp_path_factory.mktemp("previous")
    shutil.copytree(ROOTS / "minimal", base / "minimal")
    out = base / "out"
    code, err = run_taiyaku("build", "--root", base / "minimal", "--out", out, "--format", "html")
    assert (code, err) == (0, f"built 14 files into {out}\n")
    return out


@pytest.fixture
def previous_output(_minimal_html_build: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """``(out, files)``: an output folder holding an HTML build of the minimal root, and its files' bytes."""
    out = tmp_path / "out"
    shutil.copytree(_minimal_html_build, out)
    return out, snapshot(out)
