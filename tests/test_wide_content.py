"""The site opened from disk with what pushes a page sideways: a table of many columns, a word and a URL longer
than the line. The page never scrolls sideways; a wide table scrolls in its own box, which the keyboard reaches."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import parse_html
from taiyaku.read.markup import RenderContext, render_markdown

TABLE = "| a | b |\n|---|---|\n| 1 | 2 |\n"
CHROMIUM = Path("/usr/bin/chromium")

# Chromium runs in a child process: Playwright's sync API refuses to start where another test module's session
# (tests/browser) already runs one in this process.
BROWSE = """
import json, sys
from playwright.sync_api import sync_playwright
width, urls, query = int(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
found = []
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=sys.argv[4], args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page(viewport={"width": width, "height": 800})
    for url in urls:
        page.goto(url, wait_until="load")
        if query:
            page.fill(".site-search input[type=search]", query)
            page.wait_for_selector(".site-search-results li mark", timeout=10000)
            found.append(page.eval_on_selector_all(".site-search-results li mark", "ms => ms.map(m => m.textContent)"))
        else:
            found.append([page.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
                          page.evaluate(\"\"\"Array.from(document.querySelectorAll('.table-scroll')).map(b =>
                              [b.scrollWidth > b.clientWidth, b.getAttribute('tabindex'), b.getAttribute('aria-label')])\"\"\")])
    browser.close()
print(json.dumps(found))
"""


def _browse(width: int, urls: list[str], query: str = "") -> list:  # type: ignore[type-arg]
    """What Chromium finds on each page: with ``query``, the marked words of the search results; else
    (sideways overflow in px, [scrolls, tabindex, aria-label] of each table box)."""
    pytest.importorskip("playwright.sync_api")
    done = subprocess.run([sys.executable, "-c", BROWSE, str(width), json.dumps(urls), query, str(CHROMIUM)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _render(body: str, mode: str) -> str:
    return render_markdown(body, RenderContext("en", "x.md", Path("/nonexistent"), {}, mode)).html  # type: ignore[arg-type]


def test_tables_scroll_in_a_box_on_the_site_only() -> None:
    site = _render("Before.\n\n" + TABLE + "\nAfter.\n", "site")
    assert '<div class="table-scroll"><table>' in site and "</table></div>\n<p>After.</p>" in site
    assert "table-scroll" not in _render("Before.\n\n" + TABLE + "\nAfter.\n", "print")


def test_the_wrapped_table_keeps_its_caption_and_stays_one_block_of_the_parallel_view(
        make_root, run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("reality_wide"), "--out", out, "--format", "html")
    assert code == 0, err
    page = parse_html(out / "html/en/wide/index.html")
    boxes = page.find_all("div", class_="table-scroll")
    assert len(boxes) == 1
    assert [c.text for c in boxes[0].find_all("caption")] == ["Table 1."]
    parallel = parse_html(out / "html/en/wide/parallel/index.html")
    rows = parallel.find_all("div", class_="parallel-row")
    with_table = [row for row in rows if row.find_all("table")]
    assert len(with_table) == 1 and len(with_table[0].find_all("table")) == 2  # side by side in one row


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.is_file(), reason="needs Chromium")
@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways_from_disk(make_root, run, tmp_path: Path, width: int) -> None:
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("reality_wide"), "--out", out, "--format", "html")
    assert code == 0, err
    pages = ["en/wide/index.html", "ja/wide/index.html", "en/wide/parallel/index.html", "ja/wide/parallel/index.html"]
    for rel, (overflow, boxes) in zip(pages, _browse(width, [(out / "html" / rel).as_uri() for rel in pages])):
        assert overflow <= 0, rel
        # A box that scrolls can be focused (to scroll by keyboard) and is named; one that fits cannot.
        assert all(box in ([True, "0", "Table 1."], [False, None, None]) for box in boxes), (rel, boxes)
        # The 16 English columns are wider than any column here (Japanese cells may break anywhere).
        assert any(box[0] for box in boxes), (rel, boxes)


@pytest.mark.browser
@pytest.mark.pagefind
@pytest.mark.skipif(not CHROMIUM.is_file(), reason="needs Chromium")
@pytest.mark.parametrize("query", ["NATO", "ＮＡＴＯ", "2022年"])
def test_search_from_disk_finds_full_width_letters_and_digits(make_root, run, tmp_path: Path, query: str) -> None:
    """Japanese text often writes Latin letters and digits full width; typed either way, the word is found and
    marked where it is."""
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("reality_wide"), "--out", out, "--format", "html")
    assert code == 0, err
    [marks] = _browse(1280, [(out / "html/ja/index.html").as_uri()], query)
    assert marks == [{"NATO": "ＮＡＴＯ", "ＮＡＴＯ": "ＮＡＴＯ", "2022年": "２０２２年"}[query]]
