"""The build cache (cache.py): a rebuild typesets only what changed, byte-identical to a clean build; a damaged
entry is typeset again, never used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import snapshot
from taiyaku import cache as cache_module
from taiyaku.cache import fonts_digest
from taiyaku.pipeline import BuildOptions, build


def _build(root: Path, out: Path, cache: Path | None, **extra: object) -> list[str]:
    report = build(BuildOptions(root=root, out=out, cache=cache is not None, cache_dir=cache, **extra))
    return report.cached


@pytest.fixture
def volume(make_root) -> Path:
    return make_root("minimal")


def test_cached_build_is_byte_identical_to_a_clean_one(volume: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _build(volume, tmp_path / "first", cache) == []
    assert sorted(_build(volume, tmp_path / "second", cache)) == ["minimal-en.pdf", "minimal-ja.pdf"]
    _build(volume, tmp_path / "clean", None)
    assert snapshot(tmp_path / "second") == snapshot(tmp_path / "clean")
    assert not (volume / ".taiyaku-cache").exists()  # --cache-dir was honoured


def test_an_english_edit_leaves_the_japanese_pdf_cached(volume: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(volume, tmp_path / "out", cache)
    source = volume / "content/en/02-two.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    assert _build(volume, tmp_path / "out", cache) == ["minimal-ja.pdf"]


def test_each_kind_of_input_invalidates_what_it_should(volume: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(volume, tmp_path / "out", cache, format="pdf")
    # A catalog entry of one language's UI: that language's PDF only (its print HTML changes).
    (volume / "volume.toml").write_text('slug = "minimal"\ndate = "2026-09-19"\n[en]\ntitle = "minimal"\n[ja]\ntitle = "小さな巻"\n', encoding="utf-8")
    assert _build(volume, tmp_path / "out", cache, format="pdf") == ["minimal-en.pdf"]
    # An image under content/: every PDF (any language may show it).
    (volume / "content/en/figure.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    assert _build(volume, tmp_path / "out", cache, format="pdf") == []
    # A template of the volume: every PDF.
    (volume / "templates").mkdir(exist_ok=True)
    (volume / "templates/unused.html").write_text("<p>x</p>", encoding="utf-8")
    assert _build(volume, tmp_path / "out", cache, format="pdf") == []
    # Nothing changed: the build is not even run (cache.BuildStamp); into another folder, every PDF is cached.
    assert build(BuildOptions(root=volume, out=tmp_path / "out", cache_dir=cache, format="pdf")).unchanged
    assert sorted(_build(volume, tmp_path / "other", cache, format="pdf")) == ["minimal-en.pdf", "minimal-ja.pdf"]


def test_a_damaged_entry_is_typeset_again(volume: Path, tmp_path: Path, caplog) -> None:
    cache = tmp_path / "cache"
    _build(volume, tmp_path / "out", cache, format="pdf")
    entries = sorted((cache / "pdf").iterdir())
    assert len(entries) == 2
    damaged = entries[0] / "volume.pdf"
    damaged.write_bytes(damaged.read_bytes()[:-100])
    cached = _build(volume, tmp_path / "out2", cache, format="pdf")
    assert len(cached) == 1
    assert "is damaged" in caplog.text
    _build(volume, tmp_path / "clean", None, format="pdf")
    assert snapshot(tmp_path / "out2") == snapshot(tmp_path / "clean")


def test_an_unchanged_volume_is_not_built_again(volume: Path, tmp_path: Path, run) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = build(BuildOptions(root=volume, out=out, cache_dir=cache, format="html"))
    assert not first.unchanged
    before = snapshot(out)
    again = build(BuildOptions(root=volume, out=out, cache_dir=cache, format="html"))
    assert again.unchanged and again.files == first.files
    assert snapshot(out) == before
    code, err = run("build", "--root", volume, "--out", out, "--format", "html", "--cache-dir", cache)
    assert (code, err.strip()) == (0, f"nothing changed since the last build into {out}")
    # Other options, an edited output file or an edited source: built again.
    assert not build(BuildOptions(root=volume, out=out, cache_dir=cache, format="html", drafts=True)).unchanged
    (out / "html/index.html").write_text("edited", encoding="utf-8")
    assert not build(BuildOptions(root=volume, out=out, cache_dir=cache, format="html")).unchanged
    assert snapshot(out) == before
    source = volume / "content/ja/01-one.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n追加の段落。\n", encoding="utf-8")
    assert not build(BuildOptions(root=volume, out=out, cache_dir=cache, format="html")).unchanged
    assert not build(BuildOptions(root=volume, out=out, cache=False, format="html")).unchanged


def _edit(volume: Path) -> None:
    source = volume / "content/en/02-two.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")


def test_a_vanished_output_folder_loses_its_build_record(volume: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for name in ("one", "two"):
        build(BuildOptions(root=volume, out=tmp_path / name, cache_dir=cache, format="html"))
    assert len(list((cache / "builds").glob("*.json"))) == 2
    for path in (tmp_path / "one").rglob("*"):
        if path.is_file():
            path.unlink()
    for path in sorted((tmp_path / "one").rglob("*"), reverse=True):
        path.rmdir()
    (tmp_path / "one").rmdir()
    _edit(volume)
    build(BuildOptions(root=volume, out=tmp_path / "two", cache_dir=cache, format="html"))
    (record,) = (cache / "builds").glob("*.json")
    assert json.loads(record.read_text(encoding="utf-8"))["out_dir"] == str((tmp_path / "two").resolve())


def test_the_fonts_are_hashed_once_until_a_font_folder_changes(tmp_path: Path, monkeypatch) -> None:
    fonts = tmp_path / "fonts"
    (fonts / "truetype").mkdir(parents=True)
    (fonts / "truetype/a.ttf").write_bytes(b"a")
    monkeypatch.setattr(cache_module, "FONT_DIRS", (str(fonts),))
    monkeypatch.setattr(cache_module, "_fonts_memo", None)
    hashed: list[Path] = []
    hash_tree = cache_module._hash_tree

    def counting(digest, folder, contents, markdown=False):  # type: ignore[no-untyped-def]
        hashed.append(folder)
        hash_tree(digest, folder, contents, markdown)
    monkeypatch.setattr(cache_module, "_hash_tree", counting)
    first = fonts_digest()
    assert fonts_digest() == first and hashed == [fonts]
    (fonts / "truetype/new").mkdir()
    (fonts / "truetype/new/b.otf").write_bytes(b"b")
    assert fonts_digest() != first and hashed == [fonts, fonts]
