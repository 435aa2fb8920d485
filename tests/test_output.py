"""The output folder: swapped in whole, never half-written; --root, --format and --lang."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import parse_html, snapshot, staging_leftovers, SITE_CSS, SITE_JS

MINIMAL_HTML = sorted([
    "html/404.html", "html/" + SITE_CSS, "html/" + SITE_JS, "html/en/index.html", "html/en/one/index.html", "html/en/two/index.html",
    "html/index.html", "html/ja/index.html", "html/ja/one/index.html", "html/ja/two/index.html",
] + [f"html/{lang}/{slug}/parallel/index.html" for lang in ("en", "ja") for slug in ("one", "two")])


# A template error stops the build after the PDFs' plan has handed papers to the workers (pdf/early.py): they
# must not write into the staging folder once it is thrown away.
@pytest.mark.pdf
@pytest.mark.parametrize("name", ["template_runtime", "bad_yaml"])
def test_failed_build_leaves_no_staging_and_keeps_previous_output(name, make_root, run, previous_output) -> None:
    """``template_runtime`` fails after the staging folder was made; ``bad_yaml`` before."""
    out, before = previous_output
    code, _ = run("build", "--root", make_root(name), "--out", out)
    assert code == 1
    assert staging_leftovers(out) == []
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([name, "out"])
    assert snapshot(out) == before


@pytest.mark.pdf  # (as above: a template error after papers went to the workers)
def test_failed_first_build_creates_no_output(make_root, run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _ = run("build", "--root", make_root("template_runtime"), "--out", out)
    assert code == 1
    assert not out.exists()
    assert staging_leftovers(out) == []


def test_successful_build_leaves_no_staging(make_root, run, previous_output) -> None:
    out, before = previous_output
    (out / "html/stale.html").write_text("from an older build")
    code, _ = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert code == 0
    assert staging_leftovers(out) == []
    assert sorted(snapshot(out)) == MINIMAL_HTML  # html/ was replaced whole: the stale page is gone


def test_root_from_another_working_directory(make_root, run, tmp_path: Path, monkeypatch) -> None:
    root = make_root("minimal")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, err = run("build", "--root", root, "--format", "html")
    assert (code, err) == (0, f"built 14 files into {root / 'build'}\n")
    assert sorted(snapshot(root / "build")) == MINIMAL_HTML
    assert list(elsewhere.iterdir()) == []


def test_relative_root(make_root, run, tmp_path: Path, monkeypatch) -> None:
    make_root("minimal")
    monkeypatch.chdir(tmp_path)
    code, err = run("build", "--root", "minimal", "--format", "html")
    assert (code, err) == (0, "built 14 files into minimal/build\n")
    assert sorted(snapshot(tmp_path / "minimal/build")) == MINIMAL_HTML


def test_root_that_is_not_a_folder(run, tmp_path: Path) -> None:
    code, err = run("build", "--root", tmp_path / "nowhere")
    assert (code, err) == (1, f"error: {tmp_path / 'nowhere'}: not a folder\n")


def test_format_html_builds_no_pdf(make_root, run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert (code, err) == (0, f"built 14 files into {out}\n")
    assert sorted(snapshot(out)) == MINIMAL_HTML
    assert not (out / "pdf").exists()
    for page in MINIMAL_HTML[1:]:
        hrefs = [a.attrs.get("href", "") for a in parse_html(out / page).iter("a")]
        assert not [h for h in hrefs if ".pdf" in h], page


def test_unknown_lang(make_root, run, tmp_path: Path) -> None:
    code, err = run("build", "--root", make_root("minimal"), "--out", tmp_path / "out", "--lang", "fr")
    assert (code, err) == (1, "error: config: --lang fr: the volume's languages are en, ja\n")
    assert not (tmp_path / "out").exists()


def _retitle(root: Path, lang: str, old: str, new: str) -> None:
    path = root / f"content/{lang}/01-one.md"
    path.write_text(path.read_text(encoding="utf-8").replace(f"title: {old}", f"title: {new}"), encoding="utf-8")


def test_lang_ja_rebuilds_only_japanese(make_root, run, previous_output) -> None:
    out, before = previous_output
    root = make_root("minimal")
    _retitle(root, "ja", "第一", "第一（改）")
    _retitle(root, "en", "One", "One (changed)")
    code, err = run("build", "--root", root, "--out", out, "--format", "html", "--lang", "ja")
    assert (code, "Traceback" in err) == (0, False)
    after = snapshot(out)
    assert sorted(after) == MINIMAL_HTML
    assert "第一（改）" in after["html/ja/one/index.html"].decode("utf-8")
    for rel in MINIMAL_HTML:
        if rel.startswith("html/en/"):
            assert after[rel] == before[rel], rel  # the English pages are the previous build's


def test_lang_en_keeps_the_japanese_output(make_root, run, previous_output) -> None:
    out, before = previous_output
    root = make_root("minimal")
    _retitle(root, "ja", "第一", "第一（改）")
    _retitle(root, "en", "One", "One (changed)")
    code, err = run("build", "--root", root, "--out", out, "--format", "html", "--lang", "en")
    assert (code, err) == (0, f"built 9 files into {out}\n")
    after = snapshot(out)
    assert sorted(after) == MINIMAL_HTML
    assert "One (changed)" in after["html/en/one/index.html"].decode("utf-8")
    for rel in MINIMAL_HTML:
        if rel.startswith("html/ja/"):
            assert after[rel] == before[rel], rel
    assert staging_leftovers(out) == []


def test_lang_en_keeps_links_to_the_japanese_pages(make_root, run, previous_output) -> None:
    out, before = previous_output
    code, _ = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html", "--lang", "en")
    assert code == 0
    home = {a.attrs["href"] for a in parse_html(out / "html/index.html").iter("a")}
    assert "ja/index.html" in home
    switch = [a.attrs["href"] for a in parse_html(out / "html/en/one/index.html")
              .find("nav", class_="languages").iter("a")]
    assert switch == ["../../ja/one/index.html"]
    assert snapshot(out) == before  # nothing changed in the sources, so nothing should change in the output


@pytest.mark.pdf
def test_lang_en_with_pdfs_over_a_full_build(make_root, run, tmp_path: Path) -> None:
    root = make_root("minimal")
    out = tmp_path / "out"
    code, _ = run("build", "--root", root, "--out", out)
    assert code == 0
    before = snapshot(out)
    code, err = run("build", "--root", root, "--out", out, "--lang", "en")
    assert (code, "Traceback" in err) == (0, False)
    after = snapshot(out)
    assert sorted(after) == sorted(before)
    assert after["pdf/minimal-ja.pdf"] == before["pdf/minimal-ja.pdf"]
    assert after["html/pdf/minimal-en.pdf"] == after["pdf/minimal-en.pdf"]
