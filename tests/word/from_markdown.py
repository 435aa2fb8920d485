"""A translator's Word file made from a volume document: what a translator working in Word would deliver for
``content/ja/02-treaty-history.md`` (headings, notes, a captioned table, a numbered list, the front matter as
Title, Subtitle, Author, Affiliation, Bio, Abstract and Keywords paragraphs)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .docx_builder import Docx, cell, footnote_ref, para, run, table

_NOTE_CALL = re.compile(r"\[\^(\d+)\]")


def _runs(text: str) -> list[str]:
    """A paragraph's runs: text and footnote calls."""
    runs = []
    for number, piece in enumerate(_NOTE_CALL.split(text)):
        if number % 2:
            runs.append(footnote_ref(int(piece)))
        elif piece:
            runs.append(run(piece))
    return runs


def docx_from_markdown(path: Path) -> Docx:
    """The Word file for one of the sample's documents (its Markdown features, not Markdown in general)."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    doc = Docx()
    doc.add(para(meta["title"], style="Title"))
    if meta.get("subtitle"):
        doc.add(para(meta["subtitle"], style="Subtitle"))
    for author in meta.get("authors", []):
        doc.add(para(author["name"], style="Author"))
    for author in meta.get("authors", []):
        doc.add(para(author["affiliation"], style="Affiliation"), para(author["bio"], style="Bio"))
    doc.add(para(meta["abstract"], style="Abstract"))
    doc.add(para("キーワード：" + "、".join(meta["keywords"]), style="Keywords"))
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = block.split("\n")
        if block.startswith("[^"):
            for line in lines:
                match = re.match(r"\[\^(\d+)\]: (.*)", line)
                assert match, line
                doc.footnotes[int(match[1])] = [para(*_runs(match[2]))]
        elif block.startswith("## "):
            doc.add(para(block[3:], style="Heading1"))
        elif block.startswith("### "):
            doc.add(para(block[4:], style="Heading2"))
        elif block.startswith(": "):
            doc.add(para(block[2:], style="Caption"))
        elif block.startswith("|"):
            rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines if not line.startswith("|---")]
            doc.add(table([[cell(c) for c in row] for row in rows]))
        elif re.match(r"\d+\. ", block):
            for line in lines:
                doc.add(para(*_runs(line.split(". ", 1)[1]), style="ListParagraph", numbering=(2, 0)))
        else:
            doc.add(para(*_runs(" ".join(lines))))
    return doc
