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


def test_code_blocks_are_compared_by_their_commands(tmp_path) -> None:
    """A command or flag changed in the source shows in the code, comments, prompts and strings aside."""
    from .test_check_noise import problems, write

    en = PAGE + ("Apply it:\n\n```sh\n# create the deployment\n$ kubectl apply -f app.yaml --namespace=default\n"
                 "echo \"done\"\n```\n\n```yaml\nname: app   # the name\nreplicas: 2\n```\n")
    ja = JA + ("適用する：\n\n```sh\n# デプロイメントを作る\n$ kubectl create -f app.yaml\necho \"完了\"\n```\n\n"
               "```yaml\nname: アプリ   # 名前\nreplicas: 2\n```\n")
    root = write(tmp_path, {"content/en/page.md": en, "content/ja/page.md": ja})
    assert problems(root) == [("code-differs", 7, "code block differs from the source's (source line 7): "
                                                  "`kubectl create -f app.yaml` where the source has "
                                                  "`kubectl apply -f app.yaml --namespace=default`")]
    write(root, {"content/ja/page.md": ja.replace("kubectl create -f app.yaml", "kubectl apply -f app.yaml  "
                                                  "--namespace=default  # 既定")})
    assert problems(root) == []


def test_a_translation_far_shorter_than_its_source_is_a_warning(tmp_path) -> None:
    from .test_check_noise import problems, write

    sentences = ["The chart holds the templates of the application and their default values for installs.",
                 "A release is one installation of a chart in a cluster, with its own name and its history.",
                 "The repository serves packaged charts over HTTP with an index file that lists all of them.",
                 "Values given on the command line override the defaults that the chart itself provides here."]
    ja = ["チャートはアプリケーションのテンプレートと、インストール時の既定値を持ちます。",
          "リリースはクラスター内のチャートのひとつのインストールで、名前と履歴を持ちます。",
          "リポジトリーはパッケージ化されたチャートを、一覧のインデックスとともに HTTP で配ります。",
          "コマンドラインの値はチャートの既定値を上書きします。"]
    en_body = "\n\n".join(sentences[:3] + [sentences[3] + " They are merged in order, and the last one given wins "
                                          "when two files set the same key."]) + "\n"
    root = write(tmp_path, {"content/en/page.md": PAGE + en_body, "content/ja/page.md": JA + "\n\n".join(ja) + "\n"})
    found = problems(root)
    assert [(kind, line) for kind, line, _ in found] == [("translation-short", 11)]
    assert found[0][2] == ("far shorter than its source (source line 11): 26 characters for 178, 1 sentence for 2, "
                                "where this page's translations run at 45% of their sources; a sentence may be missing")


def test_two_blocks_swapped_are_one_move(tmp_path) -> None:
    from .test_check_noise import problems, write

    en = PAGE + ("The first paragraph has 1951 in it.\n\nThe second one has `helm lint` in it.\n\n"
                 "```sh\nhelm install x\n```\n\n```sh\nhelm upgrade x\n```\n")
    ja = JA + ("二つ目は `helm lint` を含む。\n\n一つ目は1951を含む。\n\n"
               "```sh\nhelm upgrade x\n```\n\n```sh\nhelm install x\n```\n")
    root = write(tmp_path, {"content/en/page.md": en, "content/ja/page.md": ja})
    assert problems(root) == [
        ("block-moved", 5, "the paragraph of source line 7 comes first here, before the one of source line 5: the "
                           "translation has the two in the other order"),
        ("block-moved", 9, "the code block of source line 13 comes first here, before the one of source line 9: "
                           "the translation has the two in the other order")]


def test_code_translated_in_a_latin_script_language_is_no_drift(tmp_path) -> None:
    """A French template keeps its keys and translates their values: no command changed."""
    from .test_check_noise import write

    en = PAGE + "The template:\n\n```yaml\ntitle: Definition Template\nstatus: Feedback Appreciated\nurl: /x/\n```\n"
    fr = ("---\ntitle: Page\n---\n\nLe modèle :\n\n```yaml\ntitle: Modele de definition\nstatus: Feedback Appreciated\n"
          "url: /y/\n```\n")
    root = write(tmp_path, {"content/en/page.md": en, "content/fr/page.md": fr})
    code, report = check_json("--root", root)
    assert [p["message"] for d in report["languages"]["fr"]["documents"] for p in d["problems"]] == [
        "code block differs from the source's (source line 7): `url: /y/` where the source has `url: /x/`"]
