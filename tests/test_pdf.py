"""PDFs of small volumes: reproducible bytes, and a fetcher that reads nothing outside the volume and the theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import parse_html, pdftotext, snapshot, staging_leftovers, SITE_CSS, SITE_JS


@pytest.mark.pdf
def test_two_builds_are_byte_identical(make_root, run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1789776000")  # 2026-09-19 UTC
    root = make_root("minimal")
    results = []
    for name in ("a", "b"):
        code, err = run("build", "--root", root, "--out", tmp_path / name, "-q")
        assert (code, err) == (0, "")
        results.append(snapshot(tmp_path / name))
    first, second = results
    assert sorted(first) == sorted([
        "html/404.html", "html/" + SITE_CSS, "html/" + SITE_JS, "html/en/index.html", "html/en/one/index.html", "html/en/two/index.html",
        "html/index.html", "html/ja/index.html", "html/ja/one/index.html", "html/ja/two/index.html",
        *[f"html/{lang}/{slug}/parallel/index.html" for lang in ("en", "ja") for slug in ("one", "two")],
        "html/pdf/minimal-en.pdf", "html/pdf/minimal-ja.pdf", "pdf/minimal-en.pdf", "pdf/minimal-ja.pdf",
        "html/pdf/minimal-en-ja.pdf", "pdf/minimal-en-ja.pdf",  # the facing edition
        *[f"{top}pdf/minimal-{lang}/{slug}.pdf" for top in ("", "html/") for lang in ("en", "ja") for slug in ("one", "two")],
        *[f"{top}epub/minimal-{edition}.epub" for top in ("", "html/") for edition in ("en", "ja", "ja-vertical")],
    ])
    assert first.keys() == second.keys()
    for rel in first:
        assert first[rel] == second[rel], rel
    assert staging_leftovers(tmp_path / "a") == []

    # The date comes from SOURCE_DATE_EPOCH (the minimal root has no volume.toml) and is printed by Babel.
    assert "September 19, 2026" in first["html/en/index.html"].decode("utf-8")
    assert "2026年9月19日" in first["html/ja/index.html"].decode("utf-8")
    ja = pdftotext(tmp_path / "a/pdf/minimal-ja.pdf")
    assert "2026年9月19日" in ja
    assert "最初の文書の注。" in ja  # the footnote
    en = pdftotext(tmp_path / "a/pdf/minimal-en.pdf", join=" ")
    assert "The footnote of the first document." in en
    assert PdfReader(tmp_path / "a/pdf/minimal-en.pdf").trailer["/Root"]["/Lang"] == "en"


@pytest.mark.pdf
def test_fetcher_refuses_files_outside_the_volume(make_root, run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("fetcher"), "--out", out)
    lines = err.splitlines()
    assert lines[0].startswith("fetcher-en.pdf: 4 pages, ")
    assert lines[1:] == [
        "content/en/01-one.md:7: warning: epub: image file:///etc/hostname is left out of the EPUB, its alt text "
        "shown instead (an EPUB holds its images: put the file in content/en/)",
        "content/en/01-one.md:9: warning: epub: image http://example.invalid/tracker.png is left out of the EPUB, "
        "its alt text shown instead (an EPUB holds its images: put the file in content/en/)",
        "pdf/fetcher-en.pdf: warning: pdf: refused to load file:///etc/hostname "
        "(only the volume and the theme are read)",
        "pdf/fetcher-en.pdf: warning: pdf: refused to load http://example.invalid/tracker.png "
        "(only the volume and the theme are read)",
        # With the paper's offprint and the EPUB (and their site copies).
        f"built 12 files into {out}: fetcher-en.pdf (4 pages); 4 warning(s)",
    ]
    assert code == 0
    reader = PdfReader(out / "pdf/fetcher-en.pdf")
    assert [image.name for page in reader.pages for image in page.images] == []
    text = pdftotext(out / "pdf/fetcher-en.pdf", join=" ")
    assert "A paragraph before the picture." in text and "A paragraph after the picture." in text


@pytest.mark.pdf
def test_fetcher_refusal_fails_with_strict(make_root, run, previous_output) -> None:
    out, before = previous_output
    code, err = run("build", "--root", make_root("fetcher"), "--out", out, "--strict", "--format", "pdf")
    lines = err.splitlines()
    assert lines[0].startswith("fetcher-en.pdf: 4 pages, ")
    assert lines[1:] == [
        "pdf/fetcher-en.pdf: warning: pdf: refused to load file:///etc/hostname "
        "(only the volume and the theme are read)",
        "pdf/fetcher-en.pdf: warning: pdf: refused to load http://example.invalid/tracker.png "
        "(only the volume and the theme are read)",
        "error: build: 2 problems found; nothing was written (--strict: warnings count)",
    ]
    assert code == 1
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


def test_anchor_links_work_in_the_pdf(make_root, run, tmp_path: Path) -> None:
    """The site keeps ``#sec-2`` and ``../two/#sec-1``; the print document prefixes ids with the slug."""
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("anchors"), "--out", out, "--format", "html")
    assert code == 0
    body = parse_html(out / "html/en/one/index.html").find("div", class_="body")
    assert [a.attrs["href"] for a in body.iter("a")] == ["#sec-2", "../two/index.html#sec-1"]
    assert [h.attrs["id"] for h in body.iter("h2")] == ["sec-1", "sec-2"]


@pytest.mark.pdf
def test_same_document_anchor_link_in_the_pdf(make_root, run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("anchors"), "--out", out, "--format", "pdf")
    lines = err.splitlines()
    assert [line for line in lines if ": warning: " in line] == []
    assert code == 0


@pytest.mark.pdf
def test_the_parent_process_never_imports_weasyprint(make_root, tmp_path: Path) -> None:
    """Even a single job (``--lang ja``) is typeset in a worker process (docs/architecture.md)."""
    import subprocess
    import sys

    child = (
        "import sys\n"
        "from taiyaku.cli import main\n"
        f"code = main(['build', '--root', {str(make_root('minimal'))!r}, '--out', {str(tmp_path / 'out')!r}, "
        "'--lang', 'ja', '--format', 'pdf', '-q'])\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'pydyf')))\n"
    )
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "0 []"
    assert (tmp_path / "out/pdf/minimal-ja.pdf").is_file()


def test_invalid_pdf_variant_is_blamed_on_the_command_line(make_root, run, tmp_path: Path) -> None:
    code, err = run("build", "--root", make_root("minimal"), "--out", tmp_path / "out", "--format", "pdf",
                    "--pdf-variant", "pdf/z-9")
    assert code == 1
    assert err.splitlines()[0] == (
        "config: --pdf-variant: expected one of pdf/a-1b, pdf/a-2b, pdf/a-3b, pdf/a-2u, pdf/a-3u, pdf/a-4u, "
        "pdf/a-1a, pdf/a-2a, pdf/a-3a, pdf/a-4e, pdf/a-4f, pdf/ua-1, pdf/ua-2, pdf/x-1a, pdf/x-3, pdf/x-4, "
        "pdf/x-5g, got 'pdf/z-9'")
