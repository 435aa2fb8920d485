"""Fenced code, GitHub alerts and definition lists in a real browser, light and dark: axe-core finds no WCAG 2.1
A/AA violation (contrast of every highlight colour included), the Nu checker no error, and the search results
panel, open, is accessible too."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from helpers import run_taiyaku
from .test_site_axe import AXE_RUN, WCAG_21_AA, describe
from .test_site_validator import run_vnu

if TYPE_CHECKING:
    from .browsing import Tab

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1] / "roots" / "markdown_features"


@pytest.fixture(scope="module")
def features_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``tests/roots/markdown_features`` built as HTML."""
    out = tmp_path_factory.mktemp("features") / "out"
    code, err = run_taiyaku("build", "--root", ROOT, "--out", out, "--format", "html", "-q", "--cache-dir",
                            out.parent / "cache")  # nothing written into the repository's fixture
    assert code == 0, err
    return out / "html"


@pytest.fixture(scope="module")
def features_server(features_site: Path) -> Iterator[str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(features_site)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_code_alerts_and_terms_pass_axe(browser, features_server: str, axe_source: str, lang: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(features_server + f"{lang}/features/index.html")
        assert page.locator(".body .highlight span.k").first.is_visible()
        assert page.locator(".body aside.alert").count() == 5
        assert page.locator(".body dl dt").count() == 2
        page.add_script_tag(content=axe_source)
        problems = []
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            problems += describe(page.evaluate(AXE_RUN, WCAG_21_AA)["violations"], width)
        assert not problems, f"{scheme}, /{lang}/features/:\n" + "\n".join(problems)
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_search_results_pass_axe(browser, server: str, axe_source: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(server + "ja/introduction/index.html")
        page.locator("input.site-search-input").fill("同盟")
        page.wait_for_selector(".site-search-results li mark")
        page.add_script_tag(content=axe_source)
        problems = describe(page.evaluate(AXE_RUN, WCAG_21_AA)["violations"], 1280)
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.validator
def test_feature_pages_are_valid_html(features_site: Path) -> None:
    problems = [f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in run_vnu(features_site)
                if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["?choose", "ja/", "ja/paying-for-deterrence/", "en/networked-region/",
                                  "ja/paying-for-deterrence/parallel/", "ja/contributors/", "404.html"])
def test_dark_scheme_passes_axe(tab: Tab, axe_source: str, path: str) -> None:
    """The theme follows the reader's dark preference; every kind of page keeps its contrast."""
    tab.page.emulate_media(color_scheme="dark")
    page = tab.open(path)
    assert page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor") == "rgb(27, 26, 24)"
    page.add_script_tag(content=axe_source)
    problems = describe(page.evaluate(AXE_RUN, WCAG_21_AA)["violations"], 1280)
    assert not problems, f"dark, /{path}:\n" + "\n".join(problems)
    tab.assert_clean()
