"""Issue 11, measured from the PDFs of the fixture ``a_ragged`` (long words everywhere on A5): only body
text is hyphenated — table cells, captions, headings, affiliations and the contents are ragged and keep their
words whole — and one paragraph-indent rule holds for every document in both languages."""

from __future__ import annotations

from collections import Counter

import pdfplumber

HYPHEN = "\u2010"


def _lines(path) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every line of every page: its text, first character's x, font size and the last character's font,
    and the page's text-block left edge (the smallest x of body-size lines)."""
    lines = []
    with pdfplumber.open(path) as pdf:
        body_size = Counter(round(c["size"], 1) for page in pdf.pages for c in page.chars).most_common(1)[0][0]
        for page in pdf.pages:
            rows: dict[int, list[dict]] = {}
            for char in page.chars:
                rows.setdefault(round(char["top"]), []).append(char)
            on_page = []
            for top, chars in sorted(rows.items()):
                chars.sort(key=lambda c: c["x0"])
                visible = [c for c in chars if c["text"].strip()]
                on_page.append({"page": page.page_number, "text": "".join(c["text"] for c in chars),
                                "x0": visible[0]["x0"], "size": round(visible[0]["size"], 1),
                                "last": visible[-1]["text"], "font": visible[-1]["fontname"].split("+")[-1]})
            body = [line["x0"] for line in on_page if line["size"] == body_size]
            for line in on_page:
                line["left"] = min(body) if body else None
            lines += on_page
    return lines


def test_only_body_text_is_hyphenated(build_pdf) -> None:
    built = build_pdf("a_ragged")
    assert built.code == 0, built.log
    lines = _lines(built.pdf("ragged-en.pdf"))
    body_font = Counter(line["font"] for line in lines).most_common(1)[0][0]
    hyphenated = [line for line in lines if line["last"] == HYPHEN]
    assert hyphenated, "the body paragraph of long words is hyphenated: the check can see a hyphen"
    assert [(line["font"], line["text"]) for line in hyphenated if line["font"] != body_font] == []
    # The long words of the table, its caption, the figure caption, the heading, the affiliation and the
    # contents are whole on their lines (each block repeats some of them).
    text = "\n".join(line["text"] for line in lines)
    for word in ("Institutionalisation", "Counterintelligence", "Interdisciplinary", "Internationalisation",
                 "Responsibilities", "Representativeness"):
        assert word in text.replace("\n", " ") or word.lower() in text, word


def test_one_paragraph_indent_rule(build_pdf) -> None:
    """English: the first paragraph after a heading, a table or a figure is flush, the next one indented
    1 em; Japanese: every paragraph indented 1 em (JLReq)."""
    built = build_pdf("a_ragged")

    def offset(lines: list[dict], start: str) -> float:
        line = next(line for line in lines if line["text"].replace(" ", "").startswith(start.replace(" ", "")))
        return round((line["x0"] - line["left"]) / line["size"], 2)

    english = _lines(built.pdf("ragged-en.pdf"))
    assert offset(english, "The first paragraph after a heading") == 0
    assert offset(english, "The second paragraph is indented") == 1
    assert offset(english, "The paragraph after the figure") == 0
    japanese = _lines(built.pdf("ragged-ja.pdf"))
    assert offset(japanese, "見出しの後の最初の段落") == 1
    assert offset(japanese, "二つめの段落") == 1
