"""A document's site and print renderings from one Markdown parse (:func:`render_site_and_print`), and the print
renderings made so while the build reads, for the print stage to take (:func:`print_ahead`, :func:`take_print`).

Why: a build that makes PDFs renders every document twice, for the site while it reads and for print while it
plans, and Python-Markdown's preprocessing, block parsing and inline patterns are nine tenths of a rendering
(0.38 s of the sample x8's 0.42 s in print mode, all of it in the parent, while the worker started for the PDFs
has nothing to do yet). They do not depend on the mode: the two modes' Markdown differ only in taiyaku's tree
processor (priority 1: ids with the print prefix, notes inline for print, images and tables for the screen), the
screen's line breaking after it, and what runs after those. So the tree is made once, copied with its stash of
raw HTML, and each copy finished by its own mode's processors, serializer and postprocessors: the same HTML as two
:func:`.markup.render_markdown` calls (tested on every document of the sample and the test volumes). Where the two
modes' shared processors differ (an extension of either), each is rendered alone.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import markdown

from .markup import Rendered, RenderContext, markdown_for, render_markdown

SPLIT = "taiyaku"
"""The first tree processor that depends on the mode: those before it are shared."""


def render_site_and_print(body: str, site: RenderContext, printed: RenderContext) -> tuple[Rendered, Rendered]:
    """``render_markdown(body, site)`` and ``render_markdown(body, printed)``, from one parse."""
    if not body.strip():  # (Markdown.convert's own shortcut)
        return render_markdown(body, site), render_markdown(body, printed)
    site_md, print_md = markdown_for(site), markdown_for(printed)
    shared = _shared(site_md)
    if shared is None or shared != _shared(print_md):
        return render_markdown(body, site), render_markdown(body, printed)
    root = _tree(site_md, body)
    print_root = copy.deepcopy(root)
    print_md.htmlStash = copy.deepcopy(site_md.htmlStash)  # raw HTML and highlighted code the tree points into
    return _finish(site_md, root, site), _finish(print_md, print_root, printed)


def _split(md: markdown.Markdown) -> int | None:
    """How many tree processors run before :data:`SPLIT` (``None``: no split in this converter)."""
    return md.treeprocessors.get_index_for_name(SPLIT) if SPLIT in md.treeprocessors else None


def _shared(md: markdown.Markdown) -> list[type] | None:
    """What the two modes must have alike to share a parse: the preprocessors, block processors, inline patterns
    and tree processors before the split (their classes, in order); ``None`` without the split."""
    split = _split(md)
    if split is None:
        return None
    return [type(item) for registry in (md.preprocessors, md.parser.blockprocessors, md.inlinePatterns)
            for item in registry] + [type(item) for item in list(md.treeprocessors)[:split]]


def _tree(md: markdown.Markdown, body: str) -> Any:
    """``Markdown.convert``'s first steps: the lines preprocessed, the blocks parsed, the shared tree processors."""
    md.lines = body.split("\n")
    for preprocessor in md.preprocessors:
        md.lines = preprocessor.run(md.lines)
    root = md.parser.parseDocument(md.lines).getroot()
    for processor in list(md.treeprocessors)[:_split(md)]:
        made = processor.run(root)
        root = made if made is not None else root
    return root


def _finish(md: markdown.Markdown, root: Any, ctx: RenderContext) -> Rendered:
    """``Markdown.convert``'s last steps (the mode's tree processors, serializing, the top-level tag stripped,
    the postprocessors) and the rendering's findings."""
    for processor in list(md.treeprocessors)[_split(md):]:
        made = processor.run(root)
        root = made if made is not None else root
    output = md.serializer(root)
    if md.stripTopLevelTags:
        if output.strip().endswith(f"<{md.doc_tag} />"):  # nothing rendered (a body of reference definitions)
            output = ""
        else:
            start = output.index(f"<{md.doc_tag}>") + len(md.doc_tag) + 2
            end = output.rindex(f"</{md.doc_tag}>")
            output = output[start:end].strip()
    for postprocessor in md.postprocessors:
        output = postprocessor.run(output)
    return Rendered(output.strip(), ctx.headings, sorted(set(ctx.assets)), ctx.broken, ctx.footnotes)


class _Ahead:
    """Print renderings made while reading, by what :func:`..pdf.document.print_view` would render."""

    def __init__(self) -> None:
        self.wanted = False
        self.found: dict[tuple[object, ...], str] = {}


_AHEAD = _Ahead()


@contextmanager
def print_ahead(wanted: bool) -> Iterator[None]:
    """While the block runs (a build that makes PDFs), a document rendered for the site is rendered for print
    from the same parse (:func:`keep_print`); what the print stage did not take is dropped at the end."""
    _AHEAD.wanted, _AHEAD.found = wanted, {}
    try:
        yield
    finally:
        _AHEAD.wanted, _AHEAD.found = False, {}


def wants_print() -> bool:
    """Whether the read stage should render for print too (inside :func:`print_ahead`)."""
    return _AHEAD.wanted


def _key(ctx: RenderContext, body: str) -> tuple[object, ...]:
    return (str(ctx.content_dir.resolve()), ctx.lang, ctx.rel_path, ctx.id_prefix,
            tuple(sorted(ctx.slugs.items())), body)


def keep_print(printed: RenderContext, body: str, html: str) -> None:
    """Keep a print rendering made while reading."""
    if _AHEAD.wanted:
        _AHEAD.found[_key(printed, body)] = html


def take_print(ctx: RenderContext, body: str) -> str | None:
    """The print rendering of ``body`` in ``ctx`` made while reading, if any (taken: it is used once)."""
    return _AHEAD.found.pop(_key(ctx, body), None) if _AHEAD.found else None
