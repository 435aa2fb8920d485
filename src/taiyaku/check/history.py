"""Git history of ``content/`` in one pass, and when a translation fell behind its source.

A constant number of ``git`` processes per check, never one per file: ``rev-parse`` (where the volume sits in
the repository, shallow or not), one ``log --name-status`` over the whole history, one ``status`` for
uncommitted edits, and one ``cat-file --batch`` that reads every old source needed for the block diff.

Two rules decide whether a translation is outdated (docs/check.md, "Outdated translations"):

- **pinned** (``source_commit:`` in the translation's front matter): any later commit that touched the source;
- **unpinned**: a commit that touched the source after the translation's own last commit, when the source
  differs since then (Kubernetes' ``lsync.sh``).

Commits whose message holds an ignore marker (``fix typo``, ``[skip l10n]``) count for neither side, so a typo
fix in a translation does not hide a real change of its source. Uncommitted edits of the source count.
"""

from __future__ import annotations

import logging
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

log = logging.getLogger(__name__)

from ..config import DEFAULT_IGNORE_MARKERS
"""Commit messages holding one of these (case-insensitive) do not count as changes."""
CONTENT_PREFIX = "content/"


@dataclass(frozen=True)
class Commit:
    """One commit of the repository, as ``git log`` listed it."""

    sha: str
    index: int
    """Position in ``git log --topo-order`` (0 = newest): a smaller index is a later commit."""
    date: str
    """Committer date, ``YYYY-MM-DD``."""
    subject: str
    ignored: bool
    """Its message holds an ignore marker."""

    @property
    def short(self) -> str:
        """The abbreviated hash."""
        return self.sha[:7]


@dataclass
class Staleness:
    """How a translation stands against its source's history."""

    base: Commit | None
    """The commit the translation was made from: its pin, or (unpinned) its own last commit."""
    pinned: bool
    later: list[Commit] = field(default_factory=list)
    """Source commits after ``base`` that count (ignore markers left out), newest first."""
    dirty: bool = False
    """The source has uncommitted changes."""
    unknown_pin: str | None = None
    """Why the pin could not be resolved."""
    shallow_pin: bool = False
    """The pin is missing because the clone is shallow (a warning, not an error)."""

    @property
    def candidate(self) -> bool:
        """Whether the source may have changed since ``base`` (still to be confirmed by content)."""
        return self.base is not None and (bool(self.later) or self.dirty)


@dataclass
class History:
    """What the check knows from git; ``repository`` is false when there is no usable repository."""

    root: Path
    repository: bool = False
    shallow: bool = False
    head: str | None = None
    prefix: str = ""
    """The volume root's path inside the repository (``""`` or ``docs/volume/``)."""
    commits: list[Commit] = field(default_factory=list)
    touched: dict[str, list[Commit]] = field(default_factory=dict)
    """Volume-relative path under ``content/`` → commits that changed it, newest first."""
    dirty: set[str] = field(default_factory=set)
    """Volume-relative paths with uncommitted changes (or untracked)."""
    notes: list[str] = field(default_factory=list)
    _by_prefix: dict[str, list[Commit]] = field(default_factory=dict, repr=False)

    def resolve(self, rev: str) -> Commit | None:
        """The commit a full or abbreviated (7+ digits) hash names, if the history holds it unambiguously."""
        rev = rev.strip().lower()
        if len(rev) < 7 or any(c not in "0123456789abcdef" for c in rev):
            return None
        if not self._by_prefix:
            for commit in self.commits:
                self._by_prefix.setdefault(commit.sha[:7], []).append(commit)
        found = [c for c in self._by_prefix.get(rev[:7], []) if c.sha.startswith(rev)]
        return found[0] if len(found) == 1 else None

    def last_commit(self, path: str) -> Commit | None:
        """The newest commit that changed ``path`` (ignore markers or not)."""
        commits = self.touched.get(path)
        return commits[0] if commits else None

    def staleness(self, source: str, translation: str, pin: str | None) -> Staleness:
        """Where the translation stands: its base commit and the source commits since."""
        source_commits = self.touched.get(source, [])
        dirty = source in self.dirty
        if pin is not None:
            base = self.resolve(pin)
            if base is None:
                if self.shallow:
                    return Staleness(None, True, dirty=dirty, shallow_pin=True,
                                     unknown_pin=f"source_commit {pin} is not in this shallow clone's history: "
                                                 "fetch the whole history (git fetch --unshallow) to check it")
                return Staleness(None, True, dirty=dirty,
                                 unknown_pin=f"source_commit {pin} is not a commit of this repository's history")
            later = [c for c in source_commits if c.index < base.index and not c.ignored]
            return Staleness(base, True, later, dirty)
        own = self.touched.get(translation, [])
        # A translation whose every commit is marked still was made at its newest one.
        base = next((c for c in own if not c.ignored), own[0] if own else None)
        if base is None:
            # Never committed: made from the source as it is now.
            return Staleness(None, False)
        later = [c for c in source_commits if c.index < base.index and not c.ignored]
        return Staleness(base, False, later, dirty)

    def read_blobs(self, requests: Iterable[tuple[str, str]]) -> dict[tuple[str, str], bytes | None]:
        """File contents at commits, ``(sha, volume-relative path)`` → bytes (``None``: no such file then).

        One ``git cat-file --batch`` process reads them all.
        """
        wanted = sorted(set(requests))
        if not wanted or not self.repository:
            return {key: None for key in wanted}
        query = "".join(f"{sha}:{self.prefix}{path}\n" for sha, path in wanted).encode("utf-8")
        result = _git(self.root, ["cat-file", "--batch"], stdin=query)
        found: dict[tuple[str, str], bytes | None] = {}
        data = result.stdout if result is not None and result.returncode == 0 else b""
        at = 0
        for key in wanted:
            end = data.find(b"\n", at)
            if end < 0:
                found[key] = None
                continue
            header = data[at:end].split()
            at = end + 1
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                found[key] = data[at : at + size]
                at += size + 1
            elif len(header) == 3:
                at += int(header[2]) + 1  # a tree or other object: skip its content
                found[key] = None
            else:
                found[key] = None  # "<name> missing"
        return found


def _git(root: Path, args: Sequence[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes] | None:
    """Run git in ``root``; ``None`` when git is not installed."""
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C", GIT_OPTIONAL_LOCKS="0")
    command = ["git", "-C", str(root), "-c", "log.showSignature=false", "-c", "core.quotePath=off", *args]
    log.debug("running %s", " ".join(command))
    try:
        return subprocess.run(command, input=stdin, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        return None


def matches_marker(message: str, markers: Sequence[str]) -> bool:
    """Whether a commit message holds one of the ignore markers (case-insensitive)."""
    lowered = message.lower()
    return any(marker.lower() in lowered for marker in markers if marker)


def load_history(root: Path, markers: Sequence[str] = DEFAULT_IGNORE_MARKERS) -> History:
    """Read the repository around ``root`` once; notes say why history is missing or cut short."""
    history = History(root)
    probe = _git(root, ["rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository", "HEAD"])
    if probe is None:
        history.notes.append("git is not installed: outdated translations are not checked")
        return history
    lines = probe.stdout.decode("utf-8", "replace").splitlines()
    if len(lines) < 3:
        reason = probe.stderr.decode("utf-8", "replace").strip().splitlines()
        if reason and "not a git repository" not in reason[0]:
            history.notes.append(f"git: {reason[0].removeprefix('fatal: ')}: outdated translations are not checked")
        else:
            history.notes.append("not a git repository: outdated translations are not checked")
        return history
    history.prefix = lines[1].strip()
    history.shallow = lines[2].strip() == "true"
    if probe.returncode != 0 or len(lines) < 4:
        history.notes.append("the git repository has no commits yet: outdated translations are not checked")
        return history
    history.repository = True
    history.head = lines[3].strip()
    if history.shallow:
        history.notes.append("shallow clone: history before the clone's oldest commit is not available, "
                             "so translations are checked only against the commits it has")

    # --relative (no path): every commit is listed, with only the files under the root, paths root-relative.
    result = _git(root, ["log", "--topo-order", "--no-renames", "--no-color", "--relative", "--name-status", "-z",
                         "--format=%x1e%H%x1f%cs%x1f%B%x1f", "HEAD", "--"])
    if result is None or result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip() if result is not None else "git failed"
        history.notes.append(f"git log failed ({reason}): outdated translations are not checked")
        history.repository = False
        return history
    _parse_log(result.stdout.decode("utf-8", "replace"), history, markers)

    status = _git(root, ["status", "--porcelain", "-z", "--untracked-files=all", "--no-renames", "--", "content"])
    if status is not None and status.returncode == 0:
        for entry in status.stdout.decode("utf-8", "replace").split("\0"):
            if len(entry) > 3:
                path = entry[3:]
                if path.startswith(history.prefix):
                    history.dirty.add(path[len(history.prefix) :])
    return history


def _parse_log(text: str, history: History, markers: Sequence[str]) -> None:
    """Fill ``commits`` and ``touched`` from ``git log -z --name-status`` output."""
    for index, chunk in enumerate(text.split("\x1e")[1:]):
        fields = chunk.split("\x1f")
        if len(fields) < 4:
            continue
        sha, date, message, files = fields[0], fields[1], fields[2], fields[3]
        subject = message.strip().split("\n", 1)[0]
        commit = Commit(sha, index, date, subject, matches_marker(message, markers))
        history.commits.append(commit)
        tokens = [t.strip("\n") for t in files.split("\0")]
        tokens = [t for t in tokens if t]
        for status, path in zip(tokens[0::2], tokens[1::2]):
            if path.startswith(CONTENT_PREFIX):
                history.touched.setdefault(path, []).append(commit)
