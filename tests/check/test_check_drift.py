"""What is drift and what is not: markup-only source edits, punctuation-only translation commits, front matter a
translation translated; and drift that arrives without a history signal."""

from __future__ import annotations

from .support import Repo, check_json

PAGE = "---\ntitle: Page\n---\n\n"
JA = "---\ntitle: ページ\n---\n\n"


def status(repo: Repo) -> tuple[str, list[str]]:
    code, report = check_json("--root", repo.root)
    (doc,) = report["languages"]["ja"]["documents"]
    return doc["status"], [p["message"].split(" since")[0] for p in doc["problems"] if p["kind"] == "source-changed"]


def test_markup_only_source_edits_are_no_drift(repo: Repo) -> None:
    repo.write("volume.toml", 'base_url = "https://helm.sh"\n\n[check]\nequivalents = [["{{< note >}}", "{{< alert >}}"]]\n')
    repo.write("content/en/page.md", PAGE + "Use *care* with [charts](/docs/charts/).\n\n{{< note >}}\n\n"
               "{{% version %}} is out.\n")
    repo.write("content/ja/page.md", JA + "[チャート](/ja/docs/charts/)は*慎重に*。\n\n{{< note >}}\n\n"
               "{{% version %}} が出た。\n")
    repo.commit("page")
    repo.write("content/en/page.md", PAGE + "Use _care_ with [charts](https://helm.sh/docs/charts/).\n\n"
               "{{< alert >}}\n\n{{< version >}} is out.\n")
    repo.commit("markup: emphasis style, absolute links, the alert shortcode, delimiters")
    assert status(repo) == ("complete", [])
    repo.write("content/en/page.md", PAGE + "Use _great care_ with [charts](https://helm.sh/docs/charts/).\n\n"
               "{{< alert >}}\n\n{{< version >}} is out.\n")
    repo.commit("text")
    assert status(repo) == ("outdated", ["paragraph (line 5) changed in the source"])


def test_a_punctuation_only_translation_commit_is_no_retranslation(repo: Repo) -> None:
    repo.write("content/en/page.md", PAGE + "One.\n\nTwo.\n")
    repo.write("content/ja/page.md", JA + "一\n\n二。\n")
    repo.commit("page")
    repo.write("content/en/page.md", PAGE + "One.\n\nTwo, changed.\n")
    repo.commit("en: two changed")
    # The translator's next commit only adds a full stop: the translation was still made from the old source.
    repo.write("content/ja/page.md", JA + "一。\n\n二。\n")
    repo.commit("ja: add a full stop")
    assert status(repo) == ("outdated", ["paragraph (line 7) changed in the source"])


def test_a_front_matter_key_the_translation_translated_is_followed(repo: Repo) -> None:
    """The glossary translates ``tags`` (not a translatable key by default): a change of them is one to follow;
    a change of ``status``, which the translation keeps as is, is not."""
    repo.write("content/en/page.md", '---\ntitle: Page\nstatus: Draft\ntags: ["architecture", ""]\n---\n\nText.\n')
    repo.write("content/ja/page.md", '---\ntitle: ページ\nstatus: Draft\ntags: ["アーキテクチャ", ""]\n---\n\n本文。\n')
    repo.commit("page")
    repo.write("content/en/page.md", '---\ntitle: Page\nstatus: Completed\ntags: ["architecture", ""]\n---\n\nText.\n')
    repo.commit("status")
    assert status(repo) == ("complete", [])
    repo.write("content/en/page.md", '---\ntitle: Page\nstatus: Completed\ntags: ["architecture", "fundamental"]\n'
               '---\n\nText.\n')
    repo.commit("tags")
    assert status(repo) == ("outdated", ["front matter 'tags' changed in the source"])
