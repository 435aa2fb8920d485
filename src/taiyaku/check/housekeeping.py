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
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Sequence

import yaml

from ..read.frontmatter import FAST_LOADER, split_front_matter
from ..read.plainyaml import plain_yaml
from .cache import make_key
from .equivalence import MarkupRules
from .history import Commit, History

if TYPE_CHECKING:
    from .cache import CheckCache

log = logging.getLogger(__name__)

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MARKUP = re.compile(r"[\s*_`#>|~=+\-\\]+")
"""White space and markup characters, left out of the text compared (what :func:`strip_markup` removes)."""
_MARKUP_CHARACTERS = "*_`#>|~=+-\\"
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2010-\u2027]+")
"""ASCII, CJK and general punctuation: a translation commit that changes only these is no re-translation."""
_TARGET = re.compile(r"(\]\([^)]*\)|https?://\S+|\]:\S+)")


def strip_markup(text: str) -> str:
    """``text`` without white space and markup characters: ``_MARKUP.sub("", text)``, three to four times faster.

    ``str.split()`` and the regular expression's ``\\s`` both take white space as ``str.isspace()`` does; on
    1,000 documents the regular expression was a tenth of a cold check's processor time.
    """
    text = "".join(text.split())
    for character in _MARKUP_CHARACTERS:
        if character in text:
            text = text.replace(character, "")
    return text


def translated_text(data: bytes | None, keys: Sequence[str], punctuation: bool = True) -> str | None:
    """What a reader sees as translated text in a file: translatable front matter values and the body without
    white space and markup (and punctuation, unless ``punctuation``); ``None`` when there is no file."""
    if data is None:
        return None
    kept, body = _front_and_body(data, keys)
    if not punctuation:
        # Link targets are content (a trailing "/" added to follow the source's links counts): kept as written.
        parts = _TARGET.split(body)
        body = "".join(part if index % 2 else _PUNCTUATION.sub("", part) for index, part in enumerate(parts))
    return repr(sorted(kept.items())) + body


@lru_cache(maxsize=4096)
def parsed_yaml(yaml_text: str) -> tuple[bool, Any]:
    """(parsed, data) of a front matter's YAML, once per text: the same front matter is read at a commit and its
    parent, and as the old source, the new one and the translation of an outdated pair. Callers never change
    the data."""
    plain = plain_yaml(yaml_text)
    if plain is not None:
        return True, plain
    try:
        return True, yaml.load(yaml_text, Loader=FAST_LOADER)  # noqa: S506 (a safe loader)
    except (yaml.YAMLError, ValueError, OverflowError):
        return False, None


def _front_and_body(data: bytes, keys: Sequence[str] | None,
                    rules: MarkupRules | None = None) -> tuple[dict[str, str], str]:
    """Front matter values (``repr``, by lower-case key; only ``keys`` unless ``None``) and the body without
    white space, markup and comments, equivalent markup written one way (``rules``)."""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")
    split = split_front_matter(text)
    if isinstance(split, int):
        return {}, strip_markup(text)
    values: Any = {}
    if split.yaml_start_line:
        parsed, values = parsed_yaml(split.yaml_text)
        if not parsed:
            values = {"": split.yaml_text}  # unparsable: any change of it counts
    wanted = {key.lower() for key in keys} | {""} if keys is not None else None
    kept = {str(k).lower(): repr(v) for k, v in values.items() if wanted is None or str(k).lower() in wanted} \
        if isinstance(values, dict) else {"": repr(values)}
    body = split.body
    if "<!--" in body:
        body = _COMMENT.sub("", body)
    if rules is not None:
        body = rules.normalize(body)
    return kept, strip_markup(body)


NEVER_TRANSLATED = frozenset({
    "weight", "aliases", "slug", "url", "date", "lastmod", "publishdate", "expirydate", "draft", "layout", "type",
    "id", "sidebar_position", "toc", "menu", "source_commit", "default_lang_commit"})
"""Front matter keys whose change is never one to translate, whatever a translation holds there."""


def keys_to_follow(old: dict[str, Any], new: dict[str, Any], translation: dict[str, Any],
                   keys: Sequence[str]) -> list[str]:
    """The front matter keys (lower case) a source changed from ``old`` to ``new`` that its translation has to
    follow: ``[check] translatable_keys``, and keys the translation translated (its value differs from the
    old source's: the glossary's ``tags``, UID2's ``banner_title``), unless the translation already holds the
    new value or the key is one of :data:`NEVER_TRANSLATED`."""
    wanted = {key.lower() for key in keys} | {""}
    found = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) == new.get(key) or translation.get(key) == new.get(key):
            continue
        if key in wanted or (key not in NEVER_TRANSLATED and key in translation and translation[key] != old.get(key)):
            found.append(key)
    return found


def source_drift(old: bytes | None, new: bytes | None, translation: bytes | None, keys: Sequence[str],
                 rules: MarkupRules | None = None) -> bool:
    """Whether a source went from ``old`` to ``new`` in text a translator has to follow.

    White space, markup style and front matter a translator need not follow (:func:`keys_to_follow`) aside.
    """
    if old is None or new is None:
        return old != new
    old_keys, old_body = _front_and_body(old, None, rules)
    new_keys, new_body = _front_and_body(new, None, rules)
    if old_body != new_body:
        return True
    done = _front_and_body(translation, None)[0] if translation is not None else {}
    return bool(keys_to_follow(old_keys, new_keys, done, keys))


def retranslated(before: bytes | None, after: bytes | None, keys: Sequence[str]) -> bool:
    """Whether a commit that turned ``before`` into ``after`` changed the translated text (punctuation aside)."""
    return before is None or translated_text(before, keys, False) != translated_text(after, keys, False)


def translation_bases(history: History, pairs: Sequence[tuple[str, str]], keys: Sequence[str],
                      cache: CheckCache | None = None) -> dict[str, Commit | None]:
    """Each unpinned translation's base: its newest commit that re-translated it.

    ``pairs`` are (source, translation) volume-relative paths. Files are read only for translations with more
    than one commit, newest first, until a re-translation is found; with ``cache``, only for translations whose
    commits (and which of them touched the source) were not decided by an earlier check.
    """
    bases: dict[str, Commit | None] = {}
    pending: dict[str, tuple[list[Commit], int]] = {}
    sources_of: dict[str, set[Commit]] = {}
    source_path: dict[str, str] = {}
    cache_keys: dict[str, str] = {}
    for source, translation in pairs:
        source_path[translation] = source
        own = history.translation_commits(translation)
        bases[translation] = own[0] if own else None
        source_commits = history.touched.get(source, [])
        # Read even where the status would not change: the base is reported (``translated_from``), and a
        # weight-only commit is not what the translation was made from.
        if len(own) > 1:
            touched = set(source_commits)
            if cache is not None and cache.enabled:
                # The files at those commits never change: the same commits give the same base.
                key = cache_keys[translation] = make_key("base", source, translation, [c.sha for c in own],
                                                         [c in touched for c in own], list(keys))
                sha = cache.get(key)
                known = next((c for c in own if c.sha == sha), None) if isinstance(sha, str) else None
                if known is not None:
                    bases[translation] = known
                    continue
            pending[translation] = (own, 0)
            sources_of[translation] = touched
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
    if cache is not None:
        for translation, key in cache_keys.items():
            base = bases[translation]
            if base is not None:
                cache.put(key, base.sha)
    return bases
