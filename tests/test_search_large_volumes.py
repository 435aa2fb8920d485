"""Search on large volumes: only the pages that mark text for the index are read by Pagefind and parsed for the
from-disk index; the parallel views (both languages' text, the largest pages) are not."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from taiyaku import search

pytestmark = pytest.mark.pagefind  # the real binary in every build: its output is what is checked


def test_pagefind_reads_only_the_marked_pages_and_indexes_the_same(make_root, run, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    executable = search.pagefind_executable()
    if executable is None:
        pytest.skip("pagefind-bin-extended is not installed")
    seen: list[list[str]] = []
    real_run, real_popen = subprocess.run, subprocess.Popen

    def spy(command, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "--site" in command:  # (the same module serves git) the index made early runs Pagefind in a thread
            site = Path(command[command.index("--site") + 1])
            seen.append(sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")))
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert code == 0, err
    assert seen == [["en/one/index.html", "en/two/index.html", "ja/one/index.html", "ja/two/index.html"]]
    assert (out / "html/en/one/parallel/index.html").is_file()  # there, and left out of the index

    # The same index as Pagefind over the whole site.
    whole = tmp_path / "whole"
    site = tmp_path / "site"
    os.rename(out / "html", site)
    os.rename(site / search.SEARCH_DIR, tmp_path / "ours")
    real_run([str(executable), "--site", str(site), "--output-path", str(whole), "--keep-index-url", "--quiet"],
             capture_output=True, check=True)
    for name in search.UNUSED_FILES:
        (whole / name).unlink(missing_ok=True)
    search._sort_entry(whole / "pagefind-entry.json")
    theirs = {p.relative_to(whole).as_posix(): p.read_bytes() for p in whole.rglob("*") if p.is_file()}
    ours = {p.relative_to(tmp_path / "ours").as_posix(): p.read_bytes()
            for p in (tmp_path / "ours").rglob("*") if p.is_file() and not p.name.startswith("disk-")}
    assert ours == theirs


def test_a_site_without_marked_pages_is_read_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<html><body><p>text</p></body></html>", encoding="utf-8")
    assert search._searchable_site(site, tmp_path / "mirror") == site


def test_disk_index_does_not_parse_unmarked_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "en" / "x" / "parallel").mkdir(parents=True)
    (site / "en" / "x" / "index.html").write_text(
        '<html lang="en"><body><article data-pagefind-body><h1>X</h1><p>Words.</p></article></body></html>',
        encoding="utf-8")
    (site / "en" / "x" / "parallel" / "index.html").write_text(
        '<html lang="en"><body><p>Both languages.</p></body></html>', encoding="utf-8")
    fed: list[str] = []
    feed = search._PageText.feed
    monkeypatch.setattr(search._PageText, "feed", lambda self, data: (fed.append(data), feed(self, data))[1])
    pages = search.disk_pages(site)
    assert [(p.url, p.title, p.text) for p in pages["en"]] == [("en/x/index.html", "X", "Words.")]
    assert len(fed) == 1
