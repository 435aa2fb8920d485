"""The readers ``volume.toml``'s keys are declared with (:mod:`taiyaku.config`): one per kind of value, each
checking a TOML value and returning what the config stores, or raising :class:`Invalid` with what was expected."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import field
from pathlib import Path
from typing import Any, Callable

from .lang import valid_locale
from .paths import inside

SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
"""One path segment: a slug, a folder name."""
COVER_TYPES = (".png", ".jpg", ".jpeg")
"""Cover image formats: what Open Graph and Twitter cards, and the PDF, all show."""
PLACEHOLDERS = ("lang", "path", "ext")
"""The placeholders of a ``[content]`` path pattern."""
PLACEHOLDER = re.compile(r"\{([a-z]+)\}")


Reader = Callable[[Any, Path], Any]
"""Checks one TOML value (the volume folder at hand, for paths) and returns what the config stores."""


class Invalid(ValueError):
    """A value a key cannot take; the message says what was expected."""


def string(value: Any, root: Path) -> str:
    if not isinstance(value, str):
        raise Invalid(f"expected a string, got {value!r}")
    return value


def text(value: Any, root: Path) -> str:
    """A string, without the spaces around it."""
    return string(value, root).strip()


def one_of(choices: list[str] | tuple[str, ...]) -> Reader:
    """A string among ``choices`` (listed in this order when the value is not)."""
    def read(value: Any, root: Path) -> str:
        if string(value, root) not in choices:
            raise Invalid(f"expected one of {', '.join(choices)}, got {value!r}")
        return value
    return read


def slug(value: Any, root: Path) -> str:
    if not SAFE_SEGMENT.match(string(value, root)):
        raise Invalid(f"{value!r} is not one safe path segment (letters, digits, '.', '_', '-')")
    return value


def locale(value: Any, root: Path) -> str:
    if not valid_locale(string(value, root)):
        raise Invalid(f"{value!r} is not a locale code Babel knows")
    return value


def locales(value: Any, root: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"expected a list of locale codes, got {value!r}")
    unknown = [v for v in value if not valid_locale(v)]
    if unknown:
        raise Invalid(f"not locale codes Babel knows: {', '.join(map(repr, unknown))}")
    return list(value)


def date(value: Any, root: Path) -> tuple[dt.date, str]:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise Invalid(str(exc)) from None


def year(value: Any, root: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
        raise Invalid(f"expected a year like 2026, got {value!r}")
    return value


def cover(value: Any, root: Path) -> str:
    problem = cover_problem(root, string(value, root))
    if problem:
        raise Invalid(problem)
    return value


def names(value: Any, root: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"expected a list of names, got {value!r}")
    return list(value)


def strings(value: Any, root: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"expected a list of strings, got {value!r}")
    return list(value)


def groups_of_strings(value: Any, root: Path) -> list[list[str]]:
    if not isinstance(value, list) or not all(isinstance(g, list) and all(isinstance(v, str) for v in g) for g in value):
        raise Invalid(f"expected a list of lists of strings, got {value!r}")
    return [list(group) for group in value]


def readings(value: Any, root: Path) -> dict[str, str]:
    """A table of name = reading (how names sort)."""
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise Invalid(f"expected a table of name = \"reading\", got {value!r}")
    return {k: v.strip() for k, v in value.items()}


def flag(value: Any, root: Path) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {value!r}")
    return value


def key_name(value: Any, root: Path) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", value):
        raise Invalid(f"expected a front matter key (letters, digits, '_', '-', '.'), got {value!r}")
    return value


def pattern(value: Any, root: Path) -> str:
    """A path pattern of ``[content]`` (see :mod:`taiyaku.read.layout`)."""
    problem = pattern_problem(string(value, root))
    if problem:
        raise Invalid(problem)
    return value


def translations_pattern(value: Any, root: Path) -> str:
    """A path pattern naming each language's files: it holds ``{lang}``."""
    if "{lang}" not in pattern(value, root):
        raise Invalid(f"{value!r}: expected {{lang}} (where the language code goes)")
    return value


def groups(value: Any, root: Path) -> list[dict[str, str]]:
    """Content groups: tables with a ``name``, a ``source`` and a ``translations`` pattern."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Invalid(f"expected a list of tables like {{name = \"blog\", source = \"…\", translations = \"…\"}}, "
                      f"got {value!r}")
    names = set()
    for group in value:
        unknown = sorted(set(group) - {"name", "source", "translations"})
        if unknown or "source" not in group or "translations" not in group:
            raise Invalid(f"a group takes name, source and translations, got {group!r}")
        name = group.get("name", "")
        if not isinstance(name, str) or not SAFE_SEGMENT.match(name) or name in names:
            raise Invalid(f"each group needs a name of its own (one path segment), got {name!r}")
        names.add(name)
        pattern(group["source"], root)
        translations_pattern(group["translations"], root)
    return [dict(group) for group in value]


def key(read: Reader, default: Any = None, *, factory: Callable[[], Any] | None = None,
         into: tuple[str, ...] = ()) -> Any:
    """A ``volume.toml`` key: a dataclass field read by ``read``; ``into`` names the fields a tuple fills."""
    metadata = {"read": read, "into": into}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def pattern_problem(text: str) -> str:
    """Why ``text`` cannot be a path pattern (empty when it can)."""
    names = PLACEHOLDER.findall(text)
    unknown = sorted(set(names) - set(PLACEHOLDERS))
    if unknown:
        return f"{text!r}: unknown placeholder {{{unknown[0]}}} (known: {{lang}}, {{path}}, {{ext}})"
    if names.count("path") != 1:
        return f"{text!r}: expected {{path}} exactly once"
    if text.startswith("/") or ".." in text.split("/"):
        return f"{text!r}: expected a path inside the volume folder"
    if "{ext}" not in text and not text.endswith((".md", ".mdx")):
        return f"{text!r}: expected to end in .{{ext}}, .md or .mdx"
    return ""


def parse_date(value: Any) -> tuple[dt.date, str]:
    """A date and its precision from TOML: a date, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str):
        for fmt, precision in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
            try:
                return dt.datetime.strptime(value, fmt).date(), precision
            except ValueError:
                pass
    raise ValueError(f"expected a date like 2026-09 or 2026-09-15, got {value!r}")


FOCUS_WORDS = {"center": "50% 50%", "top": "50% 0%", "bottom": "50% 100%", "left": "0% 50%", "right": "100% 50%"}
"""The words a focal point may be given as, and the point each names (across, down)."""
_PERCENT = r"(100|[0-9]{1,2})(\.[0-9]+)?%"


def focal_point(value: Any, root: Path) -> str:
    """A point of an image as ``"<across>% <down>%"`` (``"50% 30%"``) or one of :data:`FOCUS_WORDS`; stored as
    the two percentages."""
    given = text(value, root)
    if given in FOCUS_WORDS:
        return FOCUS_WORDS[given]
    if not re.fullmatch(f"{_PERCENT} +{_PERCENT}", given):
        raise Invalid(f"expected a point of the image as \"<across>% <down>%\" (\"50% 30%\": the middle, near "
                      f"the top) or one of {', '.join(FOCUS_WORDS)}, got {value!r}")
    return " ".join(given.split())


def cover_problem(root: Path, value: str) -> str:
    """Why ``value`` cannot be the cover image (empty when it can): an existing PNG or JPEG inside the volume."""
    path = Path(value)
    if path.is_absolute() or ".." in path.parts:
        return f"{value!r}: expected a path inside the volume folder"
    if path.suffix.lower() not in COVER_TYPES:
        return f"{value!r}: expected a PNG or JPEG image"
    try:
        found = (root / path).is_file()
    except (OSError, ValueError):  # a NUL byte, a name too long
        found = False
    if not found:
        return f"{value!r}: no such file"
    if not inside(root, root / path):
        return f"{value!r}: a symbolic link outside the volume folder (taiyaku reads only files inside it)"
    return ""
