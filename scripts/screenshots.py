#!/usr/bin/env python3
"""Make every image the README shows from the current tree: ``make screenshots``.

- PDF pages (``en-page-8.png``, ``ja-page-8.png``, and ``ja-page-7.png`` of docs/typography.md): the sample
  volume built fresh (``--format pdf --no-cache``) into a temporary folder, the pages rendered by Poppler's
  ``pdftoppm`` at 80 dpi (662 × 936 pixels for A4). Each page is chosen by the folio printed on it (its PDF page
  label), which is what the README's and docs/typography.md's descriptions hold to (folio 8: the table continued,
  eight notes); each image is named by that folio;
- the site (``site-*.png``) and the EPUB editions (``epub-*.png``): the browser tests that take them, each from its
  session's fresh build into a temporary folder (``tests/browser/test_site_browser.py``,
  ``tests/epub/test_epub_browser.py``), run with ``TAIYAKU_SCREENSHOTS`` naming the folder.

Then every image the README names must have been written by this run; a missing one fails the command.
Usage: ``scripts/screenshots.py [FOLDER]`` (default ``docs/images``, relative to the repository).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDF_PAGES = {"en-page-8.png": ("en", "8"), "ja-page-8.png": ("ja", "8"), "ja-page-7.png": ("ja", "7")}
"""Image → the language's volume PDF and the folio of the page shown (its page label)."""
DPI = 80


def pdf_pages(folder: Path) -> None:
    """Build the sample's PDFs into a temporary folder and render :data:`PDF_PAGES` into ``folder``."""
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory(prefix="taiyaku-screenshots-") as tmp:
        out = Path(tmp) / "out"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(ROOT), "--out", str(out),
                        "--format", "pdf", "--no-cache"], check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        for name, (lang, folio) in PDF_PAGES.items():
            pdf = next((out / "pdf").glob(f"*-{lang}.pdf"))
            page = list(PdfReader(pdf).page_labels).index(folio) + 1
            target = folder / name
            # -singlefile: the name as given, without the page number pdftoppm would append.
            subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                            str(pdf), str(target.with_suffix(""))], check=True)
            print(f"{target.relative_to(ROOT)}: {pdf.name} page {page} (folio {folio})")


def browser_pictures(folder: Path) -> None:
    """The site's and the EPUB's pictures, by the tests that take them."""
    subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/browser/test_site_browser.py",
                    "tests/epub/test_epub_browser.py", "-k", "screenshots"], check=True, cwd=ROOT,
                   env={**os.environ, "TAIYAKU_SCREENSHOTS": str(folder.relative_to(ROOT)),
                        "PYTHONPATH": str(ROOT / "src")})


def main(argv: list[str]) -> int:
    folder = (ROOT / (argv[0] if argv else "docs/images")).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    started = time.time()
    pdf_pages(folder)
    browser_pictures(folder)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = sorted(set(re.findall(r"\]\(docs/images/([^)\s]+\.png)\)", readme)))
    stale = [name for name in shown if not (folder / name).is_file() or (folder / name).stat().st_mtime < started]
    if stale:
        print(f"error: the README shows images this run did not make: {', '.join(stale)}", file=sys.stderr)
        return 1
    print(f"{len(shown)} images the README shows, made from the current tree: {', '.join(shown)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
