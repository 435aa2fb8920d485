"""Noise a coordinator met on Helm's Hugo site, each pattern as a small volume: what must not be reported, and
what still must."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .support import Repo, check_json


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def problems(root: Path) -> list[tuple[str, int | None, str]]:
    code, report = check_json("--root", root)
    return [(p["kind"], p["translation_line"], p["message"]) for d in report["languages"]["ja"]["documents"]
            for p in d["problems"]]


def test_a_shortcode_over_two_lines_is_one_unit(tmp_path: Path) -> None:
    en = ('---\ntitle: Charts\n---\n\nSee [the guide]({{< ref "using_helm.md"\n>}}) for more.\n\n'
          '{{< figure src="chart.png"\n>}}\n\nThe end of the page.\n')
    ja = ('---\ntitle: チャート\n---\n\n詳しくは[ガイド]({{< ref "using_helm.md" >}})を参照。\n\n'
          '{{< figure src="chart.png" >}}\n\nページの終わり。\n')
    root = write(tmp_path, {"content/en/charts.md": en, "content/ja/charts.md": ja})
    assert problems(root) == []


def test_identifier_headings_are_not_untranslated(tmp_path: Path) -> None:
    en = ("---\ntitle: Charts\n---\n\n## Chart.yaml\n\nThe chart's file.\n\n## Go SDK\n\nThe SDK for Go.\n\n"
          "## Kube Config (KUBECONFIG)\n\nWhere the cluster is.\n\n## Install the chart\n\nRun it.\n\n"
          "## The `requirements.yaml` file\n\nOld.\n")
    ja = ("---\ntitle: チャート\n---\n\n## Chart.yaml\n\nチャートのファイル。\n\n## Go SDK\n\nGo 用の SDK。\n\n"
          "## Kube Config (KUBECONFIG)\n\nクラスターの場所。\n\n## Install the chart\n\n実行する。\n\n"
          "## `requirements.yaml` ファイル\n\n古い。\n")
    root = write(tmp_path, {"content/en/charts.md": en, "content/ja/charts.md": ja})
    found = [(kind, line) for kind, line, _ in problems(root)]
    # "Go" alone is one word, never a heading's prose; "Kube Config" is a name only the volume can know; the
    # English heading is reported.
    assert found == [("untranslated-block", 13), ("untranslated-block", 17)]
    write(root, {"volume.toml": '[check]\nidentifiers = ["Kube Config"]\n'})
    assert [(kind, line) for kind, line, _ in problems(root)] == [("untranslated-block", 17)]


def test_a_run_of_sections_is_reported_once(tmp_path: Path) -> None:
    """The FAQ split into pages: the translation still has the sections the source moved out."""
    en = "---\ntitle: FAQ\n---\n\nQuestions.\n"
    ja = "---\ntitle: よくある質問\n---\n\n質問。\n" + "".join(
        f"\n## 質問{n}：`helm {cmd}` とは\n\n答え{n}。\n" for n, cmd in enumerate(["install", "lint", "repo", "pull"], 1))
    root = write(tmp_path, {"content/en/faq.md": en, "content/ja/faq.md": ja})
    assert problems(root) == [("section-extra", 7, "4 sections (lines 7–21: '質問1：`helm install` とは', "
                                                 "'質問2：`helm lint` とは', '質問3：`helm repo` とは' and 1 more) have no "
                                                 "counterpart in the source")]


def test_a_quoted_heading_keeps_its_inline_code(tmp_path: Path) -> None:
    en = "---\ntitle: Charts\n---\n\n## Intro\n\nText.\n"
    ja = ("---\ntitle: チャート\n---\n\n## はじめに\n\n本文。\n\n"
          "## `requirements.yaml` の `Chart.yaml` への **統合**\n\n本文。\n")
    root = write(tmp_path, {"content/en/charts.md": en, "content/ja/charts.md": ja})
    assert problems(root) == [("section-extra", 9, "section '`requirements.yaml` の `Chart.yaml` への 統合' has no "
                                                   "counterpart in the source")]


def hugo_pair(repo: Repo, en_body: str, ja_body: str, en_front: str = "", ja_front: str = "") -> None:
    repo.write("content/en/page.md", f"---\ntitle: Page\n{en_front}---\n\n{en_body}")
    repo.write("content/ja/page.md", f"---\ntitle: ページ\n{ja_front}---\n\n{ja_body}")


def test_additions_at_one_place_are_one_change(repo: Repo) -> None:
    hugo_pair(repo, "First.\n\nLast.\n", "最初。\n\n最後。\n")
    repo.commit("page")
    repo.write("content/en/page.md", "---\ntitle: Page\n---\n\nFirst.\n\nOne.\n\nTwo.\n\n- three\n\nLast.\n\nEnd.\n")
    repo.commit("more")
    code, report = check_json("--root", repo.root)
    (doc,) = report["languages"]["ja"]["documents"]
    assert [(p["source_line"], p["message"].split(" since")[0]) for p in doc["problems"]] == [
        (7, "3 blocks (lines 7–11: 2 paragraphs, 1 list item) added in the source"),
        (15, "paragraph (line 15) added in the source")]
    assert len(doc["changed_blocks"]) == 4


def test_a_weight_change_never_makes_a_page_outdated(repo: Repo) -> None:
    hugo_pair(repo, "Text.\n", "本文。\n", "weight: 7\naliases: [/old/]\n", "weight: 7\n")
    repo.commit("page")
    hugo_pair(repo, "Text.\n", "本文。\n", "weight: 8\naliases: [/older/]\nslug: page\n", "weight: 7\nslug: page\n")
    repo.commit("reorder the menu")
    code, report = check_json("--root", repo.root)
    (doc,) = report["languages"]["ja"]["documents"]
    assert (doc["status"], doc["problems"]) == ("complete", [])
    repo.write("content/en/page.md", "---\ntitle: The page\nweight: 8\naliases: [/older/]\nslug: page\n---\n\nText.\n")
    repo.commit("retitle")
    code, report = check_json("--root", repo.root)
    (doc,) = report["languages"]["ja"]["documents"]
    assert [(p["source_line"], p["message"].split(" since")[0]) for p in doc["problems"]] == [
        (2, "front matter 'title' changed in the source")]


def test_translated_from_names_the_commit_the_status_was_decided_from(repo: Repo) -> None:
    hugo_pair(repo, "Text.\n", "本文。\n", "weight: 1\n", "weight: 1\n")
    made = repo.commit("page and its translation")
    repo.write("content/ja/page.md", "---\ntitle: ページ\nweight: 2\n---\n\n本文。\n")
    repo.commit("ja: weight")
    code, report = check_json("--root", repo.root)
    (doc,) = report["languages"]["ja"]["documents"]
    assert (doc["status"], doc["translated_from"]) == ("complete", made[:7])


def test_a_cherry_picked_change_counts_once(repo: Repo) -> None:
    hugo_pair(repo, "Text.\n", "本文。\n")
    repo.commit("page")
    repo.git("branch", "-M", "main")
    repo.git("checkout", "-q", "-b", "release")
    repo.write("content/en/page.md", "---\ntitle: Page\n---\n\nNew text.\n")
    fix = repo.commit("fix the text")
    repo.git("checkout", "-q", "main")
    repo.commits += 1
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_COMMITTER_NAME="Tester",
               GIT_COMMITTER_EMAIL="tester@example.org", GIT_COMMITTER_DATE="2026-06-01T12:00:00+00:00")
    subprocess.run(["git", "-C", str(repo.root), "cherry-pick", fix], env=env, check=True, capture_output=True)
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'release'", "release")
    assert len(repo.git("log", "--full-history", "--no-merges", "--format=%H", "--", "content/en/page.md").split()) == 3
    code, report = check_json("--root", repo.root)
    (doc,) = report["languages"]["ja"]["documents"]
    assert [c["subject"] for c in doc["source_changes"]] == ["fix the text"]
    assert "and 1 more" not in doc["problems"][0]["message"]


def test_a_stub_without_a_title_is_no_error(tmp_path: Path) -> None:
    """Hugo accepts data pages and redirect stubs without a title; no translator can fix their absence."""
    stub = "---\nredirect: /docs/intro/\n---\n"
    root = write(tmp_path, {"content/en/old.md": stub, "content/ja/old.md": stub,
                            "content/en/data.md": "---\nlayout: data\n---\n"})
    code, report = check_json("--root", root)
    docs = {(d["translation"] or d["source"]): d for d in report["languages"]["ja"]["documents"]}
    assert docs["content/ja/old.md"]["problems"] == []
    assert [p["kind"] for p in docs["content/en/data.md"]["problems"]] == ["translation-missing"]


def test_commonmark_lists_interrupt_paragraphs(tmp_path: Path) -> None:
    """Hugo and Docusaurus write CommonMark: a list right under its paragraph is a list; a missing item is one
    list item, at its line."""
    en = ("---\ntitle: Steps\n---\n\nFollow these steps:\n- Install with `helm install`.\n"
          "- Upgrade with `helm upgrade`.\n- Roll back with `helm rollback`.\n")
    ja = "---\ntitle: 手順\n---\n\n次の手順に従う：\n- `helm install` で入れる。\n- `helm rollback` で戻す。\n"
    root = write(tmp_path, {"content/en/steps.md": en, "content/ja/steps.md": ja})
    before = problems(root)
    assert [kind for kind, _, _ in before] != ["block-missing"]  # Python-Markdown: one changed paragraph
    write(root, {"hugo.toml": 'title = "Helm"\n'})  # a Hugo site: CommonMark, found by itself
    assert problems(root) == [("block-missing", 7, "a list item (line 7) of the source has no counterpart here (if "
                                                   "the translation merged it into the block before, mark that one "
                                                   "<!-- taiyaku: merged 2 -->)")]
    write(root, {"volume.toml": '[check]\nmarkdown = "python-markdown"\n'})
    assert problems(root) == before
