"""Patterns found in real localization repositories (a Hugo glossary), each as a small scripted repository.

Each test reproduces one thing ``taiyaku check`` got wrong on a real tree: a source edit on a side branch merged
after the translation, a housekeeping commit on the translation, another pin key, Hugo's ``_index.md`` and
``_``-prefixed partials, a capitalised ``Title:`` beside ``draft: true``, a tree without UI catalogs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .lsync_truth import ground_truth
from .support import Repo, check_json, documents, run_check

EN = '---\ntitle: "One"\n---\n\nThe first paragraph, from 1951.\n\nThe second paragraph, from 1960.\n'
EN_REVISED = '---\ntitle: "One"\n---\n\nThe first paragraph, from 1951.\n\nThe second paragraph, from 1960, revised.\n'
JA = '---\ntitle: "一"\nstatus: Feedback Appreciated\n---\n\n第一段落（1951年）。\n\n第二段落（1960年）。\n'


def start(repo: Repo) -> str:
    """One document and its translation in a first commit on ``main``."""
    repo.git("checkout", "-q", "-b", "main")
    repo.write("content/en/one.md", EN)
    repo.write("content/ja/one.md", JA)
    return repo.commit("Add one")


def test_source_edit_on_a_side_branch_merged_after_the_translation(repo: Repo) -> None:
    """Older than the translation's commit in topological order, but not contained in it: it counts."""
    start(repo)
    repo.git("checkout", "-q", "-b", "en-edit")
    repo.write("content/en/one.md", EN_REVISED)
    edit = repo.commit("[en] Revise one")
    repo.git("checkout", "-q", "main")
    repo.write("content/ja/one.md", JA.replace("第一段落", "最初の段落"))
    translated = repo.commit("[ja] Polish one")
    repo.commits += 1
    repo.git("merge", "-q", "--no-ff", "-m", "Merge en-edit", "en-edit")
    code, report = check_json("--root", repo.root)
    doc = documents(report)["one.md"]
    assert (code, doc["status"], doc["translated_from"], doc["base_commit"]) == (1, "outdated", translated[:7], translated)
    assert [c["sha"] for c in doc["source_changes"]] == [edit]
    assert ground_truth(repo.root).outdated == {"one.md"}


def test_source_edit_the_translation_contains_does_not_count(repo: Repo) -> None:
    """The same side branch merged before the translation was made: the translator saw it."""
    start(repo)
    repo.git("checkout", "-q", "-b", "en-edit")
    repo.write("content/en/one.md", EN_REVISED)
    repo.commit("[en] Revise one")
    repo.git("checkout", "-q", "main")
    repo.commits += 1
    repo.git("merge", "-q", "--no-ff", "-m", "Merge en-edit", "en-edit")
    repo.write("content/ja/one.md", JA.replace("1960年）", "1960年、改訂）"))
    repo.commit("[ja] Catch up with one")
    assert documents(check_json("--root", repo.root)[1])["one.md"]["status"] == "complete"
    assert ground_truth(repo.root).outdated == set()


@pytest.mark.parametrize(("tidy", "diff_rule"), [
    (JA.replace("第一段落（1951年）。", "第一段落\n（1951年）。"), True),  # re-wrapped
    (JA.replace("status: Feedback Appreciated", "status: Completed"), True),  # a key with no text to translate
    # Emphasis and a comment: the ground truth's diff rule does not see through markup.
    (JA.replace("第一段落（1951年）。", "*第一段落*（1951年）。").replace("---\n\n第", "---\n\n<!-- ok -->\n\n第"), False),
])
def test_housekeeping_commit_does_not_make_the_translation_fresh(repo: Repo, tidy: str, diff_rule: bool) -> None:
    first = start(repo)
    repo.write("content/en/one.md", EN_REVISED)
    edit = repo.commit("[en] Revise one")
    repo.write("content/ja/one.md", tidy)
    repo.commit("Refresh link cache")
    code, report = check_json("--root", repo.root)
    doc = documents(report)["one.md"]
    assert (code, doc["status"], doc["translated_from"]) == (1, "outdated", first[:7])
    assert [c["sha"] for c in doc["source_changes"]] == [edit]
    assert ground_truth(repo.root, tidy=True).outdated == ({"one.md"} if diff_rule else set())


def test_a_real_retranslation_counts(repo: Repo) -> None:
    start(repo)
    repo.write("content/en/one.md", EN_REVISED)
    repo.commit("[en] Revise one")
    repo.write("content/ja/one.md", JA.replace("1960年）", "1960年、改訂）"))
    done = repo.commit("[ja] Catch up")
    repo.write("content/ja/one.md", JA.replace("1960年）", "1960年、改訂）").replace("Feedback Appreciated", "Completed"))
    repo.commit("automated fix results")
    doc = documents(check_json("--root", repo.root)[1])["one.md"]
    assert (doc["status"], doc["translated_from"]) == ("complete", done[:7])


def test_a_translatable_key_is_a_retranslation(repo: Repo) -> None:
    start(repo)
    repo.write("content/en/one.md", EN_REVISED)
    repo.commit("[en] Revise one")
    repo.write("content/ja/one.md", JA.replace('title: "一"', 'title: "第一"'))
    repo.commit("[ja] Retitle")
    assert documents(check_json("--root", repo.root)[1])["one.md"]["status"] == "complete"
    repo.write("volume.toml", '[check]\ntranslatable_keys = ["description"]\n')
    assert documents(check_json("--root", repo.root)[1])["one.md"]["status"] == "outdated"


def test_pin_key_setting(repo: Repo) -> None:
    repo.write("volume.toml", '[check]\npin_key = "default_lang_commit"\n')
    first = start(repo)
    repo.write("content/ja/one.md", JA.replace("---\n\n", f"default_lang_commit: {first}\n---\n\n", 1))
    repo.commit("[ja] Pin")
    repo.write("content/en/one.md", EN_REVISED)
    repo.commit("[en] Revise one")
    repo.write("content/ja/one.md", JA.replace("第一段落", "最初の段落")
               .replace("---\n\n", f"default_lang_commit: {first}\n---\n\n", 1))
    repo.commit("[ja] Polish wording")  # the pin still says what it was made from
    doc = documents(check_json("--root", repo.root)[1])["one.md"]
    assert (doc["status"], doc["source_commit"], doc["pin_key"]) == ("outdated", first, "default_lang_commit")
    code, _, err = run_check("--root", repo.root, "--pin", "content/ja/one.md")
    head = repo.git("rev-parse", "HEAD~1")
    assert f"default_lang_commit: {head}\n" in (repo.root / "content/ja/one.md").read_text(encoding="utf-8")
    assert "source_commit" not in (repo.root / "content/ja/one.md").read_text(encoding="utf-8")
    assert (code, documents(check_json("--root", repo.root)[1])["one.md"]["status"]) == (0, "complete")


def test_unknown_pin_names_the_configured_key(repo: Repo) -> None:
    repo.write("volume.toml", '[check]\npin_key = "default_lang_commit"\n')
    repo.write("content/en/one.md", EN)
    repo.write("content/ja/one.md", JA.replace("---\n\n", "Default_Lang_Commit: 0123456789abcdef\n---\n\n", 1))
    repo.commit("Add one")
    doc = documents(check_json("--root", repo.root)[1])["one.md"]
    assert doc["problems"] == [
        {"kind": "source-commit-unknown", "severity": "error", "source_line": None, "translation_line": 4,
         "message": "default_lang_commit 0123456789abcdef is not a commit of this repository's history"}]


def test_hugo_content_model(repo: Repo) -> None:
    for lang, title in (("en", "Glossary"), ("ja", "用語集")):
        repo.write(f"content/{lang}/_index.md", f"---\ntitle: {title}\n---\n")
        repo.write(f"content/{lang}/guide/_index.md", f"---\ntitle: {title}\n---\n")
        repo.write(f"content/{lang}/_TEMPLATE.md", "---\ntitle: Template\n---\n\nWrite the term here.\n")
        repo.write(f"content/{lang}/_includes/note.md", "A partial.\n")
    repo.write("content/en/bundle/index.md", "---\ntitle: Bundle\n---\n")
    repo.commit("Add the glossary")
    repo.write("content/en/_index.md", "---\ntitle: Glossary\n---\n\nWelcome to the glossary.\n")
    repo.commit("[en] Welcome")
    code, report = check_json("--root", repo.root)
    statuses = {(d["translation"] or d["source"]): d["status"] for d in report["languages"]["ja"]["documents"]}
    assert statuses == {"content/ja/_index.md": "outdated", "content/ja/guide/_index.md": "complete",
                        "content/en/bundle/index.md": "missing"}
    assert report["skipped"] == {"en": ["content/en/_TEMPLATE.md", "content/en/_includes/note.md"],
                                 "ja": ["content/ja/_TEMPLATE.md", "content/ja/_includes/note.md"]}
    assert report["languages"]["ja"]["summary"]["skipped"] == 2
    _, out, _ = run_check("--root", repo.root)
    assert out.splitlines()[0] == ("note: 4 Markdown files not read as documents (names starting with '_', or "
                                   "[content] exclude; JSON: skipped): content/en/_TEMPLATE.md, "
                                   "content/en/_includes/note.md, content/ja/_TEMPLATE.md and 1 more")
    repo.write("volume.toml", '[content]\ninclude = ["_includes/*"]\nexclude = ["guide/*", "bundle/index.md"]\n')
    _, report = check_json("--root", repo.root)
    statuses = {(d["translation"] or d["source"]): d["status"] for d in report["languages"]["ja"]["documents"]}
    assert set(statuses) == {"content/ja/_index.md", "content/ja/_includes/note.md"}
    assert report["skipped"]["ja"] == ["content/ja/_TEMPLATE.md", "content/ja/guide/_index.md"]


def test_capitalised_keys_as_hugo_reads_them(repo: Repo) -> None:
    repo.write("content/en/one.md", "---\nTitle: Software as a service\ndraft: true\n---\n\nText.\n")
    repo.write("content/en/two.md", "---\nTitle: Two\n---\n\nText.\n")
    repo.write("content/ja/two.md", "---\nTITLE: 二\n---\n\n本文。\n")
    repo.commit("Add")
    code, report = check_json("--root", repo.root)
    summary = report["languages"]["ja"]["summary"]
    assert (code, summary["drafts"], summary["documents"], summary["complete"]) == (0, 1, 1, 1)


def test_symlink_out_of_the_volume_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "vol"
    (root / "content" / "en").mkdir(parents=True)
    (root / "content" / "ja").mkdir()
    (root / "content" / "en" / "one.md").write_text(EN, encoding="utf-8")
    (tmp_path / "secret.md").write_text(JA, encoding="utf-8")
    os.symlink(tmp_path / "secret.md", root / "content" / "ja" / "one.md")
    code, report = check_json("--root", root)
    assert code == 1
    assert report["problems"] == [
        {"path": "content/ja/one.md", "line": None, "kind": "content", "severity": "error",
         "message": f"a symbolic link to {(tmp_path / 'secret.md').resolve()}, outside the volume: taiyaku reads "
                    "only files inside the volume folder"}]
    assert documents(report)["one.md"]["status"] == "missing"


def test_no_catalog_check_without_catalogs_or_templates(repo: Repo) -> None:
    start(repo)
    code, report = check_json("--root", repo.root)
    assert (code, report["languages"]["ja"]["catalog"]) == (0, None)
    (repo.root / "locales").mkdir()
    assert check_json("--root", repo.root)[1]["languages"]["ja"]["catalog"] is not None
    repo.write("volume.toml", "[check]\ncatalogs = false\n")
    assert check_json("--root", repo.root)[1]["languages"]["ja"]["catalog"] is None


def test_pinned_source_changed_and_changed_back_is_not_outdated(repo: Repo) -> None:
    first = start(repo)
    repo.write("content/ja/one.md", JA.replace("---\n\n", f"source_commit: {first}\n---\n\n", 1))
    repo.commit("[ja] Pin")
    repo.write("content/en/one.md", EN_REVISED)
    repo.commit("[en] Revise one")
    assert documents(check_json("--root", repo.root)[1])["one.md"]["status"] == "outdated"
    repo.write("content/en/one.md", EN)
    repo.commit("[en] Revert the revision")
    assert documents(check_json("--root", repo.root)[1])["one.md"]["status"] == "complete"


def test_linked_language_folder_out_of_the_volume_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "vol"
    (root / "content" / "en").mkdir(parents=True)
    (root / "content" / "en" / "one.md").write_text(EN, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "one.md").write_text(JA, encoding="utf-8")
    os.symlink(tmp_path / "elsewhere", root / "content" / "ja")
    code, report = check_json("--root", root)
    assert code == 1 and [p["path"] for p in report["problems"]] == ["content/ja/one.md"]
