"""The site shows the checker's findings: a notice on outdated translations, and the parallel view."""

from __future__ import annotations

import subprocess
from pathlib import Path

from helpers import parse_html


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                   capture_output=True)


def test_outdated_translation_gets_a_notice(make_root, run, tmp_path: Path) -> None:
    root = make_root("minimal")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    source = root / "content/en/01-one.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new paragraph in the source.\n", encoding="utf-8")
    git(root, "commit", "-qam", "Add a paragraph")

    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert code == 0
    assert "content/ja/01-one.md: warning: translation: outdated (1 source commit since it was translated); " \
           "`taiyaku check` shows where" in err
    notice = parse_html(out / "html/ja/one/index.html").find("p", class_="status-notice")
    assert "翻訳後、原文は1回改訂されている。" in notice.text
    assert notice.find("a").attrs["href"] == "parallel/index.html"
    assert parse_html(out / "html/ja/two/index.html").find_all("p", class_="status-notice") == []
    assert parse_html(out / "html/en/one/index.html").find_all("p", class_="status-notice") == []


def test_parallel_view_pairs_blocks_and_keeps_links(make_root, run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _ = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert code == 0
    page = parse_html(out / "html/ja/one/parallel/index.html")
    rows = [row for row in page.iter("div") if row.attrs.get("class") == "parallel-row"]
    assert rows
    for row in rows:
        cells = [c for c in row.children if getattr(c, "tag", None) == "div"]
        assert [c.attrs["lang"] for c in cells] == ["ja", "en"]
    ids = [el.attrs["id"] for el in page.iter() if "id" in el.attrs]
    assert len(ids) == len(set(ids))
    assert any(i.startswith("ja-") for i in ids) and any(i.startswith("en-") for i in ids)
    link = parse_html(out / "html/ja/one/index.html").find("p", class_="parallel-link")
    assert link.find("a").attrs["href"] == "parallel/index.html"
