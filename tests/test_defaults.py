"""Defaults said aloud: a build of a volume without a title or a date warns, naming the key to set."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import parse_html

TITLE = ("the folder name “vol” is used on the cover, the site and the PDF metadata; "
         "set title = \"…\" under [en]")
UNDATED = ("the volume is undated on the title page, the citations and the © line; "
           "set date = \"2026-09\" (or \"2026-09-15\")")


def _volume(tmp_path: Path, toml: str | None) -> Path:
    """A one-document volume in ``<tmp_path>/vol``, with ``toml`` as its volume.toml (none when ``None``)."""
    root = tmp_path / "vol"
    (root / "content/en").mkdir(parents=True)
    (root / "content/en/one.md").write_text("---\ntitle: One\n---\n\nText.\n", encoding="utf-8")
    if toml is not None:
        (root / "volume.toml").write_text(toml, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _no_source_date(monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_no_volume_toml_says_the_file_is_missing(run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = run("build", "--root", _volume(tmp_path, None), "--out", out, "--format", "html")
    assert (code, err.splitlines()) == (0, [
        f"volume.toml: warning: config: no such file, so no 'date': {UNDATED}",
        f"volume.toml: warning: config: no such file, so no 'title': {TITLE}",
        f"built 6 files into {out}; 2 warning(s)",
    ])
    # What the warning says is what the pages show.
    page = parse_html(out / "html/en/index.html")
    assert page.find("title").text == "vol"


def test_a_table_without_title_is_named_by_its_line(run, tmp_path: Path) -> None:
    toml = 'slug = "essays"\ndate = "2026-09"\n\n[en]\nsubtitle = "Collected"\n'
    out = tmp_path / "out"
    code, err = run("build", "--root", _volume(tmp_path, toml), "--out", out, "--format", "html")
    assert (code, err.splitlines()) == (0, [
        "volume.toml:4: warning: config: no 'title': the slug “essays” is used on the cover, the site and the PDF "
        "metadata; set title = \"…\" under [en]",
        f"built 6 files into {out}; 1 warning(s)",
    ])


def test_source_date_epoch_is_named_as_the_date_used(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1789776000")  # 2026-09-19 UTC
    out = tmp_path / "out"
    code, err = run("build", "--root", _volume(tmp_path, '[en]\ntitle = "Essays"\n'), "--out", out,
                    "--format", "html")
    assert (code, err.splitlines()) == (0, [
        "volume.toml: warning: config: no 'date': SOURCE_DATE_EPOCH gives 2026-09-19, used on the title page, the "
        "citations and the © line; set date = \"2026-09\" (or \"2026-09-15\")",
        f"built 6 files into {out}; 1 warning(s)",
    ])


def test_title_and_date_given_say_nothing(run, tmp_path: Path) -> None:
    root = _volume(tmp_path, 'date = "2026-09"\n\n[en]\ntitle = "Essays"\n')
    out = tmp_path / "out"
    assert run("build", "--root", root, "--out", out, "--format", "html") == (0, f"built 6 files into {out}\n")


def test_strict_fails_on_a_missing_title(run, tmp_path: Path) -> None:
    code, err = run("build", "--root", _volume(tmp_path, 'date = "2026-09"\n'), "--out", tmp_path / "out",
                    "--strict")
    assert (code, err.splitlines()) == (1, [
        f"volume.toml: warning: config: no 'title': {TITLE}",
        "error: build: 1 problem found; nothing was written (--strict: warnings count)",
    ])


def test_a_broken_volume_toml_is_the_only_news(run, tmp_path: Path) -> None:
    code, err = run("build", "--root", _volume(tmp_path, 'titel = "Essays"\n'), "--out", tmp_path / "out")
    assert (code, err.splitlines()) == (1, [
        "volume.toml:1: config: titel: unknown setting (known: base_url, copyright_year, cover, cover_focus, date, facing, "
        "languages, license, page_size, profile, slug, source_language)",
        "error: build: 1 problem found; nothing was written",
    ])


def test_check_says_nothing_about_defaults(run, tmp_path: Path, capsys) -> None:
    code, err = run("check", "--root", _volume(tmp_path, None), "--format", "json")
    assert "title" not in err and "date" not in err
    assert code == 0
