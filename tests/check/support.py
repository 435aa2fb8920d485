"""Helpers of the ``check`` tests: an in-process ``taiyaku check`` runner that captures stdout and stderr, and small
git repositories built commit by commit with fixed dates."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

CHECK_TESTS = Path(__file__).resolve().parent
CHECK_ROOTS = CHECK_TESTS / "roots"
REPO = CHECK_TESTS.parent.parent


def _main(argv: list[str]) -> int:
    """``taiyaku.cli.main``, the real command line."""
    from taiyaku import cli

    return cli.main(argv)


def run_check(*args: object) -> tuple[int, str, str]:
    """``taiyaku check ARGS`` in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = _main(["check", *(str(a) for a in args)])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def check_json(*args: object) -> tuple[int, dict[str, Any]]:
    """``taiyaku check --format json ARGS``: (exit code, the parsed report)."""
    code, out, err = run_check("--format", "json", *args)
    assert out, err
    return code, json.loads(out)


def documents(report: dict[str, Any], lang: str = "ja") -> dict[str, dict[str, Any]]:
    """A language's document entries keyed by the file's name (translation, else source), without the prefix."""
    found = {}
    for doc in report["languages"][lang]["documents"]:
        path = doc["translation"] or doc["source"]
        found[path.rsplit("/", 1)[-1]] = doc
    return found


class Repo:
    """A git repository in a temporary folder; commits get fixed, increasing dates (one day apart)."""

    START = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.timezone.utc)

    def __init__(self, root: Path) -> None:
        self.root = root
        self.commits = 0
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q")

    def git(self, *args: str) -> str:
        """Run git in the repository; its output."""
        env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_AUTHOR_NAME="Tester",
                   GIT_AUTHOR_EMAIL="tester@example.org", GIT_COMMITTER_NAME="Tester",
                   GIT_COMMITTER_EMAIL="tester@example.org")
        if self.commits:
            date = (self.START + dt.timedelta(days=self.commits - 1)).isoformat()
            env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        result = subprocess.run(["git", "-C", str(self.root), *args], env=env, capture_output=True, text=True,
                                check=True)
        return result.stdout.strip()

    def write(self, rel: str, text: str) -> Path:
        """Write a file (UTF-8, as given)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return path

    def commit(self, message: str) -> str:
        """Commit everything; the new commit's full hash."""
        self.commits += 1
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def date(self) -> str:
        """The date of the last commit (``YYYY-MM-DD``)."""
        return (self.START + dt.timedelta(days=self.commits - 1)).date().isoformat()
