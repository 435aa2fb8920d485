"""The plainest front matter read without PyYAML: a mapping of simple keys to quoted strings, words, integers, and
lists of them (or of such mappings), one per line — what most Markdown front matter is.

PyYAML's C parser still builds every value in Python (its constructor); on 2,000 front matters of five keys that
was a tenth of a cold check's processor time. :func:`plain_yaml` reads only what it is sure PyYAML reads the same
way (YAML 1.1 as ``SafeLoader`` resolves it: ``yes`` and ``on`` are booleans, ``010`` is octal, ``2024-05-01`` a
date) and gives up — ``None`` — on anything else, which PyYAML then reads: it is never wrong, only sometimes not
faster. ``tests/read/test_plainyaml.py`` compares the two on every front matter of the test volumes and on
generated texts.
"""

from __future__ import annotations

import re
from typing import Any

_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_VALUE = (r"(?:\"(?P<double>[^\"\\]*)\"|'(?P<single>[^']*)'|(?P<int>-?[1-9][0-9]*|0)"
          r"|(?P<plain>[^\x00-\x40\x5b-\x60\x7b-\xa0\U00010000-\U0010ffff][^:#\"\\\[\]{}\t\x85\u2028\u2029\ufeff]*?))")
_ENTRY = re.compile(rf"(?P<key>{_KEY}):(?:[ ]+{_VALUE})?[ ]*")
"""``key: value`` (or ``key:`` alone, a list's key), the whole line."""
_ITEM = re.compile(rf"(?P<indent>[ ]*)-[ ]+(?:(?P<key>{_KEY}):[ ]+)?{_VALUE}[ ]*")
"""``- value`` or ``- key: value`` (the first key of a mapping in a list), the whole line."""
_NOT_PLAIN_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"})
"""Words YAML 1.1 may read as a boolean or null (``y`` and ``n`` only in some readers: left to PyYAML too)."""
_UNSURE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\xa0\ud800-\udfff\ufeff\ufffe\uffff]|\n---|\n\\.\\.\\.")
"""Characters PyYAML rejects or reads as white space or line breaks (tab, CR, NEL, the BOM, no-break space),
and document markers: such a text is left to PyYAML. (Written as the characters refused: a class of the
characters allowed takes 9 ms to compile.)"""


def _scalar(match: re.Match[str]) -> Any:
    """The value of a :data:`_VALUE` match; ``None`` when PyYAML might read it otherwise than as written."""
    if match["double"] is not None:
        return match["double"]
    if match["single"] is not None:
        return match["single"]
    if match["int"] is not None:
        return int(match["int"])
    plain = match["plain"]
    if plain is None or plain.lower() in _NOT_PLAIN_WORDS or " -" in plain or plain.endswith(" "):
        return None
    return plain


def plain_yaml(text: str) -> dict[str, Any] | None:
    """``text`` (a front matter's YAML) as PyYAML's ``SafeLoader`` reads it, or ``None`` when it is not plain
    enough to be sure: then the caller asks PyYAML."""
    if not text or _UNSURE.search(text):
        return None
    data: dict[str, Any] = {}
    items: list[Any] | None = None  # the list being filled, after a ``key:`` line
    indent = -1  # its items' indentation
    mapping: dict[str, Any] | None = None  # the list's last item, when it is a mapping
    column = 0  # where its keys start
    for line in text.split("\n"):
        if not line:
            continue
        if line[0] != " " and line[0] != "-":
            found = _ENTRY.fullmatch(line)
            if found is None or found["key"].lower() in _NOT_PLAIN_WORDS or found["key"] in data:
                return None
            if items is not None and not items:
                return None  # ``key:`` with no list after it: null, left to PyYAML
            if found["double"] is None and found["single"] is None and found["int"] is None \
                    and found["plain"] is None:
                items, indent, mapping = [], -1, None
                data[found["key"]] = items
                continue
            value = _scalar(found)
            if value is None:
                return None
            data[found["key"]] = value
            items, mapping = None, None
            continue
        if items is None:
            return None
        item = _ITEM.fullmatch(line)
        if item is not None:
            if indent == -1:
                indent = len(item["indent"])
            elif len(item["indent"]) != indent:
                return None
            value = _scalar(item)
            if value is None:
                return None
            if item["key"] is None:
                items.append(value)
                mapping = None
            else:
                if item["key"].lower() in _NOT_PLAIN_WORDS:
                    return None
                mapping = {item["key"]: value}
                column = item.start("key")
                items.append(mapping)
            continue
        # A further key of the list's last mapping, indented as its first key.
        if mapping is None or len(line) <= column or line[column] == " " or not line.startswith(" " * column):
            return None
        found = _ENTRY.fullmatch(line, column)
        if found is None or found["key"].lower() in _NOT_PLAIN_WORDS or found["key"] in mapping:
            return None
        value = _scalar(found)
        if value is None:
            return None
        mapping[found["key"]] = value
    if items is not None and not items:
        return None
    return data or None
