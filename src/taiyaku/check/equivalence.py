"""Source edits that change only markup, not the text to translate: they never make a translation outdated.

Markup equivalences: emphasis written ``_x_`` or ``*x*`` (and other marks :mod:`.housekeeping` strips), a
shortcode's delimiters ``{{< >}}`` or ``{{% %}}``, a link to the site's own ``base_url`` or the same path
without it (``https://helm.sh/docs/x`` = ``/docs/x``), and the spellings a volume declares the same
(``[check] equivalents``: a renamed shortcode, ``{{< note >}}`` = ``{{< alert >}}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

_DELIMITERS = (("{{%", "{{<"), ("%}}", ">}}"))


@dataclass(frozen=True)
class MarkupRules:
    """What one volume counts as the same markup."""

    base_url: str = ""
    """The site's public URL (``volume.toml`` ``base_url``): links to it are site links."""
    equivalents: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
    """Groups of spellings that are one; each is written as the group's first."""

    @cached_property
    def _site(self) -> re.Pattern[str] | None:
        base = self.base_url.rstrip("/")
        if not base:
            return None
        bare = re.sub(r"^https?://", "", base)
        return re.compile(rf"(?:(?<=[(\"'<\s])|^)(?:https?:)?//{re.escape(bare)}(?=[/)\"'>\s#?]|$)")

    def normalize(self, text: str) -> str:
        """``text`` with equivalent markup written one way."""
        if "{{" in text or "}}" in text:
            for old, new in _DELIMITERS:
                text = text.replace(old, new)
        site = self._site
        if site is not None and "//" in text:
            text = site.sub("", text)
        for group in self.equivalents:
            for spelling in group[1:]:
                if spelling in text:
                    text = text.replace(spelling, group[0])
        return text


def markup_rules(base_url: str, equivalents: Sequence[Sequence[str]]) -> MarkupRules:
    """The rules of a volume's settings."""
    return MarkupRules(base_url, tuple(tuple(group) for group in equivalents if group))
