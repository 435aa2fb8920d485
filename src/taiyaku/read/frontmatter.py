"""Split YAML front matter from a Markdown file and validate it, with file line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

import yaml

from ..config_fields import SAFE_SEGMENT
from ..errors import Diagnostics
from ..model import Author, DocumentMeta
from .plainyaml import plain_yaml

FENCE = re.compile(r"^---[ \t]*$")
ORDER_PREFIX = re.compile(r"^\d+[-_.]")
KNOWN_KEYS = {"title", "subtitle", "authors", "order", "slug", "abstract", "draft"}
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml when PyYAML has it: several times faster; errors are re-parsed with the pure-Python loader, whose
messages taiyaku reports."""


@dataclass
class SplitFile:
    """A file's front matter (raw YAML text) and body, with where each starts."""

    yaml_text: str
    yaml_start_line: int
    """1-based line of the first YAML line; 0 when the file has no front matter."""
    body: str
    body_start_line: int


@dataclass
class FrontMatter:
    """What reading one file's front matter gave, as far as it got."""

    split: SplitFile | None = None
    """``None`` when the opening ``---`` has no closing one."""
    meta: DocumentMeta | None = None
    """``None`` when the front matter is unusable."""


_FENCE_LINE = re.compile(r"^---[ \t]*$", re.M)
_OTHER_LINE_ENDS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""What ``str.splitlines`` ends a line at besides ``\n``."""


def split_front_matter(text: str) -> SplitFile | int:
    """Split ``text``; returns the 1-based line of an unclosed opening fence instead when unclosed."""
    if text.startswith("---") and not _OTHER_LINE_ENDS.search(text):
        # Lines end at "\n" only: the closing fence is found by one search, not by splitting every line (the
        # same split as below; this runs for every file and every old version a check reads).
        first = text.find("\n")
        if not FENCE.match(text[:first] if first != -1 else text):
            return SplitFile("", 0, text, 1)
        closing = _FENCE_LINE.search(text, first + 1) if first != -1 else None
        if closing is None:
            return 1
        return SplitFile(text[first + 1 : closing.start()], 2, text[closing.end() + 1 :],
                         text.count("\n", 0, closing.start()) + 2)
    lines = text.splitlines(keepends=True)
    if not lines or not FENCE.match(lines[0].rstrip("\r\n")):
        return SplitFile("", 0, text, 1)
    for index in range(1, len(lines)):
        if FENCE.match(lines[index].rstrip("\r\n")):
            return SplitFile("".join(lines[1:index]), 2, "".join(lines[index + 1 :]), index + 2)
    return 1


def default_slug(rel_path: str) -> str:
    """The file stem without an ordering prefix, spaces as hyphens: ``03-taiwan.md`` → ``taiwan``.

    A folder's own page (``index.md``, Hugo's ``_index.md``) takes the folder's name: ``docs/x/index.md`` → ``x``.
    """
    parts = rel_path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    if stem in ("index", "_index"):
        stem = parts[-2] if len(parts) > 1 else "index"
    # Spaces become hyphens, as Hugo makes URLs of file names: `cloud native apps.md` → `cloud-native-apps`.
    stem = _SPACES.sub("-", stem.strip())
    return ORDER_PREFIX.sub("", stem) or stem


_SPACES = re.compile(r"\s+")


# PyYAML reports where it gave up (for an unclosed quote: the end of the front matter); its context mark
# says where the construct it was reading began, which is where the writer has to look.
YAML_CONTEXTS = {
    "while scanning a quoted scalar": "a quoted value starts here and is never closed: add the closing quote",
    "while parsing a flow sequence": "a list starts here with '[' and is never closed with ']'",
    "while parsing a flow mapping": "a mapping starts here with '{' and is never closed with '}'",
    "while scanning a simple key": "a line here has no ':' after its key",
    "while parsing a block mapping": "this key's value is not where YAML expects it: check the indentation "
                                     "and quote values that contain ': '",
}
YAML_PROBLEMS = {
    "mapping values are not allowed here": "a value contains ': ': put the whole value in quotes",
    "found character '\\t' that cannot start any token": "a tab character: YAML indents with spaces only",
}

def yaml_problem(exc: yaml.YAMLError, first_line: int) -> tuple[int, str]:
    """Where a YAML error starts (file line, given the first YAML line) and what it is, in plain words."""
    context = getattr(exc, "context", None) or ""
    problem = getattr(exc, "problem", None) or ""
    context_mark = getattr(exc, "context_mark", None)
    mark = context_mark if context in YAML_CONTEXTS and context_mark is not None \
        else getattr(exc, "problem_mark", None)
    words = YAML_CONTEXTS.get(context) or YAML_PROBLEMS.get(problem) or problem or str(exc).splitlines()[0]
    if _closed_early(getattr(exc, "problem_mark", None)):
        mark = getattr(exc, "problem_mark", None)
        words = ("a quote mark inside this quoted value ends it early: write it as \\\" inside \"…\" or as '' "
                 "inside '…', or quote the value with the other mark")
    return (first_line + mark.line if mark is not None else first_line), words


_EARLY_QUOTE = re.compile(r"""^\s*(?:-\s+)?[^\s:'"][^:]*:\s+(["'])(?:(?!\1).)*\1\s*\S""")
"""``key: "One: a "quoted" word``: a quoted value with text after its (early) closing quote."""


def _closed_early(mark: Any) -> bool:
    """Whether the line of a YAML problem holds a quoted value closed before the line ends (an unescaped quote)."""
    buffer = getattr(mark, "buffer", None)
    if not buffer or mark is None:
        return False
    start = buffer.rfind("\n", 0, mark.pointer) + 1
    end = buffer.find("\n", mark.pointer)
    line = buffer[start:end if end >= 0 else len(buffer)]
    return bool(_EARLY_QUOTE.match(line))


def key_lines(yaml_text: str, first_line: int) -> dict[str, int]:
    """File line of every top-level key, from PyYAML's node marks."""
    try:
        node = yaml.compose(yaml_text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): first_line + k.start_mark.line for k, _ in node.value}


def known_keys_lowercase(data: dict[Any, Any]) -> dict[Any, Any]:
    """Keys taiyaku knows matched case-insensitively, as Hugo matches them (``Title:`` is ``title``).

    A key also written in lower case keeps the lower-case one; other keys stay as written for templates.
    """
    if all(not isinstance(k, str) or k.lower() not in KNOWN_KEYS or k == k.lower() for k in data):
        return data
    found: dict[Any, Any] = {}
    for key, value in data.items():
        lower = key.lower() if isinstance(key, str) else key
        if isinstance(key, str) and lower in KNOWN_KEYS and key != lower and lower not in data:
            key = lower
        found[key] = value
    return found


def front_matter_lines(yaml_text: str, first_line: int) -> dict[str, int]:
    """:func:`key_lines`, with each key taiyaku knows also under its lower-case name (``Title:`` → ``title``)."""
    lines = key_lines(yaml_text, first_line) if first_line else {}
    for key, line in list(lines.items()):
        if key.lower() in KNOWN_KEYS:
            lines.setdefault(key.lower(), line)
    return lines


_DATE_LIKE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")


def _value_line(yaml_text: str, first_line: int) -> int:
    """The file line of the first date-like value (where a date that is not one most likely is)."""
    for number, line in enumerate(yaml_text.split("\n")):
        if _DATE_LIKE.search(line):
            return first_line + number
    return first_line


def read_meta(text: str, path: str, rel_path: str, diagnostics: Diagnostics) -> tuple[DocumentMeta, int] | None:
    """Front matter of one file as :class:`DocumentMeta` and the body's first line; ``None`` if unusable."""
    found = read_front_matter(text, path, rel_path, diagnostics)
    if found.meta is None or found.split is None:
        return None
    return found.meta, found.split.body_start_line


class ParsedYaml(Protocol):
    """Front matter parsed by an earlier run (the check's cache): the data of a YAML text, or ``None``."""

    def get(self, yaml_text: str) -> Any | None:
        """What ``yaml_text`` parsed to, if known (a fresh object: the caller may keep it)."""

    def put(self, yaml_text: str, data: Any) -> None:
        """Remember what ``yaml_text`` parsed to."""


def read_front_matter(text: str, path: str, rel_path: str, diagnostics: Diagnostics,
                      title_required: bool = True, parsed: ParsedYaml | None = None) -> FrontMatter:
    """Split one file and validate its front matter; problems go to ``diagnostics``, never raised.

    ``title_required`` false (the check): a page without a title (a redirect stub, a Docusaurus page titled by
    its first heading) has an empty one; the check asks a translation for a title only when its source has one.
    ``parsed``: YAML texts parsed before are not parsed again (validation runs all the same).
    """
    found = FrontMatter()
    split = split_front_matter(text)
    if not isinstance(split, int) and not split.yaml_start_line:
        blank = len(text) - len(text.lstrip("\n \t"))
        first = text[blank:].split("\n", 1)[0]
        if blank and FENCE.match(first):
            # Hugo skips them; taiyaku (and `check --pin`, which edits front matter in place) reads front
            # matter only from the first line, and would take the whole file for the body.
            lines = text.count("\n", 0, blank)
            diagnostics.error(path, 1, "front-matter", f"{lines} blank line{'s' if lines != 1 else ''} before the "
                              "front matter's opening '---': it must be the file's first line")
            return found
    if isinstance(split, int):
        diagnostics.error(path, split, "front-matter", "opening '---' has no closing '---'")
        return found
    found.split = split

    def problem(key: str | None, message: str) -> None:
        # Key lines need a second YAML pass (PyYAML's node marks): made only when a message needs one.
        lines = front_matter_lines(split.yaml_text, split.yaml_start_line) if key else {}
        line = lines.get(key, split.yaml_start_line) if key else split.yaml_start_line
        diagnostics.error(path, line or 1, "front-matter", message)

    data: Any = {}
    if split.yaml_start_line:
        known = parsed.get(split.yaml_text) if parsed is not None else None
        try:
            if known is not None:
                data = known
            else:
                data = plain_yaml(split.yaml_text)  # most front matter: the same data, without PyYAML
                if data is None:
                    try:
                        data = yaml.load(split.yaml_text, Loader=FAST_LOADER)  # noqa: S506 (a safe loader)
                    except yaml.YAMLError:
                        data = yaml.safe_load(split.yaml_text)
                if parsed is not None:
                    parsed.put(split.yaml_text, data)
        except yaml.YAMLError as exc:
            line, reason = yaml_problem(exc, split.yaml_start_line)
            # An error found at the end of the stream belongs to the last YAML line, not the closing fence.
            last = split.yaml_start_line + max(split.yaml_text.count("\n") - 1, 0)
            line = min(line, last)
            diagnostics.error(path, line, "front-matter", f"invalid YAML: {reason}")
            return found
        except (ValueError, OverflowError) as exc:
            # PyYAML builds timestamps with datetime: `date: 2026-13-45` parses, then fails to become a date.
            line = _value_line(split.yaml_text, split.yaml_start_line)
            diagnostics.error(path, line, "front-matter", f"invalid YAML: a value that looks like a date is "
                              f"not one ({exc}); quote it to keep it as text")
            return found
        if data is None:
            data = {}
        if not isinstance(data, dict):
            diagnostics.error(path, split.yaml_start_line, "front-matter",
                              f"expected a mapping of keys to values, got {type(data).__name__}")
            return found
        data = known_keys_lowercase(data)

    ok = True
    title = data.get("title")
    if title is None and not title_required:
        title = ""
    elif not isinstance(title, str) or not title.strip():
        problem("title" if "title" in data else None,
                "'title' is required" if title is None else f"'title' must be text, got {title!r}")
        ok = False
    strings: dict[str, str] = {}
    for key in ("subtitle", "abstract", "slug"):
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            problem(key, f"'{key}' must be text, got {value!r}")
            ok = False
        strings[key] = str(value).strip()
    slug = strings["slug"] or default_slug(rel_path)
    if not SAFE_SEGMENT.match(slug):
        if strings["slug"]:
            problem("slug", f"slug {slug!r} is not one safe path segment (letters, digits, '.', '_', '-'; no '/')")
        else:
            problem(None, f"the file name gives the slug {slug!r}, which is not one safe path segment (letters, "
                    "digits, '.', '_', '-'): rename the file or set 'slug'")
        ok = False
    order = data.get("order")
    if order is not None and (isinstance(order, bool) or not isinstance(order, (int, float))):
        problem("order", f"'order' must be a number, got {order!r}")
        ok = False
    draft = data.get("draft", False)
    if draft is None:
        draft = False  # `draft:` with nothing after it, as Hugo reads it
    if not isinstance(draft, bool):
        problem("draft", f"'draft' must be true or false, got {draft!r}")
        ok = False
    authors: list[Author] = []
    raw_authors = data.get("authors") or []
    if isinstance(raw_authors, (str, dict)):
        raw_authors = [raw_authors]
    if not isinstance(raw_authors, list):
        problem("authors", f"'authors' must be a list of names or of mappings with name/affiliation/bio, got {raw_authors!r}")
        ok = False
        raw_authors = []
    for index, entry in enumerate(raw_authors, start=1):
        if isinstance(entry, str) and entry.strip():
            authors.append(Author(entry.strip()))
        elif isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"].strip():
            unknown = set(entry) - {"name", "affiliation", "bio"}
            if unknown:
                problem("authors", f"author {index}: unknown keys {', '.join(sorted(map(str, unknown)))} (known: name, affiliation, bio)")
                ok = False
            authors.append(Author(entry["name"].strip(), str(entry.get("affiliation") or "").strip(),
                                  str(entry.get("bio") or "").strip()))
        else:
            problem("authors", f"author {index}: expected a name or a mapping with 'name', got {entry!r}")
            ok = False
    if not ok:
        return found
    meta = DocumentMeta(
        title=title.strip(), subtitle=strings["subtitle"], authors=authors,
        order=float(order) if order is not None else None, slug=slug, abstract=strings["abstract"],
        draft=draft, extra={k: v for k, v in data.items() if k not in KNOWN_KEYS},
    )
    found.meta = meta
    return found
