"""Identifier-like words, which stay in the source's script in every language: file names (``Chart.yaml``),
paths, ``snake_case`` and ``CamelCase`` names, acronyms (``SDK``, ``KUBECONFIG``), words with digits, and the
names a volume lists in ``[check] identifiers`` (``Go``, ``Helm``). A heading or text made only of them is not
"untranslated"; code spans never count (the block's plain text has none).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

_TOKEN = re.compile(
    r"(?<![\w.])(?:"
    r"[\w-]+(?:[./][\w-]+)+"            # Chart.yaml, values.schema.json, charts/mychart, v1.2
    r"|[A-Za-z0-9]*_[\w]*"               # snake_case, __init__
    r"|[a-z]+[A-Z][A-Za-z0-9]*"          # camelCase, kubeConfig
    r"|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+"  # CamelCase, GitHub, JavaScript
    r"|[A-Z][A-Z0-9]+s?"                 # SDK, KUBECONFIG, APIs
    r"|\w*\d\w*"                         # v3, 2FA, x86
    r")(?![\w])")


@lru_cache(maxsize=64)
def _terms(names: tuple[str, ...]) -> re.Pattern[str] | None:
    if not names:
        return None
    ordered = sorted(names, key=len, reverse=True)  # "Kube Config" before "Kube"
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(name) for name in ordered) + r")(?!\w)")


def without_identifiers(text: str, names: Sequence[str] = ()) -> str:
    """``text`` with identifier-like words and the listed ``names`` taken out (replaced by a space)."""
    terms = _terms(tuple(names))
    if terms is not None:
        text = terms.sub(" ", text)
    return _TOKEN.sub(" ", text)


def only_identifiers(text: str, names: Sequence[str] = ()) -> bool:
    """Whether ``text`` holds no word besides identifiers and ``names`` (punctuation aside)."""
    return not re.search(r"[^\W\d_]", without_identifiers(text, names))
