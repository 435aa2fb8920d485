"""PO for Weblate and Pootle: ``msgctxt`` the unit id, ``msgid`` the source's Markdown, ``#|`` the old source,
``fuzzy`` for a translation to review.

PO has no inline tags: the Markdown itself is the text, and an import reads the target's Markdown back into
tags. Markup the source did not have (``<script>``, a new link) is therefore a tag added, and the unit is
refused rather than written.
"""

from __future__ import annotations

import io
import re

from babel.messages.pofile import PoFileError, read_po

from .exchange import TOOL, Export, ReturnedUnit
from .inline import Segment, Tag, read_segment
from .safety import MAX_BYTES, ExchangeError
from .frames import row_segment
from .units import reconcile

_HASH = re.compile(r"^taiyaku-translation: ([0-9a-f]+)$")
_KIND = "taiyaku-kind: "


def _markdown(segment: Segment) -> str:
    return "".join(piece.code if isinstance(piece, Tag) else _plain(piece) for piece in segment)


def _plain(text: str) -> str:
    # Text as it was read (escapes resolved): written back through the same escaping as an XLIFF target.
    from .inline import escape_text
    return escape_text(text)


def _quoted(text: str) -> list[str]:
    """A PO string: one line, or ``""`` and one line per line of the text."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return [f'"{escaped}"']
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return ['""'] + [f'"{part}"' for part in parts]


def _field(keyword: str, text: str, prefix: str = "") -> list[str]:
    first, *rest = _quoted(text)
    return [f"{prefix}{keyword} {first}"] + [prefix + line for line in rest]


def write(export: Export) -> bytes:
    """The export as a PO file (written here: Babel wraps ``#|`` comments inside their strings)."""
    header = (f"Project-Id-Version: taiyaku\nLanguage: {export.target_lang}\nMIME-Version: 1.0\n"
              "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
              f"X-Source-Language: {export.source_lang}\nX-Generator: {TOOL}\n")
    out = ["# Translation units of taiyaku xliff export: msgctxt is the unit id; keep it.",
           *_field("msgid", ""), *_field("msgstr", header), ""]
    for doc in export.documents:
        for unit in doc.units:
            where = f":{unit.translation_line}" if unit.translation_line else ""
            comments = [unit.resname, f"{_KIND}{unit.kind}", f"translation: {doc.translation}{where}"]
            if unit.note:
                comments.append(unit.note)
            if unit.translation_hash:
                comments.append(f"taiyaku-translation: {unit.translation_hash}")
            out.extend("#. " + line for comment in comments for line in comment.split("\n"))
            if unit.source_line:
                out.append(f"#: {doc.source}:{unit.source_line}")
            if unit.target is not None and unit.state != "translated":
                out.append("#, fuzzy")
            if unit.old_source is not None:
                out.extend(_field("msgid", _markdown(unit.old_source), "#| "))
            out.extend(_field("msgctxt", unit.id))
            out.extend(_field("msgid", _markdown(unit.source)))
            out.extend(_field("msgstr", _markdown(unit.target) if unit.target is not None else ""))
            out.append("")
    return "\n".join(out).encode("utf-8")


def read(data: bytes, path: str) -> tuple[str, list[ReturnedUnit]]:
    """The target language and the units of a PO file."""
    if len(data) > MAX_BYTES:
        raise ExchangeError(f"larger than {MAX_BYTES // 2**20} MB: refused", path)
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise ExchangeError(f"not a readable PO file: {exc}", path, line + 1 if line is not None else None) from None
    units: list[ReturnedUnit] = []
    for message in catalog:
        if not message.id or not message.context:
            continue
        table = f"{_KIND}table-row" in message.auto_comments
        read = row_segment if table else read_segment
        source = read(str(message.id))
        text = str(message.string or "")
        target = reconcile(source, read(text)) if text else None
        hashes = [m[1] for c in message.auto_comments if (m := _HASH.match(c))]
        units.append(ReturnedUnit(message.context, message.locations[0][0] if message.locations else "", source,
                                  target, "fuzzy" if message.fuzzy else "translated",
                                  bool(text) and not message.fuzzy, message.lineno, hashes[0] if hashes else ""))
    return str(catalog.locale or ""), units
