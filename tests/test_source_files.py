"""Files as editors and tools really save them: NUL characters, CR-only line ends, a BOM with CRLF.

Each case is the minimal volume with one document rewritten as raw bytes, built to HTML in-process.
"""

from __future__ import annotations

from pathlib import Path

from helpers import parse_html


def _write(root: Path, rel_path: str, data: bytes) -> None:
    (root / "content" / rel_path).write_bytes(data)


def _body_text(out: Path, page: str) -> str:
    tree = parse_html(out / "html" / page)
    body = tree.find_all("div", class_="body")
    return body[0].text if body else tree.text


def test_nul_characters_are_replaced_and_reported_at_their_line(make_root, run, tmp_path: Path) -> None:
    root = make_root("minimal")
    _write(root, "en/02-two.md", b"---\ntitle: Two\n---\n\nFirst paragraph.\n\nBefore\x00after and \x00 again.\n")
    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert code == 0, err
    assert ("content/en/02-two.md:7: warning: encoding: 2 NUL characters (the first on this line), replaced by "
            "U+FFFD; the file may have been saved in UTF-16 or be damaged") in err.splitlines()
    html = (out / "html" / "en" / "two" / "index.html").read_bytes()
    assert b"\x00" not in html
    assert "Before\ufffdafter and \ufffd again." in _body_text(out, "en/two/index.html")


def test_nul_in_front_matter_does_not_stop_the_file(make_root, run, tmp_path: Path) -> None:
    root = make_root("minimal")
    _write(root, "en/02-two.md", b"---\ntitle: T\x00wo\n---\n\nText.\n")
    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert code == 0, err
    assert "content/en/02-two.md:2: warning: encoding: 1 NUL character" in err


def test_carriage_returns_alone_end_lines(make_root, run, tmp_path: Path) -> None:
    """A file saved with classic Mac line ends (CR only) has front matter and paragraphs like any other."""
    root = make_root("minimal")
    _write(root, "en/02-two.md", b"---\rtitle: Cr only\r---\r\r## Part\r\rOne line\rand the next.\r")
    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert code == 0, err
    assert "content/en/02-two.md" not in err
    tree = parse_html(out / "html" / "en" / "two" / "index.html")
    assert [h.text for h in tree.find_all("h1", class_="document-title")] == ["Cr only"]
    assert [h.text for h in tree.find_all("h2")] == ["Part"]
    assert "\r" not in (out / "html" / "en" / "two" / "index.html").read_text(encoding="utf-8")


def test_bom_and_crlf(make_root, run, tmp_path: Path) -> None:
    root = make_root("minimal")
    _write(root, "en/02-two.md", b"\xef\xbb\xbf---\r\ntitle: \"Bom\"\r\n---\r\n\r\n- a\r\n- b\r\n")
    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert code == 0, err
    assert "content/en/02-two.md" not in err
    tree = parse_html(out / "html" / "en" / "two" / "index.html")
    assert [h.text for h in tree.find_all("h1", class_="document-title")] == ["Bom"]
    body = tree.find_all("div", class_="body")[0]
    assert [li.text for li in body.find_all("li")] == ["a", "b"]


# --- Hugo trees as they are (the CNCF glossary): what Hugo accepts is read, or refused with a clear reason ------

def _front(text: str, rel_path: str = "x.md"):  # type: ignore[no-untyped-def]
    from taiyaku.errors import Diagnostics
    from taiyaku.read.frontmatter import read_front_matter

    diagnostics = Diagnostics()
    found = read_front_matter(text, f"content/en/{rel_path}", rel_path, diagnostics)
    return found, [str(d) for d in diagnostics.items]


def test_an_empty_draft_is_not_a_draft() -> None:
    found, problems = _front("---\ntitle: Policy as Code\ndraft: \n---\n\nText.\n")
    assert problems == []
    assert found.meta is not None and found.meta.draft is False


def test_blank_lines_before_the_front_matter_are_named() -> None:
    found, problems = _front("\n\n---\ntitle: Glossar\n---\n\nText.\n")
    assert problems == ["content/en/x.md:1: front-matter: 2 blank lines before the front matter's opening '---': "
                        "it must be the file's first line"]
    assert found.meta is None


def test_a_file_name_with_spaces_gives_a_hyphenated_slug(make_root, run, tmp_path: Path) -> None:
    from taiyaku.read.frontmatter import default_slug

    assert default_slug("cloud native apps.md") == "cloud-native-apps"
    assert default_slug("03-service  discovery.md") == "service-discovery"
    root = make_root("minimal")
    for lang in ("en", "ja"):
        (root / "content" / lang / "03 three words.md").write_text("---\ntitle: Three\n---\n\nText.\n", encoding="utf-8")
    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert code == 0, err
    assert (out / "html" / "en" / "three-words" / "index.html").is_file()


def test_an_unsafe_slug_from_the_file_name_says_so() -> None:
    _, problems = _front("---\ntitle: Q\n---\n", "what?.md")
    assert problems == ["content/en/what?.md:2: front-matter: the file name gives the slug 'what?', which is not one "
                        "safe path segment (letters, digits, '.', '_', '-'): rename the file or set 'slug'"]


def test_an_image_linked_out_of_the_volume_is_refused_not_published(make_root, run, tmp_path: Path) -> None:
    """A symbolic link among the figures leading outside the volume (a private file) is never copied to the site."""
    secret = tmp_path / "private.png"
    secret.write_bytes(b"SECRET")
    root = make_root("minimal")
    (root / "content" / "en" / "figures").mkdir()
    (root / "content" / "en" / "figures" / "plot.png").symlink_to(secret)
    _write(root, "en/02-two.md", b"---\ntitle: Two\n---\n\nText.\n\n![A plot](figures/plot.png)\n")
    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert (code, err.splitlines()) == (1, [
        f"content/en/02-two.md:7: content: an image points to 'figures/plot.png', a symbolic link to {secret}, "
        "outside the volume: taiyaku reads only files inside the volume folder",
        "error: build: 1 problem found; nothing was written"])
    assert not out.exists() or not any(p.read_bytes() == b"SECRET" for p in out.rglob("*") if p.is_file())


def test_an_image_linked_inside_the_volume_is_published(make_root, run, tmp_path: Path) -> None:
    root = make_root("minimal")
    (root / "images").mkdir()
    (root / "images" / "plot.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "content" / "en" / "figures").mkdir()
    (root / "content" / "en" / "figures" / "plot.svg").symlink_to(root / "images" / "plot.svg")
    _write(root, "en/02-two.md", b"---\ntitle: Two\n---\n\nText.\n\n![A plot](figures/plot.svg)\n")
    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert code == 0, err
    # An SVG is published as it is (a raster image becomes its variants: tests/images).
    assert (out / "html" / "en" / "figures" / "plot.svg").read_bytes() == b'<svg xmlns="http://www.w3.org/2000/svg"/>'


def test_the_same_broken_link_twice_is_reported_at_both_lines(make_root, run, tmp_path: Path) -> None:
    root = make_root("minimal")
    _write(root, "en/02-two.md", b"---\ntitle: Two\n---\n\nSee [this](gone.md).\n\nAnd [again](gone.md), "
                                 b"![a plot](plot.png).\n\n![the plot once more](plot.png)\n")
    code, err = run("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert (code, err.splitlines()) == (1, [
        "content/en/02-two.md:5: content: a link points to 'gone.md', which is not a file of this volume",
        "content/en/02-two.md:7: content: a link points to 'gone.md', which is not a file of this volume",
        "content/en/02-two.md:7: content: an image points to 'plot.png', which is not a file of this volume",
        "content/en/02-two.md:9: content: an image points to 'plot.png', which is not a file of this volume",
        "error: build: 4 problems found; nothing was written"])
