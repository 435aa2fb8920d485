"""The downloadable citation files: BibTeX, RIS and CSL-JSON."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from ..i18n import babel_locale
from .styles import page_range

if TYPE_CHECKING:
    from .model import Citation, Person


CITE_FILES = {"bib": "cite.bib", "ris": "cite.ris", "csl": "cite.json"}
"""The citation files written beside each paper's page (and the volume's home), by format."""


FORMATS = {"bib": ("BibTeX", "application/x-bibtex"), "ris": ("RIS", "application/x-research-info-systems"),
           "csl": ("CSL-JSON", "application/vnd.citationstyles.csl+json")}
"""Each format's name (the same in every language) and media type, for download links."""


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _bib_escape(text: str) -> str:
    """A BibTeX field value: LaTeX's special characters escaped, braces balanced by escaping them."""
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def _bib_names(people: tuple[Person, ...]) -> str:
    # A name cited whole is braced so that BibTeX does not split it into first and last.
    return " and ".join(_bib_escape(p.inverted) if p.family else "{" + _bib_escape(p.name) + "}" for p in people)


def to_bibtex(c: Citation) -> str:
    """An ``@incollection`` (paper) or ``@book`` (volume) entry, UTF-8."""
    fields: list[tuple[str, str]] = []
    if c.authors:
        fields.append(("author", _bib_names(c.authors)))
    fields.append(("title", _bib_escape(c.full_title)))
    if c.kind == "chapter":
        fields.append(("booktitle", _bib_escape(c.full_book_title)))
    if c.editors:
        fields.append(("editor", _bib_names(c.editors)))
    for name, value in (("publisher", c.publisher), ("year", c.year)):
        if value:
            fields.append((name, _bib_escape(value)))
    if c.date and c.date_precision in ("month", "day"):
        fields.append(("month", MONTHS[c.date.month - 1]))
    for name, value in (("pages", page_range(c, "--")), ("isbn", c.isbn), ("doi", c.doi),
                        ("url", c.absolute(c.page_path)), ("language", _language_en(c.lang)),
                        ("keywords", ", ".join(c.keywords)), ("abstract", c.abstract),
                        ("copyright", c.rights.statement)):
        if value:
            fields.append((name, _bib_escape(value)))
    kind = "incollection" if c.kind == "chapter" else "book"
    body = ",\n".join(f"  {name} = {{{value}}}" if name != "month" else f"  {name} = {value}"
                      for name, value in fields)
    return f"@{kind}{{{c.key},\n{body}\n}}\n"


def _language_en(lang: str) -> str:
    """The language's English name, lower case, as BibTeX styles (babel, biblatex) name it."""
    return (babel_locale(lang).get_language_name("en") or lang).lower()


def _ris_date(c: Citation) -> str:
    if c.date is None:
        return ""
    parts = [f"{c.date.year:04d}", f"{c.date.month:02d}" if c.date_precision != "year" else "",
             f"{c.date.day:02d}" if c.date_precision == "day" else ""]
    return "/".join(parts) + "/"


def to_ris(c: Citation) -> str:
    """A RIS record (``CHAP`` or ``BOOK``); names cited whole are written as they are."""
    lines: list[tuple[str, str]] = [("TY", "CHAP" if c.kind == "chapter" else "BOOK")]
    lines += [("AU", p.inverted) for p in c.authors]
    lines.append(("TI", c.full_title))
    if c.kind == "chapter":
        lines.append(("T2", c.full_book_title))
        lines += [("A2", p.inverted) for p in c.editors]
    else:
        lines += [("A2", p.inverted) for p in c.editors]
    for tag, value in (("PB", c.publisher), ("PY", c.year), ("DA", _ris_date(c)), ("SP", c.first_page),
                       ("EP", c.last_page), ("SN", c.isbn), ("DO", c.doi), ("UR", c.absolute(c.page_path)),
                       ("L1", c.absolute(c.pdf_path)), ("LA", c.lang), ("AB", c.abstract),
                       ("C3", c.rights.statement)):
        if value:
            lines.append((tag, value))
    lines += [("KW", k) for k in c.keywords]
    lines.append(("ID", c.key))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines) + "ER  - \n"


def _csl_names(people: tuple[Person, ...]) -> list[dict[str, str]]:
    return [{"family": p.family, "given": p.given} if p.family else {"literal": p.name} for p in people]


def csl_item(c: Citation) -> dict[str, object]:
    """The work as one CSL-JSON item (what Zotero, Pandoc and citeproc read)."""
    item: dict[str, object] = {"id": c.key, "type": "chapter" if c.kind == "chapter" else "book",
                               "title": c.full_title, "language": c.tag}
    if c.authors:
        item["author"] = _csl_names(c.authors)
    if c.editors:
        item["editor"] = _csl_names(c.editors)
    if c.kind == "chapter":
        item["container-title"] = c.full_book_title
    if c.date is not None:
        parts = [c.date.year] + ([c.date.month] if c.date_precision != "year" else []) \
            + ([c.date.day] if c.date_precision == "day" else [])
        item["issued"] = {"date-parts": [parts]}
    for name, value in (("publisher", c.publisher), ("ISBN", c.isbn), ("DOI", c.doi), ("page", page_range(c, "-")),
                        ("URL", c.absolute(c.page_path)), ("abstract", c.abstract),
                        ("keyword", ", ".join(c.keywords))):
        if value:
            item[name] = value
    return item


def to_csl_json(c: Citation) -> str:
    """A CSL-JSON file: a list holding the one item, UTF-8, keys sorted so that builds are byte-identical."""
    return json.dumps([csl_item(c)], ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def citation_files(c: Citation) -> dict[str, bytes]:
    """The citation files of a work by site path (``ja/introduction/cite.bib``…)."""
    return {c.file_path("bib"): to_bibtex(c).encode("utf-8"), c.file_path("ris"): to_ris(c).encode("utf-8"),
            c.file_path("csl"): to_csl_json(c).encode("utf-8")}
