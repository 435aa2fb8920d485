"""Page furniture drawn at assembly: the body's folios and running heads come from one *sheet* per volume, laid
out once the papers' page counts are known, and are stamped on the assembled pages as pagination artifacts.

Why: a paper whose folios and running heads were laid out with it depended on where it starts, so the papers of
a language formed a chain (each waited for the page counts before it, and an edit that changed a paper's length
laid out every paper after it again). Now a paper is laid out with no margin box content at all
(:data:`NO_FURNITURE`): its layout, its PDF and its cache entry are the same wherever it lands, every paper is
laid out at once, and only the sheet (a page of margin boxes per body page, a second or two) and the front
matter (the contents' numbers) wait for the page counts.

The sheet (:func:`sheet_html`) is the print document's own head and stylesheet with each paper reduced to its
section (same classes, so the same named pages, page breaks and blank versos) holding its title, hidden, and
one empty block per further page. So the theme's ``@page`` rules draw the folios and heads exactly as they
would have in the paper's own layout: the side of each page, no heads on a paper's first page, nothing on blank
versos. Drawing the text from fonts the parts already embed was the other way; it was refused because a part's
subset holds only the glyphs its text used (a folio's digits in the heads' sans face are often not there) and
because the theme would lose its say over the furniture.

Each sheet page is stamped over its volume page as a form XObject inside ``/Artifact <</Type /Pagination>>
BDC … EMC`` (the sheet is laid out untagged: its content has no marked-content ids to dangle), so the structure
tree of the parts stays whole. A paper is laid out starting on a right-hand page; where it lands on a left-hand
one (the screen profile puts a paper at an even folio there) its pages move sideways by the difference between
the two sides' left margins (measured on the sheet and on the part), links and destinations with them.

Stamping runs in the parent or a worker (pikepdf, loaded only there); :func:`typeset_sheet` runs in a worker.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Sequence

from .jobs import PartJob, TypesetResult

FURNITURE_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC\n"
_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner", "right-top",
          "right-middle", "right-bottom", "bottom-right-corner", "bottom-right", "bottom-center", "bottom-left",
          "bottom-left-corner", "left-bottom", "left-middle", "left-top")
NO_FURNITURE = "@page { " + " ".join(f"@{box} {{ content: none !important; }}" for box in _BOXES) + " }\n"
"""A paper's own rule: no margin box draws anything (the sheet does), so its layout is the same at every folio."""
SHEET_CSS = (".chapter-title { visibility: hidden; bookmark-level: none; }\n"
             ".taiyaku-sheet { break-before: page; height: 0; margin: 0; }\n"
             "@page { marks: none; }\n")
"""The sheet's own rules: the papers' titles only set the running heads; one empty block per further page; no
crop marks (each part has its own, and the sheet's would be drawn twice)."""

_SECTION = re.compile(r"<section\b[^>]*>")
_TITLE = re.compile(r'<h1 class="chapter-title"[^>]*>.*?</h1>', re.S)
_ID = re.compile(r'\sid="[^"]*"')
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class SheetPaper:
    """One paper as the sheet needs it: its part's body, page count and short running head (or "")."""

    body: str
    pages: int
    running_head: str = ""


def sheet_html(head: str, papers: Sequence[SheetPaper], css: str) -> str:
    """The sheet: the print document's head, ``css`` (the papers' own rules) and the sheet's, and per paper its
    section with its title and ``pages - 1`` empty pages."""
    pieces = [head.replace("</head>", f"<style>\n{css}{SHEET_CSS}</style>\n</head>", 1), "\n"]
    for paper in papers:
        opening = _SECTION.search(paper.body)
        section = _ID.sub("", opening[0]) if opening else '<section class="chapter">'
        title = _TITLE.search(paper.body)
        heading = title[0] if title else '<h1 class="chapter-title"></h1>'
        if paper.running_head:
            text = paper.running_head.replace("\\", "\\\\").replace('"', '\\"')
            heading = heading.replace("<h1 ", f'<h1 style="string-set: chapter-title &quot;{html_lib.escape(text, quote=False)}&quot;" ', 1)
        pieces.append(section + heading + '<div class="taiyaku-sheet"></div>' * (paper.pages - 1) + "</section>\n")
    pieces.append("</body>\n</html>\n")
    return "".join(pieces)


def title_text(body: str) -> str:
    """A part's title as plain text (for messages and the running head's measure)."""
    title = _TITLE.search(body)
    return html_lib.unescape(_TAG.sub("", title[0])).strip() if title else ""


HEAD_SIZE_PT = 8.0
"""The running heads' size in the default theme (``print.css``: ``@top-left``/``@top-right``)."""
HEAD_SHARE = 2 / 3
"""A running head takes at most two thirds of the text block's width: set at the outer edge, a longer one
reads as a line of text and, past the whole width, wraps into the top margin."""
_WIDE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")
_SEPARATORS = (": ", "：", " — ", " – ", "――", "—")


def head_measure(page_size: str, lang: str) -> float:
    """The running head's measure in points: a share of the text block (the same width in both languages)."""
    from .geometry import SIZES

    _, _, body_pt, chars, _ = SIZES[page_size]
    return body_pt * chars * HEAD_SHARE


def head_width(text: str) -> float:
    """An estimate of ``text``'s width in points at the heads' size, without the fonts: a full-width character
    is 1 em, any other 0.55 em (Noto Sans's average advance for mixed-case text, a little generous)."""
    wide = len(_WIDE.findall(text))
    return (wide + 0.55 * (len(text) - wide)) * HEAD_SIZE_PT


def short_head(title: str, measure: float) -> str:
    """``title`` if it fits ``measure``; else its main title (before a colon or dash that starts a subtitle) if
    that fits; else the main title cut at the last word (for Japanese, character) that fits, with an ellipsis."""
    title = " ".join(title.split())
    if head_width(title) <= measure:
        return title
    for separator in _SEPARATORS:
        main = title.split(separator, 1)[0].strip()
        if main != title and main and head_width(main) <= measure:
            return main
    main = next((title.split(sep, 1)[0].strip() for sep in _SEPARATORS if sep in title), title)
    words = main.split(" ")
    cut = ""
    if len(words) > 1 and not _WIDE.search(main):
        for count in range(len(words), 0, -1):
            cut = " ".join(words[:count]).rstrip(",;:.")
            if head_width(cut + "…") <= measure:
                break
    else:
        for count in range(len(main), 0, -1):
            cut = main[:count].rstrip("、，,・")
            if head_width(cut + "…") <= measure:
                break
    return cut + "…"


def typeset_sheet(part: PartJob) -> TypesetResult:
    """Lay the sheet out and write it, untagged and without taiyaku's fixes but ``page-styles`` (margin boxes only);
    each page's left margin in ``page_lefts``. Never raises for a user's problem (in a worker)."""
    import time
    from pathlib import Path

    from . import weasy
    from .weasy.deferfonts import deferring
    from .weasy.fix import VERSION
    from .weasy.pagestyles import PAGE_STYLES

    result = TypesetResult(part.lang, part.label, weasyprint_version=VERSION)
    if PAGE_STYLES.applies():  # the one fix a sheet of margin boxes gains from (a page's styles made once)
        PAGE_STYLES.switch_on()
    started = time.perf_counter()
    try:
        document = weasy.render(part.html, part.base_url, weasy.VolumeFetcher(part.allowed_roots), None,
                                pdf_tags=False)
        result.pages = len(document.pages)
        result.page_lefts = weasy.page_lefts(document)
        result.layout_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with deferring():  # its fonts are subset with the volume's, at assembly
            data = document.write_pdf()
        Path(part.target).parent.mkdir(parents=True, exist_ok=True)
        Path(part.target).write_bytes(data)
        result.size_bytes = len(data)
        result.write_seconds = time.perf_counter() - started
    except Exception as exc:  # noqa: BLE001 - reported as the volume's error, in the worker
        result.error = f"the running heads and folios: {type(exc).__name__}: {exc}"
    return result


# --- stamping (pikepdf) ---------------------------------------------------------------------------------------


Placement = tuple[int, int, float]
"""(page index in the assembled PDF, page index in the sheet, points to move the page's own content right)."""


def place(body_start: int, starts: Sequence[int], part_lefts: Sequence[Sequence[float]],
          sheet_lefts: Sequence[float]) -> list[Placement]:
    """Where each sheet page goes: the papers start at folios ``starts`` (the body's first page is index
    ``body_start``); a page moves by its sheet page's left margin less the one its part was laid out with."""
    found = []
    for start, lefts in zip(starts, part_lefts):
        for index, left in enumerate(lefts):
            sheet = start - 1 + index
            shift = sheet_lefts[sheet] - left if sheet < len(sheet_lefts) else 0.0
            found.append((body_start + sheet, sheet, round(shift, 3)))
    return found


def stamp(out: Any, sheet_data: bytes, placements: Sequence[Placement],
          compress: Callable[[bytes], bytes] | None = None) -> None:
    """Draw each placement's sheet page over its page (of the ``pikepdf.Pdf`` ``out``) as a pagination
    artifact, after moving the page's own content (and its links and destinations) sideways where its side
    changed.

    The sheet page's operators are written into the page's own content stream (its resources renamed
    ``/F…`` beside the page's), not drawn as a form XObject: a stream and a form per page made the small
    sample's English volume 7 % larger, where the folios laid out in the parts cost nothing but their operators.
    ``compress``: the pages' content compressed from a memo (:class:`.deflated.DeflateMemo`).
    """
    import io

    from pikepdf import Pdf

    from .extract import narrow_fonts
    from .objects import deflated_stream

    sheet = Pdf.open(io.BytesIO(sheet_data))
    used = sorted({at for _, at, _ in placements})
    if len(used) < len(sheet.pages):  # an offprint: the glyphs of its own running heads and folios only
        narrow_fonts([sheet.pages[at] for at in used])
    pages = list(out.pages)
    moved: dict[tuple[int, int], float] = {}
    drawn: dict[int, tuple[bytes, dict[str, dict[str, Any]]]] = {}
    for index, at, shift in placements:
        page = pages[index]
        own = page.obj.get("/Resources")
        if own is None:
            own = page.obj.Resources = out.make_indirect(_dictionary())
        if at not in drawn:
            drawn[at] = _sheet_page(out, sheet.pages[at], own)
        operators, resources = drawn[at]
        for category, entries in resources.items():
            if category not in own:
                own[category] = _dictionary()
            for name, value in entries.items():
                if name not in own[category]:
                    own[category][name] = value
        before = b"q\n" + (f"1 0 0 1 {shift:g} 0 cm\n".encode() if shift else b"")
        page.obj.Contents = deflated_stream(out, before + _contents(page) + b"\nQ\n" + FURNITURE_ARTIFACT + operators
                                            + b"\nEMC\n", compress)
        if shift:
            _move_annotations(page, shift)
            moved[page.obj.objgen] = shift
    if moved:
        _move_destinations(out, moved)


def _dictionary() -> Any:
    from pikepdf import Dictionary

    return Dictionary()


def _contents(page: Any) -> bytes:
    """A page's content streams, decoded and joined."""
    from pikepdf import Array

    contents = page.obj.get("/Contents")
    if contents is None:
        return b""
    if isinstance(contents, Array):
        return b"\n".join(stream.read_bytes() for stream in contents)
    return contents.read_bytes()


_NAMED = {"Tf": "/Font", "gs": "/ExtGState", "Do": "/XObject", "sh": "/Shading", "cs": "/ColorSpace",
          "CS": "/ColorSpace", "scn": "/Pattern", "SCN": "/Pattern"}
"""Operators whose name operand is a resource, and the resource's category."""


def _sheet_page(out: Any, page: Any, own: Any) -> tuple[bytes, dict[str, dict[str, Any]]]:
    """A sheet page's operators with its resources renamed ``/F<name>`` (``/Furniture<name>`` if the page
    ``own``ing the result has that name), and those resources copied into ``out`` (category → name → object).
    A graphics state the page has under the same name with the same value keeps its name."""
    import pikepdf

    resources = page.obj.get("/Resources", pikepdf.Dictionary())
    used: dict[str, dict[str, Any]] = {}
    instructions = []
    for operands, operator in pikepdf.parse_content_stream(page):
        category = _NAMED.get(str(operator))
        if category is not None:
            operands = list(operands)
            for position, operand in enumerate(operands):
                if isinstance(operand, pikepdf.Name) and category in resources \
                        and str(operand) in resources[category]:
                    value = resources[category][str(operand)]
                    theirs = own.get(category, pikepdf.Dictionary()).get(str(operand))
                    if category == "/ExtGState" and theirs is not None and not value.is_indirect \
                            and not theirs.is_indirect and value.unparse() == theirs.unparse():
                        continue  # the same state under the same name (WeasyPrint's "/a1.0": opaque)
                    renamed = "/F" + str(operand)[1:]
                    if renamed in own.get(category, pikepdf.Dictionary()):
                        renamed = "/Furniture" + str(operand)[1:]
                    entries = used.setdefault(category, {})
                    if renamed not in entries:
                        entries[renamed] = _copy(out, value)
                    operands[position] = pikepdf.Name(renamed)
        instructions.append((operands, operator))
    return pikepdf.unparse_content_stream(instructions), used



def _copy(out: Any, value: Any) -> Any:
    """An object of the sheet in ``out``: indirect ones copied once (pikepdf remembers its copies per source),
    direct ones rebuilt around their copied references (WeasyPrint writes some resources inline)."""
    import pikepdf

    if getattr(value, "is_indirect", False):
        return out.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(out, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(out, item) for key, item in value.items()})
    return value


def _move_annotations(page: Any, shift: float) -> None:
    """Move a page's annotations ``shift`` points to the right (its content moves with a ``cm``)."""
    from pikepdf import Array

    for annot in page.obj.get("/Annots", []):
        for key in ("/Rect", "/QuadPoints"):
            values = annot.get(key)
            if values is not None:
                annot[key] = Array([float(v) + (shift if i % 2 == 0 else 0) for i, v in enumerate(values)])


def _move_destinations(out: Any, moved: dict[tuple[int, int], float]) -> None:
    """Explicit destinations (``[page /XYZ left top zoom]``) on moved pages: their left moves too."""
    from pikepdf import Array, Dictionary, Name

    done: set[tuple[int, int]] = set()

    def fix(dest: Any) -> None:
        if isinstance(dest, Dictionary):
            dest = dest.get("/D")
        if isinstance(dest, Array) and dest.is_indirect:
            if dest.objgen in done:  # shared: moved once
                return
            done.add(dest.objgen)
        if isinstance(dest, Array) and len(dest) >= 3 and dest[1] == Name.XYZ and dest[2] is not None \
                and hasattr(dest[0], "objgen") and dest[0].objgen in moved:
            try:
                dest[2] = float(dest[2]) + moved[dest[0].objgen]
            except (TypeError, ValueError):  # a null left: the viewer keeps its own
                pass

    names = out.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    if dests is not None:
        values = dests.get("/Names", Array())
        for position in range(1, len(values), 2):
            fix(values[position])
    pending = [out.Root.Outlines.get("/First")] if "/Outlines" in out.Root else []
    while pending:
        item = pending.pop()
        if item is None:
            continue
        fix(item.get("/Dest"))
        action = item.get("/A")
        if action is not None:
            fix(action.get("/D"))
        pending += [item.get("/Next"), item.get("/First")]
    for page in out.pages:
        for annot in page.obj.get("/Annots", []):
            fix(annot.get("/Dest"))
            action = annot.get("/A")
            if action is not None:
                fix(action.get("/D"))
