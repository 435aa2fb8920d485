"""The build cache (cache.py, pdf/cache.py, stamp.py): a rebuild typesets only what changed, byte-identical to a clean build; a damaged
entry is typeset again, never used."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import snapshot
from taiyaku import cache as cache_module
from taiyaku.cache import cache_lock, fonts_digest
from taiyaku.pipeline import BuildOptions, build


def _build(root: Path, out: Path, cache: Path | None, **extra: object) -> list[str]:
    report = build(BuildOptions(root=root, out=out, cache=cache is not None, cache_dir=cache, **extra))
    return report.cached


@pytest.fixture
def volume(make_root) -> Path:
    return make_root("minimal")


@pytest.mark.pdf
def test_cached_build_is_byte_identical_to_a_clean_one(volume: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _build(volume, tmp_path / "first", cache) == []
    assert sorted(_build(volume, tmp_path / "second", cache)) == ["minimal-en.pdf", "minimal-ja.pdf"]
    _build(volume, tmp_path / "clean", None)
    assert snapshot(tmp_path / "second") == snapshot(tmp_path / "clean")
    assert not (volume / ".taiyaku-cache").exists()  # --cache-dir was honoured


@pytest.mark.pdf
def test_an_edit_built_with_the_cache_is_byte_identical_to_a_clean_build(volume: Path, tmp_path: Path) -> None:
    """Every output (site, PDFs, EPUBs) after a one-paragraph edit, with every kept rendering, typeset part and
    prepared print HTML of the unchanged documents, is the clean build's, byte for byte."""
    cache = tmp_path / "cache"
    _build(volume, tmp_path / "out", cache)
    source = volume / "content/en/02-two.md"
    text = source.read_text(encoding="utf-8")
    assert text.endswith("The second document.\n")
    source.write_text(text.replace("The second document.", "The second document, edited.[^1]\n\n[^1]: A note."),
                      encoding="utf-8")
    assert _build(volume, tmp_path / "out", cache) == ["minimal-ja.pdf"]
    assert sorted(p.name for p in (cache / "renders").glob("*.json")) == ["epub.json", "print.json", "read.json"]
    _build(volume, tmp_path / "clean", None)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


@pytest.mark.pdf
def test_a_page_more_built_with_the_cache_is_byte_identical_to_a_clean_build(volume: Path, tmp_path: Path) -> None:
    """A paper grown by pages moves the next one: its folios, its offprint's cover (the page range it cites) and
    the contents' numbers change; the cached build still gives the clean build's bytes."""
    cache = tmp_path / "cache"
    _build(volume, tmp_path / "out", cache, format="pdf")
    before = len(PdfReader(tmp_path / "out/pdf/minimal-en.pdf").pages)
    source = volume / "content/en/01-one.md"
    added = "\n\n".join("A paragraph added to push the next paper's pages on. " * 12 for _ in range(12))
    source.write_text(source.read_text(encoding="utf-8").replace("## A section", added + "\n\n## A section"),
                      encoding="utf-8")
    assert _build(volume, tmp_path / "out", cache, format="pdf") == ["minimal-ja.pdf"]
    assert len(PdfReader(tmp_path / "out/pdf/minimal-en.pdf").pages) > before
    _build(volume, tmp_path / "clean", None, format="pdf")
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


@pytest.mark.pdf
def test_an_english_edit_leaves_the_japanese_pdf_cached(volume: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(volume, tmp_path / "out", cache)
    source = volume / "content/en/02-two.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    assert _build(volume, tmp_path / "out", cache) == ["minimal-ja.pdf"]


@pytest.mark.pdf
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


@pytest.mark.pdf
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


# -- pruning ------------------------------------------------------------------------------------------------------

def _entries(cache: Path) -> dict[Path, str]:
    """Every entry of the cache (volumes and parts) with the label of the PDF it belongs to."""
    folders = [*(cache / "pdf").iterdir(), *(e for top in (cache / "parts").iterdir() if top.is_dir()
                                            for e in top.iterdir())]
    return {e: json.loads((e / "manifest.json").read_text(encoding="utf-8"))["result"]["label"] for e in folders}


def _text(entry: Path) -> str:
    name = next(name for name in ("part.pdf", "offprint.pdf", "volume.pdf") if (entry / name).is_file())
    return "".join(page.extract_text() for page in PdfReader(entry / name).pages)


def _edit(volume: Path) -> None:
    source = volume / "content/en/02-two.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")


@pytest.mark.pdf
def test_a_build_prunes_the_old_versions_of_what_it_typeset_again(volume: Path, tmp_path: Path, monkeypatch,
                                                                  caplog) -> None:
    cache = tmp_path / "cache"
    _build(volume, tmp_path / "out", cache, format="pdf")
    before = _entries(cache)
    _edit(volume)
    assert _build(volume, tmp_path / "out", cache, format="pdf") == ["minimal-ja.pdf"]
    after = _entries(cache)
    gone, new = set(before) - set(after), set(after) - set(before)
    # The English volume and the edited paper (with what its new page count moved): old versions gone, the new
    # ones kept; the Japanese entries (a cached volume, its parts) all stay.
    assert {before[e] for e in gone} == {after[e] for e in new} == {"minimal-en.pdf"}
    assert sum(1 for e in new if e.parent.name == "pdf") == sum(1 for e in gone if e.parent.name == "pdf") == 1
    (paper,) = [e for e in after if (e / "part.pdf").is_file() and "The second document." in _text(e)
                and "Offprint" not in _text(e)]
    assert "A new closing paragraph." in _text(paper)
    assert not list(cache.rglob(".partial-*"))

    # After pruning, a build into another folder still comes whole from the cache, parts included, and gives the
    # same bytes as a clean build.
    import taiyaku.pdf

    typeset_again: list[str] = []
    run_jobs = taiyaku.pdf.run_jobs

    def recording(jobs, *args, **kwargs):  # type: ignore[no-untyped-def]
        results = run_jobs(jobs, *args, **kwargs)
        typeset_again.extend(part for r in results for part in r.typeset_parts)
        return results
    monkeypatch.setattr(taiyaku.pdf, "run_jobs", recording)
    for entry in (cache / "pdf").iterdir():  # the volumes must be assembled from the kept parts
        (entry / "manifest.json").unlink()
    caplog.set_level("INFO", logger="taiyaku")
    _build(volume, tmp_path / "again", cache, format="pdf")
    assert typeset_again == [] and "parts from the cache: " in caplog.text
    _build(volume, tmp_path / "clean", None, format="pdf")
    assert snapshot(tmp_path / "again") == snapshot(tmp_path / "clean")


@pytest.mark.pdf
def test_nothing_is_pruned_while_another_build_uses_the_cache(volume: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(volume, tmp_path / "out", cache, format="pdf")
    count = len(_entries(cache))
    _edit(volume)
    with cache_lock(cache, exclusive=False) as held:  # a build running beside this one
        assert held
        _build(volume, tmp_path / "out", cache, format="pdf")
        kept = _entries(cache)
        assert len(kept) > count
    # The next build prunes: the old English volume goes (its parts wait for the next English layout).
    assert sorted(_build(volume, tmp_path / "other", cache, format="pdf")) == ["minimal-en.pdf", "minimal-ja.pdf"]
    assert len(_entries(cache)) == len(kept) - 1


@pytest.mark.pdf
def test_unused_slots_go_after_idle_days_and_leftovers_at_once(volume: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(volume, tmp_path / "out", cache, format="pdf")
    old = time.time() - (cache_module.IDLE_DAYS + 1) * 86400
    japanese = [e for e, label in _entries(cache).items() if label == "minimal-ja.pdf"]
    for entry in japanese:
        os.utime(entry, (old, old))
    # An older taiyaku's entry (no slot) and a half-written one left by a killed build.
    for name in ("pdf/" + "0" * 64, "pdf/.partial-x", "parts/00/" + "0" * 64):
        (cache / name).mkdir(parents=True)
        (cache / name / "manifest.json").write_text('{"files": {}, "result": {"label": "x"}}', encoding="utf-8")
        os.utime(cache / name, (old, old))
    _edit(volume)
    _build(volume, tmp_path / "out", cache, format="pdf", languages=["en"])
    assert set(_entries(cache).values()) == {"minimal-en.pdf"}
    # (and the check's entries, the compiled templates: what the build's check and rendering keep)
    assert {p.name for p in cache.iterdir()} - {"check", ".gitignore", "templates"} == \
        {"builds", "lock", "parts", "pdf", "renders"}
    assert not (cache / "parts/00" / ("0" * 64)).exists()
    # Emptied shard folders go (a live part's key may start with 00 too: then its shard stays).
    assert [p.name for p in (cache / "parts").iterdir() if p.is_dir() and not any(p.iterdir())] == []


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
    hash_tree = cache_module.hash_tree

    def counting(digest, folder, contents, markdown=False):  # type: ignore[no-untyped-def]
        hashed.append(folder)
        hash_tree(digest, folder, contents, markdown)
    monkeypatch.setattr(cache_module, "hash_tree", counting)
    first = fonts_digest()
    assert fonts_digest() == first and hashed == [fonts]
    (fonts / "truetype/new").mkdir()
    (fonts / "truetype/new/b.otf").write_bytes(b"b")
    assert fonts_digest() != first and hashed == [fonts, fonts]


def test_a_build_without_aligned_views_takes_unchanged_pairs_from_the_check_cache(make_root, run,
                                                                                  tmp_path: Path) -> None:
    """Only the site's parallel views and the facing edition show the checker's block alignments, which the
    check's cache does not keep: a build without them checks like ``taiyaku check`` (unchanged pairs reused),
    with the same warnings; one with them aligns every pair."""
    root = make_root("minimal")
    cache = tmp_path / "cache"
    logs = []
    for out, formats in (("a", "epub"), ("b", "epub"), ("c", "html")):
        code, err = run("build", "--root", root, "--out", tmp_path / out, "--cache-dir", cache, "--format", formats,
                        "-v")
        assert code == 0, err
        logs.append(err)
    checked = [next(line for line in log.splitlines() if line.startswith("debug: checked in")) for log in logs]
    assert [line.split("(", 1)[1] for line in checked] == [
        "cache: 0 entries reused, 2 made)", "cache: 2 entries reused, 0 made)", "cache: 0 entries reused, 0 made)"]
    warnings = [[line for line in log.splitlines() if ": warning: " in line] for log in logs[:2]]
    assert warnings[0] and warnings[0] == warnings[1]


def test_parts_are_linked_from_the_cache_and_outputs_copied(tmp_path: Path) -> None:
    """A part's scratch file (read by the assembly only) is the cache's file under a second name; a file of the
    output is a copy, with the time it was made: written in place by a viewer, it must not change the cache's."""
    entries = cache_module.Entries(tmp_path / "cache", fan_out=True)
    source = tmp_path / "made.pdf"
    source.write_bytes(b"%PDF-1.7 part")
    entries.store("ab" * 32, "slot", {"part.pdf": str(source)}, {"label": "x"}, "a part", link=True)
    kept = entries.path("ab" * 32) / "part.pdf"
    assert kept.stat().st_ino == source.stat().st_ino
    linked, copied = tmp_path / "scratch" / "part.pdf", tmp_path / "out" / "part.pdf"
    assert entries.restore("ab" * 32, {"part.pdf": str(linked)}, "a part", lambda fields: fields, link=True)
    assert linked.stat().st_ino == kept.stat().st_ino
    before = time.time()
    assert entries.restore("ab" * 32, {"part.pdf": str(copied)}, "a part", lambda fields: fields)
    assert copied.stat().st_ino != kept.stat().st_ino and copied.stat().st_nlink == 1
    assert copied.stat().st_mtime >= before - 1
    assert copied.read_bytes() == kept.read_bytes()
