"""Per-document rendering kept between builds (rendercache.py): the same HTML and the same diagnostics as
rendering everything, and only what an edit touched made again."""

from __future__ import annotations

import json
from pathlib import Path

from taiyaku.errors import Diagnostics
from taiyaku.pdf.document import prepare_parts, print_document, print_view
from taiyaku.pdf.prepare import prepare_document
from taiyaku.pipeline import BuildOptions, load_strings, load_volume
from taiyaku.read import sources
from taiyaku.read.sources import kept_renderings
from taiyaku.rendercache import RenderStore

SAMPLE = Path(__file__).resolve().parent.parent


def test_the_print_document_prepared_part_by_part_is_the_same_as_prepared_whole(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=SAMPLE), diagnostics)
    strings = load_strings(volume, diagnostics)
    for lang in volume.languages:
        view = print_view(volume, lang)
        whole = print_document(volume, lang, strings[lang], view=view)
        first = RenderStore(tmp_path, "print")
        assert print_document(volume, lang, strings[lang], view=view, store=first) == whole, lang
        first.save()
        again = RenderStore(tmp_path, "print")
        assert print_document(volume, lang, strings[lang], view=view, store=again) == whole, lang
        assert again.misses == 0 and again.hits > len(view.documents), lang
        # The print-mode Markdown kept gives the same views' HTML.
        kept = print_view(volume, lang, again)
        assert [d.html for d in kept.documents] == [d.html for d in view.documents]


def test_an_edit_renders_and_prepares_only_its_own_document_again(make_root, tmp_path: Path) -> None:
    root = make_root("minimal")

    def plan() -> RenderStore:
        diagnostics = Diagnostics()
        volume = load_volume(BuildOptions(root=root), diagnostics)
        strings = load_strings(volume, diagnostics)
        store = RenderStore(tmp_path / "cache", "print")
        print_document(volume, "en", strings["en"], view=print_view(volume, "en", store), store=store)
        store.save()
        return store

    assert plan().hits == 0
    source = root / "content/en/02-two.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    store = plan()
    assert store.misses == 2  # its print-mode Markdown and its part's preparation
    assert store.hits > 0


def _read(root: Path, cache: Path, fresh: bool = True) -> tuple[list[str], int]:
    """The read stage's problems as the user sees them, and how many renderings came from the cache (``fresh``:
    as in a process of its own, no renderings in memory from before)."""
    if fresh:
        sources._RENDERED = sources.RenderCache()
    diagnostics = Diagnostics()
    store = RenderStore(cache, "read")
    with kept_renderings(store):
        load_volume(BuildOptions(root=root), diagnostics)
    store.save()  # as a build that succeeded does
    return [str(d) for d in diagnostics.items], store.hits


def test_a_kept_rendering_reports_its_broken_links_again_with_file_and_line(make_root, tmp_path: Path,
                                                                             monkeypatch) -> None:
    monkeypatch.setattr(sources, "_RENDERED", sources.RenderCache())  # restored after the test
    root = make_root("missing_link")
    first, hits = _read(root, tmp_path / "cache")
    assert hits == 0
    assert "content/en/01-one.md:7: content: a link points to '03-missing.md', which is not a file of this volume" \
        in first
    again, hits = _read(root, tmp_path / "cache")
    assert hits == 2 and again == first
    # Renderings the process had (``serve``) are kept too: the store keeps what a build used.
    in_memory, _ = _read(root, tmp_path / "cache", fresh=False)
    assert in_memory == first
    assert _read(root, tmp_path / "cache") == (first, 2)


def test_a_damaged_store_is_ignored(make_root, tmp_path: Path, caplog, monkeypatch) -> None:
    monkeypatch.setattr(sources, "_RENDERED", sources.RenderCache())
    root = make_root("minimal")
    _read(root, tmp_path / "cache")
    (tmp_path / "cache/renders/read.json").write_text("{not json", encoding="utf-8")
    problems, hits = _read(root, tmp_path / "cache")
    assert hits == 0 and problems == []
    assert "read.json: damaged" in caplog.text
    assert json.loads((tmp_path / "cache/renders/read.json").read_text(encoding="utf-8"))  # written anew


def test_the_store_keeps_what_a_build_used_and_as_many_others(tmp_path: Path) -> None:
    store = RenderStore(tmp_path, "x")
    for n in range(5):
        store.memo("k", (str(n),), lambda n=n: n)
    store.save()
    store = RenderStore(tmp_path, "x")
    store.memo("k", ("0",), lambda: -1)  # used again: kept
    store.memo("k", ("new",), lambda: 9)
    store.save()
    kept = RenderStore(tmp_path, "x")
    assert kept.memo("k", ("0",), lambda: -1) == 0 and kept.memo("k", ("new",), lambda: -1) == 9
    assert len(json.loads((tmp_path / "renders/x.json").read_text(encoding="utf-8"))) == 4  # 2 used + 2 latest


def test_parts_inside_a_wrapper_of_a_volumes_own_template_are_prepared_as_the_whole(tmp_path: Path) -> None:
    """A volume's own ``print/volume.html`` may put its parts in an element of its own, with a language: each part
    is prepared inside it, as in the whole document."""
    body = ("<section class=\"chapter\" id=\"{0}\"><h1>日本語の見出しと Western 語</h1><p>本文は「引用」、"
            "（「括弧」）と English の語。注<span class=\"footnote\">注の本文。</span>です。</p></section>\n")
    html = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><style>p { color: red; }</style>"
            "</head><body class=\"x\">\n<main lang=\"ja\">\n"
            + "".join(f"<!--taiyaku-part {slug}-->\n" + body.format(slug) for slug in ("a", "b", "c"))
            + "<!--taiyaku-part-end-->\n</main></body></html>\n")
    whole = prepare_document(html)[0]
    assert 'class="halt"' in whole and "data-note=\"a 1\"" in whole  # the wrapper's language reached the parts
    assert prepare_parts(html, RenderStore(tmp_path, "print")) == whole
    assert prepare_parts(html.replace("<main lang=\"ja\">", "<main lang=\"ja\"><span class=\"footnote\">"),
                         RenderStore(tmp_path, "other")) \
        == prepare_document(html.replace("<main lang=\"ja\">", "<main lang=\"ja\"><span class=\"footnote\">"))[0]


def test_an_epub_chapter_is_rendered_once_for_both_japanese_editions_and_kept_for_the_next_build(
        tmp_path: Path) -> None:
    """The papers' Markdown in "epub" mode: the vertical Japanese edition takes the horizontal one's, a second
    build takes every chapter from the store, and the EPUBs are the same as rendered without a store."""
    from taiyaku.epub.edition import plan_editions
    from taiyaku.epub.make import make_edition
    from taiyaku.epub.pages import PageMarks

    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=SAMPLE), diagnostics)
    strings = load_strings(volume, diagnostics)
    editions = plan_editions(volume, list(volume.languages), diagnostics)
    assert sorted((e.lang, e.vertical) for e in editions) == [("en", False), ("ja", False), ("ja", True)]
    papers = sum(len(e.documents) for e in editions if not e.vertical)

    def build(store: RenderStore | None) -> list[bytes]:
        return [make_edition(volume, strings[e.lang], e, PageMarks({}), Diagnostics(), store) for e in editions]

    plain = build(None)
    first = RenderStore(tmp_path, "epub")
    assert build(first) == plain
    vertical = next(e for e in editions if e.vertical)
    assert first.misses == papers and first.hits == len(vertical.documents)  # the vertical edition's
    first.save()
    again = RenderStore(tmp_path, "epub")
    assert build(again) == plain and again.misses == 0
