"""Shared fixtures: copies of the volumes under ``tests/roots/``, an in-process ``taiyaku`` runner, no network.

What a session builds once and shares (docs/benchmarks.md, "The test suite"): the sample volume's site
(``sample_html``), the PDF stage's worker pool (``shared_worker_pool``), Pagefind's runs over the same pages
(``pagefind_memo``). The markers (``pdf``, ``browser``, ``slow``, ``pagefind``) are declared in pyproject.toml;
``make test-fast`` leaves out the first three.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import run_taiyaku, snapshot

TESTS = Path(__file__).resolve().parent
ROOTS = TESTS / "roots"
REPO = TESTS.parent

PDF_FOLDER = TESTS / "pdf"
"""Every test under this folder is marked ``pdf`` (the markers are declared in pyproject.toml; the browser tests
carry ``browser`` in their modules)."""

_running: list[pytest.Item] = []
"""The test being run (its setup, call and teardown)."""
_unmarked: set[str] = set()
"""Tests that started the PDF stage's worker pool without the ``pdf`` marker."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if PDF_FOLDER in item.path.parents:
            item.add_marker(pytest.mark.pdf)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    _running.append(item)
    try:
        yield
    finally:
        _running.pop()


@pytest.fixture(autouse=True)
def pdf_marker_is_honest(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that starts the PDF stage's workers (``run_jobs``, in this process) must be marked ``pdf``: the fast
    lane (``make test-fast``, ``-m "not pdf and not browser and not slow"``) leaves out what typesets."""
    yield
    if request.node.nodeid in _unmarked:
        pytest.fail(f"{request.node.nodeid} typesets PDFs (run_jobs started its workers) but is not marked pdf: "
                    "add @pytest.mark.pdf (or pytestmark = pytest.mark.pdf for the module)", pytrace=False)


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


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright, launched once per run for every folder's browser tests (Playwright's
    sync API refuses a second session in one process while the first is open)."""
    from browser.browsing import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make setup does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: .venv/bin/pip install playwright (make setup does)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def sample_volume_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    """The sample volume's two volume PDFs (no offprints), typeset once per run for the outputs that stand beside
    the print edition (the EPUB's page-list, the facing edition's page counts): the stage (``<stage>/pdf/``) and
    the typeset results."""
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf import make_jobs, run_jobs
    from taiyaku.pipeline import BuildOptions, check_translations, load_strings, load_volume

    stage = tmp_path_factory.mktemp("sample-pdfs")
    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=REPO), diagnostics)
    strings = load_strings(volume, diagnostics)
    check_translations(volume, diagnostics)
    results = run_jobs(make_jobs(volume, strings, stage, diagnostics, structured_problems=True))
    assert all(not result.error for result in results), [result.error for result in results]
    return stage, results


GLOSSARY_BUNDLE = Path(os.environ.get("TAIYAKU_GLOSSARY_BUNDLE",
                                   REPO.parent / "shared" / "corpora" / "cncf-glossary.bundle"))
"""The CNCF glossary's history (``../shared/corpora``; a clean clone of the repository alone has none)."""


@pytest.fixture(scope="session")
def cncf_glossary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of the cncf/glossary bundle, made once per run, for tests that only read it (skipped without the
    bundle); a test that writes makes its own clone of this one (``git clone`` of a local folder: hard links)."""
    if not GLOSSARY_BUNDLE.is_file():
        pytest.skip(f"no cncf/glossary bundle at {GLOSSARY_BUNDLE}")
    root = tmp_path_factory.mktemp("glossary") / "glossary"
    subprocess.run(["git", "clone", "-q", str(GLOSSARY_BUNDLE), str(root)], check=True, capture_output=True)
    return root


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


# -- the sample volume's site, built once -----------------------------------------------------------------------

@dataclass(frozen=True)
class SampleBuild:
    """One build of the repository's sample volume: its output folder, exit code and log."""

    out: Path
    code: int
    err: str

    @property
    def site(self) -> Path:
        """The website, ``<out>/html``."""
        return self.out / "html"


@pytest.fixture(scope="session")
def sample_html(tmp_path_factory: pytest.TempPathFactory) -> SampleBuild:
    """The repository's sample volume built as HTML only (``--format html --no-cache``), once per session and
    shared by every test that reads its site (HTML, citations, links, the browser tests). Its files are made
    read-only: a test that writes into the shared site fails instead of changing what the others read."""
    out = tmp_path_factory.mktemp("sample-html") / "out"
    code, err = run_taiyaku("build", "--root", REPO, "--out", out, "--format", "html", "--no-cache")
    for path in out.rglob("*"):
        if path.is_file():
            path.chmod(0o444)
    return SampleBuild(out, code, err)


# -- one pool of PDF workers for the session ----------------------------------------------------------------

FRESH_POOLS = "TAIYAKU_TEST_FRESH_POOLS"
"""Set to 1 to give every ``run_jobs`` a pool of its own, as a build has (the shared pool is the default)."""


class _SharedPools:
    """The typesetting worker pools of the session, kept alive between builds.

    ``run_jobs`` starts a pool of spawned workers per call, and each worker imports WeasyPrint and loads the fonts:
    about 1.3 CPU seconds of a minimal volume's PDF build, which the tests make dozens of times. A pool is kept per
    (size, initializer, whether taiyaku's WeasyPrint fixes are on): ``weasy.apply()`` switches the fixes on for
    the worker's life, so a job with ``typography=False`` never runs in a worker a fixed job has used.
    """

    def __init__(self, executor: type) -> None:
        self.executor = executor
        self.pools: dict[tuple, object] = {}

    def get(self, key: tuple, kwargs: dict) -> object:
        pool = self.pools.get(key)
        if pool is None:
            pool = self.pools[key] = self.executor(**kwargs)
        return pool

    def drop(self, pool: object) -> None:
        """A pool whose worker was killed (an interrupted or failed build) is ended; the next build starts one."""
        for key, kept in list(self.pools.items()):
            if kept is pool:
                del self.pools[key]
        pool.shutdown(wait=True, cancel_futures=True)  # type: ignore[attr-defined]

    def close(self) -> None:
        for pool in self.pools.values():
            pool.shutdown(wait=True, cancel_futures=True)  # type: ignore[attr-defined]
        self.pools.clear()

    def lease(self, max_workers: int, **kwargs: object) -> _Lease:
        """What ``run_jobs`` gets instead of a ``ProcessPoolExecutor`` of its own."""
        return _Lease(self, max_workers, kwargs)


class _Lease:
    """One ``run_jobs`` call's view of the shared pools: ``submit``, ``shutdown`` and ``_processes`` as a
    ``ProcessPoolExecutor`` has them. ``shutdown`` cancels this call's pending work and waits for its running
    work (as the executor's own ``shutdown(wait=True, cancel_futures=True)`` does) but keeps the workers."""

    def __init__(self, shared: _SharedPools, max_workers: int, kwargs: dict) -> None:
        self.shared = shared
        self.max_workers = max_workers
        self.kwargs = {"max_workers": max_workers, **kwargs}
        self.used: dict[bool, object] = {}
        self.futures: list[Future] = []

    def _pool(self, args: tuple) -> object:
        first = args[0] if args else None
        if isinstance(first, list):
            first = first[0] if first else None
        typography = getattr(first, "typography", None)
        if typography is None:  # an offprint's assembly: no WeasyPrint, any worker of this build will do
            typography = next(iter(self.used), True)
        context = self.kwargs.get("mp_context")
        key = (self.max_workers, self.kwargs.get("initializer"), self.kwargs.get("initargs"),
               context.get_start_method() if context is not None else None, typography)
        pool = self.used[typography] = self.shared.get(key, self.kwargs)
        return pool

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(fn, "__name__", "") != "_warm":  # a build's prestarted worker typesets nothing by itself
            _flag_unmarked()
        future = self._pool(args).submit(fn, *args, **kwargs)  # type: ignore[attr-defined]
        self.futures.append(future)
        return future

    @property
    def _processes(self) -> dict:
        merged: dict = {}
        for pool in self.used.values():
            merged.update(getattr(pool, "_processes", None) or {})
        return merged

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            for future in self.futures:
                future.cancel()
        if wait:
            futures_wait(self.futures)
        for pool in list(self.used.values()):
            processes = getattr(pool, "_processes", None) or {}
            if getattr(pool, "_broken", False) or not all(p.is_alive() for p in processes.values()):
                self.shared.drop(pool)


class _Checked:
    """A pool of the test's own (``TAIYAKU_TEST_FRESH_POOLS=1``) whose jobs are checked as the leases' are."""

    def __init__(self, pool: object) -> None:
        self._pool = pool

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(fn, "__name__", "") != "_warm":
            _flag_unmarked()
        return self._pool.submit(fn, *args, **kwargs)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._pool, name)


def _flag_unmarked() -> None:
    """The running test starts the PDF stage's workers: it must be marked ``pdf``."""
    if _running and _running[-1].get_closest_marker("pdf") is None:
        _unmarked.add(_running[-1].nodeid)


@pytest.fixture(scope="session", autouse=True)
def shared_worker_pool() -> Iterator[None]:
    """The build's workers (``taiyaku.workers``: the PDF stage, the facing edition) are the session's worker pools
    (see :class:`_SharedPools`), unless ``TAIYAKU_TEST_FRESH_POOLS=1``; either way a test that gives them a job is
    checked for the ``pdf`` marker — a build's prestarted worker, which lays out nothing by itself, does not
    count. Builds run as subprocesses (the signal and kill tests) keep pools
    of their own."""
    import taiyaku.workers as module

    executor = module.ProcessPoolExecutor
    shared = None if os.environ.get(FRESH_POOLS) == "1" else _SharedPools(executor)

    def pool(max_workers: int, **kwargs: object) -> object:
        return shared.lease(max_workers, **kwargs) if shared else _Checked(executor(max_workers=max_workers, **kwargs))

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(module, "ProcessPoolExecutor", pool)
        try:
            yield
        finally:
            if shared:
                shared.close()


# -- Pagefind, memoized -------------------------------------------------------------------------------------

REAL_PAGEFIND = "TAIYAKU_TEST_REAL_PAGEFIND"
"""Set to 1 to run the real Pagefind binary in every build (the memo is the default; see pagefind_memo.py)."""


@pytest.fixture(scope="session", autouse=True)
def pagefind_memo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every build of a test not marked ``pagefind`` runs Pagefind through ``tests/pagefind_memo.py``: a site
    already indexed in this session (same pages, same options) gets the first run's output, copied; any other
    site gets the real binary. Unless ``TAIYAKU_TEST_REAL_PAGEFIND=1``."""
    from taiyaku import search

    real = search.pagefind_executable()
    if real is None or os.environ.get(REAL_PAGEFIND) == "1":
        yield
        return
    folder = tmp_path_factory.mktemp("pagefind-memo")
    wrapper = folder / "pagefind"
    wrapper.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -S {shlex.quote(str(TESTS / 'pagefind_memo.py'))} "
                       f"{shlex.quote(str(real))} {shlex.quote(str(folder / 'store'))} \"$@\"\n", encoding="utf-8")
    wrapper.chmod(0o755)
    (folder / "store").mkdir()
    original = search.pagefind_executable

    def executable() -> Path | None:
        if _running and _running[-1].get_closest_marker("pagefind"):
            return original()
        return wrapper

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "pagefind_executable", executable)
        yield
