"""What a Word file does that taiyaku's Markdown cannot say as it is: each reported, none dropped in silence."""

from __future__ import annotations

from pathlib import Path

from helpers import run_taiyaku

from .conftest import needs_pandoc
from .docx_builder import Cell, Docx, cell, footnote_ref, image, para, png, run, table

pytestmark = needs_pandoc


def test_what_cannot_be_mapped_is_reported(volume: Path, tmp_path: Path) -> None:
    doc = Docx()
    doc.media["rIdImg1"] = png()
    doc.footnotes = {1: [para("Supported by a grant.")], 2: [para("A note in a cell.")]}
    doc.add(
        para("A Title With a Note", footnote_ref(1), style="Title"),
        para("Body", style="Heading1"),
        para(image("rIdImg1", "", 1)),
        para("Text between."),
        para("Table 9. A caption far from its table.", style="Caption"),
        para("More text."),
        table([[cell("Head"), cell("Other")], [Cell([para("Cell text", footnote_ref(2)), para("and more")]),
                                               cell("x")]]),
        para("# not a heading, * not a list: [^1] stays text_and_so_on."),
    )
    code, err = run_taiyaku("--root", volume, "import", doc.write(tmp_path / "edges.docx"))
    assert code == 0, err
    path = "content/en/02-a-title-with-a-note.md"
    text = (volume / path).read_text(encoding="utf-8")
    lines = text.split("\n")
    assert text.startswith('---\ntitle: "A Title With a Note"\norder: 2\n---\n')
    assert (f"{path}: warning: note: a note on the title, an author or the abstract is left out (front matter holds "
            "no notes; add it to the first paragraph if it belongs there): 'Supported by a grant.'") in err
    assert f"{path}:8: warning: alt-text: image 1 has no alt text" in err
    assert lines[7] == "![](figures/a-title-with-a-note-1.png)"
    assert (f"{path}:12: warning: caption: a 'caption' paragraph with no figure or table next to it: written as a "
            "paragraph") in err
    assert f"{path}:16: table: table 1 has cells with several paragraphs, lists or other blocks: written as an " \
           "HTML table" in err
    assert "<tr><td><p>Cell text[^1]</p><p>and more</p></td><td>x</td></tr>" in text
    assert f"{path}:16: warning: note: note [^1] is in a cell of an HTML table" in err
    assert "\n\\# not a heading, \\* not a list: \\[^1\\] stays text_and_so_on.\n" in text  # intraword: no emphasis
    code, err = run_taiyaku("--root", volume, "build", "--format", "html")
    assert code == 0, err


def test_a_title_without_latin_letters_needs_a_slug(volume: Path, tmp_path: Path) -> None:
    doc = Docx()
    doc.add(para("同盟の七十五年", style="Title"), para("本文。"))
    docx = doc.write(tmp_path / "論文.docx")
    code, err = run_taiyaku("--root", volume, "import", docx)
    assert (code, err.strip()) == (1, f"error: {docx}: import: no usable slug from the title '同盟の七十五年': give "
                                      "one with --slug")
    code, err = run_taiyaku("--root", volume, "import", docx, "--slug", "alliance")
    assert code == 0, err
    assert (volume / "content/en/02-alliance.md").read_text(encoding="utf-8") == (
        '---\ntitle: "同盟の七十五年"\norder: 2\n---\n\n本文。\n')


def test_emphasis_keeps_its_spaces_outside(volume: Path, tmp_path: Path) -> None:
    doc = Docx()
    doc.add(para("Spaces", style="Title"),
            para("An", run(" italic phrase ", italic=True), "and", run(" bold", bold=True), "."))
    code, err = run_taiyaku("--root", volume, "import", doc.write(tmp_path / "spaces.docx"))
    assert code == 0, err
    assert (volume / "content/en/02-spaces.md").read_text(encoding="utf-8").endswith(
        "\nAn *italic phrase* and **bold**.\n")


def test_abstract_and_keywords_without_their_styles(volume: Path, tmp_path: Path) -> None:
    doc = Docx()
    doc.add(para("Plain Manuscript", style="Title"), para("Abstract", style="Heading1"),
            para("What the paper finds, in ", run("two", italic=True), " sentences."), para("The second one."),
            para("Keywords: alliance, treaty"), para("Introduction", style="Heading1"), para("Text."))
    code, err = run_taiyaku("--root", volume, "import", doc.write(tmp_path / "plain.docx"))
    assert code == 0, err
    assert (volume / "content/en/02-plain-manuscript.md").read_text(encoding="utf-8") == (
        '---\ntitle: "Plain Manuscript"\norder: 2\nkeywords: ["alliance", "treaty"]\n'
        'abstract: "What the paper finds, in *two* sentences.\\n\\nThe second one."\n---\n\n## Introduction\n\nText.\n')
    assert "front-matter: the section 'Abstract' became the abstract" in err


def test_markdown_syntax_in_the_text_stays_text(volume: Path, tmp_path: Path) -> None:
    doc = Docx()
    doc.add(para("Syntax", style="Title"),
            para(run("one", italic=True), run("two", bold=True), " {#id} <b>not bold</b> & &amp; 5*3*2"),
            para("---"), para("1. not a list"),
            para("line one", '<w:r><w:br/></w:r>', "## not a heading"))
    code, err = run_taiyaku("--root", volume, "import", doc.write(tmp_path / "syntax.docx"))
    assert code == 0, err
    body = (volume / "content/en/02-syntax.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == ("\n*one*<strong>two</strong> \\{#id\\} &lt;b>not bold&lt;/b> & &amp;amp; 5\\*3\\*2\n\n\\---\n\n"
                    "1\\. not a list\n\nline one  \n\\## not a heading\n")
    code, err = run_taiyaku("--root", volume, "build", "--format", "html")
    assert code == 0, err
    page = (volume / "build/html/en/syntax/index.html").read_text(encoding="utf-8")
    assert "<em>one</em><strong>two</strong> {#id} &lt;b&gt;not bold&lt;/b&gt; &amp; &amp;amp; 5*3*2" in page
    assert "<p>-&ndash;</p>" in page and "<p>1. not a list</p>" in page  # smarty's dashes, not a rule
    assert "line one<br>\n## not a heading" in page or "line one<br />\n## not a heading" in page
