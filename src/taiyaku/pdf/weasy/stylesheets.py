"""A worker's ``<style>`` sheets parsed once, not once per part; one :class:`Fix` (``stylesheet-cache``).

Every part of a volume carries the same print stylesheet (16 kB for the sample), and WeasyPrint 70 parses and
preprocesses it again for each document (``css.find_stylesheets`` makes a ``CSS`` per ``<style>`` element):
about 0.02 s of a part's 0.13 s layout. A ``CSS`` object is the parsed rules and a selector matcher, which the
cascade only reads; its one effect on the document is the ``@page`` rules it appends to the document's list. So a
sheet seen before in this worker (same text, base URL and media type) is taken from a small cache (a copy
pointing at the new document's lists) and its ``@page`` rules appended again. Sheets with any other effect on the document are parsed as before: ``@font-face``
(fonts added to the document's font configuration), ``@import``, ``@layer``, ``@counter-style``,
``@color-profile``, and any sheet whose parsing logged a warning (the warning belongs to every part's report).
"""

from __future__ import annotations

import copy
import logging
from collections import OrderedDict
from typing import Any, Callable

from .fix import Fix, Target

Replace = Callable[[Any, str, Any], None]

_KEPT = 8
"""Sheets kept per worker (a build has a few: the print stylesheet, each paper's small one, the covers')."""
_EFFECTS = ("@font-face", "@import", "@layer", "@counter-style", "@color-profile")
_cache: OrderedDict[tuple[str, str | None, str], tuple[Any, list[Any]]] = OrderedDict()


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


def _install(replace: Replace) -> None:
    from weasyprint import css
    from weasyprint.logger import LOGGER

    original = css.find_stylesheets

    def find_stylesheets(wrapper_element, device_media_type, url_fetcher, base_url,  # type: ignore[no-untyped-def]
                         font_config, counter_style, color_profiles, page_rules, layers):
        for wrapper in wrapper_element.query_all("style", "link"):
            element = wrapper.etree_element
            if element.tag != "style" or element.get("media") or element.get("type", "text/css") != "text/css":
                # Anything but a plain <style>: WeasyPrint's own way, for this document whole.
                yield from original(wrapper_element, device_media_type, url_fetcher, base_url, font_config,
                                    counter_style, color_profiles, page_rules, layers)
                return
        for wrapper in wrapper_element.query_all("style"):
            content = css.get_child_text(wrapper.etree_element)
            key = (content, base_url, device_media_type)
            kept = _cache.get(key)
            if kept is not None:
                _cache.move_to_end(key)
                sheet, pages = kept
                page_rules.extend(pages)
                # A sheet's page_rules and layers are its document's lists (the cascade reads every sheet's page
                # rules there): a copy of the kept sheet with this document's.
                sheet = copy.copy(sheet)
                sheet.page_rules, sheet.layers = page_rules, layers
                yield sheet
                continue
            before = len(page_rules)
            warnings = _Warnings()
            LOGGER.addHandler(warnings)
            try:
                sheet = css.CSS(string=content, base_url=base_url, url_fetcher=url_fetcher,
                                media_type=device_media_type, font_config=font_config,
                                counter_style=counter_style, page_rules=page_rules,
                                color_profiles=color_profiles, layers=layers)
            finally:
                LOGGER.removeHandler(warnings)
            lowered = content.lower()
            if not warnings.seen and not any(effect in lowered for effect in _EFFECTS):
                _cache[key] = (sheet, page_rules[before:])
                while len(_cache) > _KEPT:
                    _cache.popitem(last=False)
            yield sheet

    replace(css, "find_stylesheets", find_stylesheets)


STYLESHEET_CACHE = Fix(
    "stylesheet-cache",
    "WeasyPrint parses a document's <style> sheets for every document; a volume's parts share them",
    (Target("weasyprint.css", "find_stylesheets",
            ("wrapper_element", "device_media_type", "url_fetcher", "base_url", "font_config", "counter_style",
             "color_profiles", "page_rules", "layers")),
     Target("weasyprint.css", "get_child_text", ("element",)),
     Target("weasyprint", "CSS", ())),
    _install,
    versions=("70.",),
)
