"""Fixtures of the ``check`` tests: copies of ``tests/check/roots/`` and scripted git repositories.

``tests/check`` is a package so that this file does not take the place of ``tests/conftest.py`` as the module
``conftest``; the helpers live in ``support.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .support import CHECK_ROOTS, Repo


@pytest.fixture
def check_root(tmp_path: Path):
    """``check_root(name)``: a fresh copy of ``tests/check/roots/<name>/`` (not a git repository)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(CHECK_ROOTS / name, target)
        return target

    return copy


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """An empty git repository at ``<tmp_path>/vol``."""
    return Repo(tmp_path / "vol")
