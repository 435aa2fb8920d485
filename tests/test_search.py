"""The search stage: Pagefind run on the staged site, one index per language, deterministic; a missing or failing
Pagefind is a warning (the site works without search), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taiyaku import search
from taiyaku.errors import Diagnostics
from taiyaku.writer import OutputWriter

pytestmark = pytest.mark.pagefind  # the real binary in every build: its output is what is checked


def index_files(out: Path) -> dict[str, bytes]:
    folder = out / "html" / search.SEARCH_DIR
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_index_per_language_and_the_same_bytes_every_build(make_root, run, tmp_path: Path) -> None:
    root = make_root("minimal")
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        code, err = run("build", "--root", root, "--out", out, "--format", "html")
        assert (code, err) == (0, f"built 14 files into {out}\n")  # the index is not counted among the files
    entry = json.loads((first / "html/pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {"en": 2, "ja": 2}
    assert index_files(first) == index_files(second)


def test_pdf_only_build_makes_no_index(make_root, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(search, "pagefind_executable", lambda: calls.append(1))
    writer = OutputWriter(tmp_path / "out", ["pdf"], root=make_root("minimal"))
    try:
        assert search.write_search_index(writer, Diagnostics()) is None
    finally:
        writer.abort()
    assert calls == []


def test_missing_pagefind_is_a_warning(make_root, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "pagefind_executable", lambda: None)
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert (code, err.splitlines()) == (0, [
        "html/pagefind: warning: search: pagefind-bin-extended is not installed: the site searches only its "
        "plain-text index (pip install pagefind-bin-extended; make setup does)",
        f"built 14 files into {out}; 1 warning(s)"])
    assert sorted(index_files(out)) == ["disk-en.js", "disk-ja.js"]


def test_failing_pagefind_is_a_warning(make_root, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "pagefind_executable", lambda: Path("/bin/false"))
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert (code, err.splitlines()) == (0, [
        "html/pagefind: warning: search: Pagefind failed (exit 1); the site searches only its plain-text index",
        f"built 14 files into {out}; 1 warning(s)"])
    assert (out / "html/index.html").is_file() and sorted(index_files(out)) == ["disk-en.js", "disk-ja.js"]


def disk_index(out: Path, lang: str) -> list[list[str]]:
    """The pages of ``html/pagefind/disk-<lang>.js`` (a script assigning one JSON array)."""
    script = (out / "html" / search.SEARCH_DIR / f"disk-{lang}.js").read_text(encoding="utf-8")
    prefix = f'(window.taiyakuDiskIndex = window.taiyakuDiskIndex || {{}})["{lang}"] = '
    assert script.startswith(prefix) and script.endswith(";\n")
    return json.loads(script[len(prefix):-2])


def test_the_index_for_pages_opened_from_disk(make_root, run, tmp_path: Path) -> None:
    """Beside Pagefind's index, each language's searchable pages as plain text (what Pagefind indexes: the
    data-pagefind-body element without its data-pagefind-ignore parts), the first heading as the title."""
    root = make_root("minimal")
    out = tmp_path / "out"
    assert run("build", "--root", root, "--out", out, "--format", "html")[0] == 0
    en, ja = disk_index(out, "en"), disk_index(out, "ja")
    # A note's number is no word of the text (data-pagefind-ignore on the call); each section's start and id let a
    # result open at the section it matched in.
    assert en == [["en/one/index.html", "One", "The first document has a note. Read the second document next. "
                   "A section Text of the section. The footnote of the first document.", [[62, "sec-1"]]],
                  ["en/two/index.html", "Two", "The second document.", []]]
    assert en[0][2][62:].startswith("A section")
    assert ja[0] == ["ja/one/index.html", "第一", "最初の文書には注がある。 次に第二の文書を読む。 ある節 節の本文。 最初の文書の注。",
                     [[25, "sec-1"]]]
    assert ja[0][2][25:].startswith("ある節")
    second = tmp_path / "again"
    assert run("build", "--root", root, "--out", second, "--format", "html")[0] == 0
    assert index_files(out) == index_files(second)


def test_page_text_separates_latin_words_but_not_japanese() -> None:
    parser = search._PageText()
    parser.feed('<html lang="en"><body><article data-pagefind-body><h1>T</h1><p><span>Eleanor Whitcombe</span>'
                '<span>Senior Fellow</span> and <em>un</em>usual</p><p lang="ja"><span>日米</span><span>同盟</span>'
                '</p><p data-pagefind-ignore>skip <b>me</b></p><p>kept</p></article><p>outside</p></body></html>')
    assert parser.lang == "en" and "".join(parser.title) == "T"
    assert " ".join("".join(parser.parts).split()) == "Eleanor Whitcombe Senior Fellow and unusual 日米同盟 kept"
