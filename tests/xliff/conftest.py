"""Fixtures of the XLIFF tests: the sample volume and the CNCF glossary as git repositories in a temp folder."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE_PARTS = ("content", "images", "locales", "templates", "volume.toml")
SCHEMAS = Path(os.environ.get("TAIYAKU_XLIFF_SCHEMAS", REPO / ".cache" / "xliff-schemas"))


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a fixed identity; returns its output."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True, env=env).stdout


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of a tree (``.git`` and ``build`` left out), by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not {".git", "build"} & set(p.relative_to(root).parts)}


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The repository's sample volume, committed in a fresh git repository."""
    root = tmp_path / "sample"
    root.mkdir()
    for part in SAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        elif source.is_file():
            shutil.copy2(source, root / part)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "sample")
    return root


@pytest.fixture(scope="module")
def cncf_bundle(cncf_glossary: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of the session's cncf/glossary clone, for this module to write in (skipped without the bundle)."""
    root = tmp_path_factory.mktemp("cncf") / "glossary"
    subprocess.run(["git", "clone", "-q", str(cncf_glossary), str(root)], check=True, capture_output=True)
    return root
