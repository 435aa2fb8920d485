"""All of a repository's languages in one pass: one read of the git history for ten languages."""

from __future__ import annotations

import subprocess

import pytest

from .support import Repo, check_json

LANGS = ["de", "es", "fr", "it", "ja", "ko", "pt", "ru", "tr", "zh"]


def test_ten_languages_share_one_history_read(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(3):
        repo.write(f"content/en/{number}.md", f"---\ntitle: Page {number}\n---\n\nText {number}.\n")
        for lang in LANGS:
            repo.write(f"content/{lang}/{number}.md", f"---\ntitle: {lang} {number}\n---\n\n{lang} {number}.\n")
    repo.commit("pages in eleven languages")
    repo.write("content/en/1.md", "---\ntitle: Page 1\n---\n\nText 1, revised.\n")
    repo.commit("revise page 1")
    for lang in LANGS[:4]:
        repo.write(f"content/{lang}/1.md", f"---\ntitle: {lang} 1\n---\n\n{lang} 1, revised.\n")
    repo.commit("four languages follow")
    import taiyaku.check.history as history

    calls: list[list[str]] = []
    real_popen = subprocess.Popen

    def counting_popen(command, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(list(command))
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(history.subprocess, "Popen", counting_popen)
    code, report = check_json("--root", repo.root)
    assert list(report["languages"]) == LANGS
    outdated = {lang: report["languages"][lang]["summary"]["outdated"] for lang in LANGS}
    assert outdated == {lang: 0 if lang in LANGS[:4] else 1 for lang in LANGS}
    subcommands = [next(arg for arg in call[3:] if not arg.startswith("-") and "=" not in arg and " " not in arg)
                   for call in calls]
    assert subcommands == ["rev-parse", "log", "status", "cat-file"]
