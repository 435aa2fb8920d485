"""Reading an exchange file that came back from outside: no DTDs, no entities, no network, bounded size.

An XLIFF file is untrusted input. A document type declaration is refused before the parser sees it (it is the
door to external entities and to entity expansion bombs); the parser itself resolves no entity, loads no DTD,
reaches no network and refuses huge trees.
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import TaiyakuError

MAX_BYTES = 256 * 1024 * 1024
"""Larger exchange files are refused (a volume's text is a few megabytes)."""
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST)", re.I)


class ExchangeError(TaiyakuError):
    """An exchange file (XLIFF, PO) that cannot be used as a whole."""

    category = "xliff"


def parse_untrusted_xml(data: bytes, path: str) -> etree._ElementTree:
    """Parse ``data`` with every dangerous feature off; raises :class:`ExchangeError` with the line of a problem."""
    if len(data) > MAX_BYTES:
        raise ExchangeError(f"larger than {MAX_BYTES // 2**20} MB: refused", path)
    declaration = _DECLARATION.search(data)
    if declaration:
        line = data.count(b"\n", 0, declaration.start()) + 1
        raise ExchangeError("a DTD or entity declaration: refused (an exchange file needs none, and they can read "
                            "local files or expand into gigabytes)", path, line)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_pis=True, collect_ids=False)
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise ExchangeError(f"not well-formed XML: {exc.msg}", path, exc.lineno) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ExchangeError("a document type declaration: refused", path, 1)
    for node in tree.iter(etree.Entity):
        raise ExchangeError(f"an entity reference &{node.name};: refused", path, node.sourceline)
    return tree
