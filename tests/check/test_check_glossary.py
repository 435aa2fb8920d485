"""``taiyaku check`` on a real repository (cncf/glossary, a git bundle) against the plain-git ground truth.

Skipped when the bundle is absent: set ``TAIYAKU_GLOSSARY_BUNDLE`` or put it at ``../shared/corpora/``.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .lsync_truth import ground_truth, score
from .support import REPO, check_json

BUNDLE = Path(os.environ.get("TAIYAKU_GLOSSARY_BUNDLE", REPO.parent / "shared" / "corpora" / "cncf-glossary.bundle"))


@pytest.fixture(scope="module")
def glossary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of the bundle."""
    if not BUNDLE.is_file():
        pytest.skip(f"no cncf/glossary bundle at {BUNDLE}")
    root = tmp_path_factory.mktemp("glossary") / "glossary"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(root)], check=True, capture_output=True)
    return root


def test_glossary_against_the_ground_truth(glossary: Path) -> None:
    _, report = check_json("--root", glossary, "--lang", "ja")
    statuses = {(d["translation"] or d["source"]).split("/", 2)[2]: d["status"]
                for d in report["languages"]["ja"]["documents"]}
    truth = ground_truth(glossary, tidy=True)
    # Read commit by commit (docs/check.md, "Real repositories"): the English pages dropped their "## What it is"
    # heading, and these two translations never had it, so they follow the source already.
    followed = {"continuous-integration.md", "virtualization.md"}
    assert followed <= truth.outdated
    truth.outdated -= followed
    truth.current |= followed
    result = score(truth, statuses)
    assert result["precision"] == result["recall"] == 1.0, result
    for status in ("missing", "orphan"):
        assert result[status]["only_truth"] == result[status]["only_check"] == [], result  # type: ignore[index]
    # Noise: no untranslated block that is only markup (shortcodes, comments, reference definitions).
    kinds = [p["kind"] for d in report["languages"]["ja"]["documents"] for p in d["problems"]]
    assert report["languages"]["ja"]["catalog"] is None
    assert kinds.count("link-differs") <= 10, kinds.count("link-differs")
