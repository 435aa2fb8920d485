"""A plain-git ground truth for ``taiyaku check`` on a real repository, and its precision and recall against it.

The rule (Kubernetes' ``lsync.sh``, with ancestry) for each page of the translation's folder:

- **missing**: a source page with no translation page at the same relative path;
- **orphan**: a translation page with no source page at the same relative path;
- **outdated**: with ``C`` = the translation page's last commit (``git log -1 -- <translation>``),
  ``git log C..HEAD -- <source>`` is non-empty (a source commit the translation's commit does not contain,
  side branches included) **and** ``git diff C HEAD -- <source>`` is non-empty (the source really differs).

Pages follow Hugo's content model: every ``*.md`` file, ``_index.md`` included; other files and folders
whose names start with ``_`` (``_TEMPLATE.md``) are not pages, nor are sources whose front matter says
``draft: true`` (Hugo does not publish them; a ``grep``, not YAML). Two or three processes per page: slow on
purpose, it is the script taiyaku replaces.

``--tidy`` refines "the translation page's last commit" the way ``taiyaku check`` does (docs/check.md), by
reading each commit's diff (``git show -U0``) instead of the files: a translation commit whose removed and added
lines are the same text once all white space is removed (re-wrapping), or whose changed lines are all front
matter lines of keys that hold no text to translate (``status:``, ``tags:``…), is skipped, and the commit before
it is taken.

    python tests/check/lsync_truth.py GLOSSARY_CLONE [--source en] [--lang ja] [--tidy]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path


def pages(root: Path, lang: str) -> set[str]:
    """Relative paths of the pages of ``content/<lang>/`` under Hugo's content model."""
    base = root / "content" / lang
    found = set()
    for path in base.rglob("*.md"):
        rel = path.relative_to(base).as_posix()
        parts = rel.split("/")
        if any(p.startswith(".") for p in parts):
            continue
        if any(p.startswith("_") for p in parts[:-1]):
            continue
        if parts[-1].startswith("_") and parts[-1] != "_index.md":
            continue
        found.add(rel)
    return found


def draft(path: Path) -> bool:
    """Whether the file's front matter says ``draft: true`` (any case of the key)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.startswith("---"):
        return False
    front = text.split("\n---", 1)[0]
    return re.search(r"^draft:\s*true\s*$", front, re.M | re.I) is not None


TRANSLATABLE = ("title", "subtitle", "linktitle", "description", "abstract", "summary", "authors", "keywords")
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*):")


def tidy_only(root: Path, sha: str, path: str) -> bool:
    """Whether the commit changed the file only by white space or in non-translatable front matter lines."""
    diff = _git(root, "show", "-U0", "--format=", sha, "--", path)
    removed, added, keys_only = [], [], True
    for line in diff.splitlines():
        if line.startswith(("---", "+++", "@@", "diff ", "index ", "new file", "deleted file")):
            if line.startswith("new file"):
                return False
            continue
        if line[:1] in "+-":
            (added if line[0] == "+" else removed).append(line[1:])
            key = _FRONT_KEY.match(line[1:])
            if not key or key[1].lower() in TRANSLATABLE:
                keys_only = False
    return keys_only or re.sub(r"\s", "", "".join(removed)) == re.sub(r"\s", "", "".join(added))


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


@dataclass
class Truth:
    """The ground truth's statuses, by relative path."""

    missing: set[str] = field(default_factory=set)
    orphan: set[str] = field(default_factory=set)
    outdated: set[str] = field(default_factory=set)
    current: set[str] = field(default_factory=set)


def ground_truth(root: Path, source: str = "en", lang: str = "ja", tidy: bool = False) -> Truth:
    """Statuses of every page of ``lang`` by the rule in this module's docstring."""
    src = {rel for rel in pages(root, source) if not draft(root / "content" / source / rel)}
    dst = pages(root, lang)
    drafts = pages(root, source) - src
    truth = Truth(missing=src - dst, orphan=dst - src - drafts)
    for rel in sorted(src & dst):
        commits = _git(root, "log", "--format=%H", "--", f"content/{lang}/{rel}").split()
        if tidy:
            while len(commits) > 1 and tidy_only(root, commits[0], f"content/{lang}/{rel}"):
                commits.pop(0)
        last = commits[0] if commits else ""
        if not last:
            truth.current.add(rel)  # never committed: made from the source as it is
            continue
        later = _git(root, "log", "--format=%H", f"{last}..HEAD", "--", f"content/{source}/{rel}").strip()
        changed = later and _git(root, "diff", "--name-only", last, "HEAD", "--", f"content/{source}/{rel}").strip()
        (truth.outdated if changed else truth.current).add(rel)
    return truth


def checked(root: Path, lang: str = "ja", taiyaku: str | None = None) -> dict[str, str]:
    """``taiyaku check --lang LANG --format json`` statuses by relative path."""
    command = [taiyaku or str(Path(sys.executable).parent / "taiyaku"),
               "check", "--root", str(root), "--lang", lang, "--format", "json"]
    report = json.loads(subprocess.run(command, capture_output=True, text=True, check=False).stdout)
    found = {}
    for doc in report["languages"][lang]["documents"]:
        path = doc["translation"] or doc["source"]
        found[path.split("/", 2)[2]] = doc["status"]
    return found


def score(truth: Truth, statuses: dict[str, str]) -> dict[str, object]:
    """Precision and recall of ``outdated``; the differences of ``missing`` and ``orphan``."""
    outdated = {rel for rel, status in statuses.items() if status == "outdated"}
    hits = outdated & truth.outdated
    result: dict[str, object] = {
        "truth_outdated": len(truth.outdated), "check_outdated": len(outdated), "both": len(hits),
        "precision": round(len(hits) / len(outdated), 3) if outdated else 1.0,
        "recall": round(len(hits) / len(truth.outdated), 3) if truth.outdated else 1.0,
        "false_positives": sorted(outdated - truth.outdated), "false_negatives": sorted(truth.outdated - outdated),
    }
    for status in ("missing", "orphan"):
        found = {rel for rel, s in statuses.items() if s == status}
        expected = getattr(truth, status)
        result[status] = {"truth": len(expected), "check": len(found), "only_truth": sorted(expected - found),
                          "only_check": sorted(found - expected)}
    return result


def main() -> None:
    """Print the ground truth's figures and the check's score as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--source", default="en")
    parser.add_argument("--lang", default="ja")
    parser.add_argument("--taiyaku", help="the taiyaku command to score (default: the one beside this Python)")
    parser.add_argument("--tidy", action="store_true", help="skip translation commits that only tidied it")
    args = parser.parse_args()
    truth = ground_truth(args.root, args.source, args.lang, args.tidy)
    print(json.dumps(score(truth, checked(args.root, args.lang, args.taiyaku)), indent=2))


if __name__ == "__main__":
    main()
