"""The search index made early (search_early): Pagefind reads the trial rendering while the other outputs run;
the index is taken only when every searchable page reads the same to Pagefind, and is then the index of the final
pages byte for byte; a build that stops ends it."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import SampleBuild
from taiyaku import search
from taiyaku.model import OutputFile
from taiyaku.search_early import EarlyIndex, search_view

PAGE = ('<!DOCTYPE html><html lang="{lang}"><head><title>T</title><meta name="citation_firstpage" content="{first}">'
        '</head><body><nav><a href="../">Home</a> {nav}</nav><main data-pagefind-body><h1 id="t">Title</h1>'
        '<p>Body text {body}.</p><h2 id="s">Section</h2><p class="offprint-link" data-pagefind-ignore>'
        '<a href="x.pdf">PDF</a> <span class="size">{size}</span>{pages}</p>{meta}</main></body></html>')


def page(**changes: str) -> bytes:
    values = {"lang": "en", "first": "", "nav": "", "body": "one", "size": "", "pages": "", "meta": ""}
    return PAGE.format(**{**values, **changes}).encode()


def test_what_pagefind_does_not_read_may_change() -> None:
    """Outside the body, and the ignored parts' text and elements: the sizes and page ranges the trial lacks."""
    trial = search_view(page())
    assert isinstance(trial, list)
    assert search_view(page(first="17", nav="31 kB", size="45 kB", pages='<span class="pages">17–21</span>')) \
        == trial


@pytest.mark.parametrize("changes", [
    {"body": "two"},  # the text indexed
    {"lang": "ja"},  # the index it goes to
    {"meta": '<p data-pagefind-ignore><span data-pagefind-meta="size">45 kB</span></p>'},  # read even when ignored
    {"nav": '<span data-pagefind-filter="author">A</span>'},  # a filter outside the body
    {"nav": '<img src="cover.png" alt="Cover">'},  # the default image
    {"pages": '<span id="pp">17–21</span>'},  # an id a result may open at
    {"pages": "<br>17–21"},  # a break even in an ignored part: the index from disk spaces words at it
])
def test_what_pagefind_reads_may_not(changes: dict[str, str]) -> None:
    assert search_view(page(**changes)) != search_view(page())


def test_a_page_the_parser_cannot_follow_must_be_the_same_bytes() -> None:
    broken = page().replace(b"</p>", b"</div>", 1)
    assert search_view(broken) == broken
    assert search_view(broken) != search_view(page().replace(b"</p>", b"</div>", 1).replace(b"Home", b"Back"))


def stage_of(sample_html: SampleBuild, tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A staging folder holding a copy of the sample site's pages (no index): (stage, its html/, the pages)."""
    stage = tmp_path / "stage"
    site = stage / "html"
    pages = {p.relative_to(sample_html.site).as_posix(): p.read_bytes() for p in sample_html.site.rglob("*.html")
             if not p.relative_to(sample_html.site).as_posix().startswith(f"{search.SEARCH_DIR}/")}
    for rel, data in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    return stage, site, pages


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_trial_index_is_the_final_pages_index_when_they_read_the_same(sample_html: SampleBuild,
                                                                          tmp_path: Path) -> None:
    stage, site, pages = stage_of(sample_html, tmp_path)
    # The final pages know what the trial did not (sizes, page ranges): in their ignored parts and outside the body.
    trial = [OutputFile(rel, data) for rel, data in pages.items()]
    for rel, data in pages.items():
        final = re.sub(rb"(data-pagefind-ignore[^>]*>)", rb'\1<span class="size">45 kB</span>', data)
        (site / rel).write_bytes(final.replace(b"</head>", b'<meta name="citation_firstpage" content="17"></head>'))
    assert sum((site / t.rel_path).read_bytes() != t.data and b"data-pagefind-ignore" in t.data for t in trial) >= 4
    early = EarlyIndex(trial, stage)
    made = early.take(site)
    assert made is not None
    out, index, problem = made
    assert problem == "" and index is not None and set(index.pages) == {"en", "ja"}
    again, _, _ = search.make_index(site, tmp_path / "again")
    assert files(out) == files(again)
    early.cancel()
    assert [p.name for p in stage.iterdir()] == ["html"]


def test_a_page_that_reads_differently_is_indexed_again(sample_html: SampleBuild, tmp_path: Path) -> None:
    stage, site, pages = stage_of(sample_html, tmp_path)
    rel = next(rel for rel, data in pages.items() if b"data-pagefind-body" in data and rel.startswith("ja/"))
    (site / rel).write_bytes(pages[rel].replace(b"</h1>", "</h1><p>加筆</p>".encode(), 1))
    early = EarlyIndex([OutputFile(rel, data) for rel, data in pages.items()], stage)
    assert early.take(site) is None
    assert [p.name for p in stage.iterdir()] == ["html"]  # its work is gone


def test_a_page_more_or_less_is_indexed_again(sample_html: SampleBuild, tmp_path: Path) -> None:
    stage, site, pages = stage_of(sample_html, tmp_path)
    rel = next(rel for rel, data in pages.items() if b"data-pagefind-body" in data)
    early = EarlyIndex([OutputFile(r, d) for r, d in pages.items() if r != rel], stage)
    assert early.take(site) is None


def test_a_build_that_stops_ends_pagefind_and_removes_its_work(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    started = tmp_path / "started"
    slow = tmp_path / "pagefind"
    slow.write_text(f"#!/bin/sh\necho $$ > {started}\nexec sleep 60\n")
    slow.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: slow)
    stage = tmp_path / "stage"
    stage.mkdir()
    early = EarlyIndex([OutputFile("en/a/index.html", page())], stage)
    deadline = time.monotonic() + 20
    while not started.is_file() or not started.read_text().strip():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    pid = int(started.read_text())
    began = time.monotonic()
    early.cancel()
    assert time.monotonic() - began < 5
    assert list(stage.iterdir()) == []
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_site_without_marked_pages_is_indexed_whole(tmp_path: Path) -> None:
    """Pagefind reads every page of a site that marks none: nothing to index early."""
    stage = tmp_path / "stage"
    (stage / "html").mkdir(parents=True)
    early = EarlyIndex([OutputFile("index.html", b"<html><body><p>x</p></body></html>")], stage)
    assert early.take(stage / "html") is None
    early.cancel()
    assert [p.name for p in stage.iterdir()] == ["html"]
    shutil.rmtree(stage)


@pytest.mark.pdf
def test_a_build_takes_the_index_made_while_its_pdfs_were_laid_out(make_root, run, tmp_path: Path) -> None:
    """The whole build: the site offers PDFs whose sizes the trial did not know, and the index made from the trial
    is the one an index of the final pages would be."""
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "-v")
    assert code == 0, err
    assert "search: the index of the trial rendering is taken (4 pages)" in err
    offered = (out / "html/en/one/index.html").read_text(encoding="utf-8")
    assert re.search(r'class="size">\d+ kB<', offered)  # what the trial did not know
    again, _, _ = search.make_index(out / "html", tmp_path / "again")
    assert files(out / "html" / search.SEARCH_DIR) == files(again)
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_an_early_run_that_failed_is_not_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind failing beside the PDFs' workers (memory, time) may succeed alone at the end: run again."""
    monkeypatch.setattr(search, "pagefind_executable", lambda: Path("/bin/false"))
    stage = tmp_path / "stage"
    (stage / "html" / "en" / "a").mkdir(parents=True)
    (stage / "html" / "en" / "a" / "index.html").write_bytes(page())
    early = EarlyIndex([OutputFile("en/a/index.html", page())], stage)
    assert early.take(stage / "html") is None
    assert [p.name for p in stage.iterdir()] == ["html"]
