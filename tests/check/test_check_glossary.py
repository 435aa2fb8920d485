"""``taiyaku check`` on a real repository (cncf/glossary, a git bundle) against the plain-git ground truth.

Skipped when the bundle is absent: set ``TAIYAKU_GLOSSARY_BUNDLE`` or put it at ``../shared/corpora/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .lsync_truth import ground_truth, score
from .support import check_json



@pytest.fixture(scope="module")
def glossary(cncf_glossary: Path) -> Path:
    """The session's clone of the bundle (this module only reads it)."""
    return cncf_glossary


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
