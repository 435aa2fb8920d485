"""Git history of the content folders (``content/``, or the ``[content]`` layout's) in one pass, and when a translation fell behind its source.

A constant number of ``git`` processes per check, never one per file: ``rev-parse`` (where the volume sits in
the repository, shallow or not), one ``log --name-status`` over the whole history (with each commit's parents),
one ``status`` for uncommitted edits, and one ``cat-file --batch`` that reads every old file the check needs.

"Later" means "not an ancestor": a source commit counts against a translation when the commit the translation
was made from (its base) does not contain it — what ``git log <base>..HEAD -- <source>`` lists — so a source
edit made on a side branch and merged after the translation counts although it is older. Ancestry is computed
in memory, one Python integer per commit used as a bit set over commit indexes. Two rules pick the base
(docs/check.md, "Outdated translations"):

- **pinned** (``source_commit:``, or ``[check] pin_key``, in the translation's front matter): the pin;
- **unpinned**: the translation's last commit that re-translated it (see :mod:`.housekeeping`); the
  translation is outdated when, besides, the source differs since then (Kubernetes' ``lsync.sh``).

Commits whose message holds an ignore marker (``fix typo``, ``[skip l10n]``) count for neither side, so a typo
fix in a translation does not hide a real change of its source. Uncommitted edits of the source count.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Hashable, Iterable, Sequence, TypeVar

from ..config import DEFAULT_IGNORE_MARKERS

if TYPE_CHECKING:
    from .cache import CheckCache

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
CONTENT_PREFIX = "content/"


@dataclass(frozen=True)
class Commit:
    """One commit of the repository, as ``git log`` listed it."""

    sha: str
    index: int
    """Position in ``git log --topo-order`` (0 = newest): a commit's parents have larger indexes."""
    date: str
    """Committer date, ``YYYY-MM-DD``."""
    subject: str
    ignored: bool
    """Its message holds an ignore marker."""
    parents: tuple[int, ...] = ()
    """Indexes of its parents (those the history holds: a shallow clone's boundary has none)."""
    authored: str = ""
    """Author and author date (``name <mail> 2026-05-01T…``): a cherry-pick keeps them, with a new hash."""

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
    """Source commits ``base`` does not contain (not its ancestors) that count (ignore markers left out), newest
    first."""
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
    prefixes: tuple[str, ...] = (CONTENT_PREFIX,)
    """The volume-relative folders whose files' history is kept (``content/``, or the layout's)."""
    commits: list[Commit] = field(default_factory=list)
    touched: dict[str, list[Commit]] = field(default_factory=dict)
    """Volume-relative path under one of ``prefixes`` → commits that changed it, newest first."""
    dirty: set[str] = field(default_factory=set)
    """Volume-relative paths with uncommitted changes (or untracked)."""
    notes: list[str] = field(default_factory=list)
    _by_prefix: dict[str, list[Commit]] = field(default_factory=dict, repr=False)
    _ancestry: list[int] = field(default_factory=list, repr=False)
    _blobs: BlobReader | None = field(default=None, repr=False)

    def ancestors(self, commit: Commit) -> int:
        """The commit and its ancestors as a bit set over commit indexes (bit ``i`` set: commit ``i``)."""
        if not self._ancestry:
            # Parents come after their children in topological order: fill from the oldest commit up.
            ancestry = [0] * len(self.commits)
            for c in reversed(self.commits):
                bits = 1 << c.index
                for parent in c.parents:
                    bits |= ancestry[parent]
                ancestry[c.index] = bits
            self._ancestry = ancestry
        return self._ancestry[commit.index]

    def not_contained(self, commits: Iterable[Commit], base: Commit) -> list[Commit]:
        """Of ``commits``, those ``base`` does not contain (not ancestors of it), ignore markers left out."""
        contained = self.ancestors(base)
        return [c for c in commits if not c.ignored and not (contained >> c.index) & 1]

    def distinct(self, commits: list[Commit]) -> list[Commit]:
        """``commits`` with cherry-picked copies (same author, author date and subject) listed once, the newest."""
        seen: set[tuple[str, str]] = set()
        kept = []
        for commit in commits:
            key = (commit.authored, commit.subject)
            if not commit.authored or key not in seen:
                seen.add(key)
                kept.append(commit)
        return kept

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

    def translation_commits(self, translation: str) -> list[Commit]:
        """The commits that may have made the translation, newest first: those without an ignore marker.

        A translation whose every commit is marked still was made at its newest one.
        """
        own = self.touched.get(translation, [])
        counted = [c for c in own if not c.ignored]
        return counted or own[:1]

    def pinned(self, source: str, pin: str, key: str = "source_commit") -> Staleness:
        """Where a pinned translation stands: the pin and the source commits it does not contain."""
        dirty = source in self.dirty
        base = self.resolve(pin)
        if base is None:
            if self.shallow:
                return Staleness(None, True, dirty=dirty, shallow_pin=True,
                                 unknown_pin=f"{key} {pin} is not in this shallow clone's history: "
                                             "fetch the whole history (git fetch --unshallow) to check it")
            return Staleness(None, True, dirty=dirty,
                             unknown_pin=f"{key} {pin} is not a commit of this repository's history")
        return Staleness(base, True, self.distinct(self.not_contained(self.touched.get(source, []), base)), dirty)

    def since(self, source: str, base: Commit | None) -> Staleness:
        """Where an unpinned translation made at ``base`` stands (``None``: never committed, so current)."""
        if base is None:
            return Staleness(None, False)
        return Staleness(base, False, self.distinct(self.not_contained(self.touched.get(source, []), base)),
                         source in self.dirty)

    def read_blobs(self, requests: Iterable[tuple[str, str]]) -> dict[tuple[str, str], bytes | None]:
        """File contents at commits, ``(rev, volume-relative path)`` → bytes (``None``: no such file then).

        One ``git cat-file --batch`` process, kept open for the whole check, reads them all; ``rev`` may be
        ``<sha>^`` (the file before that commit).
        """
        wanted = sorted(set(requests))
        if not wanted or not self.repository:
            return {key: None for key in wanted}
        if self._blobs is None:
            self._blobs = BlobReader(self.root)
        return self._blobs.read([(f"{rev}:{self.prefix}{path}", (rev, path)) for rev, path in wanted])

    def close(self) -> None:
        """Stop the ``cat-file`` process, if one was started."""
        if self._blobs is not None:
            self._blobs.close()
            self._blobs = None


class BlobReader:
    """A running ``git cat-file --batch``: requests are written by a thread while answers are read, so that
    neither pipe fills up and blocks the other side."""

    def __init__(self, root: Path) -> None:
        command = ["git", "-C", str(root), "cat-file", "--batch"]
        log.debug("running %s", " ".join(command))
        try:
            self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env())
        except FileNotFoundError:
            self.process = None

    def read(self, requests: list[tuple[str, K]]) -> dict[K, bytes | None]:
        """Each ``(object name, key)`` → its blob's bytes (``None``: missing, or not a blob)."""
        found: dict[K, bytes | None] = {key: None for _, key in requests}
        process = self.process
        if process is None or process.stdin is None or process.stdout is None or process.poll() is not None:
            return found
        query = "".join(f"{name}\n" for name, _ in requests).encode("utf-8")
        stdin = process.stdin

        def write() -> None:
            try:
                stdin.write(query)
                stdin.flush()
            except OSError:
                pass

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        out = process.stdout
        for _, key in requests:
            header = out.readline().split()
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                found[key] = out.read(size)
                out.read(1)
            elif len(header) == 3 and header[2].isdigit():
                out.read(int(header[2]) + 1)  # a tree or other object: skip its content
            elif not header:
                break  # git stopped answering
        writer.join()
        return found

    def close(self) -> None:
        """End the process."""
        if self.process is not None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait()
            self.process = None


def _env() -> dict[str, str]:
    return dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C", GIT_OPTIONAL_LOCKS="0")


def _git(root: Path, args: Sequence[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes] | None:
    """Run git in ``root``; ``None`` when git is not installed."""
    command = ["git", "-C", str(root), "-c", "log.showSignature=false", "-c", "core.quotePath=off", *args]
    log.debug("running %s", " ".join(command))
    try:
        return subprocess.run(command, input=stdin, capture_output=True, env=_env(), check=False)
    except FileNotFoundError:
        return None


def matches_marker(message: str, markers: Sequence[str]) -> bool:
    """Whether a commit message holds one of the ignore markers (case-insensitive)."""
    lowered = message.lower()
    return any(marker.lower() in lowered for marker in markers if marker)


def load_history(root: Path, markers: Sequence[str] = DEFAULT_IGNORE_MARKERS,
                 prefixes: Sequence[str] = (CONTENT_PREFIX,), cache: CheckCache | None = None) -> History:
    """Read the repository around ``root`` once, the files under ``prefixes`` (volume-relative folders ending in
    ``/``; ``""`` for all); notes say why history is missing or cut short. With ``cache``, the log of a HEAD
    read before is not asked of git again (what is uncommitted always is)."""
    history = History(root, prefixes=tuple(prefixes))
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

    # A commit's history never changes: the log of this HEAD, read with these settings, is read once.
    from .cache import make_key

    key = make_key("history", history.head, history.prefix, history.shallow, list(history.prefixes), list(markers))
    kept = cache.get(key) if cache is not None else None
    if kept is None or not _restore_log(kept, history):
        # --relative (no path): every commit is listed, with only the files under the root, paths root-relative.
        result = _git(root, ["log", "--topo-order", "--no-renames", "--no-color", "--relative", "--name-status", "-z",
                             "--format=%x1e%H%x1f%P%x1f%cs%x1f%an <%ae> %aI%x1f%B%x1f", "HEAD", "--"])
        if result is None or result.returncode != 0:
            reason = result.stderr.decode("utf-8", "replace").strip() if result is not None else "git failed"
            history.notes.append(f"git log failed ({reason}): outdated translations are not checked")
            history.repository = False
            return history
        _parse_log(result.stdout.decode("utf-8", "replace"), history, markers)
        if cache is not None:
            cache.put(key, _log_data(history))

    folders = [prefix.rstrip("/") for prefix in history.prefixes if prefix] if all(history.prefixes) else []
    status = _git(root, ["status", "--porcelain", "-z", "--untracked-files=all", "--no-renames", "--", *folders])
    if status is not None and status.returncode == 0:
        for entry in status.stdout.decode("utf-8", "replace").split("\0"):
            if len(entry) > 3:
                path = entry[3:]
                if path.startswith(history.prefix):
                    history.dirty.add(path[len(history.prefix) :])
    return history


def _parse_log(text: str, history: History, markers: Sequence[str]) -> None:
    """Fill ``commits`` and ``touched`` from ``git log -z --name-status`` output."""
    chunks = [chunk.split("\x1f") for chunk in text.split("\x1e")[1:]]
    chunks = [fields for fields in chunks if len(fields) >= 6]
    position = {fields[0]: index for index, fields in enumerate(chunks)}
    for index, fields in enumerate(chunks):
        sha, parents, date, authored, message, files = fields[:6]
        subject = message.strip().split("\n", 1)[0]
        parent_indexes = tuple(position[p] for p in parents.split() if p in position)
        commit = Commit(sha, index, date, subject, matches_marker(message, markers), parent_indexes, authored)
        history.commits.append(commit)
        tokens = [t.strip("\n") for t in files.split("\0")]
        tokens = [t for t in tokens if t]
        for status, path in zip(tokens[0::2], tokens[1::2]):
            if path.startswith(history.prefixes):
                history.touched.setdefault(path, []).append(commit)


def _log_data(history: History) -> dict[str, Any]:
    """The parsed log as cache data."""
    return {"commits": [[c.sha, c.date, c.subject, c.ignored, list(c.parents), c.authored] for c in history.commits],
            "touched": {path: [c.index for c in commits] for path, commits in history.touched.items()}}


def _restore_log(data: Any, history: History) -> bool:
    """Fill ``commits`` and ``touched`` from :func:`_log_data`; false (nothing filled) when the data is damaged."""
    try:
        commits = [Commit(sha, index, date, subject, bool(ignored), tuple(parents), authored)
                   for index, (sha, date, subject, ignored, parents, authored) in enumerate(data["commits"])]
        touched = {path: [commits[i] for i in indexes] for path, indexes in data["touched"].items()}
    except (KeyError, TypeError, ValueError, IndexError):
        return False
    history.commits, history.touched = commits, touched
    return True
