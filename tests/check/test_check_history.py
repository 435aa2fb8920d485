"""Outdated translations from git history: small repositories built commit by commit in ``tmp_path``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .support import Repo, check_json, documents, run_check

EN = '---\ntitle: "One"\n---\n\nThe first paragraph, from 1951.\n\nThe second paragraph, from 1960.\n'
JA = '---\ntitle: "一"\n---\n\n第一段落（1951年）。\n\n第二段落（1960年）。\n'
EN_REVISED = ('---\ntitle: "One"\n---\n\nThe first paragraph, from 1951.\n\nThe second paragraph, from 1960, '
              'revised.\n\nA third paragraph, from 1978.\n')
JA_REVISED = '---\ntitle: "一"\n---\n\n第一段落（1951年）。\n\n第二段落（1960年、改訂）。\n\n第三段落（1978年）。\n'
SHALLOW = ("shallow clone: history before the clone's oldest commit is not available, so translations are "
           "checked only against the commits it has")


def start(repo: Repo, en: str = EN, ja: str = JA) -> str:
    """A first commit with one document and its translation; its hash."""
    repo.write("content/en/one.md", en)
    repo.write("content/ja/one.md", ja)
    return repo.commit("Add one")


def status(root: Path, *args: object) -> str:
    """The status of the one document."""
    code, report = check_json("--root", root, *args)
    return documents(report)["one.md"]["status"]


def test_unpinned_outdated_with_changed_blocks(repo: Repo) -> None:
    first = start(repo)
    repo.write("content/en/one.md", EN_REVISED)
    second = repo.commit("Revise one\n\nA longer explanation.")
    code, report = check_json("--root", repo.root)
    assert code == 1
    assert report["notes"] == [] and report["git"] == {"repository": True, "shallow": False, "head": second}
    assert report["languages"]["ja"]["summary"]["outdated"] == 1
    since = f"since it was translated at {first[:7]}: {second[:7]} 2026-05-02 'Revise one'"
    assert documents(report)["one.md"] == {
        "source": "content/en/one.md", "translation": "content/ja/one.md", "status": "outdated",
        "problems": [
            {"kind": "source-changed", "severity": "error", "message": f"paragraph (line 7) changed in the source {since}",
             "source_line": 7, "translation_line": 7},
            {"kind": "source-changed", "severity": "error", "message": f"paragraph (line 9) added in the source {since}",
             "source_line": 9, "translation_line": 7},
        ],
        "source_changes": [{"commit": second[:7], "date": "2026-05-02", "subject": "Revise one", "sha": second}],
        "source_commits": 1, "uncommitted_changes": False,
        "changed_blocks": [
            {"source_line": 7, "translation_line": 7, "change": "changed",
             "old_source": "The second paragraph, from 1960.", "source": "The second paragraph, from 1960, revised.",
             "translation": "第二段落（1960年）。"},
            {"source_line": 9, "translation_line": 7, "change": "added", "old_source": "",
             "source": "A third paragraph, from 1978.", "translation": "第二段落（1960年）。"},
        ],
        "source_commit": None, "pin_key": "source_commit", "translated_from": first[:7], "base_commit": first,
        "silenced": 0,
    }


def test_removed_source_block_points_at_its_translation(repo: Repo) -> None:
    start(repo)
    repo.write("content/en/one.md", '---\ntitle: "One"\n---\n\nThe first paragraph, from 1951.\n')
    repo.commit("Shorten one")
    _, report = check_json("--root", repo.root)
    doc = documents(report)["one.md"]
    assert [(b["change"], b["source_line"], b["translation_line"], b["old_source"]) for b in doc["changed_blocks"]] \
        == [("removed", None, 7, "The second paragraph, from 1960.")]
    # The translation's extra paragraph is explained by the removal: reported once, as a source change.
    assert [p["kind"] for p in doc["problems"]] == ["source-changed"]


@pytest.mark.parametrize("message", ["Fix typo in one", "Reflow paragraphs [SKIP L10N]"])
def test_ignore_markers(repo: Repo, message: str) -> None:
    start(repo)
    repo.write("content/en/one.md", EN.replace("paragraph, from 1960", "paragraph,  from 1960"))
    repo.commit(message)
    assert status(repo.root) == "complete"


def test_ignore_markers_are_configurable(repo: Repo) -> None:
    start(repo)
    repo.write("volume.toml", '[check]\nignore_commit_markers = ["(cosmetic)"]\n')
    repo.write("content/en/one.md", EN.replace("from 1960", "from 1960 (cosmetic)"))
    repo.commit("Wording (cosmetic)")
    assert status(repo.root) == "complete"
    repo.write("content/en/one.md", EN.replace("from 1960", "from 1961"))
    repo.commit("Fix typo")  # no longer a marker
    code, report = check_json("--root", repo.root)
    assert documents(report)["one.md"]["status"] == "outdated"
    assert report["problems"] == []  # volume.toml's [check] table is the check's, not a language


def test_typo_fix_in_translation_does_not_hide_a_source_change(repo: Repo) -> None:
    start(repo)
    repo.write("content/en/one.md", EN_REVISED)
    repo.commit("Revise one")
    repo.write("content/ja/one.md", JA.replace("第一段落", "第一の段落"))
    repo.commit("ja: fix typo")
    assert status(repo.root) == "outdated"
    # lsync semantics: an unmarked translation commit after the source change means "translated since".
    repo.write("content/ja/one.md", JA_REVISED)
    repo.commit("ja: update")
    assert status(repo.root) == "complete"


def test_pin_survives_translation_commits(repo: Repo) -> None:
    first = start(repo)
    before = (repo.root / "content/ja/one.md").read_bytes()
    code, out, err = run_check("--root", repo.root, "--pin", "content/ja/one.md", "--format", "json")
    assert code == 0, err
    assert f"content/ja/one.md: pinned to {first[:7]}" in err
    after = (repo.root / "content/ja/one.md").read_bytes()
    assert after == before.replace(b"---\n\n", f"source_commit: {first}\n---\n\n".encode(), 1)
    repo.commit("ja: pin one")  # a translation-only commit after the pin
    assert status(repo.root) == "complete"

    repo.write("content/en/one.md", EN_REVISED)
    revised = repo.commit("Revise one")
    repo.write("content/ja/one.md", after.decode() + "\n")
    repo.commit("ja: polish wording")  # touches the translation; the pin still says what it was made from
    code, report = check_json("--root", repo.root)
    doc = documents(report)["one.md"]
    assert (code, doc["status"], doc["source_commit"], doc["translated_from"]) == (1, "outdated", first, first[:7])
    assert [c["commit"] for c in doc["source_changes"]] == [revised[:7]]
    assert doc["problems"][0]["message"] == (f"paragraph (line 7) changed in the source since it was pinned at "
                                             f"{first[:7]}: {revised[:7]} 2026-05-03 'Revise one'")

    # Translated again, then pinned again: the value is replaced in place.
    repo.write("content/ja/one.md", (repo.root / "content/ja/one.md").read_text().replace(
        "第二段落（1960年）。", "第二段落（1960年、改訂）。\n\n第三段落（1978年）。"))
    code, _, err = run_check("--root", repo.root, "--pin", repo.root / "content/ja/one.md")
    assert code == 0, err
    text = (repo.root / "content/ja/one.md").read_text()
    assert text.count("source_commit:") == 1 and f"source_commit: {revised}\n" in text


def test_pin_keeps_bom_and_crlf_byte_for_byte(repo: Repo) -> None:
    repo.write("content/en/one.md", EN)
    ja = b"\xef\xbb\xbf" + JA.replace("title", "order: 1\ntitle").replace("\n", "\r\n").encode()
    path = repo.root / "content/ja/one.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(ja)
    repo.write("content/en/one.md", EN.replace("title", "order: 1\ntitle"))
    sha = repo.commit("Add one")
    code, _, err = run_check("--root", repo.root, "--pin", "content/ja/one.md")
    assert code == 0, err
    pinned = path.read_bytes()
    assert pinned == ja.replace(b"\r\n---\r\n\r\n", f"\r\nsource_commit: {sha}\r\n---\r\n\r\n".encode(), 1)
    lines, pinned_lines = ja.split(b"\r\n"), pinned.split(b"\r\n")
    assert [line for line in pinned_lines if not line.startswith(b"source_commit:")] == lines


def test_uncommitted_source_edit_counts(repo: Repo) -> None:
    first = start(repo)
    repo.write("content/en/one.md", EN_REVISED)
    code, report = check_json("--root", repo.root)
    doc = documents(report)["one.md"]
    assert (code, doc["status"]) == (1, "outdated")
    assert doc["source_changes"] == [{"commit": None, "date": None, "subject": "uncommitted changes in the working tree",
                                      "sha": None}]
    assert doc["problems"][0]["message"] == (f"paragraph (line 7) changed in the source since it was translated at "
                                             f"{first[:7]}: uncommitted changes")


def test_uncommitted_edit_is_not_counted_as_a_commit(repo: Repo) -> None:
    """Issue 26: a committed source change plus an uncommitted one is "1 source commit and uncommitted changes"."""
    first = start(repo)
    repo.write("content/en/one.md", EN_REVISED)
    second = repo.commit("Revise one")
    repo.write("content/en/one.md", EN_REVISED + "\nA fourth paragraph, from 1990, not committed.\n")
    code, report = check_json("--root", repo.root)
    doc = documents(report)["one.md"]
    assert (code, doc["status"]) == (1, "outdated")
    assert (doc["source_commits"], doc["uncommitted_changes"]) == (1, True)
    assert [c["commit"] for c in doc["source_changes"]] == [None, second[:7]]
    since = (f"since it was translated at {first[:7]}: 1 source commit ({second[:7]} 2026-05-02 'Revise one') "
             "and uncommitted changes")
    assert {p["message"] for p in doc["problems"]} == {
        f"paragraph (line 7) changed in the source {since}",
        f"2 blocks (lines 9–11: 2 paragraphs) added in the source {since}"}
    code, text, _ = run_check("--root", repo.root)
    assert f"content/ja/one.md:7: source-changed: paragraph (line 7) changed in the source {since}" in text
    assert "2 source commits" not in text

    third = repo.commit("Add a fourth paragraph")
    doc = documents(check_json("--root", repo.root)[1])["one.md"]
    assert (doc["source_commits"], doc["uncommitted_changes"]) == (2, False)
    assert doc["problems"][0]["message"].endswith(f"translated at {first[:7]}: 2 source commits (the latest "
                                                  f"{third[:7]} 2026-05-03 'Add a fourth paragraph')")


def test_uncommitted_edit_alone_counts_no_commit(repo: Repo) -> None:
    start(repo)
    repo.write("content/en/one.md", EN_REVISED)
    doc = documents(check_json("--root", repo.root)[1])["one.md"]
    assert (doc["status"], doc["source_commits"], doc["uncommitted_changes"]) == ("outdated", 0, True)


def test_source_changed_and_changed_back_is_not_outdated(repo: Repo) -> None:
    start(repo)
    repo.write("content/en/one.md", EN_REVISED)
    repo.commit("Revise one")
    repo.write("content/en/one.md", EN)
    repo.commit("Revert the revision")
    assert status(repo.root) == "complete"


def test_unknown_pin_is_an_error(repo: Repo) -> None:
    start(repo, ja=JA.replace("---\n\n", "source_commit: 0123456789abcdef\n---\n\n", 1))
    code, report = check_json("--root", repo.root)
    doc = documents(report)["one.md"]
    assert (code, doc["status"], doc["problems"]) == (1, "incomplete", [
        {"kind": "source-commit-unknown", "severity": "error", "source_line": None, "translation_line": 3,
         "message": "source_commit 0123456789abcdef is not a commit of this repository's history"}])


def test_shallow_clone(repo: Repo, tmp_path: Path) -> None:
    first = start(repo)
    repo.write("content/en/two.md", EN)
    repo.write("content/ja/two.md", JA)
    repo.commit("Add two")
    run_check("--root", repo.root, "--pin", "content/ja/one.md")
    repo.commit("ja: pin one")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True,
                   capture_output=True)
    code, report = check_json("--root", clone)
    assert report["notes"] == [SHALLOW] and report["git"]["shallow"] is True
    found = documents(report)
    assert found["two.md"]["status"] == "complete"
    assert (found["one.md"]["status"], found["one.md"]["problems"]) == ("complete", [
        {"kind": "source-commit-unknown", "severity": "warning", "source_line": None, "translation_line": 3,
         "message": f"source_commit {first} is not in this shallow clone's history: fetch the whole history "
                    "(git fetch --unshallow) to check it"}])
    assert code == 0
    code, out, _ = run_check("--root", clone)
    assert out.count("note: shallow clone") == 1 and code == 0
    assert run_check("--root", clone, "--strict")[0] == 1


def test_volume_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "project")
    repo.write("docs/volume/content/en/one.md", EN)
    repo.write("docs/volume/content/ja/one.md", JA)
    repo.write("content/en/one.md", "outside the volume: not its history")
    repo.commit("Add the volume")
    repo.write("docs/volume/content/en/one.md", EN_REVISED)
    repo.commit("Revise one")
    assert status(repo.root / "docs" / "volume") == "outdated"


def test_git_runs_a_constant_number_of_times(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """One pass over history for the whole tree: the same four git processes for 12 documents as for one."""
    for number in range(12):
        repo.write(f"content/en/{number:02}.md", EN)
        repo.write(f"content/ja/{number:02}.md", JA)
    repo.commit("Add twelve")
    for number in range(0, 12, 2):
        repo.write(f"content/en/{number:02}.md", EN_REVISED)
        repo.commit(f"Revise {number}")
    import taiyaku.check.history as history

    calls: list[list[str]] = []
    real_popen = subprocess.Popen

    def counting_popen(command, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(list(command))
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(history.subprocess, "Popen", counting_popen)
    code, report = check_json("--root", repo.root)
    assert report["languages"]["ja"]["summary"]["outdated"] == 6
    subcommands = [next(arg for arg in call[3:] if not arg.startswith("-") and "=" not in arg and " " not in arg)
                   for call in calls]
    assert subcommands == ["rev-parse", "log", "status", "cat-file"]
