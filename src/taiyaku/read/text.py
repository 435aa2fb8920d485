"""One Markdown file as read from disk, once: its text, front matter and blocks with file lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..errors import Diagnostic
from ..model import DocumentMeta, SourceFile
from .blocks import Block, ParsedBody
from .frontmatter import front_matter_lines
from .body import split_body


@dataclass(eq=False)
class SourceText:
    """One Markdown file as the read stage read it, once, whatever became of it (drafts and broken files too).

    The build renders ``Document`` objects from it; the checker compares these directly.
    """

    source: SourceFile
    text: str | None = None
    """The text (no BOM, ``\\n`` line ends); ``None`` when the file could not be read or decoded."""
    yaml_text: str = ""
    yaml_start_line: int = 0
    """1-based line of the first YAML line; 0 without front matter."""
    body_start_line: int = 1
    body: str = ""
    meta: DocumentMeta | None = None
    """``None`` when the front matter is unusable (the reason is in ``problems``)."""
    problems: list[Diagnostic] = field(default_factory=list)
    """What reading this file found (encoding, front matter)."""
    mdx: bool = False
    """Read as MDX (:mod:`.mdx`): JSX, ``import`` and ``{…}`` lines are markup blocks."""
    commonmark: bool = False
    """Read as CommonMark (:mod:`.commonmark`), not Python-Markdown."""

    @property
    def path(self) -> str:
        """Volume-relative path."""
        return self.source.volume_path

    @property
    def draft(self) -> bool:
        """``draft: true`` in the front matter."""
        return bool(self.meta and self.meta.draft)

    @property
    def front_matter_end(self) -> int | None:
        """The line of the closing ``---`` (where a missing key would go); ``None`` without front matter."""
        return self.body_start_line - 1 if self.yaml_start_line else None

    @cached_property
    def key_lines(self) -> dict[str, int]:
        """File line of each top-level front matter key (known keys also in lower case), when first asked:
        it takes a second YAML pass, which most files never need."""

        return front_matter_lines(self.yaml_text, self.yaml_start_line)

    @property
    def blocks(self) -> list[Block]:
        """The body's blocks, in order."""
        return self.parsed.blocks

    @cached_property
    def parsed(self) -> ParsedBody:
        """The body split into blocks with file lines (:mod:`taiyaku.read.blocks`), once, when first asked."""
        if self.text is None:
            return ParsedBody([], [], [])
        return split_body(self.body, self.body_start_line, self.mdx, self.commonmark)
