"""An author's paper from Word: the imported document checks and builds, and its notes, tables, headings,
figure and front matter are the Word file's; what could not be mapped is reported at its line."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as etree

import yaml

from helpers import parse_html, run_taiyaku

from .conftest import needs_pandoc

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOC = "content/en/02-treaties-and-their-afterlives.md"

pytestmark = needs_pandoc


def _import(volume: Path, docx: Path, *args: str) -> tuple[int, str]:
    return run_taiyaku("--root", volume, "import", docx, *args)


def _docx_notes(docx: Path) -> list[tuple[str, str]]:
    """(kind, text) of every note in the order of its call in document.xml, from footnotes.xml and endnotes.xml."""
    with zipfile.ZipFile(docx) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        texts: dict[tuple[str, str], str] = {}
        for kind in ("footnote", "endnote"):
            root = etree.fromstring(archive.read(f"word/{kind}s.xml"))
            for note in root.iter(f"{W}{kind}"):
                paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")).strip() for p in note.iter(f"{W}p")]
                texts[(kind, note.get(f"{W}id", ""))] = " ".join(paragraphs)
    calls = [el for el in document.iter() if el.tag in (f"{W}footnoteReference", f"{W}endnoteReference")]
    return [(kind, texts[(kind, el.get(f"{W}id", ""))]) for el in calls
            for kind in ["footnote" if el.tag.endswith("footnoteReference") else "endnote"]]


def _markdown_notes(text: str) -> dict[str, str]:
    """Note label → its plain text (paragraphs joined by a space, emphasis marks removed)."""
    notes: dict[str, list[str]] = {}
    current = None
    for line in text.split("\n"):
        match = re.match(r"^\[\^(\w+)\]: (.*)$", line)
        if match:
            current = match[1]
            notes[current] = [match[2]]
        elif current and line.startswith("    "):
            notes[current].append(line.strip())
        elif current and line.strip():
            current = None
    return {label: re.sub(r"\*+", "", " ".join(parts)) for label, parts in notes.items()}


def test_imported_paper_checks_and_builds(volume: Path, paper_docx: Path) -> None:
    code, err = _import(volume, paper_docx)
    assert code == 0, err
    assert (volume / DOC).is_file()
    assert (volume / "content/en/figures/treaties-and-their-afterlives-1.png").is_file()
    code, err = run_taiyaku("--root", volume, "check")
    assert code == 0, err
    code, err = run_taiyaku("--root", volume, "build", "--format", "html")
    assert code == 0, err
    assert "warning" not in err
    page = parse_html(volume / "build/html/en/treaties-and-their-afterlives/index.html")
    body = page.find("div", class_="body")

    headings = [(h.tag, h.text.strip()) for h in body.iter() if h.tag in ("h2", "h3")]
    assert headings == [("h2", "Introduction"), ("h3", "The Documents"), ("h2", "Conclusion")]

    pipe, merged = body.find_all("table")
    assert pipe.find("caption").text == "Table 1. Key documents."
    assert [[c.text for c in row.iter() if c.tag in ("th", "td")] for row in pipe.find_all("tr")] == [
        ["Year", "Document"], ["1951", "Security Treaty"], ["1960", "Treaty of Mutual Cooperation"]]
    assert merged.find("caption").text == "Table 2. Obligations by article."
    cells = [[(c.text, c.attrs.get("colspan"), c.attrs.get("rowspan")) for c in row.iter() if c.tag in ("th", "td")]
             for row in merged.find_all("tr")]
    assert cells == [[("Article", None, None), ("United States", None, None), ("Japan", None, None)],
                     [("Article 5", None, None), ("defend Japan", "2", None)],
                     [("Article 6", None, "2"), ("use of bases", None, None), ("grant bases", None, None)],
                     [("Far East", None, None), ("consultation", None, None)]]

    figure = body.find("figure")
    assert figure.find("img").attrs["alt"] == "A grey square standing in for a map of the bases."
    assert figure.find("span", class_="caption").text == "Figure 1. Bases in Japan, 1960."
    assert figure.find("span", class_="source").text == "Source: compiled by the author."
    assert body.find("ruby").text == "日米にちべい"
    assert body.find("rt").text == "にちべい"
    assert [li.text.split("\n")[0] for li in body.find("ul").find_all("li")][:1] == ["Shocks come first"]
    assert [li.text for li in body.find("ul").find("ol").find_all("li")] == ["in Asia", "in Europe"]
    assert body.find("blockquote").text.strip() == "A quotation from the treaty’s preamble."  # smarty
    assert body.find("a", href="https://example.org/treaty").text == "the treaty"


def test_every_note_is_the_docx_note(volume: Path, paper_docx: Path) -> None:
    code, err = _import(volume, paper_docx)
    assert code == 0, err
    text = (volume / DOC).read_text(encoding="utf-8")
    expected = _docx_notes(paper_docx)
    written = _markdown_notes(text)
    assert list(written) == [str(n) for n in range(1, len(expected) + 1)]
    assert list(written.values()) == [note_text for _kind, note_text in expected]
    # Word's endnote (the third call) is a note like the others, and the import says so.
    assert [kind for kind, _ in expected] == ["footnote", "footnote", "endnote", "footnote"]
    assert f"{DOC}: endnote: Word's endnotes became notes [^3]" in err
    # A note of two paragraphs: the second indented under the first.
    assert "[^2]: A note of two paragraphs, the first.\n\n    The second paragraph of the note.\n" in text


def test_markdown_follows_taiyakus_dialect(volume: Path, paper_docx: Path) -> None:
    code, err = _import(volume, paper_docx)
    assert code == 0, err
    text = (volume / DOC).read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    assert body.startswith("\n## Introduction\n")
    assert "The treaty was signed in *San Francisco* in 1951.[^1] Its text is **not** long. See " \
           "[the treaty](https://example.org/treaty).\n" in body
    assert "- Shocks come first\n    1. in Asia\n    2. in Europe\n- Law comes later\n" in body
    assert ": Table 1. Key documents.\n\n| Year | Document |\n|---|---|\n| 1951 | Security Treaty |\n" in body
    assert "<tr><td>Article 5</td><td colspan=\"2\">defend Japan</td></tr>" in body
    assert ("![A grey square standing in for a map of the bases.](figures/treaties-and-their-afterlives-1.png)\n"
            "Figure 1. Bases in Japan, 1960.\nSource: compiled by the author.\n") in body
    assert "> A quotation from the treaty's preamble.\n" in body
    assert "日本語では<ruby>日米<rt>にちべい</rt></ruby>同盟と呼ぶ。[^4]\n" in body
    assert "### The Documents\n" in body and "\n## Conclusion\n" in body


def test_front_matter_from_styles(volume: Path, paper_docx: Path) -> None:
    code, err = _import(volume, paper_docx)
    assert code == 0, err
    front = yaml.safe_load((volume / DOC).read_text(encoding="utf-8").split("---\n")[1])
    assert front == {
        "title": "Treaties and Their Afterlives", "subtitle": "A Study in Adaptation",
        "authors": [{"name": "Jane Q. Author", "affiliation": "Professor, Example University"},
                    {"name": "Ken Tanaka", "affiliation": "Associate Professor, Sample College"}],
        "order": 2, "keywords": ["alliance", "treaty", "adaptation"],
        "abstract": "This paper traces how treaties adapt without amendment.",
    }


def test_unmapped_styles_and_comments_are_reported_where_they_are(volume: Path, paper_docx: Path) -> None:
    code, err = _import(volume, paper_docx)
    assert code == 0, err
    lines = (volume / DOC).read_text(encoding="utf-8").split("\n")

    def reported(category: str) -> tuple[int, str]:
        match = re.search(rf"^{re.escape(DOC)}:(\d+): warning: {category}: (.*)$", err, re.M)
        assert match, err
        return int(match[1]), match[2]

    line, message = reported("style")
    assert message == ("Word style 'Pull Quote Fancy' has no taiyaku equivalent: its text is written as plain "
                       "text (1 place, the first here)")
    assert lines[line - 1] == "A paragraph in a house style nobody mapped."
    line, message = reported("comment")
    assert message == ("Word comment by Editor on 'a commented phrase' left out: 'Check the date against the "
                       "treaty text.'")
    assert "a commented phrase" in lines[line - 1]
    assert f"{DOC}:" in err and "table 2 has merged cells: written as an HTML table" in err
    assert err.rstrip().endswith("; 2 warning(s) above")


def test_title_from_core_properties_and_authors_reported(volume: Path, tmp_path: Path) -> None:
    from .docx_builder import Docx, para

    doc = Docx(core={"dc:title": "A Title Kept in the File's Properties", "dc:creator": "Ann Writer"})
    doc.add(para("Only Section", style="Heading2"), para("Text."))
    code, err = _import(volume, doc.write(tmp_path / "props.docx"), "--slug", "props")
    assert code == 0, err
    text = (volume / "content/en/02-props.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "A Title Kept in the File\'s Properties"\nauthors:\n  - name: "Ann Writer"\n')
    assert "\n## Only Section\n" in text  # the top heading level becomes ##, whatever Word's level was
    assert "the authors are the file's Author property ('Ann Writer'); check them" in err


def test_replacing_keeps_what_the_word_file_does_not_give(volume: Path, paper_docx: Path) -> None:
    code, err = _import(volume, paper_docx)
    assert code == 0, err
    document = volume / DOC
    text = document.read_text(encoding="utf-8")
    # The editor adds a bio and a check setting by hand; the author's revised Word file has neither.
    text = text.replace('    affiliation: "Professor, Example University"\n',
                        '    affiliation: "Professor, Example University"\n    bio: "Jane writes on treaties."\n')
    text = text.replace("\n---\n", "\ncheck: {ignore: [numbers]}\n---\n", 1)
    document.write_text(text, encoding="utf-8")
    code, err = _import(volume, paper_docx, "--force")
    assert code == 0, err
    front = yaml.safe_load(document.read_text(encoding="utf-8").split("---\n")[1])
    assert front["authors"][0] == {"name": "Jane Q. Author", "affiliation": "Professor, Example University",
                                   "bio": "Jane writes on treaties."}
    assert front["check"] == {"ignore": ["numbers"]}
    assert (f"{DOC}: front-matter: kept from the document it replaces, which the Word file does not give: "
            "author 1's bio, check\n") in err
