"""Other volumes: a fresh ``taiyaku new`` volume, one with a third language; the page map of an earlier build; bad
input stops the EPUB with a located message and writes nothing."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from taiyaku.scaffold import new_volume

from .conftest import Built, Context, copy_sample, epubcheck, load, run_epub

NO_PAGE_LIST = ("warning: epub: no page-list: the PDF was not typeset in this build nor recorded by an earlier one "
                "(build with --format all, or pdf, once)")


@pytest.mark.slow  # EPUBCheck (Java) on every edition
@pytest.mark.parametrize("languages", [["en", "ja"], ["en", "ja", "fr"]], ids=["new", "third-language"])
def test_new_volumes_build_valid_epubs(tmp_path: Path, languages: list[str]) -> None:
    root = tmp_path / "volume"
    new_volume(root, languages)
    built = run_epub(load(root))
    slug = built.ctx.volume.config.slug
    expected = [f"epub/{slug}-{lang}.epub" for lang in languages] + [f"epub/{slug}-ja-vertical.epub"]
    assert sorted(built.ctx.writer.files) == sorted(expected)
    for rel_path, data in built.ctx.writer.files.items():
        assert epubcheck(data, tmp_path, Path(rel_path).name) == [], rel_path
        assert f"{rel_path}: {NO_PAGE_LIST}" in built.messages
        opf = built.epub(rel_path).read("EPUB/package.opf").decode()
        # No page-list: the print edition's pages are missing, so no conformance is claimed.
        assert "dcterms:conformsTo" not in opf and "printPageNumbers" not in opf
    if "fr" in languages:
        french = built.epub(f"epub/{slug}-fr.epub")
        assert "<dc:language>fr</dc:language>" in french.read("EPUB/package.opf").decode()
        assert 'xml:lang="fr"' in french.read("EPUB/title.xhtml").decode()


def test_vertical_edition_can_be_turned_off(tmp_path: Path) -> None:
    root = tmp_path / "volume"
    new_volume(root, ["en", "ja"])
    toml = root / "volume.toml"
    text = toml.read_text(encoding="utf-8")
    assert text.count("# vertical = true\n") == 1  # in [ja], with its default
    toml.write_text(text.replace("# vertical = true\n", "vertical = false\n"), encoding="utf-8")
    built = run_epub(load(root))
    assert not any(name.endswith("-vertical.epub") for name in built.ctx.writer.files)


@pytest.mark.pdf  # the session's sample volume typesets its PDFs
def test_page_list_from_the_last_build_when_no_pdf_was_made(sample_built: Built) -> None:
    """The first run recorded each language's page map in the cache folder; a build without PDFs uses it."""
    again = run_epub(dataclasses.replace(sample_built.ctx, manifest=[]))
    assert again.ctx.writer.files == sample_built.ctx.writer.files
    assert not [m for m in again.messages if "page-list" in m]


@pytest.mark.pdf  # the session's sample volume typesets its PDFs
def test_a_page_map_of_an_older_text_is_not_used(sample_built: Built) -> None:
    import copy

    volume = copy.deepcopy(sample_built.ctx.volume)
    paper = volume.documents["en"][2]
    paper.body = "A new first paragraph.\n\n" + paper.body
    again = run_epub(dataclasses.replace(sample_built.ctx, volume=volume, manifest=[]))
    assert ("epub/alliance-at-75-en.epub: warning: epub: no page-list: the papers changed since the PDF was last "
            "typeset, so its page numbers would not match (build the PDF too: --format pdf,epub)") in again.messages
    assert not [m for m in again.messages if "alliance-at-75-ja" in m]  # the Japanese text did not change


@pytest.mark.pdf  # the session's sample volume typesets its PDFs
def test_no_cache_and_no_pdf_builds_without_page_list(sample_built: Built) -> None:
    options = dataclasses.replace(sample_built.ctx.options, cache=False)
    again = run_epub(dataclasses.replace(sample_built.ctx, manifest=[], options=options))
    assert f"epub/alliance-at-75-en.epub: {NO_PAGE_LIST}" in again.messages
    assert b'epub:type="page-list"' not in again.epub("epub/alliance-at-75-en.epub").read("EPUB/nav.xhtml")


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A copy of the sample volume to break."""
    return copy_sample(tmp_path / "alliance")


def test_an_image_format_epub_forbids_is_located_and_nothing_is_written(sample_copy: Path) -> None:
    shutil.copy(sample_copy / "images" / "cover.jpg", sample_copy / "content" / "en" / "figures" / "map.tiff")
    paper = sample_copy / "content" / "en" / "02-treaty-history.md"
    lines = paper.read_text(encoding="utf-8").splitlines()
    lines[20:20] = ["", "![A map of the bases](figures/map.tiff)", ""]
    paper.write_text("\n".join(lines) + "\n", encoding="utf-8")
    built = run_epub(load(sample_copy))
    assert ("content/en/02-treaty-history.md:22: epub: map.tiff: an EPUB shows only GIF, JPEG, PNG, SVG and WebP "
            "images; convert it to one of these (the site and the PDF may keep it)") in built.messages
    assert built.artifacts == [] and built.ctx.writer.files == {}


def test_a_cover_gone_since_the_config_was_read_is_located(sample_copy: Path) -> None:
    ctx = load(sample_copy)
    (sample_copy / "images" / "cover.jpg").unlink()
    built = run_epub(ctx)
    assert ("volume.toml:11: epub: cover: 'images/cover.jpg': no such file (the en EPUB shows it)"
            in built.messages)
    assert built.ctx.writer.files == {}


def test_a_missing_cover_stops_the_build_before_any_output(sample_copy: Path) -> None:
    """The usual case: ``volume.toml`` names a cover that is not there; the config's check reports it."""
    (sample_copy / "images" / "cover.jpg").unlink()
    ctx: Context = load(sample_copy)
    assert "volume.toml:11: config: cover: 'images/cover.jpg': no such file" in [str(d) for d in ctx.diagnostics.errors]


@pytest.mark.slow  # EPUBCheck (Java)
def test_blocks_are_counted_as_the_print_edition_counts_them(make_root, tmp_path: Path) -> None:
    """The page map names the n-th block of a paper's body in print: the EPUB's body has the same blocks in the
    same order (code, alerts, definition lists, tables), its notes after them. The volume passes EPUBCheck."""
    import lxml.html

    from taiyaku.read.markup import RenderContext, render_markdown

    root = make_root("markdown_features")
    ctx = load(root)
    built = run_epub(ctx)
    for lang in ctx.languages:
        for number, doc in enumerate(ctx.volume.documents[lang], start=1):
            print_ctx = RenderContext(lang, doc.source.rel_path, root / "content" / lang, {}, "print",
                                      id_prefix=f"{doc.slug}:")
            printed = lxml.html.fragment_fromstring(render_markdown(doc.body, print_ctx).html, create_parent="div")
            print_tags = [child.tag for child in printed if isinstance(child.tag, str)]
            chapter = lxml.html.fromstring(built.epub(f"epub/markdown_features-{lang}.epub").read(f"EPUB/ch{number:02d}.xhtml"))
            body = chapter.find_class("chapter-body")[0]
            epub_tags = [child.tag.rsplit("}", 1)[-1] for child in body
                         if isinstance(child.tag, str) and child.get("epub:type") != "footnote"]
            assert epub_tags == print_tags and "aside" in print_tags
    for rel_path, data in built.ctx.writer.files.items():
        assert epubcheck(data, tmp_path, Path(rel_path).name) == [], rel_path


def test_translators_readings_and_series_reach_the_metadata(tmp_path: Path) -> None:
    root = tmp_path / "volume"
    new_volume(root, ["en", "ja"])
    paper = root / "content" / "ja" / "01-first-paper.md"
    paper.write_text(paper.read_text(encoding="utf-8").replace("order: 1\n", "order: 1\ntranslators: [\"訳者名\"]\n"),
                     encoding="utf-8")
    toml = root / "volume.toml"
    text = toml.read_text(encoding="utf-8").replace("# readings = {}\n", 'readings = { "訳者名" = "やくしゃめい" }\n')
    toml.write_text(text.replace('# series = ""\n', 'series = "太平洋叢書"\n'), encoding="utf-8")
    built = run_epub(load(root))
    opf = built.epub(f"epub/{built.ctx.volume.config.slug}-ja.epub").read("EPUB/package.opf").decode()
    assert '<dc:creator id="c1">著者名</dc:creator>' in opf  # no editors: the authors make the volume
    assert '<dc:contributor id="c2">訳者名</dc:contributor>' in opf
    assert '<meta property="role" refines="#c2" scheme="marc:relators">trl</meta>' in opf
    assert '<meta property="file-as" refines="#c2">やくしゃめい</meta>' in opf
    assert '<meta property="belongs-to-collection" id="series">太平洋叢書</meta>' in opf
    assert '<meta property="collection-type" refines="#series">series</meta>' in opf
