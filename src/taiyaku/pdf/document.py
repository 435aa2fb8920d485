"""Assemble the print HTML: the volume in one language (``print/volume.html`` + ``print/print.css``) and
offprint covers (``print/offprint.html``), prepared for WeasyPrint by :mod:`.prepare`."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from ..citations.volume import cover_for, rights_for
from ..i18n import UIStrings, html_lang
from ..lang import is_japanese_language
from ..model import Author, Volume
from ..read.markup import RenderContext, render_markdown
from ..read.pair import take_print
from ..rendercache import RenderStore, folder_state
from ..theme import make_environment, render_template
from ..views import DocumentView, VolumeView, reading_order, volume_view
from .citation import Citation
from .geometry import page_geometry
from .furniture import NO_FURNITURE
from .jobs import PartSource
from .prepare import open_tags, prepare_document

_PART = re.compile(r"<!--taiyaku-part (\S+)-->\n?")
_END = "<!--taiyaku-part-end-->"
_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'(\shref=")#([^"]+)"')


@dataclass(frozen=True)
class ContributorView:
    """One contributor for the print contributors section."""

    name: str
    affiliation: str
    bio: str
    tag: str


def print_view(volume: Volume, lang: str, store: RenderStore | None = None) -> VolumeView:
    """The volume as the print templates see it: document bodies rendered in print mode (kept in ``store``)."""
    root = volume.root
    html_for: dict[str, str] = {}
    slugs_by_lang = {
        other: {d.source.rel_path: d.slug for d in docs} for other, docs in volume.documents.items()
    }
    # What a rendering depends on besides its text: the language's other documents (links) and files (images).
    context_of = {other: json.dumps(sorted(slugs.items())) + "\0" + folder_state(root / "content" / other)
                  for other, slugs in slugs_by_lang.items()} if store is not None else {}
    for doc in reading_order(volume, lang):
        ctx = RenderContext(doc.lang, doc.source.rel_path, root / "content" / doc.lang, slugs_by_lang[doc.lang],
                            "print", id_prefix=f"{doc.slug}:")
        if store is None:
            html_for[doc.slug] = _print_html(doc.body, ctx)
            continue
        html_for[doc.slug] = store.memo(
            "print-markdown", (str(ctx.content_dir.resolve()), doc.lang, doc.source.rel_path, ctx.id_prefix,
                               context_of[doc.lang], doc.body),
            functools.partial(_print_html, doc.body, ctx))
    view = volume_view(volume, lang, html_for)
    # Stand-ins for missing translations are rendered from their own language (the view gives them the
    # site's HTML): new views with the print HTML, the view's own objects left as they are.
    view.documents = [doc_view if doc_view.lang == lang else
                      dataclasses.replace(doc_view, html=type(doc_view.html)(html_for[doc_view.slug]))
                      for doc_view in view.documents]
    return view


def _print_html(body: str, ctx: RenderContext) -> str:
    """A body rendered for print: as the build rendered it while reading (:mod:`..read.pair`), else now."""
    kept = take_print(ctx, body)
    return kept if kept is not None else render_markdown(body, ctx).html


def print_css(volume: Volume, lang: str, strings: UIStrings, profile: str = "screen") -> str:
    """The print stylesheet for one language and profile."""
    env = make_environment(volume.root, strings)
    geometry = page_geometry(volume.config.page_size, lang, profile)
    return render_template(env, "print/print.css", volume.root, page=geometry, lang=lang, tag=html_lang(lang),
                           profile=profile)


def contributors(view: VolumeView) -> list[ContributorView]:
    """Every author with a biography, once, in order of appearance."""
    found: list[ContributorView] = []
    seen: set[str] = set()
    for doc_view in view.documents:
        for author in doc_view.authors:
            if author.name not in seen and author.bio:
                seen.add(author.name)
                found.append(_contributor(author, doc_view.tag))
    return found


def keywords(view: VolumeView) -> list[str]:
    """The papers' keywords, once each, for the PDF's metadata."""
    found: list[str] = []
    for doc_view in view.documents:
        for keyword in doc_view.meta.get("keywords") or []:
            if isinstance(keyword, str) and keyword not in found:
                found.append(keyword)
    return found


def copyright_line(view: VolumeView) -> str:
    """The imprint's © line: year, holder, licence.

    The holder is the volume's ``copyright`` setting, else its publisher, else its editors; the licence its
    ``license`` setting. (``copyright`` and ``license`` are read from the view when the config offers them.)
    """
    holder = getattr(view, "copyright", "") or view.publisher or ", ".join(view.editors)
    year = re.search(r"\d{4}", view.date or "")
    japanese = is_japanese_language(view.lang)
    # Japanese: the holder follows the year directly (taiyaku's ¼ em between them, JLReq).
    line = " ".join(part for part in ("©", year.group(0) if year else "") if part)
    line += ("" if japanese else " ") + holder
    licence = getattr(view, "license", "")
    if licence:
        line += "\u3000" + licence if japanese else ". " + licence
    return line if holder else ""


def print_document(volume: Volume, lang: str, strings: UIStrings, profile: str = "screen",
                   typography: bool = True, view: VolumeView | None = None, css: str | None = None,
                   store: RenderStore | None = None) -> str:
    """The HTML of the whole volume in ``lang``, ready for WeasyPrint (prepared unless ``typography`` is off;
    each part's preparation kept in ``store``)."""
    view = view or print_view(volume, lang)
    env = make_environment(volume.root, strings)
    css = css if css is not None else print_css(volume, lang, strings, profile)
    cover = cover_for(volume, lang)
    rights = rights_for(volume, lang)
    # The print document's base is content/_/, two folders below the volume's root.
    cover_src = f"../../{cover.path}" if cover is not None else ""
    html = render_template(env, "print/volume.html", volume.root, volume=view, lang=lang, tag=html_lang(lang),
                           css=Markup(css), contributors=contributors(view), keywords=keywords(view),
                           profile=profile, copyright=rights.statement or copyright_line(view), cover=cover,
                           cover_src=cover_src)
    if not typography:
        return html
    return prepare_parts(html, store) if store is not None else prepare_document(html)[0]


_PART_START = re.compile(r"<!--taiyaku-part ")


def _prepared_after(opening: str, piece: str) -> str:
    return prepare_document(opening + piece)[0]


def prepare_parts(html: str, store: RenderStore) -> str:
    """:func:`.prepare.prepare_document` of the print document, part by part, each part's result kept in
    ``store``: an edit prepares only its own part again.

    The same bytes as preparing the whole: the parts follow one another at one level (``print/volume.html``: in
    ``<body>``), where no text flow, note numbering (per chapter) or open element crosses from one part to the
    next; each part is prepared after the start tags of the elements open around the first part (the language
    it inherits), which come out unchanged and are cut off again. Should they not (a volume's own template
    opening a footnote around its parts), the whole document is prepared at once.
    """
    starts = [m.start() for m in _PART_START.finditer(html)]
    if not starts:
        return store.memo("prepare", (html,), lambda: prepare_document(html)[0])
    opening = open_tags(html[:starts[0]])
    pieces = [html[:starts[0]]] + [html[a:b] for a, b in zip(starts, starts[1:] + [len(html)])]
    out = [store.memo("prepare", (pieces[0],), lambda: prepare_document(pieces[0])[0])]
    for piece in pieces[1:]:
        prepared = store.memo("prepare-part", (opening, piece),
                              functools.partial(_prepared_after, opening, piece))
        if not prepared.startswith(opening):
            return prepare_document(html)[0]
        out.append(prepared[len(opening):])
    return "".join(out)


def offprint_cover(volume: Volume, view: VolumeView, doc_view: DocumentView, lang: str, strings: UIStrings,
                   css: str, citation: Citation, store: RenderStore | None = None,
                   env: jinja2.Environment | None = None) -> str:
    """The HTML of an offprint's cover page (``PAGES_MARK`` where the page range goes); its preparation kept
    in ``store``. ``env``: the language's template environment, when the caller makes many covers (one
    environment loads the template once)."""
    env = env or make_environment(volume.root, strings)
    html = render_template(env, "print/offprint.html", volume.root, volume=view, doc=doc_view, lang=lang,
                           tag=html_lang(lang), css=Markup(css), citation=citation)
    if store is None:
        return prepare_document(html)[0]
    return store.memo("prepare", (html,), lambda: prepare_document(html)[0])


def _contributor(author: Author, tag: str) -> ContributorView:
    return ContributorView(author.name, author.affiliation, author.bio, tag)


def split_parts(html: str) -> tuple[str, tuple[PartSource, ...]]:
    """The print document's head (up to ``<body …>``) and its parts, as ``print/volume.html`` marks them.

    A link to an element of another part points to ``DEST_SCHEME`` + its id; the assembler makes it a link
    to the page where that element is.
    """
    from .assemble import (
        DEST_SCHEME,  # here: pikepdf is not worth loading for commands that make no PDF
    )

    pieces = _PART.split(html)
    if len(pieces) < 3:
        return html, ()
    head, rest = pieces[0], pieces[1:]
    rest[-1] = rest[-1].split(_END, 1)[0]
    parts = []
    for name, body in zip(rest[::2], rest[1::2]):
        own = set(_ID.findall(body))
        body = _HREF.sub(lambda m: m.group(0) if m.group(2) in own else f'{m.group(1)}{DEST_SCHEME}{m.group(2)}"',
                         body)
        parts.append(PartSource(name, body))
    return head, tuple(parts)


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def part_html(head: str, body: str, css: str) -> str:
    """A part as a document of its own: the print document's head, ``css`` after the print stylesheet."""
    style = f"<style>\n{css}</style>\n" if css else ""
    return head.replace("</head>", style + "</head>", 1) + "\n" + body + "</body>\n</html>\n"


def chapter_css(title: str) -> str:
    """A paper's own rules: the volume's title for the running heads (set on the cover), and no margin box
    content — the folios and running heads are drawn at assembly (:mod:`.furniture`), so the paper's layout
    does not depend on where it starts. It starts on a right-hand page; the assembly moves it if it lands on a
    left-hand one."""
    return running_title_css(title) + NO_FURNITURE


def running_title_css(title: str) -> str:
    """The rule that gives the running heads the volume's title (a part without the cover has no other)."""
    return f"body {{ string-set: volume-title {_css_string(title)}; }}\n"


def front_css(folios: dict[str, int]) -> str:
    """The front matter's own rules: the contents' page numbers, written in as text (``data-folio``)."""
    return ".contents li a::after { content: leader('.') attr(data-folio); }\n" if folios else ""


def front_body(body: str, folios: dict[str, int]) -> str:
    """The front matter with each contents entry's page number (the paper's first folio) in ``data-folio``."""
    from .assemble import DEST_SCHEME

    for slug, folio in folios.items():
        link = f'href="{DEST_SCHEME}{slug}"'
        body = body.replace(link, f'{link} data-folio="{folio}"')
    return body


_BODY = re.compile(r"<body\b[^>]*>")
COVER_ID = "taiyaku-cover-"
"""Prefix of the id of the division that holds one cover in :func:`covers_html` (not kept in the PDFs)."""
_COVER_BREAK = "<style>.taiyaku-cover + .taiyaku-cover { break-before: right; }</style>"
"""Each cover on a right-hand page, as when laid out alone (left and right pages have different margins); the
blank pages this leaves between covers are not written."""


def covers_html(covers: list[tuple[str, str]]) -> str:
    """One document of several offprint covers (slug, HTML) of a language: the first cover's head (they share
    the print stylesheet), each cover's body in a division that starts a page and is named by the slug."""
    first = covers[0][1]
    body = _BODY.search(first)
    if body is None:
        raise ValueError(f"{covers[0][0]}: the cover's HTML has no <body>")
    head = first[:body.end()].replace("</head>", _COVER_BREAK + "</head>", 1)
    pieces = [head]
    for slug, html in covers:
        opening = _BODY.search(html)
        end = html.rfind("</body>")
        if opening is None or end < 0:
            raise ValueError(f"{slug}: the cover's HTML has no <body>")
        pieces.append(f'<div class="taiyaku-cover" id="{COVER_ID}{slug}">{html[opening.end():end]}</div>')
    pieces.append("</body></html>")
    return "".join(pieces)


def covers_head(batch: str) -> str:
    """A batch of covers' head, to ``<body>`` (:func:`covers_html`): what its covers share."""
    body = _BODY.search(batch)
    return batch[:body.end()] if body is not None else batch


BLANK_CSS = ("html { break-before: left; }\n"
             "@page :left { @top-left { content: none; } @bottom-center { content: none; } }\n"
             "@page :right { @top-right { content: none; } @bottom-center { content: none; } }\n")
"""A blank left-hand page before a paper that must start on the right (print profile): no running head, no
folio (crop marks as on every page)."""
