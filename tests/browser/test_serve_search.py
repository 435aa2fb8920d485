"""``taiyaku serve`` with search in a real browser: an edit reloads the page before the index is made; once it is
made, the page's search field finds the edit's new word, and the index for pages opened from disk has it too."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from taiyaku.search import write_disk_index
from taiyaku.serve import EVENTS_PATH, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.pagefind]  # the real Pagefind: its service

RESULTS = "() => [...document.querySelectorAll('.site-search-results li a')].map(a => a.getAttribute('href'))"


def server_state(url: str) -> dict:
    """The first event the server sends: its build and search index versions."""
    with urllib.request.urlopen(url.rstrip("/") + EVENTS_PATH, timeout=10) as events:
        return json.loads(events.readline().decode("utf-8").removeprefix("data: "))


def wait_for_index(url: str, version: int) -> None:
    deadline = time.monotonic() + 60
    while server_state(url)["search"] < version:
        assert time.monotonic() < deadline, f"no search index {version} within a minute"
        time.sleep(0.1)


def search(page, query: str) -> list[str]:
    """Type ``query`` into the header's field; the result links once the status names the query."""
    # The status of an earlier search for the same words must not be taken for this one's.
    page.evaluate("document.querySelector('.site-search-status').textContent = ''")
    page.locator("input.site-search-input").fill(query)
    page.wait_for_function("q => (document.querySelector('.site-search-status').textContent || '').includes(q)",
                           arg=query, timeout=10000)
    return page.evaluate(RESULTS)


def test_an_edit_is_shown_then_found_by_search(make_root, browser, tmp_path: Path) -> None:
    root = make_root("minimal")
    stop = threading.Event()
    urls: list[str] = []
    thread = threading.Thread(target=serve, args=(root, 0), kwargs={"stop": stop, "ready": urls.append}, daemon=True)
    thread.start()
    page = browser.new_page()
    try:
        deadline = time.monotonic() + 60
        while not urls:
            assert thread.is_alive() and time.monotonic() < deadline
            time.sleep(0.05)
        url = urls[0]
        wait_for_index(url, 1)
        page.goto(url + "en/two/", wait_until="load")
        assert sorted(search(page, "second")) == ["/en/one/index.html", "/en/two/index.html"]
        assert search(page, "Quokkavance") == []

        # The reload: the page shows the edit.
        with page.expect_event("load", timeout=30000), (root / "content/en/02-two.md").open("a", encoding="utf-8") as file:
            file.write("\nThe Quokkavance paragraph.\n")
        assert "Quokkavance" in page.inner_text("main")
        # Searched meanwhile, the page answers from the index it has (the new one may or may not be ready).
        assert search(page, "Quokkavance") in ([], ["/en/two/index.html"])

        wait_for_index(url, 2)
        assert search(page, "Quokkavance") == ["/en/two/index.html"]
        assert sorted(search(page, "second")) == ["/en/one/index.html", "/en/two/index.html"]

        # The index for pages opened from disk is that of the pages served.
        served = urllib.request.urlopen(url + "pagefind/disk-en.js", timeout=10).read().decode("utf-8")
        site = tmp_path / "site"
        for rel in ("en/two/index.html", "en/one/index.html"):
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_bytes(urllib.request.urlopen(url + rel, timeout=10).read())
        write_disk_index(site, tmp_path / "index")
        expected = (tmp_path / "index/disk-en.js").read_text(encoding="utf-8")
        assert "Quokkavance" in served
        assert served == expected
    finally:
        page.close()
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
