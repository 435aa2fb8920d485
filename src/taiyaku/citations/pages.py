"""Page numbers in citations known only after typesetting: a token stands for each until the PDF's page ranges
are known (:func:`page_token`, :func:`fill_pages`)."""

from __future__ import annotations

import re


PAGE_TOKEN = "taiyaku-page:"


_PAGE_TOKEN = re.compile(r"taiyaku-page:(first|last):([^;]+);")


_EMPTY_PAGE_META = re.compile(r'<meta name="citation_(?:first|last)page" content="">\n?')


_PAGES_SPAN = re.compile(r'<span class="pages">[^<]*</span>')


def page_token(which: str, pdf_path: str) -> str:
    """Stands for the ``first`` or ``last`` page (in the volume) of the offprint at ``pdf_path`` until known."""
    return f"{PAGE_TOKEN}{which}:{pdf_path};"


def fill_pages(data: bytes, ranges: dict[str, tuple[int, int]]) -> bytes:
    """Put the page numbers typesetting found in place of their tokens (as ``site.fill_sizes`` does for sizes).

    ``ranges`` maps an offprint's site path (``pdf/alliance-at-75-ja/introduction.pdf``) to its first and last
    page in the volume; a range not found leaves no empty Scholar tag behind.
    """
    if PAGE_TOKEN.encode() not in data:
        return data

    def number(match: re.Match[str]) -> str:
        found = ranges.get(match[2].replace("\\_", "_"))  # BibTeX escaped the path's underscores
        return str(found[0] if match[1] == "first" else found[1]) if found else ""

    def unknown(span: re.Match[str]) -> str:
        # The pages of a "Cite as" line, with their words ("pp. ", "頁"): gone whole if a number is not known.
        found = [ranges.get(path.replace("\\_", "_")) for _, path in _PAGE_TOKEN.findall(span[0])]
        return span[0] if all(found) else ""

    text = _PAGES_SPAN.sub(unknown, data.decode("utf-8"))
    text = _PAGE_TOKEN.sub(number, text)
    return _EMPTY_PAGE_META.sub("", text).encode("utf-8")
