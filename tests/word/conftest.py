"""Fixtures of the import tests: a one-language volume, a copy of the sample volume, and an author's paper
written as a .docx by :mod:`.docx_builder` (every feature the issue names, in one file)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from .docx_builder import (Docx, cell, commented, deleted, endnote_ref, footnote_ref, hyperlink, image, inserted,
                           para, png, ruby, run, table)

REPO = Path(__file__).resolve().parents[2]

needs_pandoc = pytest.mark.skipif(importlib.util.find_spec("pypandoc") is None,
                                  reason="taiyaku import needs the word extra: pip install 'taiyaku[word]'")
"""For the tests that run pandoc (refusals before it run without the extra)."""


@pytest.fixture
def volume(tmp_path: Path) -> Path:
    """An English-only volume with one document, into which a paper is imported."""
    root = tmp_path / "volume"
    (root / "content" / "en").mkdir(parents=True)
    (root / "volume.toml").write_text('languages = ["en"]\ndate = "2026-09-19"\n\n[en]\ntitle = "Imports"\n',
                                      encoding="utf-8")
    (root / "content" / "en" / "01-preface.md").write_text('---\ntitle: "Preface"\norder: 1\n---\n\nA preface.\n',
                                                           encoding="utf-8")
    return root


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The sample volume's own files (no git history, no build output)."""
    root = tmp_path / "sample"
    root.mkdir()
    for name in ("content", "locales", "templates", "images"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "volume.toml", root / "volume.toml")
    return root


def paper() -> Docx:
    """An author's paper: front matter styles, headings, notes (one of two paragraphs), an endnote, a nested list,
    a pipe table and a table with merged cells (both captioned), a figure with alt text, caption and source, a
    link, a quotation, a comment, a style taiyaku does not know and Japanese with ruby."""
    doc = Docx(core={"dc:title": "Not the title", "dc:creator": "Word User", "cp:keywords": "ignored"})
    doc.media["rIdImg1"] = png()
    doc.links["rIdLink1"] = "https://example.org/treaty"
    doc.footnotes = {
        1: [para("Security Treaty, signed ", run("September 8, 1951", italic=True), ".")],
        2: [para("A note of two paragraphs, the first."), para("The second paragraph of the note.")],
        3: [para("Ibid., Article 5.")],
    }
    doc.endnotes = {1: [para("An endnote of the author's, kept as a note.")]}
    doc.comments = {0: ("Editor", "Check the date against the treaty text.")}
    doc.add(
        para("Treaties and Their Afterlives", style="Title"),
        para("A Study in Adaptation", style="Subtitle"),
        para("Jane Q. Author", style="Author"),
        para("Ken Tanaka", style="Author"),
        para("Professor, Example University", style="Affiliation"),
        para("Associate Professor, Sample College", style="Affiliation"),
        para("This paper traces how treaties adapt without amendment.", style="Abstract"),
        para("Keywords: alliance; treaty; adaptation", style="Keywords"),
        para("Introduction", style="Heading1"),
        para("The treaty was signed in ", run("San Francisco", italic=True), " in 1951.", footnote_ref(1),
             " Its text is ", run("not", bold=True), " long. See ", hyperlink("rIdLink1", "the treaty"), "."),
        para("A second paragraph", footnote_ref(2), " with an endnote", endnote_ref(1), " and ",
             commented(0, run("a commented phrase")), "."),
        para("Three lessons stand out:"),
        para("Shocks come first", style="ListParagraph", numbering=(1, 0)),
        para("in Asia", style="ListParagraph", numbering=(1, 1)),
        para("in Europe", style="ListParagraph", numbering=(1, 1)),
        para("Law comes later", style="ListParagraph", numbering=(1, 0)),
        para("The Documents", style="Heading2"),
        para("Table 1. Key documents.", style="Caption"),
        table([[cell("Year"), cell("Document")], [cell("1951"), cell("Security Treaty")],
               [cell("1960"), cell("Treaty of Mutual Cooperation")]]),
        para("Table 2. Obligations by article.", style="Caption"),
        table([[cell("Article"), cell("United States"), cell("Japan")],
               [cell("Article 5"), cell("defend Japan", span=2)],
               [cell("Article 6", vmerge="restart"), cell("use of bases"), cell("grant bases")],
               [cell(vmerge="continue"), cell("Far East"), cell("consultation")]]),
        para(image("rIdImg1", "A grey square standing in for a map of the bases.", 1)),
        para("Figure 1. Bases in Japan, 1960.", style="Caption"),
        para("Source: compiled by the author."),
        para("A quotation from the treaty's preamble.", style="Quote"),
        para("A paragraph in a house style nobody mapped.", style="PullQuoteFancy"),
        para("日本語では", ruby("日米", "にちべい"), "同盟と呼ぶ。", footnote_ref(3)),
        para("Conclusion", style="Heading1"),
        para("The treaty endures."),
    )
    return doc


@pytest.fixture
def paper_docx(tmp_path: Path) -> Path:
    """The paper as a file."""
    return paper().write(tmp_path / "paper.docx")


def with_changes() -> Docx:
    """A short paper with a tracked insertion and deletion."""
    doc = Docx()
    doc.add(para("Revised", style="Title"), para("Body", style="Heading1"),
            para("The treaty was ", inserted("quickly ", 1), deleted("slowly ", 2), "ratified."))
    return doc
