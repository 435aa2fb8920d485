"""Which commit of an unpinned translation last re-translated it: housekeeping commits do not count.

A commit that changes a translation only in ways a reader of the translation does not see as new translation
— white space and line wrapping, markup formatting (emphasis marks, list bullets, heading style, HTML comments),
front matter keys that hold no text to translate (``status``, ``tags``,
``weight``…; the keys that do are ``[check] translatable_keys``) — does not make the translation fresh: the
translation's base stays the commit before. A commit that changes the source's text as well counts (source and
translation were edited together); one that tidies both alike (a bulk removal of ``sidebar_position`` from every
file of a Docusaurus tree) does not. Link targets are content: a commit that localizes or fixes them counts. Ignore markers in commit messages (``fix typo``) still apply first.

Reading the files costs one request per candidate commit to the check's single ``git cat-file`` process, asked
in rounds: first every translation's newest commit, then the next one of those that were housekeeping.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Sequence

import yaml

from ..read.frontmatter import FAST_LOADER, split_front_matter
from .history import Commit, History

log = logging.getLogger(__name__)

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MARKUP = re.compile(r"[\s*_`#>|~=+\-\\]+")


def translated_text(data: bytes | None, keys: Sequence[str]) -> str | None:
    """What a reader sees as translated text in a file: translatable front matter values and the body without
    white space and markup; ``None`` when there is no file."""
    if data is None:
        return None
    text = data.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")
    split = split_front_matter(text)
    if isinstance(split, int):
        return _MARKUP.sub("", text)
    values: Any = {}
    if split.yaml_start_line:
        try:
            values = yaml.load(split.yaml_text, Loader=FAST_LOADER)  # noqa: S506 (a safe loader)
        except (yaml.YAMLError, ValueError, OverflowError):
            values = split.yaml_text  # unparsable: any change of it counts
    wanted = {key.lower() for key in keys}
    kept = sorted((str(k).lower(), repr(v)) for k, v in values.items() if str(k).lower() in wanted) \
        if isinstance(values, dict) else [("", repr(values))]
    body = split.body
    if "<!--" in body:
        body = _COMMENT.sub("", body)
    return repr(kept) + _MARKUP.sub("", body)


def _front_and_body(data: bytes, keys: Sequence[str]) -> tuple[dict[str, str], str]:
    """Translatable front matter values (``repr``, by lower-case key) and the body as :func:`translated_text`
    compares it."""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")
    split = split_front_matter(text)
    if isinstance(split, int):
        return {}, _MARKUP.sub("", text)
    values: Any = {}
    if split.yaml_start_line:
        try:
            values = yaml.load(split.yaml_text, Loader=FAST_LOADER)  # noqa: S506 (a safe loader)
        except (yaml.YAMLError, ValueError, OverflowError):
            values = {"": split.yaml_text}
    wanted = {key.lower() for key in keys} | {""}
    kept = {str(k).lower(): repr(v) for k, v in values.items() if str(k).lower() in wanted} \
        if isinstance(values, dict) else {"": repr(values)}
    return kept, _MARKUP.sub("", _COMMENT.sub("", split.body))


def source_drift(old: bytes | None, new: bytes | None, translation: bytes | None, keys: Sequence[str]) -> bool:
    """Whether a source went from ``old`` to ``new`` in text a translator has to follow.

    White space, markup style and keys outside ``keys`` aside; a translatable key whose translation already
    holds the new source value verbatim (a label kept in English, updated with it) is followed already.
    """
    if old is None or new is None:
        return old != new
    old_keys, old_body = _front_and_body(old, keys)
    new_keys, new_body = _front_and_body(new, keys)
    if old_body != new_body:
        return True
    done = _front_and_body(translation, keys)[0] if translation is not None else {}
    return any(done.get(key) != new_keys.get(key) for key in set(old_keys) | set(new_keys)
               if old_keys.get(key) != new_keys.get(key))


def retranslated(before: bytes | None, after: bytes | None, keys: Sequence[str]) -> bool:
    """Whether a commit that turned ``before`` into ``after`` changed the translated text."""
    return before is None or translated_text(before, keys) != translated_text(after, keys)


def translation_bases(history: History, pairs: Sequence[tuple[str, str]], keys: Sequence[str]) -> dict[str, Commit | None]:
    """Each unpinned translation's base: its newest commit that re-translated it.

    ``pairs`` are (source, translation) volume-relative paths. Files are read only for translations with more
    than one commit, newest first, until a re-translation is found.
    """
    bases: dict[str, Commit | None] = {}
    pending: dict[str, tuple[list[Commit], int]] = {}
    sources_of: dict[str, set[Commit]] = {}
    source_path: dict[str, str] = {}
    for source, translation in pairs:
        source_path[translation] = source
        own = history.translation_commits(translation)
        bases[translation] = own[0] if own else None
        source_commits = history.touched.get(source, [])
        # Read even where the status would not change: the base is reported (``translated_from``), and a
        # weight-only commit is not what the translation was made from.
        if len(own) > 1:
            pending[translation] = (own, 0)
            sources_of[translation] = set(source_commits)
    rounds = 0
    while pending:
        rounds += 1
        requests = []
        for translation, (own, at) in pending.items():
            requests += [(own[at].sha, translation), (own[at].sha + "^", translation)]
            if own[at] in sources_of[translation]:
                requests += [(own[at].sha, source_path[translation]), (own[at].sha + "^", source_path[translation])]
        blobs = history.read_blobs(requests)
        still: dict[str, tuple[list[Commit], int]] = {}
        for translation, (own, at) in pending.items():
            commit = own[at]
            # A commit that also changed the source's text kept the two in step, whatever it did to the translation.
            source = source_path[translation]
            synced = commit in sources_of[translation] and retranslated(
                blobs.get((commit.sha + "^", source)), blobs.get((commit.sha, source)), keys)
            if synced or retranslated(blobs.get((commit.sha + "^", translation)), blobs.get((commit.sha, translation)), keys):
                bases[translation] = commit
            elif at + 1 == len(own) - 1:
                bases[translation] = own[-1]  # the oldest counted commit made the translation, whatever it did
            else:
                bases[translation] = own[at + 1]
                still[translation] = (own, at + 1)
            if bases[translation] is not commit:
                log.debug("%s: %s %r only tidied the translation", translation, commit.short, commit.subject)
        pending = still
    log.debug("translation bases decided in %d round(s) of file reads", rounds)
    return bases
