"""``--pin``: write ``source_commit: <sha>`` (or ``[check] pin_key``) into a translation's front matter, changing
nothing else.

The file is edited as bytes: a BOM stays, CRLF line ends stay, every other line stays as it was. An existing
``source_commit:`` line is replaced; otherwise the line goes right before the closing ``---``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError
from ..read.frontmatter import FENCE
from .history import History

log = logging.getLogger(__name__)

PIN_KEY = "source_commit"
_BOM = b"\xef\xbb\xbf"


def set_front_matter_value(data: bytes, key: str, value: str) -> bytes:
    """``data`` with the top-level front matter ``key`` set to ``value`` (a plain scalar), byte for byte else."""
    bom = data.startswith(_BOM)
    text = data[len(_BOM) :].decode("utf-8") if bom else data.decode("utf-8")
    # Split at "\n" only (str.splitlines also splits at U+2028 and friends, which YAML strings may hold).
    lines = [line for line in re.split(r"(?<=\n)", text) if line]
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    # Hugo reads front matter keys case-insensitively: an existing ``Source_Commit:`` is the same key.
    key_line = re.compile(rf"^{re.escape(key)}[ \t]*:", re.I)
    if lines and FENCE.match(lines[0].rstrip("\r\n")):
        for index in range(1, len(lines)):
            line = lines[index]
            if FENCE.match(line.rstrip("\r\n")):
                # Not there yet: add it as the front matter's last line, with the file's own line ending.
                # The line before the closing fence (or the opening fence) always ends with a line break.
                previous = lines[index - 1]
                ending = previous[len(previous.rstrip("\r\n")) :] or newline
                lines.insert(index, f"{key}: {value}{ending}")
                break
            if key_line.match(line):
                ending = line[len(line.rstrip("\r\n")) :]
                lines[index] = f"{key}: {value}{ending}"
                break
        else:
            raise ContentError("front matter: opening '---' has no closing '---'", line=1)
    else:
        lines[:0] = ["---" + newline, f"{key}: {value}{newline}", "---" + newline]
    result = "".join(lines).encode("utf-8")
    return _BOM + result if bom else result


@dataclass(frozen=True)
class PinResult:
    """What ``--pin`` wrote."""

    translation: str
    source: str
    sha: str
    dirty: bool
    """The source had uncommitted changes: the pin names its last commit, so they will show as outdated."""


def pin_translation(root: Path, translation: str, source: str, history: History, key: str = PIN_KEY) -> PinResult:
    """Pin ``translation`` (volume-relative) to the newest commit that changed ``source``, under ``key``."""
    if not history.repository:
        raise ContentError("cannot pin: the volume is not in a git repository with commits", translation)
    commit = history.last_commit(source)
    if commit is None:
        raise ContentError(f"cannot pin: {source} has never been committed; commit it first", translation)
    path = root / translation
    try:
        data = path.read_bytes()
        path.write_bytes(set_front_matter_value(data, key, commit.sha))
    except UnicodeDecodeError as exc:
        raise ContentError(f"cannot pin: not valid UTF-8 ({exc.reason})", translation) from None
    except ContentError as exc:
        raise ContentError(f"cannot pin: {exc.message}", translation, exc.line) from None
    except OSError as exc:
        raise ContentError(f"cannot pin: {exc.strerror}", translation) from None
    dirty = source in history.dirty
    log.info("%s: pinned to %s (%s %s)", translation, commit.short, commit.date, commit.subject)
    if dirty:
        log.warning("%s has uncommitted changes: the pin names its last commit %s, so the translation will show "
                    "as outdated until the source is committed and pinned again", source, commit.short)
    return PinResult(translation, source, commit.sha, dirty)
