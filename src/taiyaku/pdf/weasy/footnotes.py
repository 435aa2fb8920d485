"""Fixes for WeasyPrint 70's footnote layout, which loses or reorders notes; one :class:`Fix` (``footnotes``).

Footnotes (``weasyprint/layout/block.py``, ``layout/__init__.py``, ``layout/page.py``):

1. ``block._linebox_layout``: when a line overflows the page, WeasyPrint first moves the last footnotes of
   the page to the next one ("report" them) to make room, and if the line then fits it keeps the line and
   stops — without looking at the footnote calls *in that line*. Their bodies stay in the waiting list
   forever: the note is lost. The wrapper reports them to the next page too.
2. The same path reports notes from the end of the page's list while other notes are already reported, so
   the next page gets them out of order (``[10, 11, 9]``). Reported notes are kept in document order.
3. ``LayoutContext.unlayout_footnote``: when a paragraph that started on the previous page is laid out again
   (widows, a ``footnote-policy``, a block pushed down), WeasyPrint unlays every footnote call of the whole
   paragraph, including notes whose calls were on the previous page and whose bodies were carried to this
   page: they go back to the waiting list, their calls are never laid out again, the bodies are lost.
   Only notes laid out from this page's calls are unlaid now.
4. ``page.make_all_pages``: on a repagination pass (page numbers in the contents, running heads), a page
   that did not change is reused as it was, but the notes it carried to the next page were not restored, so
   a remade next page lost them. The carry of each page is remembered and restored.
"""

from __future__ import annotations

from math import inf
from typing import Any, Callable

from .fix import Fix, Target

Replace = Callable[[Any, str, Any], None]


def _order(context: Any) -> dict[int, int]:
    """Document order of every footnote (``id(box)`` → index), taken before the first page is made."""
    order = getattr(context, "taiyaku_footnote_order", None)
    if order is None:
        order = {id(note): index for index, note in enumerate(context.footnotes)}
        context.taiyaku_footnote_order = order
    return order


def _sort_reported(context: Any) -> None:
    order = _order(context)
    context.reported_footnotes.sort(key=lambda note: order.get(id(note), inf))


def _install(replace: Replace) -> None:
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import LayoutContext, block, page

    original_linebox_layout = block._linebox_layout

    def linebox_layout(context, box, index, child, new_children, *args, **kwargs):  # type: ignore[no-untyped-def]
        kept_before = len(new_children)
        result = original_linebox_layout(context, box, index, child, new_children, *args, **kwargs)
        stop, new_footnotes = result[1], result[4]
        if stop and context.footnotes and len(new_children) > kept_before:
            # Fix 1: the line kept when the page overflowed (its notes never laid out) sends them to the
            # next page. (Lines kept otherwise had their notes laid out by WeasyPrint.)
            for descendant in new_children[-1].descendants():
                note = descendant.footnote
                if note is not None and note in context.footnotes:
                    context.footnotes.remove(note)
                    context.reported_footnotes.append(note)
                    new_footnotes.append(note)
        if len(context.reported_footnotes) > 1:
            _sort_reported(context)  # fix 2
        return result

    replace(block, "_linebox_layout", linebox_layout)

    def unlayout_footnote(self, footnote):  # type: ignore[no-untyped-def]
        # Fix 3: only notes laid out from this page's calls can be taken back.
        if footnote in getattr(self, "taiyaku_carried", ()):
            return
        if footnote in self.current_page_footnotes or footnote in self.reported_footnotes:
            self.footnotes.append(footnote)
            if footnote in self.current_page_footnotes:
                self.current_page_footnotes.remove(footnote)
            else:
                self.reported_footnotes.remove(footnote)
            self._update_footnote_area()

    replace(LayoutContext, "unlayout_footnote", unlayout_footnote)

    original_make_page = page.make_page

    def make_page(context, root_box, page_type, resume_at, page_number, page_state):  # type: ignore[no-untyped-def]
        _order(context)
        _sort_reported(context)
        # Notes carried in from the previous page: their calls are not on this page.
        context.taiyaku_carried = _IdentitySet(context.reported_footnotes)
        for note in context.reported_footnotes:
            while note in context.footnotes:  # a repagination pass refills the waiting list
                context.footnotes.remove(note)
        try:
            return original_make_page(context, root_box, page_type, resume_at, page_number, page_state)
        finally:
            context.taiyaku_carried = _IdentitySet(())

    replace(page, "make_page", make_page)

    def make_all_pages(context, root_box, html, pages):  # type: ignore[no-untyped-def]
        # WeasyPrint's generator, plus fix 4: each page's carry-out of reported notes is remembered, restored
        # when the page is reused, and a changed carry-out remakes the next page.
        carry = getattr(context, "taiyaku_carry", None)
        if carry is None:
            carry = context.taiyaku_carry = {}
        i = 0
        reported_footnotes = None
        context.rendered_notes = []
        while True:
            remake_state = context.page_maker[i][-1]
            if len(pages) == 0 or remake_state["content_changed"] or remake_state["pages_wanted"]:
                page.PROGRESS_LOGGER.info("Step 5 - Creating layout - Page %d", i + 1)
                remake_state["content_changed"] = False
                remake_state["pages_wanted"] = False
                remake_state["anchors"] = []
                remake_state["content_lookups"] = []
                page_box, resume_at = page.remake_page(i, context, root_box, html)
                reported_footnotes = context.reported_footnotes
                carried = list(reported_footnotes)
                if i in carry and _ids(carry[i]) != _ids(carried) and i + 1 < len(context.page_maker):
                    context.page_maker[i + 1][-1]["content_changed"] = True
                carry[i] = carried
                yield page_box
            else:
                page.PROGRESS_LOGGER.info("Step 5 - Creating layout - Page %d (up-to-date)", i + 1)
                resume_at = context.page_maker[i + 1][0]
                context.reported_footnotes = list(carry.get(i, ()))
                reported_footnotes = context.reported_footnotes or None
                yield pages[i]
            i += 1
            if resume_at is None and not reported_footnotes:
                context.page_maker = context.page_maker[: i + 1]
                context.broken_out_of_flow.clear()
                context.reported_footnotes.clear()
                for stale in [index for index in carry if index >= i]:
                    del carry[stale]
                return

    replace(page, "make_all_pages", make_all_pages)
    # layout/__init__.py imported the name before we replaced it.
    import weasyprint.layout as layout_package

    replace(layout_package, "make_all_pages", make_all_pages)
    assert boxes  # imported for its side effect of loading the box classes first


def _ids(notes: list) -> list[int]:
    return [id(note) for note in notes]


class _IdentitySet:
    """Membership by identity (boxes compare by identity anyway; this avoids hashing assumptions)."""

    def __init__(self, items) -> None:  # type: ignore[no-untyped-def]
        self._ids = {id(item) for item in items}

    def __contains__(self, item: object) -> bool:
        return id(item) in self._ids


FOOTNOTES = Fix(
    "footnotes",
    "WeasyPrint 70 loses a footnote body or prints notes out of order when several notes are deferred to the "
    "next page",
    (Target("weasyprint.layout.block", "_linebox_layout", ("context", "box", "index", "child", "new_children")),
     Target("weasyprint.layout", "LayoutContext.unlayout_footnote", ("self", "footnote")),
     Target("weasyprint.layout.page", "make_page",
            ("context", "root_box", "page_type", "resume_at", "page_number", "page_state")),
     Target("weasyprint.layout.page", "make_all_pages", ("context", "root_box", "html", "pages")),
     Target("weasyprint.layout.page", "remake_page", ("index", "context", "root_box", "html"))),
    _install,
    versions=("70.",),
)
