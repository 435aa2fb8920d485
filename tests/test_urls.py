"""URLs resolved late (urls.py): links from every page reach real files, from disk too; nested folders keep
their hierarchy; the parallel view pairs blocks with the checker's alignment."""

from __future__ import annotations

import posixpath
import subprocess
from pathlib import Path

import pytest

from conftest import SampleBuild
from helpers import parse_html
from taiyaku.urls import absolute_url, asset_ref, doc_ref, page_file, resolve_references, url_for


def test_url_for_links_folders_to_their_index_file() -> None:
    assert url_for("ja/intro/", "ja/other/index.html") == "../intro/index.html"
    assert url_for("ja/", "ja/intro/parallel/index.html") == "../../index.html"
    assert url_for("ja/intro/#sec-2", "ja/intro/index.html") == "index.html#sec-2"
    assert url_for("assets/site.css", "index.html") == "assets/site.css"
    assert url_for("#top", "ja/index.html") == "#top"
    assert url_for("https://example.org/x", "ja/index.html") == "https://example.org/x"
    assert page_file("ja/a/b/") == "ja/a/b/index.html"


def test_absolute_urls_are_clean_folders() -> None:
    assert absolute_url("https://example.org/volumes/alliance", "ja/") == "https://example.org/volumes/alliance/ja/"
    assert absolute_url("", "assets/site.css") == "/assets/site.css"


def test_references_resolve_from_the_page_that_shows_them() -> None:
    html = f'<a href="{doc_ref("b/two.md", "sec-1")}">x</a><img src="{asset_ref("en", "figures/f.svg")}">'
    paths = {"b/two.md": "ja/b/two/"}
    resolved = resolve_references(html, "ja/a/one/parallel/index.html", paths.get)
    assert resolved == '<a href="../../../b/two/index.html#sec-1">x</a><img src="../../../../en/figures/f.svg">'


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _links_resolve(site: Path) -> list[str]:
    """Every relative href/src of every page that does not name an existing file (as file:// would see it)."""
    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        tree = parse_html(page)
        rel_page = page.relative_to(site).as_posix()
        for el in tree.iter():
            for attr in ("href", "src"):
                url = el.attrs.get(attr)
                if not url or url.startswith(("#", "http:", "https:", "mailto:")):
                    continue
                path = url.split("#")[0]
                target = site / posixpath.normpath(posixpath.join(posixpath.dirname(rel_page), path))
                if not target.is_file():
                    broken.append(f"{rel_page}: {url}")
    return broken


def test_standin_page_images_point_to_written_files(tmp_path: Path, run) -> None:
    """A document without a translation that has a figure: its stand-in page's image exists (was ../figures/…)."""
    root = tmp_path / "vol"
    _write(root, "volume.toml", 'languages = ["en", "ja"]\n[en]\ntitle = "V"\n[ja]\ntitle = "V"\n')
    _write(root, "content/en/01-one.md", "---\ntitle: One\n---\n\nText.\n")
    _write(root, "content/ja/01-one.md", "---\ntitle: 一\n---\n\n本文。\n")
    _write(root, "content/en/02-two.md", "---\ntitle: Two\n---\n\n![A chart](figures/chart.svg)\nThe caption\n")
    _write(root, "content/en/figures/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    code, err = run("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert code == 0, err
    site = tmp_path / "out" / "html"
    img = parse_html(site / "ja/two/index.html").find("img")
    assert img.attrs["src"] == "../../en/figures/chart.svg"
    assert _links_resolve(site) == []


def test_nested_folders_keep_their_hierarchy(tmp_path: Path, run) -> None:
    """Two ``index.md`` in different folders do not collide; links between folders resolve."""
    root = tmp_path / "vol"
    _write(root, "volume.toml", 'languages = ["en"]\n[en]\ntitle = "V"\n')
    _write(root, "content/en/a/index.md", "---\ntitle: A\n---\n\nSee [B](../b/index.md#sec-1).\n")
    _write(root, "content/en/b/index.md", "---\ntitle: B\n---\n\n## Part\n\nBack to [A](../a/index.md).\n")
    _write(root, "content/en/b/detail.md", "---\ntitle: Detail\n---\n\nUp to [B](index.md).\n")
    code, err = run("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert code == 0, err
    site = tmp_path / "out" / "html"
    assert (site / "en/a/index.html").is_file() and (site / "en/b/index.html").is_file()
    assert (site / "en/b/detail/index.html").is_file()
    link = parse_html(site / "en/a/index.html").find("div", class_="body").find("a")
    assert link.attrs["href"] == "../b/index.html#sec-1"
    up = parse_html(site / "en/b/detail/index.html").find("div", class_="body").find("a")
    assert up.attrs["href"] == "../index.html"
    assert _links_resolve(site) == []


def test_sample_site_works_from_disk(sample_html: SampleBuild) -> None:
    """Every link of the sample volume's site names a file (no folder URL that file:// would list)."""
    code, err = sample_html.code, sample_html.err  # the session's build of the sample (conftest)
    assert code == 0, err
    site = sample_html.out / "html"
    assert _links_resolve(site) == []
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        for el in parse_html(page).iter("a"):
            href = el.attrs.get("href", "")
            if href.startswith(("http:", "https:")):
                continue  # another site's folder URL (a licence, a publisher) is theirs to serve
            assert not href.split("#")[0].endswith("/"), (page, href)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root), "PATH": "/usr/bin:/bin"})


def test_parallel_view_leaves_a_gap_beside_a_missing_paragraph(tmp_path: Path, run) -> None:
    """Source A B C against translation A′ C′: B sits beside an empty cell, C beside C′ (was B beside C′)."""
    root = tmp_path / "vol"
    _write(root, "volume.toml", 'languages = ["en", "ja"]\n[en]\ntitle = "V"\n[ja]\ntitle = "V"\n')
    _write(root, "content/en/one.md", "---\ntitle: One\n---\n\n"
           "Alpha paragraph about the treaty of 1951.\n\n"
           "Bravo paragraph on the 2015 guidelines and 17 other items.\n\n"
           "Charlie paragraph closing with 42 recommendations.\n")
    _write(root, "content/ja/one.md", "---\ntitle: 一\n---\n\n"
           "アルファ：1951年の条約についての段落。\n\n"
           "チャーリー：42の提言で締めくくる段落。\n")
    code, err = run("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert code == 0, err
    page = parse_html(tmp_path / "out/html/en/one/parallel/index.html")
    rows = []
    for row in page.find_all("div", class_="parallel-row"):
        cells = [c for c in row.children if getattr(c, "tag", None) == "div"]
        rows.append(tuple(c.text.strip() for c in cells))
    assert [(bool(a), bool(b)) for a, b in rows] == [(True, True), (True, False), (True, True)]
    assert rows[1][0].startswith("Bravo") and rows[2][1].startswith("チャーリー")


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_reserved_slug_is_refused_whatever_the_format(tmp_path: Path, run, fmt: str) -> None:
    root = tmp_path / "vol"
    _write(root, "volume.toml", 'languages = ["en"]\n[en]\ntitle = "V"\n')
    _write(root, "content/en/one.md", "---\ntitle: One\nslug: assets\n---\n\nText.\n")
    code, err = run("build", "--root", root, "--out", tmp_path / "out", "--format", fmt)
    assert code == 1
    assert "content/en/one.md:1: front-matter: slug 'assets' is reserved for the site's own pages" in err
    assert not (tmp_path / "out").exists()
