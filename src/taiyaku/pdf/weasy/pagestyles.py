"""A page's styles computed once per kind of page, not once per page; one :class:`Fix` (``page-styles``).

WeasyPrint 70 gives every page a page type that includes its index, matches the ``@page`` rules against it and
computes the page's style and those of its sixteen margin boxes and footnote area afresh: about 1 ms a page, and
more as the document grows (it looks for the type's margin boxes among every page type cascaded so far). For a
volume's sheet of folios and running heads, a page of margin boxes per body page, that is a third of its
layout. Yet a page's cascade is fixed by which of the document's page selectors it matches (side, blankness,
``:first``, the page name, ``:nth()`` of the document or of a page group): pages that match the same ones get the
very same cascade, so the style objects computed for the first of them are given to the others. WeasyPrint computes a style's values on first use and the page layout writes into
a page's style only values that are the same for every page (its overflow from the root, the page counter's
increment, both idempotent), so the pages are laid out as before: tested by laying out with and without it.
"""

from __future__ import annotations

from typing import Any, Callable

from .fix import Fix, Target

Replace = Callable[[Any, str, Any], None]

_KINDS = "_taiyaku_page_kinds"
"""The style resolver's attribute holding its kinds of page: which of the document's page selectors a page
matches → pseudo type → style."""


def _kind(style_for: Any, page_type: Any) -> tuple[bool, ...]:
    """Which of the document's ``@page`` selectors match ``page_type``, in order: pages alike in this get the
    same cascade, hence the same styles."""
    match = style_for._page_type_match
    lists = {id(sheet.page_rules): sheet.page_rules for sheet, _origin, _specificity in style_for._sheets}
    return tuple(match(selector[2], page_type)
                 for rules in lists.values() for _rule, selectors, _declarations in rules for selector in selectors)


def _install(replace: Replace) -> None:
    from weasyprint.layout import page as page_layout

    original = page_layout.set_page_type_computed_styles

    def set_page_type_computed_styles(page_type, html, style_for):  # type: ignore[no-untyped-def]
        kinds = style_for.__dict__.setdefault(_KINDS, {})
        kind = _kind(style_for, page_type)
        computed = style_for.get_computed_styles()
        styles = kinds.get(kind)
        if styles is None:
            original(page_type, html, style_for)
            kinds[kind] = {pseudo: style for (element, pseudo), style in computed.items() if element == page_type}
            return
        for pseudo, style in styles.items():
            computed[page_type, pseudo] = style

    replace(page_layout, "set_page_type_computed_styles", set_page_type_computed_styles)


PAGE_STYLES = Fix(
    "page-styles",
    "WeasyPrint computes the styles of every page and its margin boxes again, though pages alike share them",
    (Target("weasyprint.layout.page", "set_page_type_computed_styles", ("page_type", "html", "style_for")),
     Target("weasyprint.css", "StyleFor.get_computed_styles", ("self",)),
     Target("weasyprint.css", "StyleFor._page_type_match", ("page_selector_type", "page_type"))),
    _install,
    versions=("70.",),
)
