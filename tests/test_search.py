"""The search stage: Pagefind run on the staged site, one index per language, deterministic; a missing or failing
Pagefind is a warning (the site works without search), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taiyaku import search
from taiyaku.errors import Diagnostics
from taiyaku.writer import OutputWriter


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
        "html/pagefind: warning: search: pagefind-bin-extended is not installed: the site has no search index "
        "(pip install pagefind-bin-extended; make setup does)",
        f"built 14 files into {out}; 1 warning(s)"])
    assert not (out / "html/pagefind").exists()


def test_failing_pagefind_is_a_warning(make_root, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "pagefind_executable", lambda: Path("/bin/false"))
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert (code, err.splitlines()) == (0, [
        "html/pagefind: warning: search: Pagefind failed (exit 1); the site has no search index",
        f"built 14 files into {out}; 1 warning(s)"])
    assert (out / "html/index.html").is_file() and not (out / "html/pagefind").exists()
