"""Word's style names taiyaku understands; any other is reported where it is used.

Pandoc's ``+styles`` reading wraps every styled paragraph in a ``custom-style`` div and every styled run in a
span; the names are Word's (``heading 1``, ``footnote text``) as written in ``styles.xml``, compared here
without case.
"""

from __future__ import annotations

import re

PARAGRAPH_STYLES = frozenset({
    "normal", "body text", "body text 2", "body text 3", "body text first indent", "first paragraph", "compact",
    "no spacing", "plain text", "default", "list paragraph", "list", "list bullet", "list number", "list continue",
    "footnote text", "endnote text", "caption", "image caption", "table caption", "figure", "captioned figure",
    "quote", "intense quote", "block text", "title", "subtitle", "author", "abstract", "abstract title",
    "keywords", "date", "source", "figure source", "table source", "toc heading", "table paragraph",
    "table contents", "normal (web)", "bibliography", "affiliation", "author affiliation", "bio", "author bio",
    "biography",
    # Layout only (Word's indents, LibreOffice's and Google Docs' body styles): nothing for taiyaku to keep.
    "body text indent", "body text indent 2", "body text indent 3", "normal indent", "text body", "standard",
    "default paragraph style", "table heading", "list contents", "footnote", "endnote", "illustration", "drawing",
})
"""Paragraph styles with a meaning in taiyaku's Markdown (or none needed: body text)."""

CHARACTER_STYLES = frozenset({
    "default paragraph font", "footnote reference", "endnote reference", "footnote characters",
    "endnote characters", "hyperlink", "followedhyperlink", "annotation reference", "comment reference",
    "emphasis", "strong", "intense emphasis", "subtle emphasis", "book title", "verbatim char", "page number",
    "line number", "footnote text char", "endnote text char", "body text char", "quote char", "title char",
    "subtitle char", "caption char",
})
"""Character styles pandoc already maps to emphasis, links and notes, or that carry no meaning."""

CAPTION_STYLES = frozenset({"caption", "image caption", "table caption"})
SOURCE_STYLES = frozenset({"source", "figure source", "table source"})
KEYWORD_STYLES = frozenset({"keywords", "key words", "キーワード"})
AFFILIATION_STYLES = frozenset({"affiliation", "author affiliation"})
BIO_STYLES = frozenset({"bio", "author bio", "biography"})
_HEADING = re.compile(r"^(heading|見出し)\s*\d$")


def is_known(style: str, kind: str) -> bool:
    """Whether a paragraph (``kind="paragraph"``) or character style has a meaning taiyaku keeps."""
    name = style.strip().lower()
    if kind == "paragraph":
        return name in PARAGRAPH_STYLES or bool(_HEADING.match(name)) or name.startswith("toc ")
    return name in CHARACTER_STYLES or name.startswith("heading ") and name.endswith(" char")
